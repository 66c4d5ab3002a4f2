"""Exercise 2: two networks computing ``min(a1, a2)`` receive different LRP-γ explanations.

Everything is computed from the weight data of :mod:`derivations.min_networks` by the exact
engine of :mod:`derivations.relu_lrp`, region by region (``a1 < a2``, ``a1 = a2``,
``a1 > a2``; see :mod:`derivations.regions`).

>>> output_function("i"), output_function("ii")
(Min(a1, a2), Min(a1, a2))
>>> relevance_at_equal_inputs("i"), relevance_at_equal_inputs("ii")
((a1, 0), (0, a2))
>>> general_relevance("ii", 0).subs({a1: 2, a2: 1})
0
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from derivations.min_networks import NETWORKS
from derivations.regions import Region, trichotomy
from derivations.relu_lrp import Trace, forward, lrp_gamma
from derivations.symbols import a1, a2, gamma

INPUTS = (a1, a2)


def output(name: str) -> sp.Expr:
    """The network's output ``y(a1, a2)`` from its weights (``ρ`` as ``Max(0, ·)``)."""
    return forward(NETWORKS[name].weights, INPUTS)[-1][0]


def regions(positive: bool = False) -> tuple[Region, Region, Region]:
    """``a1 < a2``, ``a1 = a2``, ``a1 > a2`` on ``a1, a2 ≥ 0`` (``> 0`` if ``positive``)."""
    return trichotomy(a1, a2, positive)


def on_regions(expr_of_region: dict[str, sp.Expr], positive: bool = False) -> sp.Piecewise:
    """``Piecewise`` over the three regions from ``{region name: expression in a1, a2}``."""
    return sp.Piecewise(*[(expr_of_region[r.name], r.condition) for r in regions(positive)])


@cache
def output_function(name: str) -> sp.Expr:
    """The function the network computes on ``a1, a2 ≥ 0``, identified region by region.

    ``Min(a1, a2)`` or ``Max(a1, a2)`` when the network's output agrees with it on every
    region, else the ``Piecewise`` of its values.
    """
    y = output(name)
    values = {r.name: r.back(r.substitute(y)) for r in regions()}
    for candidate in (sp.Min(a1, a2), sp.Max(a1, a2)):
        if all(sp.simplify(r.substitute(y - candidate)) == 0 for r in regions()):
            return candidate
    return on_regions(values)


@cache
def trace(name: str, region_name: str, positive: bool = False) -> Trace:
    """The LRP-γ computation of network ``name`` on one region, in the region's parameters."""
    (region,) = [r for r in regions(positive) if r.name == region_name]
    inputs = [region.substitute(a) for a in INPUTS]
    return lrp_gamma(NETWORKS[name].weights, inputs, gamma)


def relevance_on(name: str, region_name: str, positive: bool = False) -> tuple[sp.Expr, ...]:
    """``(R1, R2)`` on a region, in ``a1, a2``."""
    (region,) = [r for r in regions(positive) if r.name == region_name]
    relevances = trace(name, region_name, positive).relevances[0]
    return tuple(sp.factor(region.back(R)) for R in relevances)


@cache
def relevance_at_equal_inputs(name: str) -> tuple[sp.Expr, sp.Expr]:
    """``(R1, R2)`` at ``a1 = a2``; ``R1`` written in ``a1``, ``R2`` in ``a2``."""
    (_, eq, _) = regions()
    s = next(iter(eq.inverse))
    R1, R2 = trace(name, eq.name).relevances[0]
    return sp.factor(R1.subs(s, a1)), sp.factor(R2.subs(s, a2))


@cache
def general_relevance(name: str, j: int) -> sp.Piecewise:
    """``R_{j+1}`` on ``a1, a2 > 0`` for any ``γ ≥ 0``: a ``Piecewise`` over the regions."""
    return on_regions(
        {r.name: relevance_on(name, r.name, positive=True)[j] for r in regions(True)}, True
    )
