"""Every ``python -m`` command of the suite, in one table.

:data:`COMMANDS` maps each command as the user types it to ``"module:ATTRIBUTE"`` of its
:class:`~clitools.command.Command` (or :class:`~clitools.command.CommandTable`); nothing is
imported until :func:`load` asks for one, so this module stays at the bottom of the
dependency graph. :func:`every_command` also lists the commands of each table (``python -m
derivations check``, …). The tests run each one's ``--help`` from here (help texts, and an
answer before torch is imported); a new command is one more entry.

>>> "python -m vgg.evaluate" in COMMANDS
True
>>> "python -m derivations check" in [prog for prog, _ in every_command()]
True
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from clitools.command import Command, CommandTable

#: ``python -m NAME`` → ``"module:ATTRIBUTE"`` of its command.
COMMANDS: dict[str, str] = {
    "python -m derivations": "derivations.__main__:TABLE",
    "python -m derivations.checker": "derivations.checker.cli:COMMAND",
    "python -m derivations.checker.bench": "derivations.checker.bench:COMMAND",
    "python -m derivations.checker.grading.bench": "derivations.checker.grading.bench:COMMAND",
    "python -m numerics": "numerics.__main__:COMMAND",
    "python -m solution": "solution.__main__:COMMAND",
    "python -m vgg": "vgg.cli:COMMAND",
    "python -m vgg.evaluate": "vgg.evaluation.cli:COMMAND",
    "python -m vgg.bench": "vgg.bench.cli:COMMAND",
    "python -m vgg.digits": "vgg.digits.cli:COMMAND",
}


def load(prog: str) -> Command | CommandTable:
    """The command ``prog`` of :data:`COMMANDS` (its module imported now)."""
    module, _, attribute = COMMANDS[prog].partition(":")
    return getattr(importlib.import_module(module), attribute)


def every_command() -> Iterator[tuple[str, Command | CommandTable]]:
    """``(prog, command)`` for each entry of :data:`COMMANDS` and, after a table, each of its
    commands (``python -m derivations check``)."""
    for prog in COMMANDS:
        command = load(prog)
        yield prog, command
        if isinstance(command, CommandTable):
            for name in command.commands:
                yield f"{prog} {name}", command.command(name)


__all__ = ["COMMANDS", "every_command", "load"]
