"""Grading: every submission checked once per distinct answer, the results journaled as
they come, reused, and scored (:mod:`~.scoring`)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivations.checker import Verdict, check
from derivations.checker.grading.assignment import Assignment, AssignmentFile
from derivations.checker.grading.journal import Done, Journal
from derivations.checker.grading.pool import CheckPool, Progress, cannot_check
from derivations.checker.grading.submissions import Submission

#: Worker processes stop a check after ``LIMIT_FACTOR * timeout + LIMIT_GRACE`` seconds.
LIMIT_FACTOR, LIMIT_GRACE = 3.0, 20.0

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
    override: Any = None  # the applied Override
    stale_override: Any = None  # an Override for an earlier answer: flagged, not applied

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
        """How the checker read the answer (its text; empty if it could not)."""
        interp = self.result.get("interpretation")
        return str(interp.get("text") or "") if isinstance(interp, dict) else ""

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
class Grading:
    """Every answer graded, in the order read; the assignment; each student's mark per id
    that counts (:class:`~.scoring.Mark`); the TA's decisions that could not be applied; and
    how the work was done."""

    rows: list[Graded]
    assignment: Assignment
    checks: int = 0
    seconds: float = 0.0
    marks: dict[tuple[str, str], Any] = field(default_factory=dict)
    unused_overrides: list[tuple[Any, str]] = field(default_factory=list)

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


def load_done(folder: str | os.PathLike[str]) -> Done:
    """The results in ``folder/grades.jsonl`` (a finished run's), for ``--resume``; lines that
    cannot be read, and rows that were not read, are left out."""
    path = Path(folder) / "grades.jsonl"
    done = Done()
    if not path.is_file():
        return done
    with path.open("rb") as lines:
        for raw in lines:
            try:
                obj = json.loads(raw.decode("utf-8"))
                key = (obj["id"], obj["answer"], obj.get("format"))
                Verdict(obj["verdict"])
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError,
                    ValueError, RecursionError):
                continue
            if obj.get("origin") != "unread" and all(
                    isinstance(k, str) for k in key[:2]):
                done.add(*key, {k: v for k, v in obj.items() if k not in GRADING_FIELDS})
    return done


def _warm_up() -> None:
    """Load the checker and its caches once, before the workers are forked from this process."""
    check("1a", "w/(2*lambda)")
    check("1b", "mu + inv(Sigma) w")


def grade(submissions: Sequence[Submission], *, jobs: int = 1, timeout: float = 3.0,
          assignment: Assignment | AssignmentFile | None = None, done: Done | None = None,
          journal: Journal | None = None, overrides: Sequence[Any] = (),
          progress: Progress | None = None, limit: float | None = None) -> Grading:
    """Grade every submission: each distinct answer checked once on ``jobs`` processes,
    then scored (:func:`~.scoring.score`).

    ``assignment``: the ids that count and their points (default: the sheet's questions
    answered, one point each); ``done``: results to keep (``--resume``: :func:`load_done`,
    :func:`~.journal.read_journal`); ``journal``: where each new result is appended as it
    finishes; ``overrides``: the TA's decisions (:mod:`~.overrides`); ``limit``: the seconds
    after which a check is stopped (default ``3 * timeout + 20``). An answer that differs
    from an already checked one only in whitespace reuses its result, except an unreadable
    one, which is checked as written (its message points at a position in it).
    """
    from derivations.checker.grading.scoring import score

    start = time.monotonic()
    if not isinstance(assignment, Assignment):
        assignment = (assignment or AssignmentFile()).resolve(
            s.answer_id for s in submissions)
    done = Done() if done is None else done
    limit = LIMIT_FACTOR * timeout + LIMIT_GRACE if limit is None else limit
    rows: list[Graded | None] = [None] * len(submissions)
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(submissions):
        known = None if s.problem is not None else done.find(s.answer_id, s.answer, s.format)
        if s.problem is not None:
            rows[i] = Graded(s, cannot_check(s.answer_id, s.answer, s.problem), "unread")
        elif known is not None:
            rows[i] = Graded(s, {**known, "answer": s.answer}, "resumed")
        else:
            groups.setdefault(s.key, []).append(i)
    progress = progress if progress is not None else Progress(len(submissions))
    progress.advance(sum(r is not None for r in rows))
    again: dict[tuple, list[int]] = {}

    def settle(i: int, result: dict, origin: str) -> None:
        rows[i] = Graded(submissions[i], {**result, "answer": submissions[i].answer}, origin)
        progress.advance()

    def check_groups(pool: CheckPool, members: list[list[int]], first: bool) -> int:
        """Check the first answer of each group and give its result to the others; in the
        ``first`` round an unreadable answer typed differently goes to ``again`` instead."""

        def finished(n: int, result: dict) -> None:
            head, *rest = members[n]
            h = submissions[head]
            if journal is not None:
                journal.add(h.answer_id, h.answer, h.format, result)
            settle(head, result, "checked")
            for i in rest:
                s = submissions[i]
                if (first and result["verdict"] == Verdict.CANNOT_CHECK.value
                        and s.answer != h.answer):
                    again.setdefault((s.answer_id, s.answer, s.format), []).append(i)
                else:
                    settle(i, result, "reused")

        heads = [submissions[m[0]] for m in members]
        pool.run([(n, s.answer_id, s.answer, s.latex) for n, s in enumerate(heads)],
                 finished, progress.tick)
        return len(members)

    checks = 0
    if groups:
        _warm_up()
        with CheckPool(jobs, timeout, limit) as pool:
            checks = check_groups(pool, list(groups.values()), first=True)
            if again:
                checks += check_groups(pool, list(again.values()), first=False)
    if journal is not None:
        journal.sync()
    progress.finish()
    graded = [r for r in rows if r is not None]
    assert len(graded) == len(submissions)
    grading = Grading(graded, assignment, checks)
    score(grading, overrides)
    grading.seconds = time.monotonic() - start
    return grading
