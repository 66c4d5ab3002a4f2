"""numerics.evaluate: lambdified matrix answers compute what the expressions say."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from conftest import derived_seed

from derivations.symbols import A, Sigma, a1, a2, c, d, gamma, k, lam, mu, w
from numerics.evaluate import compile_answer, dimensions


@pytest.fixture
def arrays():
    rng = np.random.default_rng(derived_seed(0))
    n, m = 6, 4
    s = rng.standard_normal((n, n))
    return {A: rng.standard_normal((n, m)), w: rng.standard_normal((n, 1)),
            c: rng.standard_normal((n, 1)), mu: rng.standard_normal((n, 1)),
            Sigma: s @ s.T + n * np.eye(n), lam: 0.7}


def test_inverse_transpose_and_products_evaluate_like_numpy(arrays):
    expr = A * (2 * lam * sp.Identity(k) + A.T * A).inverse() * A.T * w + c
    f = compile_answer(expr, (A, w, c, lam))
    An, wn, cn, ln = arrays[A], arrays[w], arrays[c], arrays[lam]
    expected = An @ np.linalg.solve(2 * ln * np.eye(An.shape[1]) + An.T @ An, An.T @ wn) + cn
    assert np.allclose(f(An, wn, cn, ln), expected, rtol=1e-12, atol=1e-12)


def test_sigma_inverse_and_scalars(arrays):
    expr = sp.Inverse(Sigma) * (w - mu) / (2 * lam) + mu
    f = compile_answer(expr, (Sigma, w, mu, lam))
    S, wn, mn, ln = arrays[Sigma], arrays[w], arrays[mu], arrays[lam]
    expected = np.linalg.solve(S, wn - mn) / (2 * ln) + mn
    assert np.allclose(f(S, wn, mn, ln), expected, rtol=1e-12)


def test_fixed_sizes_compile_once(arrays, monkeypatch):
    compiled = []
    lambdify = sp.lambdify
    monkeypatch.setattr(sp, "lambdify", lambda *a, **kw: compiled.append(a) or lambdify(*a, **kw))
    f = compile_answer(A.T * w, (A, w), sizes={d: 6, k: 4})
    for _ in range(3):
        assert f(arrays[A], arrays[w]).shape == (4, 1)
    assert len(compiled) == 1
    np.testing.assert_allclose(f(arrays[A], arrays[w]), arrays[A].T @ arrays[w], rtol=1e-14)
    g = compile_answer(A.T * w, (A, w))          # without sizes: compiled at every call
    for _ in range(2):
        assert g(arrays[A], arrays[w]).shape == (4, 1)
    assert len(compiled) == 3


def test_piecewise_evaluates_elementwise_with_zero_over_zero_as_nan():
    expr = sp.Piecewise((a1 * gamma / (a1 + a2), a1 < a2), (sp.Integer(0), True))
    f = compile_answer(expr, (a1, a2, gamma))
    out = f(np.array([1.0, 0.0, 3.0]), np.array([3.0, 0.0, 1.0]), np.array([2.0, 1.0, 1.0]))
    assert out.tolist() == [0.5, 0.0, 0.0]
    g = compile_answer(a1 / a2, (a1, a2))
    assert np.isnan(g(np.array([0.0]), np.array([0.0]))).all()   # surfaces, never hidden


def test_constant_answers_broadcast():
    f = compile_answer(sp.Integer(0), (a1, a2, gamma))
    assert f(np.ones(4), np.ones(4), 2.0).shape == (4,)


def test_missing_symbols_and_inconsistent_sizes_are_errors(arrays):
    with pytest.raises(ValueError, match="lambda"):
        compile_answer(w / lam, (w,))
    with pytest.raises(ValueError, match="d = 6"):
        dimensions((A, w), (arrays[A], np.zeros((5, 1))))


def _point(expr, rng, sizes):
    """Random values for the free symbols of ``expr`` (Σ symmetric positive definite)."""
    values = {}
    for s in sorted(expr.free_symbols - {d, k}, key=str):
        if isinstance(s, sp.MatrixSymbol):
            shape = tuple(int(n.subs(sizes)) for n in s.shape)
            m = rng.standard_normal(shape)
            values[s] = m @ m.T + np.eye(shape[0]) if s == Sigma else m
        else:
            values[s] = float(rng.uniform(0.1, 5.0))
    return values


def test_lambdify_agrees_with_the_derivations_tree_evaluator_on_every_answer():
    # two independent evaluators of the same answers: lambdify (numerics) and the
    # tree walker of derivations.checker.evaluating (checker)
    from fractions import Fraction

    from derivations.answers import ANSWER_IDS, answers
    from derivations.checker.evaluating import Mat, to_float, value

    def exact(v):  # the floats drawn, read exactly by the checker's evaluator
        if isinstance(v, np.ndarray):
            return Mat(tuple(tuple(Fraction(float(x)) for x in r) for r in np.atleast_2d(v)))
        return int(v) if isinstance(v, int) else Fraction(float(v))

    rng = np.random.default_rng(derived_seed(0))
    sizes = {d: 5, k: 3}
    for key in ANSWER_IDS:
        expr = answers()[key]
        for _ in range(5):
            values = _point(expr, rng, sizes)
            if a1 in values and a2 in values and not key.endswith("general"):
                values[a2] = values[a1]                     # the answer's domain a1 = a2
            ours = compile_answer(expr, tuple(values))(*values.values())
            by_name = {str(s): v for s, v in values.items()} | {"d": 5, "k": 3}
            theirs = np.asarray(to_float(value(expr, {n: exact(v) for n, v in by_name.items()})),
                                dtype=float)
            assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-12), key
