"""Random points from each symbol's domain, stratified by the regions of the answer.

Domains come from the symbols' assumptions (:mod:`derivations.symbols`) and an id's extra
conditions: ``λ > 0``; ``γ, a1, a2 ≥ 0``; ``h1..h3`` real; ``Σ`` symmetric positive definite
(a random ``BBᵀ + εI``); other matrices and vectors with Gaussian entries. The dimensions
cycle through pairs with ``k < d``, ``k = d`` and ``k > d``. A condition ``Eq(a1, a2)``
ties the values, ``a1 > 0`` makes a symbol positive, other conditions reject points.

The scalars that decide a ``min``/``max``/case are drawn region by region
(:mod:`derivations.checker.case_splits`), so that ``a1 < a2``, ``a1 = a2`` (exactly) and ``a1 > a2``
all get points. The first points are "nice" (small integers, halves) so that a
counterexample is easy to read; the rest are continuous.

>>> from derivations.symbols import a1, a2
>>> pts = sample_points([sp.Min(a1, a2)], n=6, seed=0)
>>> sorted({p.region for p in pts})
['a1 < a2', 'a1 = a2', 'a2 < a1']
>>> all(p.values["a1"] == p.values["a2"] for p in pts if p.region == "a1 = a2")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from derivations import symbols as S
from derivations.checker.case_splits import KINDS, deciding_names, kind_of, scalar_symbols
from derivations.checker.evaluating import dimension, evaluate
from derivations.regions import Ordering, weak_orderings

#: (d, k) pairs the points cycle through: k < d, k > d and k = d, small first.
DIMENSIONS: tuple[tuple[int, int], ...] = (
    (2, 1),
    (2, 3),
    (2, 2),
    (3, 2),
    (1, 2),
    (3, 3),
    (4, 2),
    (1, 1),
    (3, 4),
    (5, 3),
)

#: The same for answers defined only when d = k.
SQUARE_DIMENSIONS: tuple[tuple[int, int], ...] = ((2, 2), (3, 3), (1, 1), (4, 4))

#: How many of the first points use small integers and halves.
NICE = 8


@dataclass(frozen=True)
class Point:
    """Values by name (``d`` and ``k`` included), the region drawn from, and niceness."""

    values: dict[str, Any]
    region: str | None = None
    nice: bool = False


@dataclass(frozen=True)
class Conditions:
    """An id's extra conditions, split into ties, sign facts, and the rest (checked)."""

    ties: dict[str, str] = field(default_factory=dict)  # name -> name it equals
    kinds: dict[str, str] = field(default_factory=dict)  # name -> positive | nonnegative
    rest: sp.Basic = sp.true

    @staticmethod
    def parse(cond: sp.Basic) -> Conditions:
        """Read ``Eq(a1, a2)``, ``a1 > 0``, ``a1 >= 0`` (joined by ``&``); keep the rest.

        >>> Conditions.parse(sp.Eq(S.a1, S.a2) & (S.gamma > 0))
        Conditions(ties={'a2': 'a1'}, kinds={'gamma': 'positive'}, rest=True)
        """
        ties: dict[str, str] = {}
        kinds: dict[str, str] = {}
        rest = []
        for c in sp.And.make_args(sp.sympify(cond)):
            if c is sp.true:
                continue
            if isinstance(c, sp.Eq) and all(isinstance(x, sp.Symbol) for x in c.args):
                keep, tie = sorted((c.lhs.name, c.rhs.name))
                ties[tie] = keep
            elif isinstance(c, (sp.Gt, sp.Ge)) and isinstance(c.lhs, sp.Symbol) and c.rhs == 0:
                kinds[c.lhs.name] = "positive" if isinstance(c, sp.Gt) else "nonnegative"
            elif isinstance(c, (sp.Lt, sp.Le)) and isinstance(c.rhs, sp.Symbol) and c.lhs == 0:
                kinds[c.rhs.name] = "positive" if isinstance(c, sp.Lt) else "nonnegative"
            else:
                rest.append(c)
        return Conditions(ties, kinds, sp.And(*rest))

    def tie_map(self, exprs: Sequence[sp.Basic]) -> dict[sp.Symbol, sp.Symbol]:
        """``{tied symbol: kept symbol}`` for the ties whose tied name occurs in ``exprs``.

        >>> Conditions.parse(sp.Eq(S.a1, S.a2)).tie_map([S.a2 - S.h1])
        {a2: a1}
        """
        by_name = {
            s.name: s
            for e in exprs
            for s in e.free_symbols
            if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)
        }
        return {
            by_name[tie]: by_name.get(keep, sp.Symbol(keep, **by_name[tie].assumptions0))
            for tie, keep in self.ties.items()
            if tie in by_name
        }


def scalar_kinds(exprs: Sequence[sp.Basic], conditions: Conditions) -> dict[str, str]:
    """Sign kind of every scalar symbol in ``exprs`` (assumptions, then conditions)."""
    kinds: dict[str, str] = {}
    for s in scalar_symbols(*exprs):
        kinds[s.name] = max(kinds.get(s.name, "real"), kind_of(s), key=KINDS.index)
    for name, k in conditions.kinds.items():
        kinds[name] = max(kinds.get(name, "real"), k, key=KINDS.index)
    return kinds


def matrix_symbols(exprs: Sequence[sp.Basic]) -> dict[str, sp.MatrixSymbol]:
    return {m.name: m for e in exprs for m in e.atoms(sp.MatrixSymbol)}


@cache
def positive_definite_names() -> frozenset[str]:
    """Matrix symbols that the sheet's assumptions make symmetric positive definite."""
    return frozenset(
        m.name
        for m in S.BY_NAME.values()
        if isinstance(m, sp.MatrixSymbol)
        and sp.ask(sp.Q.positive_definite(m), S.MATRIX_ASSUMPTIONS)
    )


def _scalar(rng: np.random.Generator, kind: str, nice: bool) -> float:
    if nice:
        choices = {
            "positive": (1.0, 2.0, 0.5, 3.0),
            "nonnegative": (0.0, 1.0, 2.0, 3.0, 0.5),
            "real": (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0),
        }[kind]
        return float(rng.choice(choices))
    if kind == "positive":
        return float(np.exp(rng.uniform(-1.5, 1.5)))
    if kind == "nonnegative":
        return 0.0 if rng.random() < 0.15 else float(np.exp(rng.uniform(-1.5, 1.5)))
    return float(rng.normal(0.0, 2.0))


def _gap(rng: np.random.Generator, nice: bool) -> float:
    return float(rng.integers(1, 4)) if nice else float(np.exp(rng.uniform(-1.5, 1.0)))


def _matrix(rng: np.random.Generator, rows: int, cols: int, spd: bool, nice: bool) -> np.ndarray:
    if spd:
        if nice:
            b = rng.integers(-1, 2, size=(rows, rows)).astype(float)
            return b @ b.T + np.eye(rows)
        b = rng.normal(size=(rows, rows))
        return b @ b.T + 0.5 * np.eye(rows)
    while True:
        m = (
            rng.integers(-2, 3, size=(rows, cols)).astype(float)
            if nice
            else rng.normal(size=(rows, cols))
        )
        if np.any(m != 0):
            return m


def _ordered_values(
    rng: np.random.Generator, ordering: Ordering, kinds: Mapping[str, str], nice: bool
) -> dict[str, float]:
    """Values in the region ``ordering``: random gaps, and a base of the strongest kind."""
    base = 0.0
    if ordering.zero_block() is None:
        names = [n for b in ordering.blocks for n in b]
        base_kind = max((kinds.get(n, "real") for n in names), key=KINDS.index, default="real")
        base = _scalar(rng, base_kind, nice)
    return ordering.levels(base, [_gap(rng, nice) for _ in ordering.blocks[1:]])


def regions_of(
    exprs: Sequence[sp.Basic], conditions: Conditions
) -> tuple[list[Ordering], dict[str, str]]:
    """The orderings that stratify ``exprs`` (after ties), and the scalar kinds."""
    tied = [e.xreplace(conditions.tie_map(exprs)) for e in exprs]
    kinds = scalar_kinds(exprs, conditions)
    names, zero = deciding_names(tied)
    return (weak_orderings(names, zero, kinds) if names else []), kinds


def sample_points(
    exprs: Sequence[sp.Basic],
    conditions: Conditions | None = None,
    n: int = 24,
    seed: int = 0,
    square: bool = False,
) -> list[Point]:
    """At least ``n`` points (2 per region at least) for the symbols of ``exprs``."""
    conditions = conditions or Conditions()
    rng = np.random.default_rng(seed)
    orderings, kinds = regions_of(exprs, conditions)
    spd = positive_definite_names()
    mats = matrix_symbols(exprs)
    count = max(n, 2 * len(orderings))
    dims = SQUARE_DIMENSIONS if square else DIMENSIONS
    points: list[Point] = []
    attempts = 0
    while len(points) < count and attempts < 10 * count:
        i = attempts
        attempts += 1
        nice = i < NICE
        d, k = dims[i % len(dims)]
        values: dict[str, Any] = {"d": d, "k": k}
        region = orderings[i % len(orderings)] if orderings else None
        if region is not None:
            values.update(_ordered_values(rng, region, kinds, nice))
        for name, kind in sorted(kinds.items()):
            if name not in values:
                values[name] = _scalar(rng, kind, nice)
        for name, m in sorted(mats.items()):
            rows, cols = (dimension(x, values) for x in m.shape)
            values[name] = _matrix(rng, rows, cols, name in spd, nice)
        for tie, keep in conditions.ties.items():  # both sides get the same value
            if keep in values or tie in values:
                values[tie] = values[keep] = values.get(keep, values.get(tie))
        if conditions.rest is not sp.true:
            try:
                if not bool(evaluate(conditions.rest, values)):
                    continue
            except Exception:  # noqa: BLE001 - a condition we cannot evaluate rejects nothing
                pass
        points.append(Point(values, region.label() if region else None, nice))
    return points


__all__ = [
    "Conditions",
    "Point",
    "positive_definite_names",
    "regions_of",
    "sample_points",
]
