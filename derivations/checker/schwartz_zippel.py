"""When equality at random points is a proof with a stated error: the Schwartz–Zippel bound.

A nonzero polynomial ``P`` of degree ``D`` in ``n`` variables vanishes at a point drawn
uniformly from ``S^n`` with probability at most ``D/|S|`` (Schwartz–Zippel; the same holds
when each coordinate is drawn independently with no value more likely than ``1/|S|``). The
checker accepts an answer that it could not prove (NUMERICALLY EQUAL) only where this applies
(:func:`applies`):

- both answers are *rational* in the scalar parameters — no ``exp``, ``log``, non-integer
  power or constant such as ``π`` after reading — and contain no matrix (a matrix answer is
  accepted only with a proof for every dimension);
- the case structure of the difference ``D = yours − expected`` is decided by the order of
  its deciding symbols (:mod:`~derivations.checker.case_splits`): on each ordering region,
  parametrized by a base and positive gaps, ``D`` is one rational function of those
  parameters, whose numerator and denominator have total degree at most
  :func:`degree_bound` (an upper bound from the answers as written: a sum over a common
  denominator, products adding degrees, powers multiplying them, ``min``/``max``/cases the
  largest of their branches; the reader limits an answer's degree, ``MAX_DEGREE``);
- in every region, ``k`` *random* points (:mod:`~derivations.checker.sampling`: each
  parameter uniform on ``S``, ``|S| ≥ 10⁶``) where both answers are defined and exactly equal,
  the sheet's 0/0 convention not used.

Then a difference that is not 0 on some region passes all its ``k`` points with probability
at most ``(D/|S|)^k`` — the number the message states.

>>> from derivations.symbols import a1, a2
>>> degree_bound(sp.Min(a1, a2) * a1 / (a1 + a2), sp.Min(a1, a2))
3
>>> false_accept(3, 10**6, 8) < 1e-40
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.case_splits import DECISIONS, deciding_names, kind_of, weakest_kind
from derivations.checker.zero_tests import transcendental_atoms
from derivations.regions import weak_orderings

__all__ = [
    "MIN_RANDOM",
    "applies",
    "degree_bound",
    "false_accept",
    "regions_decide",
]

#: Random points per region an acceptance needs.
MIN_RANDOM = 3


def _degree(e: sp.Basic) -> tuple[int, int]:
    """(numerator degree, denominator degree) of a scalar expression, an upper bound."""
    if isinstance(e, sp.Symbol):
        return (0, 0) if e.is_integer else (1, 0)
    if e.is_Number:
        return 0, 0
    if isinstance(e, sp.Add):
        parts = [_degree(a) for a in e.args]
        den = sum(d for _, d in parts)
        return max(n + den - d for n, d in parts), den
    if isinstance(e, sp.Mul):
        parts = [_degree(a) for a in e.args]
        return sum(n for n, _ in parts), sum(d for _, d in parts)
    if isinstance(e, sp.Pow) and e.exp.is_Integer:
        n, d = _degree(e.base)
        k = int(e.exp)
        return (k * n, k * d) if k >= 0 else (-k * d, -k * n)
    if isinstance(e, (sp.sign, sp.Heaviside)):
        return 0, 0
    if isinstance(e, sp.Piecewise):
        parts = [_degree(v) for v, _ in e.args]
    elif isinstance(e, (sp.Min, sp.Max, sp.Abs)):
        parts = [_degree(a) for a in e.args]
    else:
        raise ValueError(f"no degree for {type(e).__name__}")
    return max(n for n, _ in parts), max(d for _, d in parts)


def degree_bound(yours: sp.Basic, expected: sp.Basic) -> int:
    """An upper bound on the total degree of the numerator plus that of the denominator of
    ``yours − expected`` on any one region (see the module docstring).

    >>> from derivations.symbols import lam
    >>> degree_bound(1 / (2 * lam), (lam**2 - 1) / ((lam - 1) * (lam + 1) * 2 * lam))
    7
    """
    ny, dy = _degree(yours)
    ne, de = _degree(expected)
    return max(ny + de, ne + dy) + dy + de


def false_accept(degree: int, size: int, k: int) -> float:
    """``(degree/size)^k``: the chance that a nonzero difference passes ``k`` random points."""
    return (min(1.0, degree / size)) ** k


def _symbols_by_name(expr: sp.Basic) -> dict[str, sp.Symbol]:
    return {s.name: s for s in expr.free_symbols
            if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)}


def regions_decide(difference: sp.Basic) -> bool:
    """Whether every ``min``/``max``/case of ``difference`` has a known outcome on each
    ordering region of its deciding symbols (so that it is one rational function there)."""
    if not difference.has(*DECISIONS):
        return True
    names, zero = deciding_names([difference])
    if not names:
        return False
    by_name = _symbols_by_name(difference)
    kinds = {n: kind_of(by_name[n]) for n in names}
    base = weakest_kind(names, kinds)
    for o in weak_orderings(names, zero, kinds):
        if difference.xreplace(o.substitution(by_name, base)).has(*DECISIONS):
            return False
    return True


def applies(yours: sp.Basic, expected: sp.Basic) -> str | None:
    """None where the bound applies to these answers (before counting points), else why not
    (a sentence fragment)."""
    for e in (yours, expected):
        atoms = transcendental_atoms(e)
        if atoms:
            names = ", ".join(sorted({_name(a) for a in atoms}))
            return f"{'your' if e is yours else 'the expected'} answer contains {names}"
    for e in (yours, expected):
        if isinstance(e, MatrixExpr) or e.atoms(sp.MatrixSymbol):
            return "an answer with matrices is accepted only with a proof for every dimension"
    try:
        degree_bound(yours, expected)
    except ValueError as exc:
        return str(exc)
    if not regions_decide(yours - expected):
        return ("its case structure is not decided by the order of the symbols (a condition "
                "on a sum or product), so random points do not reach each piece uniformly")
    return None


def _name(atom: sp.Basic) -> str:
    if isinstance(atom, sp.Pow):
        return "a root (a power that is not an integer)"
    if isinstance(atom, sp.NumberSymbol):
        return str(atom)
    return f"{type(atom).__name__}(…)"
