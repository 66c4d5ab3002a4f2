"""``summary.md`` (also printed): what a TA reviews after a grading run.

Per id: the points, the standing answers (a student's last one; earlier ones are counted
apart as superseded) split into right / partly right / wrong / unreadable, the students who
left it blank, and two means, each labelled: over the class (a blank counts 0) and over
the answers given. Then, per id, the wrong answers grouped by diagnosis (each spelling with
how the checker read it) and every reading note the checker gave; the TA's decisions that
could not be applied (the answer changed since); the rows that could not be read. Every
text a student typed is escaped (:mod:`~.text`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from derivations import answers as sheet
from derivations.checker.grading.graded import Graded, Grading
from derivations.checker.grading.submissions import normalized
from derivations.checker.grading.text import (
    code,
    math,
    mean_text,
    one_line,
    points_text,
    points_word,
)

_POSITION = re.compile(r" at position \d+")


def _count(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _reason(g: Graded) -> str:
    """The first line of an unreadable answer's message, without positions (to group them)."""
    message = (g.result.get("message") or "").strip().splitlines()
    return one_line(_POSITION.sub("", message[0])) if message else "(no message)"


def _read_as(g: Graded) -> str:
    if g.read_as_latex:
        return math(g.read_as_latex)
    return code(g.read_as) if g.read_as else "(not read)"


def _head(grading: Grading) -> list[str]:
    a = grading.assignment
    rows = grading.rows
    superseded = sum(g.superseded_by is not None for g in rows)
    counted = ", ".join(f"{i} ({_count_points(p)})" for i, p in a.points.items())
    answered = {g.submission.answer_id for g in rows if g.submission.answer_id in sheet.QUESTIONS}
    extra = [i for i in sheet.ANSWER_IDS if i in answered and not a.counts(i)]
    lines = [f"# Grades: {one_line(a.name)}, {len(rows)} answers of "
             f"{len(grading.students())} students", "",
             f"{_count(grading.checks, 'check')} for {_count(len(rows), 'answer')} "
             f"({grading.count('reused')} reused, {grading.count('resumed')} resumed, "
             f"{_count(grading.count('unread'), 'row')} not readable, {superseded} superseded "
             f"by a later answer of the same student); {grading.seconds:.1f} s.", "",
             f"Counted: {counted or 'nothing'}; {points_text(a.total)} points in all."]
    if extra:
        lines.append(f"Answered but not counted (not in the assignment): {', '.join(extra)}.")
    return lines + [""]


def _count_points(p: float) -> str:
    return points_word(p)


def _table(grading: Grading, by_id: dict[str, list[Graded]]) -> list[str]:
    a = grading.assignment
    students = grading.students()
    lines = ["| id | points | answers | right | partly right | wrong | unreadable | blank | "
             "superseded | mean, class (a blank counts 0) | mean, answers given |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for i in [i for i in sheet.ANSWER_IDS if i in by_id or a.counts(i)]:
        members = by_id.get(i, [])
        standing = [g for g in members if g.superseded_by is None]
        kinds = Counter(g.kind for g in standing)
        answered = {g.submission.student for g in standing}
        blank = sum(s not in answered for s in students)
        superseded = len(members) - len(standing)
        if a.counts(i):
            marks = [grading.marks[(s, i)] for s in students if (s, i) in grading.marks]
            given = [m.points for m in marks if m.graded is not None]
            total = sum(m.points for m in marks)
            top = points_text(a.max_for(i))
            class_mean = f"{mean_text(total / len(marks))} of {top}" if marks else "–"
            given_mean = f"{mean_text(sum(given) / len(given))} of {top}" if given else "–"
            points = top
        else:
            points, class_mean, given_mean = "not counted", "–", "–"
        lines.append(f"| {i} | {points} | {len(standing)} | {kinds['right']} | "
                     f"{kinds['partly right']} | {kinds['wrong']} | {kinds['unreadable']} | "
                     f"{blank} | {superseded} | {class_mean} | {given_mean} |")
    unread = by_id.get("", [])
    if unread:
        lines.append(f"| (rows not read) | | {len(unread)} | | | | {len(unread)} | | | | |")
    return lines + [""]


def _mistakes(by_id: dict[str, list[Graded]], top: int) -> list[str]:
    lines = ["## Common mistakes and reading notes", ""]
    any_shown = False
    for i in [i for i in sheet.ANSWER_IDS if i in by_id]:
        standing = [g for g in by_id[i] if g.superseded_by is None]
        wrong = [g for g in standing if g.exit_status == 1]
        bad = [g for g in standing if g.exit_status == 2]
        notes = Counter(n for g in standing for n in dict.fromkeys(g.notes))
        if not (wrong or bad or notes):
            continue
        any_shown = True
        lines += [f"### {i}: {len(wrong)} wrong, {len(bad)} unreadable", ""]
        groups: dict[str, list[Graded]] = {}
        for g in wrong:
            groups.setdefault(one_line(g.feedback) or "(no diagnosis)", []).append(g)
        for diagnosis, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            first: dict[str, Graded] = {}
            for g in members:
                first.setdefault(normalized(g.submission.answer), g)
            spellings = Counter(normalized(g.submission.answer) for g in members)
            shown = ", ".join(f"{code(s)} ({n}, read as {_read_as(first[s])})"
                              for s, n in spellings.most_common(top))
            more = f", … {len(spellings) - top} more" if len(spellings) > top else ""
            lines.append(f"- **{diagnosis}** ({_count(len(members), 'answer')}): {shown}{more}")
        reasons = Counter(_reason(g) for g in bad)
        if reasons:
            shown = "; ".join(f"{r} ({n})" for r, n in reasons.most_common(top))
            more = f"; … {len(reasons) - top} more" if len(reasons) > top else ""
            lines.append(f"- unreadable: {shown}{more}")
        for note, n in notes.most_common():
            example = next(g for g in standing if note in g.notes)
            lines.append(f"- reading note ({_count(n, 'answer')}, e.g. "
                         f"{code(example.submission.answer)}): {one_line(note)}")
        lines.append("")
    if not any_shown:
        lines += ["No wrong or unreadable answer, no reading note.", ""]
    return lines


def _decisions(grading: Grading) -> list[str]:
    applied = sum(m.override is not None for m in grading.marks.values())
    unused = grading.unused_overrides
    if not applied and not unused:
        return []
    lines = ["## TA's decisions", "",
             f"{_count(applied, 'decision')} applied; {len(unused)} not applied."]
    if unused:
        lines.append("")
        for o, why in unused:
            lines.append(f"- **not applied**: {code(o.student)}, {o.answer_id}, "
                         f"{points_word(o.points)} ({one_line(o.place)} of the "
                         f"overrides file): {one_line(why)}")
    return lines + [""]


def _unread(rows: Iterable[Graded]) -> list[str]:
    rows = list(rows)
    if not rows:
        return []
    lines = ["## Rows not read", ""]
    lines += [f"- {one_line(g.feedback)}" for g in rows[:10]]
    if len(rows) > 10:
        lines.append(f"- … {len(rows) - 10} more (see grades.csv)")
    return lines + [""]


def summary_markdown(grading: Grading, top: int = 3) -> str:
    """``summary.md`` (see the module docstring); ``top`` spellings per diagnosis."""
    by_id: dict[str, list[Graded]] = {}
    for g in grading.rows:
        known = g.submission.answer_id in sheet.QUESTIONS
        by_id.setdefault(g.submission.answer_id if known else "", []).append(g)
    lines = _head(grading) + _table(grading, by_id) + _mistakes(by_id, top)
    lines += _decisions(grading) + _unread(by_id.get("", []))
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["summary_markdown"]
