"""The assignment: which ids count, their points, partial credit, and the gradebook's names
(``--points FILE``, a small TOML or JSON file; also called the assignment file).

The sheet's *questions* are the ids of :data:`derivations.answers.QUESTIONS` that do not
refine another id: ``2b.i.R2`` and ``2b.i.general`` extend the id ``2b.i`` and are finer
checks the project runs on question 2b.i (docs/sheet11.md: "the project also checks …"),
not questions a student is given (:func:`question_ids`).

Without a file, the ids that count are the questions that appear in the submissions, one
point each; a check id counts only when the file lists it. A file has up to these keys:

- ``ids``: the ids that count (a list); without it, the questions answered in the
  submissions and every id given points under ``points``;
- ``default``: the points of an id not under ``points`` (1 if absent; 0: only the ids under
  ``points`` count);
- ``points``: a table id → points (in TOML quote the ids, ``"1c.z" = 2``); 0 points: the
  id is checked but does not count;
- ``partial``: the share of an id's points, from 0 to 1, for a REFUTED answer that is right
  on a region of positive measure and wrong elsewhere (:mod:`~.measure`; never for one
  right only on a tie, a boundary or a single value); a number for every id or a table
  id → share; 0 if absent;
- ``name``: the gradebook column of the exports (default ``Sheet 11``);
- ``student_is``: what the submissions' ``student`` column holds, for the exports:
  ``login`` (default), ``email`` or ``sis_id``.

>>> question_ids()
('1a', '1b', '1c.z', '1c.x', '2a.i', '2a.ii', '2b.i', '2b.ii', '3b')
>>> a = parse_assignment({"points": {"2a.i": 2, "2b.i.R2": 1}, "partial": 0.5}).resolve(
...     ["1a", "2a.i", "2b.i.general"])
>>> dict(a.points)
{'1a': 1.0, '2a.i': 2.0, '2b.i.R2': 1.0}
>>> wrong = {"verdict": "REFUTED", "right_on_positive_measure": True}
>>> a.score("2a.i", wrong), a.score("2b.i.general", {"verdict": "PROVED"})
(1.0, 0.0)
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clitools import existing_file
from derivations import answers as sheet
from derivations.checker.grading.errors import AssignmentError
from derivations.checker.grading.measure import FIELD

#: The verdicts that earn an id's points.
RIGHT = ("PROVED", "NUMERICALLY EQUAL")

#: What the ``student`` column may hold, for the exports (see :mod:`~.exports`).
STUDENT_KINDS = ("login", "email", "sis_id")

#: The keys of an assignment file.
KEYS = ("ids", "default", "points", "partial", "name", "student_is")


def question_ids() -> tuple[str, ...]:
    """The sheet's questions: the ids that do not extend another id by a ``.`` suffix."""
    ids = sheet.ANSWER_IDS
    return tuple(i for i in ids if not any(i.startswith(f"{p}.") for p in ids if p != i))


@dataclass(frozen=True)
class Assignment:
    """The ids that count with their points (in the sheet's order), the share for partial
    credit, the gradebook's column name and what the student column holds."""

    points: Mapping[str, float]
    partial: float | Mapping[str, float] = 0.0
    name: str = "Sheet 11"
    student_is: str = "login"

    def counts(self, answer_id: str) -> bool:
        return answer_id in self.points

    def max_for(self, answer_id: str) -> float:
        """The points of ``answer_id`` (0 for an id that does not count)."""
        return float(self.points.get(answer_id, 0.0))

    @property
    def total(self) -> float:
        return float(sum(self.points.values()))

    def graded_ids(self) -> list[str]:
        """The ids that count, in the sheet's order."""
        return list(self.points)

    def share(self, answer_id: str) -> float:
        """The share of the points for an answer right on a region of positive measure."""
        if isinstance(self.partial, Mapping):
            return float(self.partial.get(answer_id, 0.0))
        return float(self.partial)

    def score(self, answer_id: str, result: Mapping[str, Any]) -> float:
        """The points ``result`` (a ``check --json`` object) earns: all for a right answer,
        the partial share for a refuted one with ``right_on_positive_measure: true``."""
        top = self.max_for(answer_id)
        verdict = result.get("verdict")
        if verdict in RIGHT:
            return top
        if verdict == "REFUTED" and result.get(FIELD) is True:
            return top * self.share(answer_id)
        return 0.0

    def to_file(self) -> dict[str, Any]:
        """This assignment as an assignment file (every id that counts listed).

        >>> Assignment({"1a": 2.0}).to_file()["ids"]
        ['1a']
        """
        partial = dict(self.partial) if isinstance(self.partial, Mapping) else self.partial
        return {"name": self.name, "student_is": self.student_is, "ids": list(self.points),
                "points": dict(self.points), "partial": partial}


@dataclass(frozen=True)
class AssignmentFile:
    """An assignment file as read (:func:`parse_assignment`); :meth:`resolve` decides the
    ids that count once the submissions are known."""

    ids: tuple[str, ...] | None = None
    default: float = 1.0
    by_id: Mapping[str, float] = field(default_factory=dict)
    partial: float | Mapping[str, float] = 0.0
    name: str = "Sheet 11"
    student_is: str = "login"

    def resolve(self, answered: Iterable[str] | None = None) -> Assignment:
        """The :class:`Assignment` for submissions answering the ids ``answered`` (None: all
        the sheet's questions, as for an autograder that sees one student at a time)."""
        if self.ids is not None:
            chosen = set(self.ids)
        else:
            seen = set(question_ids() if answered is None else answered)
            chosen = {i for i in question_ids() if i in seen} | set(self.by_id)
        points = {i: float(self.by_id.get(i, self.default)) for i in sheet.ANSWER_IDS
                  if i in chosen}
        return Assignment({i: p for i, p in points.items() if p > 0}, self.partial,
                          self.name, self.student_is)


def _number(value: Any, what: str, upper: float | None = None) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (upper is not None and value > upper):
        bound = f"from 0 to {upper:g}" if upper is not None else "≥ 0"
        raise AssignmentError(f"--points: {what} must be a number {bound}, got {value!r}")
    return float(value)


def _known(ids: Iterable[Any], what: str) -> list[str]:
    ids = list(ids)
    unknown = [k for k in ids if k not in sheet.ANSWER_IDS]
    if unknown:
        raise AssignmentError(f"--points: unknown answer id {unknown[0]!r} in {what} (the ids: "
                              f"{', '.join(sheet.ANSWER_IDS)}; quote them in TOML)")
    return ids


def _per_id(table: Any, what: str, upper: float | None = None) -> dict[str, float]:
    if not isinstance(table, dict):
        raise AssignmentError(f"--points: {what} must be a table of answer ids")
    return {k: _number(v, f"{what}[{k!r}]", upper) for k, v in zip(
        _known(table, what), table.values(), strict=True)}


def _text(value: Any, what: str, choices: tuple[str, ...] | None = None) -> str:
    if not isinstance(value, str) or not value.strip() or (choices and value not in choices):
        hint = f" (one of: {', '.join(choices)})" if choices else " (a non-empty string)"
        raise AssignmentError(f"--points: {what} must be a string{hint}, got {value!r}")
    return value.strip()


def parse_assignment(data: Mapping[str, Any]) -> AssignmentFile:
    """An :class:`AssignmentFile` from a parsed file; a mistake is an
    :class:`~.errors.AssignmentError`.

    >>> parse_assignment({"default": 0, "points": {"1a": 3}}).resolve(["1a", "1b"]).points
    {'1a': 3.0}
    """
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise AssignmentError(f"--points: unknown key {unknown[0]!r} (the keys: "
                              f"{', '.join(KEYS)})")
    ids = data.get("ids")
    if ids is not None:
        if not isinstance(ids, list) or not ids:
            raise AssignmentError("--points: ids must be a non-empty list of answer ids")
        ids = tuple(dict.fromkeys(_known(ids, "ids")))
    by_id = _per_id(data.get("points", {}), "points")
    if ids is not None and set(by_id) - set(ids):
        extra = sorted(set(by_id) - set(ids), key=sheet.ANSWER_IDS.index)[0]
        raise AssignmentError(f"--points: points for {extra!r}, which is not in ids")
    partial_value = data.get("partial", 0.0)
    partial: float | dict[str, float] = (
        _per_id(partial_value, "partial", 1.0) if isinstance(partial_value, dict)
        else _number(partial_value, "partial", 1.0))
    return AssignmentFile(
        ids, _number(data.get("default", 1.0), "default"), by_id, partial,
        _text(data.get("name", "Sheet 11"), "name"),
        _text(data.get("student_is", "login"), "student_is", STUDENT_KINDS))


def load_assignment(path: str | os.PathLike[str] | None) -> AssignmentFile:
    """The assignment file at ``path`` (TOML, or JSON by its ``.json`` name or a ``{``);
    without one, the default (the questions answered, one point each)."""
    if path is None:
        return AssignmentFile()
    file = existing_file(path, "points file", error=AssignmentError)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AssignmentError(f"--points {file}: cannot read it ({error})") from None
    if file.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise AssignmentError(f"--points {file}: not valid JSON ({error})") from None
    else:
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python 3.10
            raise AssignmentError(f"--points {file}: TOML needs Python 3.11 or later; write "
                                  f"the file as JSON") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise AssignmentError(f"--points {file}: not valid TOML ({error})") from None
    if not isinstance(data, dict):
        raise AssignmentError(f"--points {file}: expected a table (an object) at the top")
    return parse_assignment(data)


__all__ = ["KEYS", "RIGHT", "STUDENT_KINDS", "Assignment", "AssignmentFile", "load_assignment",
           "parse_assignment", "question_ids"]
