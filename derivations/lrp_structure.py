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
from derivations.parts import Part
from derivations.printing import Frac, latex
from derivations.regions import Region, trichotomy
from derivations.relu_lrp import Trace, forward, lrp_gamma, shown_relu
from derivations.signs import vanishes
from derivations.steps import Derivation, OnRegions, Rel, Step
from derivations.symbols import a1, a2, gamma

INPUTS = (a1, a2)


def output(name: str) -> sp.Expr:
    """The network's output ``y(a1, a2)`` from its weights (``ρ`` as ``Max(0, ·)``)."""
    return forward(NETWORKS[name].weights, INPUTS)[-1][0]


def regions(positive: bool = False) -> tuple[Region, Region, Region]:
    """``a1 < a2``, ``a1 = a2``, ``a1 > a2`` on ``a1, a2 ≥ 0`` (``> 0`` if ``positive``)."""
    return trichotomy(a1, a2, positive)


def _region(region_name: str, positive: bool = False) -> Region:
    """The region of :func:`regions` named ``region_name``."""
    (region,) = [r for r in regions(positive) if r.name == region_name]
    return region


def _by_region(expr: sp.Expr) -> dict[str, sp.Expr]:
    """``{region name: expr on that region, in a1, a2}`` over the regions of ``a1, a2 ≥ 0``."""
    return {r.name: r.back(r.substitute(expr)) for r in regions()}


def on_regions(expr_of_region: dict[str, sp.Expr], positive: bool = False) -> sp.Piecewise:
    """``Piecewise`` over the three regions from ``{region name: expression in a1, a2}``.

    Regions with the same expression merge (``a1 < a2`` or ``a1 = a2`` is ``a1 ≤ a2``).
    """
    lt, eq, gt = (expr_of_region[r.name] for r in regions(positive))

    if vanishes(lt - eq) and vanishes(eq - gt):
        return lt
    if vanishes(lt - eq):
        return sp.Piecewise((lt, sp.Le(a1, a2)), (gt, sp.Gt(a1, a2)))
    if vanishes(eq - gt):
        return sp.Piecewise((lt, sp.Lt(a1, a2)), (gt, sp.Ge(a1, a2)))
    return sp.Piecewise((lt, sp.Lt(a1, a2)), (eq, sp.Eq(a1, a2)), (gt, sp.Gt(a1, a2)))


def _signed_factors(expr: sp.Expr, point: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``expr`` with every sum factor written with the sign it has at ``point`` (display).

    ``a1²(a1 − a2) / (a1 − (1+γ) a2)`` on ``a1 < a2`` becomes
    ``a1²(a2 − a1) / ((1+γ) a2 − a1)``: the same rational function, factors positive there.
    """
    num, den = sp.fraction(sp.factor(expr))
    sign = sp.S.One
    out = []
    for part, power in ((num, 1), (den, -1)):
        for f in sp.Mul.make_args(part):
            base, ex = f.as_base_exp()
            if isinstance(base, sp.Add) and ex.is_Integer and base.subs(point).is_negative:
                base, sign = -base, sign * (-1) ** ex
            out.append(sp.Pow(base, ex * power))
    result = sign * sp.Mul(*out)
    return result if vanishes(result - expr) else expr


def _shown(region: Region, expr: sp.Expr) -> sp.Expr:
    """An expression in the region's parameters, in ``a1, a2``, factors signed for the region."""
    return _signed_factors(sp.factor(region.back(expr)), _point(region))


@cache
def output_function(name: str) -> sp.Expr:
    """The function the network computes on ``a1, a2 ≥ 0``, identified region by region.

    ``Min(a1, a2)`` or ``Max(a1, a2)`` when the network's output agrees with it on every
    region, else the ``Piecewise`` of its values.
    """
    y = output(name)
    for candidate in (sp.Min(a1, a2), sp.Max(a1, a2)):
        if all(sp.simplify(r.substitute(y - candidate)) == 0 for r in regions()):
            return candidate
    return on_regions(_by_region(y))


@cache
def trace(name: str, region_name: str, positive: bool = False) -> Trace:
    """The LRP-γ computation of network ``name`` on one region, in the region's parameters."""
    region = _region(region_name, positive)
    inputs = [region.substitute(a) for a in INPUTS]
    return lrp_gamma(NETWORKS[name].weights, inputs, gamma)


@cache
def relevance_on(name: str, region_name: str, positive: bool = False) -> tuple[sp.Expr, ...]:
    """``(R1, R2)`` on a region, in ``a1, a2``."""
    region = _region(region_name, positive)
    return tuple(_shown(region, R) for R in trace(name, region_name, positive).relevances[0])


def _point(region: Region) -> dict[sp.Symbol, sp.Expr]:
    """A typical point of the region (parameters 1, 2, …; γ = 1), to orient signs for display."""
    params = {p: sp.Integer(k + 1) for k, p in enumerate(sorted(region.inverse, key=str))}
    return {a: region.param[a].subs(params) for a in INPUTS} | {gamma: sp.S.One}


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


# --------------------------------------------------------------------------- the document

Y = sp.Symbol("y")
_TAGS = {"a1 < a2": "lt", "a1 = a2": "eq", "a1 > a2": "gt"}


def _unit_names(weights: tuple[sp.Matrix, ...]) -> list[list[str]]:
    """Unit labels per layer as in the sheet: inputs ``1, 2``, hidden ``3, 4``, output ``y``."""
    sizes = [weights[0].rows] + [W.cols for W in weights]
    names, nxt = [], 1
    for layer, n in enumerate(sizes):
        if layer == len(sizes) - 1 and n == 1:
            names.append(["y"])
        else:
            names.append([str(nxt + j) for j in range(n)])
            nxt += n
    return names


def _R(label: str) -> sp.Symbol:
    return sp.Symbol(f"R_{label}" if len(label) == 1 else f"R_{{{label}}}")


def _weights_text(name: str) -> str:
    """``$w_{13} = 1, …$`` from the weight data."""
    weights = NETWORKS[name].weights
    labels = _unit_names(weights)
    parts = []
    for layer, W in enumerate(weights):
        for j in range(W.rows):
            for k in range(W.cols):
                sym = "w" if layer < len(weights) - 1 else "v"
                idx = labels[layer][j] + (labels[layer + 1][k] if sym == "w" else "")
                parts.append(f"{sym}_{{{idx}}} = {sp.latex(W[j, k])}")
    return "$" + ", ".join(parts) + "$"


def output_derivation(name: str) -> Derivation:
    """2(a): ``y = forward pass = … = min(a1, a2)``, the case split checked on each region."""
    shown = forward(NETWORKS[name].weights, INPUTS, shown_relu)[-1][0]
    y = output(name)
    steps = [Step(shown, "forward pass with " + _weights_text(name))]
    if y != shown:
        steps.append(Step(y, r"$\rho(t) = t$ for $t \ge 0$ (as $a_1, a_2 \ge 0$)"))
    steps.append(Step(on_regions(_by_region(y)),
                      r"case split: $a_1 < a_2$, $a_1 = a_2$, $a_1 > a_2$",
                      Rel.EQ, OnRegions(regions())))
    steps.append(Step(output_function(name), r"definition of $\min$", Rel.EQ,
                      OnRegions(regions())))
    return Derivation(f"2a.{name}", Y, tuple(steps), {Y: y})


def relevance_derivations(name: str, region_name: str, positive: bool = False
                          ) -> tuple[Derivation, ...]:
    """2(b): one chain per unit, ``R_j = Σ_k z_jk / z_k · R_k = value``, on one region.

    Expressions are shown in ``a1, a2`` (at ``a1 = a2``: in ``a1``); every step is checked.
    """
    region = _region(region_name, positive)
    tr = trace(name, region_name, positive)
    labels = _unit_names(NETWORKS[name].weights)

    def back(e: sp.Expr) -> sp.Expr:
        return _shown(region, e)

    values = {_R(labels[layer][j]): back(R)
              for layer, rel in enumerate(tr.relevances) for j, R in enumerate(rel)}
    tag = _TAGS[region_name]
    where = {"eq": r"$a_1 = a_2$ (written in $a_1$)", "lt": r"$a_1 < a_2$",
             "gt": r"$a_1 > a_2$"}[tag]
    chains = [Derivation(f"2b.{name}.{tag}.R_y", _R(labels[-1][0]), (
        Step(Y, r"LRP starts from $R_y = y$"),
        Step(back(tr.activations[-1][0]), "the output on this region"),
    ), {**values, Y: back(tr.activations[-1][0])},
        intro=f"Network ({name}) on {where}:")]
    for layer in range(len(tr.relevances) - 2, -1, -1):
        for j, label in enumerate(labels[layer]):
            terms, notes = [], []
            for t in tr.terms:
                if t.layer != layer or t.j != j:
                    continue
                upper = labels[layer + 1][t.k]
                if t.how == "0/0":
                    notes.append(f"$z_{{{upper}}} = 0$: term ${upper}$ is $0$ (0/0 convention)")
                    continue
                if t.how == "inactive":
                    notes.append(f"$R_{{{upper}}} = 0$: term ${upper}$ is $0$")
                    continue
                terms.append(sp.Mul(Frac(back(t.z_jk), back(t.z_k)), _R(upper), evaluate=False))
            why = r"LRP-$\gamma$ rule" + ("; " + ", ".join(notes) if notes else "")
            rule = sp.Add(*terms, evaluate=False) if terms else sp.S.Zero
            chains.append(Derivation(f"2b.{name}.{tag}.R_{label}", _R(label), (
                Step(rule, why),
                Step(values[_R(label)], "insert the relevances above and simplify"),
            ), values))
    return tuple(chains)


def _with_intro(dv: Derivation, intro: str) -> Derivation:
    return Derivation(dv.key, dv.start, dv.steps, dv.definitions, intro)


def conservation_derivation(name: str) -> Derivation:
    """``R1 + R2 = y`` for the general answers, checked on each region of ``a1, a2 > 0``."""
    R1, R2 = sp.Symbol("R_1"), sp.Symbol("R_2")
    return Derivation(f"2b.{name}.conservation", R1 + R2, (
        Step(output_function(name), r"add the two cases' relevances; region by region",
             Rel.EQ, OnRegions(regions(True))),
        Step(Y, f"part (a): network ({name}) computes $y = \\min(a_1, a_2)$", Rel.EQ,
             OnRegions(regions(True))),
    ), {R1: general_relevance(name, 0), R2: general_relevance(name, 1), Y: output(name)})


LRP_RULE = (
    r"$R_j = \sum_k \frac{a_j (w_{jk} + \gamma w_{jk}^+)}{\sum_{j'} a_{j'} (w_{j'k}"
    r" + \gamma w_{j'k}^+)} R_k$, from $R_y = y$; where a denominator vanishes the term"
    r" contributes $0$."
)


def parts() -> tuple[Part, ...]:
    """Exercise 2 (a) and (b) as document parts."""
    nets = tuple(NETWORKS)
    part_a = Part(
        "2a", r"Exercise 2(a): both networks compute $\min(a_1, a_2)$",
        r"Show that networks (i) and (ii) compute $y = \min(a_1, a_2)$ on $a_1, a_2 \ge 0$"
        r" ($\rho(t) = \max(0, t)$).",
        tuple(output_derivation(n) for n in nets),
        tuple((f"2a.{n}", f"y_{{\\mathrm{{({n})}}}}") for n in nets),
    )
    (lt, eq, gt) = regions(True)
    chains_b = tuple(dv for n in nets for dv in relevance_derivations(n, regions()[1].name))
    chains_general = []
    for n in nets:
        for r in (lt, gt):
            chosen = [dv for dv in relevance_derivations(n, r.name, True)
                      if dv.key.endswith(("R_1", "R_2"))]
            intro = f"Network ({n}) on ${latex(r.condition)}$:"
            chains_general.append(_with_intro(chosen[0], intro))
            chains_general += chosen[1:]
    chains_general += [_with_intro(conservation_derivation(nets[0]), "Conservation:")]
    chains_general += [conservation_derivation(n) for n in nets[1:]]
    part_b = Part(
        "2b", r"Exercise 2(b): LRP-$\gamma$ at $a_1 = a_2$",
        "The LRP-$\\gamma$ rule, " + LRP_RULE + r" Give $R_1$ at $a_1 = a_2$ for each network.",
        chains_b,
        tuple(a for n in nets for a in ((f"2b.{n}", f"R_1^{{({n})}}"),
                                         (f"2b.{n}.R2", f"R_2^{{({n})}}"))),
        r"The two networks compute the same function but LRP-$\gamma$ gives all relevance"
        r" to $a_1$ in network (i) and all to $a_2$ in network (ii): the explanation depends"
        r" on the network's structure, not only on the function.",
    )
    part_general = Part(
        "2b.general", r"Exercise 2(b), general case: $a_1, a_2 > 0$, any $\gamma \ge 0$",
        r"The same propagation on the regions $a_1 < a_2$ and $a_1 > a_2$ (the hidden"
        r" relevances are computed as above; only $R_1$, $R_2$ are shown), and conservation"
        r" $R_1 + R_2 = y$ of the resulting piecewise answers. On $a_1, a_2 > 0$ every"
        r" denominator used is proven positive on its region. On the boundary some vanish"
        r" (e.g.\ $a_1\gamma + a_2$ at $a_2 = 0$, $\gamma = 0$); there $y = 0$ and every"
        r" relevance is $0$ by the convention, which is why the general answer is stated for"
        r" $a_1, a_2 > 0$.",
        tuple(chains_general),
        tuple((f"2b.{n}.general", f"R_1^{{({n})}}") for n in nets),
    )
    return (part_a, part_b, part_general)
