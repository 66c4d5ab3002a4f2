"""The server's own exceptions: every one a ``ValueError`` (bad input or a state the caller
can act on), so that the command line turns them into one line and exit status 2 and the
HTTP layer into a status code.

>>> error = RequestError(413, "the answer is too long")
>>> error.status, str(error)
(413, 'the answer is too long')
>>> PoolBusyError("checks", 3).retry_after
3
"""

from __future__ import annotations


class ServeError(ValueError):
    """Anything the server refuses or cannot do, with a message for a person."""


class SheetError(ServeError):
    """The sheet (``docs/sheet11.md``) cannot be read into questions keyed by the ids."""


class ListenError(ServeError):
    """The address to listen on cannot be used (taken, not local, not permitted)."""


class RequestError(ServeError):
    """A request the API refuses before any work: ``status`` is its HTTP status (400 for a
    malformed body, 413 for one too large)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class PoolBusyError(ServeError):
    """The queue of a worker pool is full: the request is refused at once (HTTP 503), to be
    retried after ``retry_after`` seconds."""

    def __init__(self, pool: str, retry_after: int) -> None:
        super().__init__(f"the server is busy ({pool}: the queue is full); "
                         f"try again in {retry_after} s")
        self.pool = pool
        self.retry_after = retry_after


class LoadError(ServeError):
    """The load script cannot run: the server it was given does not answer, or the one it
    started did not start."""


class PoolClosedError(ServeError):
    """A task was given to a worker pool that is not running (not started, or closed)."""


__all__ = ["ListenError", "LoadError", "PoolBusyError", "PoolClosedError", "RequestError",
           "ServeError", "SheetError"]
