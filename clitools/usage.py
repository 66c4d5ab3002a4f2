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
import difflib
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from types import FrameType
from typing import NoReturn, TextIO

from clitools.import_guard import (
    EXIT_INTERRUPTED,
    _guard_handler,
    _interrupted,
    guard_imports,
)

#: Exit status of a usage error (bad input: nothing was computed).
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input; ``str(error)`` is the whole message for the user (one line)."""


class Parser(argparse.ArgumentParser):
    """argparse whose mistakes raise :class:`UsageError` instead of printing the usage and
    exiting (``--help`` still prints and exits 0)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}{self._suggestion(message)} (see {self.prog} --help)")

    def _suggestion(self, message: str) -> str:
        """`` (did you mean --seed?)`` for a mistyped option or choice, else ``""``.

        >>> p = Parser(prog="python -m demo")
        >>> _ = p.add_argument("--seed")
        >>> p._suggestion("unrecognized arguments: --sed 3")
        ' (did you mean --seed?)'
        """
        if message.startswith("unrecognized arguments: "):
            words = [w.split("=")[0] for w in message.split(": ", 1)[1].split()
                     if w.startswith("--")]
            return did_you_mean(words[0], list(self._option_string_actions)) if words else ""
        if "invalid choice: " in message and "(choose from " in message:
            word = message.split("invalid choice: ", 1)[1].split(" (choose from ")[0]
            options = message.rsplit("(choose from ", 1)[1].rstrip(")")
            return did_you_mean(word.strip("'"), [o.strip(" '") for o in options.split(",")])
        return ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the choice closest to ``word``, or ``""``.

    >>> did_you_mean("digit", ["imagenet", "random", "digits"])
    ' (did you mean digits?)'
    >>> did_you_mean("zzz", ["imagenet", "random"])
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def integer_at_least(minimum: int, what: str) -> Callable[[str], int]:
    """An argparse ``type``: an integer ``≥ minimum``, else a message naming ``what``
    (:func:`integer_between` without an upper end).

    >>> integer_at_least(1, "--batch")("8")
    8
    """
    return integer_between(minimum, None, what)


def integer_between(low: int, high: int | None, what: str) -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[low, high]`` (``high`` None: no upper end).

    >>> integer_between(32, 1024, "--resize")("5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --resize must be an integer from 32 to 1024, got '5'
    """
    wanted = f"≥ {low}" if high is None else f"from {low} to {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{what} must be an integer {wanted}, got {text!r}")
        return value

    return parse


def positive_float(what: str, maximum: float | None = None) -> Callable[[str], float]:
    """An argparse ``type``: a finite number ``> 0`` (``nan``, ``inf``, 0 and negatives are
    refused), and ``≤ maximum`` where one is given.

    >>> positive_float("--timeout")("2.5")
    2.5
    >>> positive_float("--timeout", 3600)("1e10")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --timeout must be a number > 0 and ≤ 3600, got '1e10'
    """
    wanted = "a finite number > 0" if maximum is None else f"a number > 0 and ≤ {maximum:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0 and (maximum is None or value <= maximum)):
            raise argparse.ArgumentTypeError(f"{what} must be {wanted}, got {text!r}")
        return value

    return parse


@contextlib.contextmanager
def _noting_sigint() -> Iterator[list[int]]:
    """Inside: Ctrl-C still raises KeyboardInterrupt, and is also noted in the yielded list,
    so that an interrupt a library turned into another error (numpy's import makes an
    ImportError of a KeyboardInterrupt raised while it loads a C extension) or swallowed is
    still reported as one. Installed only in the main thread and only over Python's own
    handler (a parent that ignores SIGINT keeps it ignored)."""
    noted: list[int] = []
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) not in (signal.default_int_handler,
                                                       _guard_handler)):
        yield noted
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        noted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


class _Unread:
    """``sys.stdout`` or ``sys.stderr`` while :func:`run` runs: once its reader has gone (a
    closed pipe: ``| head -1``, ``| true``), what is still written goes to ``os.devnull``, so
    the command ends as it would have, without a BrokenPipeError traceback and with its own
    exit status (a script that pipes ``check`` still reads 0, 1 or 2)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self) -> None:
        """Point the stream's file descriptor at ``os.devnull``: what it still buffers, later
        writes and the interpreter's last flush all succeed there."""
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self.stream.fileno())
        except (AttributeError, OSError, ValueError):  # no descriptor: a stream of its own
            self.stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextlib.contextmanager
def _dropping_unread_output() -> Iterator[None]:
    """Inside: ``sys.stdout`` and ``sys.stderr`` are :class:`_Unread`; on the way out they are
    flushed (a closed pipe found only then is dropped as well) and put back."""
    names = [n for n in ("stdout", "stderr")
             if getattr(sys, n) is not None and not isinstance(getattr(sys, n), _Unread)]
    guards = {n: _Unread(getattr(sys, n)) for n in names}
    for name, guard in guards.items():
        setattr(sys, name, guard)
    try:
        yield
    finally:
        for name, guard in guards.items():
            with contextlib.suppress(OSError, ValueError):
                guard.flush()
            if getattr(sys, name) is guard:
                setattr(sys, name, guard.stream)


def run(main: Callable[[], int], prog: str) -> int:
    """``main()``'s exit status; a :class:`UsageError` is ``prog: error: …`` on stderr and 2,
    Ctrl-C is ``prog: interrupted`` and 130 — also when a library turned the interrupt into
    another error or swallowed it. ``--help`` (argparse's ``SystemExit(0)``) is 0. Output
    whose reader has gone (``| head -1``) is dropped without a traceback, and the status is
    still ``main()``'s (:class:`_Unread`)."""
    with _noting_sigint() as noted, _dropping_unread_output():
        try:
            status = main()
        except UsageError as error:
            if not noted:
                print(f"{prog}: error: {error}", file=sys.stderr)
                return EXIT_USAGE
        except KeyboardInterrupt:
            pass
        except SystemExit as done:
            if not noted:
                return done.code if isinstance(done.code, int) else 0
        except Exception:
            if not noted:
                raise
        else:
            if not noted or status == EXIT_INTERRUPTED:  # main said so itself
                return status
    return _interrupted(prog)


@contextlib.contextmanager
def interruptible(prog: str) -> Iterator[None]:
    """For a ``__main__`` module: Ctrl-C inside the block (typically while torch imports) ends
    the process with one line and exit status 130, without a traceback or shutdown noise;
    so does ``sys.exit(130)`` from :func:`run`, at once: CPython marks a KeyboardInterrupt
    raised inside ``exec`` of a string (SciPy's imports do that) as unhandled even when it was
    caught, and would end a ``python -m`` run that exits normally by killing itself with
    SIGINT (status −2 instead of 130)."""
    with _noting_sigint() as noted:
        try:
            yield
        except SystemExit as done:
            if done.code == EXIT_INTERRUPTED:  # reported by run() already
                with contextlib.suppress(OSError, ValueError):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(EXIT_INTERRUPTED)
            if not noted:
                raise
        except KeyboardInterrupt:
            pass
        except BaseException:
            if not noted:
                raise
        else:
            if not noted:
                return
    _interrupted(prog)
    os._exit(EXIT_INTERRUPTED)


__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "Parser",
    "UsageError",
    "did_you_mean",
    "integer_at_least",
    "guard_imports",
    "integer_between",
    "interruptible",
    "positive_float",
    "run",
]
