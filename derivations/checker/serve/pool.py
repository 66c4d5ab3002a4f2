"""A pool of worker processes that run tasks under hard limits, fed by a bounded queue.

``WorkerPool(name, workers, queue_size, limits)``: ``workers`` processes forked from
multiprocessing's fork server, which imported the checker once
(:mod:`~derivations.checker.serve.preload`), so a new worker is ready in milliseconds.
Each worker has a supervising thread in the server that hands it one task at a time and
waits at most ``limits.wall_seconds`` for the reply. A task ends in one
:class:`TaskOutcome`:

* ``ok`` (the value), or ``error`` (the function raised: ``"Type: message"``);
* ``too_slow``: the deadline passed (the supervisor kills the worker's process group) or
  the worker used its CPU seconds (the kernel's ``SIGXCPU``);
* ``died``: the worker ended without a reply (killed from outside, out of memory).

After ``too_slow`` or ``died`` the worker is replaced before its next task, so the next
request is served as usual. A task that has used ``limits.nice_after_seconds`` of CPU
time (its proof processes included) is moved to ``nice`` :data:`SLOW_NICE` (the worker's
whole process group), so that quick tasks keep the CPU; that worker is replaced after it.
A task that only waits for the CPU, on a busy machine, keeps its priority.

:meth:`WorkerPool.submit` never waits: with ``queue_size`` tasks already waiting, or when
a new task would wait longer than ``max_wait`` seconds for a worker (the tasks ahead of it
times the mean of the last :data:`RECENT` task times, shared by the workers not running a
demoted task; or, if longer, the time the oldest waiting task has waited), it raises
:class:`~derivations.checker.serve.errors.PoolBusyError` with a ``Retry-After`` estimate.
So the requests that are served are served within about ``max_wait`` plus their own time,
however many arrive, and the excess is refused at once.

>>> from derivations.checker.serve.config import Limits
>>> with WorkerPool("demo", 1, 4, Limits(wall_seconds=5.0, cpu_seconds=5)) as pool:
...     pool.submit(sum, [1, 2, 3]).result().value
6
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from derivations.checker.serve.config import Limits
from derivations.checker.serve.errors import PoolBusyError, PoolClosedError
from derivations.checker.serve.proctree import cpu_seconds
from derivations.checker.serve.worker import run_worker

#: The module the fork server imports before it forks any worker.
PRELOAD = "derivations.checker.serve.preload"

#: The ``nice`` value of a task that has run longer than ``limits.nice_after_seconds``.
SLOW_NICE = 10

#: Seconds between two looks at a running task's CPU time.
CPU_LOOK_SECONDS = 0.25

#: How many of the latest task times estimate the wait (each counted at most
#: :data:`TASK_TIME_CAP` times ``max_wait``, so that one task stopped at its limit does
#: not close the door for long).
RECENT = 64
TASK_TIME_CAP = 2.0

#: Longest Retry-After sent with a 503, in seconds.
MAX_RETRY_AFTER = 30


@dataclass(frozen=True)
class TaskOutcome:
    """How a task ended: ``status`` is ok, error, too_slow or died; ``value`` the result
    (ok) or a message; ``seconds`` the wall-clock time in the worker, ``waited`` in the
    queue before it."""

    status: str
    value: Any = None
    seconds: float = 0.0
    waited: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the function returned (``value`` is its result)."""
        return self.status == "ok"


@dataclass
class _Job:
    function: Callable[..., Any]
    args: tuple[Any, ...]
    future: Future
    queued_at: float = 0.0


_STOP = object()


class _Slot:
    """One worker process and the connection to it (replaced after a kill)."""

    def __init__(self) -> None:
        self.process: Any = None
        self.conn: Any = None
        self.busy_since: float | None = None
        self.demoted = False

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid


def _fork_server_context() -> Any:
    """multiprocessing's fork-server context, preloading the checker."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread per worker process
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


class WorkerPool:
    """``workers`` processes running submitted tasks under ``limits`` (module docstring)."""

    def __init__(self, name: str, workers: int, queue_size: int, limits: Limits,
                 max_wait: float | None = None) -> None:
        if workers < 1 or queue_size < 1:
            raise ValueError(f"a pool needs at least one worker and a queue of at least one "
                             f"task, got {workers} and {queue_size}")
        self.name, self.workers, self.limits, self.max_wait = name, workers, limits, max_wait
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._slots = [_Slot() for _ in range(workers)]
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._context: Any = None
        self._open = False
        self.replaced = 0
        self._recent: deque[float] = deque(maxlen=RECENT)

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> WorkerPool:
        """Start the fork server (first pool only), the workers and their supervisors."""
        if self._open:
            return self
        self._context = _fork_server_context()
        for slot in self._slots:
            self._spawn(slot)
        self._open = True
        for i, slot in enumerate(self._slots):
            thread = threading.Thread(target=self._supervise, args=(slot,), daemon=True,
                                      name=f"{self.name}-supervisor-{i}")
            thread.start()
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Refuse new tasks, fail the waiting ones (``died``: the server stops), stop the
        supervisors and kill the workers."""
        with self._lock:
            if not self._open:
                return
            self._open = False
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(job, _Job) and job.future.set_running_or_notify_cancel():
                job.future.set_result(TaskOutcome("died", "the server is stopping"))
        for slot in self._slots:
            self._kill(slot)
        for _ in self._threads:
            self._queue.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=5.0)
        self._threads.clear()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- tasks ----------------------------------------------------------------------------
    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        """Queue ``function(*args)`` for a worker; a :class:`~concurrent.futures.Future`
        of its :class:`TaskOutcome`. ``function`` and ``args`` must pickle (by reference
        for a function). Raises :class:`PoolBusyError` when the queue is full."""
        if not self._open:
            raise PoolClosedError(f"the {self.name} pool is not running")
        if self.max_wait is not None and self.expected_wait() > self.max_wait:
            raise PoolBusyError(self.name, self.retry_after())
        future: Future = Future()
        try:
            self._queue.put_nowait(_Job(function, args, future, time.monotonic()))
        except queue.Full:
            raise PoolBusyError(self.name, self.retry_after()) from None
        return future

    def mean_task_seconds(self) -> float:
        """The mean of the latest task times (each capped, see :data:`TASK_TIME_CAP`)."""
        recent = list(self._recent)
        return sum(recent) / len(recent) if recent else 0.0

    def expected_wait(self) -> float:
        """Seconds a task submitted now would wait for a worker: none while a worker is
        idle and nothing waits; else the larger of the prediction — the tasks ahead of it
        times the mean task time, shared by the workers not running a demoted (slow,
        ``nice``) task — and the time the oldest waiting task has waited already (observed:
        a machine slowed by other work closes the door too, where the prediction lags)."""
        ahead = self._queue.qsize()
        if ahead == 0 and self.busy < self.workers:
            return 0.0
        demoted = sum(s.demoted and s.busy_since is not None for s in self._slots)
        serving = max(1, self.workers - demoted)
        return max((ahead + 1) * self.mean_task_seconds() / serving, self._oldest_wait())

    def _oldest_wait(self) -> float:
        with self._queue.mutex:
            head = self._queue.queue[0] if self._queue.queue else None
        return time.monotonic() - head.queued_at if isinstance(head, _Job) else 0.0

    def retry_after(self) -> int:
        """Seconds after which a task would probably be taken (1 to
        :data:`MAX_RETRY_AFTER`)."""
        return max(1, min(MAX_RETRY_AFTER, math.ceil(self.expected_wait())))

    @property
    def queued(self) -> int:
        """Tasks waiting for a worker."""
        return self._queue.qsize()

    @property
    def busy(self) -> int:
        """Workers running a task now."""
        return sum(slot.busy_since is not None for slot in self._slots)

    def pids(self) -> list[int]:
        """The process ids of the workers now (a replaced worker has a new one)."""
        return [pid for pid in (slot.pid for slot in self._slots) if pid is not None]

    def busy_pids(self) -> list[int]:
        """The process ids of the workers that are running a task now."""
        return [slot.pid for slot in self._slots
                if slot.busy_since is not None and slot.pid is not None]

    @property
    def running(self) -> bool:
        """Whether the pool takes tasks and every worker process is alive."""
        return self._open and all(s.process is not None and s.process.is_alive()
                                  for s in self._slots)

    # -- workers --------------------------------------------------------------------------
    def _spawn(self, slot: _Slot) -> None:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(target=run_worker, args=(child, self.limits),
                                        daemon=True, name=f"{self.name}-worker")
        with self._lock:  # one start at a time through the fork server
            process.start()
        child.close()
        slot.process, slot.conn = process, parent

    def _kill(self, slot: _Slot) -> None:
        """Kill the worker's process group (its proof processes too) and reap it."""
        process, conn = slot.process, slot.conn
        slot.process = slot.conn = None
        slot.demoted = False
        if process is None:
            return
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError):
            process.kill()
        with contextlib.suppress(OSError, ValueError):
            process.join(timeout=5.0)
        with contextlib.suppress(OSError):
            conn.close()

    def _replace(self, slot: _Slot) -> None:
        self._kill(slot)
        if self._open:
            self._spawn(slot)
            self.replaced += 1

    def _supervise(self, slot: _Slot) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                outcome = self._run(slot, job)
            except Exception as error:  # noqa: BLE001 - a supervisor must keep serving
                outcome = TaskOutcome("died", f"the worker could not be reached ({error})")
                with contextlib.suppress(Exception):
                    self._replace(slot)
            job.future.set_result(outcome)

    def _run(self, slot: _Slot, job: _Job) -> TaskOutcome:
        """:meth:`_attempt`, with the time the job waited in the queue."""
        waited = time.monotonic() - job.queued_at
        outcome = self._attempt(slot, job)
        cap = TASK_TIME_CAP * self.max_wait if self.max_wait else self.limits.wall_seconds
        self._recent.append(min(outcome.seconds, cap))
        return dataclasses.replace(outcome, waited=waited)

    def _attempt(self, slot: _Slot, job: _Job) -> TaskOutcome:
        if slot.process is None or not slot.process.is_alive():
            self._replace(slot)
        if slot.conn is None:
            return TaskOutcome("died", "the server is stopping")
        start = time.monotonic()
        slot.busy_since = start
        try:
            cpu_before = cpu_seconds(slot.process.pid)
            slot.conn.send((job.function, job.args))
            answered = self._wait(slot, start, cpu_before)
            seconds = time.monotonic() - start
            if not answered:
                self._replace(slot)
                return TaskOutcome("too_slow", f"over {self.limits.wall_seconds:g} s of "
                                   "wall-clock time", seconds)
            try:
                status, value = slot.conn.recv()
            except (EOFError, OSError):
                return self._ended(slot, seconds)
        finally:
            slot.busy_since = None
        if slot.demoted:
            self._replace(slot)
        return TaskOutcome(status, value, seconds)

    def _wait(self, slot: _Slot, start: float, cpu_before: float) -> bool:
        """Wait for the reply until the deadline, lowering the task's priority once it has
        used ``nice_after_seconds`` of CPU; whether a reply (or the end of the pipe) came."""
        deadline, nice_after = start + self.limits.wall_seconds, self.limits.nice_after_seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if nice_after is None:
                return slot.conn.poll(left)
            if slot.conn.poll(min(left, CPU_LOOK_SECONDS)):
                return True
            pid = slot.process.pid
            if not slot.demoted and cpu_seconds(pid) - cpu_before >= nice_after:
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PGRP, pid, SLOW_NICE)
                    slot.demoted = True

    def _ended(self, slot: _Slot, seconds: float) -> TaskOutcome:
        """The worker ended without a reply: why (from its exit status), and a new one."""
        process = slot.process
        if process is not None:
            process.join(timeout=5.0)
        code = None if process is None else process.exitcode
        self._replace(slot)
        if code == -signal.SIGXCPU:
            return TaskOutcome("too_slow", f"over {self.limits.cpu_seconds} s of CPU time",
                               seconds)
        how = (f"killed by signal {-code}" if isinstance(code, int) and code < 0
               else f"exit status {code}")
        return TaskOutcome("died", f"the worker process ended without a result ({how})",
                           seconds)


__all__ = ["MAX_RETRY_AFTER", "PRELOAD", "SLOW_NICE", "TaskOutcome", "WorkerPool"]
