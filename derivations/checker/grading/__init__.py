"""``python -m derivations grade``: a whole class's answers checked in one process.

    python -m derivations grade SUBMISSIONS [--out DIR] [--jobs N] [--timeout S]
                                [--points FILE] [--resume] [--gradescope] [--force]

SUBMISSIONS is a CSV file (columns ``student,id,answer`` and optionally ``format`` = text |
latex, in any order and case, other columns ignored) or JSON lines with the same fields;
``-`` reads standard input. Every answer gets exactly the verdict ``python -m derivations
check ID ANSWER`` gives it (:func:`derivations.checker.check`), but the start-up is paid
once, an answer that occurs several times (same id, same answer up to whitespace, same
format) is checked once, and the checks run on a pool of worker processes.

The outputs, written to ``DIR`` as a whole or not at all (:func:`clitools.replaced_folder`):

- ``grades.csv`` — one row per answer read, in the order read:
  ``student,id,answer,verdict,exit,points,feedback,counterexample``; a text cell that a
  spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return: ``-w/(2λ)``, ``=HYPERLINK(…)``) gets a leading ``'`` (OWASP's defence
  against CSV injection), so it is shown and never run; ``grades.jsonl`` keeps every
  answer verbatim;
- ``grades.jsonl`` — per answer, the object ``check --json`` prints, plus ``student``,
  ``line`` (where the answer starts in SUBMISSIONS), ``format``, ``exit``, ``score``,
  ``max_score`` and ``origin`` (checked, reused, resumed, or unread for a row that could not
  be read);
- ``summary.md`` — per id the right / wrong / unreadable counts and the wrong answers
  grouped by diagnosis (also printed);
- ``feedback/STUDENT.md`` — per student what is right, and for each wrong answer the
  diagnosis and the counterexample;
- ``results.json`` with ``--gradescope`` — Gradescope's autograder results of one student.

The parts, in the order a run uses them: :func:`read_submissions` (rows → :class:`Submission`,
a malformed row kept with its ``problem``), :func:`load_points` (→ :class:`Points`),
:func:`grade` (→ :class:`Grading`, running :class:`CheckPool`), and the writers
:func:`grades_csv`, :func:`grades_jsonl`, :func:`summary_markdown`,
:func:`feedback_markdown`, :func:`gradescope_results`, :func:`write_outputs`.

>>> rows = read_submissions(b"student,id,answer\\nada,1a,w/(2 lambda)\\nbob,1a,w/lambda\\n")
>>> [(s.line, s.student, s.answer_id, s.answer) for s in rows]
[(2, 'ada', '1a', 'w/(2 lambda)'), (3, 'bob', '1a', 'w/lambda')]
>>> graded = grade(rows, jobs=1)
>>> [(g.verdict, g.exit_status, g.score, g.feedback) for g in graded.rows]
[('PROVED', 0, 1.0, ''), ('REFUTED', 1, 0.0, 'your answer is 2× the expected one')]
"""

from derivations.checker.grading.assignment import (
    Assignment,
    AssignmentFile,
    load_assignment,
    parse_assignment,
)
from derivations.checker.grading.cli import main
from derivations.checker.grading.grades import Graded, Grading, grade, load_done
from derivations.checker.grading.outputs import (
    feedback_markdown,
    grades_csv,
    grades_jsonl,
    gradescope_results,
    summary_markdown,
    write_outputs,
)
from derivations.checker.grading.submissions import (
    Submission,
    load_submissions,
    normalized,
    read_submissions,
)

__all__ = [
    "Graded",
    "Grading",
    "Assignment",
    "AssignmentFile",
    "Submission",
    "feedback_markdown",
    "grade",
    "gradescope_results",
    "grades_csv",
    "grades_jsonl",
    "load_done",
    "load_assignment",
    "load_submissions",
    "main",
    "normalized",
    "parse_assignment",
    "read_submissions",
    "summary_markdown",
    "write_outputs",
]
