"""``python -m derivations grade``: a whole class's answers checked in one process, scored by
an assignment, reviewed, overridden, regraded and exported.

    python -m derivations grade SUBMISSIONS [--out DIR] [--jobs N] [--timeout S]
                                [--points FILE] [--overrides FILE] [--resume]
                                [--gradescope] [--verbose] [--force]
    python -m derivations grade --gradescope-bundle PATH [--points FILE]

SUBMISSIONS is a CSV file (columns ``student,id,answer`` and optionally ``format`` = text |
latex, in any order and case, other columns ignored) or JSON lines with the same fields;
``-`` reads standard input. Every answer gets exactly the verdict ``python -m derivations
check ID ANSWER`` gives it (:func:`derivations.checker.check`), but the start-up is paid
once, an answer that occurs several times (same id, same answer up to whitespace, same
format) is checked once, and the checks run on a pool of worker processes.

The parts, in the order a run uses them:

- :mod:`~.submissions` — the rows (:class:`Submission`; a row that cannot be read keeps the
  reason, and becomes a CANNOT CHECK row with its line number);
- :mod:`~.assignment` — which ids count and their points (:class:`AssignmentFile`,
  :class:`Assignment`; by default the sheet's questions that the submissions answer);
- :mod:`~.grades` with :mod:`~.pool` and :mod:`~.journal` — :func:`grade`: the checks, each
  result journaled as it finishes (``DIR.journal.jsonl``, for ``--resume``), and
  :mod:`~.measure` (partial credit only for an answer right on a region of positive measure);
- :mod:`~.scoring` with :mod:`~.overrides` — the last answer of an id stands, every student
  gets a :class:`Mark` per id that counts, a TA's decision goes on top (flagged where the
  answer changed since);
- the writers — :mod:`~.outputs` (``grades.csv``, ``grades.jsonl``), :mod:`~.summary`
  (``summary.md``), :mod:`~.feedback` with :mod:`~.messages` (``feedback/STUDENT.md``),
  :mod:`~.exports` (``canvas.csv``, ``moodle.csv``), :mod:`~.gradescope`
  (``results.json``), :mod:`~.bundle` and :mod:`~.autograder` (a Gradescope autograder);
  every text a student typed shown escaped (:mod:`~.text`).

>>> rows = read_submissions(b"student,id,answer\\nada,1a,w/(2 lambda)\\nbob,1a,w/lambda\\n")
>>> [(s.line, s.student, s.answer_id, s.answer) for s in rows]
[(2, 'ada', '1a', 'w/(2 lambda)'), (3, 'bob', '1a', 'w/lambda')]
>>> graded = grade(rows, jobs=1)
>>> [(g.verdict, g.exit_status, g.score, g.feedback) for g in graded.rows]
[('PROVED', 0, 1.0, ''), ('REFUTED', 1, 0.0, 'your answer is 2× the expected one')]
>>> list(graded.assignment.points), graded.total("ada")
(['1a'], 1.0)
"""

from derivations.checker.grading.assignment import (
    Assignment,
    AssignmentFile,
    load_assignment,
    parse_assignment,
    question_ids,
)
from derivations.checker.grading.cli import main
from derivations.checker.grading.exports import canvas_csv, moodle_csv
from derivations.checker.grading.feedback import feedback_markdown
from derivations.checker.grading.graded import Graded, Grading, Mark
from derivations.checker.grading.grades import grade, load_done
from derivations.checker.grading.gradescope import gradescope_results
from derivations.checker.grading.journal import Journal, journal_path, read_journal
from derivations.checker.grading.outputs import grades_csv, grades_jsonl, write_outputs
from derivations.checker.grading.overrides import Override, load_overrides, parse_overrides
from derivations.checker.grading.scoring import score
from derivations.checker.grading.submissions import (
    Submission,
    answer_hash,
    load_submissions,
    normalized,
    read_submissions,
)
from derivations.checker.grading.summary import summary_markdown

__all__ = [
    "Assignment",
    "AssignmentFile",
    "Graded",
    "Grading",
    "Journal",
    "Mark",
    "Override",
    "Submission",
    "answer_hash",
    "canvas_csv",
    "feedback_markdown",
    "grade",
    "gradescope_results",
    "grades_csv",
    "grades_jsonl",
    "journal_path",
    "load_assignment",
    "load_done",
    "load_overrides",
    "load_submissions",
    "main",
    "moodle_csv",
    "normalized",
    "parse_assignment",
    "parse_overrides",
    "question_ids",
    "read_journal",
    "read_submissions",
    "score",
    "summary_markdown",
    "write_outputs",
]
