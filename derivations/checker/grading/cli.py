"""``python -m derivations grade``: the command line (see :mod:`derivations.checker.grading`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

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
from derivations.checker.grading.text import shown


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


PROG = "python -m derivations grade"


def _parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Grade a whole class's answers of exercise sheet 11 in one run: every "
        "answer gets the verdict `python -m derivations check` gives it.",
        epilog="Exit status: 0 when every answer got a verdict (right, wrong or unreadable), "
        "2 for bad usage or an unreadable or empty file, 130 when interrupted (the output "
        "folder is then left as it was; the results so far are in DIR.journal.jsonl and "
        "--resume continues from there).")
    parser.add_argument("submissions", metavar="SUBMISSIONS", nargs="?",
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
    parser.add_argument("--points", "--assignment", dest="points", metavar="FILE",
                        help="the assignment, TOML or JSON: ids, default, points (id -> "
                        "points), partial, name, student_is; default: the sheet's questions "
                        "answered, 1 point each")
    parser.add_argument("--overrides", metavar="FILE",
                        help="a TA's decisions, CSV or TOML: student, id, points, answer_hash, "
                        "comment (kept outside DIR; applied on every run; default: none)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the results of DIR/grades.jsonl and DIR.journal.jsonl, "
                        "check only the other answers (default: check every answer)")
    parser.add_argument("--gradescope", action="store_true",
                        help="also write DIR/results.json for Gradescope (one student only; "
                        "default: not written)")
    parser.add_argument("--gradescope-bundle", metavar="PATH",
                        help="write a Gradescope autograder bundle (a folder, or a zip file "
                        "for a name ending in .zip) for the assignment, and grade nothing "
                        "(default: none)")
    parser.add_argument("--verbose", action="store_true",
                        help="the feedback and Gradescope also say how each answer was "
                        "compared (how many points of which kind)")
    parser.add_argument("--force", action="store_true",
                        help="replace DIR (or the bundle) even if it holds files this command "
                        "did not write or changed ones (they are deleted)")
    return parser


def _bundle(args: argparse.Namespace) -> int:
    from derivations.checker.grading.assignment import load_assignment
    from derivations.checker.grading.bundle import write_bundle

    if args.submissions is not None:
        raise UsageError("--gradescope-bundle writes the autograder and grades nothing; give "
                         "no SUBMISSIONS")
    assignment = load_assignment(args.points).resolve(None)
    written = write_bundle(args.gradescope_bundle, assignment, force=args.force,
                           verbose=args.verbose)
    print(f"wrote {written}: the Gradescope autograder for {', '.join(assignment.points)} "
          f"({assignment.total:g} points); upload it as the assignment's autograder")
    return 0


def body(args: argparse.Namespace) -> int:
    """The ``grade`` command's work; returns the exit status (0)."""
    if args.gradescope_bundle is not None:
        return _bundle(args)
    if args.submissions is None:
        raise UsageError(f"give the SUBMISSIONS file (see {PROG} --help)")
    from derivations.checker.grading.assignment import load_assignment
    from derivations.checker.grading.grades import load_done
    from derivations.checker.grading.gradescope import one_student
    from derivations.checker.grading.journal import check_journal, journal_path, read_journal
    from derivations.checker.grading.overrides import load_overrides
    from derivations.checker.grading.submissions import load_submissions

    out = check_replaceable(args.out, PROG, args.force)
    journal_file = journal_path(out)
    check_journal(journal_file)
    assignment_file = load_assignment(args.points)
    submissions = load_submissions(args.submissions)
    assignment = assignment_file.resolve(s.answer_id for s in submissions)
    overrides = load_overrides(args.overrides, assignment.points, out)
    if args.gradescope:
        one_student(list(dict.fromkeys(s.student for s in submissions if s.student)))
    done = load_done(out) if args.resume else None
    if not args.resume and journal_file.is_file():
        left = len(read_journal(journal_file))
        if left:
            print(f"{PROG}: an interrupted run left {left} results in "
                  f"{_as_typed(args, journal_file)}; this run starts again without them "
                  f"(--resume keeps them)", file=sys.stderr)
    if args.resume:
        done.update(read_journal(journal_file))
        sources = [_as_typed(args, p) for p in (out / "grades.jsonl", journal_file)
                   if p.is_file()]
        if len(done):
            print(f"{PROG}: --resume: {len(done)} results kept from {' and '.join(sources)}",
                  file=sys.stderr)
        else:
            print(f"{PROG}: --resume: no {_as_typed(args, out / 'grades.jsonl')} or "
                  f"{_as_typed(args, journal_file)} yet; "
                  f"grading every answer", file=sys.stderr)
    return _grade(args, out, journal_file, submissions, assignment, overrides, done)


def _as_typed(args: argparse.Namespace, path: Path) -> str:
    """``path`` (the output folder's journal or ``grades.jsonl``) as the user named the
    folder: ``grades.journal.jsonl`` for ``--out grades``, escaped."""
    out = Path(args.out)
    resolved = Path(args.out).resolve()
    shown_path = (out.parent / path.name if path.parent == resolved.parent
                  else out / path.name if path.parent == resolved else path)
    return shown(str(shown_path))


def _grade(args, out: Path, journal_file: Path, submissions, assignment, overrides,
           done) -> int:
    from derivations.checker.grading.grades import grade
    from derivations.checker.grading.journal import Journal
    from derivations.checker.grading.outputs import write_outputs
    from derivations.checker.grading.summary import summary_markdown

    with Journal(journal_file, resume=args.resume) as journal:
        try:
            grading = grade(submissions, jobs=args.jobs, timeout=args.timeout,
                            assignment=assignment, done=done, journal=journal,
                            overrides=overrides)
        except KeyboardInterrupt:
            journal.close()
            print(f"{PROG}: {journal.lines} new results are kept in "
                  f"{_as_typed(args, journal_file)}; run again with --resume to go on from "
                  f"there", file=sys.stderr)
            raise
    if journal.failed is not None:
        print(f"{PROG}: warning: the journal {_as_typed(args, journal_file)} could not be "
              f"written "
              f"({journal.failed}); the results are complete, but --resume will not find "
              f"them before the outputs are written", file=sys.stderr)
    summary = summary_markdown(grading)
    try:
        with replaced_folder(out, PROG, args.force) as folder:
            written = write_outputs(folder, grading, summary, args.gradescope, args.verbose)
    except OSError as error:
        raise UsageError(f"cannot write {shown(args.out)}: {error.strerror or error}; it was "
                         f"left as it was, and the results are kept in "
                         f"{_as_typed(args, journal_file)} for "
                         f"--resume") from None
    journal.remove()
    print(summary, end="")
    rate = len(grading.rows) / max(grading.seconds, 1e-9)
    print(f"\nwrote {shown(args.out)}/: {', '.join(written)}; {len(grading.rows)} answers in "
          f"{grading.seconds:.1f} s ({rate:.0f} answers/s)")
    return 0


#: ``python -m derivations grade``.
COMMAND = Command(PROG, argparse_reader(_parser), body, input_errors=(GradingInputError,))


def main(argv: Sequence[str] | None = None) -> int:
    """The ``grade`` command on ``argv``; returns the exit status (0, 2, or 130)."""
    return COMMAND.main(argv)
