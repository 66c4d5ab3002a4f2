"""Exercise 2, numerically: the torch min networks and LRP-γ three ways (numerics.min_networks)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import torch
from conftest import SEED, derived_seed
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.answers import answers, spec
from derivations.min_networks import NETWORKS, Network
from numerics import min_networks as mn

NAMES = tuple(NETWORKS)

pytestmark = pytest.mark.seeded


@pytest.fixture(scope="module")
def derived():
    return answers()


@pytest.fixture(scope="module")
def rows(derived):
    return {r.check: r for r in mn.check(seed=SEED, answers=derived)}


@pytest.fixture(scope="module")
def points():
    return mn.grid(seed=SEED)


@pytest.fixture(scope="module")
def relevances(points):
    out = {}
    for name in NAMES:
        net = NETWORKS[name]
        out[name] = (mn.torch_relevances(mn.torch_network(net), points),
                     mn.numpy_relevances(mn.weight_arrays(net), points))
    return out


def _err(values, reference, pts):
    scale = pts.scale if np.ndim(values) == 1 else pts.scale[:, None]
    return float(np.max(np.abs(values - reference) / scale))


def test_2b_grid_has_ties_zeros_and_extreme_gammas(points):
    assert (points.a[:, 0] == points.a[:, 1]).any()
    assert ((points.a == 0).any(axis=1)).any() and (points.a == 0).all(axis=1).any()
    assert {0.0, 1e6} <= set(points.gamma.tolist())
    assert points.a.dtype == np.float64


@pytest.mark.parametrize("name", NAMES)
def test_2a_torch_network_computes_min(name, rows):
    net = mn.torch_network(NETWORKS[name])
    values = np.array([0.0, 1e-3, 0.5, 1.0, 2.0, 7.5, 1e4])
    a = np.array([(x, y) for x in values for y in values])
    with torch.no_grad():
        y = net(torch.as_tensor(a))[:, 0].numpy()
    assert np.max(np.abs(y - a.min(axis=1)) / np.maximum(1.0, a.max(axis=1))) <= mn.TOLERANCE
    assert rows[f"2a ({name}) computes min"].passed


@pytest.mark.parametrize("name", NAMES)
def test_2a_torch_network_matches_derived_output(name, rows):
    row = rows[f"2a ({name}) derived output"]
    assert row.passed and row.max_error <= mn.TOLERANCE


def test_2a_torch_network_is_built_from_the_weight_data():
    for network in NETWORKS.values():
        layers = [m for m in mn.torch_network(network) if isinstance(m, torch.nn.Linear)]
        assert len(layers) == len(network.weights)
        for layer, W in zip(layers, network.weights, strict=True):
            assert layer.bias is None and layer.weight.dtype == torch.float64
            assert layer.weight.detach().numpy().T.tolist() == np.array(W.tolist(),
                                                                        float).tolist()


@pytest.mark.parametrize("name", NAMES)
def test_2b_numpy_lrp_matches_vgg_rules(name, relevances, points, rows):
    torch_r, numpy_r = relevances[name]
    assert np.isfinite(torch_r).all() and np.isfinite(numpy_r).all()
    assert _err(torch_r, numpy_r, points) <= mn.TOLERANCE
    assert rows[f"2b ({name}) LRP-γ NumPy vs vgg.engine"].passed


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("which", ["R1", "R2"])
def test_2b_lrp_matches_derived_relevance_at_the_tie(name, which, derived, relevances, points):
    key = f"2b.{name}" if which == "R1" else f"2b.{name}.R2"
    ties = points.ties()
    sel = points.a[:, 0] == points.a[:, 1]
    reference = mn.derived(derived, key, ties)
    index = 0 if which == "R1" else 1
    for values in relevances[name]:
        assert _err(values[sel, index], reference, ties) <= mn.TOLERANCE


@pytest.mark.parametrize("name", NAMES)
def test_2b_lrp_matches_derived_general_relevance(name, derived, relevances, points, rows):
    key = f"2b.{name}.general"
    sel = mn.restrict(points, spec(key).conditions)      # the answer's domain: a1, a2 > 0
    assert 0 < sel.sum() < len(sel) and (points.a[sel] > 0).all()
    inside = mn.Grid(points.a[sel], points.gamma[sel])
    assert {0.0, 1e6} <= set(inside.gamma.tolist())
    assert (inside.a[:, 0] < inside.a[:, 1]).any() and (inside.a[:, 0] > inside.a[:, 1]).any()
    reference = mn.derived(derived, key, inside)
    assert np.isfinite(reference).all()
    for values in relevances[name]:
        assert _err(values[sel, 0], reference, inside) <= mn.TOLERANCE
    assert rows[f"2b.{name}.general vgg.engine"].passed
    assert rows[f"2b.{name}.general NumPy"].passed


def test_2b_every_row_passes(rows):
    assert [name for name, r in rows.items() if not r.passed] == []
    assert len(rows) >= 2 * 9


def test_2b_zero_over_zero_contributes_nothing():
    # network (i), γ = 0, a2 = 0: the output's denominator γ·a1 + a2 vanishes, and y = 0
    W = mn.weight_arrays(NETWORKS["i"])
    net = mn.torch_network(NETWORKS["i"])
    a = np.array([[2.0, 0.0], [0.0, 0.0]])
    assert mn.lrp_torch(net, a, 0.0).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert mn.lrp_numpy(W, a[0], 0.0).tolist() == [0.0, 0.0]


def test_2b_numpy_lrp_refuses_relevance_over_a_vanishing_denominator():
    # a3 = ρ(a1), a4 = ρ(a2), y = a3 − 2a4 at a1 = a2 = 1, γ = 1: z_y = 2 − 2 = 0 but R_y = −1,
    # not the sheet's 0/0; the explicit sums say undefined (NaN) instead of dropping R_y
    W = [np.eye(2), np.array([[1.0], [-2.0]])]
    assert np.isnan(mn.lrp_numpy(W, np.array([1.0, 1.0]), 1.0)).all()
    R = mn.lrp_numpy(W, np.array([1.0, 1.0]), 0.0)       # γ = 0: z_y = y, an ordinary ratio
    assert R.tolist() == [1.0, -2.0] and R.sum() == -1.0   # conservation: R1 + R2 = y


def test_2b_numpy_lrp_detects_a_wrong_rule():
    # the rule without the γ term (LRP-0) differs from LRP-γ off the tie: the check can fail
    W = mn.weight_arrays(NETWORKS["i"])
    a = np.array([3.0, 1.0])
    assert not np.allclose(mn.lrp_numpy(W, a, 1.0), mn.lrp_numpy(W, a, 0.0))


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 50), st.floats(0, 50), st.sampled_from([0.0, 0.01, 0.5, 1.0, 20.0]),
       st.sampled_from(NAMES))
def test_2b_numpy_and_vgg_rules_agree_on_random_inputs(x1, x2, g, name):
    net = NETWORKS[name]
    a = np.array([[x1, x2]])
    torch_r = mn.lrp_torch(mn.torch_network(net), a, g)[0]
    numpy_r = mn.lrp_numpy(mn.weight_arrays(net), a[0], g)
    assert np.max(np.abs(torch_r - numpy_r)) <= mn.TOLERANCE * max(1.0, x1, x2)


def test_2b_deeper_network_from_other_weight_data():
    # generic in the number of layers: a 3-layer reading, one line of data
    deep = Network("deep", (sp.Matrix([[1, -1], [2, 1]]), sp.Matrix([[1, 0], [-1, 1]]),
                            sp.Matrix([[1], [-2]])))
    net = mn.torch_network(deep)
    assert sum(isinstance(m, torch.nn.ReLU) for m in net) == 2
    # dyadic inputs and γ: every pre-activation is exact, so a denominator is 0 or ≥ 1/64 and
    # the two implementations differ by the rounding of a few divisions only
    rng = np.random.default_rng(derived_seed(2))
    a = rng.integers(0, 41, size=(20, 2)) / 8
    for g in (0.0, 0.25, 3.0):
        torch_r = mn.lrp_torch(net, a, g)
        numpy_r = np.array([mn.lrp_numpy(mn.weight_arrays(deep), x, g) for x in a])
        assert np.max(np.abs(torch_r - numpy_r)) <= 1e-12


def test_2b_grid_depends_on_the_seed():
    assert not np.array_equal(mn.grid(0).a, mn.grid(1).a)
    assert np.array_equal(mn.grid(3).a, mn.grid(3).a)


def test_2b_missing_answer_is_a_failed_row(derived):
    partial = {k: v for k, v in derived.items() if k != "2b.ii.general"}
    rows = {r.check: r for r in mn.network_rows("ii", partial, seed=SEED)}
    assert not rows["2b.ii.general"].passed
    assert "missing" in rows["2b.ii.general"].compared
