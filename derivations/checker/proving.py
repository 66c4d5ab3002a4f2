"""Prove that two answers are equal for every admissible value (a sound, incomplete prover).

Every method is a proof for all dimensions ``d``, ``k``, deterministic and bounded in *work*
(terms, regions, pieces), never in time — so a proof found on one machine is found on every
machine (:mod:`~derivations.checker.zero_tests` bounds each expansion before it starts). The
methods, tried in order:

1. identical after reading (SymPy's automatic evaluation already made them the same);
2. identical after the ``min``/``max`` normal form (``−max_j(−h_j) = min_j h_j``, for any M);
3. matrices: the normal form of :mod:`derivations.matrix_identities` — the difference as a
   sum of scalar coefficients times canonical matrix products (transposes pushed down,
   ``Σᵀ = Σ``, ``ΣΣ⁻¹ = I``, a ``1×1`` product equal to its transpose) — with every
   coefficient proved 0 as a scalar. No explicit matrices of a fixed size are used;
4. scalars: the difference is the zero function (exact expansion of a rational function,
   after sound rewrites of ``exp``/``log``; :func:`~.zero_tests.identically_zero`);
5. a case split over the weak orderings of the symbols that decide ``min``/``max``/cases
   (:mod:`derivations.checker.case_splits`, :mod:`derivations.regions`), each case 0;
6. every piece of the case structure (:mod:`derivations.checker.pieces`) contradictory or
   with a difference that is 0 there.

The id's conditions are applied first: a tie ``Eq(a1, a2)`` substitutes ``a2 → a1``, a
condition ``a1 > 0`` makes ``a1`` a positive symbol. ``prove_equal`` returns a sentence
saying how it proved, or None.

>>> from derivations.symbols import w, lam, a1, a2, h1, h2, h3
>>> prove_equal((2 * lam) ** -1 * w, w / (2 * lam))
'identical after reading'
>>> print(prove_equal((lam**2 - 1) / ((lam - 1) * (lam + 1)) * w / (2 * lam), w / (2 * lam)))
the matrix normal form of the difference has only coefficients that are 0: (exact expansion)
>>> prove_equal(sp.Min(a1, a2), a1 - sp.Max(0, a1 - a2))
'case split over the orderings a1 < a2, a2 < a1, a1 = a2: each case is 0 (exact expansion)'
>>> prove_equal(-sp.Max(-h1, -h2, -h3), sp.Min(h1, h2, h3))
'identical after the min/max normal form (−max(−x, −y) = min(x, y))'
>>> prove_equal(a2, a1, sp.Eq(a1, a2))
'identical after reading under a1 = a2'
>>> prove_equal(a1, 2 * a1) is None
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.case_splits import (
    DECISIONS,
    deciding_names,
    describe,
    kind_of,
    weakest_kind,
)
from derivations.checker.pieces import TooManyPieces, Unsupported, count_pieces, reduce
from derivations.checker.reading import Scalar1x1, opaque_1x1
from derivations.checker.sampling import Conditions
from derivations.checker.zero_tests import identically_zero, minmax_normal_form
from derivations.matrix_identities import coefficients, expand_products, orient
from derivations.regions import weak_orderings

__all__ = ["apply_conditions", "orient_scalars", "prove_equal", "scalar_zero"]

#: Most pieces tried by the last method (each with a bounded zero test).
PROOF_PIECES = 200


def _symbols_by_name(*exprs: sp.Basic) -> dict[str, sp.Symbol]:
    return {
        s.name: s
        for e in exprs
        for s in e.free_symbols
        if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)
    }


def apply_conditions(
    exprs: tuple[sp.Basic, ...], conditions: sp.Basic
) -> tuple[tuple[sp.Basic, ...], str]:
    """``exprs`` restricted by ``conditions`` (ties substituted, signs strengthened), and the
    words ``" under a1 = a2, a1 > 0"`` (in the order of the names, whatever the hash seed)."""
    cond = Conditions.parse(conditions)
    ties = cond.tie_map(exprs)
    words = [f"{keep} = {tie}" for tie, keep in sorted(ties.items(), key=lambda kv: kv[0].name)]
    out = tuple(e.xreplace(ties) for e in exprs)
    by_name = _symbols_by_name(*out)
    signs = {}
    for name, kind in sorted(cond.kinds.items()):
        if name in by_name:
            signs[by_name[name]] = sp.Symbol(name, **{kind: True})
            words.append(f"{name} {'>' if kind == 'positive' else '≥'} 0")
    out = tuple(e.xreplace(signs) for e in out)
    return out, (" under " + ", ".join(words)) if words else ""


def orient_scalars(expr: sp.Basic) -> sp.Basic:
    """Write every 1×1 product ``(P)`` the same way as ``(Pᵀ)``: ``wᵀx`` and ``xᵀw`` agree.

    ``P`` is expanded and oriented by :mod:`derivations.matrix_identities` (``Σᵀ = Σ``, a
    1×1 product equal to its transpose), as in the matrix normal form.

    >>> from derivations.symbols import w, x
    >>> a, b = Scalar1x1(w.T * x, 0, 0), Scalar1x1(x.T * w, 0, 0)
    >>> orient_scalars(a - b)
    0
    >>> from derivations.symbols import Sigma
    >>> c, e = Scalar1x1((x + w).T * Sigma.T * x, 0, 0), Scalar1x1(x.T * Sigma * (w + x), 0, 0)
    >>> orient_scalars(c - e)
    0
    """
    reps = {
        node: Scalar1x1(orient(expand_products(node.parent)), 0, 0)
        for node in sp.preorder_traversal(expr)
        if isinstance(node, Scalar1x1)
    }
    return expr.xreplace(reps)


def _coefficients(expr: sp.Basic) -> dict[sp.Basic, sp.Expr]:
    """The matrix normal form's coefficients of ``expr``, its scalar functions (``exp``,
    ``log``, roots, ``min``/``max``/cases) held as opaque scalars while the products are
    expanded — SymPy's expansion would otherwise work inside them (``e^{-10¹²(λ−5)²}``) — and
    put back in the coefficients."""
    hidden: dict[sp.Basic, sp.Dummy] = {}
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function | sp.Pow) and not isinstance(node, MatrixExpr) \
                and not node.has(sp.MatrixSymbol) and node.free_symbols \
                and not (isinstance(node, sp.Pow) and node.exp.is_Integer):
            hidden.setdefault(node, sp.Dummy("f"))
    opaque = expr.xreplace(hidden) if hidden else expr
    back = {d: node for node, d in hidden.items()}
    return {p: c.xreplace(back) for p, c in coefficients(opaque).items()}


def _zero_words(expr: sp.Basic) -> str:
    """How :func:`identically_zero` proved ``expr = 0``."""
    if expr.has(sp.exp, sp.log, sp.Pow, sp.NumberSymbol) and any(
            not (isinstance(n, sp.Pow) and n.exp.is_Integer)
            for n in sp.preorder_traversal(expr) if isinstance(n, (sp.exp, sp.log, sp.Pow))):
        return "exact expansion after rewriting exp/log"
    return "exact expansion"


def _case_split(expr: sp.Basic) -> str | None:
    """Prove ``expr == 0`` region by region; the regions' description, or None."""
    names, zero = deciding_names([expr])
    if not names:
        return None
    by_name = _symbols_by_name(expr)
    kinds = {n: kind_of(by_name[n]) for n in names}
    orderings = weak_orderings(names, zero, kinds)
    base = weakest_kind(names, kinds)
    how = set()
    for o in orderings:
        case = minmax_normal_form(expr.xreplace(o.substitution(by_name, base)))
        if case != 0 and (case.has(*DECISIONS) or not identically_zero(case)):
            return None
        how.add(_zero_words(case) if case != 0 else "exact expansion")
    return f"case split over {describe(orderings)}: each case is 0 ({', '.join(sorted(how))})"


def _pieces(expr: sp.Basic) -> str | None:
    """Prove ``expr == 0`` piece by piece of its case structure."""
    try:
        cut, dropped = count_pieces(expr, PROOF_PIECES)
    except (TooManyPieces, Unsupported):
        return None
    for piece in cut:
        try:
            reduced = reduce(piece)
        except Unsupported:
            reduced = piece
        if reduced is None:
            dropped += 1
            continue
        if reduced.expr != 0 and not identically_zero(reduced.expr):
            return None
    return (f"every piece of the case structure is contradictory or has a difference of 0 "
            f"({len(cut) + dropped} pieces, exact expansion)")


def scalar_zero(expr: sp.Basic) -> str | None:
    """How ``expr == 0`` was proved for a scalar ``expr``, or None."""
    if expr == 0:
        return "identical after reading"
    normal = minmax_normal_form(expr)
    if normal == 0:
        return "identical after the min/max normal form (−max(−x, −y) = min(x, y))"
    if not normal.has(*DECISIONS) and normal.has(Scalar1x1):
        (opaque,) = opaque_1x1(normal)
        if opaque == 0 or identically_zero(opaque):
            return "the difference is 0 (exact expansion, each 1×1 product a scalar)"
    if not normal.has(*DECISIONS):
        return f"the difference is 0 ({_zero_words(normal)})" if identically_zero(normal) \
            else None
    return _case_split(normal) or _pieces(normal)


def prove_equal(yours: sp.Basic, expected: sp.Basic, conditions: sp.Basic = sp.true) -> str | None:
    """A sentence saying how ``yours == expected`` was proved on the domain, or None."""
    (yours, expected), under = apply_conditions((yours, expected), conditions)
    yours, expected = orient_scalars(yours), orient_scalars(expected)
    if yours == expected:
        return "identical after reading" + under
    if isinstance(yours, MatrixExpr) != isinstance(expected, MatrixExpr):
        return None
    if isinstance(yours, MatrixExpr):
        if yours.shape != expected.shape:
            return None
        rest = {p: c for p, c in _coefficients(yours - expected).items() if c != 0}
        if not rest:
            return "the matrix normal form of the difference is 0" + under
        reasons = [scalar_zero(c) for c in rest.values()]
        if all(reasons):
            return (
                "the matrix normal form of the difference has only coefficients that are 0: "
                + "; ".join(sorted(dict.fromkeys(r.removeprefix("the difference is 0 ")
                                                 for r in reasons if r)))
                + under
            )
        return None
    if minmax_normal_form(yours) == minmax_normal_form(expected):
        return "identical after the min/max normal form (−max(−x, −y) = min(x, y))" + under
    reason = scalar_zero(yours - expected)
    return reason + under if reason else None
