"""Where two answers may differ: every piece of their case structure, settled one by one.

An answer made of ``min``, ``max``, ``|·|``, ``sign``, ``Heaviside`` and cases is one smooth
expression on each *piece*: a set of sign conditions ``c(x) < 0``, ``c(x) = 0`` or
``c(x) > 0`` on smooth expressions ``c`` (``max(0, λ² − 2·10⁸)`` has the pieces
``λ² − 2·10⁸ ≤ 0`` and ``≥ 0``; a nested ``max(0, min(a1, a2) − 10⁵)`` has three). The
difference ``D = yours − expected`` is cut into its pieces (:func:`pieces`); on each, ``D``
is one smooth expression ``D_p``. A piece is *settled* when

- its conditions contradict each other or the symbols' signs (it is empty);
- ``D_p`` cancels to 0 (after substituting the piece's equalities): the answers agree on it;
- points strictly inside it were compared exactly: drawn points
  (:mod:`derivations.checker.sampling`), or points found by :func:`witness`, a search that
  moves one parameter at a time onto the right side of a violated condition — exactly next
  to the roots of a polynomial condition (isolated to 10⁻²⁵, so a window of width 10⁻⁹ next
  to an irrational root is found), else across a sign change on a grid from 10⁻¹² to 10¹²,
  which also scales each matrix.

A piece that is none of these stays *open*, and the checker does not answer "equal"
(:mod:`derivations.checker.verdict`).

>>> from derivations.symbols import lam, w
>>> [p.label() for p in pieces(sp.Max(0, lam**2 - 2 * 10**8))]
['lambda**2 - 200000000 <= 0', 'lambda**2 - 200000000 >= 0']
>>> found = witness(pieces(sp.Max(0, lam**2 - 2 * 10**8))[1], [{"lambda": Fraction(1)}],
...                 {"lambda": "positive"})
>>> found["lambda"] ** 2 > 2 * 10**8, found["lambda"]
(True, Fraction(14150, 1))
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.case_splits import DECISIONS
from derivations.checker.evaluating import UNDEFINED, EvaluationError, Mat, value
from derivations.matrix_identities import normal_form
from derivations.signs import vanishes

#: Most pieces of one difference (past it the structure is left open, never guessed).
MAX_PIECES = 400

#: Highest degree of a polynomial condition whose roots are isolated exactly.
MAX_DEGREE = 12

#: Width to which irrational roots are isolated.
ROOT_WIDTH = Fraction(1, 10**25)

#: Relative steps taken from a root to either side, ``|r|·10⁻ᵏ``.
STEPS = (1, 3, 6, 9, 12, 15)

#: The grid of magnitudes scanned for conditions that are not polynomial: 10^(e/2).
GRID = tuple(Fraction(10) ** (e // 2) * (Fraction(316, 100) if e % 2 else 1)
             for e in range(-24, 25))

#: Sign sets of the relations.
LT, LE, EQ, GE, GT, NE = (frozenset({-1}), frozenset({-1, 0}), frozenset({0}),
                          frozenset({0, 1}), frozenset({1}), frozenset({-1, 1}))
ALL = frozenset({-1, 0, 1})
_RELATIONS = {sp.StrictLessThan: LT, sp.LessThan: LE, sp.Equality: EQ,
              sp.GreaterThan: GE, sp.StrictGreaterThan: GT, sp.Unequality: NE}
_WORDS = {LT: "< 0", LE: "<= 0", EQ: "= 0", GE: ">= 0", GT: "> 0", NE: "!= 0"}



class TooManyPieces(Exception):
    """The case structure has more than :data:`MAX_PIECES` pieces."""


class Unsupported(Exception):
    """A decision the expansion does not know (a comparison of matrices, …)."""


# -- sign conditions --------------------------------------------------------------------------
Conds = dict[sp.Expr, frozenset[int]]


def _flip(signs: frozenset[int]) -> frozenset[int]:
    return frozenset(-s for s in signs)


def _known_signs(e: sp.Expr) -> frozenset[int]:
    """The signs ``e`` can have, by the symbols' assumptions (all three if unknown)."""
    for test, signs in ((e.is_zero, EQ), (e.is_positive, GT), (e.is_negative, LT),
                        (e.is_nonnegative, GE), (e.is_nonpositive, LE), (e.is_nonzero, NE)):
        if test:
            return signs
    return ALL


def _normal(c: sp.Expr) -> tuple[sp.Expr, int]:
    """``c = f·key`` with ``f = ±1`` (up to a positive factor): one key per condition."""
    c = sp.expand(c)
    coeff, key = sp.factor_terms(c).as_coeff_Mul()
    if key.could_extract_minus_sign():
        key, coeff = -key, -coeff
    return key, (1 if coeff > 0 else -1)


def add_condition(conds: Conds, c: sp.Expr, signs: frozenset[int]) -> bool:
    """Add ``sign(c) ∈ signs`` to ``conds``; False when the conditions contradict.

    >>> from derivations.symbols import a1, a2
    >>> conds = {}
    >>> add_condition(conds, a1 - a2, LE), add_condition(conds, 2 * a2 - 2 * a1, LT)
    (True, False)
    """
    if isinstance(c, MatrixExpr) or c.has(*DECISIONS):
        raise Unsupported(f"a condition on {c}")
    if c.is_number:
        known = _known_signs(c)
        if len(known) != 1:
            raise Unsupported(f"the sign of {c}")
        return bool(known & signs)
    key, f = _normal(c)
    if f < 0:
        signs = _flip(signs)
    now = conds.get(key, ALL) & signs & _known_signs(key)
    conds[key] = now
    return bool(now)


def _merge(a: Conds, b: Conds) -> Conds | None:
    out = dict(a)
    for key, signs in b.items():
        now = out.get(key, ALL) & signs
        if not now:
            return None
        out[key] = now
    return out


# -- the pieces -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    """Sign conditions (``key → allowed signs``) and the expression on them; ``solved``:
    names fixed by the piece's equalities, as expressions of the other names."""

    conds: tuple[tuple[sp.Expr, frozenset[int]], ...]
    expr: sp.Basic
    solved: tuple[tuple[str, sp.Expr], ...] = ()

    def label(self) -> str:
        """``"lambda**2 - 200000000 >= 0 and a1 - a2 < 0"`` (``"everywhere"`` without any)."""
        parts = [f"{sp.sstr(k)} {_WORDS[s]}" for k, s in self.conds if s != ALL]
        return " and ".join(parts) or "everywhere"


@dataclass
class _Expansion:
    limit: int
    dropped: int = 0

    def cap(self, out: list) -> list:
        if len(out) > self.limit:
            raise TooManyPieces(f"more than {self.limit} pieces")
        return out

    def combine(self, parts: Sequence[list[tuple[Conds, Any]]]) -> list[tuple[Conds, list]]:
        """Every choice of one piece per part, conditions merged (contradictions dropped)."""
        out: list[tuple[Conds, list]] = [({}, [])]
        for part in parts:
            nxt = []
            for (conds, items), (c2, e2) in product(out, part):
                merged = _merge(conds, c2)
                if merged is None:
                    self.dropped += 1
                    continue
                nxt.append((merged, [*items, e2]))
            out = self.cap(nxt)
        return out

    def expand(self, e: sp.Basic) -> list[tuple[Conds, sp.Basic]]:
        if not isinstance(e, sp.Basic) or not e.args or not e.has(*DECISIONS):
            return [({}, e)]
        if isinstance(e, sp.Piecewise):
            return self._piecewise(e)
        parts = self.combine([self.expand(a) for a in e.args])
        out: list[tuple[Conds, sp.Basic]] = []
        for conds, args in parts:
            for extra, value_ in self._branches(e, args):
                merged = dict(conds)
                if all(add_condition(merged, c, s) for c, s in extra):
                    out.append((merged, value_))
                else:
                    self.dropped += 1
        return self.cap(out)

    @staticmethod
    def _branches(e: sp.Basic, args: list) -> list[tuple[list, sp.Basic]]:
        """The branches of the node ``e`` with its arguments ``args``: (conditions, value)."""
        if isinstance(e, (sp.Min, sp.Max)):
            signs = LE if isinstance(e, sp.Min) else GE
            return [([(aj - ai, signs) for i, ai in enumerate(args) if i != j], aj)
                    for j, aj in enumerate(args)]
        if isinstance(e, sp.Abs):
            return [([(args[0], GE)], args[0]), ([(args[0], LT)], -args[0])]
        if isinstance(e, sp.sign):
            return [([(args[0], GT)], sp.S.One), ([(args[0], EQ)], sp.S.Zero),
                    ([(args[0], LT)], sp.S.NegativeOne)]
        if isinstance(e, sp.Heaviside):
            at_zero = sp.Heaviside(0, *args[1:])
            return [([(args[0], GT)], sp.S.One), ([(args[0], EQ)], at_zero),
                    ([(args[0], LT)], sp.S.Zero)]
        return [([], e.func(*args))]

    def _piecewise(self, e: sp.Piecewise) -> list[tuple[Conds, sp.Basic]]:
        out: list[tuple[Conds, sp.Basic]] = []
        earlier: list[sp.Basic] = []
        for ex, cond in e.args:
            terms = [(cond, True)] + [(b, False) for b in earlier]
            for conds in self.dnf_all(terms):
                for c2, v in self.expand(ex):
                    merged = _merge(conds, c2)
                    if merged is None:
                        self.dropped += 1
                    else:
                        out.append((merged, v))
            earlier.append(cond)
        return self.cap(out)

    def dnf_all(self, terms: Sequence[tuple[sp.Basic, bool]]) -> list[Conds]:
        """The conjunctions (as condition sets) of ``b`` (or ``¬b``) for every term."""
        return [c for c, _ in self.combine([[(d, None) for d in self.dnf(b, pos)]
                                            for b, pos in terms])]

    def dnf(self, b: sp.Basic, positive: bool = True) -> list[Conds]:
        """``b`` (``¬b`` when not ``positive``) as a disjunction of condition sets."""
        if b is sp.true or b is sp.false:
            return [{}] if (b is sp.true) == positive else []
        if isinstance(b, sp.Not):
            return self.dnf(b.args[0], not positive)
        if isinstance(b, (sp.And, sp.Or)):
            conjunctive = isinstance(b, sp.And) == positive
            if conjunctive:
                return self.dnf_all([(a, positive) for a in b.args])
            return self.cap([c for a in b.args for c in self.dnf(a, positive)])
        if type(b) in _RELATIONS:
            if isinstance(b.lhs, MatrixExpr):
                raise Unsupported("a condition on a matrix")
            signs = _RELATIONS[type(b)]
            signs = signs if positive else ALL - signs
            out = []
            for conds, diff in self.expand(b.lhs - b.rhs):
                merged = dict(conds)
                if add_condition(merged, diff, signs):
                    out.append(merged)
                else:
                    self.dropped += 1
            return out
        raise Unsupported(f"the condition {b}")


def pieces(expr: sp.Basic, limit: int = MAX_PIECES) -> list[Piece]:
    """The pieces of ``expr`` (contradictory ones dropped); raises :class:`TooManyPieces`.

    >>> from derivations.symbols import a1, a2
    >>> [(p.label(), p.expr) for p in pieces(sp.Min(a1, a2) - a1)]
    [('a1 - a2 <= 0', 0), ('a1 - a2 >= 0', -a1 + a2)]
    """
    return count_pieces(expr, limit)[0]


def count_pieces(expr: sp.Basic, limit: int = MAX_PIECES) -> tuple[list[Piece], int]:
    """:func:`pieces` and how many contradictory ones were dropped."""
    ex = _Expansion(limit)
    out = [Piece(tuple(c.items()), e) for c, e in ex.expand(expr)]
    return out, ex.dropped


# -- zero on a piece --------------------------------------------------------------------------
def _linear_solution(key: sp.Expr) -> tuple[sp.Symbol, sp.Expr] | None:
    """``(s, v)`` with ``key = 0 ⇔ s = v``, for a symbol ``key`` is linear in."""
    for s in sorted((t for t in key.free_symbols if isinstance(t, sp.Symbol)), key=str):
        try:
            poly = sp.Poly(key, s)
        except sp.PolynomialError:
            continue
        if poly.degree() == 1:
            a, b = poly.all_coeffs()
            if not a.has(s) and a.is_nonzero:
                return s, sp.cancel(-b / a)
    return None


def reduce(piece: Piece) -> Piece | None:
    """``piece`` with its linear equalities solved (``a1 − a2 = 0`` → ``a2 = a1``) and
    substituted into the other conditions and the expression; None when that shows the
    conditions contradict (``a1 = a2``, ``a2 − a3 ≥ 0`` and ``a1 − a3 < 0``).

    >>> from derivations.symbols import h1, h2, h3
    >>> p = Piece(((h1 - h2, EQ), (h2 - h3, GE), (h1 - h3, LE)), h1 - h3)
    >>> r = reduce(p)
    >>> r.conds, r.expr, r.solved
    ((), 0, (('h1', h3), ('h2', h3)))
    """
    conds = dict(piece.conds)
    expr = piece.expr
    solved = list(piece.solved)
    while True:
        found = next(((k, sol) for k, signs in conds.items() if signs == EQ
                      for sol in [_linear_solution(k)] if sol is not None), None)
        if found is None:
            return Piece(tuple(conds.items()), expr, tuple(solved))
        key, (symbol, sol) = found
        del conds[key]
        rest: Conds = {}
        for k, signs in conds.items():
            if not add_condition(rest, k.xreplace({symbol: sol}), signs):
                return None
        conds = rest
        expr = expr.xreplace({symbol: sol})
        solved = [(n, e.xreplace({symbol: sol})) for n, e in solved] + [(symbol.name, sol)]


def zero_on(piece: Piece) -> bool:
    """Whether ``piece.expr`` cancels to 0 (apply :func:`reduce` first for the equalities)."""
    expr = piece.expr
    try:
        if isinstance(expr, MatrixExpr):
            return all(vanishes(c) for c in normal_form(expr).values())
        return expr == 0 or vanishes(expr)
    except (TypeError, ValueError, AttributeError, sp.PolynomialError):
        return False


# -- points inside a piece --------------------------------------------------------------------
def complete(values: Mapping[str, Any], solved: Sequence[tuple[str, sp.Expr]],
             ties: Mapping[str, str]) -> dict[str, Any]:
    """``values`` with the solved names computed from the others and the tied names copied."""
    out = dict(values)
    for name, e in solved:
        try:
            out[name] = value(e, out)
        except (EvaluationError, ValueError, TypeError, ZeroDivisionError, KeyError):
            out[name] = UNDEFINED
    for tie, keep in ties.items():
        if keep in out:
            out[tie] = out[keep]
    return out


def _sign(v: Any) -> int | None:
    if v is UNDEFINED or isinstance(v, (Mat, bool)):
        return None
    if isinstance(v, Fraction):
        return (v > 0) - (v < 0)
    if not mpmath.isfinite(v):
        return None
    return int(mpmath.sign(v))


def _strict(signs: frozenset[int]) -> frozenset[int]:
    """The signs of the piece's interior: the closed ``≤ 0`` becomes ``< 0``."""
    return signs if signs == EQ else signs - {0}


def holds(key: sp.Expr, signs: frozenset[int], values: Mapping[str, Any]) -> bool:
    """Whether ``values`` lie strictly on the allowed side of the condition."""
    try:
        s = _sign(value(key, values))
    except (EvaluationError, ValueError, TypeError, ZeroDivisionError, KeyError):
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


def _roots(poly: sp.Poly) -> list[tuple[Fraction, Fraction]]:
    """Isolating intervals ``[a, b]`` (``a = b`` for a rational root) of ``poly``'s real
    roots, at most :data:`ROOT_WIDTH` wide."""
    if not 1 <= poly.degree() <= MAX_DEGREE:
        return []
    eps = sp.Rational(ROOT_WIDTH.numerator, ROOT_WIDTH.denominator)
    out = []
    for (a, b), _ in poly.intervals(eps=eps):
        out.append((Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))))
    return sorted(out)


def _near(roots: Sequence[tuple[Fraction, Fraction]]) -> list[Fraction]:
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
    deadline: float
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
        if f.free_symbols != {s}:
            return None
        try:
            num, den = sp.fraction(sp.together(f))
            polys = [sp.Poly(num, s)] + ([sp.Poly(den, s)] if den.has(s) else [])
        except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
            return None
        roots = sorted({r for p in polys for r in _roots(p)})
        return _near(roots) + _grid(self.kinds.get(var, "real"))[::4]

    def _scan(self, key: sp.Expr, var: str, state: Mapping[str, Fraction], kind: str
              ) -> list[Fraction]:
        grid = _grid(kind)
        signs = []
        for x in grid:
            self.evaluations += 1
            try:
                signs.append(_sign(value(key, self.realize({**state, var: x}))))
            except (EvaluationError, ValueError, TypeError, ZeroDivisionError, KeyError):
                signs.append(None)
        roots = []
        for (x0, s0), (x1, s1) in zip(zip(grid, signs, strict=True),
                                      zip(grid[1:], signs[1:], strict=True), strict=False):
            if s0 is not None and s1 is not None and s0 != s1:
                roots.append(self._bisect(key, var, state, x0, x1, s0))
        return _near(roots) + grid

    def _bisect(self, key: sp.Expr, var: str, state: Mapping[str, Fraction], lo: Fraction,
                hi: Fraction, s_lo: int) -> tuple[Fraction, Fraction]:
        for _ in range(90):
            if hi - lo <= ROOT_WIDTH * max(abs(lo), 1):
                break
            mid = simplest_between(lo + (hi - lo) / 3, hi - (hi - lo) / 3)
            self.evaluations += 1
            try:
                s = _sign(value(key, self.realize({**state, var: mid})))
            except (EvaluationError, ValueError, TypeError, ZeroDivisionError, KeyError):
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
                if time.monotonic() > self.deadline:
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
            deadline: float | None = None, ties: Mapping[str, str] | None = None
            ) -> dict[str, Any] | None:
    """A point strictly inside ``piece`` (see the module docstring), or None.

    ``starts``: full points to start from (the fewest violated conditions first);
    ``kinds``: the sign kind of every scalar that may move; ``admissible``: the domain test;
    ``ties``: names that must equal another (``{"a2": "a1"}``).
    """
    search = _Search(piece.conds, kinds, admissible,
                     deadline if deadline is not None else time.monotonic() + 5.0,
                     ties=dict(ties or {}), solved=piece.solved)
    ranked = sorted(starts, key=lambda v: len(search.violated(v)))
    return search.run(ranked[:6])


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


# -- every piece ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    """How every piece of ``yours − expected`` was settled (see the module docstring)."""

    pieces: int = 0
    empty: int = 0          # contradictory conditions (dropped while cutting)
    zero: int = 0           # the difference cancels to 0 on the piece
    sampled: int = 0        # points strictly inside were compared
    found: tuple[dict[str, Any], ...] = ()   # points the search found (to compare)
    open: tuple[str, ...] = ()               # pieces (or reasons) left unsettled

    def sentence(self) -> str:
        """``"every piece of the case structure settled (4 pieces: 2 contradictory, …)"``."""
        parts = [f"{self.empty} contradictory" if self.empty else "",
                 f"{self.zero} where the difference cancels" if self.zero else "",
                 f"{self.sampled} with compared points strictly inside" if self.sampled else ""]
        found = f"; {len(self.found)} of the points found there by search" if self.found else ""
        return (f"every piece of the case structure settled ({self.pieces + self.empty} pieces: "
                + ", ".join(p for p in parts if p) + found + ")")


#: Interior points a piece needs before it counts as sampled.
PER_PIECE = 2


def settle(difference: sp.Basic, points: Sequence[Mapping[str, Any]], kinds: Mapping[str, str],
           admissible: Callable[[Mapping[str, Any]], bool], ties: Mapping[str, str],
           seconds: float) -> Coverage:
    """Settle every piece of ``difference`` (``yours − expected``, conditions applied):
    ``points`` are the compared points (their values); pieces with fewer than
    :data:`PER_PIECE` of them strictly inside and no cancelling difference get points by
    :func:`witness` and :func:`near_points`, returned in ``found`` for the exact comparison.
    Stops at ``seconds``, leaving the rest open."""
    deadline = time.monotonic() + seconds
    try:
        cut, dropped = count_pieces(difference)
        first_dropped = dropped
    except TooManyPieces as exc:
        return Coverage(open=(str(exc),))
    except Unsupported as exc:
        return Coverage(open=(f"cannot cut into pieces: {exc}",))
    signs: dict[sp.Expr, list[bool]] = {}
    zero = sampled = 0
    found: list[dict[str, Any]] = []
    unsettled: list[str] = []
    for n, piece in enumerate(cut):
        if time.monotonic() > deadline:
            unsettled += [p.label() for p in cut[n:]]
            break
        hits = [True] * len(points)
        for key, allowed in piece.conds:
            mark = (key, allowed)
            if mark not in signs:
                signs[mark] = [holds(key, allowed, p) for p in points]
            hits = [h and g for h, g in zip(hits, signs[mark], strict=True)]
        if sum(hits) >= PER_PIECE:
            sampled += 1
            continue
        try:
            reduced = reduce(piece)
        except Unsupported:
            reduced = piece
        if reduced is None:
            dropped += 1
            continue
        if zero_on(reduced):
            zero += 1
            continue
        point = witness(reduced, list(points), kinds, admissible, deadline, ties)
        if point is None:
            unsettled.append(piece.label())
            continue
        found += [point, *near_points(reduced, point, kinds, admissible, ties, seed=n)]
        sampled += 1
    return Coverage(len(cut) - (dropped - first_dropped), dropped, zero, sampled, tuple(found),
                    tuple(unsettled))


__all__ = [
    "MAX_PIECES",
    "Piece",
    "TooManyPieces",
    "Unsupported",
    "add_condition",
    "count_pieces",
    "Coverage",
    "settle",
    "holds",
    "inside",
    "near_points",
    "pieces",
    "reduce",
    "simplest_between",
    "witness",
    "zero_on",
]
