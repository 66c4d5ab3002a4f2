"""Bad input is one line and exit status 2; Ctrl-C is one line and exit status 130.

>>> p = Parser(prog="python -m demo")
>>> _ = p.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0)
>>> p.parse_args(["--seed", "3"]).seed
3
>>> p.parse_args(["--seed", "-1"])
Traceback (most recent call last):
...
clitools.usage.UsageError: argument --seed: --seed must be an integer ≥ 0, got '-1' (see ...)
>>> positive_float("--timeout")("nan")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: --timeout must be a finite number > 0, got 'nan'
>>> def main() -> int:
...     raise UsageError("no such image: x.png")
>>> run(main, "python -m demo")
2
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterator
from typing import NoReturn

#: Exit status of a usage error (bad input: nothing was computed).
EXIT_USAGE = 2
#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad input; ``str(error)`` is the whole message for the user (one line)."""


class Parser(argparse.ArgumentParser):
    """argparse whose mistakes raise :class:`UsageError` instead of printing the usage and
    exiting (``--help`` still prints and exits 0)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def integer_at_least(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse ``type``: an integer ``≥ minimum``, else a message naming ``what``.

    >>> integer_at_least(1, "--batch")("8")
    8
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"{what} must be an integer ≥ {minimum}, got {text!r}")
        return value

    return parse


def integer_between(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[low, high]``.

    >>> integer_between(32, 1024, "--resize")("5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --resize must be an integer from 32 to 1024, got '5'
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{what} must be an integer from {low} to {high}, got {text!r}")
        return value

    return parse


def positive_float(what: str) -> Callable[[str], float]:
    """An argparse ``type``: a finite number ``> 0`` (``nan``, ``inf``, 0 and negatives are
    refused).

    >>> positive_float("--timeout")("2.5")
    2.5
    """

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"{what} must be a finite number > 0, got {text!r}")
        return value

    return parse


def run(main: Callable[[], int], prog: str) -> int:
    """``main()``'s exit status; a :class:`UsageError` is ``prog: error: …`` on stderr and 2,
    Ctrl-C is ``prog: interrupted`` and 130. ``--help`` (argparse's ``SystemExit(0)``) is 0."""
    try:
        return main()
    except UsageError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0


@contextlib.contextmanager
def interruptible(prog: str) -> Iterator[None]:
    """For a ``__main__`` module: Ctrl-C inside the block (typically while torch imports) ends
    the process with one line and exit status 130, without a traceback or shutdown noise."""
    try:
        yield
    except KeyboardInterrupt:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"{prog}: interrupted\n")
            sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)


__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "Parser",
    "UsageError",
    "integer_at_least",
    "integer_between",
    "interruptible",
    "positive_float",
    "run",
]
