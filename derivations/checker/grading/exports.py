"""Per-student totals in the CSV columns a gradebook imports: Canvas and Moodle.

Both hold one row per student with the points of the ids that count (the TA's decisions
included), in a column named after the assignment (the assignment file's ``name``,
default ``Sheet 11``). What identifies the student is the submissions' ``student`` column;
the assignment file's ``student_is`` says what it holds (``login``, ``email`` or
``sis_id``), and so which column it goes in:

- ``canvas.csv`` — Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID,
  Section, <assignment>``. Canvas matches a row by its ID, SIS User ID or SIS Login ID:
  ``sis_id`` fills SIS User ID, ``login`` and ``email`` fill SIS Login ID (where logins are
  email addresses); ``Student`` repeats the identifier, ``ID`` and ``Section`` stay empty.
  A column named like an existing assignment (Canvas exports it as ``Name (12345)``)
  updates it; another name makes a new assignment.
- ``moodle.csv`` — Moodle's "Import grades from CSV file": an identifier column
  (``Username``, ``Email address`` or ``ID number``, which Moodle maps to the user field of
  that name under "Identify user by") and the grade column (mapped to a grade item).

Every cell goes through :func:`~.text.cell` (escaped, never a formula).

>>> from derivations.checker.grading.assignment import Assignment
>>> from derivations.checker.grading.graded import Grading
>>> from derivations.checker.grading.graded import Mark
>>> g = Grading([], Assignment({"1a": 2.0}, name="HW 11"))
>>> g.marks = {("ada", "1a"): Mark("ada", "1a", None, 1.5, 2.0)}
>>> print(canvas_csv(g, ["ada"]), end="")
Student,ID,SIS User ID,SIS Login ID,Section,HW 11
ada,,,ada,,1.5
>>> print(moodle_csv(g, ["ada"]), end="")
Username,HW 11
ada,1.5
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from derivations.checker.grading.graded import Grading
from derivations.checker.grading.text import cell, points_text

#: Canvas's gradebook columns before the assignment's.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")

#: Moodle's identifier column for each kind of ``student`` value.
MOODLE_IDENTIFIER = {"login": "Username", "email": "Email address", "sis_id": "ID number"}


def _csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def canvas_csv(grading: Grading, students: Sequence[str]) -> str:
    """``canvas.csv``: a row per student of ``students`` (see the module docstring)."""
    a = grading.assignment
    rows = [[*CANVAS_COLUMNS, cell(a.name)]]
    for s in students:
        sis_user, sis_login = (s, "") if a.student_is == "sis_id" else ("", s)
        rows.append([cell(s), "", cell(sis_user), cell(sis_login), "",
                     points_text(grading.total(s))])
    return _csv(rows)


def moodle_csv(grading: Grading, students: Sequence[str]) -> str:
    """``moodle.csv``: a row per student of ``students`` (see the module docstring)."""
    a = grading.assignment
    rows = [[MOODLE_IDENTIFIER[a.student_is], cell(a.name)]]
    rows += [[cell(s), points_text(grading.total(s))] for s in students]
    return _csv(rows)


__all__ = ["CANVAS_COLUMNS", "MOODLE_IDENTIFIER", "canvas_csv", "moodle_csv"]
