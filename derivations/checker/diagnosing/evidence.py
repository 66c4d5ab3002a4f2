"""What the diagnosis rules look at, and how they compare values.

:class:`Evidence` holds both answers, the points and the exact values there (and their
floats). A rule names a mistake by a relation between values: an exact constant factor
(:func:`constant_factor`, :func:`exact_ratio`), or, in floating point and only to *name* a
mistake, ``yours = c·f·other`` with ``f`` a symbol's power (:func:`relation`); the verdict
itself is exact and decided elsewhere. :func:`mutated` evaluates the expected answer at
changed points (``Σ`` replaced by ``Σ⁻¹``, ``A`` by ``Aᵀ``).

>>> exact_ratio(Fraction(2), Fraction(1, 2)), exact_ratio(Fraction(0), Fraction(0))
(Fraction(4, 1), 'both zero')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from derivations.checker.case_splits import scalar_symbols
from derivations.checker.diagnosing.text import factor_text
from derivations.checker.evaluating import (
    UNDEFINED,
    EvaluationError,
    Mat,
    is_defined,
    to_float,
    value,
)
from derivations.checker.sampling import Point

__all__ = [
    "BOTH_ZERO",
    "Evidence",
    "close",
    "constant_factor",
    "exact_ratio",
    "is_finite",
    "is_identity",
    "may_equal",
    "mutated",
    "rational_entries",
    "relation",
    "scalar_names",
    "with_factor",
]


def is_finite(v: Any) -> bool:
    """True when every entry of the float value ``v`` is a finite number."""
    try:
        return bool(np.all(np.isfinite(np.asarray(v, dtype=float))))
    except (TypeError, ValueError):
        return False


def close(a: Any, b: Any, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """``a ≈ b`` in floating point — only to *name* a mistake; verdicts are exact."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not (is_finite(a) and is_finite(b)):
        return False
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.abs(a - b) <= atol + rtol * max(scale, 1.0)))


@dataclass
class Evidence:
    """What the rules look at: both answers, the points, the exact values there (and their
    floats, for the heuristics that name a mistake)."""

    answer_id: str
    yours: sp.Basic
    expected: sp.Basic
    points: list[Point]
    exact_yours: list[Any]
    exact_expected: list[Any]
    square_only: bool = False
    others: dict[str, tuple[sp.Basic, str]] = field(default_factory=dict)  # id -> (expr, q)
    zero_over_zero: bool = False
    #: The points where the two answers differ, as the verdict's comparison found them (at
    #: 45 digits and again at 380); None: compare here (:func:`agree`).
    differ: frozenset[int] | None = None
    #: The names the question ties to another (``{"a2": "a1"}`` where it fixes a1 = a2).
    ties: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.your_values = [to_float(v) for v in self.exact_yours]
        self.expected_values = [to_float(v) for v in self.exact_expected]

    def exact_of(self, expr: sp.Basic, points: Sequence[Point] | None = None) -> list[Any]:
        out = []
        for p in points if points is not None else self.points:
            try:
                out.append(value(expr, p.values, self.zero_over_zero))
            except (EvaluationError, KeyError, IndexError, TypeError, ValueError):
                out.append(UNDEFINED)
        return out

    def values_of(self, expr: sp.Basic, points: Sequence[Point] | None = None) -> list[Any]:
        return [to_float(v) for v in self.exact_of(expr, points)]

    def valid(self) -> list[int]:
        """Indices of the points where the expected answer is defined (exactly: a value past
        the float range is a value)."""
        return [i for i, v in enumerate(self.exact_expected) if is_defined(v)]


# The float path below (``_ratio``, ``relation``) only names a likely mistake (a symbol's
# power as a factor); it never decides a verdict, which is exact (verdict._compare). Its
# tolerances are loose on purpose: 1e-6 relative for "the same ratio", 1e-20/1e-16 for "both
# zero" on values of order 1e-3..1e3.
def _ratio(y: Any, e: Any) -> float | None | bool:
    """``r`` with ``y ≈ r·e``; True if both ≈ 0; None if no such ``r``."""
    y, e = np.asarray(y, dtype=float), np.asarray(e, dtype=float)
    if y.shape != e.shape or not (is_finite(y) and is_finite(e)):
        return None
    ee = float(np.sum(e * e))
    if ee <= 1e-20:
        return True if float(np.sum(y * y)) <= 1e-16 else None
    r = float(np.sum(y * e)) / ee
    return r if close(y, r * e) else None


def scalar_names(*exprs: sp.Basic) -> list[str]:
    """The names of the scalar symbols of ``exprs``, sorted."""
    return sorted(s.name for s in scalar_symbols(*exprs))


def relation(ev: Evidence, ys: Sequence[Any], es: Sequence[Any], idx: Sequence[int]):
    """``(c, f)`` with ``yours = c·f·other`` at the points ``idx`` (f a symbol's power), or None.

    ``c`` is a float, ``f`` a SymPy expression (1 when the factor is constant).
    """
    ratios: list[tuple[int, float]] = []
    for i in idx:
        r = _ratio(ys[i], es[i])
        if r is None:
            return None
        if r is not True:
            ratios.append((i, float(r)))
    if len(ratios) < 3:  # too few to tell a symbol's power: one constant, or none
        if not ratios:
            return (1.0, sp.S.One) if idx else None
        r0 = ratios[0][1]
        same = all(abs(r - r0) <= 1e-6 * max(1.0, abs(r0)) for _, r in ratios)
        return (r0, sp.S.One) if same else None
    candidates: list[sp.Expr] = [sp.S.One]
    for name in scalar_names(ev.yours, ev.expected):
        sym = sp.Symbol(name)
        candidates += [sym, sym**-1, sym**2, sym**-2]
    for f in candidates:
        qs = []
        for i, r in ratios:
            fv = float(to_float(value(f, ev.points[i].values))) if f != 1 else 1.0
            if fv == 0 or not np.isfinite(fv):
                break
            qs.append(r / fv)
        else:
            q0 = float(np.median(qs))
            if all(abs(q - q0) <= 1e-6 * max(1.0, abs(q0)) for q in qs):
                return q0, f
    return None


def may_equal(ev: Evidence, ys: Sequence[Any], expr: sp.Basic, idx: Sequence[int],
              probe: int = 4) -> bool:
    """False where ``expr`` certainly differs from ``ys`` at one of the first ``probe``
    points of ``idx`` (a ratio off 1 by more than 1e-5, or none), so that
    ``is_identity(relation(ev, ys, values_of(expr), idx))`` cannot hold; True otherwise.
    A cheap test first: ``expr`` is evaluated at ``probe`` points, not at all of them."""
    for i in idx[:probe]:
        r = _ratio(ys[i], ev.values_of(expr, [ev.points[i]])[0])
        if r is None or (r is not True and abs(r - 1) > 1e-5):
            return False
    return True


def is_identity(rel: tuple[float, sp.Expr] | None) -> bool:
    return rel is not None and rel[1] == 1 and abs(rel[0] - 1) <= 1e-6


def with_factor(message: str, rel: tuple[float, sp.Expr]) -> str:
    return message if is_identity(rel) else f"{message}, and off by a factor {factor_text(*rel)}"


def rational_entries(y: Any, e: Any) -> tuple[list[Fraction], list[Fraction]] | None:
    """The entries of two exact values of one shape (scalars: one entry each), or None."""
    if isinstance(e, Mat) != isinstance(y, Mat) or (isinstance(e, Mat) and e.shape != y.shape):
        return None
    ys = [x for r in y.rows for x in r] if isinstance(y, Mat) else [y]
    es = [x for r in e.rows for x in r] if isinstance(e, Mat) else [e]
    if not all(isinstance(x, Fraction) for x in ys + es):
        return None
    return ys, es


#: What :func:`exact_ratio` says when both values are 0 (any ratio fits).
BOTH_ZERO = "both zero"


def exact_ratio(y: Any, e: Any) -> Fraction | None | str:
    """``r`` with ``y = r·e`` exactly (rational values); :data:`BOTH_ZERO` if both are 0;
    None if there is no such ``r``."""
    pair = rational_entries(y, e)
    if pair is None:
        return None
    ys, es = pair
    pivot = next((j for j, x in enumerate(es) if x != 0), None)
    if pivot is None:
        return BOTH_ZERO if all(x == 0 for x in ys) else None
    r = ys[pivot] / es[pivot]
    return r if all(a == r * b for a, b in zip(ys, es, strict=True)) else None


def constant_factor(ev: Evidence, ys: Sequence[Any], idx: Sequence[int]) -> Fraction | None:
    """The exact constant ``c`` with ``ys = c·expected`` at every point of ``idx``, if any."""
    ratios = {exact_ratio(ys[i], ev.exact_expected[i]) for i in idx} - {BOTH_ZERO}
    if len(ratios) == 1 and None not in ratios:
        return ratios.pop()
    return None


def mutated(ev: Evidence, points: list[Point], change: Callable[[dict], dict]) -> list[Any]:
    """The expected answer at ``points`` with their values changed by ``change``."""
    moved = []
    for p in points:
        try:
            moved.append(Point(change(dict(p.values)), p.region, p.kind))
        except (ArithmeticError, ValueError):
            moved.append(Point({}, p.region, p.kind))  # no value there
    return ev.values_of(ev.expected, moved)
