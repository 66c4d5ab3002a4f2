"""A small HTTP/1.1 client on asyncio streams, one keep-alive connection per simulated
student (as a browser keeps one to the page's server).

Written for the load script so that the client's own work stays small beside the
server's on a 2-core machine: it sends a JSON body with ``Content-Length`` and reads a
response with ``Content-Length`` or ``chunked`` transfer encoding, nothing else. A
request that finds its idle connection closed by the server before any byte of the
answer is sent again once on a new connection (what browsers do; the API is idempotent).

>>> split_url("http://127.0.0.1:8000/")
('127.0.0.1', 8000)
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class HTTPClientError(Exception):
    """The server's answer could not be read (connection lost, malformed response)."""


@dataclass(frozen=True)
class Response:
    """A status, the headers (lower-case names) and the body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON (None if it is not)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def split_url(url: str) -> tuple[str, int]:
    """The host and port of an ``http://`` URL."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"not an http:// URL: {url!r}")
    return parts.hostname, parts.port or 80


class Connection:
    """One keep-alive connection to ``host``:``port``."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        """Close the connection (if open)."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            try:
                await writer.wait_closed()
            except OSError:
                pass

    async def request(self, method: str, path: str, payload: Any = None) -> Response:
        """Send one request (``payload`` as JSON) and read its response."""
        body = b"" if payload is None else json.dumps(payload).encode("utf-8")
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        for attempt in (0, 1):
            fresh = self._writer is None
            if fresh:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            try:
                self._writer.write(head.encode("ascii") + body)
                await self._writer.drain()
                return await self._response()
            except _Unanswered:
                await self.close()
                if fresh or attempt:
                    raise HTTPClientError("the connection closed before any answer") from None
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                await self.close()
                raise HTTPClientError(f"{type(error).__name__}: {error}") from None
        raise HTTPClientError("unreachable")  # pragma: no cover

    async def _response(self) -> Response:
        reader = self._reader
        assert reader is not None
        try:
            line = await reader.readline()
        except (ConnectionResetError, BrokenPipeError):
            raise _Unanswered() from None
        if not line:
            raise _Unanswered()
        parts = line.decode("latin-1").split(" ", 2)
        status = int(parts[1])
        headers: dict[str, str] = {}
        while True:
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked(reader)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readline()


class _Unanswered(Exception):
    """The connection ended before the first byte of a response."""


__all__ = ["Connection", "HTTPClientError", "Response", "split_url"]
