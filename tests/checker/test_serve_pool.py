"""The worker pool of ``python -m derivations serve``: results, and every way a task can
end badly — each worker limit enforced from outside the task, the worker replaced, and the
next task served (derivations/checker/serve/pool.py).

The tasks are standard-library functions whose cost does not depend on the machine: a
sleep of an hour, a sum that needs minutes of CPU, an allocation of 64 GiB. No test
asserts on a duration."""

from __future__ import annotations

import os
import signal
import time

import pytest

from derivations.checker.serve.config import Limits
from derivations.checker.serve.errors import PoolBusyError, PoolClosedError
from derivations.checker.serve.pool import SLOW_NICE, WorkerPool

FOREVER = 3600.0  # a task that only a limit ends
ENDLESS_SUM = (range(10**13),)  # minutes of CPU on any machine


def limits(**changes: object) -> Limits:
    base = {"wall_seconds": 30.0, "cpu_seconds": 30, "memory_mb": 1024,
            "nice_after_seconds": None}
    return Limits(**{**base, **changes})


def wait_busy(pool: WorkerPool) -> list[int]:
    """The busy workers' process ids, once a task runs (the test fails if none starts)."""
    for _ in range(3000):
        pids = pool.busy_pids()
        if pids:
            return pids
        time.sleep(0.01)
    raise AssertionError("no task started")


def test_a_task_runs_and_an_exception_comes_back_as_its_message() -> None:
    with WorkerPool("t", 1, 4, limits()) as pool:
        assert pool.submit(sum, [1, 2, 3]).result().value == 6
        outcome = pool.submit(int, "not a number").result()
    assert outcome.status == "error" and outcome.value.startswith("ValueError: invalid literal")


def test_the_wall_clock_deadline_kills_the_worker_and_the_next_task_is_served() -> None:
    with WorkerPool("t", 1, 4, limits(wall_seconds=0.5)) as pool:
        first = pool.pids()
        outcome = pool.submit(time.sleep, FOREVER).result(timeout=60)
        assert outcome.status == "too_slow" and "wall-clock" in outcome.value
        assert pool.submit(sum, [2, 2]).result(timeout=60).value == 4
        assert pool.pids() != first and pool.replaced == 1


def test_the_cpu_limit_ends_a_busy_task_through_the_kernel() -> None:
    with WorkerPool("t", 1, 4, limits(cpu_seconds=1)) as pool:
        outcome = pool.submit(sum, *ENDLESS_SUM).result(timeout=120)
        assert outcome.status == "too_slow" and "CPU time" in outcome.value
        assert pool.submit(sum, [1, 1]).result(timeout=60).value == 2


def test_the_memory_limit_is_a_memory_error_and_the_worker_keeps_serving() -> None:
    with WorkerPool("t", 1, 4, limits(memory_mb=256)) as pool:
        outcome = pool.submit(bytearray, 64 * 2**30).result(timeout=60)
        assert outcome.status == "error" and outcome.value.startswith("MemoryError")
        assert pool.submit(sum, [3]).result(timeout=60).value == 3


def test_a_worker_killed_mid_task_is_replaced_and_the_next_task_succeeds() -> None:
    with WorkerPool("t", 2, 4, limits()) as pool:
        pending = pool.submit(time.sleep, FOREVER)
        [victim] = wait_busy(pool)
        os.kill(victim, signal.SIGKILL)
        outcome = pending.result(timeout=60)
        assert outcome.status == "died" and "signal 9" in outcome.value
        assert victim not in pool.pids() and len(pool.pids()) == 2
        assert [pool.submit(sum, [i]).result(timeout=60).value for i in range(4)] == [0, 1, 2, 3]


def test_a_task_that_only_waits_keeps_its_priority() -> None:
    with WorkerPool("t", 1, 4, limits(wall_seconds=1.5, nice_after_seconds=0.2)) as pool:
        pending = pool.submit(time.sleep, FOREVER)
        [pid] = wait_busy(pool)
        assert pending.result(timeout=60).status == "too_slow"
        assert pool.replaced == 1 and not pool._slots[0].demoted


def test_a_task_that_uses_the_cpu_is_moved_to_a_lower_priority_and_its_worker_replaced(
        ) -> None:
    with WorkerPool("t", 1, 4, limits(wall_seconds=120.0, nice_after_seconds=0.2)) as pool:
        pending = pool.submit(sum, *ENDLESS_SUM)
        [pid] = wait_busy(pool)
        for _ in range(3000):
            if os.getpriority(os.PRIO_PROCESS, pid) == SLOW_NICE:
                break
            time.sleep(0.01)
        assert os.getpriority(os.PRIO_PROCESS, pid) == SLOW_NICE
        os.kill(pid, signal.SIGKILL)
        assert pending.result(timeout=60).status == "died"
        assert pool.submit(sum, [5]).result(timeout=60).value == 5
        assert os.getpriority(os.PRIO_PROCESS, pool.pids()[0]) == os.getpriority(
            os.PRIO_PROCESS, 0)


def test_a_full_queue_is_refused_at_once_with_a_retry_after() -> None:
    with WorkerPool("t", 1, 2, limits(wall_seconds=0.5)) as pool:
        running = pool.submit(time.sleep, FOREVER)
        wait_busy(pool)
        queued = [pool.submit(time.sleep, FOREVER) for _ in range(2)]
        with pytest.raises(PoolBusyError) as refused:
            pool.submit(sum, [1])
        assert 1 <= refused.value.retry_after <= 30
        assert "busy" in str(refused.value)
        assert [f.result(timeout=60).status for f in [running, *queued]] == ["too_slow"] * 3
        assert pool.submit(sum, [1]).result(timeout=60).value == 1


def test_a_closed_pool_refuses_tasks_and_ends_its_workers() -> None:
    pool = WorkerPool("t", 2, 4, limits()).start()
    pids = pool.pids()
    pool.close()
    with pytest.raises(PoolClosedError):
        pool.submit(sum, [1])
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_task_that_would_wait_longer_than_max_wait_is_refused_at_once() -> None:
    with WorkerPool("t", 1, 10, limits(wall_seconds=2.0), max_wait=0.5) as pool:
        assert pool.submit(time.sleep, 1.0).result(timeout=60).status == "ok"
        assert pool.mean_task_seconds() >= 1.0
        running = pool.submit(time.sleep, FOREVER)
        wait_busy(pool)
        with pytest.raises(PoolBusyError) as refused:  # one second ahead of it > 0.5 s
            pool.submit(sum, [1])
        assert refused.value.retry_after == 1
        assert running.result(timeout=60).status == "too_slow"
        assert pool.submit(sum, [1]).result(timeout=60).value == 1  # a worker is idle again


def test_a_waiting_task_that_has_waited_past_max_wait_closes_the_door() -> None:
    # No task has finished yet, so the predicted wait is 0; what is observed decides.
    with WorkerPool("t", 1, 10, limits(wall_seconds=30.0), max_wait=0.2) as pool:
        running = pool.submit(time.sleep, FOREVER)
        wait_busy(pool)
        waiting = pool.submit(sum, [2])  # admitted: nothing waits, nothing measured yet
        time.sleep(0.4)  # it has now waited ≥ 0.4 s > max_wait behind the endless task
        with pytest.raises(PoolBusyError):
            pool.submit(sum, [3])
        os.kill(pool.busy_pids()[0], signal.SIGKILL)
        assert running.result(timeout=60).status == "died"
        assert waiting.result(timeout=60).value == 2


def test_a_worker_running_a_demoted_task_does_not_count_as_serving() -> None:
    with WorkerPool("t", 2, 10, limits(wall_seconds=120.0, nice_after_seconds=0.2),
                    max_wait=60.0) as pool:
        pool._recent.extend([10.0] * 4)  # the mean task time: 10 s
        slow = pool.submit(sum, *ENDLESS_SUM)
        [pid] = wait_busy(pool)
        assert pool.expected_wait() == 0.0  # a worker is idle
        for _ in range(3000):
            if pool._slots[[s.pid for s in pool._slots].index(pid)].demoted:
                break
            time.sleep(0.01)
        other = pool.submit(time.sleep, FOREVER)
        for _ in range(3000):
            if pool.busy == 2:
                break
            time.sleep(0.01)
        # both busy, nothing queued: (0 + 1) · 10 s shared by the 1 worker not demoted
        assert pool.expected_wait() == pytest.approx(10.0, abs=0.5)
        for p in pool.busy_pids():
            os.kill(p, signal.SIGKILL)
        assert {slow.result(timeout=60).status, other.result(timeout=60).status} == {"died"}
