"""Case splits by the order of the scalar symbols that decide a ``min``, ``max`` or case.

An answer such as ``Min(a1, a2)`` or a ``Piecewise`` in ``a1, a2`` is smooth on each region
where the order of its deciding symbols is fixed. The regions are the *weak orderings* of
those symbols (and of 0, where a decision compares a symbol with a constant): ``a1 < a2``,
``a1 = a2``, ``a1 > a2`` for two symbols, 13 regions for three. Each region is the image of
an exact parametrization by fresh symbols with known signs, e.g. ``a1 < a2`` ↦
``{a1: s, a2: s + t}`` with ``t > 0``; together the regions cover the domain. After the
substitution every decision has a known outcome and SymPy evaluates it. The same regions
stratify the random points of the numeric check.

(For two symbols this is :func:`derivations.regions.trichotomy`; here for any number.)

>>> from derivations.symbols import a1, a2
>>> names, zero = deciding_names([sp.Min(a1, a2)])
>>> names, zero
(('a1', 'a2'), False)
>>> [o.label() for o in weak_orderings(names, zero, {"a1": "nonnegative", "a2": "nonnegative"})]
['a1 < a2', 'a2 < a1', 'a1 = a2']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

import numpy as np
import sympy as sp

from derivations.evaluation import EvaluationError, close, evaluate

#: The zero element of an ordering (decisions that compare a symbol with a constant).
ZERO = "0"

#: Most symbols ordered at once (13 regions for 3 symbols, 75 for 3 and zero).
MAX_NAMES = 3

#: Sign kinds of scalar symbols, weakest first.
KINDS = ("real", "nonnegative", "positive")

#: A level of an ordering: a SymPy expression (proofs) or a float (sampling).
Level = TypeVar("Level")


def kind_of(symbol: sp.Symbol) -> str:
    """The sign kind of a scalar symbol: positive, nonnegative or real.

    >>> from derivations.symbols import lam, a1, h1
    >>> kind_of(lam), kind_of(a1), kind_of(h1)
    ('positive', 'nonnegative', 'real')
    """
    if symbol.is_positive:
        return "positive"
    if symbol.is_nonnegative:
        return "nonnegative"
    return "real"


def comparisons(expr: sp.Basic) -> list[sp.Expr]:
    """The differences whose sign decides ``expr``: ``u − v`` for ``Min(u, v)``, ``u`` for ``|u|``.

    >>> from derivations.symbols import a1, a2
    >>> comparisons(sp.Max(0, a1 - a2))
    [-a1 + a2]
    """
    out: list[sp.Expr] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Min, sp.Max)):
            out.extend(u - v for u, v in combinations(node.args, 2))
        elif isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            out.append(node.args[0])
        elif isinstance(node, sp.core.relational.Relational):
            if not isinstance(node.lhs, sp.MatrixExpr):
                out.append(node.lhs - node.rhs)
    return [c for c in out if c != 0]


def scalar_symbols(*exprs: sp.Basic) -> set[sp.Symbol]:
    """The scalar symbols of ``exprs`` that take values (no dimensions, no dummies).

    >>> from derivations.symbols import A, w, lam
    >>> sorted(map(str, scalar_symbols(A.T * w / lam, sp.Identity(A.shape[0]))))
    ['lambda']
    """
    return {
        s
        for e in exprs
        for s in e.free_symbols
        if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy) and not s.is_integer
    }


def deciding_names(exprs: Iterable[sp.Basic]) -> tuple[tuple[str, ...], bool]:
    """The names of the scalar symbols that decide ``exprs``, and whether 0 joins the order.

    0 joins when some decision is not invariant under a common shift of the symbols (it
    compares a symbol with a constant, like ``max(0, h1)``). At most :data:`MAX_NAMES`
    names, the most frequent first (ordering fewer symbols is still an exact case split).
    """
    counts: dict[str, int] = {}
    symbols: dict[str, sp.Symbol] = {}
    comps = [c for e in exprs for c in comparisons(e)]
    for c in comps:
        if any(isinstance(s, sp.MatrixSymbol) for s in c.free_symbols):
            continue
        for s in scalar_symbols(c):
            counts[s.name] = counts.get(s.name, 0) + 1
            symbols[s.name] = s
    names = tuple(sorted(counts, key=lambda n: (-counts[n], n))[:MAX_NAMES])
    zero = any(not _shift_invariant(c, names) for c in comps)
    return tuple(sorted(names)), zero


def _shift_invariant(c: sp.Expr, names: Sequence[str]) -> bool:
    """Whether ``c`` keeps its value when all of ``names`` move by the same amount.

    Decided at two random points (a polynomial identity test: cheap, and a wrong "no" only
    adds 0 to the order, which refines the case split without making it wrong).
    """
    syms = scalar_symbols(c)
    if not any(s.name in names for s in syms):
        return True
    rng = np.random.default_rng(0)
    for _ in range(2):
        point = {s.name: float(rng.uniform(0.5, 2.0)) for s in syms}
        moved = {n: v + 0.75 if n in names else v for n, v in point.items()}
        try:
            if not close(evaluate(c, point), evaluate(c, moved)):
                return False
        except (EvaluationError, TypeError, ValueError, KeyError):
            return False
    return True


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


def weakest_kind(names: Iterable[str], kinds: Mapping[str, str]) -> str:
    """The sign kind every one of ``names`` has (the base of an ordering without 0)."""
    ks = [kinds.get(n, "real") for n in names]
    return min(ks, key=KINDS.index) if ks else "real"


def describe(orderings: Sequence[Ordering], noun: str = "orderings") -> str:
    """``"the orderings a1 < a2, a2 < a1, a1 = a2"``; past three, their number and names.

    >>> describe(weak_orderings(("h1", "h2", "h3"), False, {}), "regions")
    'all 13 orderings of h1, h2, h3'
    >>> describe(weak_orderings(("h1",), True, {}))
    'the orderings h1 < 0, 0 < h1, h1 = 0'
    """
    if len(orderings) <= 3:
        return f"the {noun} " + ", ".join(o.label() for o in orderings)
    names = sorted({n for o in orderings for b in o.blocks for n in b} - {ZERO})
    zero = any(o.zero_block() is not None for o in orderings)
    return f"all {len(orderings)} orderings of {', '.join(names)}" + " and 0" * zero
