"""The Gradescope autograder's program: one student's submission checked, ``results.json``
written (what the bundle's ``run_autograder`` runs, :mod:`~.bundle`).

    python -m derivations.checker.grading.autograder --submission DIR --results DIR
        --assignment FILE [--metadata FILE] [--timeout S] [--verbose]

Gradescope puts the student's upload in ``/autograder/submission/`` and reads
``/autograder/results/results.json``. The upload is one file of answers, CSV with the
columns ``id,answer`` (and optionally ``format``; a ``student`` column is ignored) or JSON
lines with those fields — named ``answers.csv``/``answers.jsonl`` or the only such file
there. The student is named by Gradescope's ``submission_metadata.json`` (their email, else
their name). Whatever goes wrong with the upload (no file, two files, not CSV or JSON), the
student gets a ``results.json`` that says so, with 0 points, and the program exits 0, so
that Gradescope shows the message instead of a failed autograder.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from clitools import Command, Parser, argparse_reader, integer_at_least, positive_float
from derivations.checker.cli import MAX_TIMEOUT
from derivations.checker.grading.errors import GradingInputError

PROG = "python -m derivations.checker.grading.autograder"

#: The kinds of file a submission may be, by extension.
SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json")


def _parser() -> Parser:
    parser = Parser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--submission", type=Path, required=True, metavar="DIR",
                        help="the folder of the student's upload (/autograder/submission)")
    parser.add_argument("--results", type=Path, required=True, metavar="DIR",
                        help="where results.json goes (/autograder/results)")
    parser.add_argument("--assignment", type=Path, required=True, metavar="FILE",
                        help="the assignment file (the bundle's assignment.json)")
    parser.add_argument("--metadata", type=Path, metavar="FILE",
                        help="Gradescope's submission_metadata.json (names the student)")
    parser.add_argument("--timeout", type=positive_float("--timeout", MAX_TIMEOUT),
                        default=3.0, metavar="S", help="seconds for each symbolic proof (3)")
    parser.add_argument("--jobs", type=integer_at_least(1, "--jobs"), default=1, metavar="N",
                        help="worker processes (1)")
    parser.add_argument("--verbose", action="store_true",
                        help="say how each answer was compared")
    return parser


class UploadError(GradingInputError):
    """The student's upload is not one file of answers this program reads."""


def submission_file(folder: Path) -> Path:
    """The file of answers in the upload ``folder`` (see the module docstring)."""
    if not folder.is_dir():
        raise UploadError(f"no submission folder {folder}")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(folder).parts))
    usable = [p for p in files if p.suffix.lower() in SUFFIXES]
    named = [p for p in usable if p.stem.lower() == "answers"]
    if len(named) == 1:
        return named[0]
    if len(usable) == 1:
        return usable[0]
    seen = ", ".join(p.name for p in files[:5]) or "no file"
    raise UploadError(f"upload one file of answers, answers.csv (columns id,answer and "
                      f"optionally format) or answers.jsonl; found {seen}")


def student_name(metadata: Path | None) -> str:
    """The student of Gradescope's metadata (first user's email, else name), else
    ``student``."""
    try:
        users = json.loads(metadata.read_text(encoding="utf-8"))["users"] if metadata else []
        user = users[0]
        return str(user.get("email") or user.get("name") or "student")
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return "student"


def _message_results(message: str) -> dict[str, Any]:
    return {"score": 0.0, "output": message, "output_format": "text",
            "visibility": "visible", "stdout_visibility": "hidden", "tests": []}


def results_for(args: argparse.Namespace) -> dict[str, Any]:
    """``results.json`` of the upload: the grading, or a message on what is wrong with it."""
    from clitools import Progress
    from derivations.checker.grading.assignment import load_assignment
    from derivations.checker.grading.grades import grade
    from derivations.checker.grading.gradescope import gradescope_results
    from derivations.checker.grading.submissions import read_submissions

    assignment = load_assignment(args.assignment).resolve(None)
    try:
        file = submission_file(args.submission)
        rows = read_submissions(file.read_bytes(), file.name, student=student_name(
            args.metadata))
    except (GradingInputError, OSError) as error:
        return _message_results(f"Your submission could not be read: {error}")
    grading = grade(rows, jobs=args.jobs, timeout=args.timeout, assignment=assignment,
                    progress=Progress(len(rows), "answers", "grading", every=3600.0))
    return gradescope_results(grading, args.verbose)


def body(args: argparse.Namespace) -> int:
    """Write ``results.json``; the exit status (0)."""
    from derivations.checker.grading.assignment import load_assignment
    from derivations.checker.grading.text import json_text

    load_assignment(args.assignment)  # a broken bundle: exit 2, before any work
    results = results_for(args)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "results.json").write_text(json_text(results, indent=2) + "\n",
                                               encoding="utf-8")
    print(results["output"])
    return 0


#: The autograder's command.
COMMAND = Command(PROG, argparse_reader(_parser), body, input_errors=(GradingInputError,))


def main(argv: list[str] | None = None) -> int:
    """The autograder on ``argv``; the exit status."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
