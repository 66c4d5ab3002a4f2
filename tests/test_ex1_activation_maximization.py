"""Exercise 1: the prototypes are derived, stationary, and the unique maximizers."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations import activation_maximization as ex1
from derivations import matrix_identities as mi
from derivations.answers import answers
from derivations.matrix_calculus import gradient, hessian
from derivations.steps import check
from derivations.symbols import MATRIX_ASSUMPTIONS, A, Sigma, c, d, k, lam, mu, w, x, z

PARTS = ("1a", "1b", "1c")
EXPLICIT = {d: 2, k: 2}


def _chain(part: str, name: str):
    (dv,) = [dv for dv in ex1.derivations(part) if dv.key == f"{part}.{name}"]
    return dv


def _answer_for(part: str) -> sp.Basic:
    return answers()["1c.z" if part == "1c" else part]


@pytest.mark.parametrize("part", PARTS)
def test_1_prototype_is_stationary_point(part: str) -> None:
    """∇J(v*) = 0 for the answer v*: with ∇J from the objective by matrix calculus, and with
    the coordinate-wise derivatives of J in explicit coordinates (independent of the matrix
    calculus that derived v*; d = 3 ≠ k = 2 in 1(c), so a misplaced transpose cannot pass)."""
    p = ex1.PROBLEMS[part]
    g = gradient(p.objective, p.var)
    assert mi.is_zero(g.subs(p.var, _answer_for(part)))
    dims = {d: 3, k: 2} if part == "1c" else EXPLICIT
    J = mi.explicit(p.objective, dims)[0, 0]
    coords = list(mi.explicit(p.var, dims))
    star = dict(zip(coords, mi.explicit(_answer_for(part), dims), strict=True))
    assert all(sp.simplify(sp.diff(J, v).subs(star, simultaneous=True)) == 0 for v in coords)


@pytest.mark.parametrize("part", PARTS)
def test_1_prototype_is_unique_maximizer(part: str) -> None:
    """H ≺ 0 (sympy.ask under Σ ≻ 0, λ > 0) and J(v) − J(v*) = ½(v−v*)ᵀH(v−v*) exactly."""
    p = ex1.PROBLEMS[part]
    H = hessian(p.objective, p.var)
    assert sp.ask(sp.Q.positive_definite(-H), MATRIX_ASSUMPTIONS) is True
    star = _answer_for(part)
    dv = p.var - star
    expansion = p.objective - p.objective.subs(p.var, star) - sp.Rational(1, 2) * dv.T * H * dv
    assert mi.is_zero(expansion)
    assert all(r.ok for name in ("hessian", "unique") for r in check(_chain(part, name)))


def test_1a_prototype_is_w_over_two_lambda() -> None:
    """1(a): x* = w / (2λ), derived by solving the stationarity equation."""
    assert mi.is_zero(answers()["1a"] - w / (2 * lam))


def test_1b_prototype_is_mu_plus_sigma_w() -> None:
    """1(b): x* = μ + Σw."""
    assert mi.is_zero(answers()["1b"] - (mu + Sigma * w))


def test_1c_code_and_prototype() -> None:
    """1(c): z* = Aᵀw/(2λ) and x* = A z* + c."""
    a = answers()
    assert mi.is_zero(a["1c.z"] - A.T * w / (2 * lam))
    assert mi.is_zero(a["1c.x"] - (A * a["1c.z"] + c))


def test_1c_with_half_lambda_equals_1b_with_mu_c_sigma_AAt() -> None:
    """1(c) with λ = ½ is 1(b) with μ = c, Σ = AAᵀ.

    The formulas coincide for every A. (As a covariance, AAᵀ is positive definite only when
    A has full row rank d ≤ k; for k < d it is singular, the Gaussian of 1(b) is degenerate,
    and only the identity of the formulas, not the probabilistic reading, carries over.)
    """
    a = answers()
    x_c = a["1c.x"].subs(lam, sp.Rational(1, 2))
    x_b = a["1b"].subs({mu: c, Sigma: A * A.T})
    assert mi.is_zero(x_c - x_b, symmetric=())


@pytest.mark.parametrize("part", PARTS)
def test_1_matrix_calculus_agrees_with_explicit_coordinates(part: str) -> None:
    """Gradient and Hessian from MatrixSymbol calculus equal coordinate-wise derivatives
    (d = k = 2, symbolic entries, Σ symmetric): an independent check of the calculus."""
    p = ex1.PROBLEMS[part]
    J = mi.explicit(p.objective, EXPLICIT)[0, 0]
    coords = list(mi.explicit(p.var, EXPLICIT))
    grad = sp.Matrix([sp.diff(J, v) for v in coords])
    hess = sp.hessian(J, coords)
    assert sp.simplify(grad - mi.explicit(gradient(p.objective, p.var), EXPLICIT)) == sp.zeros(2, 1)
    assert sp.simplify(hess - mi.explicit(hessian(p.objective, p.var), EXPLICIT)) == sp.zeros(2, 2)


def test_1_symbolic_identity_engine_rejects_a_false_identity() -> None:
    """The normal form does not prove what is false: wᵀx ≠ 2xᵀw; w/λ is not stationary."""
    assert not mi.is_zero(w.T * x - 2 * x.T * w)
    g = gradient(ex1.PROBLEMS["1a"].objective, x)
    assert not mi.is_zero(g.subs(x, w / lam))


def test_1_wrong_step_fails_the_chain() -> None:
    """A chain with a wrong stationary point is rejected by the step checker."""
    from derivations.steps import Derivation, Rel, Scaled, Step

    H = -2 * lam * sp.Identity(d)
    bad = Derivation("bad", sp.Eq(w - 2 * lam * x, sp.ZeroMatrix(d, 1), evaluate=False), (
        Step(sp.Eq(x, w / lam, evaluate=False), "wrong", Rel.IFF, Scaled(H.I, H)),
    ))
    assert [r.ok for r in check(bad)] == [False]


def test_1c_variable_is_the_code() -> None:
    """1(c) maximizes over z (k×1), and the Hessian is −2λ I_k."""
    p = ex1.PROBLEMS["1c"]
    assert p.var == z
    assert mi.is_zero(hessian(p.objective, z) + 2 * lam * sp.Identity(k))
