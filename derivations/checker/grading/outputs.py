"""What a grading run writes: grades.csv, grades.jsonl, summary.md, feedback/STUDENT.md, the
gradebook exports and Gradescope's results.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from derivations.checker.grading.exports import canvas_csv, moodle_csv
from derivations.checker.grading.feedback import feedback_markdown, feedback_names
from derivations.checker.grading.graded import Graded, Grading
from derivations.checker.grading.gradescope import PROG, gradescope_results, one_student
from derivations.checker.grading.text import FORMULA_STARTS, cell, json_line, points_text

#: The columns of ``grades.csv``.
CSV_COLUMNS = ("student", "id", "line", "answer", "answer_hash", "read_as", "notes",
               "verdict", "exit", "points", "max_points", "superseded_by", "override",
               "feedback", "counterexample")


def _override(g: Graded) -> str:
    if g.override is not None:
        o = g.override
        return f"TA's decision: {points_text(o.points)}" + (f" ({o.comment})" if o.comment
                                                            else "")
    if g.stale_override is not None:
        return (f"not applied: a TA's decision ({points_text(g.stale_override.points)}) for "
                f"an earlier answer (hash {g.stale_override.answer_hash or 'none'})")
    return ""


def grades_csv(grading: Grading) -> str:
    """``grades.csv``: one row per answer, in the order read; every text cell through
    :func:`~.text.cell` (escaped, never a formula; ``grades.jsonl`` keeps the answers
    verbatim). ``points`` is empty for an answer a later one replaced (``superseded_by``
    gives the line of that one) and ``0`` for an id that does not count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for g in grading.rows:
        s = g.submission
        superseded = g.superseded_by is not None
        writer.writerow([
            cell(s.student), cell(s.answer_id), s.line, cell(s.answer), s.hash,
            cell(g.read_as), cell("; ".join(g.notes)), g.verdict, g.exit_status,
            "" if superseded else points_text(g.score), points_text(g.max_score),
            g.superseded_by if superseded else "", cell(_override(g)), cell(g.feedback),
            cell(g.counterexample)])
    return out.getvalue()


def grades_jsonl(grading: Grading) -> str:
    """``grades.jsonl``: one :meth:`~.grades.Graded.record` per line, the answers verbatim
    (control characters as JSON escapes, :func:`~.text.json_line`)."""
    return "".join(json_line(g.record()) for g in grading.rows)


def write_outputs(folder: Path, grading: Grading, summary: str, gradescope: bool,
                  verbose: bool = False) -> list[str]:
    """Write every output file into ``folder`` (a fresh folder); their names."""
    written = ["grades.csv", "grades.jsonl", "summary.md", "canvas.csv", "moodle.csv"]
    (folder / "grades.csv").write_text(grades_csv(grading), encoding="utf-8")
    (folder / "grades.jsonl").write_text(grades_jsonl(grading), encoding="utf-8")
    (folder / "summary.md").write_text(summary, encoding="utf-8")
    students = grading.students()
    (folder / "canvas.csv").write_text(canvas_csv(grading, students), encoding="utf-8")
    (folder / "moodle.csv").write_text(moodle_csv(grading, students), encoding="utf-8")
    if gradescope:
        results = json.dumps(gradescope_results(grading, verbose), ensure_ascii=False,
                             indent=2)
        (folder / "results.json").write_text(results + "\n", encoding="utf-8")
        written.append("results.json")
    feedback = folder / "feedback"
    feedback.mkdir()
    names = feedback_names(students)
    for student, name in names.items():
        (feedback / f"{name}.md").write_text(feedback_markdown(grading, student, verbose),
                                             encoding="utf-8")
    written.append(f"feedback/ ({len(names)} files)")
    return written


__all__ = ["CSV_COLUMNS", "FORMULA_STARTS", "PROG", "cell", "feedback_markdown",
           "gradescope_results", "grades_csv", "grades_jsonl", "one_student", "write_outputs"]
