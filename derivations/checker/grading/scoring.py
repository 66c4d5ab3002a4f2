"""Points: the last answer of an id stands, the assignment scores it, a TA's decision goes on
top.

- A student who answers an id twice is graded on the last answer read; the earlier one is
  *superseded* (``grades.csv``'s ``superseded_by`` column: the line of the answer that
  replaces it) and counts nowhere: not in the totals, not in the summary's counts and
  means, not in the feedback's Right/Wrong lists, not on Gradescope.
- Each student gets a :class:`~.graded.Mark` for every id that counts in the assignment:
  the standing answer (or none: a blank, 0 points), its points
  (:meth:`~.assignment.Assignment.score`), and the TA's decision
  (:mod:`~.overrides`) if one was made for that very answer (same hash). A decision for an
  answer that has changed since is kept on the mark as *stale*: flagged, not applied.

>>> from derivations.checker.grading.assignment import Assignment
>>> from derivations.checker.grading.graded import Graded, Grading, Mark
>>> from derivations.checker.grading.submissions import Submission
>>> rows = [Graded(Submission(2, "ada", "1a", "w/lambda"), {"verdict": "REFUTED"}, "checked"),
...         Graded(Submission(3, "ada", "1a", "w/(2 lambda)"), {"verdict": "PROVED"}, "checked")]
>>> g = Grading(rows, Assignment({"1a": 1.0, "1b": 2.0}))
>>> score(g)
>>> [(r.superseded_by, r.score) for r in g.rows], g.total("ada")
([(3, 0.0), (None, 1.0)], 1.0)
>>> g.marks[("ada", "1b")].graded is None
True
"""

from __future__ import annotations

from collections.abc import Sequence

from derivations.checker.grading.graded import Graded, Grading, Mark
from derivations.checker.grading.overrides import Override


def mark_superseded(rows: Sequence[Graded]) -> None:
    """Set ``superseded_by`` on every answer a later one of the same student and id replaces
    (rows without a student or with an unknown id stand alone)."""
    last: dict[tuple[str, str], Graded] = {}
    for g in rows:
        s = g.submission
        if not s.student or not s.answer_id:
            continue
        earlier = last.get((s.student, s.answer_id))
        if earlier is not None:
            earlier.superseded_by = s.line
        last[(s.student, s.answer_id)] = g
        g.superseded_by = None


def score(grading: Grading, overrides: Sequence[Override] = ()) -> None:
    """Mark superseded answers, score every row, make every student's :class:`Mark`s and
    apply the TA's decisions (those that fit no answer go to ``unused_overrides``)."""
    a = grading.assignment
    mark_superseded(grading.rows)
    standing: dict[tuple[str, str], Graded] = {}
    for g in grading.rows:
        s = g.submission
        g.max_score = a.max_for(s.answer_id)
        g.checker_score = a.score(s.answer_id, g.result) if g.superseded_by is None else 0.0
        g.score = g.checker_score
        g.override = g.stale_override = None
        if g.superseded_by is None and s.student:
            standing[(s.student, s.answer_id)] = g
    students = grading.students()
    grading.marks = {}
    for student in students:
        for answer_id in a.graded_ids():
            g = standing.get((student, answer_id))
            grading.marks[(student, answer_id)] = Mark(
                student, answer_id, g, g.score if g else 0.0, a.max_for(answer_id))
    grading.unused_overrides = []
    known = set(students)
    for o in overrides:
        mark = grading.marks.get((o.student, o.answer_id))
        if o.student not in known or mark is None:
            grading.unused_overrides.append((o, "no such student in the submissions"))
            continue
        g = mark.graded
        if (g.submission.hash if g else "") != o.answer_hash:
            mark.stale = o
            if g is not None:
                g.stale_override = o
            why = ("the student no longer answers it" if g is None else
                   f"the answer changed since (now line {g.submission.line}, hash "
                   f"{g.submission.hash})")
            grading.unused_overrides.append((o, why))
            continue
        mark.override, mark.points = o, o.points
        if g is not None:
            g.override, g.score = o, o.points


__all__ = ["mark_superseded", "score"]
