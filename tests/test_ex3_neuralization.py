"""Exercise 3: the one-class SVM as a two-layer network, and min-pooling as γ → ∞."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from conftest import derived_seed

from derivations import neuralization as ex3
from derivations.answers import answers
from derivations.regions import weak_orderings
from derivations.steps import check
from derivations.symbols import gamma, gamma_kernel, h1, h2, h3


def _chain(key: str):
    (dv,) = [dv for dv in ex3.derivations() if dv.key == key]
    return dv


def test_3a_identity_for_general_M() -> None:
    """o(x) = −γ⁻¹ log Σ_i exp(−γ h_i) for every M (IndexedBase/Sum), every step checked;
    the chain starts at the sheet's o(x) and ends at layer 2 of the layer-1 outputs h_i."""
    chain = _chain("3a.identity")
    results = check(chain)
    assert results and all(r.ok for r in results)
    assert chain.expand(chain.start) == ex3.outlier_score_general()
    assert chain.final == ex3.layer2(ex3.h)
    assert chain.definitions[ex3.h[ex3.i]] == ex3.layer1(ex3.alpha[ex3.i], ex3.dist2[ex3.i])


@pytest.mark.parametrize("M", (1, 2, 3, 4))
def test_3a_identity_for_explicit_M(M: int) -> None:
    """The identity with explicit vectors x, u_i ∈ R² and symbolic α_i > 0, M = 1..4."""
    assert ex3.identity_holds_explicitly(M)


def test_3a_identity_numerically() -> None:
    """Float evaluation of both sides at random data (rtol 1e-12): the sheet's score (NumPy)
    against the module's layer1 and layer2 (lambdified)."""
    rng = np.random.default_rng(derived_seed(0))
    al_, d2_ = sp.symbols("alpha d2", positive=True)
    layer1 = sp.lambdify((al_, d2_, gamma_kernel), ex3.layer1(al_, d2_), "math")
    for _ in range(20):
        M, dim, g = int(rng.integers(1, 6)), 3, float(rng.uniform(0.1, 5))
        x, us = rng.normal(size=dim), rng.normal(size=(M, dim))
        al = rng.uniform(0.1, 2, size=M)
        d2 = ((x - us) ** 2).sum(axis=1)
        o = -math.log(float((al * np.exp(-g * d2)).sum())) / g
        hs = [layer1(float(a), float(e), g) for a, e in zip(al, d2, strict=True)]
        assert hs == pytest.approx(d2 - np.log(al) / g, rel=1e-12, abs=1e-12)
        hsym = sp.symbols(f"h1:{M + 1}", real=True)
        layer2 = sp.lambdify((*hsym, gamma_kernel), ex3.layer2(hsym), "math")
        assert o == pytest.approx(layer2(*hs, g), rel=1e-12, abs=1e-12)


def test_3b_sandwich_bound_is_proven() -> None:
    """min h − (log M)/γ ≤ o ≤ min h: both chains (and the sum bounds they use) check."""
    for key in ("3b.sum_upper", "3b.upper", "3b.sum_lower", "3b.lower"):
        results = check(_chain(key))
        assert results and all(r.ok for r in results), key
    assert _chain("3b.upper").final == ex3.m
    assert sp.simplify(_chain("3b.lower").final - (ex3.m - sp.log(ex3.M) / gamma_kernel)) == 0


def test_3b_sandwich_bound_numerically() -> None:
    """The bound at random h and γ (tolerance 1e-12): layer 2 (the module's, lambdified with
    mpmath, as e^{−γh} overflows floats here) between the chains' final bounds, lambdified."""
    rng = np.random.default_rng(derived_seed(1))
    lower = sp.lambdify((ex3.m, ex3.M, gamma_kernel), _chain("3b.lower").final, "math")
    upper = sp.lambdify((ex3.m, ex3.M, gamma_kernel), _chain("3b.upper").final, "math")
    for _ in range(200):
        M = int(rng.integers(1, 8))
        hs, g = rng.normal(scale=3, size=M), float(rng.uniform(0.01, 50))
        hsym = sp.symbols(f"h1:{M + 1}", real=True)
        o = float(sp.lambdify((*hsym, gamma_kernel), ex3.layer2(hsym), "mpmath")(*hs, g))
        lo = float(hs.min())
        assert lower(lo, M, g) - 1e-12 <= o <= upper(lo, M, g) + 1e-12
        assert upper(lo, M, g) - lower(lo, M, g) == pytest.approx(math.log(M) / g)


def test_3b_limit_is_min_pooling() -> None:
    """lim_{γ→∞} o = min_i h_i by the squeeze theorem (the checked 3b.limit step)."""
    results = check(_chain("3b.limit"))
    assert [r.ok for r in results] == [True]
    assert answers()["3b"] == sp.Min(h1, h2, h3)


@pytest.mark.parametrize("M", (2, 3))
def test_3b_sympy_limit_for_small_M(M: int) -> None:
    """sympy.limit on every weak ordering (with and without ties) gives min(h_1, …, h_M),
    the lowest level m of the region; for M = 3 the answer 3b agrees with it on each one."""
    hs = (h1, h2, h3)[:M]
    m, gaps = sp.Symbol("m", real=True), sp.symbols(f"g0:{M}", positive=True)
    by_name = {hj.name: hj for hj in hs}
    orderings = weak_orderings(tuple(by_name), False, {})
    for o in orderings:
        value = ex3.limit_by_sympy(hs, o)
        assert value == by_name[o.blocks[0][0]], o.label()
        case = {by_name[n]: v for n, v in o.levels(m, gaps).items()}  # the region, min at m
        assert value.subs(case) == m, o.label()
        if M == 3:
            assert answers()["3b"].subs(case) == value.subs(case) == m, o.label()
    assert len(orderings) == {2: 3, 3: 13}[M]  # the weak orderings of M items


def test_3b_uses_the_kernel_width_not_the_lrp_gamma() -> None:
    """The limit variable is the positive kernel width, distinct from Ex 2's γ ≥ 0."""
    limit = _chain("3b.limit").start
    assert limit.args[1] == gamma_kernel and gamma_kernel != gamma
