"""What a server is allowed to spend: the limits of each kind of task and the sizes of its
queues and caches, in one frozen record (:class:`ServeConfig`).

The defaults are those of ``python -m derivations serve``; the README states the figures
measured with them. Every limit is enforced outside the code it limits (the kernel or the
parent process), never by the checked code itself:

* :class:`Limits` ``wall_seconds``: the parent kills the worker's process group when the
  deadline passes; ``cpu_seconds``: ``RLIMIT_CPU`` in the worker (the kernel sends
  ``SIGXCPU``); ``memory_mb``: ``RLIMIT_AS`` in the worker, on top of what it had mapped
  when it started (then ``MemoryError``, which the checker reports as CANNOT CHECK);
  ``nice_after_seconds``: a task that has used that much CPU time (its proof processes
  included) is moved to a lower priority (``nice`` 10), so that it cannot starve the quick
  ones, and its worker is replaced after it (a process cannot raise its priority back);
* the input size (:data:`MAX_ANSWER_CHARS`, :data:`MAX_BODY_BYTES`) is checked before
  anything is queued, and a full queue is a 503 at once.

>>> config = ServeConfig()
>>> config.check.wall_seconds, config.preview.wall_seconds, config.max_answer_chars
(10.0, 2.0, 2000)
>>> ServeConfig(check_workers=0)
Traceback (most recent call last):
...
ValueError: check_workers must be at least 1, got 0
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

#: Longest answer accepted, in characters: the checker's reader refuses longer ones too
#: (``derivations.checker.tokens.MAX_LENGTH``); the server refuses them before queueing.
MAX_ANSWER_CHARS = 2000

#: Largest request body, in bytes (an answer of :data:`MAX_ANSWER_CHARS` characters, each
#: escaped as ``\\uXXXX\\uXXXX`` in JSON, fits with room to spare).
MAX_BODY_BYTES = 32 * 1024

#: Seconds for the symbolic proof of a check: ``check --json``'s default, so that the page
#: gives the verdict the command line gives.
PROOF_SECONDS = 3.0


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Limits:
    """The hard limits of one task in a worker process: seconds of wall-clock time (the
    parent's deadline), seconds of CPU time (``RLIMIT_CPU``, whole seconds, at least 1),
    megabytes of address space beyond the worker's own at its start (``RLIMIT_AS``), and
    the CPU seconds after which a task runs at a lower priority (None: never)."""

    wall_seconds: float
    cpu_seconds: int
    memory_mb: int = 1024
    nice_after_seconds: float | None = 2.0

    def __post_init__(self) -> None:
        if not self.wall_seconds > 0:
            raise ValueError(f"wall_seconds must be > 0, got {self.wall_seconds!r}")
        if self.cpu_seconds < 1:
            raise ValueError(f"cpu_seconds must be at least 1, got {self.cpu_seconds!r}")
        if self.memory_mb < 64:
            raise ValueError(f"memory_mb must be at least 64, got {self.memory_mb!r}")


def _at_least_one(name: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}")


@dataclass(frozen=True)
class ServeConfig:
    """A server's sizes and limits.

    ``check_workers`` processes run checks and ``preview_workers`` run previews, each pool
    with a queue of at most ``check_queue`` / ``preview_queue`` waiting tasks, and a new task
    is refused (503) when it would wait longer than ``check_max_wait`` / ``preview_max_wait``
    seconds for a worker (None: only the queue's length bounds the wait); the caches
    keep the latest ``cache_size`` results of each kind. More workers than cores is
    deliberate: the kernel then shares the CPU among running checks, so a slow answer does
    not hold up the quick ones queued behind it.
    """

    check_workers: int = field(default_factory=lambda: 2 * cores())
    preview_workers: int = field(default_factory=cores)
    check_queue: int = 64
    preview_queue: int = 64
    check_max_wait: float | None = 1.0
    preview_max_wait: float | None = 0.3
    cache_size: int = 4096
    check: Limits = Limits(wall_seconds=10.0, cpu_seconds=8)
    preview: Limits = Limits(wall_seconds=2.0, cpu_seconds=2, memory_mb=512,
                             nice_after_seconds=0.5)
    proof_seconds: float = PROOF_SECONDS
    max_answer_chars: int = MAX_ANSWER_CHARS
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        for name in ("check_workers", "preview_workers", "check_queue", "preview_queue",
                     "cache_size", "max_answer_chars", "max_body_bytes"):
            _at_least_one(name, getattr(self, name))
        if not self.proof_seconds > 0:
            raise ValueError(f"proof_seconds must be > 0, got {self.proof_seconds!r}")


__all__ = ["MAX_ANSWER_CHARS", "MAX_BODY_BYTES", "PROOF_SECONDS", "Limits", "ServeConfig",
           "cores"]
