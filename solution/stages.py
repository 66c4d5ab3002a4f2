"""Run the report's stages in order, timing each and naming the one that fails.

>>> log = []
>>> runner = StageRunner(total=2, echo=log.append)
>>> runner.run("derivations", lambda: 41 + 1)
42
>>> try:
...     runner.run("numerics", lambda: 1 / 0)
... except StageError as e:
...     print(e)
stage 'numerics' failed: ZeroDivisionError: division by zero
>>> [name for name, _ in runner.timings]
['derivations']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from clitools import UsageError
from vgg.errors import InputError

T = TypeVar("T")


class StageError(RuntimeError):
    """A stage of the report failed; the message names the stage and the cause."""

    def __init__(self, stage: str, cause: BaseException | str):
        self.stage = stage
        detail = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(f"stage {stage!r} failed: {detail}")


class StageRunner:
    """Numbered stages with progress lines (``[i/n] name ... done in t s``) and timings."""

    def __init__(self, total: int, echo: Callable[[str], None] = print):
        self.total = total
        self.echo = echo
        self.timings: list[tuple[str, float]] = []

    def run(self, name: str, fn: Callable[[], T]) -> T:
        """Run one stage; any exception becomes a :class:`StageError` naming it, except a
        :class:`clitools.UsageError` or a library's :class:`vgg.errors.InputError` (the user's
        input, found late: exit 2 as any other)."""
        index = len(self.timings) + 1
        self.echo(f"[{index}/{self.total}] {name} ...")
        start = time.perf_counter()
        try:
            result = fn()
        except (StageError, UsageError, InputError):
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is reported by stage
            raise StageError(name, exc) from exc
        seconds = time.perf_counter() - start
        self.timings.append((name, seconds))
        self.echo(f"[{index}/{self.total}] {name} done in {seconds:.1f} s")
        return result
