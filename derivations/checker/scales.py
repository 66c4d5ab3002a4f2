"""Points at every scale, and where a term is largest: a counterexample search.

The drawn points (:mod:`derivations.checker.sampling`) cover 10⁻³ … 10³. A difference such as
``a1·e^{-10⁶·a1}`` (3.7·10⁻⁷ at ``a1 = 10⁻⁶``) or ``e^{-10⁶(h1² + h2² + h3²)}`` (1 at
``h = 0``) is largest elsewhere; this module adds, from a few base points:

- ``scale``: every scalar in turn set to ``±10^e`` for ``e = −12 … 12`` (both signs where
  its domain allows, and 0), the others kept; every scalar small together and large together
  (``10^{-12}``, ``10^{-6}``, ``10^{-3}``, ``10³``, ``10⁶``, ``10¹²``, with the signs
  allowed); every matrix scaled by ``10^{±6}``, ``10^{±12}``;
- ``peak``: for every ``exp(g)``, ``log(u)``, root ``u^{p/q}`` and denominator ``u`` of an
  answer, and every scalar ``s`` in it (the others at a base point's values): the points
  where ``g`` vanishes or is ``±1`` (``e^{-K·f}`` is largest where ``f`` is smallest, and
  changes on the scale ``1/K``), where ``u`` is 0 or 1 (``log(1 + t)`` near ``t = 0``) — the
  real roots of those polynomials in ``s``, isolated exactly, with points on both sides.

Every point is admissible (signs, ties, the id's conditions) and at most :data:`MAX_POINTS`
are made, in a fixed order: the search is the same on every machine. A point found here
refutes only through the certified comparison (:mod:`derivations.checker.comparing`).

>>> from fractions import Fraction
>>> from derivations.checker.sampling import Conditions, make_draw
>>> from derivations.symbols import a1
>>> yours = a1 * sp.exp(-a1 * 10**6)
>>> draw = make_draw([yours], Conditions())
>>> found = scale_points([yours], draw, [{"a1": Fraction(1), "d": 2, "k": 1}])
>>> Fraction(1, 10**6) in {p.values["a1"] for p in found}
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy as sp

from derivations.checker.case_splits import scalar_symbols
from derivations.checker.evaluating import Mat
from derivations.checker.pieces import around_roots, root_intervals
from derivations.checker.sampling import Point, denominators
from derivations.checker.zero_tests import is_rational

__all__ = ["EXPONENTS", "MAX_POINTS", "scale_points", "term_roots"]

#: The decades scanned per scalar: 10^e for these e.
EXPONENTS = range(-12, 13)

#: The scales of "all small together" and "all large together".
TOGETHER = (-12, -6, -3, 3, 6, 12)

#: The factors every matrix is scaled by.
MATRIX_SCALES = (-12, -6, 6, 12)

#: Most points made (the first ones in the order of the module docstring).
MAX_POINTS = 600

#: Base points used (the first of the compared points).
BASES = 2


def _grid(kind: str) -> list[Fraction]:
    """``±10^e`` and 0, as the sign kind allows."""
    out = [Fraction(10) ** e for e in EXPONENTS]
    if kind == "real":
        out += [-x for x in out]
    if kind != "positive":
        out.append(Fraction(0))
    return out


def _with(base: Mapping[str, Any], changes: Mapping[str, Any],
          ties: Mapping[str, str]) -> dict[str, Any]:
    """``base`` with ``changes``; a tied name and the name it equals move together."""
    out = dict(base)
    out.update(changes)
    for tie, keep in ties.items():
        if tie in changes:
            out[keep] = changes[tie]
        if keep in out:
            out[tie] = out[keep]
    return out


def term_roots(exprs: Sequence[sp.Basic]) -> list[sp.Expr]:
    """The expressions whose roots mark where a term of ``exprs`` is largest or changes:
    ``g``, ``g ± 1`` for ``exp(g)``; ``u``, ``u − 1`` for ``log(u)``; ``u`` for a root
    ``u^{p/q}`` and for a denominator ``u``.

    >>> from derivations.symbols import a1
    >>> term_roots([sp.log(1 + a1) + sp.exp(-a1**2)])
    [-a1**2, 1 - a1**2, -a1**2 - 1, a1 + 1, a1]
    """
    out: list[sp.Expr] = []
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, sp.exp):
                g = node.args[0]
                out += [g, g + 1, g - 1]
            elif isinstance(node, sp.log):
                u = node.args[0]
                out += [u, u - 1]
            elif isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer:
                out.append(node.base)
        out += denominators(e)
    seen: dict[str, sp.Expr] = {}
    for c in out:
        if c.is_number or any(isinstance(t, sp.MatrixSymbol) for t in c.free_symbols):
            continue
        seen.setdefault(sp.srepr(c), c)
    return list(seen.values())


def _peaks(c: sp.Expr, s: sp.Symbol, base: Mapping[str, Any]) -> list[Fraction]:
    """Values of ``s`` next to the real roots of ``c`` (the other scalars at ``base``)."""
    others = {t: sp.Rational(base[t.name].numerator, base[t.name].denominator)
              for t in c.free_symbols
              if t != s and isinstance(t, sp.Symbol) and isinstance(base.get(t.name), Fraction)}
    f = c.xreplace(others)
    if f.free_symbols != {s} or not is_rational(f):
        return []
    try:
        num, den = sp.fraction(sp.together(f))
        polys = [sp.Poly(num, s)] + ([sp.Poly(den, s)] if den.has(s) else [])
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
        return []
    roots = sorted({r for p in polys for r in root_intervals(p)})
    return [x for a, b in roots for x in (a, b)] + around_roots(roots)


def scale_points(exprs: Sequence[sp.Basic], draw: Any, bases: Sequence[Mapping[str, Any]],
                 limit: int = MAX_POINTS) -> list[Point]:
    """The ``scale`` and ``peak`` points of the module docstring, built from the first
    :data:`BASES` of ``bases`` (full points), admissible for ``draw`` (its ``kinds``,
    ``conditions.ties``, ``admissible``), at most ``limit``."""
    ties = draw.conditions.ties
    kinds = dict(sorted(draw.kinds.items()))
    names = [n for n in kinds if n not in ties]
    out: list[Point] = []
    seen: set[tuple] = set()

    def add(values: dict[str, Any], kind: str) -> None:
        key = tuple(sorted((n, v) for n, v in values.items() if not isinstance(v, Mat)))
        key += tuple(sorted((n, v.rows) for n, v in values.items() if isinstance(v, Mat)))
        if len(out) < limit and key not in seen and draw.admissible(values):
            seen.add(key)
            out.append(Point(values, None, kind))

    chosen = list(bases[:BASES])
    for base in chosen:
        for name in names:
            for x in _grid(kinds[name]):
                add(_with(base, {name: x}, ties), "scale")
        for e in TOGETHER:
            size = Fraction(10) ** e
            for negative in (False, True):
                changes = {n: (-size if negative and kinds[n] == "real" else size) for n in names}
                add(_with(base, changes, ties), "scale")
        for e in MATRIX_SCALES:
            factor = Fraction(10) ** e
            changes = {n: m.scale(factor) for n, m in base.items() if isinstance(m, Mat)}
            if changes:
                add(_with(base, changes, ties), "scale")
    symbols = {s.name: s for s in scalar_symbols(*exprs)}
    for c in term_roots(exprs):
        for s in sorted(scalar_symbols(c), key=lambda t: t.name):
            if s.name not in kinds or s.name in ties and ties[s.name] not in symbols:
                continue
            for base in chosen:
                for x in _peaks(c, s, base):
                    if kinds[s.name] == "positive" and x <= 0 or \
                            kinds[s.name] == "nonnegative" and x < 0:
                        continue
                    add(_with(base, {s.name: x}, ties), "peak")
    return out
