"""What every command line of the suite shares, at the bottom of the dependency graph.

Nothing here imports torch, SymPy or NumPy: ``derivations``, ``numerics``, ``vgg`` and
``solution`` all build their command lines on it, and none imports another's CLI.

- :mod:`clitools.usage` — :class:`UsageError` (one line on stderr, exit status 2), the
  argparse :class:`Parser` that raises it, argument types (:func:`integer_at_least`,
  :func:`positive_float`, …), :func:`run` (the exit statuses: 2 for bad input, 130 for
  Ctrl-C; output nobody reads any more, ``| head -1``, dropped without a traceback and
  without changing the status) and :func:`interruptible` (Ctrl-C while a heavy library
  imports is one line too);
- :mod:`clitools.command` — :class:`Command`, the one way every ``python -m`` command is
  built (a reader that imports nothing heavy, a body, the library exceptions that mean bad
  input), and :class:`CommandTable`, a command of commands;
- :mod:`clitools.files` — all-or-nothing output: :class:`Staged` files renamed into place
  together, :func:`write_file`, :func:`write_output` (``-`` is standard output), and
  :func:`replaced_folder`, the folder swap of every command that writes a folder, which never
  deletes what the command did not write nor a file edited since it wrote it;
- :mod:`clitools.record` — the record a command leaves in its folder (each file's SHA-256);
- :mod:`clitools.progress` — :class:`Progress`, the one progress display of the suite;
- :mod:`clitools.suite` — :data:`COMMANDS`, every ``python -m`` command of the suite;
- :mod:`clitools.printed` — the printed size of every figure a command writes for the report
  (its width, its smallest font, matplotlib's settings for it).
"""

import clitools.import_guard  # noqa: F401  (first: installs the Ctrl-C guard before any import)
from clitools.command import Command, CommandTable, argparse_reader, unknown_choice
from clitools.files import (
    MARKER,
    STDOUT,
    Staged,
    check_output_folder,
    check_replaceable,
    check_writable_file,
    existing_file,
    inside,
    is_stdout,
    messages_stream,
    replaced_folder,
    write_file,
    write_output,
)
from clitools.progress import Progress
from clitools.usage import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    Parser,
    UsageError,
    did_you_mean,
    guard_imports,
    integer_at_least,
    integer_between,
    interruptible,
    positive_float,
    run,
)

__all__ = [
    "Command",
    "CommandTable",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "MARKER",
    "Parser",
    "Progress",
    "STDOUT",
    "Staged",
    "UsageError",
    "check_output_folder",
    "check_replaceable",
    "argparse_reader",
    "check_writable_file",
    "did_you_mean",
    "existing_file",
    "guard_imports",
    "inside",
    "is_stdout",
    "messages_stream",
    "integer_at_least",
    "integer_between",
    "interruptible",
    "positive_float",
    "replaced_folder",
    "run",
    "unknown_choice",
    "write_file",
    "write_output",
]
