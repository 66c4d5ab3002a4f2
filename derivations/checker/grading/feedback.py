"""``feedback/STUDENT.md``: one student's points and, per answer, what the checker found.

The points first (of the ids that count); then the standing answers (the last one per id)
under Right, Partly right, Wrong and Could not be checked — each with a short verdict line,
the answer as typed and as read, every reading note, the diagnosis and counterexample, and
the TA's decision (:mod:`~.messages`); then the earlier answers that a later one replaced,
the ids that count but were not answered, and the answers to ids that do not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from derivations import answers as sheet
from derivations.checker.grading.assignment import Assignment
from derivations.checker.grading.graded import Graded, Grading
from derivations.checker.grading.messages import markdown_lines, verdict_line
from derivations.checker.grading.text import code, one_line, points_text, points_word

#: The sections of the feedback, by :attr:`~.grades.Graded.kind`.
SECTIONS = (("right", "Right"), ("partly right", "Partly right"), ("wrong", "Wrong"),
            ("unreadable", "Could not be checked"))


def feedback_names(students: Iterable[str]) -> dict[str, str]:
    """A file name (without ``.md``) per student: letters, digits and ``.-_@+`` kept, other
    characters ``_``, at most 100 bytes, unique even where case does not count.

    >>> list(feedback_names(["Zoë Müller", "../etc/passwd", "ada", "ADA", ""]).values())
    ['Zoë_Müller', 'etc_passwd', 'ada', 'ADA-2', 'student']
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in students:
        if student in names:
            continue
        stem = "".join(c if c.isalnum() or c in "-_.@+" else "_"
                       for c in unicodedata.normalize("NFC", student))
        stem = re.sub(r"_+", "_", stem).strip("._-") or "student"
        while len(stem.encode("utf-8", "surrogatepass")) > 100:
            stem = stem[:-1]
        name, n = stem, 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name.casefold())
        names[student] = name
    return names


def question(answer_id: str) -> str:
    """The question of ``answer_id`` in one line (or that the sheet has no such id)."""
    try:
        return sheet.spec(answer_id).question
    except KeyError:
        return "not an id of the sheet"


def _answer(g: Graded, verbose: bool) -> list[str]:
    s = g.submission
    where = f" (line {s.line} of the submissions)" if g.origin == "unread" else ""
    lines = markdown_lines(g, verbose)
    while lines and not lines[-1]:
        lines.pop()
    return [f"### {s.answer_id or '(no id)'}: {verdict_line(g)}", "",
            f"{question(s.answer_id)}{where}", "", *lines, ""]


def _listed(a: Assignment, g: Graded) -> bool:
    """Whether ``g`` goes under the graded sections: its id counts, or it is a row that
    names no id of the sheet (it could not be checked)."""
    return a.counts(g.submission.answer_id) or g.submission.answer_id not in sheet.QUESTIONS


def feedback_markdown(grading: Grading, student: str, verbose: bool = False) -> str:
    """``feedback/STUDENT.md`` of ``student`` (see the module docstring)."""
    a = grading.assignment
    mine = [g for g in grading.rows if g.submission.student == student]
    standing = [g for g in mine if g.superseded_by is None and _listed(a, g)]
    lines = [f"# Feedback for {one_line(student) or '(no name)'}", "",
             f"Points: {points_text(grading.total(student))} of {points_text(a.total)} "
             f"({one_line(a.name)}).", ""]
    for kind, title in SECTIONS:
        members = [g for g in standing if g.kind == kind]
        if members:
            lines += [f"## {title} ({len(members)})", ""]
            for g in members:
                lines += _answer(g, verbose)
    earlier = [g for g in mine if g.superseded_by is not None]
    if earlier:
        lines += ["## Replaced by a later answer (not graded)", ""]
        lines += [f"- **{g.submission.answer_id}** on line {g.submission.line}: "
                  f"{code(g.submission.answer)}, replaced by your answer on line "
                  f"{g.superseded_by}" for g in earlier]
        lines.append("")
    blank = [m for (s, _), m in grading.marks.items() if s == student and m.graded is None]
    if blank:
        lines += ["## Not answered", ""]
        for m in blank:
            lines.append(f"- **{m.answer_id}** ({points_text(m.points)} of "
                         f"{points_text(m.max_points)} points): "
                         f"{question(m.answer_id)}")
            if m.override is not None:
                why = f": {one_line(m.override.comment)}" if m.override.comment else ""
                lines.append(f"  - TA's decision: {points_word(m.override.points)}{why}")
        lines.append("")
    other = [g for g in mine if g.superseded_by is None and not _listed(a, g)]
    if other:
        lines += ["## Not counted in this assignment", ""]
        for g in other:
            lines += _answer(g, verbose)
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["SECTIONS", "feedback_markdown", "feedback_names", "question"]
