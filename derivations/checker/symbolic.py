"""The symbolic part of a check, run in a worker process: a proof, else the pieces settled.

:func:`decide` tries the prover (:mod:`~derivations.checker.proving`); where it finds no
proof it settles every piece of the case structure of the difference
(:mod:`~derivations.checker.pieces`: points found inside the pieces the drawn points missed,
for the certified comparison) and says whether the Schwartz–Zippel bound can apply
(:mod:`~derivations.checker.schwartz_zippel`). All of it is bounded in work; the caller runs
it under :func:`~derivations.checker.time_limit.call_with_timeout` only as a safety stop.

:func:`quick_proof` is the part cheap enough to run in the caller's process: identical after
reading, or after the ``min``/``max`` normal form.

>>> from derivations.symbols import h1, h2, h3
>>> quick_proof(-sp.Max(-h1, -h2, -h3), sp.Min(h1, h2, h3), sp.true)
'identical after the min/max normal form (−max(−x, −y) = min(x, y))'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.pieces import Coverage, settle
from derivations.checker.proving import apply_conditions, orient_scalars, prove_equal
from derivations.checker.schwartz_zippel import applies
from derivations.checker.zero_tests import minmax_normal_form

__all__ = ["Symbolic", "decide", "quick_proof"]


@dataclass(frozen=True)
class Symbolic:
    """What the symbolic work found: a proof (a sentence), or the pieces settled and why
    the Schwartz–Zippel bound does not apply (None: it may)."""

    proof: str | None
    coverage: Coverage | None = None
    no_bound: str | None = None


def quick_proof(yours: sp.Basic, expected: sp.Basic, conditions: sp.Basic) -> str | None:
    """A proof that costs next to nothing, or None (see the module docstring)."""
    (y, e), under = apply_conditions((yours, expected), conditions)
    if y == e:
        return "identical after reading" + under
    if isinstance(y, MatrixExpr) or isinstance(e, MatrixExpr):
        return None
    if minmax_normal_form(y) == minmax_normal_form(e):
        return "identical after the min/max normal form (−max(−x, −y) = min(x, y))" + under
    return None


def decide(yours: sp.Basic, expected: sp.Basic, conditions: sp.Basic,
           points: Sequence[Mapping[str, Any]], kinds: Mapping[str, str],
           admissible: Callable[[Mapping[str, Any]], bool], ties: Mapping[str, str]
           ) -> Symbolic:
    """The proof of ``yours = expected`` under ``conditions``; without one, the pieces of the
    difference settled from the compared ``points`` (their values) and whether the
    Schwartz–Zippel bound may apply."""
    proof = prove_equal(yours, expected, conditions)
    if proof is not None:
        return Symbolic(proof)
    (y, e), _ = apply_conditions((yours, expected), conditions)
    coverage = settle(orient_scalars(y) - orient_scalars(e), points, kinds, admissible, ties)
    return Symbolic(None, coverage, applies(y, e))
