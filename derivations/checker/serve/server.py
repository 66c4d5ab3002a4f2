"""Running the application with uvicorn: on a socket bound here first (so that a taken
port is one clear :class:`~derivations.checker.serve.errors.ListenError`, before any
worker starts), in the foreground (:func:`serve_forever`, the ``serve`` command) or on a
thread (:class:`RunningServer`, for the tests and the load script's own server).

>>> from derivations.checker.serve.app import sheet_app
>>> from derivations.checker.serve.config import ServeConfig
>>> import urllib.request
>>> with RunningServer(sheet_app(ServeConfig(check_workers=1, preview_workers=1))) as server:
...     urllib.request.urlopen(server.url + "healthz").read()
b'{"status":"ok","check_workers":1,"preview_workers":1}'
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from derivations.checker.serve.errors import ListenError

#: Connections waiting to be accepted (a class opening the page at once).
BACKLOG = 2048
#: Seconds an idle keep-alive connection stays open (longer than a student's pause, and
#: than a reverse proxy's upstream keep-alive).
KEEP_ALIVE_SECONDS = 75


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: a free port), or a
    :class:`ListenError` saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise ListenError(f"cannot listen on {host!r}: unknown address ({error})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        raise ListenError(f"cannot listen on {host}:{port}: "
                          f"{error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """``http://host:port/`` of a bound socket (IPv6 hosts in brackets)."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def uvicorn_server(app: Any, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for ``app``: its lifespan on, no access log, long keep-alive."""
    config = uvicorn.Config(app, lifespan="on", access_log=False, log_level=log_level,
                            timeout_keep_alive=KEEP_ALIVE_SECONDS, server_header=False,
                            timeout_graceful_shutdown=5)
    return uvicorn.Server(config)


def serve_forever(app: Any, sock: socket.socket, log_level: str = "info") -> None:
    """Serve ``app`` on ``sock`` until Ctrl-C or SIGTERM."""
    uvicorn_server(app, log_level).run(sockets=[sock])


class RunningServer:
    """``app`` served on a thread, on ``host`` and a free port; ``url`` once started.
    Leaving the ``with`` block stops it (the pools with it)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", start_seconds: float = 120.0) -> None:
        self.app, self.host, self.start_seconds = app, host, start_seconds
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RunningServer:
        sock = bind(self.host, 0)
        self.url = url_of(sock)
        self._server = uvicorn_server(self.app, "error")
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        daemon=True, name="serve")
        self._thread.start()
        deadline = time.monotonic() + self.start_seconds
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("the server did not start (see its log above)")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=30.0)


__all__ = ["BACKLOG", "KEEP_ALIVE_SECONDS", "RunningServer", "bind", "serve_forever",
           "uvicorn_server", "url_of"]
