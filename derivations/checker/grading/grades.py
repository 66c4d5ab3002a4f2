"""Grading: every submission checked once per distinct answer, the results reused and scored."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clitools.progress import Progress
from derivations.checker import Verdict, check
from derivations.checker.grading.points import Points
from derivations.checker.grading.pool import CheckPool, cannot_check
from derivations.checker.grading.submissions import Submission

#: Worker processes stop a check after ``LIMIT_FACTOR * timeout + LIMIT_GRACE`` seconds.
LIMIT_FACTOR, LIMIT_GRACE = 3.0, 20.0


@dataclass
class Graded:
    """One answer graded: the submission, the ``check --json`` object, where the result came
    from (checked, reused, resumed, unread), its points and the id's points."""

    submission: Submission
    result: dict[str, Any]
    origin: str
    score: float = 0.0
    max_score: float = 0.0

    @property
    def verdict(self) -> str:
        return self.result["verdict"]

    @property
    def exit_status(self) -> int:
        """The exit status of ``python -m derivations check`` for this answer."""
        return Verdict(self.verdict).exit_status

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

    def record(self) -> dict[str, Any]:
        """The line of ``grades.jsonl``."""
        s = self.submission
        return {"student": s.student, "line": s.line, "format": s.format, **self.result,
                "exit": self.exit_status, "score": self.score, "max_score": self.max_score,
                "origin": self.origin}


@dataclass
class Grading:
    """Every answer graded, in the order read, and how the work was done."""

    rows: list[Graded]
    points: Points
    checks: int = 0
    seconds: float = 0.0

    def count(self, origin: str) -> int:
        return sum(g.origin == origin for g in self.rows)

    def students(self) -> list[str]:
        """The students, in the order of their first answer (rows without one left out)."""
        return list(dict.fromkeys(g.submission.student for g in self.rows
                                  if g.submission.student))


def load_done(folder: str | os.PathLike[str]) -> dict[tuple, dict[str, Any]]:
    """The results in ``folder/grades.jsonl`` by (student, id, answer, format), for --resume;
    lines that cannot be read, and rows that were not read, are left out."""
    path = Path(folder) / "grades.jsonl"
    done: dict[tuple, dict[str, Any]] = {}
    if not path.is_file():
        return done
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                obj = json.loads(line)
                key = (obj["student"], obj["id"], obj["answer"], obj.get("format"))
                Verdict(obj["verdict"])
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
            if obj.get("origin") != "unread":
                extra = ("student", "line", "format", "exit", "score", "max_score", "origin")
                done[key] = {k: v for k, v in obj.items() if k not in extra}
    return done


def _warm_up() -> None:
    """Load the checker and its caches once, before the workers are forked from this process."""
    check("1a", "w/(2*lambda)")
    check("1b", "mu + inv(Sigma) w")


def grade(submissions: Sequence[Submission], *, jobs: int = 1, timeout: float = 3.0,
          points: Points | None = None, done: Mapping[tuple, dict] | None = None,
          progress: Progress | None = None, limit: float | None = None) -> Grading:
    """Grade every submission: each distinct answer checked once on ``jobs`` processes.

    ``done`` holds results to keep (:func:`load_done`); ``limit`` is the seconds after which
    a check is stopped (default ``3 * timeout + 20``). An answer that differs from an
    already checked one only in whitespace reuses its result, except an unreadable one,
    which is checked as written (its message points at a position in it).
    """
    start = time.monotonic()
    points = Points() if points is None else points
    done = {} if done is None else done
    limit = LIMIT_FACTOR * timeout + LIMIT_GRACE if limit is None else limit
    rows: list[Graded | None] = [None] * len(submissions)
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(submissions):
        if s.problem is not None:
            rows[i] = Graded(s, cannot_check(s.answer_id, s.answer, s.problem), "unread")
        elif s.done_key in done:
            rows[i] = Graded(s, {**done[s.done_key], "answer": s.answer}, "resumed")
        else:
            groups.setdefault(s.key, []).append(i)
    progress = progress if progress is not None else Progress(len(submissions), "answers",
                                                               "grading")
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
            settle(head, result, "checked")
            for i in rest:
                s = submissions[i]
                if (first and result["verdict"] == Verdict.CANNOT_CHECK.value
                        and s.answer != submissions[head].answer):
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
    progress.finish()
    graded = [r for r in rows if r is not None]
    assert len(graded) == len(submissions)
    for g in graded:
        g.max_score = points.max_for(g.submission.answer_id)
        g.score = points.score(g.submission.answer_id, g.result)
    return Grading(graded, points, checks, time.monotonic() - start)
