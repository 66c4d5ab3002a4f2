"""Both answers compared at points: exactly, or certified at escalating precision.

At every point the expected answer and yours are evaluated (:mod:`~.evaluating`): exact
rationals where the values are rational, certified enclosures where they are not. The
relation (:class:`~.evaluating.Relation`) is

- ``EQUAL``: both values exact and equal — the only equality a point ever shows;
- ``DIFFERENT``: exact values that differ, an enclosure of the difference that excludes 0,
  or your answer without a value where the expected one has one — a *certified*
  counterexample;
- ``UNSEPARATED``: enclosures that overlap at every precision tried (64, 256, 1024, 4096
  bits; :data:`~.evaluating.PRECISIONS`), or a decision inside an answer (a case, a sign)
  that no precision settled — no difference shown, and no evidence of equality either.

A point where the expected answer has no value is not compared (``relation`` None).
Escalation is bounded in work: after the first precision, at most :data:`ESCALATED` points
are retried (the first ones, in order).

>>> from fractions import Fraction
>>> import sympy as sp
>>> from derivations.symbols import a1
>>> at = {"a1": Fraction(1)}
>>> compare_at(a1 + sp.log(1 + sp.exp(-2000)), a1, at).relation.value
'different'
>>> compare_at(sp.sqrt(a1 + 1) ** 2, a1 + 1, at).relation.value
'equal'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derivations.checker.evaluating import (
    PRECISIONS,
    UNDEFINED,
    Relation,
    Undecided,
    compare,
    value,
)
from derivations.checker.evaluating.enclosures import correct_digits, precision
from derivations.checker.sampling import Point

__all__ = ["ESCALATED", "Compared", "compare_all", "compare_at", "shown_digits"]

#: Most points retried past the first precision (the first ones whose values overlap).
ESCALATED = 24


@dataclass(frozen=True)
class Compared:
    """One point's comparison: the relation (None where the expected answer has no value),
    both values (None where a decision was not settled), the precision that decided."""

    relation: Relation | None
    yours: Any
    expected: Any
    bits: int
    undecided: str = ""

    @property
    def exact(self) -> bool:
        return self.relation is Relation.EQUAL


def compare_at(yours: sp.Basic, expected: sp.Basic, values: Mapping[str, Any],
               zero_over_zero: bool = False,
               precisions: Sequence[int] = PRECISIONS) -> Compared:
    """The comparison at one point (see the module docstring), trying ``precisions`` in turn
    while the values are not separated. :class:`~.evaluating.EvaluationError` propagates."""
    last = Compared(Relation.UNSEPARATED, None, None, precisions[0], "not evaluated")
    for bits in precisions:
        try:
            e = value(expected, values, zero_over_zero, bits)
        except Undecided as exc:
            last = Compared(Relation.UNSEPARATED, None, None, bits, str(exc))
            continue
        if e is UNDEFINED:
            return Compared(None, None, e, bits)
        try:
            y = value(yours, values, zero_over_zero, bits)
        except Undecided as exc:
            last = Compared(Relation.UNSEPARATED, None, e, bits, str(exc))
            continue
        with precision(bits):
            relation = compare(y, e)
        last = Compared(relation, y, e, bits)
        if relation is not Relation.UNSEPARATED:
            return last
    return last


def compare_all(yours: sp.Basic, expected: sp.Basic, points: Sequence[Point],
                zero_over_zero: bool = False, escalated: int = ESCALATED) -> list[Compared]:
    """:func:`compare_at` at every point: all at the first precision, then the first
    ``escalated`` points not separated at the higher ones."""
    first = [compare_at(yours, expected, p.values, zero_over_zero, PRECISIONS[:1])
             for p in points]
    retry = [i for i, c in enumerate(first) if c.relation is Relation.UNSEPARATED][:escalated]
    for i in retry:
        first[i] = compare_at(yours, expected, points[i].values, zero_over_zero, PRECISIONS[1:])
    return first


def shown_digits(v: Any) -> int | None:
    """The certain significant digits of an enclosed value (None for an exact one)."""
    from derivations.checker.evaluating import Approx, Mat

    if isinstance(v, Mat):
        ds = [shown_digits(x) for r in v.rows for x in r]
        ds = [d for d in ds if d is not None]
        return min(ds) if ds else None
    return correct_digits(v) if isinstance(v, Approx) else None
