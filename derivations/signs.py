"""A small sound prover of ``e ≥ 0``, ``e > 0`` and ``e = 0`` for the claims of the sheet.

SymPy's assumption system answers ``e.is_nonnegative`` for sums and products of signed
atoms; this module adds the structural rules it misses (a ``Sum`` of nonnegative terms,
``log(1 + t)`` with ``t ≥ 0``, a fraction with signed numerator and denominator). Every rule
is sound: ``True`` is a proof, ``False`` means "not proved", never "negative".

>>> import sympy as sp
>>> r = sp.Symbol("r", nonnegative=True)
>>> nonnegative(1 - 1 / (1 + r))
True
>>> positive(sp.log(2 + r))
True
>>> nonnegative(r - 1)
False
>>> vanishes(r / (1 + r) + 1 / (1 + r) - 1), vanishes(r)
(True, False)
"""

from __future__ import annotations

import sympy as sp


def _candidates(expr: sp.Expr) -> list[sp.Expr]:
    """``expr`` and a few equal rewritings whose sign SymPy may see more easily."""
    out = [expr]
    for f in (sp.together, sp.factor, sp.expand):
        try:
            g = f(expr)
        except (sp.PolynomialError, NotImplementedError):  # pragma: no cover - defensive
            continue
        if g not in out:
            out.append(g)
    return out


def _nonneg(e: sp.Expr, strict: bool, depth: int) -> bool:
    known = e.is_positive if strict else e.is_nonnegative
    if known:
        return True
    if depth <= 0:
        return False
    rec = depth - 1
    if isinstance(e, sp.Sum):
        # Over a nonempty range, a sum of positive terms is positive; over a range of length
        # ≥ 0 (never a reversed one, which SymPy reads as a negated sum), of nonnegative terms ≥ 0.
        if len(e.limits) != 1:
            return False
        (_, lo, hi) = e.limits[0]
        length = hi - lo + 1
        if strict:
            return bool((length - 1).is_nonnegative) and _nonneg(e.function, True, rec)
        return bool(length.is_nonnegative) and _nonneg(e.function, False, rec)
    if isinstance(e, sp.Add):
        signs = [_nonneg(t, False, rec) for t in e.args]
        return all(signs) and (not strict or any(_nonneg(t, True, rec) for t in e.args))
    if isinstance(e, sp.Mul):
        coeff, rest = e.as_coeff_Mul()
        if coeff.is_negative:
            return False
        factors = sp.Mul.make_args(rest)
        return all(_nonneg(f, True, rec) for f in factors) or (
            not strict and all(_nonneg(f, False, rec) for f in factors)
        )
    if isinstance(e, sp.Pow):
        base, ex = e.args
        if ex.is_integer and ex.is_even and base.is_real and not strict:
            return True
        return _nonneg(base, True, rec) and ex.is_real is True
    if isinstance(e, sp.exp):
        return e.args[0].is_real is True
    if isinstance(e, sp.log):
        return _nonneg(e.args[0] - 1, strict, rec)
    return False


def nonnegative(expr: sp.Expr, depth: int = 8) -> bool:
    """True when ``expr ≥ 0`` is proved for every value allowed by the symbols' assumptions."""
    return any(_nonneg(e, False, depth) for e in _candidates(sp.sympify(expr)))


def positive(expr: sp.Expr, depth: int = 8) -> bool:
    """True when ``expr > 0`` is proved for every value allowed by the symbols' assumptions."""
    return any(_nonneg(e, True, depth) for e in _candidates(sp.sympify(expr)))


def vanishes(expr: sp.Expr) -> bool:
    """True when ``expr = 0`` identically, by cancelling it as one rational function.

    Exact for rational functions (e.g. an LRP relevance on a fixed-pattern region); for
    other expressions ``False`` means "not proved" (``simplify`` may still find 0).
    """
    try:
        return sp.cancel(sp.together(expr)) == 0
    except (sp.PolynomialError, TypeError, ValueError):
        return False
