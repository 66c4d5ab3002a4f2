"""The case structure of a difference: its pieces, each with one smooth expression.

An answer made of ``min``, ``max``, ``|·|``, ``sign``, ``Heaviside`` and cases is one smooth
expression on each *piece*: a set of sign conditions ``c(x) < 0``, ``c(x) = 0`` or
``c(x) > 0`` on smooth expressions ``c`` (:data:`LT`, :data:`EQ`, … are the sign sets).
:func:`pieces` cuts an expression into its pieces (contradictory ones dropped, at most
:data:`MAX_PIECES`); :func:`reduce` solves a piece's linear equalities and :func:`zero_on`
says whether its expression cancels.

>>> from derivations.symbols import a1, a2
>>> [(p.label(), p.expr) for p in pieces(sp.Max(a1, a2) - a2)]
[('a1 - a2 >= 0', a1 - a2), ('a1 - a2 <= 0', 0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.case_splits import DECISIONS
from derivations.checker.zero_tests import identically_zero, is_rational
from derivations.matrix_identities import coefficients

__all__ = [
    "ALL",
    "EQ",
    "GE",
    "GT",
    "LE",
    "LT",
    "MAX_PIECES",
    "NE",
    "Conds",
    "Piece",
    "TooManyPieces",
    "Unsupported",
    "add_condition",
    "count_pieces",
    "pieces",
    "reduce",
    "zero_on",
]

#: Most pieces of one difference (past it the structure is left open, never guessed).
MAX_PIECES = 400

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
    if not is_rational(key):
        return None
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
    """Whether ``piece.expr`` cancels to 0 (apply :func:`reduce` first for the equalities):
    exactly, within the term budget of :func:`~derivations.checker.zero_tests.identically_zero`
    (for a matrix, every coefficient of its normal form)."""
    expr = piece.expr
    try:
        if isinstance(expr, MatrixExpr):
            return all(c == 0 or identically_zero(c) for c in coefficients(expr).values())
        return expr == 0 or identically_zero(expr)
    except (TypeError, ValueError, AttributeError, sp.PolynomialError):
        return False
