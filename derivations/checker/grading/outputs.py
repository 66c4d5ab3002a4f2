"""What a grading run writes: grades.csv, grades.jsonl, summary.md, feedback/STUDENT.md and
Gradescope's results.json."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from derivations import answers as sheet
from derivations.checker.grading.errors import GradescopeError
from derivations.checker.grading.grades import Graded, Grading
from derivations.checker.grading.submissions import normalized

PROG = "python -m derivations grade"


#: The columns of ``grades.csv``.
CSV_COLUMNS = ("student", "id", "answer", "verdict", "exit", "points", "feedback",
               "counterexample")


_POSITION = re.compile(r" at position \d+")


def _number_text(x: float) -> str:
    """``1.0`` → ``1``, ``0.5`` → ``0.5``."""
    return f"{x:g}"


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` as a ``grades.csv`` cell that a spreadsheet shows and never runs: one starting
    like a formula gets a leading ``'`` (OWASP's advice against CSV injection).

    >>> print(cell("-w/(2 lambda)"), cell("=1+2"), cell("w/lambda"))
    '-w/(2 lambda) '=1+2 w/lambda
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def grades_csv(grading: Grading) -> str:
    """``grades.csv``: one row per answer, in the order read; every text cell through
    :func:`cell` (``grades.jsonl`` keeps the answers verbatim)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for g in grading.rows:
        s = g.submission
        writer.writerow([cell(s.student), cell(s.answer_id), cell(s.answer), g.verdict,
                         g.exit_status, _number_text(g.score), cell(g.feedback),
                         cell(g.counterexample)])
    return out.getvalue()


def grades_jsonl(grading: Grading) -> str:
    """``grades.jsonl``: one :meth:`Graded.record` per line."""
    return "".join(json.dumps(g.record(), ensure_ascii=False) + "\n" for g in grading.rows)


def code(text: str) -> str:
    """``text`` as Markdown inline code, on one line, safe inside a table.

    >>> code("a`b|c")
    '`` a`b\\\\|c ``'
    """
    flat = " ".join(text.split()).replace("|", "\\|")
    if not flat:
        return "(empty)"
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if "`" in flat or flat.startswith(" ") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def _count(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _reason(g: Graded) -> str:
    """The first line of an unreadable answer's message, without positions (to group them)."""
    message = (g.result.get("message") or "").strip().splitlines()
    return _POSITION.sub("", message[0]) if message else "(no message)"


def _kind(g: Graded) -> str:
    return {0: "right", 1: "wrong"}.get(g.exit_status, "unreadable")


def summary_markdown(grading: Grading, top: int = 3) -> str:
    """``summary.md``: per id the counts, and the wrong answers grouped by diagnosis."""
    rows = grading.rows
    by_id: dict[str, list[Graded]] = {}
    unread: list[Graded] = []
    for g in rows:
        if g.origin == "unread" and g.submission.answer_id not in sheet.ANSWER_IDS:
            unread.append(g)
        else:
            by_id.setdefault(g.submission.answer_id, []).append(g)
    ids = [i for i in sheet.ANSWER_IDS if i in by_id]
    lines = [f"# Grades: {len(rows)} answers of {len(grading.students())} students", "",
             f"{_count(grading.checks, 'check')} for {_count(len(rows), 'answer')} "
             f"({grading.count('reused')} reused, {grading.count('resumed')} resumed, "
             f"{_count(grading.count('unread'), 'row')} not readable); "
             f"{grading.seconds:.1f} s.", "",
             "| id | answers | right | wrong | unreadable | mean points |",
             "|---|---:|---:|---:|---:|---:|"]
    for i in ids:
        kinds = Counter(_kind(g) for g in by_id[i])
        mean = sum(g.score for g in by_id[i]) / len(by_id[i])
        top_points = grading.points.max_for(i)
        lines.append(f"| {i} | {len(by_id[i])} | {kinds['right']} | {kinds['wrong']} | "
                     f"{kinds['unreadable']} | {mean:.2f} of {_number_text(top_points)} |")
    if unread:
        lines.append(f"| (rows not read) | {len(unread)} | | | {len(unread)} | |")
    lines += ["", "## Common mistakes", ""]
    any_wrong = False
    for i in ids:
        wrong = [g for g in by_id[i] if _kind(g) == "wrong"]
        bad = [g for g in by_id[i] if _kind(g) == "unreadable"]
        if not wrong and not bad:
            continue
        any_wrong = True
        lines += [f"### {i}: {len(wrong)} wrong, {len(bad)} unreadable", ""]
        groups: dict[str, list[Graded]] = {}
        for g in wrong:
            groups.setdefault(g.feedback or "(no diagnosis)", []).append(g)
        for diagnosis, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            spellings = Counter(normalized(g.submission.answer) for g in members)
            shown = ", ".join(f"{code(a)} ({n})" for a, n in spellings.most_common(top))
            more = f", … {len(spellings) - top} more" if len(spellings) > top else ""
            lines.append(f"- **{diagnosis}** ({_count(len(members), 'answer')}): {shown}{more}")
        reasons = Counter(_reason(g) for g in bad)
        if reasons:
            shown = "; ".join(f"{r} ({n})" for r, n in reasons.most_common(top))
            more = f"; … {len(reasons) - top} more" if len(reasons) > top else ""
            lines.append(f"- unreadable: {shown}{more}")
        lines.append("")
    if unread:
        lines += ["### rows not read", ""]
        lines += [f"- {g.feedback}" for g in unread[:10]]
        if len(unread) > 10:
            lines.append(f"- … {len(unread) - 10} more (see grades.csv)")
        lines.append("")
    if not any_wrong and not unread:
        lines += ["Every answer is right.", ""]
    return "\n".join(lines).rstrip() + "\n"


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
        while len(stem.encode("utf-8")) > 100:
            stem = stem[:-1]
        name, n = stem, 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name.casefold())
        names[student] = name
    return names


def _last_per_id(rows: Iterable[Graded]) -> dict[str, Graded]:
    """A student's answer per id; the last one read where they answered an id twice."""
    out: dict[str, Graded] = {}
    for g in rows:
        out[g.submission.answer_id] = g
    return out


def _question(answer_id: str) -> str:
    try:
        return sheet.spec(answer_id).question
    except KeyError:
        return "not an id of the sheet"


def _total(grading: Grading, rows: Iterable[Graded]) -> tuple[float, float]:
    latest = _last_per_id(rows)
    graded = grading.points.graded_ids()
    score = sum(latest[i].score for i in graded if i in latest)
    return score, sum(grading.points.max_for(i) for i in graded)


def feedback_markdown(grading: Grading, student: str) -> str:
    """``feedback/STUDENT.md``: the student's points, what is right, what is wrong and why."""
    mine = [g for g in grading.rows if g.submission.student == student]
    score, top = _total(grading, mine)
    lines = [f"# Feedback for {student or '(no name)'}", "",
             f"Points: {_number_text(score)} of {_number_text(top)}.", ""]
    right = [g for g in mine if _kind(g) == "right"]
    wrong = [g for g in mine if _kind(g) == "wrong"]
    bad = [g for g in mine if _kind(g) == "unreadable"]
    if right:
        lines += [f"## Right ({len(right)})", ""]
        lines += [f"- **{g.submission.answer_id}** {code(g.submission.answer)}: {g.verdict}"
                  for g in right]
        lines.append("")
    if wrong:
        lines += [f"## Wrong ({len(wrong)})", ""]
        for g in wrong:
            s = g.submission
            lines += [f"### {s.answer_id}: {_question(s.answer_id)}", "",
                      f"- your answer: {code(s.answer)} ({_number_text(g.score)} of "
                      f"{_number_text(g.max_score)} points)"]
            lines += [f"- diagnosis: {d}" for d in g.result.get("diagnosis") or []]
            if g.counterexample:
                lines.append(f"- counterexample: {g.counterexample}")
            lines.append("")
    if bad:
        lines += [f"## Could not be checked ({len(bad)})", ""]
        for g in bad:
            s = g.submission
            message = (g.result.get("message") or "").rstrip()
            head, _, rest = message.partition("\n")
            where = f" (line {s.line} of the submissions)" if g.origin == "unread" else ""
            lines += [f"### {s.answer_id or '(no id)'}{where}", "",
                      f"- your answer: {code(s.answer)}", f"- why: {head}"]
            if rest.strip():
                lines += ["", "```", rest.replace("```", "'''"), "```"]
            lines.append("")
    answered = {g.submission.answer_id for g in mine}
    missing = [i for i in grading.points.graded_ids() if i not in answered]
    if missing:
        lines += ["## Not answered", "", ", ".join(missing), ""]
    return "\n".join(lines).rstrip() + "\n"


def _test_output(g: Graded) -> str:
    r = g.result
    lines = [f"{r['verdict']}: {r.get('message', '')}".rstrip()]
    interp = r.get("interpretation")
    if isinstance(interp, dict):
        lines.append(f"read as: {interp.get('text', '')}")
    if g.counterexample:
        lines.append(f"counterexample: {g.counterexample}")
    lines += [f"diagnosis: {d}" for d in r.get("diagnosis") or []]
    return "\n".join(lines)


def one_student(students: Sequence[str]) -> None:
    """A :class:`~.errors.GradescopeError` unless ``students`` holds at most one (for
    ``--gradescope``)."""
    if len(students) > 1:
        shown = ", ".join(students[:3]) + (", …" if len(students) > 3 else "")
        raise GradescopeError(f"--gradescope grades one student's submission; the file holds "
                         f"{len(students)} students ({shown})")


def gradescope_results(grading: Grading) -> dict[str, Any]:
    """Gradescope's ``results.json`` for a one-student class: a test per id with points.

    An id not answered is a failed test with 0 points; a :class:`~.errors.GradescopeError` if the
    submissions hold several students.
    """
    one_student(grading.students())
    latest = _last_per_id(grading.rows)
    tests = []
    for i in grading.points.graded_ids():
        top = grading.points.max_for(i)
        g = latest.get(i)
        score = g.score if g else 0.0
        tests.append({
            "name": f"{i}: {_question(i)}",
            "number": i,
            "score": score,
            "max_score": top,
            "status": "passed" if g is not None and g.exit_status == 0 else "failed",
            "output": _test_output(g) if g else "not answered",
            "visibility": "visible",
        })
    score = sum(t["score"] for t in tests)
    top = sum(t["max_score"] for t in tests)
    return {"score": score,
            "output": f"{_number_text(score)} of {_number_text(top)} points "
                      f"(checked by {PROG})",
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": tests}


def write_outputs(folder: Path, grading: Grading, summary: str, gradescope: bool) -> list[str]:
    """Write every output file into ``folder`` (a fresh folder); their names."""
    written = ["grades.csv", "grades.jsonl", "summary.md"]
    (folder / "grades.csv").write_text(grades_csv(grading), encoding="utf-8")
    (folder / "grades.jsonl").write_text(grades_jsonl(grading), encoding="utf-8")
    (folder / "summary.md").write_text(summary, encoding="utf-8")
    if gradescope:
        results = json.dumps(gradescope_results(grading), ensure_ascii=False, indent=2)
        (folder / "results.json").write_text(results + "\n", encoding="utf-8")
        written.append("results.json")
    feedback = folder / "feedback"
    feedback.mkdir()
    names = feedback_names(grading.students())
    for student, name in names.items():
        (feedback / f"{name}.md").write_text(feedback_markdown(grading, student),
                                             encoding="utf-8")
    written.append(f"feedback/ ({len(names)} files)")
    return written
