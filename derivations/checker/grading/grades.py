"""Grading: every submission checked once per distinct answer, the results journaled as
they come, reused, and scored (:mod:`~.scoring`)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from clitools.progress import Progress
from derivations.checker import Verdict, check
from derivations.checker.grading.assignment import Assignment, AssignmentFile
from derivations.checker.grading.graded import GRADING_FIELDS, Graded, Grading
from derivations.checker.grading.journal import Done, Journal
from derivations.checker.grading.overrides import Override
from derivations.checker.grading.pool import CheckPool, cannot_check
from derivations.checker.grading.scoring import score
from derivations.checker.grading.submissions import Submission

#: Worker processes stop a check after ``LIMIT_FACTOR * timeout + LIMIT_GRACE`` seconds.
LIMIT_FACTOR, LIMIT_GRACE = 3.0, 20.0


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
          journal: Journal | None = None, overrides: Sequence[Override] = (),
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
