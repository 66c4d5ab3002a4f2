"""Prove that two answers are equal for every admissible value (a sound, incomplete prover).

The methods, tried in order, each sound for all dimensions ``d``, ``k``:

1. identical after reading (SymPy's automatic evaluation already made them the same);
2. scalars: ``simplify(yours − expected) == 0``;
3. matrices: the normal form of :mod:`derivations.matrix_identities` — the difference as a
   sum of scalar coefficients times canonical matrix products (transposes pushed down,
   ``Σᵀ = Σ``, ``ΣΣ⁻¹ = I``, a ``1×1`` product equal to its transpose) — has no term left
   after simplifying each coefficient. No explicit matrices of a fixed size are used: a
   check for ``d = 2`` would not prove anything for all ``d``;
4. a case split over the weak orderings of the symbols that decide ``min``/``max``/cases
   (:mod:`derivations.checker.case_splits`, :mod:`derivations.regions`), each case simplified to 0.

The id's conditions are applied first: a tie ``Eq(a1, a2)`` substitutes ``a2 → a1``, a
condition ``a1 > 0`` makes ``a1`` a positive symbol. ``prove_equal`` returns a sentence
saying how it proved, or None; run it under
:func:`derivations.checker.time_limit.call_with_timeout`.

>>> from derivations.symbols import w, lam, a1, a2
>>> prove_equal((2 * lam) ** -1 * w, w / (2 * lam))
'identical after reading'
>>> prove_equal((lam**2 - 1) / ((lam - 1) * (lam + 1)) * w / (2 * lam), w / (2 * lam))
'the matrix normal form of the difference is 0'
>>> prove_equal(sp.Min(a1, a2), a1 - sp.Max(0, a1 - a2))
'case split over the orderings a1 < a2, a2 < a1, a1 = a2: each case simplifies to 0'
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
from derivations.checker.reading import Scalar1x1
from derivations.checker.sampling import Conditions
from derivations.matrix_identities import expand_products, normal_form, orient
from derivations.regions import weak_orderings
from derivations.signs import vanishes


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
    """``exprs`` restricted by ``conditions`` (ties substituted, signs strengthened)."""
    cond = Conditions.parse(conditions)
    ties = cond.tie_map(exprs)
    words = [f"{keep} = {tie}" for tie, keep in ties.items()]
    out = tuple(e.xreplace(ties) for e in exprs)
    by_name = _symbols_by_name(*out)
    signs = {}
    for name, kind in cond.kinds.items():
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


def _simplifies_to_zero(expr: sp.Basic) -> bool:
    expr = sp.piecewise_fold(expr)
    if not expr.has(sp.Piecewise, sp.Min, sp.Max) and vanishes(expr):
        return True
    return sp.simplify(expr) == 0


def _case_split(expr: sp.Basic) -> str | None:
    """Prove ``expr == 0`` region by region; the regions' description, or None."""
    names, zero = deciding_names([expr])
    if not names:
        return None
    by_name = _symbols_by_name(expr)
    kinds = {n: kind_of(by_name[n]) for n in names}
    orderings = weak_orderings(names, zero, kinds)
    base = weakest_kind(names, kinds)
    for o in orderings:
        case = expr.xreplace(o.substitution(by_name, base))
        if not _simplifies_to_zero(case):
            return None
    return f"case split over {describe(orderings)}: each case simplifies to 0"


def scalar_zero(expr: sp.Basic) -> str | None:
    """How ``expr == 0`` was proved for a scalar ``expr``, or None."""
    if expr == 0:
        return "identical after reading"
    if expr.has(*DECISIONS):  # cheap exact cases first; simplify struggles with Min/Max/|·|
        return _case_split(expr) or (
            "the difference simplifies to 0" if _simplifies_to_zero(expr) else None
        )
    if _simplifies_to_zero(expr):
        return "the difference simplifies to 0"
    return None


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
        rest = normal_form(yours - expected)
        if not rest:
            return "the matrix normal form of the difference is 0" + under
        reasons = [scalar_zero(c) for c in rest.values()]
        if all(reasons):
            return (
                "the matrix normal form of the difference leaves coefficients that are 0: "
                + "; ".join(dict.fromkeys(r for r in reasons if r))
                + under
            )
        return None
    reason = scalar_zero(yours - expected)
    return reason + under if reason else None
