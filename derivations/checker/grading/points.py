"""Points per id, and partial credit where a diagnosis says an answer is right on part of the
domain (``--points``, a small TOML or JSON file)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clitools import existing_file
from derivations import answers as sheet
from derivations.checker import Verdict
from derivations.checker.diagnosing import PARTIAL
from derivations.checker.grading.errors import PointsError


@dataclass(frozen=True)
class Points:
    """Points per id, and the share of them for an answer right on part of the domain.

    A points file (TOML or JSON) has up to three keys: ``default`` (points of an id not
    listed, 1 if absent), ``points`` (a table id → points; in TOML quote the ids,
    ``"1c.z" = 2``) and ``partial`` (the share of an id's points, from 0 to 1, for a REFUTED
    answer whose diagnosis starts with "right only on part of the domain"; a number for every
    id or a table id → share; 0 if absent). Ids with 0 points are checked but not counted.

    >>> p = Points(by_id={"2a.i": 2}, partial={"2a.i": 0.5})
    >>> p.max_for("2a.i"), p.max_for("1a")
    (2.0, 1.0)
    >>> wrong = {"verdict": "REFUTED", "diagnosis": ["right only on part of the domain: ..."]}
    >>> p.score("2a.i", wrong), p.score("1a", wrong), p.score("1a", {"verdict": "PROVED"})
    (1.0, 0.0, 1.0)
    """

    default: float = 1.0
    by_id: Mapping[str, float] = field(default_factory=dict)
    partial: float | Mapping[str, float] = 0.0

    def max_for(self, answer_id: str) -> float:
        """The points of ``answer_id`` (0 for an id the sheet does not have)."""
        if answer_id not in sheet.ANSWER_IDS:
            return 0.0
        return float(self.by_id.get(answer_id, self.default))

    def share(self, answer_id: str) -> float:
        """The share of the points for an answer right only on part of the domain."""
        if isinstance(self.partial, Mapping):
            return float(self.partial.get(answer_id, 0.0))
        return float(self.partial)

    def score(self, answer_id: str, result: Mapping[str, Any]) -> float:
        """The points ``result`` (a ``check --json`` object) earns."""
        top = self.max_for(answer_id)
        verdict = result.get("verdict")
        if verdict in (Verdict.PROVED.value, Verdict.NUMERICALLY_EQUAL.value):
            return top
        diagnosis = result.get("diagnosis") or []
        if verdict == Verdict.REFUTED.value and any(d.startswith(PARTIAL) for d in diagnosis):
            return top * self.share(answer_id)
        return 0.0

    def graded_ids(self) -> list[str]:
        """The ids that carry points, in the sheet's order."""
        return [i for i in sheet.ANSWER_IDS if self.max_for(i) > 0]


def _number(value: Any, what: str, upper: float | None = None) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (upper is not None and value > upper):
        bound = f"from 0 to {upper:g}" if upper is not None else "≥ 0"
        raise PointsError(f"--points: {what} must be a number {bound}, got {value!r}")
    return float(value)


def _per_id(table: Any, what: str, upper: float | None = None) -> dict[str, float]:
    if not isinstance(table, dict):
        raise PointsError(f"--points: {what} must be a table of answer ids")
    unknown = [k for k in table if k not in sheet.ANSWER_IDS]
    if unknown:
        raise PointsError(f"--points: unknown answer id {unknown[0]!r} in {what} (the ids: "
                         f"{', '.join(sheet.ANSWER_IDS)}; quote them in TOML)")
    return {k: _number(v, f"{what}[{k!r}]", upper) for k, v in table.items()}


def parse_points(data: dict[str, Any]) -> Points:
    """:class:`Points` from a parsed points file; a mistake is a :class:`~.errors.PointsError`.

    >>> parse_points({"default": 0, "points": {"1a": 3}, "partial": 0.5}).graded_ids()
    ['1a']
    """
    unknown = sorted(set(data) - {"default", "points", "partial"})
    if unknown:
        raise PointsError(f"--points: unknown key {unknown[0]!r} (the keys: default, points, "
                         f"partial)")
    default = _number(data.get("default", 1.0), "default")
    by_id = _per_id(data.get("points", {}), "points")
    partial_value = data.get("partial", 0.0)
    partial: float | dict[str, float] = (
        _per_id(partial_value, "partial", 1.0) if isinstance(partial_value, dict)
        else _number(partial_value, "partial", 1.0))
    return Points(default, by_id, partial)


def load_points(path: str | os.PathLike[str] | None) -> Points:
    """The points of a TOML (``.toml``) or JSON file; one point per id without a file."""
    if path is None:
        return Points()
    file = existing_file(path, "points file", error=PointsError)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PointsError(f"--points {file}: cannot read it ({error})") from None
    if file.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise PointsError(f"--points {file}: not valid JSON ({error})") from None
    else:
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PointsError(f"--points {file}: not valid TOML ({error})") from None
    if not isinstance(data, dict):
        raise PointsError(f"--points {file}: expected a table (an object) at the top")
    return parse_points(data)
