"""Checking on a pool of worker processes, each check under a hard time limit; the caller's
``tick`` runs while it waits (progress: :class:`clitools.Progress`)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from derivations.checker import check, verdict
from derivations.checker.grading.measure import with_measure


def cannot_check(answer_id: str, answer: str, message: str) -> dict[str, Any]:
    """The ``check --json`` object of a CANNOT CHECK result with ``message`` (the checker's
    own, :func:`derivations.checker.verdict.cannot_check`)."""
    return verdict.cannot_check(answer_id, answer, message).to_dict()


def _check_one(answer_id: str, answer: str, latex: bool | None, timeout: float) -> dict:
    """The ``check --json`` object of one answer (what a worker process computes)."""
    return check(answer_id, answer, latex=latex, timeout=timeout).to_dict()


#: Seconds between a waiting worker's looks at whether its parent is still there.
PARENT_CHECK = 1.0


def _serve(conn: Connection, timeout: float) -> None:
    """A worker process: check each ``(id, answer, latex)`` received, send the result back
    (with :data:`~.measure.FIELD` for a refuted answer, :func:`~.measure.with_measure`);
    ``None`` ends it. Ctrl-C is left to the parent, which stops the workers; a parent that
    is gone without stopping them (killed: SIGKILL, a crash) is noticed within
    :data:`PARENT_CHECK` seconds of the last check, and the worker ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # its own process group: stopping it also stops its proof processes
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(PARENT_CHECK):
                if os.getppid() != parent:
                    return
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        answer_id, answer, latex = task
        try:
            result = with_measure(_check_one(answer_id, answer, latex, timeout), latex)
        except Exception as error:  # noqa: BLE001 - one answer's failure is its verdict
            result = cannot_check(answer_id, answer,
                                  f"the checker failed ({type(error).__name__}: {error})")
        try:
            conn.send(result)
        except OSError:
            return


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: tuple | None = None
    started: float = 0.0


#: A check to run: (task number, id, answer, latex).
Task = tuple[int, str, str, "bool | None"]


class CheckPool:
    """Worker processes (forked, so they share the parent's loaded checker) that run checks.

    Each check is stopped after ``limit`` seconds in all (its process killed and replaced):
    the answer is then CANNOT CHECK. A worker that dies gives CANNOT CHECK for its answer.
    """

    def __init__(self, jobs: int, timeout: float, limit: float) -> None:
        self.jobs, self.timeout, self.limit = jobs, timeout, limit
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.timeout), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.append(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        self._workers.remove(worker)
        worker.conn.close()
        if worker.process.is_alive():
            with contextlib.suppress(OSError):
                os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.kill()
        worker.process.join()

    def close(self, wait_s: float = 1.0) -> None:
        """End every worker: asked to stop, and killed after ``wait_s`` seconds."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + wait_s
        for worker in list(self._workers):
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self._stop(worker)

    def __enter__(self) -> CheckPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(1.0 if kind is None else 0.0)  # interrupted: stop the workers at once

    def run(self, tasks: Iterable[Task], done: Callable[[int, dict], None],
            tick: Callable[[], None] = lambda: None) -> None:
        """Check every task; ``done(number, result)`` as each finishes, ``tick()`` now and then."""
        pending = deque(tasks)
        while len(self._workers) < min(self.jobs, len(pending)):
            self._start()
        idle = [w for w in self._workers if w.task is None]
        busy: dict[Connection, _Worker] = {}
        while pending or busy:
            while idle and pending:
                worker, task = idle.pop(), pending.popleft()
                try:
                    worker.conn.send(task[1:])
                except OSError:  # the worker died while idle: replace it, retry the task
                    self._stop(worker)
                    idle.append(self._start())
                    pending.appendleft(task)
                    continue
                worker.task, worker.started = task, time.monotonic()
                busy[worker.conn] = worker
            if not busy:
                continue
            first = min(w.started for w in busy.values())
            left = first + self.limit - time.monotonic()
            for conn in wait(list(busy), timeout=max(0.0, min(left, 0.2))):
                worker = busy.pop(conn)
                task, worker.task = worker.task, None
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    self._stop(worker)
                    worker = self._start()
                    result = cannot_check(task[1], task[2], "the checker's process ended "
                                          "without a result")
                idle.append(worker)
                done(task[0], result)
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if now - worker.started > self.limit:
                    del busy[conn]
                    task = worker.task
                    self._stop(worker)
                    idle.append(self._start())
                    done(task[0], cannot_check(task[1], task[2], f"no verdict within "
                                               f"{self.limit:g} s; the check was stopped"))
            tick()
