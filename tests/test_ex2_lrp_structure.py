"""Exercise 2: both networks compute min(a1, a2); LRP-γ explains them differently."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp

from derivations import lrp_structure as ex2
from derivations import signs
from derivations.answers import answers, spec
from derivations.min_networks import NETWORKS, Network
from derivations.regions import trichotomy
from derivations.relu_lrp import lrp_gamma
from derivations.steps import check
from derivations.symbols import a1, a2, gamma

NETS = tuple(NETWORKS)
GAMMAS = (0.0, 0.25, 1.0, 3.0)
POINTS = ((1.0, 2.0), (2.0, 1.0), (1.5, 1.5), (0.3, 0.7), (5.0, 0.5), (2.0, 2.0))


def lrp_numeric(net: Network, x: tuple[float, float], g: float, eps: float = 0.0) -> np.ndarray:
    """LRP-γ written out in floats (independent of the symbolic engine); 0/0 → 0."""
    acts = [np.array(x, dtype=float)]
    weights = [np.array(W.tolist(), dtype=float) for W in net.weights]
    for depth, W in enumerate(weights):
        pre = acts[-1] @ W
        acts.append(pre if depth == len(weights) - 1 else np.maximum(pre, 0.0))
    R = acts[-1].copy()
    for depth in range(len(weights) - 1, -1, -1):
        W, a = weights[depth], acts[depth]
        zjk = a[:, None] * (W + g * np.maximum(W, 0.0))
        zk = zjk.sum(axis=0) + eps
        ratio = np.divide(zjk, zk, out=np.zeros_like(zjk), where=np.abs(zk) > 1e-300)
        R = ratio @ R
    return R


@pytest.mark.parametrize("name", NETS)
def test_2a_network_computes_min(name: str) -> None:
    """y = min(a1, a2) on a1, a2 ≥ 0, proven region by region; the derivation's steps hold."""
    y = ex2.output(name)
    for region in trichotomy(a1, a2):
        assert region.is_exact()
        assert sp.simplify(region.substitute(y - sp.Min(a1, a2))) == 0
    assert answers()[f"2a.{name}"] == sp.Min(a1, a2)
    assert all(r.ok for r in check(ex2.output_derivation(name)))


@pytest.mark.parametrize("positive", (False, True))
def test_2_regions_are_exact_parametrizations(positive: bool) -> None:
    """Each region is the bijective image of its parametrization (the case split is sound)."""
    assert all(r.is_exact() for r in trichotomy(a1, a2, positive))


@pytest.mark.parametrize("name", NETS)
def test_2b_relevance_at_equal_inputs_matches_float_lrp(name: str) -> None:
    """R1, R2 at a1 = a2 (answers) equal a float LRP-γ implementation, for several γ."""
    R1, R2 = answers()[f"2b.{name}"], answers()[f"2b.{name}.R2"]
    for v, g in itertools.product((0.5, 1.0, 3.0), GAMMAS):
        ref = lrp_numeric(NETWORKS[name], (v, v), g)
        got = [float(R.subs({a1: v, a2: v, gamma: g})) for R in (R1, R2)]
        assert np.allclose(got, ref, rtol=1e-12, atol=1e-12), (v, g, got, ref)


def test_2b_structure_changes_the_explanation() -> None:
    """At a1 = a2 > 0 the two networks give all relevance to different inputs."""
    a = answers()
    assert sp.simplify(a["2b.i"] - a1) == 0 and a["2b.i.R2"] == 0
    assert a["2b.ii"] == 0 and sp.simplify(a["2b.ii.R2"] - a2) == 0
    assert sp.simplify(a["2b.i"] - a["2b.ii"]) != 0


@pytest.mark.parametrize("name", NETS)
def test_2b_general_relevance_matches_float_lrp(name: str) -> None:
    """The Piecewise answer on a1, a2 > 0 equals float LRP-γ at points of every region."""
    R1 = answers()[f"2b.{name}.general"]
    for (u, v), g in itertools.product(POINTS, GAMMAS):
        ref = lrp_numeric(NETWORKS[name], (u, v), g)[0]
        got = float(R1.subs({a1: u, a2: v, gamma: g}))
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-12), (u, v, g)


@pytest.mark.parametrize("name", NETS)
def test_2b_general_relevance_is_the_epsilon_limit(name: str) -> None:
    """The 0/0 convention is the limit of a vanishing stabilizer ε (here ε = 1e-9)."""
    R1 = answers()[f"2b.{name}.general"]
    for (u, v), g in itertools.product(POINTS, GAMMAS):
        ref = lrp_numeric(NETWORKS[name], (u, v), g, eps=1e-9)[0]
        assert float(R1.subs({a1: u, a2: v, gamma: g})) == pytest.approx(ref, abs=1e-6)


@pytest.mark.parametrize("name", NETS)
def test_2b_general_conserves_relevance(name: str) -> None:
    """R1 + R2 = y on each region of a1, a2 > 0, for any γ ≥ 0 (symbolic)."""
    for region in trichotomy(a1, a2, positive=True):
        tr = ex2.trace(name, region.name, positive=True)
        total = sum(tr.relevances[0]) - tr.activations[-1][0]
        assert sp.cancel(sp.together(total)) == 0
    assert all(r.ok for r in check(ex2.conservation_derivation(name)))


@pytest.mark.parametrize("name", NETS)
def test_2b_general_agrees_with_equal_input_answer(name: str) -> None:
    """The general Piecewise at a1 = a2 reduces to the a1 = a2 answer."""
    general = answers()[f"2b.{name}.general"]
    at_eq = answers()[f"2b.{name}"]
    s = sp.Symbol("s", positive=True)
    assert sp.simplify(general.subs({a1: s, a2: s}) - at_eq.subs(a1, s)) == 0


def test_2b_general_is_piecewise_over_the_regions() -> None:
    """Network (i): R1 = a1 for a1 ≤ a2 and a γ-dependent rational function for a1 > a2,
    discontinuous at a1 = a2 only for γ = 0 (LRP-0, Gradient × Input)."""
    R1 = answers()["2b.i.general"]
    assert isinstance(R1, sp.Piecewise)
    t = sp.Symbol("t", positive=True)
    gt_branch = R1.subs({a1: a2 + t})
    assert sp.limit(gt_branch.subs(gamma, 1), t, 0) == a2
    assert sp.simplify(gt_branch.subs(gamma, 0)) == 0


def test_2b_engine_refuses_undecided_relu_pattern() -> None:
    """Without a region, ρ(a1 − a2) has no fixed sign: the engine says so."""
    with pytest.raises(ValueError, match="not fixed"):
        lrp_gamma(NETWORKS["i"].weights, (a1, a2), gamma)


def test_2b_engine_applies_zero_over_zero_convention() -> None:
    """Network (i) at a1 = a2 with γ = 0: unit 4's denominator z_4 = a1 − a2 vanishes, and
    its terms contribute 0 (numerator R_4 = 0 too), so R1 = a1 and R2 = 0."""
    s_ = sp.Symbol("s", positive=True)
    tr = lrp_gamma(NETWORKS["i"].weights, (s_, s_), sp.Integer(0))
    vanishing = [t for t in tr.terms if t.layer == 0 and t.k == 1]
    assert vanishing and all(t.z_k == 0 and t.value == 0 for t in vanishing)
    assert all(t.R_k == 0 and t.how == "inactive" for t in vanishing)
    assert tr.relevances[0] == [s_, 0]


def test_2b_engine_refuses_a_vanishing_denominator_with_relevance_to_spread() -> None:
    """The 0/0 convention is the ε-limit only where the numerator vanishes too. With
    a3 = ρ(a1), a4 = ρ(a2), y = a3 − 2a4 at a1 = a2 = s and γ = 1, z_y = 2s − 2s = 0 while
    R_y = y = −s: the ε-limit diverges, and the engine says so instead of returning 0."""
    s_ = sp.Symbol("s", positive=True)
    weights = (sp.eye(2), sp.Matrix([[1], [-2]]))
    with pytest.raises(ValueError, match="undefined"):
        lrp_gamma(weights, (s_, s_), sp.Integer(1))
    tr = lrp_gamma(weights, (s_, s_), sp.Integer(0))  # γ = 0: z_y = y, an ordinary ratio
    assert [t.how for t in tr.terms if t.layer == 1] == ["ratio", "ratio"]
    assert sp.simplify(sum(tr.relevances[0]) - tr.activations[-1][0]) == 0


@pytest.mark.parametrize("answer_id", ("2b.i", "2b.ii", "2b.i.R2", "2b.ii.R2"))
def test_2b_answers_state_their_condition(answer_id: str) -> None:
    """The a1 = a2 answers carry the condition Eq(a1, a2); the general ones a1, a2 > 0."""
    assert spec(answer_id).conditions == sp.Eq(a1, a2)
    assert spec(answer_id.split(".R2")[0] + ".general").conditions == sp.And(a1 > 0, a2 > 0)


@pytest.mark.parametrize("name", NETS)
def test_2b_general_denominators_are_positive(name: str) -> None:
    """On a1, a2 > 0 no denominator of a used fraction can vanish (no isolated 0/0 points).
    On a1, a2 ≥ 0 the ones that can vanish do so only where min(a1, a2) = 0, i.e. y = 0."""
    for region in trichotomy(a1, a2, positive=True):
        assert ex2.trace(name, region.name, positive=True).may_vanish == []
    for region in trichotomy(a1, a2):
        tr = ex2.trace(name, region.name)
        s_min = sp.Symbol("s", nonnegative=True)  # the region's min(a1, a2)
        assert region.substitute(sp.Min(a1, a2)) == s_min
        for z in tr.may_vanish:
            assert signs.positive(z.subs(s_min, sp.Symbol("p", positive=True))), z
        assert tr.activations[-1][0].subs(s_min, 0) == 0
