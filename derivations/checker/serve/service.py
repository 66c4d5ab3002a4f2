"""What the API does, apart from HTTP: read a request, answer from the cache or a worker
pool, and turn every way a task can end into one reply.

* :func:`read_request` reads ``{"id", "answer"[, "notation"]}`` or refuses it
  (:class:`~derivations.checker.serve.errors.RequestError`: 400 malformed, 413 too long)
  before anything is queued;
* :class:`Checking` owns the two pools (checks, previews), their caches keyed by
  (id, notation, answer as typed) and the metrics. A check that hits its hard limit is
  CANNOT CHECK, "the check took too long" — never an acceptance, and never cached (it
  says something about the machine's load, not about the answer). Identical requests
  in flight share one task. The answer reaches the checker exactly as typed, so that the
  reply is ``check --json``'s for that text: its notes quote the text as typed and a position
  (counted from 1) is the place in it.

>>> read_request(b'{"id": "1a", "answer": "  w /\\\\n (2 lambda) "}', ("1a",), 2000)
AnswerRequest(answer_id='1a', answer='  w /\\n (2 lambda) ', latex=None)
>>> read_request(b'{"id": "9z", "answer": "w"}', ("1a",), 2000)
Traceback (most recent call last):
...
derivations.checker.serve.errors.RequestError: unknown answer id '9z' (the ids: 1a)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from derivations.checker.serve.cache import LRUCache
from derivations.checker.serve.config import ServeConfig
from derivations.checker.serve.errors import PoolBusyError, RequestError
from derivations.checker.serve.metrics import Metrics
from derivations.checker.serve.pool import TaskOutcome, WorkerPool
from derivations.checker.serve.worker import check_task, preview_task

#: The fields of a request body; ``notation`` is optional.
FIELDS = ("id", "answer", "notation")
#: ``notation`` → the checker's ``latex`` argument.
NOTATIONS = {"auto": None, "text": False, "latex": True}


@dataclass(frozen=True)
class AnswerRequest:
    """A request for one answer: its id, the answer as typed and the notation (``latex``
    True/False, or None: LaTeX when it has a backslash)."""

    answer_id: str
    answer: str
    latex: bool | None = None


@dataclass(frozen=True)
class Reply:
    """An HTTP status, a JSON object and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def read_request(body: bytes, ids: Sequence[str], max_chars: int) -> AnswerRequest:
    """The :class:`AnswerRequest` of a JSON body, or a :class:`RequestError` saying what is
    wrong with it (status 400, or 413 for an answer over ``max_chars`` characters)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestError(400, 'the body must be a JSON object {"id": ..., "answer": ...} '
                           "in UTF-8") from None
    if not isinstance(data, dict):
        raise RequestError(400, 'the body must be a JSON object {"id": ..., "answer": ...}')
    unknown = [k for k in data if k not in FIELDS]
    if unknown:
        raise RequestError(400, f"unknown field {str(unknown[0])[:40]!r} (the fields: "
                           f"{', '.join(FIELDS)})")
    answer_id, answer, notation = data.get("id"), data.get("answer"), data.get("notation")
    if not isinstance(answer_id, str) or answer_id not in ids:
        shown = answer_id[:40] if isinstance(answer_id, str) else answer_id
        raise RequestError(400, f"unknown answer id {shown!r} (the ids: {', '.join(ids)})")
    if not isinstance(answer, str):
        raise RequestError(400, "the answer must be a string")
    if len(answer) > max_chars:
        raise RequestError(413, f"the answer is too long: {len(answer)} characters, at most "
                           f"{max_chars}; nothing was read")
    if notation is not None and notation not in NOTATIONS:
        raise RequestError(400, f"notation must be one of {', '.join(NOTATIONS)}")
    if not answer.strip():
        raise RequestError(400, "the answer is empty: type an answer first")
    return AnswerRequest(answer_id, answer, NOTATIONS[notation or "auto"])


class Checking:
    """The two worker pools, their caches and the metrics of one server."""

    def __init__(self, config: ServeConfig, ids: Sequence[str],
                 metrics: Metrics | None = None) -> None:
        self.config, self.ids = config, tuple(ids)
        self.metrics = metrics or Metrics()
        self.checks = WorkerPool("check", config.check_workers, config.check_queue,
                                 config.check, config.check_max_wait)
        self.previews = WorkerPool("preview", config.preview_workers, config.preview_queue,
                                   config.preview, config.preview_max_wait)
        self._cache = {"check": LRUCache(config.cache_size),
                       "preview": LRUCache(config.cache_size)}
        self._in_flight: dict[tuple, asyncio.Future] = {}

    def start(self) -> None:
        """Start both pools (the fork server and every worker)."""
        self.checks.start()
        self.previews.start()

    def close(self) -> None:
        """Stop both pools."""
        self.checks.close()
        self.previews.close()

    async def _outcome(self, pool: WorkerPool, key: tuple, function: Any,
                       *args: Any) -> TaskOutcome:
        """The outcome of ``function(*args)`` on ``pool``, shared with an identical request
        in flight; :class:`PoolBusyError` when the queue is full."""
        shared = self._in_flight.get(key)
        if shared is None:
            shared = asyncio.wrap_future(pool.submit(function, *args))
            self._in_flight[key] = shared

            def finished(future: asyncio.Future) -> None:
                self._in_flight.pop(key, None)
                if not future.cancelled() and future.exception() is None:
                    outcome = future.result()
                    self.metrics.task(pool.name, outcome.waited, outcome.seconds)

            shared.add_done_callback(finished)
        return await asyncio.shield(shared)

    async def _cached(self, pool: WorkerPool, key: tuple,
                      failed: Callable[[TaskOutcome], dict[str, Any]], function: Any,
                      *args: Any) -> dict[str, Any] | Reply:
        """The cached result under ``key``, or ``function(*args)`` on ``pool`` (cached when
        it returned; ``failed(outcome)`` when it did not), or a 503 :class:`Reply`."""
        cache = self._cache[pool.name]
        body = cache.get(key)
        if body is not None:
            self.metrics.cache_hit(pool.name)
            return body
        try:
            outcome = await self._outcome(pool, key, function, *args)
        except PoolBusyError as error:
            return self._busy(error)
        if outcome.ok:
            cache.put(key, outcome.value)
            return outcome.value
        if outcome.status == "too_slow":
            self.metrics.timeout(pool.name)
        return failed(outcome)

    def _busy(self, error: PoolBusyError) -> Reply:
        self.metrics.refusal("queue_full")
        return Reply(503, {"error": str(error), "retry_after": error.retry_after},
                     {"Retry-After": str(error.retry_after)})

    async def preview(self, request: AnswerRequest) -> Reply:
        """How the answer is read: 200 with ``read_as``, ``latex``, ``mathml``, ``notes``;
        422 with ``error`` and ``position`` (in the answer as typed, counted from 1, as
        ``check`` counts it) where it cannot be read;
        503 when the previews are busy."""
        body = await self._cached(
            self.previews, ("preview", request.latex, request.answer),
            lambda outcome: {"error": _preview_failure(outcome), "position": None},
            preview_task, request.answer, request.latex)
        if isinstance(body, Reply):
            return body
        return Reply(422 if "error" in body else 200, body)

    async def check(self, request: AnswerRequest) -> Reply:
        """The ``check --json`` object of the answer (200), or 503 when the checks are busy."""
        body = await self._cached(
            self.checks, ("check", request.answer_id, request.latex, request.answer),
            lambda outcome: _cannot_check(request, outcome),
            check_task, request.answer_id, request.answer, request.latex,
            self.config.proof_seconds)
        if isinstance(body, Reply):
            return body
        self.metrics.verdict(str(body.get("verdict")))
        return Reply(200, body)

    def health(self) -> Reply:
        """200 ``{"status": "ok", …}`` while both pools run, else 503."""
        running = self.checks.running and self.previews.running
        return Reply(200 if running else 503, {
            "status": "ok" if running else "degraded",
            "check_workers": len(self.checks.pids()),
            "preview_workers": len(self.previews.pids()),
        })

    def gauges(self) -> dict[str, float]:
        """What ``/metrics`` reads at scrape time."""
        return {
            "check_queue": self.checks.queued, "preview_queue": self.previews.queued,
            "check_busy_workers": self.checks.busy, "preview_busy_workers": self.previews.busy,
            "workers_replaced": self.checks.replaced + self.previews.replaced,
            "check_cache_entries": len(self._cache["check"]),
            "preview_cache_entries": len(self._cache["preview"]),
        }


def _preview_failure(outcome: TaskOutcome) -> str:
    if outcome.status == "too_slow":
        return f"reading the answer took too long ({outcome.value}); it was stopped"
    return f"the answer could not be read ({outcome.value})"


def _cannot_check(request: AnswerRequest, outcome: TaskOutcome) -> dict[str, Any]:
    """The CANNOT CHECK object of a check that ended without a result."""
    from derivations.checker.verdict import cannot_check

    if outcome.status == "too_slow":
        message = (f"the check took too long ({outcome.value}): it was stopped, and nothing "
                   "was decided about this answer")
    elif outcome.status == "error":
        message = f"the checker failed ({outcome.value})"
    else:
        message = f"the check was interrupted ({outcome.value}); try again"
    return cannot_check(request.answer_id, request.answer, message).to_dict()


__all__ = ["FIELDS", "NOTATIONS", "AnswerRequest", "Checking", "Reply", "read_request"]
