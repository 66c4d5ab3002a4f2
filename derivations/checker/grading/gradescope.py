"""Gradescope's ``results.json`` for one student's submission (``--gradescope``, and the
autograder bundle's :mod:`~.autograder`).

One test per id that counts, in the sheet's order, with ``name``, ``number``, ``score``,
``max_score``, ``status`` (``passed`` for a right answer), ``visibility`` and an ``output``
in plain text (:func:`~.messages.text_lines`): the short verdict line first, then the answer
as typed and as read, every reading note, the diagnosis, the counterexample and the TA's
decision; how it was checked only with ``verbose``. An id not answered is a failed test
with 0 points (or the TA's points for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from derivations.checker.grading.errors import GradescopeError
from derivations.checker.grading.feedback import question
from derivations.checker.grading.graded import Grading
from derivations.checker.grading.messages import text_lines, verdict_line
from derivations.checker.grading.text import one_line, points_text, points_word, shown

PROG = "python -m derivations grade"


def one_student(students: Sequence[str]) -> None:
    """A :class:`~.errors.GradescopeError` unless ``students`` holds at most one (for
    ``--gradescope``)."""
    if len(students) > 1:
        names = ", ".join(shown(s) for s in students[:3]) + (", …" if len(students) > 3 else "")
        raise GradescopeError(f"--gradescope grades one student's submission; the file holds "
                              f"{len(students)} students ({names})")


def _test(grading: Grading, student: str | None, answer_id: str,
          verbose: bool) -> dict[str, Any]:
    mark = grading.marks.get((student, answer_id)) if student is not None else None
    top = grading.assignment.max_for(answer_id)
    g = mark.graded if mark is not None else None
    if g is None:
        points = mark.points if mark is not None else 0.0
        output = f"not answered, {points_text(points)} of {points_text(top)} points"
        if mark is not None and mark.override is not None:
            comment = f": {mark.override.comment}" if mark.override.comment else ""
            output += f"\nTA's decision: {points_word(points)}{one_line(comment)}"
        status, score = "failed", points
    else:
        output = "\n".join([verdict_line(g), *text_lines(g, verbose)])
        status, score = ("passed" if g.exit_status == 0 else "failed"), g.score
    return {"name": f"{answer_id}: {question(answer_id)}", "number": answer_id,
            "score": float(score), "max_score": float(top), "status": status,
            "output": output, "visibility": "visible"}


def gradescope_results(grading: Grading, verbose: bool = False) -> dict[str, Any]:
    """Gradescope's ``results.json`` for a one-student class (a
    :class:`~.errors.GradescopeError` if the submissions hold several students)."""
    students = grading.students()
    one_student(students)
    student = students[0] if students else None
    tests = [_test(grading, student, i, verbose) for i in grading.assignment.graded_ids()]
    score = sum(t["score"] for t in tests)
    top = grading.assignment.total
    unread = [g for g in grading.rows if g.origin == "unread"]
    notes = [f"{len(unread)} row(s) of the submission could not be read: "
             + "; ".join(one_line(g.feedback) for g in unread[:3])] if unread else []
    return {"score": float(score),
            "output": "\n".join([f"{points_text(score)} of {points_text(top)} points "
                                 f"(checked by {PROG})", *notes]),
            "output_format": "text",
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": tests}


__all__ = ["PROG", "gradescope_results", "one_student"]
