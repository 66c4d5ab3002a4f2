"""The worker process of a :class:`~derivations.checker.serve.pool.WorkerPool`: it receives
``(function, arguments)``, runs the function under the process's limits and sends back
``("ok", value)`` or ``("error", "Type: message")``.

A worker is forked from a server process that imported the checker once
(:mod:`~derivations.checker.serve.preload`); at its start it

* leaves Ctrl-C to the server (``SIGINT`` ignored) and makes its own process group, so that
  killing the group also kills the proof processes the checker forks;
* sets ``RLIMIT_CORE`` to 0 (a killed worker writes no core file) and ``RLIMIT_AS`` to the
  address space it has now plus ``memory_mb`` (inherited by the proof processes);

and before each task it sets the soft ``RLIMIT_CPU`` to the CPU seconds it has used so far
plus ``cpu_seconds``: past it the kernel ends the worker with ``SIGXCPU``, and the parent
replaces it. The functions it runs are the checker's (:func:`check_task`,
:func:`preview_task`); the student's text is an argument, read by the checker's reader and
never evaluated.

>>> check_task("1a", "w/(2*lambda)", None, 3.0)["verdict"]
'PROVED'
>>> preview_task("w/(2 lambda")["position"]
12
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import signal
from multiprocessing.connection import Connection
from typing import Any

from derivations.checker.serve.config import Limits


def address_space_bytes() -> int | None:
    """The address space this process has mapped now (``VmSize``), or None where
    ``/proc/self/status`` does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _set_limit(kind: int, soft: int) -> None:
    """The soft limit ``kind`` at ``soft`` (not above the hard limit)."""
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (soft, hard))


def limit_process(limits: Limits) -> None:
    """What a worker does once at its start (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    mapped = address_space_bytes()
    if mapped is not None:
        _set_limit(resource.RLIMIT_AS, mapped + limits.memory_mb * 1024 * 1024)


def cpu_seconds_used() -> float:
    """CPU seconds (user and system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def limit_next_task(limits: Limits) -> None:
    """The soft ``RLIMIT_CPU``: the seconds used so far plus the task's ``cpu_seconds``."""
    _set_limit(resource.RLIMIT_CPU, math.ceil(cpu_seconds_used()) + limits.cpu_seconds)


def run_worker(conn: Connection, limits: Limits) -> None:
    """The worker's loop: a task from ``conn``, its reply, until ``None`` or the pipe ends."""
    limit_process(limits)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, args = task
        limit_next_task(limits)
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            reply = ("error", f"{type(error).__name__}: {error}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as error:  # noqa: BLE001 - a value that cannot be sent
            conn.send(("error", f"the result could not be sent ({type(error).__name__})"))


def check_task(answer_id: str, answer: str, latex: bool | None, timeout: float) -> dict:
    """The ``check --json`` object of ``answer`` for ``answer_id`` (what a check worker
    computes): :func:`derivations.checker.check`'s result as a dict."""
    from derivations.checker import check

    return check(answer_id, answer, latex=latex, timeout=timeout).to_dict()


def preview_task(answer: str, latex: bool | None = None) -> dict:
    """How ``answer`` is read (:func:`~derivations.checker.serve.preview.preview`), or
    ``{"error": message, "position": place counted from 1}``."""
    from derivations.checker.serve.preview import preview

    return preview(answer, latex)


__all__ = ["address_space_bytes", "check_task", "cpu_seconds_used", "limit_next_task",
           "limit_process", "preview_task", "run_worker"]
