"""Exercise 3: the one-class SVM as a two-layer network, and min-pooling as γ → ∞."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp

from derivations import neuralization as ex3
from derivations.answers import answers
from derivations.steps import check
from derivations.symbols import gamma, gamma_kernel, h1, h2, h3


def _chain(key: str):
    (dv,) = [dv for dv in ex3.derivations() if dv.key == key]
    return dv


def test_3a_identity_for_general_M() -> None:
    """o(x) = −γ⁻¹ log Σ_i exp(−γ h_i) for every M (IndexedBase/Sum), every step checked."""
    results = check(_chain("3a.identity"))
    assert results and all(r.ok for r in results)


@pytest.mark.parametrize("M", (1, 2, 3, 4))
def test_3a_identity_for_explicit_M(M: int) -> None:
    """The identity with explicit vectors x, u_i ∈ R² and symbolic α_i > 0, M = 1..4."""
    assert ex3.identity_holds_explicitly(M)


def test_3a_identity_numerically() -> None:
    """Float evaluation of both sides at random data (rtol 1e-12)."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        M, dim, g = int(rng.integers(1, 6)), 3, float(rng.uniform(0.1, 5))
        x, us = rng.normal(size=dim), rng.normal(size=(M, dim))
        al = rng.uniform(0.1, 2, size=M)
        d2 = ((x - us) ** 2).sum(axis=1)
        o = -math.log(float((al * np.exp(-g * d2)).sum())) / g
        hs = d2 - np.log(al) / g
        assert o == pytest.approx(-math.log(float(np.exp(-g * hs).sum())) / g, rel=1e-12)


def test_3b_sandwich_bound_is_proven() -> None:
    """min h − (log M)/γ ≤ o ≤ min h: both chains (and the sum bounds they use) check."""
    for key in ("3b.sum_upper", "3b.upper", "3b.sum_lower", "3b.lower"):
        results = check(_chain(key))
        assert results and all(r.ok for r in results), key
    assert _chain("3b.upper").final == ex3.m
    assert sp.simplify(_chain("3b.lower").final - (ex3.m - sp.log(ex3.M) / gamma_kernel)) == 0


def test_3b_sandwich_bound_numerically() -> None:
    """The bound at random h and γ (floats, tolerance 1e-12)."""
    rng = np.random.default_rng(1)
    for _ in range(200):
        M = int(rng.integers(1, 8))
        hs, g = rng.normal(scale=3, size=M), float(rng.uniform(0.01, 50))
        lo = hs.min()
        o = lo - math.log(float(np.exp(-g * (hs - lo)).sum())) / g
        assert lo - math.log(M) / g - 1e-12 <= o <= lo + 1e-12


def test_3b_limit_is_min_pooling() -> None:
    """lim_{γ→∞} o = min_i h_i by the squeeze theorem (the checked 3b.limit step)."""
    results = check(_chain("3b.limit"))
    assert [r.ok for r in results] == [True]
    assert answers()["3b"] == sp.Min(h1, h2, h3)


@pytest.mark.parametrize("M", (2, 3))
def test_3b_sympy_limit_for_small_M(M: int) -> None:
    """sympy.limit on every ordering (with and without ties) gives min(h_1, …, h_M)."""
    hs = (h1, h2, h3)[:M]
    for order in itertools.permutations(range(M)):
        for ties in itertools.product((False, True), repeat=M - 1):
            value = ex3.limit_by_sympy(hs, order, ties)
            assert value == hs[order[0]], (order, ties)


def test_3b_uses_the_kernel_width_not_the_lrp_gamma() -> None:
    """The limit variable is the positive kernel width, distinct from Ex 2's γ ≥ 0."""
    limit = _chain("3b.limit").start
    assert limit.args[1] == gamma_kernel and gamma_kernel != gamma
