"""One way to build a ``python -m`` command: an entry that names its parser and its body.

A :class:`Command` is a table entry, as in pip's ``commands_dict``: the program name, a
function that reads the arguments (argparse through :func:`argparse_reader`, or a reader of
its own), the body that does the work, and the exceptions of the libraries it calls that are
the user's mistake. :meth:`Command.main` is the one wrapper every command runs in
(:func:`clitools.run`): a :class:`~clitools.usage.UsageError` of the reader, or one of
``input_errors`` raised by a library, is one line on stderr and exit status 2; Ctrl-C is one
line and 130. Libraries raise their own exceptions (``ValueError`` subclasses, so that a
Python caller can catch them); only the command line knows they end in exit status 2.

The reader must not import anything heavy: ``--help`` and every usage error it finds answer
before torch or SymPy is loaded. The body imports what it needs.

A :class:`CommandTable` is a command of commands (``python -m derivations check …``): each
name maps to ``"module:ATTRIBUTE"`` of a :class:`Command`, imported only when chosen; with no
name it prints its help.

>>> import argparse
>>> from clitools import Parser
>>> class BadImage(ValueError):
...     pass
>>> def reader() -> Parser:
...     p = Parser(prog="python -m demo")
...     _ = p.add_argument("--image")
...     return p
>>> def body(args: argparse.Namespace) -> int:
...     raise BadImage(f"no such image: {args.image}")
>>> demo = Command("python -m demo", argparse_reader(reader), body, input_errors=(BadImage,))
>>> import contextlib, io, sys
>>> with contextlib.redirect_stderr(io.StringIO()) as err:
...     status = demo.main(["--image", "x.png"])
>>> status, err.getvalue()
(2, 'python -m demo: error: no such image: x.png\\n')
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from clitools.usage import EXIT_USAGE, UsageError, did_you_mean, interruptible, run

#: Reads a command line (the words after the program name) into the body's arguments;
#: ``None`` means "help was printed, nothing to do".
Reader = Callable[[list[str]], Any]


def argparse_reader(build: Callable[[], argparse.ArgumentParser]) -> Reader:
    """A :data:`Reader` from a function that builds an argparse parser (a :class:`Parser`, so
    that its mistakes are :class:`UsageError`)."""

    def read(argv: list[str]) -> argparse.Namespace:
        return build().parse_args(argv)

    read.build = build  # type: ignore[attr-defined]  # the parser, for help texts and tests
    return read


@dataclass(frozen=True)
class Command:
    """A command: ``prog`` (as the user types it), ``read`` (argv → arguments, cheap, raising
    :class:`UsageError`), ``body`` (arguments → exit status), and ``input_errors``: library
    exceptions raised by the body that are the user's mistake (exit status 2, their text the
    message). ``on_usage_error(argv, error)`` may add to the one line on stderr (``check
    --json`` prints a JSON error object on stdout)."""

    prog: str
    read: Reader
    body: Callable[[Any], int]
    input_errors: tuple[type[BaseException], ...] = ()
    on_usage_error: Callable[[list[str], UsageError], None] | None = None

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Run the command on ``argv`` (default ``sys.argv[1:]``); the exit status."""
        words = list(sys.argv[1:] if argv is None else argv)

        def work() -> int:
            try:
                try:
                    args = self.read(words)
                    if args is None:
                        return 0
                    return self.body(args)
                except self.input_errors as error:
                    raise UsageError(str(error)) from None
            except UsageError as error:
                if self.on_usage_error is not None:
                    self.on_usage_error(words, error)
                raise

        return run(work, self.prog)

    def start(self) -> NoReturn:
        """For ``if __name__ == "__main__"``: run on ``sys.argv`` and exit with the status;
        Ctrl-C at any moment (imports included) is one line and 130."""
        with interruptible(self.prog):
            sys.exit(self.main())


@dataclass(frozen=True)
class CommandTable:
    """``prog NAME ARGS…``: ``commands`` maps each NAME to ``"module:ATTRIBUTE"`` of a
    :class:`Command` (imported when chosen) and ``summaries`` to its one-line help.

    >>> table = CommandTable("python -m demo", "Demo.", {"hello": "clitools.command:_HELLO"},
    ...                      {"hello": "say hello"})
    >>> table.main(["hello"])
    hello
    0
    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     status = table.main(["helo"])
    >>> status, err.getvalue().strip()
    (2, "python -m demo: error: unknown command 'helo' (did you mean hello?); choose one of: hello")
    """

    prog: str
    description: str
    commands: Mapping[str, str]
    summaries: Mapping[str, str]

    def help(self) -> str:
        """The table's help: one line per command."""
        width = max(len(name) for name in self.commands)
        lines = [f"usage: {self.prog} COMMAND [ARGS...]", "", self.description, "",
                 "commands:"]
        lines += [f"  {name:<{width}}  {self.summaries.get(name, '')}" for name in self.commands]
        lines += ["", f"{self.prog} COMMAND --help shows the options of one command."]
        return "\n".join(lines)

    def command(self, name: str) -> Command:
        """The :class:`Command` named ``name`` (its module imported now); a
        :class:`UsageError` if that module is not installed."""
        module, _, attribute = self.commands[name].partition(":")
        try:
            return getattr(importlib.import_module(module), attribute)
        except ImportError as error:
            missing = getattr(error, "name", None) or ""
            if not (missing and module.startswith(missing)):
                raise  # a module the command needs, not the command itself: a real bug
            raise UsageError(f"the command {name!r} is not installed ({module})") from None

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Run ``argv[0]``'s command on the rest; no name, ``-h`` or ``--help``: the help."""
        words = list(sys.argv[1:] if argv is None else argv)
        found: list[Command] = []

        def choose() -> int:
            if not words or words[0] in ("-h", "--help"):
                print(self.help())
                return 0
            if words[0] not in self.commands:
                raise UsageError(unknown_choice("command", words[0], self.commands))
            found.append(self.command(words[0]))
            return 0

        status = run(choose, self.prog)
        return found[0].main(words[1:]) if found else status

    def start(self) -> NoReturn:
        """:meth:`Command.start` for the table; a Ctrl-C while the chosen command's module
        imports (SymPy, torch: seconds) already names that command (``PROG answers:
        interrupted``)."""
        words = sys.argv[1:2]
        prog = f"{self.prog} {words[0]}" if words and words[0] in self.commands else self.prog
        with interruptible(prog):
            sys.exit(self.main())


def unknown_choice(noun: str, word: str, choices: Sequence[str] | Mapping[str, str]) -> str:
    """The message for an unknown choice: the word as typed (escaped), a suggestion, the
    choices.

    >>> unknown_choice("weights", "digit", ["imagenet", "random", "digits"])
    "unknown weights 'digit' (did you mean digits?); choose one of: imagenet, random, digits"
    """
    return (f"unknown {noun} {word!r}{did_you_mean(word, choices)}; choose one of: "
            f"{', '.join(choices)}")


_HELLO = Command("python -m demo hello", lambda argv: argv,
                 lambda args: print("hello") or 0)

__all__ = ["EXIT_USAGE", "Command", "CommandTable", "Reader", "argparse_reader", "did_you_mean",
           "unknown_choice"]
