"""``python -m derivations grade``: the command line (see :mod:`derivations.checker.grading`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from clitools import (
    Command,
    Parser,
    UsageError,
    argparse_reader,
    check_replaceable,
    integer_at_least,
    positive_float,
    replaced_folder,
)
from derivations.checker.cli import MAX_TIMEOUT
from derivations.checker.grading.errors import GradingInputError
from derivations.checker.grading.grades import grade, load_done
from derivations.checker.grading.outputs import PROG, one_student, summary_markdown, write_outputs
from derivations.checker.grading.points import load_points
from derivations.checker.grading.submissions import load_submissions


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Grade a whole class's answers of exercise sheet 11 in one run: every "
        "answer gets the verdict `python -m derivations check` gives it.",
        epilog="Exit status: 0 when every answer got a verdict (right, wrong or unreadable), "
        "2 for bad usage or an unreadable or empty file, 130 when interrupted (the output "
        "folder is then left as it was).")
    parser.add_argument("submissions", metavar="SUBMISSIONS",
                        help="CSV (student,id,answer[,format]) or JSON lines; - for stdin")
    parser.add_argument("--out", default="grades", metavar="DIR",
                        help="output folder, replaced as a whole; refused if it holds files "
                        "this command did not write or that were changed since, unless --force "
                        "(default: grades)")
    parser.add_argument("--jobs", type=integer_at_least(1, "--jobs"), default=cores(),
                        metavar="N", help=f"worker processes (default: all {cores()} cores)")
    parser.add_argument("--timeout", type=positive_float("--timeout", MAX_TIMEOUT),
                        default=3.0, metavar="S", help="seconds for each symbolic proof, as "
                        f"check --timeout (default 3, at most {MAX_TIMEOUT:g}); a whole check "
                        "is stopped after 3 S + 20 s")
    parser.add_argument("--points", metavar="FILE",
                        help="TOML or JSON: default, points (id -> points), partial (share "
                        "for 'right only on part of the domain') (default: 1 point per id)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the results in DIR/grades.jsonl, check only new answers "
                        "(default: check every answer)")
    parser.add_argument("--gradescope", action="store_true",
                        help="also write DIR/results.json for Gradescope (one student only; "
                        "default: not written)")
    parser.add_argument("--force", action="store_true",
                        help="replace DIR even if it holds files this command did not write or "
                        "changed ones (they are deleted)")
    return parser


def body(args: argparse.Namespace) -> int:
    """The ``grade`` command's work; returns the exit status (0)."""
    out = check_replaceable(args.out, PROG, args.force)
    points = load_points(args.points)
    submissions = load_submissions(args.submissions)
    if args.gradescope:
        one_student(list(dict.fromkeys(s.student for s in submissions if s.student)))
    done = load_done(out) if args.resume else {}
    if args.resume and not (out / "grades.jsonl").is_file():
        print(f"{PROG}: --resume: no {out / 'grades.jsonl'} yet; grading every answer",
              file=sys.stderr)
    grading = grade(submissions, jobs=args.jobs, timeout=args.timeout, points=points,
                    done=done)
    summary = summary_markdown(grading)
    try:
        with replaced_folder(out, PROG, args.force) as folder:
            written = write_outputs(folder, grading, summary, args.gradescope)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}; it was left as "
                         f"it was") from None
    print(summary, end="")
    rate = len(grading.rows) / max(grading.seconds, 1e-9)
    print(f"\nwrote {out}/: {', '.join(written)}; {len(grading.rows)} answers in "
          f"{grading.seconds:.1f} s ({rate:.0f} answers/s)")
    return 0


#: ``python -m derivations grade``.
COMMAND = Command(PROG, argparse_reader(_parser), body, input_errors=(GradingInputError,))


def main(argv: Sequence[str] | None = None) -> int:
    """The ``grade`` command on ``argv``; returns the exit status (0, 2, or 130)."""
    return COMMAND.main(argv)
