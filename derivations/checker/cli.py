"""``python -m derivations check``: one answer checked, the verdict printed, the exit status set.

    python -m derivations check [--latex | --text] [--json] [--verbose] [--timeout S] ID ANSWER...
    python -m derivations check ID -                 # the answer from standard input
    python -m derivations check ID --file answer.tex # the answer from a file

Whatever stands in the answer position is the answer, even when it starts with ``-``
(``-w/(2λ)``, ``--help``): only the options before ``ID``, a known option after the answer's
first word, or anything after ``--`` are read as such. ``--help`` is help only on its own.
Exit status: 0 PROVED / NUMERICALLY EQUAL (checked and right), 1 REFUTED, 2 CANNOT CHECK or
a usage error (one line on stderr; with ``--json`` also a JSON error object on stdout).
The problem statement: ``docs/sheet11.md``; the ids: ``python -m derivations answers``.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentTypeError
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clitools import (
    EXIT_USAGE,
    Command,
    UsageError,
    did_you_mean,
    existing_file,
    positive_float,
)

PROG = "python -m derivations check"

#: The longest ``--timeout`` (also ``grade``'s), in seconds: an hour for one proof is far more
#: than any answer of the sheet needs; ``1e10`` would overflow the time limit's ``select``.
MAX_TIMEOUT = 3600.0
#: The default safety stop (seconds) of a check's symbolic work (:func:`derivations.checker.check`'s
#: default too): the work is bounded in steps, so this never fires for an answer of the sheet;
#: past it the answer is CANNOT CHECK, never accepted.
TIMEOUT = 60.0

HELP = f"""usage: {PROG} [--latex | --text] [--json] [--verbose] [--timeout S] ID ANSWER...
       {PROG} [options] ID -            (the answer from standard input)
       {PROG} [options] ID --file FILE  (the answer from a file)

Check an answer of exercise sheet 11 (docs/sheet11.md): PROVED, NUMERICALLY EQUAL,
REFUTED (with a counterexample and a diagnosis) or CANNOT CHECK.

positional arguments:
  ID            the answer id: 1a, 1b, 1c.z, 1c.x, 2a.i, 2a.ii, 2b.i, 2b.ii, 2b.i.R2,
                2b.ii.R2, 2b.i.general, 2b.ii.general, 3b
  ANSWER        the answer in text or LaTeX notation; several words are joined by spaces;
                everything here is the answer, even when it starts with '-'

options:
  --latex       read the answer as LaTeX (default: LaTeX if it contains a backslash)
  --text        read the answer as text
  --json        print the result as one JSON object (default: the verdict as text)
  --timeout S   a safety stop for the symbolic work, in seconds (default {TIMEOUT:g}; more
                than 0, at most {MAX_TIMEOUT:g}): the verdict never depends on it, except
                that a check stopped by it is CANNOT CHECK
  --file FILE   read the answer from FILE (UTF-8; default: the answer follows the ID)
  --verbose     also say how it was checked: the points compared, of which kind (always
                in the JSON's "message"; its "summary" is the short verdict line)
  --            what follows is the answer, whatever it looks like
  -h, --help    this help (only on its own)

Exit status: 0 proved or numerically equal, 1 refuted, 2 cannot check or bad usage."""

#: Options and whether they take a value.
OPTIONS = {"--latex": False, "--text": False, "--json": False, "--timeout": True, "--file": True,
           "--verbose": False}


@dataclass
class Arguments:
    """The parsed command line."""

    answer_id: str
    answer: str
    latex: bool | None = None
    json: bool = False
    timeout: float = TIMEOUT
    verbose: bool = False


def _option(argv: list[str], i: int, args: dict) -> int:
    """Read the option at ``argv[i]`` into ``args``; the index after it."""
    name, eq, value = argv[i].partition("=")
    if OPTIONS[name]:
        if not eq:
            if i + 1 >= len(argv):
                raise UsageError(f"{name} needs a value (see {PROG} --help)")
            value, i = argv[i + 1], i + 1
        args[name] = value
    elif eq:
        raise UsageError(f"{name} takes no value (see {PROG} --help)")
    else:
        args[name] = True
    return i + 1


def _is_option(word: str) -> bool:
    return word.partition("=")[0] in OPTIONS


def parse(argv: Sequence[str]) -> Arguments | None:
    """The arguments, or None for ``--help``; bad usage is a :class:`UsageError`.

    >>> parse(["1a", "--help"]).answer
    '--help'
    >>> a = parse(["--json", "1a", "-w/(2", "lambda)", "--timeout", "5"])
    >>> a.answer, a.json, a.timeout
    ('-w/(2 lambda)', True, 5.0)
    >>> parse(["1a", "w", "--", "--json"]).answer
    'w --json'
    """
    argv = list(argv)
    if argv in (["-h"], ["--help"]):
        return None
    opts: dict[str, object] = {}
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        if argv[i] == "--":
            i += 1
            break
        if argv[i] in ("-h", "--help"):
            raise UsageError(f"--help takes no other arguments (see {PROG} --help)")
        if not _is_option(argv[i]):
            raise UsageError(f"unknown option {argv[i]!r} before the id"
                             f"{did_you_mean(argv[i].partition('=')[0], OPTIONS)} (see {PROG} "
                             "--help)")
        i = _option(argv, i, opts)
    if i >= len(argv):
        raise UsageError(f"give an answer id and an answer (see {PROG} --help)")
    answer_id, i = argv[i], i + 1
    words: list[str] = []
    literal = False
    while i < len(argv):
        word = argv[i]
        if literal:
            words.append(word)
        elif word == "--":
            literal = True
        elif (words or word.partition("=")[0] == "--file") and _is_option(word):
            i = _option(argv, i, opts)  # an option after the answer's first word
            continue
        else:
            words.append(word)
        i += 1
    return _finish(answer_id, words, opts)


def _finish(answer_id: str, words: list[str], opts: dict) -> Arguments:
    if opts.get("--latex") and opts.get("--text"):
        raise UsageError(f"--latex and --text exclude each other (see {PROG} --help)")
    timeout = TIMEOUT
    if "--timeout" in opts:
        try:
            timeout = positive_float("--timeout", MAX_TIMEOUT)(str(opts["--timeout"]))
        except ArgumentTypeError as error:
            raise UsageError(str(error)) from None
    if "--file" in opts:
        if words:
            raise UsageError(f"give the answer either as ANSWER or with --file, not both "
                             f"(see {PROG} --help)")
        answer = _read(existing_file(str(opts["--file"]), "answer file"))
    elif words == ["-"]:
        answer = _read(None)
    elif not words:
        raise UsageError(f"no answer given for {answer_id} (see {PROG} --help)")
    else:
        answer = _utf8(" ".join(words))
    latex = True if opts.get("--latex") else False if opts.get("--text") else None
    return Arguments(answer_id, answer, latex, bool(opts.get("--json")), timeout,
                     bool(opts.get("--verbose")))


def _utf8(answer: str) -> str:
    """``answer`` as given on the command line, refused if it holds a byte that is not UTF-8
    (Python hands such a byte over as a lone surrogate, U+DC80 … U+DCFF): one clear message,
    as for a file that is not UTF-8, rather than a guess at what was meant.

    >>> _utf8("w/(2λ)")
    'w/(2λ)'
    >>> _utf8("w" + chr(0xDCFF))
    Traceback (most recent call last):
    clitools.usage.UsageError: the answer is not UTF-8 text: the byte 0xff at position 2
    """
    try:
        answer.encode("utf-8")
    except UnicodeEncodeError as error:
        ch = ord(answer[error.start])
        what = f"the byte 0x{ch - 0xDC00:02x}" if 0xDC80 <= ch <= 0xDCFF else f"U+{ch:04X}"
        raise UsageError(f"the answer is not UTF-8 text: {what} at position "
                         f"{error.start + 1}") from None
    return answer


def _read(path: Path | None) -> str:
    """The answer text of a file (``None``: standard input), UTF-8, surrounding space removed."""
    try:
        raw = sys.stdin.buffer.read() if path is None else path.read_bytes()
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise UsageError(f"{path or 'standard input'} is not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None


def read(argv: list[str]) -> Arguments | None:
    """:func:`parse`, printing :data:`HELP` for ``--help`` (then None: nothing to do)."""
    args = parse(argv)
    if args is None:
        print(HELP)
    return args


def body(args: Arguments) -> int:
    """The ``check`` command: print the result, return the exit status (0, 1 or 2)."""
    from derivations.checker.verdict import Verdict, answer_ids, check

    if args.answer_id not in answer_ids():
        raise UsageError(f"unknown answer id {args.answer_id!r} (the ids: "
                         f"{', '.join(answer_ids())})")
    result = check(args.answer_id, args.answer, latex=args.latex, timeout=args.timeout)
    cannot = result.verdict is Verdict.CANNOT_CHECK
    if args.json:
        print(result.to_json())
        if cannot:
            print(f"CANNOT CHECK: {result.message}", file=sys.stderr)
    else:
        print(result.report(args.verbose))  # every verdict on stdout, CANNOT CHECK included
    return result.exit_status


def _json_error(argv: list[str], error: UsageError) -> None:
    """With ``--json``, a usage error is also a JSON error object on stdout (the one line on
    stderr is :class:`clitools.Command`'s)."""
    if "--json" in argv:
        print(json.dumps({"error": str(error), "verdict": None, "exit": EXIT_USAGE},
                         ensure_ascii=False))


#: ``python -m derivations check``: usage errors, Ctrl-C and output nobody reads are
#: :class:`clitools.Command`'s.
COMMAND = Command(PROG, read, body, on_usage_error=_json_error)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``check`` command on ``argv``; the exit status (0, 1 or 2; 130 after Ctrl-C)."""
    return COMMAND.main(argv)


__all__ = ["COMMAND", "HELP", "MAX_TIMEOUT", "Arguments", "body", "main", "parse", "read"]
