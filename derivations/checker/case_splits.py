"""Case splits by the order of the scalar symbols that decide a ``min``, ``max`` or case.

An answer such as ``Min(a1, a2)`` or a ``Piecewise`` in ``a1, a2`` is smooth on each region
where the order of its deciding symbols is fixed. This module finds those symbols (and
whether 0 joins their order); the regions are their weak orderings, each parametrized
exactly by fresh symbols with known signs (:mod:`derivations.regions`). After the
substitution every decision has a known outcome and SymPy evaluates it. The same regions
stratify the random points of the numeric check.

>>> from derivations.regions import weak_orderings
>>> from derivations.symbols import a1, a2
>>> names, zero = deciding_names([sp.Min(a1, a2)])
>>> names, zero
(('a1', 'a2'), False)
>>> [o.label() for o in weak_orderings(names, zero, {"a1": "nonnegative", "a2": "nonnegative"})]
['a1 < a2', 'a2 < a1', 'a1 = a2']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import combinations

import numpy as np
import sympy as sp

from derivations.checker.evaluating import EvaluationError, agree, value
from derivations.regions import ZERO, Ordering

#: The nodes that decide between cases: the expression is one smooth expression on each
#: side of their conditions (what a case split, or cutting into pieces, splits over).
DECISIONS = (sp.Min, sp.Max, sp.Abs, sp.sign, sp.Heaviside, sp.Piecewise)

#: Most symbols ordered at once (13 regions for 3 symbols, 75 for 3 and zero).
MAX_NAMES = 3

#: Sign kinds of scalar symbols, weakest first.
KINDS = ("real", "nonnegative", "positive")


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

    Decided at two random points in exact arithmetic (a polynomial identity test: cheap, and
    a wrong "no" only adds 0 to the order, which refines the case split without making it
    wrong).
    """
    syms = scalar_symbols(c)
    if not any(s.name in names for s in syms):
        return True
    rng = np.random.default_rng(0)
    for _ in range(2):
        point = {s.name: Fraction(int(rng.integers(50, 200)), 100) for s in syms}
        moved = {n: v + Fraction(3, 4) if n in names else v for n, v in point.items()}
        try:
            if not agree(value(c, point), value(c, moved)):
                return False
        except (EvaluationError, TypeError, ValueError, KeyError):
            return False
    return True


def weakest_kind(names: Iterable[str], kinds: Mapping[str, str]) -> str:
    """The sign kind every one of ``names`` has (the base of an ordering without 0)."""
    ks = [kinds.get(n, "real") for n in names]
    return min(ks, key=KINDS.index) if ks else "real"


def describe(orderings: Sequence[Ordering], noun: str = "orderings") -> str:
    """``"the orderings a1 < a2, a2 < a1, a1 = a2"``; past three, their number and names.

    >>> from derivations.regions import weak_orderings
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
