"""The checker's proof side: sound equalities for all d, case splits, a budget that holds."""

from __future__ import annotations

import time

import numpy as np
import sympy as sp
from conftest import derived_seed

from derivations import symbols as S
from derivations.checker import Verdict, check
from derivations.checker.case_splits import deciding_names
from derivations.checker.proving import prove_equal
from derivations.checker.reading import parse_answer
from derivations.checker.sampling import Conditions, sample_points
from derivations.checker.time_limit import call_with_timeout
from derivations.regions import weak_orderings


def read(text: str) -> sp.Basic:
    return parse_answer(text).expr


def test_1a_equivalent_forms_that_look_different_are_proved() -> None:
    for form in ("(2*lambda)**-1*w", "w*lambda**-1/2"):
        result = check("1a", form)
        assert result.verdict is Verdict.PROVED, result.report()


def test_checker_matrix_proofs_hold_for_every_dimension() -> None:
    # Σᵀ = Σ (symmetry), ΣΣ⁻¹ = I, (wᵀA)ᵀ = Aᵀw, and a 1×1 product equals its transpose.
    assert prove_equal(read("Sigma^T w + mu"), read("mu + Sigma w"))
    assert prove_equal(read("Sigma (inv(Sigma) mu + w)"), read("mu + Sigma w"))
    assert prove_equal(read("(w^T A)^T/(2 lambda)"), read("A^T w/(2 lambda)"))
    assert prove_equal(read("(w^T x) w"), read("(x^T w) w"))


def test_checker_matrix_proofs_do_not_claim_false_identities() -> None:
    # A is not symmetric, and AAᵀ ≠ AᵀA even where both are defined (d = k).
    square = {S.k: S.d}
    aat = read("A A^T w").xreplace(square)
    ata = parse_answer("A^T A w").expr
    assert prove_equal(ata, aat) is None
    assert prove_equal(read("A^T").xreplace(square), S.A.xreplace(square)) is None
    assert prove_equal(read("inv(Sigma) w"), read("Sigma w")) is None


def test_2b_tie_condition_is_applied_before_proving() -> None:
    tie = sp.Eq(S.a1, S.a2)
    assert prove_equal(read("(a1 + a2)/2"), S.a1, tie)
    assert prove_equal(read("(a1 + a2)/2"), S.a1) is None


def test_2a_min_identities_are_proved_by_a_case_split_over_orderings() -> None:
    reason = prove_equal(read("(a1 + a2 - |a1 - a2|)/2"), sp.Min(S.a1, S.a2))
    assert reason is not None and reason.startswith("case split over the orderings")
    reason = prove_equal(read("(h1+h2-abs(h1-h2))/2 - max(0, (h1+h2-abs(h1-h2))/2 - h3)"),
                         sp.Min(S.h1, S.h2, S.h3))
    assert reason is not None and "all 13 orderings of h1, h2, h3" in reason, reason


def test_3b_negated_max_is_proved_by_the_min_max_normal_form_for_every_m() -> None:
    # -max(-h1, …, -hM) = min(h1, …, hM) by pushing the sign through: no case split, any M
    # (for M = 1 both sides read as h1 already)
    for m in range(2, 7):
        hs = S.hs(m)
        reason = prove_equal(-sp.Max(*(-h for h in hs)), sp.Min(*hs))
        assert reason is not None and "min/max normal form" in reason, (m, reason)
    assert prove_equal(-sp.Max(*(-h for h in S.hs(5))), sp.Min(*S.hs(4))) is None


def test_checker_weak_orderings_cover_every_order_exactly_once() -> None:
    # The number of weak orderings of n items is the Fubini number 1, 3, 13, 75.
    for n, fubini in ((1, 1), (2, 3), (3, 13), (4, 75)):
        names = tuple(f"v{i}" for i in range(n))
        assert len(weak_orderings(names, False, {})) == fubini
    # Every random point of three reals lies in exactly one region.
    names = ("h1", "h2", "h3")
    orderings = weak_orderings(names, False, {})
    rng = np.random.default_rng(derived_seed(1))
    for _ in range(50):
        v = dict(zip(names, rng.integers(0, 3, size=3).tolist(), strict=True))
        inside = [o for o in orderings if _holds(o.blocks, v)]
        assert len(inside) == 1


def _in_region(point) -> bool:
    """Whether the point's values satisfy its region's label, e.g. ``h1 < 0 = h2``."""
    blocks = [tuple(b.split(" = ")) for b in point.region.split(" < ")]
    return _holds(blocks, {**point.values, "0": 0.0})


def _holds(blocks, v) -> bool:
    levels = [{v[n] for n in b} for b in blocks]
    return all(len(lv) == 1 for lv in levels) and all(
        max(a) < min(b) for a, b in zip(levels, levels[1:], strict=False)
    )


def test_checker_zero_joins_the_order_only_for_comparisons_with_constants() -> None:
    assert deciding_names([sp.Min(S.a1, S.a2)]) == (("a1", "a2"), False)
    assert deciding_names([sp.Max(0, S.h1)]) == (("h1",), True)


def test_2b_samples_cover_the_three_regions_and_respect_conditions() -> None:
    expr = sp.Piecewise((S.a1, S.a1 < S.a2), (S.a2, True))
    cond = Conditions.parse((S.a1 > 0) & (S.a2 > 0))
    points = sample_points([expr], cond, n=24)
    regions = {p.region for p in points}
    assert regions == {"a1 < a2", "a1 = a2", "a2 < a1"}
    assert all(p.values["a1"] > 0 and p.values["a2"] > 0 for p in points)
    assert all(_in_region(p) for p in points)
    # With 0 in the order (relu(h1)), every point lies in the region it was drawn from.
    mixed = sample_points([sp.Max(0, S.h1), sp.Min(S.h1, S.h2)], n=40)
    assert len({p.region for p in mixed}) == 13 and all(_in_region(p) for p in mixed)
    tie = sample_points([S.a1 + S.a2], Conditions.parse(sp.Eq(S.a1, S.a2)), n=24)
    assert all(p.values["a1"] == p.values["a2"] for p in tie)


def test_1c_samples_have_k_below_equal_and_above_d_and_spd_sigma() -> None:
    points = sample_points([S.A * S.A.T * S.w + S.Sigma * S.mu], n=24)
    dims = {(p.values["d"], p.values["k"]) for p in points}
    assert any(k < d for d, k in dims) and any(k > d for d, k in dims)
    assert any(k == d for d, k in dims)
    for p in points:
        sigma = p.values["Sigma"]
        assert sigma == sigma.T  # exactly symmetric (rational entries)
        assert np.linalg.eigvalsh(sigma.to_numpy()).min() > 0


def test_checker_time_budget_stops_a_running_computation() -> None:
    outcome = call_with_timeout(time.sleep, (30,), 0.3)
    assert outcome.status == "timeout"  # a sleep that ran out would be "ok": it was stopped
    assert call_with_timeout(divmod, (7, 2), 5).value == (3, 1)
    assert call_with_timeout(divmod, (7, 0), 5).status == "error"


def test_checker_past_the_safety_stop_nothing_is_accepted() -> None:
    # the prover is bounded in work; the time limit is only a safety stop: past it the check
    # is CANNOT CHECK (never the numeric verdict that less time used to give)
    answer = "(a1 + a2 - |a1 - a2|)/2"
    assert check("2a.i", answer).verdict is Verdict.PROVED
    hurried = check("2a.i", answer, timeout=1e-4)
    assert hurried.verdict is Verdict.CANNOT_CHECK and hurried.exit_status == 2
    assert "safety limit" in hurried.message, hurried.message


def test_checker_hard_simplification_is_decided_by_its_term_budget() -> None:
    # (t + 1)^40 − (t² + 2t + 1)^20 = 0 with t = a1 + γ: 861 terms, under the term budget
    # (bounded before expanding), so proved — on any machine, whatever its load
    answer = "min(a1, a2) + (a1 + gamma + 1)^40 - ((a1 + gamma)^2 + 2(a1 + gamma) + 1)^20"
    result = check("2a.i", answer)
    assert result.verdict is Verdict.PROVED and result.exit_status == 0, result.report()
    assert "equal in exact rational arithmetic" in result.message


def test_checker_counterexamples_are_confirmed_in_exact_arithmetic() -> None:
    answer = "max(a1, a2) + (a1 + gamma + 1)^40 - ((a1 + gamma)^2 + 2(a1 + gamma) + 1)^20"
    result = check("2a.i", answer, timeout=0.5)
    assert result.verdict is Verdict.REFUTED
    cx = result.counterexample
    assert cx is not None and cx.values["a1"] != cx.values["a2"]
    # The results shown are exact: max and min of the two inputs.
    assert cx.yours == max(cx.values["a1"], cx.values["a2"])
    assert cx.expected == min(cx.values["a1"], cx.values["a2"])
