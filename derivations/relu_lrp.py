"""Exact symbolic forward pass and LRP-γ for any bias-free ReLU network given as weights.

``weights[l][j, k]`` is ``w_jk`` from unit ``j`` of layer ``l`` to unit ``k`` of layer
``l + 1``; hidden layers apply ``ρ(t) = max(0, t)``, the output layer is linear. The LRP-γ
rule, from the top (``R = y``) down, is

    ``R_j = Σ_k  z_jk / z_k · R_k``,  ``z_jk = a_j (w_jk + γ w_jk⁺)``,  ``z_k = Σ_j z_jk``,

with the sheet's convention that a term whose denominator vanishes contributes 0 (the limit
of a vanishing stabilizer ε; its numerator vanishes too, the unit being inactive). Where a
denominator vanishes on a whole region but the numerator does not, the ε-limit diverges and
the rule is undefined: :func:`lrp_gamma` raises ``ValueError`` rather than drop relevance.

A ReLU network is linear on each region where its activation pattern is fixed, so on such a
region (inputs given by a parametrization, see :mod:`derivations.regions`) every ``ρ``
evaluates, and each relevance is a rational function. :func:`lrp_gamma` refuses inputs
where some ReLU's sign is not decided.

>>> import sympy as sp
>>> from derivations.min_networks import NETWORKS
>>> from derivations.symbols import a1, a2, gamma
>>> forward(NETWORKS["i"].weights, (a1, a2))[-1]
[a1 - Max(0, a1 - a2)]
>>> s = sp.Symbol("s", positive=True)
>>> trace = lrp_gamma(NETWORKS["i"].weights, (s, s), gamma)
>>> trace.relevances[0]
[s, 0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp

from derivations import signs


def relu(t: sp.Expr) -> sp.Expr:
    """``ρ(t) = max(0, t)``."""
    return sp.Max(sp.S.Zero, t)


def forward(
    weights: Sequence[sp.Matrix],
    inputs: Sequence[sp.Expr],
    activation: Callable[[sp.Expr], sp.Expr] = relu,
) -> list[list[sp.Expr]]:
    """The activations of every layer, ``[a⁽⁰⁾ = inputs, a⁽¹⁾, …, y]``.

    ``activation`` is ρ; an unevaluated ``Max(0, ·, evaluate=False)`` keeps every ReLU for
    display:

    >>> from derivations.min_networks import NETWORKS
    >>> from derivations.symbols import a1, a2
    >>> forward(NETWORKS["i"].weights, (a1, a2), shown_relu)[-1]
    [Max(0, a1) - Max(0, a1 - a2)]
    """
    layers = [list(inputs)]
    for depth, W in enumerate(weights):
        pre = [sp.expand(sum(layers[-1][j] * W[j, k] for j in range(W.rows)))
               for k in range(W.cols)]
        last = depth == len(weights) - 1
        layers.append(pre if last else [activation(p) for p in pre])
    return layers


def shown_relu(t: sp.Expr) -> sp.Expr:
    """``ρ(t)`` left unevaluated (display of a forward pass before the signs are used)."""
    return sp.Max(sp.S.Zero, t, evaluate=False)


@dataclass(frozen=True)
class Term:
    """One term ``z_jk / z_k · R_k`` of the rule, and how it was evaluated.

    ``how`` is ``"ratio"`` (a proper fraction), ``"inactive"`` (``R_k = 0``, the term is 0)
    or ``"0/0"`` (``z_k = 0`` and ``z_jk = 0`` on the region, the convention makes it 0).
    """

    layer: int
    j: int
    k: int
    z_jk: sp.Expr
    z_k: sp.Expr
    R_k: sp.Expr
    value: sp.Expr
    how: str


@dataclass(frozen=True)
class Trace:
    """Activations, relevances (``relevances[l][j]``, layer 0 = inputs) and every term.

    ``may_vanish`` lists the denominators ``z_k`` used as proper fractions whose positivity
    could not be proven on the region: they may vanish at isolated points, where the
    convention (term = 0) applies instead of the rational formula.
    """

    activations: list[list[sp.Expr]]
    relevances: list[list[sp.Expr]]
    terms: list[Term]
    may_vanish: list[sp.Expr]


def lrp_gamma(
    weights: Sequence[sp.Matrix], inputs: Sequence[sp.Expr], gamma: sp.Expr
) -> Trace:
    """LRP-γ relevances of every layer for the given (region-parametrized) inputs.

    Raises ``ValueError`` where a ReLU's sign is not decided, or where a denominator ``z_k``
    vanishes on the region while a numerator ``z_jk R_k`` does not (no ε-limit).
    """
    acts = forward(weights, inputs)
    for layer in acts[1:-1]:
        for a in layer:
            if a.has(sp.Max):
                raise ValueError(f"ReLU pattern not fixed on this region: {a}")
    relevances: list[list[sp.Expr]] = [[] for _ in acts]
    relevances[-1] = list(acts[-1])  # R_y = y
    terms: list[Term] = []
    may_vanish: list[sp.Expr] = []
    for layer in range(len(weights) - 1, -1, -1):
        W, a, upper = weights[layer], acts[layer], relevances[layer + 1]
        z = [[a[j] * (W[j, k] + gamma * relu(W[j, k])) for k in range(W.cols)]
             for j in range(W.rows)]
        z_k = [sp.factor(sp.expand(sum(z[j][k] for j in range(W.rows)))) for k in range(W.cols)]
        out = [sp.S.Zero] * W.rows
        for j in range(W.rows):
            for k in range(W.cols):
                if signs.vanishes(upper[k]):
                    value, how = sp.S.Zero, "inactive"
                elif signs.vanishes(z_k[k]):
                    if not signs.vanishes(z[j][k]):
                        raise ValueError(
                            f"denominator z_k = 0 but numerator {z[j][k]}·({upper[k]}) is not:"
                            " LRP-γ is undefined here"
                        )
                    value, how = sp.S.Zero, "0/0"
                else:
                    value, how = sp.factor(sp.cancel(z[j][k] * upper[k] / z_k[k])), "ratio"
                    if not signs.positive(z_k[k]) and z_k[k] not in may_vanish:
                        may_vanish.append(z_k[k])
                terms.append(Term(layer, j, k, z[j][k], z_k[k], upper[k], value, how))
                out[j] += value
        relevances[layer] = [sp.factor(sp.cancel(r)) for r in out]
    return Trace(acts, relevances, terms, may_vanish)
