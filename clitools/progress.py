"""The one progress display of the suite's commands, on standard error.

A :class:`Progress` counts ``done`` of ``total`` things and shows, with the rate so far, how
long the rest will take (the ETA, ``(total − done) / rate``):

- on a terminal, one line rewritten in place (``\\r``, at most every :data:`TERMINAL_EVERY`
  seconds), closed by a line break when the work is done;
- elsewhere (standard error redirected to a file or a pipe: ``2> log``, a CI log), plain
  lines without ``\\r``: the first at once, then at most one every ``every`` seconds
  (:data:`EVERY`), and the last when the work is done.

Each line reads ``label: done/total noun (p%) [bar] rate noun/s, about T left``, and ends
with a note (what is being done now) where one is given. The clock is a parameter, so that
the throttle can be shown without waiting:

>>> import io
>>> now = [0.0]
>>> log = io.StringIO()  # not a terminal
>>> progress = Progress(4, "images", "demo", stream=log, every=10, clock=lambda: now[0])
>>> progress.update(0)
>>> now[0] = 4.0; progress.update(2)      # 4 s after the last line: not shown
>>> now[0] = 12.0; progress.update(3)
>>> now[0] = 13.0; progress.update(4)     # 1 s after the last line: not shown
>>> progress.finish()
>>> print(log.getvalue(), end="")
demo: 0/4 images (0%) [                    ], time left unknown
demo: 3/4 images (75%) [###############     ] 0.2 images/s, about 4 s left
demo: 4/4 images (100%) [####################] 0.3 images/s, done in 13 s
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import TextIO

#: Seconds between two plain lines when standard error is not a terminal.
EVERY = 10.0
#: Seconds between two redraws of the line on a terminal.
TERMINAL_EVERY = 0.1
#: Characters of the bar.
BAR = 20


def duration(seconds: float) -> str:
    """A duration for people: ``42 s``, ``3 min 5 s``, ``1 h 2 min``.

    >>> duration(4.4), duration(185), duration(3725)
    ('4 s', '3 min 5 s', '1 h 2 min')
    """
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (a stream without ``isatty`` is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """``done`` of ``total`` ``noun`` on ``stream`` (default standard error), each line
    starting with ``label`` (see the module docstring). ``every``: seconds between plain
    lines; ``clock``: seconds, monotonic."""

    def __init__(self, total: int, noun: str, label: str, stream: TextIO | None = None,
                 every: float = EVERY, clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.noun, self.label = total, noun, label
        self.done, self.note = 0, ""
        self.stream = sys.stderr if stream is None else stream
        self.terminal = is_terminal(self.stream)
        self.every = TERMINAL_EVERY if self.terminal else every
        self.clock = clock
        self.start = clock()
        self.last: float | None = None  # when the last line was shown
        self.shown = -1                 # the ``done`` of the last line shown
        self.finished = False

    def line(self) -> str:
        """The progress line as it stands."""
        elapsed = self.clock() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        bar = "#" * round(BAR * share)
        if self.done >= self.total:
            when = f"done in {duration(elapsed)}"
        elif rate > 0 and math.isfinite(rate):
            when = f"about {duration((self.total - self.done) / rate)} left"
        else:
            when = "time left unknown"
        speed = f" {rate:.1f} {self.noun}/s," if rate > 0 else ","
        note = f" — {self.note}" if self.note else ""
        return (f"{self.label}: {self.done}/{self.total} {self.noun} ({100 * share:.0f}%) "
                f"[{bar:<{BAR}}]{speed} {when}{note}")

    def update(self, done: int, note: str = "") -> None:
        """``done`` things are done now (``note``: what is being done next); shown if the
        throttle allows."""
        self.done, self.note = done, note
        self.tick()

    def advance(self, n: int = 1) -> None:
        """``n`` more things are done."""
        self.update(self.done + n, self.note)

    def tick(self) -> None:
        """Show the line if it is due (the first always; then once ``every`` seconds have
        passed since the last)."""
        now = self.clock()
        if self.last is None or now - self.last >= self.every:
            self.last = now
            self._show()

    def finish(self) -> None:
        """The last line (done/total and the time taken), once; in plain lines, only if the
        last line shown was not already that one."""
        if self.finished:
            return
        self.finished = True
        if self.terminal or self.shown != self.done:
            self._show()
        if self.terminal:
            self.stream.write("\n")
            self.stream.flush()

    def _show(self) -> None:
        self.shown = self.done
        if self.terminal:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()


__all__ = ["BAR", "EVERY", "TERMINAL_EVERY", "Progress", "duration", "is_terminal"]
