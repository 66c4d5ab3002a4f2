"""The ASGI application (Starlette): the page, the API, health and metrics.

==================  =========================================================================
``GET /``           the page (:mod:`.page`): the sheet's questions, a box for each answer id
``POST /api/preview``  ``{"id", "answer"}`` → ``{"read_as", "latex", "mathml", "notes"}``
                    (200), ``{"error", "position"}`` (422) where it cannot be read
``POST /api/check``    the same body → the ``check --json`` object (200)
``GET /healthz``    ``{"status": "ok", …}`` while the worker pools run (else 503)
``GET /metrics``    Prometheus text format (:mod:`.metrics`)
``GET /static/…``   the page's script and style (package files)
==================  =========================================================================

A body over ``max_body_bytes`` is 413 before it is read to the end; a malformed one 400; a
full queue 503 with ``Retry-After``. Every response has a content security policy that
lets the page load nothing but this server's own files. The pools start with the
application (its lifespan) and stop with it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from derivations.checker.serve.config import ServeConfig
from derivations.checker.serve.errors import RequestError
from derivations.checker.serve.metrics import Metrics, endpoint_label
from derivations.checker.serve.page import render_page
from derivations.checker.serve.service import AnswerRequest, Checking, Reply, read_request
from derivations.checker.serve.sheet import Sheet

STATIC = Path(__file__).resolve().parent / "static"

#: Headers of every response: the page may load only this server's files, never be framed.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _json(reply: Reply) -> JSONResponse:
    return JSONResponse(reply.body, status_code=reply.status,
                        headers={"cache-control": "no-store", **reply.headers})


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or a :class:`RequestError` (413) as soon as it passes ``limit``
    bytes (by its ``Content-Length`` or as it streams in)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestError(413, f"the request is too large: {declared} bytes, at most {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(413, f"the request is too large: more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class Timing:
    """ASGI middleware: counts every HTTP request with its status and latency, and adds
    :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.metrics.request(endpoint_label(scope["path"]), status[0],
                                 time.perf_counter() - start)


def create_app(config: ServeConfig, sheet: Sheet, whats: dict[str, str],
               ids: Sequence[str]) -> Starlette:
    """The application for ``sheet``: ``whats`` labels each id's box, ``ids`` are the
    checker's answer ids."""
    checking = Checking(config, ids)
    page = render_page(sheet, whats, config.max_answer_chars)

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers={"cache-control": "no-cache"})

    def api(work: Callable[[AnswerRequest], Awaitable[Reply]]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> Response:
            try:
                body = await read_body(request, config.max_body_bytes)
                answer = read_request(body, checking.ids, config.max_answer_chars)
            except RequestError as error:
                checking.metrics.refusal("too_large" if error.status == 413 else "bad_request")
                return _json(Reply(error.status, {"error": str(error)}))
            return _json(await work(answer))
        return endpoint

    async def healthz(request: Request) -> Response:
        return _json(checking.health())

    async def metrics(request: Request) -> Response:
        return PlainTextResponse(checking.metrics.exposition(checking.gauges()),
                                 media_type="text/plain; version=0.0.4")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        checking.start()
        try:
            yield
        finally:
            checking.close()

    app = Starlette(routes=[
        Route("/", index, methods=["GET"]),
        Route("/api/preview", api(checking.preview), methods=["POST"]),
        Route("/api/check", api(checking.check), methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ], lifespan=lifespan)
    app.state.checking = checking
    app.add_middleware(Timing, metrics=checking.metrics)
    return app


def sheet_app(config: ServeConfig | None = None, sheet_path: str | Path | None = None
              ) -> Starlette:
    """:func:`create_app` for the sheet at ``sheet_path`` (default ``docs/sheet11.md``) and
    the checker's ids, each box labelled with its one-line question."""
    from derivations.answers import ANSWER_IDS, QUESTIONS
    from derivations.checker.serve.sheet import load_sheet

    whats = {i: QUESTIONS[i].text.split(": ", 1)[-1] for i in ANSWER_IDS}
    return create_app(config or ServeConfig(), load_sheet(sheet_path), whats, ANSWER_IDS)


__all__ = ["SECURITY_HEADERS", "STATIC", "Timing", "create_app", "read_body", "sheet_app"]
