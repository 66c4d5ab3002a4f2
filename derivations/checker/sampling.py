"""Exact points of each symbol's domain: every region, its boundaries, and many magnitudes.

A point gives every scalar symbol a rational number and every matrix symbol a matrix of
rationals (:mod:`derivations.checker.evaluating` evaluates answers there exactly). Domains
come from the symbols' assumptions (:mod:`derivations.symbols`) and an id's conditions:
``λ > 0``; ``γ, a1, a2 ≥ 0``; ``h1..h3`` real; ``Σ`` symmetric positive definite (``BBᵀ + I``
with integer ``B``: exactly SPD); other matrices and vectors with small rational entries.
The dimensions cycle through pairs with ``k < d``, ``k = d`` and ``k > d``.

Four kinds of points, so that a difference anywhere in the domain shows:

- ``nice``: small integers and halves — a counterexample there is easy to read;
- ``wide``: every scalar drawn log-uniformly over six decades, 1e-3 to 1e3 (``m·10^e``);
- ``random``: integers drawn uniformly from a large set ``S`` (:data:`RANDOM_BOUND`: 1 … 10⁶
  for a positive symbol, 0 … 10⁶ for a nonnegative one, −10⁶ … 10⁶ for a real one and for
  matrix entries), for the Schwartz–Zippel argument: a nonzero rational function of degree
  ``D`` vanishes at a uniformly drawn point of ``S^n`` with probability at most ``D/|S|``
  (:mod:`derivations.checker.schwartz_zippel`);
- ``boundary``: the regions' edges — every symbol that may be 0 set to 0, and both sides of
  each breakpoint an answer makes: for a root ``r`` of a comparison (``max(0, λ − 5)`` gets
  ``λ = 5``) the points ``r``, ``r ± max(|r|, 1)/1000``, ``r/10``, ``r/2``, ``2r``, ``10r``,
  ``r ± 1`` and ``r ±`` a random wide gap, so that a difference living past a threshold is found
  however small or large the threshold (``max(0, 0.001 − λ)`` gets ``λ = 0.0001``); the
  rational roots of every denominator too (where an answer may have no value).

Only rational roots (of polynomials up to degree 4, one symbol at a time) are found here;
:mod:`derivations.checker.pieces` settles every piece of the case structure the draw did
not reach, and the checker accepts nothing with a piece left open.

The scalars that decide a ``min``/``max``/case are drawn region by region
(:mod:`derivations.checker.case_splits`), so that ``a1 < a2``, ``a1 = a2`` (exactly) and
``a1 > a2`` all get points. A condition ``Eq(a1, a2)`` ties the values, ``a1 > 0`` makes a
symbol positive, other conditions reject points.

>>> from derivations.symbols import a1, a2
>>> pts = sample_points([sp.Min(a1, a2)], n=6, seed=0)
>>> sorted({p.region for p in pts})
['a1 < a2', 'a1 = a2', 'a2 < a1']
>>> all(p.values["a1"] == p.values["a2"] for p in pts if p.region == "a1 = a2")
True
>>> pts[0].kind, type(pts[0].values["a1"]).__name__
('nice', 'Fraction')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from derivations import symbols as S
from derivations.checker.case_splits import (
    KINDS,
    comparisons,
    deciding_names,
    kind_of,
    scalar_symbols,
)
from derivations.checker.evaluating import EvaluationError, Mat, dimension, value
from derivations.checker.zero_tests import is_rational
from derivations.regions import Ordering, weak_orderings

#: (d, k) pairs the points cycle through: k < d, k > d and k = d, small first.
DIMENSIONS: tuple[tuple[int, int], ...] = (
    (2, 1), (2, 3), (2, 2), (3, 2), (1, 2), (3, 3), (4, 2), (1, 1), (3, 4), (5, 3),
)

#: The same for answers defined only when d = k.
SQUARE_DIMENSIONS: tuple[tuple[int, int], ...] = ((2, 2), (3, 3), (1, 1), (4, 4))

#: More dimensions, for answers that use d or k as a number (``(d − 1)·w``): a polynomial in
#: d of degree D needs more than D values to show.
WIDE_DIMENSIONS: tuple[tuple[int, int], ...] = (
    (6, 2), (7, 7), (2, 8), (9, 4), (11, 6), (3, 12), (13, 13), (16, 5),
)

#: The point kinds, in the order they are drawn (see the module docstring).
KIND_ORDER = ("nice", "wide", "random")

#: How many of the drawn points are nice (the rest alternate wide and random).
NICE = 8

#: Decades of the wide points: 10^-3 … 10^3.
DECADES = range(-3, 4)

#: The random points' set: integers up to this size (see the module docstring).
RANDOM_BOUND = 10**6

#: Most boundary points added per comparison and symbol.
BOUNDARY_PER_COMPARISON = 12


def around(r: Fraction, gap: Fraction) -> list[Fraction]:
    """Points on both sides of a breakpoint ``r``, at every scale (see the module docstring).

    >>> [str(x) for x in around(Fraction(5), Fraction(300))]
    ['5', '1001/200', '999/200', '1/2', '5/2', '10', '50', '6', '4', '305', '-295']
    """
    eps = max(abs(r), Fraction(1)) / 1000
    out = [r, r + eps, r - eps]
    if r != 0:
        out += [r / 10, r / 2, 2 * r, 10 * r]
    out += [r + 1, r - 1, r + gap, r - gap]
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Point:
    """Values by name (``d`` and ``k`` included), the region drawn from, and the kind."""

    values: dict[str, Any]
    region: str | None = None
    kind: str = "random"


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
        for c in sorted(sp.And.make_args(sp.sympify(cond)), key=sp.default_sort_key):
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


# -- numbers ----------------------------------------------------------------------------------
def _positive(rng: np.random.Generator, kind: str) -> Fraction:
    """A positive rational of the point kind ``kind``."""
    if kind == "nice":
        return Fraction(int(rng.choice([1, 2, 3, 4])), int(rng.choice([1, 1, 2])))
    if kind == "wide":
        e = int(rng.choice(list(DECADES)))
        m = Fraction(int(rng.integers(1, 10)), int(rng.choice([1, 2, 3])))
        return m * Fraction(10) ** e
    return Fraction(int(rng.integers(1, RANDOM_BOUND + 1)))


def _uniform(rng: np.random.Generator, sign_kind: str) -> Fraction:
    """A uniform draw from the random set of ``sign_kind`` (see the module docstring)."""
    low = {"positive": 1, "nonnegative": 0}.get(sign_kind, -RANDOM_BOUND)
    return Fraction(int(rng.integers(low, RANDOM_BOUND + 1)))


def _scalar(rng: np.random.Generator, sign_kind: str, kind: str) -> Fraction:
    if kind == "random":
        return _uniform(rng, sign_kind)
    if sign_kind == "nonnegative" and rng.random() < (0.2 if kind == "nice" else 0.1):
        return Fraction(0)
    v = _positive(rng, kind)
    if sign_kind == "real":
        r = rng.random()
        if r < 0.1:
            return Fraction(0)
        if r < 0.55:
            return -v
    return v


def _matrix(rng: np.random.Generator, rows: int, cols: int, spd: bool, kind: str) -> Mat:
    low, high = {"nice": (-2, 3), "random": (-RANDOM_BOUND, RANDOM_BOUND + 1)}.get(kind, (-9, 10))
    if spd:
        b = rng.integers(low, high, size=(rows, rows))
        m = b @ b.T + np.eye(rows, dtype=np.int64)
        return Mat(tuple(tuple(Fraction(int(x)) for x in r) for r in m))
    while True:
        m = rng.integers(low, high, size=(rows, cols))
        if np.any(m != 0):
            break
    den = 1 if kind in ("nice", "random") else int(rng.choice([1, 1, 2, 3]))
    return Mat(tuple(tuple(Fraction(int(x), den) for x in r) for r in m))


def _ordered_values(rng: np.random.Generator, ordering: Ordering, kinds: Mapping[str, str],
                    kind: str) -> dict[str, Fraction]:
    """Values in the region ``ordering``: random gaps, and a base of the strongest kind."""
    base = Fraction(0)
    if ordering.zero_block() is None:
        names = [n for b in ordering.blocks for n in b]
        strongest = max((kinds.get(n, "real") for n in names), key=KINDS.index, default="real")
        base = _scalar(rng, strongest, kind)
        if strongest == "positive" and base == 0:
            base = Fraction(1)
    return ordering.levels(base, [_positive(rng, kind) for _ in ordering.blocks[1:]])


def regions_of(
    exprs: Sequence[sp.Basic], conditions: Conditions
) -> tuple[list[Ordering], dict[str, str]]:
    """The orderings that stratify ``exprs`` (after ties), and the scalar kinds."""
    tied = [e.xreplace(conditions.tie_map(exprs)) for e in exprs]
    kinds = scalar_kinds(exprs, conditions)
    names, zero = deciding_names(tied)
    return (weak_orderings(names, zero, kinds) if names else []), kinds


# -- one point --------------------------------------------------------------------------------
@dataclass
class _Draw:
    """Everything the points of one call share."""

    rng: np.random.Generator
    kinds: dict[str, str]
    mats: dict[str, sp.MatrixSymbol]
    conditions: Conditions
    dims: tuple[tuple[int, int], ...]
    spd: frozenset[str]
    square: bool = False

    def point(self, i: int, kind: str, region: Ordering | None,
              fixed: Mapping[str, Fraction] = ()) -> Point | None:
        """The ``i``-th point: ``fixed`` values first, then the region's, then the rest."""
        d, k = self.dims[i % len(self.dims)]
        values: dict[str, Any] = {"d": d, "k": k}
        if region is not None:
            values.update(_ordered_values(self.rng, region, self.kinds, kind))
        values.update(fixed)
        for name, sign_kind in sorted(self.kinds.items()):
            if name not in values:
                values[name] = _scalar(self.rng, sign_kind, kind)
        for name, m in sorted(self.mats.items()):
            rows, cols = (dimension(x, values) for x in m.shape)
            values[name] = _matrix(self.rng, rows, cols, name in self.spd, kind)
        for tie, keep in self.conditions.ties.items():  # both sides get the same value
            if keep in values or tie in values:
                values[tie] = values[keep] = values.get(keep, values.get(tie))
        if not self.admissible(values):
            return None
        return Point(values, region.label() if region else None, kind)

    def admissible(self, values: Mapping[str, Any]) -> bool:
        """Signs as the kinds say, and the id's other conditions."""
        for name, sign_kind in self.kinds.items():
            v = values.get(name)
            if v is None or isinstance(v, Mat):
                continue
            if (sign_kind == "positive" and v <= 0) or (sign_kind == "nonnegative" and v < 0):
                return False
        if self.conditions.rest is sp.true:
            return True
        try:
            return value(self.conditions.rest, values) is True
        except EvaluationError:  # a condition on a symbol this point lacks: not ours
            return True


def _roots(c: sp.Expr, s: sp.Symbol, others: Mapping[sp.Symbol, Fraction]) -> list[Fraction]:
    """The rational roots in ``s`` of the comparison ``c`` with the other symbols fixed."""
    fixed = c.xreplace({t: sp.Rational(v.numerator, v.denominator) for t, v in others.items()})
    if fixed.free_symbols != {s} or not is_rational(fixed):
        return []
    try:
        num = sp.fraction(sp.together(fixed))[0]
        poly = sp.Poly(num, s)
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
        return []
    if poly.degree() < 1 or poly.degree() > 4:
        return []
    return [Fraction(int(r.p), int(r.q)) for r in sp.roots(poly, filter="Q")]


def denominators(expr: sp.Basic) -> list[sp.Expr]:
    """The scalar bases of negative powers in ``expr``: where an answer may be undefined
    (``(λ² − 49)/((λ − 7)(λ + 7))`` has no value at ``λ = 7``, however it simplifies).

    >>> from derivations.symbols import lam
    >>> denominators(1 / (lam - 7) + lam**-2)
    [lambda, lambda - 7]
    """
    out = {node.base for node in sp.preorder_traversal(expr)
           if isinstance(node, sp.Pow) and node.exp.is_negative
           and not isinstance(node.base, sp.MatrixExpr) and not node.base.is_number}
    return sorted(out, key=sp.default_sort_key)


def boundary_points(draw: _Draw, exprs: Sequence[sp.Basic], orderings: Sequence[Ordering],
                    start: int) -> list[Point]:
    """Points on the domain's edges: every may-be-zero symbol at 0 (in every region), and
    around the roots of each comparison of ``exprs`` (see the module docstring)."""
    out: list[Point] = []
    i = start
    zeroable = [n for n, kd in draw.kinds.items() if kd != "positive"]
    for region in orderings or [None]:
        fixed = {n: Fraction(0) for n in zeroable
                 if region is None or all(n not in b for b in region.blocks)}
        for kind in ("nice", "random"):
            p = draw.point(i, kind, region, fixed)
            i += 1
            if p is not None:
                out.append(Point(p.values, p.region, "boundary"))
    tied = [e.xreplace(draw.conditions.tie_map(exprs)) for e in exprs]
    seen: set[str] = set()
    for c in (c for e in tied for c in [*comparisons(e), *denominators(e)]):
        key = sp.srepr(c)
        if key in seen or any(isinstance(t, sp.MatrixSymbol) for t in c.free_symbols):
            continue
        seen.add(key)
        syms = sorted(scalar_symbols(c), key=str)
        added = 0
        for dim in (S.d, S.k):  # a comparison of a dimension: d − 5 > 0 needs d = 4, 5, 6, 7
            if dim not in c.free_symbols:
                continue
            base = draw.point(i, "nice", None)
            i += 1
            if base is None:
                continue
            others = {t: base.values[t.name] for t in c.free_symbols - {dim}
                      if isinstance(t, sp.Symbol) and t.name in base.values}
            for r in _roots(c, dim, others):
                for n in range(max(1, int(r) - 1), max(1, int(r) - 1) + 4):
                    fixed = {t.name: v for t, v in others.items()} | {dim.name: n}
                    if draw.square:
                        fixed |= {"d": n, "k": n}  # an answer defined only for d = k
                    p = draw.point(i, "nice", None, fixed)
                    i += 1
                    if p is not None:
                        out.append(Point(p.values, _region_of(p.values, orderings), "boundary"))
        for s in syms:
            base = draw.point(i, "nice", None)
            i += 1
            if base is None:
                continue
            others = {t: base.values[t.name] for t in syms if t != s and t.name in base.values}
            for r in _roots(c, s, others):
                for x in around(r, _positive(draw.rng, "wide")):
                    if added >= BOUNDARY_PER_COMPARISON:
                        break
                    fixed = {t.name: v for t, v in others.items()} | {s.name: x}
                    p = draw.point(i, "nice", None, fixed)
                    i += 1
                    if p is not None:
                        out.append(Point(p.values, _region_of(p.values, orderings), "boundary"))
                        added += 1
    return out


def _region_of(values: Mapping[str, Any], orderings: Sequence[Ordering]) -> str | None:
    """The label of the region ``values`` lie in (None without regions)."""
    for o in orderings:
        levels = [{(Fraction(0) if n == "0" else values[n]) for n in b} for b in o.blocks]
        if all(len(lv) == 1 for lv in levels) and all(
                max(a) < min(b) for a, b in zip(levels, levels[1:], strict=False)):
            return o.label()
    return None


def make_draw(exprs: Sequence[sp.Basic], conditions: Conditions, seed: int = 0,
              square: bool = False) -> _Draw:
    """The domain of ``exprs``' symbols: their sign kinds, matrices and the id's conditions
    (``draw.kinds``, ``draw.admissible(values)``), and a generator of points in it."""
    kinds = scalar_kinds(exprs, conditions)
    return _Draw(np.random.default_rng(seed), kinds, matrix_symbols(exprs), conditions,
                 SQUARE_DIMENSIONS if square else DIMENSIONS, positive_definite_names(), square)


def sample_points(
    exprs: Sequence[sp.Basic],
    conditions: Conditions | None = None,
    n: int = 24,
    seed: int = 0,
    square: bool = False,
    boundary: bool = True,
) -> list[Point]:
    """At least ``n`` drawn points (2 per region at least, of every kind in turn), then the
    boundary points (unless ``boundary`` is False), for the symbols of ``exprs``."""
    conditions = conditions or Conditions()
    orderings, _ = regions_of(exprs, conditions)
    draw = make_draw(exprs, conditions, seed, square)
    count = max(n, 3 * len(orderings))
    if any(S.d in e.free_symbols or S.k in e.free_symbols for e in exprs):
        draw.dims = draw.dims + tuple((a, a if square else b) for a, b in WIDE_DIMENSIONS)
        count = max(count, 2 * len(draw.dims))
    points: list[Point] = []
    attempts = 0
    while len(points) < count and attempts < 10 * count:
        i = attempts
        attempts += 1
        kind = "nice" if i < NICE else KIND_ORDER[1 + i % 2]
        region = orderings[i % len(orderings)] if orderings else None
        p = draw.point(i, kind, region)
        if p is not None:
            points.append(p)
    if not boundary:
        return points
    return points + boundary_points(draw, exprs, orderings, attempts)


def random_points(exprs: Sequence[sp.Basic], conditions: Conditions, per_region: int,
                  seed: int = 1, square: bool = False) -> list[Point]:
    """``per_region`` points of kind ``random`` in every ordering region of ``exprs`` (every
    parameter uniform on its random set, :data:`RANDOM_BOUND`): the points of the
    Schwartz–Zippel bound (:mod:`derivations.checker.schwartz_zippel`)."""
    orderings, _ = regions_of(exprs, conditions)
    draw = make_draw(exprs, conditions, seed, square)
    points: list[Point] = []
    i = 0
    for region in orderings or [None]:
        made = 0
        for _ in range(10 * per_region):
            if made >= per_region:
                break
            p = draw.point(i, "random", region)
            i += 1
            if p is not None:
                points.append(p)
                made += 1
    return points


#: How :func:`describe_points` names the points of the kinds that are not drawn here.
EXTRA_KINDS = {
    "boundary": "on boundaries and ties",
    "scale": "on the scales 10^-12 … 10^12",
    "peak": "where a term is largest",
    "piece": "found inside pieces",
}


def describe_points(points: Sequence[Point]) -> str:
    """``"60 points (8 nice, 20 wide, 20 random, 12 on boundaries and ties)"``; points of
    kind ``scale`` and ``peak`` come from :mod:`derivations.checker.scales`, ``piece`` from
    :mod:`derivations.checker.pieces`."""
    counts = {k: sum(p.kind == k for p in points) for k in (*KIND_ORDER, *EXTRA_KINDS)}
    parts = [f"{counts[k]} {k}" for k in KIND_ORDER if counts[k]]
    parts += [f"{counts[k]} {words}" for k, words in EXTRA_KINDS.items() if counts[k]]
    return f"{len(points)} points ({', '.join(parts)})"


__all__ = [
    "RANDOM_BOUND",
    "Conditions",
    "Point",
    "boundary_points",
    "describe_points",
    "make_draw",
    "positive_definite_names",
    "random_points",
    "regions_of",
    "sample_points",
]
