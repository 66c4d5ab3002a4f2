"""Case splits as exact parametrizations of regions.

A claim about ``Max``/``Min``/ReLU expressions is proven region by region: a region
``{(a1, a2): a1 < a2}`` is written as the image of a bijection ``(s, t) ↦ (s, s + t)`` from
fresh symbols with sign assumptions (``s ≥ 0``, ``t > 0``). After substituting the
parametrization, every ReLU has a known sign, SymPy evaluates it, and the claim becomes an
identity of rational functions.

>>> from derivations.symbols import a1, a2
>>> lt, eq, gt = trichotomy(a1, a2)
>>> lt.condition, lt.param
(a1 < a2, {a1: s, a2: s + t})
>>> lt.substitute(a2 - a1)
t
>>> lt.is_exact()
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

#: Fresh parameters of the regions: the smaller input ``s`` and the gap ``t > 0``.
s_nonneg = sp.Symbol("s", nonnegative=True)
s_pos = sp.Symbol("s", positive=True)
t_gap = sp.Symbol("t", positive=True)


_EXACT: dict[str, bool] = {}


@dataclass(frozen=True)
class Region:
    """``{v ∈ domain : condition(v)} = {param(p) : p satisfies its symbols' assumptions}``."""

    name: str
    condition: sp.Basic
    domain: sp.Basic
    param: Mapping[sp.Symbol, sp.Expr]
    inverse: Mapping[sp.Symbol, sp.Expr]

    def substitute(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` restricted to the region, as a function of the fresh parameters."""
        return sp.sympify(expr).subs(dict(self.param), simultaneous=True)

    def back(self, expr: sp.Basic) -> sp.Basic:
        """An expression in the fresh parameters, rewritten in the original variables."""
        return sp.sympify(expr).subs(dict(self.inverse), simultaneous=True)

    def is_exact(self) -> bool:
        """Check that ``param`` is a bijection from the parameters onto the region.

        (1) every parameter point lands in the region (condition and domain hold);
        (2) ``param`` and ``inverse`` compose to the identity both ways; (3) every point of the
        region has inverse values that satisfy the parameters' sign assumptions.
        (Memoized: regions are immutable values.)
        """
        key = sp.srepr((self.condition, self.domain, sp.Tuple(*self.param.items()),
                        sp.Tuple(*self.inverse.items())))
        if key not in _EXACT:
            _EXACT[key] = self._is_exact()
        return _EXACT[key]

    def _is_exact(self) -> bool:
        lands = sp.simplify(self.substitute(sp.And(self.condition, self.domain))) == sp.true
        ident_p = all(sp.simplify(self.substitute(e) - p) == 0 for p, e in self.inverse.items())
        # On an equality region, the original variables agree only modulo the condition.
        on_region = sp.solve(self.condition, dict=True)[0] if isinstance(
            self.condition, sp.Eq
        ) else {}
        ident_v = all(
            sp.simplify((self.back(e) - v).subs(on_region)) == 0 for v, e in self.param.items()
        )
        signs = [e > 0 if p.is_positive else e >= 0 for p, e in self.inverse.items()]
        onto = sp.simplify(sp.Implies(sp.And(self.condition, self.domain), sp.And(*signs)))
        return bool(lands and ident_p and ident_v and onto == sp.true)


def trichotomy(
    u: sp.Symbol, v: sp.Symbol, positive: bool = False
) -> tuple[Region, Region, Region]:
    """The regions ``u < v``, ``u = v``, ``u > v`` of ``u, v ≥ 0`` (``u, v > 0`` if ``positive``).

    Together they cover the domain (trichotomy of the real order) and are disjoint.
    """
    s = s_pos if positive else s_nonneg
    t = t_gap
    domain = sp.And(u > 0, v > 0) if positive else sp.And(u >= 0, v >= 0)
    return (
        Region(f"{u} < {v}", sp.Lt(u, v), domain, {u: s, v: s + t}, {s: u, t: v - u}),
        Region(f"{u} = {v}", sp.Eq(u, v), domain, {u: s, v: s}, {s: u}),
        Region(f"{u} > {v}", sp.Gt(u, v), domain, {u: s + t, v: s}, {s: v, t: u - v}),
    )
