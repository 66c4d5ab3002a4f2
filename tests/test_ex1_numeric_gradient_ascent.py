"""Exercise 1, numerically: both maximizers reach the derived closed forms.

(numerics.activation_maximization; random instances from ``SHEET11_SEED``, see conftest.py.
Instances are grouped by the condition number they were built with, never by a measured one.)
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import SEED, derived_seed

from derivations.answers import answers
from derivations.symbols import Sigma, lam, w
from numerics import activation_maximization as am
from numerics.rows import relative_error

pytestmark = pytest.mark.seeded


@pytest.fixture(scope="module")
def solved() -> list[am.Solved]:
    forms = am.closed_forms(answers())
    return [am.solve(inst, forms) for inst in am.instances(seed=SEED)]


@pytest.fixture(scope="module")
def rows(solved):
    return {r.check: r for r in am.rows(solved)}


def _errors(solved, part, method, variable="x", select=lambda inst: True):
    out = []
    for s in solved:
        if s.instance.part != part or not select(s.instance):
            continue
        run = getattr(s, method)
        if variable == "x":
            out.append(relative_error(s.instance.to_prototype(run.point), s.prototype))
        else:
            out.append(relative_error(run.point[:, None], s.variable))
    assert out, f"no instances of {part}"
    return out


def _ill(inst):
    return inst.cond >= am.ILL_CONDITIONED


def _well(inst):
    return inst.cond < am.ILL_CONDITIONED


def test_1a_gradient_ascent_matches_closed_form(solved, rows):
    assert max(_errors(solved, "1a", "ascent")) <= am.TOLERANCE
    assert rows["1a gradient ascent"].passed


def test_1a_scipy_matches_closed_form(solved, rows):
    assert max(_errors(solved, "1a", "scipy")) <= am.TOLERANCE
    assert rows["1a scipy"].passed


def test_1b_gradient_ascent_matches_closed_form_well_conditioned(solved, rows):
    assert max(_errors(solved, "1b", "ascent", select=_well)) <= am.TOLERANCE
    assert rows["1b well-conditioned gradient ascent"].passed


def test_1b_gradient_ascent_matches_closed_form_ill_conditioned(solved, rows):
    ill = [s for s in solved if s.instance.part == "1b" and _ill(s.instance)]
    assert len(ill) >= 2
    # Σ really is as ill-conditioned as requested: the measured κ(Σ) is the requested κ up to
    # the rounding bound 2n·κ·ε (eigenvalues of a symmetric matrix move by ≤ n·ε·‖Σ‖, see
    # test_1_spd_matrix_has_the_asked_condition_number; observed over 30 seeds: ≤ 0.14 of it)
    eps = np.finfo(float).eps
    measured = []
    for s in ill:
        n, cond = len(s.instance.start), s.instance.cond
        measured.append(float(np.linalg.cond(s.instance.params[Sigma])))
        assert measured[-1] == pytest.approx(cond, rel=2 * n * cond * eps), s.instance.label
        assert measured[-1] >= am.ILL_CONDITIONED * (1 - 2 * n * cond * eps)
    # the hardest Σ of the cases (the largest requested κ in am.CASES) is among them
    hardest = max(sizes.get("cond", 1.0) for part, sizes in am.CASES if part == "1b")
    n_max = max(len(s.instance.start) for s in ill)
    assert max(measured) == pytest.approx(hardest, rel=2 * n_max * hardest * eps)
    assert max(_errors(solved, "1b", "ascent", select=_ill)) <= am.TOLERANCE
    # a real iterative solve: thousands of steps, not one lucky step
    assert min(s.ascent.iterations for s in ill) > 100
    assert rows["1b ill-conditioned gradient ascent"].passed


def test_1b_scipy_matches_closed_form_well_conditioned(solved, rows):
    assert max(_errors(solved, "1b", "scipy", select=_well)) <= am.TOLERANCE
    assert rows["1b well-conditioned scipy"].passed


def test_1b_scipy_matches_closed_form_ill_conditioned(solved, rows):
    assert max(_errors(solved, "1b", "scipy", select=_ill)) <= am.TOLERANCE
    assert rows["1b ill-conditioned scipy"].passed


def test_1c_gradient_ascent_code_matches_closed_form(solved, rows):
    assert max(_errors(solved, "1c", "ascent", variable="z")) <= am.TOLERANCE
    assert rows["1c z* gradient ascent"].passed


def test_1c_scipy_code_matches_closed_form(solved, rows):
    assert max(_errors(solved, "1c", "scipy", variable="z")) <= am.TOLERANCE
    assert rows["1c z* scipy"].passed


def test_1c_prototype_matches_closed_form_for_k_below_and_above_d(solved, rows):
    shapes = {s.instance.params[am.A].shape for s in solved if s.instance.part == "1c"}
    assert any(k < d for d, k in shapes) and any(k > d for d, k in shapes)
    for method in ("ascent", "scipy"):
        assert max(_errors(solved, "1c", method)) <= am.TOLERANCE
    assert rows["1c x* = Az* + c gradient ascent"].passed
    assert rows["1c x* = Az* + c scipy"].passed


def test_1_instances_cover_dimension_up_to_50(solved):
    assert max(s.instance.params[w].shape[0] for s in solved) == 50
    assert {s.instance.part for s in solved} == {"1a", "1b", "1c"}


def test_1b_log_density_matches_scipy(rows):
    assert rows["1b log p(x)"].passed
    assert rows["1b log p(x)"].max_error <= am.LOG_DENSITY_TOLERANCE


def test_1_objectives_are_strongly_concave(solved, rows):
    # the Hessian's κ is the requested one, up to the rounding bound 2n·κ²·ε of the row
    for s in solved:
        m, big_l = s.ascent.curvature
        assert 0 < m <= big_l
        bound = 4 * len(s.instance.start) * s.instance.cond**2 * np.finfo(float).eps
        assert big_l / m == pytest.approx(s.instance.cond, rel=bound)
    assert rows["1 strong concavity"].passed


def test_1_gradient_ascent_certifies_its_distance(solved):
    for s in solved:
        run = s.ascent
        assert run.bound <= am.STOP * max(1.0, float(np.linalg.norm(run.point)))
        # the certificate ‖∇F‖/m bounds the true distance to the closed form (up to rounding),
        # in the maximized variable: x* in 1a and 1b, the code z* in 1c
        true = float(np.linalg.norm(run.point - s.variable.ravel()))
        assert true <= run.bound + 1e-12 * max(1.0, float(np.linalg.norm(run.point)))


def test_1_rows_report_iterations_and_final_gap(rows):
    r = rows["1b ill-conditioned gradient ascent"]
    assert len(r.details["iterations"]) == len(r.details["final_relative_gap"]) >= 2
    assert all(abs(g) < 1e-9 for g in r.details["final_relative_gap"])


def test_1a_check_detects_a_wrong_closed_form():
    wrong = dict(answers())
    wrong["1a"] = w / lam  # off by the factor 2
    forms = am.closed_forms(wrong)
    solved = [am.solve(inst, forms) for inst in am.instances(seed=SEED) if inst.part == "1a"]
    row = next(r for r in am.rows(solved) if r.check == "1a gradient ascent")
    assert not row.passed and row.max_error > 0.4


def test_1_gradient_ascent_rejects_a_convex_objective():
    with pytest.raises(ValueError, match="not strongly concave"):
        am.gradient_ascent(lambda v: v @ v, np.ones(3))
    with pytest.raises(ValueError, match="not strongly concave"):
        am.scipy_maximize(lambda v: torch.sum(v), np.ones(3))


def test_1_spd_matrix_has_the_asked_condition_number():
    rng = np.random.default_rng(derived_seed(5))
    for n, cond in ((2, 1e4), (30, 1e6), (50, 10.0)):
        s = am.spd_matrix(rng, n, cond)
        assert np.allclose(s, s.T)
        assert np.linalg.eigvalsh(s).min() > 0
        # eigenvalues of a symmetric matrix move by ≤ n·ε·‖S‖: κ is off by ≤ 2n·κ·ε relatively
        bound = 2 * n * cond * np.finfo(float).eps
        assert np.linalg.cond(s) == pytest.approx(cond, rel=bound)


def test_1_convergence_plot_is_written(solved, tmp_path):
    path = am.plot_convergence(solved, tmp_path / am.PLOT)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"   # the same, for print
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [am.PLOT, path.with_suffix(".pdf").name])
