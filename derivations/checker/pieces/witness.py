"""Points strictly inside a piece of the case structure, found by search.

:func:`witness` moves one parameter at a time onto the right side of a violated condition —
exactly next to the roots of a polynomial condition (isolated to :data:`ROOT_WIDTH`, so a
window of width 10⁻⁹ next to an irrational root is found), else across a sign change on a
grid from 10⁻¹² to 10¹² (:data:`GRID`), which also scales each matrix; :func:`near_points`
perturbs a point found into more points of the same piece. Every point is checked exactly
(:func:`holds`, :func:`inside`).

>>> from derivations.checker.pieces.structure import GT, Piece
>>> from derivations.symbols import a1, a2
>>> holds(a1 - a2, GT, {"a1": Fraction(2), "a2": Fraction(1)})
True
>>> witness(Piece(((a1 - a2 - 5, GT),), a1), [{"a1": Fraction(1), "a2": Fraction(1)}],
...         {"a1": "nonnegative", "a2": "nonnegative"})[0]
{'a1': Fraction(12, 1), 'a2': Fraction(1, 1)}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from derivations.checker.evaluating import UNDEFINED, EvaluationError, Mat, sign, value
from derivations.checker.pieces.structure import EQ, Piece
from derivations.checker.zero_tests import is_rational

__all__ = [
    "GRID",
    "MAX_DEGREE",
    "ROOT_WIDTH",
    "STEPS",
    "WITNESS_EVALUATIONS",
    "around_roots",
    "complete",
    "holds",
    "inside",
    "near_points",
    "root_intervals",
    "simplest_between",
    "witness",
]

#: Most evaluations of one witness search (a budget in work: the same on every machine).
WITNESS_EVALUATIONS = 1000

#: Highest degree of a polynomial condition whose roots are isolated exactly.
MAX_DEGREE = 12

#: Width to which irrational roots are isolated.
ROOT_WIDTH = Fraction(1, 10**25)

#: Relative steps taken from a root to either side, ``|r|·10⁻ᵏ``.
STEPS = (1, 3, 6, 9, 12, 15)

#: The grid of magnitudes scanned for conditions that are not polynomial: 10^(e/2).
GRID = tuple(Fraction(10) ** (e // 2) * (Fraction(316, 100) if e % 2 else 1)
             for e in range(-24, 25))


def complete(values: Mapping[str, Any], solved: Sequence[tuple[str, sp.Expr]],
             ties: Mapping[str, str]) -> dict[str, Any]:
    """``values`` with the solved names computed from the others and the tied names copied."""
    out = dict(values)
    for name, e in solved:
        try:
            out[name] = value(e, out)
        except (EvaluationError, ValueError, TypeError, ArithmeticError, KeyError):
            out[name] = UNDEFINED
    for tie, keep in ties.items():
        if keep in out:
            out[tie] = out[keep]
    return out


def _sign(v: Any) -> int | None:
    """The certain sign of a value (None: undefined, a matrix, or not separated from 0)."""
    if v is UNDEFINED or isinstance(v, (Mat, bool)):
        return None
    return sign(v)


def _strict(signs: frozenset[int]) -> frozenset[int]:
    """The signs of the piece's interior: the closed ``≤ 0`` becomes ``< 0``."""
    return signs if signs == EQ else signs - {0}


def holds(key: sp.Expr, signs: frozenset[int], values: Mapping[str, Any]) -> bool:
    """Whether ``values`` lie strictly on the allowed side of the condition."""
    try:
        s = _sign(value(key, values))
    except (EvaluationError, ValueError, TypeError, ArithmeticError, KeyError):
        return False
    return s is not None and s in _strict(signs)


def inside(piece: Piece, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` lie in the interior of ``piece`` (equalities held exactly)."""
    return all(holds(k, s, values) for k, s in piece.conds)


def simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator (then numerator) in ``[lo, hi]``.

    >>> simplest_between(Fraction(14142135, 1000), Fraction(14143))
    Fraction(14143, 1)
    >>> simplest_between(Fraction(1, 3) + Fraction(1, 10**12), Fraction(1, 3) + Fraction(1, 10**11))
    Fraction(11111111112, 33333333335)
    """
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -simplest_between(-hi, -lo)
    fl = math.floor(lo)
    if fl == lo:
        return Fraction(fl)
    if fl + 1 <= hi:
        return Fraction(fl + 1)
    return fl + 1 / simplest_between(1 / (hi - fl), 1 / (lo - fl))


def root_intervals(poly: sp.Poly) -> list[tuple[Fraction, Fraction]]:
    """Isolating intervals ``[a, b]`` (``a = b`` for a rational root) of ``poly``'s real
    roots, at most :data:`ROOT_WIDTH` wide."""
    if not 1 <= poly.degree() <= MAX_DEGREE:
        return []
    eps = sp.Rational(ROOT_WIDTH.numerator, ROOT_WIDTH.denominator)
    out = []
    for (a, b), _ in poly.intervals(eps=eps):
        out.append((Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))))
    return sorted(out)


def around_roots(roots: Sequence[tuple[Fraction, Fraction]]) -> list[Fraction]:
    """Points on both sides of every root, between neighbouring roots, and beyond them."""
    out: list[Fraction] = []
    for a, b in roots:
        if a == b:
            out.append(a)
        r = (a + b) / 2
        scale = max(abs(r), Fraction(1, 10**9))
        for k in STEPS:
            step = scale / Fraction(10) ** k
            if step / 2 <= (b - a):
                break
            out.append(simplest_between(b + step / 2, b + step))
            out.append(simplest_between(a - step, a - step / 2))
        out += [simplest_between(r * 2, r * 3), simplest_between(r / 3, r / 2)]
    for (_, b1), (a2, _) in zip(roots, roots[1:], strict=False):
        out.append(simplest_between((3 * b1 + a2) / 4, (b1 + 3 * a2) / 4))
    if roots:
        lo, hi = roots[0][0], roots[-1][1]
        out.append(simplest_between(hi + max(abs(hi), 1), hi + 2 * max(abs(hi), 1)))
        out.append(simplest_between(lo - 2 * max(abs(lo), 1), lo - max(abs(lo), 1)))
    return out


def _size(x: Fraction) -> int:
    """How hard ``x`` is to read: its digits, the denominator's and a slash counted."""
    den = x.denominator
    return len(str(abs(x.numerator))) + (0 if den == 1 else len(str(den)) + 1)


def _grid(kind: str) -> list[Fraction]:
    out = list(GRID)
    if kind != "positive":
        out = [Fraction(0), *out]
    if kind == "real":
        out = [-g for g in reversed(GRID)] + out
    return out


@dataclass
class _Search:
    """One witness search: the piece's conditions, the variables and their domains."""

    conds: Sequence[tuple[sp.Expr, frozenset[int]]]
    kinds: Mapping[str, str]                      # scalar name → sign kind
    admissible: Callable[[Mapping[str, Any]], bool]
    budget: int                                   # most evaluations (work, not time)
    evaluations: int = 0
    base: dict[str, Any] = field(default_factory=dict)

    ties: Mapping[str, str] = field(default_factory=dict)  # tied name → the name it equals
    solved: Sequence[tuple[str, sp.Expr]] = ()            # name → its value's expression

    def realize(self, state: Mapping[str, Fraction]) -> dict[str, Any]:
        """The point of ``state``: scalars set, every matrix ``M`` scaled by its factor, the
        solved names computed, the tied names copied."""
        values = dict(self.base)
        for var, x in state.items():
            if var.startswith("scale:"):
                name = var[6:]
                m = self.base[name]
                values[name] = Mat(tuple(tuple(e * x for e in r) for r in m.rows))
            else:
                values[var] = x
        return complete(values, self.solved, self.ties)

    def violated(self, values: Mapping[str, Any]) -> list[int]:
        self.evaluations += len(self.conds)
        return [i for i, (k, s) in enumerate(self.conds) if not holds(k, s, values)]

    def variables(self, key: sp.Expr) -> list[str]:
        scal = sorted(s.name for s in key.free_symbols
                      if isinstance(s, sp.Symbol) and s.name in self.kinds)
        mats = sorted(f"scale:{m.name}" for m in key.atoms(sp.MatrixSymbol)
                      if isinstance(self.base.get(m.name), Mat))
        return scal + mats

    def candidates(self, key: sp.Expr, var: str, state: Mapping[str, Fraction]) -> list[Fraction]:
        """Values of ``var`` worth trying to satisfy the condition on ``key``."""
        kind = "positive" if var.startswith("scale:") else self.kinds.get(var, "real")
        found = self._polynomial(key, var, state)
        if found is None:
            found = self._scan(key, var, state, kind)
        ok = {"positive": lambda x: x > 0, "nonnegative": lambda x: x >= 0}.get(
            kind, lambda x: True)
        return sorted((x for x in dict.fromkeys(found) if ok(x)), key=lambda x: (_size(x), abs(x)))

    def _polynomial(self, key: sp.Expr, var: str, state: Mapping[str, Fraction]
                    ) -> list[Fraction] | None:
        if var.startswith("scale:") or key.atoms(sp.MatrixSymbol):
            return None
        values = self.realize(state)
        s = next(t for t in key.free_symbols if isinstance(t, sp.Symbol) and t.name == var)
        subs = {t: sp.Rational(values[t.name].numerator, values[t.name].denominator)
                for t in key.free_symbols
                if isinstance(t, sp.Symbol) and t is not s and isinstance(values.get(t.name),
                                                                          Fraction)}
        f = key.xreplace(subs)
        if f.free_symbols != {s} or not is_rational(f):
            return None
        try:
            num, den = sp.fraction(sp.together(f))
            polys = [sp.Poly(num, s)] + ([sp.Poly(den, s)] if den.has(s) else [])
        except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
            return None
        roots = sorted({r for p in polys for r in root_intervals(p)})
        return around_roots(roots) + _grid(self.kinds.get(var, "real"))[::4]

    def _scan(self, key: sp.Expr, var: str, state: Mapping[str, Fraction], kind: str
              ) -> list[Fraction]:
        grid = _grid(kind)
        signs = []
        for x in grid:
            self.evaluations += 1
            try:
                signs.append(_sign(value(key, self.realize({**state, var: x}))))
            except (EvaluationError, ValueError, TypeError, ArithmeticError, KeyError):
                signs.append(None)
        roots = []
        for (x0, s0), (x1, s1) in zip(zip(grid, signs, strict=True),
                                      zip(grid[1:], signs[1:], strict=True), strict=False):
            if s0 is not None and s1 is not None and s0 != s1:
                roots.append(self._bisect(key, var, state, x0, x1, s0))
        return around_roots(roots) + grid

    def _bisect(self, key: sp.Expr, var: str, state: Mapping[str, Fraction], lo: Fraction,
                hi: Fraction, s_lo: int) -> tuple[Fraction, Fraction]:
        for _ in range(90):
            if hi - lo <= ROOT_WIDTH * max(abs(lo), 1):
                break
            mid = simplest_between(lo + (hi - lo) / 3, hi - (hi - lo) / 3)
            self.evaluations += 1
            try:
                s = _sign(value(key, self.realize({**state, var: mid})))
            except (EvaluationError, ValueError, TypeError, ArithmeticError, KeyError):
                s = None
            if s == 0:
                return mid, mid
            if s == s_lo:
                lo = mid
            else:
                hi = mid
        return lo, hi

    def run(self, starts: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
        """A point strictly inside the piece, searched from each of ``starts``: each step
        satisfies one violated condition by moving one variable (not the one moved last),
        choosing the move that leaves the fewest conditions violated."""
        for start in starts:
            self.base = dict(start)
            state: dict[str, Fraction] = {}
            seen = {()}
            last = None
            for _ in range(4 * len(self.conds) + 4):
                if self.evaluations > self.budget:
                    return None
                bad = self.violated(self.realize(state))
                if not bad:
                    return self.realize(state)
                best: tuple[int, dict[str, Fraction], str] | None = None
                for i in bad:
                    key, signs = self.conds[i]
                    for var in self.variables(key):
                        if var == last:
                            continue
                        for x in self.candidates(key, var, state):
                            new = {**state, var: x}
                            mark = tuple(sorted(new.items()))
                            if mark in seen:
                                continue
                            seen.add(mark)
                            self.evaluations += 1
                            if self.evaluations > self.budget:
                                return None
                            nv = self.realize(new)
                            if not holds(key, signs, nv) or not self.admissible(nv):
                                continue
                            n = len(self.violated(nv))
                            if n == 0:
                                return nv
                            if best is None or n < best[0]:
                                best = (n, new, var)
                if best is None:
                    break
                _, state, last = best
        return None


def witness(piece: Piece, starts: Sequence[Mapping[str, Any]], kinds: Mapping[str, str],
            admissible: Callable[[Mapping[str, Any]], bool] = lambda v: True,
            budget: int = WITNESS_EVALUATIONS, ties: Mapping[str, str] | None = None
            ) -> tuple[dict[str, Any] | None, int]:
    """A point strictly inside ``piece`` (see the module docstring), or None; and the
    evaluations spent (at most about ``budget``: the search is bounded in work, not time).

    ``starts``: full points to start from (the fewest violated conditions first);
    ``kinds``: the sign kind of every scalar that may move; ``admissible``: the domain test;
    ``ties``: names that must equal another (``{"a2": "a1"}``).
    """
    search = _Search(piece.conds, kinds, admissible, budget, ties=dict(ties or {}),
                     solved=piece.solved)
    ranked = sorted(starts, key=lambda v: len(search.violated(v)))
    return search.run(ranked[:6]), search.evaluations


def near_points(piece: Piece, point: Mapping[str, Any], kinds: Mapping[str, str],
                admissible: Callable[[Mapping[str, Any]], bool],
                ties: Mapping[str, str] | None = None, count: int = 2,
                seed: int = 0) -> list[dict[str, Any]]:
    """Up to ``count`` random points inside ``piece`` near ``point`` (every free scalar
    perturbed by a random relative amount between 10⁻⁸ and 10⁻¹; solved and tied names
    follow)."""
    rng = np.random.default_rng(seed)
    ties = ties or {}
    fixed = set(ties) | {n for n, _ in piece.solved}
    out: list[dict[str, Any]] = []
    for _ in range(8 * count):
        if len(out) >= count:
            break
        q = dict(point)
        for name in sorted(kinds):
            x = q.get(name)
            if name not in fixed and isinstance(x, Fraction) and x != 0:
                u = Fraction(int(rng.integers(-9999, 10_000)), 10_000)
                q[name] = x * (1 + u * Fraction(1, 10 ** int(rng.integers(1, 9))))
        q = complete(q, piece.solved, ties)
        if inside(piece, q) and admissible(q):
            out.append(q)
    return out
