"""One line of the verification table: what was compared, the largest error, the tolerance.

>>> r = Row.of("1a demo", "x vs x*", [1e-9, 3e-8], tolerance=1e-6, iterations=[1, 2])
>>> r.max_error, r.passed, r.details["iterations"]
(3e-08, True, [1, 2])
>>> Row.of("nan fails", "x vs x*", [0.0, float("nan")], tolerance=1.0).passed
False
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Row:
    """A check: ``passed`` iff ``max_error ≤ tolerance`` (a NaN error never passes)."""

    check: str
    compared: str
    max_error: float
    tolerance: float
    passed: bool
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, check: str, compared: str, errors: Iterable[float] | np.ndarray | float,
           tolerance: float, **details: Any) -> Row:
        """The row for ``errors`` (any array; NaN counts as an infinite error)."""
        values = np.asarray(errors, dtype=float).ravel()
        values = np.where(np.isnan(values), math.inf, values)
        worst = float(values.max()) if values.size else math.inf
        return cls(check, compared, worst, float(tolerance), bool(worst <= tolerance),
                   dict(details))

    def with_details(self, **details: Any) -> Row:
        """The same row with ``details`` added (e.g. the path of its plot).

        >>> Row.of("1a demo", "x", [0.0], 1.0, method="m").with_details(plot="p.png").details
        {'method': 'm', 'plot': 'p.png'}
        """
        return replace(self, details={**self.details, **details})

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (infinite errors become the string ``"inf"``)."""
        out = asdict(self)
        out["max_error"] = _finite_or_text(self.max_error)
        out["details"] = _jsonable(self.details)
        return out


def _finite_or_text(value: float) -> float | str:
    return value if math.isfinite(value) else str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return _finite_or_text(value)
    return value


def relative_error(value: np.ndarray, reference: np.ndarray) -> float:
    """``‖value − reference‖ / ‖reference‖`` (Euclidean; absolute when ``reference = 0``).

    >>> relative_error(np.array([3.0, 4.0 + 1e-6]), np.array([3.0, 4.0]))
    2.0000...e-07
    """
    value, reference = np.asarray(value, float), np.asarray(reference, float)
    if value.shape != reference.shape:
        raise ValueError(f"shapes differ: {value.shape} vs {reference.shape}")
    scale = float(np.linalg.norm(reference))
    err = float(np.linalg.norm(value - reference))
    return err / scale if scale > 0 else err


__all__ = ["Row", "relative_error"]
