"""Exercise 3: the one-class SVM's outlier score as a two-layer network, and its min-pooling limit.

``f(x) = Σ_i α_i exp(−γ‖x − u_i‖²)``, ``o(x) = −γ⁻¹ log f(x)``. With
``h_i = ‖x − u_i‖² − γ⁻¹ log α_i`` (layer 1), ``o(x) = −γ⁻¹ log Σ_i exp(−γ h_i)`` (layer 2),
because ``exp(−γ h_i) = α_i exp(−γ‖x − u_i‖²)``. For ``γ → ∞`` layer 2 tends to
``min_i h_i``, squeezed by ``min_i h_i − (log M)/γ ≤ o ≤ min_i h_i``.

The kernel width is ``symbols.gamma_kernel`` (positive), not the LRP parameter of Ex. 2.

>>> from derivations.symbols import h1, h2, h3
>>> identity_holds_explicitly(3)
True
>>> min_pooling_limit((h1, h2, h3))
Min(h1, h2, h3)
>>> from derivations.regions import Ordering
>>> limit_by_sympy((h1, h2, h3), Ordering((("h2",), ("h1", "h3"))))
h2
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sympy as sp

from derivations.parts import Part
from derivations.regions import Ordering
from derivations.steps import Derivation, Identity, Monotone, Rel, Sign, Squeeze, Step
from derivations.symbols import gamma_kernel as G

M = sp.Symbol("M", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
alpha = sp.IndexedBase("alpha", positive=True)
dist2 = sp.IndexedBase("dist2", nonnegative=True)  # ‖x − u_i‖², printed as such
h = sp.IndexedBase("h", real=True)
r = sp.IndexedBase("r", nonnegative=True)  # h_i = m + log(1 + r_i)/γ parametrizes h_i ≥ m
m = sp.Symbol("m", real=True)  # m = min_i h_i

#: Displayed names.
o_name = sp.Symbol("o(x)")
f_name = sp.Symbol("f(x)")
S_name = sp.Symbol(r"\textstyle\sum_{i=1}^{M} e^{-\gamma h_i}")


def layer1(a: sp.Expr, d2: sp.Expr) -> sp.Expr:
    """``h = ‖x − u‖² − γ⁻¹ log α`` from the weight ``α`` and the squared distance ``d2``."""
    return d2 - sp.log(a) / G


def layer2(hs: Sequence[sp.Expr] | sp.Expr) -> sp.Expr:
    """``−γ⁻¹ log Σ_i exp(−γ h_i)``; ``hs`` a sequence, or the general-``M`` ``IndexedBase``."""
    if isinstance(hs, sp.IndexedBase):
        return -sp.log(sp.Sum(sp.exp(-G * hs[i]), (i, 1, M))) / G
    return -sp.log(sp.Add(*[sp.exp(-G * hi) for hi in hs])) / G


def outlier_score(alphas: Sequence[sp.Expr], d2s: Sequence[sp.Expr]) -> sp.Expr:
    """``o = −γ⁻¹ log Σ_i α_i exp(−γ d2_i)``, the sheet's definition."""
    return -sp.log(sp.Add(*[a * sp.exp(-G * d) for a, d in zip(alphas, d2s, strict=True)])) / G


def identity_holds_explicitly(n: int, dim: int = 2) -> bool:
    """The identity ``o = layer2(layer1)`` for ``M = n`` support vectors in ``R^dim``.

    Points ``x = (x_1, …)`` and ``u_i`` with symbolic real coordinates, symbolic ``α_i > 0``.
    """
    xs = sp.symbols(f"x_1:{dim + 1}", real=True)
    us = [sp.symbols(f"u_{k}_1:{dim + 1}", real=True) for k in range(1, n + 1)]
    alphas = sp.symbols(f"alpha_1:{n + 1}", positive=True)
    d2s = [sum((xc - uc) ** 2 for xc, uc in zip(xs, u, strict=True)) for u in us]
    network = layer2([layer1(a, d) for a, d in zip(alphas, d2s, strict=True)])
    diff = outlier_score(alphas, d2s) - network
    return sp.simplify(sp.powsimp(sp.expand_log(diff, force=False))) == 0 or sp.simplify(
        sp.exp(-G * network) - sp.exp(-G * outlier_score(alphas, d2s))
    ) == 0


def min_pooling_limit(hs: Sequence[sp.Expr]) -> sp.Expr:
    """``lim_{γ→∞} layer2(hs)``: the conclusion of the squeeze proven in :func:`derivations`
    (the chain ``3b.limit``, which ends in ``m = min_i h_i``), for the given ``h_i``."""
    (limit,) = [dv for dv in derivations() if dv.key == "3b.limit"]
    return limit.final.subs(m, sp.Min(*hs))


def limit_by_sympy(hs: Sequence[sp.Symbol], ordering: Ordering) -> sp.Expr:
    """``sympy.limit`` of layer 2 on the region ``ordering`` of the ``hs`` (by name).

    The region is parametrized by its levels (:meth:`derivations.regions.Ordering.levels`):
    the lowest block at ``m``, each next block a positive gap higher. The helps SymPy needs,
    each an exact step: factor out ``exp(−γ m)`` (``o = m − γ⁻¹ log Σ_i exp(−γ(h_i − m))``),
    take the limit of each ``exp(−γ(h_i − m))`` (0 or 1), use the continuity of ``log`` at
    the positive limit, and ``lim (log L)/γ = 0``. Returns the limit in the original ``hs``.
    """
    low = sp.Symbol("m", real=True)
    gaps = [sp.Symbol(f"g{k}", positive=True) for k in range(len(ordering.blocks) - 1)]
    level = ordering.levels(low, gaps)
    offset = [level[hj.name] - low for hj in hs]
    o = layer2([low + off for off in offset])
    factored = low - sp.log(sp.Add(*[sp.exp(-G * off) for off in offset])) / G
    if sp.simplify(sp.expand_log(o - factored, force=True)) != 0:  # exp(-γm) > 0
        raise AssertionError("factoring out exp(-γ m) failed")
    inner = sp.Add(*[sp.limit(sp.exp(-G * off), G, sp.oo) for off in offset])
    tail = sp.limit(sp.log(inner) / G, G, sp.oo)
    (lowest,) = [hj for hj in hs if hj.name == ordering.blocks[0][0]]
    return (low - tail).subs(low, lowest)


@cache
def derivations() -> tuple[Derivation, ...]:
    """The identity (a) for general ``M``, and the squeeze (b) with its limit."""
    hi = layer1(alpha[i], dist2[i])
    S = sp.Sum(sp.exp(-G * h[i]), (i, 1, M))
    ident = Derivation("3a.identity", o_name, (
        Step(-sp.log(f_name) / G, "definition of the outlier score"),
        Step(outlier_score_general(), "Gaussian kernel"),
        Step(-sp.log(sp.Sum(sp.exp(-G * hi), (i, 1, M))) / G,
             r"$\alpha_i e^{-\gamma\|x-u_i\|^2}"
             r" = e^{-\gamma(\|x-u_i\|^2 - \gamma^{-1}\log\alpha_i)}$,"
             r" as $\alpha_i > 0$"),
        Step(-sp.log(S) / G, r"layer 1: $h_i = \|x-u_i\|^2 - \gamma^{-1}\log\alpha_i$"),
    ), {o_name: outlier_score_general(), f_name: f_general(), h[i]: hi}, )
    # (b) relabel so that h_1 = m = min_i h_i; every h_i = m + log(1 + r_i)/γ with r_i ≥ 0.
    at_min = {h[1]: m}
    above_min = {h[i]: m + sp.log(1 + r[i]) / G}
    rest = sp.Sum(sp.exp(-G * h[i]), (i, 2, M))
    upper_sum = Derivation("3b.sum_upper", S_name, (
        Step(sp.exp(-G * h[1]) + rest, r"split off the term $i = 1$"),
        Step(sp.exp(-G * h[1]), r"drop the terms $e^{-\gamma h_i} > 0$", Rel.GE),
        Step(sp.exp(-G * m), r"$h_1 = m$", Rel.EQ, Identity(at_min)),
    ), {S_name: S})
    lower_sum = Derivation("3b.sum_lower", S_name, (
        Step(S, "layer 2's sum"),
        Step(sp.Sum(sp.exp(-G * m), (i, 1, M)),
             r"$h_i \ge m$ and $t \mapsto e^{-\gamma t}$ is decreasing", Rel.LE, Sign(above_min)),
        Step(M * sp.exp(-G * m), "$M$ equal terms"),
    ), {S_name: S})
    s_ = sp.Symbol("s", positive=True)
    minus_log = sp.Lambda(s_, -sp.log(s_) / G)
    upper = Derivation("3b.upper", o_name, (
        Step(-sp.log(S_name) / G, "layer 2"),
        Step(-sp.log(sp.exp(-G * m), evaluate=False) / G,
             r"$\sum_i e^{-\gamma h_i} \ge e^{-\gamma m}$; $-\gamma^{-1}\log$ is decreasing",
             Rel.LE, Monotone(minus_log, upper_sum)),
        Step(m, r"$\log e^{t} = t$"),
    ), {o_name: layer2(h), S_name: S})
    lower = Derivation("3b.lower", o_name, (
        Step(-sp.log(S_name) / G, "layer 2"),
        Step(-sp.log(M * sp.exp(-G * m)) / G,
             r"$\sum_i e^{-\gamma h_i} \le M e^{-\gamma m}$; $-\gamma^{-1}\log$ is decreasing",
             Rel.GE, Monotone(minus_log, lower_sum)),
        Step(m - sp.log(M) / G, r"$\log(M e^{-\gamma m}) = \log M - \gamma m$"),
    ), {o_name: layer2(h), S_name: S})
    limit = Derivation("3b.limit", sp.Limit(o_name, G, sp.oo), (
        Step(m, r"squeeze: $m - \frac{\log M}{\gamma} \le o(x) \le m$ and"
                r" $\frac{\log M}{\gamma} \to 0$", Rel.EQ, Squeeze(lower, upper)),
    ), {o_name: layer2(h)})
    return (ident, upper_sum, upper, lower_sum, lower, limit)


def f_general() -> sp.Expr:
    """``f(x) = Σ_{i=1}^M α_i exp(−γ‖x − u_i‖²)``."""
    return sp.Sum(alpha[i] * sp.exp(-G * dist2[i]), (i, 1, M))


def outlier_score_general() -> sp.Expr:
    """``o(x) = −γ⁻¹ log f(x)`` for general ``M``."""
    return -sp.log(f_general()) / G


def parts() -> tuple[Part, ...]:
    """Exercise 3 (a), (b) as document parts."""
    dv = derivations()
    return (
        Part("3a", "Exercise 3(a): the one-class SVM as a two-layer network",
             r"Show that $o(x) = -\frac1\gamma \log \sum_{i=1}^M \alpha_i"
             r" e^{-\gamma\|x-u_i\|^2}$ ($\alpha_i > 0$, $\gamma > 0$) is the network"
             r" $h_i = \|x-u_i\|^2 - \gamma^{-1}\log\alpha_i$,"
             r" $o(x) = -\frac1\gamma\log\sum_i e^{-\gamma h_i}$.",
             dv[:1], (),
             r"The identity holds for every $M$ (also checked with explicit vectors"
             r" $x, u_i \in \mathbb R^2$ for $M = 1, \dots, 4$)."),
        Part("3b", r"Exercise 3(b): the limit $\gamma \to \infty$ is min-pooling",
             r"Show that layer 2 tends to $\min_i h_i$ as $\gamma \to \infty$. Let"
             r" $m = \min_i h_i$ and relabel the units so that $h_1 = m$ (the sum is"
             r" symmetric); then $h_i \ge m$ for all $i$.",
             dv[1:], (("3b", r"\lim_{\gamma\to\infty} o(x)\big|_{M = 3}"),),
             r"Hence $\min_i h_i - \frac{\log M}{\gamma} \le o(x) \le \min_i h_i$:"
             r" layer 2 is a soft minimum that becomes min-pooling as $\gamma \to \infty$."),
    )
