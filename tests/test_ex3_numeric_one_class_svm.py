"""Exercise 3, numerically: a real one-class SVM neuralized (numerics.one_class_svm)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
import torch
from conftest import SEED
from sklearn.svm import OneClassSVM

from derivations.answers import answers
from derivations.symbols import h1, h2, h3
from numerics import one_class_svm as ocs

pytestmark = pytest.mark.seeded


@pytest.fixture(scope="module")
def data():
    return ocs.wine(seed=SEED)


@pytest.fixture(scope="module")
def fitted(data):
    model = ocs.fit(data, ocs.SWEEP_FIT_GAMMA)
    return model, ocs.NeuralizedSVM.from_sklearn(model)


@pytest.fixture(scope="module")
def identity(data):
    return {r.check: r for r in ocs.identity_rows(data)}


@pytest.fixture(scope="module")
def limit(data):
    rows, sweep = ocs.limit_rows(data, answers())
    return {r.check: r for r in rows}, sweep


def _o(net, x):
    with torch.no_grad():
        return net(torch.as_tensor(x)).numpy()


def test_3a_fit_is_real_with_positive_weights(fitted, data):
    model, net = fitted
    assert 5 <= net.units < len(data.train)
    assert (model.dual_coef_ > 0).all()
    assert data.train.shape[1] == len(ocs.FEATURES) and len(data.held_out) > 20


@pytest.mark.parametrize("part", ["training", "held-out"])
def test_3a_network_equals_minus_log_svm_score(part, identity, fitted, data):
    model, net = fitted
    x = data.train if part == "training" else data.held_out
    f = model.decision_function(x) + model.offset_[0]
    o_ref = -np.log(f) / net.gamma
    assert np.max(np.abs(_o(net, x) - o_ref) / np.maximum(1.0, np.abs(o_ref))) <= ocs.TOLERANCE
    assert identity[f"3a network = −(1/γ) log f ({part})"].passed
    assert identity[f"3a exp(−γ o) = f ({part})"].passed


def test_3a_torch_layers_match_the_derivation_layers(data):
    rows = {r.check: r for r in ocs.layer_rows(data)}
    assert rows["3a layer 1 = derivation's layer1"].passed
    assert rows["3a layer 2 = derivation's layer2"].passed


def test_3a_check_detects_an_ignored_offset(fitted, data):
    # forgetting scikit-learn's ρ (decision_function alone) breaks the identity: it can fail
    model, net = fitted
    f_wrong = np.abs(model.decision_function(data.train))
    assert np.max(np.abs(np.exp(-net.gamma * _o(net, data.train)) - f_wrong) / f_wrong) > 1e-3


def test_3a_layers_match_their_definitions(fitted, data):
    _, net = fitted
    x = torch.as_tensor(data.held_out[:5])
    h = net.hidden(x)
    u, log_alpha = net.u.numpy(), net.log_alpha.numpy()
    for n in range(5):
        for i in range(net.units):
            d2 = float(np.sum((data.held_out[n] - u[i]) ** 2))
            assert float(h[n, i]) == pytest.approx(d2 - log_alpha[i] / net.gamma, rel=1e-12,
                                                   abs=1e-12)
    # the soft-min by logsumexp equals the direct formula where the latter does not underflow
    direct = -np.log(np.exp(-net.gamma * h.numpy()).sum(axis=1)) / net.gamma
    assert np.allclose(net.pool(h).numpy(), direct, rtol=1e-12, atol=1e-12)


def test_3b_sandwich_bound_at_every_gamma(limit):
    rows, s = limit
    assert len(s.gammas) >= 20 and s.gammas[0] <= 0.01 and s.gammas[-1] >= 1e3
    slack = ocs.SANDWICH_TOLERANCE * np.maximum(1.0, np.abs(s.min_h))
    assert (s.o <= s.min_h + slack).all()
    assert (s.o >= s.lower - slack).all()
    assert rows["3b sandwich bound"].passed


def test_3b_soft_min_tends_to_min_pooling(limit):
    rows, s = limit
    gap = (s.min_h - s.o).max(axis=1)
    assert gap[0] > 1.0                     # far from min-pooling at small γ
    assert gap[-1] <= math.log(s.units) / s.gammas[-1]
    assert gap[-1] <= 1e-9                  # and there at large γ
    assert rows["3b min-pooling limit"].passed


def test_3b_three_unit_network_tends_to_derived_limit(limit):
    rows, _ = limit
    assert rows["3b derived limit"].passed


def test_3b_check_detects_a_wrong_limit(data):
    # max-pooling instead of min-pooling: the same row fails, by far more than its tolerance
    wrong = dict(answers())
    wrong["3b"] = sp.Max(h1, h2, h3)
    row = next(r for r in ocs.limit_rows(data, wrong)[0] if r.check == "3b derived limit")
    assert not row.passed and row.max_error > 100 * row.tolerance


def test_3b_logsumexp_is_stable_where_the_kernel_underflows(fitted, data):
    _, net = fitted
    far = net.with_gamma(1e4)
    o = _o(far, data.held_out)
    assert np.isfinite(o).all()
    # the kernel sum itself underflows to 0 there: log f would be −inf
    with torch.no_grad():
        h = far.hidden(torch.as_tensor(data.held_out)).numpy()
    assert (np.exp(-1e4 * h).sum(axis=1) == 0).any()


@pytest.mark.parametrize("alpha", [[1.0, 0.0], [1.0, -0.5]])
def test_3_rejects_nonpositive_alpha(alpha):
    with pytest.raises(ValueError, match="α_2 must|every α_i must be > 0"):
        ocs.NeuralizedSVM([[0.0, 0.0], [1.0, 1.0]], alpha, gamma=1.0)


def test_3_rejects_no_support_vectors():
    with pytest.raises(ValueError, match="no support vectors"):
        ocs.NeuralizedSVM(np.zeros((0, 3)), np.zeros(0), gamma=1.0)
    with pytest.raises(ValueError, match="no support vectors"):
        ocs.NeuralizedSVM.from_sklearn(OneClassSVM())  # not fitted


@pytest.mark.parametrize("gamma", [0.0, -1.0, math.nan, math.inf, "scale"])
def test_3_rejects_nonpositive_gamma(gamma):
    with pytest.raises(ValueError, match="gamma must be a positive finite number"):
        ocs.NeuralizedSVM([[0.0]], [1.0], gamma=gamma)


def test_3_rejects_mismatched_weights_and_other_kernels(data):
    with pytest.raises(ValueError, match="one weight per support vector"):
        ocs.NeuralizedSVM([[0.0], [1.0]], [1.0], gamma=1.0)
    linear = OneClassSVM(kernel="linear").fit(data.train)
    with pytest.raises(ValueError, match="RBF kernel"):
        ocs.NeuralizedSVM.from_sklearn(linear)


def test_3_soft_min_plot_is_written(limit, tmp_path):
    _, s = limit
    path = ocs.plot_limit(s, [0, 1, 2], tmp_path / ocs.PLOT)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"   # the same, for print
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [ocs.PLOT, path.with_suffix(".pdf").name])


def test_3_split_depends_on_the_seed():
    assert not np.array_equal(ocs.wine(0).held_out, ocs.wine(1).held_out)
    assert np.array_equal(ocs.wine(2).held_out, ocs.wine(2).held_out)
