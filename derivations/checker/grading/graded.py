"""One answer graded (:class:`Graded`), a student's mark for an id (:class:`Mark`) and a
whole class (:class:`Grading`): what :func:`~.grades.grade` makes, :mod:`~.scoring` scores
and every writer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from derivations.checker import Verdict
from derivations.checker.grading.assignment import Assignment
from derivations.checker.grading.overrides import Override
from derivations.checker.grading.submissions import Submission

#: The fields ``grades.jsonl`` adds to the ``check --json`` object of each answer.
GRADING_FIELDS = ("student", "line", "format", "exit", "score", "max_score", "counted",
                  "superseded_by", "answer_hash", "override", "origin")


@dataclass
class Graded:
    """One answer graded: the submission, the ``check --json`` object, where the result came
    from (checked, reused, resumed, unread), the points it earns and the id's points, the
    line of the same student's later answer to the id that replaces it (None: it stands),
    and the TA's decision applied to it or flagged (:mod:`~.scoring`)."""

    submission: Submission
    result: dict[str, Any]
    origin: str
    score: float = 0.0
    max_score: float = 0.0
    superseded_by: int | None = None
    checker_score: float = 0.0  # the points by the checker's verdict alone
    override: Override | None = None  # the TA's decision, applied
    stale_override: Override | None = None  # one for an earlier answer: flagged, not applied

    @property
    def verdict(self) -> str:
        return self.result["verdict"]

    @property
    def exit_status(self) -> int:
        """The exit status of ``python -m derivations check`` for this answer."""
        return Verdict(self.verdict).exit_status

    @property
    def counted(self) -> bool:
        """Whether this answer counts: it stands and its id carries points."""
        return self.superseded_by is None and self.max_score > 0

    @property
    def kind(self) -> str:
        """``right``, ``partly right`` (refuted, with points by the checker's verdict),
        ``wrong`` or ``unreadable``: the checker's outcome, whatever a TA decided."""
        if self.exit_status == 0:
            return "right"
        if self.exit_status == 1:
            return "partly right" if self.checker_score > 0 else "wrong"
        return "unreadable"

    @property
    def feedback(self) -> str:
        """One line: the diagnosis of a wrong answer, the reason of an unreadable one."""
        if self.verdict == Verdict.CANNOT_CHECK.value:
            message = (self.result.get("message") or "").splitlines()
            text = message[0] if message else ""
            return f"line {self.submission.line}: {text}" if self.origin == "unread" else text
        return "; ".join(self.result.get("diagnosis") or [])

    @property
    def counterexample(self) -> str:
        cx = self.result.get("counterexample")
        return cx.get("text", "") if isinstance(cx, dict) else ""

    @property
    def read_as(self) -> str:
        """How the checker read the answer, in the sheet's notation (its SymPy text in a
        result from before that field; empty if it could not read it)."""
        interp = self.result.get("interpretation")
        if not isinstance(interp, dict):
            return ""
        return str(interp.get("shown") or interp.get("text") or "")

    @property
    def read_as_latex(self) -> str:
        interp = self.result.get("interpretation")
        return str(interp.get("latex") or "") if isinstance(interp, dict) else ""

    @property
    def notes(self) -> list[str]:
        """Every reading note the checker gave (``/`` divides by the next factor only, …)."""
        interp = self.result.get("interpretation")
        notes = interp.get("notes") if isinstance(interp, dict) else None
        return [str(n) for n in notes] if isinstance(notes, list) else []

    def record(self) -> dict[str, Any]:
        """The line of ``grades.jsonl``: the ``check --json`` object and
        :data:`GRADING_FIELDS`."""
        s = self.submission
        o = self.override or self.stale_override
        override = None if o is None else {
            "points": o.points, "comment": o.comment, "answer_hash": o.answer_hash,
            "applied": self.override is not None}
        return {"student": s.student, "line": s.line, "format": s.format, **self.result,
                "exit": self.exit_status, "score": self.score, "max_score": self.max_score,
                "counted": self.counted, "superseded_by": self.superseded_by,
                "answer_hash": s.hash, "override": override, "origin": self.origin}


@dataclass
class Mark:
    """A student's mark for one id that counts: the standing answer (None: not answered),
    the points it earns, the id's points, and the TA's decision applied (``override``) or
    flagged because the answer changed since (``stale``)."""

    student: str
    answer_id: str
    graded: Graded | None
    points: float
    max_points: float
    override: Override | None = None
    stale: Override | None = None


@dataclass
class Grading:
    """Every answer graded, in the order read; the assignment; each student's mark per id
    that counts (:class:`~.scoring.Mark`); the TA's decisions that could not be applied; and
    how the work was done."""

    rows: list[Graded]
    assignment: Assignment
    checks: int = 0
    seconds: float = 0.0
    marks: dict[tuple[str, str], Mark] = field(default_factory=dict)
    unused_overrides: list[tuple[Override, str]] = field(default_factory=list)

    @property
    def points(self) -> Assignment:
        """The assignment (its old name)."""
        return self.assignment

    def count(self, origin: str) -> int:
        return sum(g.origin == origin for g in self.rows)

    def students(self) -> list[str]:
        """The students, in the order of their first answer (rows without one left out)."""
        return list(dict.fromkeys(g.submission.student for g in self.rows
                                  if g.submission.student))

    def total(self, student: str) -> float:
        """The student's points: their marks summed."""
        return sum(m.points for (s, _), m in self.marks.items() if s == student)


__all__ = ["GRADING_FIELDS", "Graded", "Grading", "Mark"]
