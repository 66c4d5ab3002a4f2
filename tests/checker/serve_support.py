"""What the tests of ``python -m derivations serve`` share: servers on a thread with small
pools, an HTTP call that returns the status, headers and JSON, and the slow answers that
only a hard limit stops."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from derivations.checker.serve.app import sheet_app
from derivations.checker.serve.config import Limits, ServeConfig
from derivations.checker.serve.server import RunningServer

#: An answer that is read (1,700 characters, 100 cases) and then takes about 25 s of CPU
#: to compare on the 2-core test machine: only a hard limit of a second or two stops it.
SLOW_ANSWER = ("2a.i", "Piecewise(" + ",".join(f"(a1+{i}, a1 < {i})" for i in range(100))
               + ",(a2, True))")


def small_config(**changes: Any) -> ServeConfig:
    """Two check workers and one preview worker (the defaults are sized for a class)."""
    base = {"check_workers": 2, "preview_workers": 1}
    return ServeConfig(**{**base, **changes})


def tight_config() -> ServeConfig:
    """One check worker, a queue of one, a second of time per check: 503s and time-outs."""
    return small_config(check_workers=1, check_queue=1,
                        check=Limits(wall_seconds=1.0, cpu_seconds=1, nice_after_seconds=None))


@contextmanager
def running(config: ServeConfig) -> Iterator[RunningServer]:
    """The sheet's app served on a thread."""
    with RunningServer(sheet_app(config)) as server:
        yield server


def call(url: str, path: str, body: Any = None, *, raw: bytes | None = None,
         method: str | None = None, headers: dict[str, str] | None = None
         ) -> tuple[int, dict[str, str], Any]:
    """One request: the status, the headers (lower-case names) and the JSON body (the text
    where it is not JSON)."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url.rstrip("/") + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, head, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, head, content = error.code, error.headers, error.read()
    text = content.decode("utf-8")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text
    return status, {k.lower(): v for k, v in head.items()}, parsed
