"""Run a function under a hard time limit: it returns in time, or it is stopped.

The checker's symbolic work is bounded in steps (terms, pieces, evaluations), so that its
verdict is the same on every machine; this limit is only a safety stop against what a bound
does not foresee (SymPy's own routines), and a check it stops is CANNOT CHECK — never a
verdict that less time would change into an acceptance. :func:`call_with_timeout`
runs the function in a forked child process and kills the child when the time is up, so
the caller always gets an answer within the limit (plus a few milliseconds), whatever the
function does — even inside C code. Where ``fork`` does not exist (Windows), it falls back
to a plain call without a limit.

>>> call_with_timeout(sum, ([1, 2, 3],), 2.0)
Outcome(status='ok', value=6)
>>> import time
>>> call_with_timeout(time.sleep, (10,), 0.2).status
'timeout'
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """``status`` is ok (``value`` holds the result), timeout, or error (``value``: message)."""

    status: str
    value: Any = None


def _forked(fn: Callable, args: Sequence[Any], timeout: float) -> Outcome:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compute, send, leave without running any cleanup of the parent
        os.close(read_fd)
        try:
            try:
                payload = pickle.dumps(Outcome("ok", fn(*args)))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                payload = pickle.dumps(Outcome("error", f"{type(exc).__name__}: {exc}"))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view) :]
        finally:
            os._exit(0)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return Outcome("timeout")
            ready, _, _ = select.select([read_fd], [], [], left)
            if not ready:
                return Outcome("timeout")
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a child that died mid-way sends nothing usable
        return Outcome("error", "the worker process ended without a result")


def call_with_timeout(fn: Callable, args: Sequence[Any], timeout: float) -> Outcome:
    """``fn(*args)`` if it finishes within ``timeout`` seconds, else ``Outcome('timeout')``.

    Exceptions in ``fn`` come back as ``Outcome('error', message)``. The result must be
    picklable (it crosses a process boundary).
    """
    if timeout <= 0:
        return Outcome("timeout")
    if hasattr(os, "fork"):
        return _forked(fn, args, timeout)
    try:  # pragma: no cover - platforms without fork
        return Outcome("ok", fn(*args))
    except Exception as exc:  # noqa: BLE001
        return Outcome("error", f"{type(exc).__name__}: {exc}")
