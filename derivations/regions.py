"""Case splits as exact parametrizations of regions.

A claim about ``Max``/``Min``/ReLU expressions is proven region by region. The regions are
the *weak orderings* of the deciding symbols (and of 0, where a decision compares a symbol
with a constant): ``a1 < a2``, ``a1 = a2``, ``a2 < a1`` for two symbols, 13 regions for
three (:func:`weak_orderings`). Each is the image of a bijection from fresh parameters with
sign assumptions, the levels of its blocks (:meth:`Ordering.levels`): ``a1 < a2`` is
``(s, t) ↦ (s, s + t)`` with ``s ≥ 0``, ``t > 0``. After substituting the parametrization,
every ReLU has a known sign, SymPy evaluates it, and the claim becomes an identity of
rational functions. The same orderings serve the checker's case splits and its sampler
(:mod:`derivations.checker.case_splits`) and the limits of Ex. 3.

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

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

import sympy as sp

#: The zero element of an ordering (decisions that compare a symbol with a constant).
ZERO = "0"

#: A level of an ordering: a SymPy expression (proofs) or a float (sampling).
Level = TypeVar("Level")


@dataclass(frozen=True)
class Ordering:
    """A weak ordering: blocks of equal names, ascending; :data:`ZERO` may be one member."""

    blocks: tuple[tuple[str, ...], ...]

    def label(self) -> str:
        """``"a1 < a2"``, ``"a1 = a2"``, ``"0 = a1 < a2"``."""
        return " < ".join(" = ".join(b) for b in self.blocks)

    def zero_block(self) -> int | None:
        return next((i for i, b in enumerate(self.blocks) if ZERO in b), None)

    def levels(self, base: Level, gaps: Sequence[Level]) -> dict[str, Level]:
        """The value of every name, from ``gaps[i] > 0`` between blocks ``i`` and ``i + 1``.

        ``base`` is the value of the zero block (then it must be 0) if 0 is in the order,
        else of the lowest block.

        >>> Ordering((("h2",), ("0",), ("h1", "h3"))).levels(0.0, [1.5, 2.0])
        {'h2': -1.5, 'h1': 2.0, 'h3': 2.0}
        """
        z = self.zero_block()
        start = 0 if z is None else z
        values: list = [base] * len(self.blocks)
        for i in range(start - 1, -1, -1):
            values[i] = values[i + 1] - gaps[i]
        for i in range(start + 1, len(self.blocks)):
            values[i] = values[i - 1] + gaps[i - 1]
        return {
            n: v for block, v in zip(self.blocks, values, strict=True) for n in block if n != ZERO
        }

    def substitution(
        self, symbols: Mapping[str, sp.Symbol], base_kind: str
    ) -> dict[sp.Symbol, sp.Expr]:
        """Exact parametrization of the region by fresh symbols with signs: :meth:`levels`
        with positive gaps and, without 0 in the order, a base of kind ``base_kind``.

        >>> from derivations.symbols import a1, a2
        >>> Ordering((("a2",), ("a1",))).substitution({"a1": a1, "a2": a2}, "nonnegative")
        {a2: _s, a1: _s + _t1}
        """
        gaps = [sp.Dummy(f"t{i + 1}", positive=True) for i in range(len(self.blocks) - 1)]
        base = sp.S.Zero if self.zero_block() is not None else sp.Dummy("s", **{base_kind: True})
        return {symbols[n]: v for n, v in self.levels(base, gaps).items()}


def _ordered_partitions(items: Sequence[str]) -> Iterator[tuple[tuple[str, ...], ...]]:
    if not items:
        yield ()
        return
    n = len(items)
    for size in range(1, n + 1):
        for first in combinations(items, size):
            rest = [x for x in items if x not in first]
            for tail in _ordered_partitions(rest):
                yield (tuple(first), *tail)


def weak_orderings(names: Sequence[str], zero: bool, kinds: Mapping[str, str]) -> list[Ordering]:
    """All weak orderings of ``names`` (and 0) allowed by the names' sign kinds.

    ``kinds[name]`` is ``"positive"``, ``"nonnegative"`` or ``"real"`` (the default).

    >>> len(weak_orderings(("h1", "h2", "h3"), False, {}))
    13
    >>> [o.label() for o in weak_orderings(("a1",), True, {"a1": "positive"})]
    ['0 < a1']
    """
    items = list(names) + ([ZERO] if zero else [])
    out = []
    for blocks in _ordered_partitions(items):
        o = Ordering(blocks)
        z = o.zero_block()
        if z is not None:
            ok = all(
                (kinds.get(n, "real") != "positive" or i > z)
                and (kinds.get(n, "real") != "nonnegative" or i >= z)
                for i, b in enumerate(blocks)
                for n in b
                if n != ZERO
            )
            if not ok:
                continue
        out.append(o)
    return out


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


#: How ``u`` compares with ``v`` by the sign of ``v − u``: the relation and its symbol.
_RELATIONS = {1: (sp.Lt, "<"), 0: (sp.Eq, "="), -1: (sp.Gt, ">")}


def trichotomy(
    u: sp.Symbol, v: sp.Symbol, positive: bool = False
) -> tuple[Region, Region, Region]:
    """The regions ``u < v``, ``u = v``, ``u > v`` of ``u, v ≥ 0`` (``u, v > 0`` if ``positive``).

    The three weak orderings of ``u, v``, parametrized by their levels with base ``s`` and
    gap ``t``; the inverse reads ``s`` off the lower block and ``t`` as the upper block's
    excess over it. Together they cover the domain (trichotomy of the real order) and are
    disjoint.
    """
    s = s_pos if positive else s_nonneg
    domain = sp.And(u > 0, v > 0) if positive else sp.And(u >= 0, v >= 0)
    by_name = {u.name: u, v.name: v}
    regions = {}
    for o in weak_orderings((u.name, v.name), False, {}):
        level = o.levels(s, [t_gap])
        low, *high = (by_name[b[0]] for b in o.blocks)
        inverse = {s: low} | ({t_gap: high[0] - low} if high else {})
        sign = sp.sign(level[v.name] - level[u.name])
        relation, op = _RELATIONS[sign]
        param = {u: level[u.name], v: level[v.name]}
        regions[sign] = Region(f"{u} {op} {v}", relation(u, v), domain, param, inverse)
    return regions[1], regions[0], regions[-1]
