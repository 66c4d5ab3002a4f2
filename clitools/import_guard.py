"""Ctrl-C while ``python -m PACKAGE`` imports its modules: one line and exit status 130.

The first module :mod:`clitools` imports (before argparse, pathlib and the rest), so that the
guard is in place within milliseconds of the interpreter's start, before any heavy import; it
imports only what the interpreter has already loaded (``os``, ``signal``, ``sys``) and
``threading``.

>>> guard_imports()  # inert outside ``python -m`` (here: a doctest run)
>>> signal.getsignal(signal.SIGINT) is signal.default_int_handler
True
>>> _module_prog().startswith("python")
True
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

#: Exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def _module_prog() -> str:
    """``python -m NAME`` of the module this interpreter runs (from ``sys.orig_argv``)."""
    argv = getattr(sys, "orig_argv", [])
    name = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else "python"
    return f"python -m {name}"


def _guard_handler(signum: int, frame: FrameType | None) -> None:
    _interrupted(_module_prog())
    os._exit(EXIT_INTERRUPTED)


def guard_imports() -> None:
    """Called by each package's ``__init__``: while ``python -m package.module`` imports the
    packages and the module itself (torch, SymPy: seconds, before any ``try`` of the module
    can catch an interrupt), Ctrl-C ends the process at once with one line and exit status
    130. :func:`run` and :func:`interruptible` take over when the work starts. Inert in any
    other use (a plain ``import``, tests, a parent that ignores SIGINT)."""
    if (sys.argv[:1] == ["-m"]  # set so by Python while a -m run imports the parents
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
        signal.signal(signal.SIGINT, _guard_handler)


def _interrupted(prog: str) -> int:
    try:
        print(f"{prog}: interrupted", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    return EXIT_INTERRUPTED


guard_imports()  # at import: clitools imports this module first
