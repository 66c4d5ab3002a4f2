"""Exit 0 only on a proof: values that never lie, and no acceptance where sampling proves nothing.

* the issue's named answers (a tiny transcendental term that sampling at 1e-3 … 1e3 could not
  see) are REFUTED with a certified counterexample, never accepted, never called "exact";
* a generator of decoys (``decoys.py``: ``e^{-K·x}``, ``log(1 + e^{-K})``, ``x·e^{-K·x}``,
  ``√(x² + 1/K) − |x|`` … at ``K = 10³, 10⁶, 10¹²``, added, multiplied, replacing a
  parameter) for every id: REFUTED or CANNOT CHECK, never exit 0;
* right answers written with ``exp``/``log`` are PROVED; a transcendental answer that is not
  proved is CANNOT CHECK saying why, never NUMERICALLY EQUAL;
* the certified numbers themselves: ``e^{-10⁶} > 0``, ``log(1 + e^{-2000}) > 0``,
  enclosures that contain 0 are never equality.
"""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction

import pytest
import sympy as sp
from decoys import Decoy, decoys

from derivations.answers import ANSWER_IDS
from derivations.checker import Verdict, check
from derivations.checker.evaluating import Approx, Relation, compare, value
from derivations.checker.evaluating.enclosures import precision, sign
from derivations.symbols import a1, lam

#: The issue's answers, each wrong somewhere in its domain (the expected answer in a comment).
NAMED = [
    ("2b.ii", "a1*exp(-a1*10^6)"),                                        # 0
    ("3b", "min(h1, h2, h3) + exp(-10^6*(h1^2 + h2^2 + h3^2))"),          # min(h1, h2, h3)
    ("1a", "w/(2*lambda)*(1 + exp(-10^6*lambda))"),                       # w/(2λ)
    ("1a", "w/(2*lambda) + e^{-1000} w"),
    ("2a.i", "min(a1,a2) + e^{-1000}"),
    ("2a.i", "min(a1,a2) + log(1 + exp(-2000))"),
    ("2b.i", "a1 + log(1 + exp(-10^6))"),
    ("3b", r"\min_j h_j + e^{-1000}"),
]


@pytest.mark.parametrize(("answer_id", "answer"), NAMED)
def test_the_issues_answers_are_refuted_with_a_certified_counterexample(answer_id: str,
                                                                       answer: str) -> None:
    result = check(answer_id, answer)
    assert result.verdict is Verdict.REFUTED and result.exit_status == 1, result.report()
    cx = result.counterexample
    assert cx is not None
    with precision(4096):
        assert compare(cx.yours, cx.expected) is Relation.DIFFERENT
    # a value that is not rational is never reported as exact arithmetic
    assert "exact rational arithmetic" not in result.message
    if isinstance(cx.yours, Approx) or isinstance(cx.expected, Approx):
        assert "certified" in cx.text() and "certified" in result.message, result.report()


def test_a_tiny_difference_is_shown_honestly_in_the_json() -> None:
    result = check("2b.ii", "a1*exp(-a1*10^6)")
    data = json.loads(result.to_json())
    yours = data["counterexample"]["yours"]
    assert isinstance(yours, dict) and set(yours) == {"approx", "enclosure", "digits"}, yours
    assert yours["digits"] >= 15
    assert data["counterexample"]["expected"] == 0


def test_the_decoys_cover_every_id_decoy_use_and_scale() -> None:
    all_decoys = list(decoys())
    assert {d.answer_id for d in all_decoys} == set(ANSWER_IDS)
    hows = " | ".join(d.how for d in all_decoys)
    for part in ("added", "multiplied", "replaced", "10^3", "10^6", "10^12", "log(1 + exp(-K))",
                 "sqrt(x^2 + 1/K) - |x|", "x exp(-K x)"):
        assert part in hows, part
    assert len(all_decoys) > 200


@pytest.mark.parametrize("decoy", list(decoys()), ids=lambda d: f"{d.answer_id}|{d.how}")
def test_no_transcendental_decoy_is_ever_accepted(decoy: Decoy) -> None:
    result = check(decoy.answer_id, decoy.answer)
    assert result.exit_status != 0, (decoy, result.report())
    assert result.verdict in (Verdict.REFUTED, Verdict.CANNOT_CHECK), result.report()
    if result.verdict is Verdict.REFUTED:
        cx = result.counterexample
        with precision(4096):
            assert cx is not None and compare(cx.yours, cx.expected) is Relation.DIFFERENT


def test_the_decoys_are_refuted_not_only_left_undecided() -> None:
    # the search over every scale finds a certified difference for nearly all of them
    verdicts = Counter(check(d.answer_id, d.answer).verdict for d in list(decoys())[::7])
    assert verdicts[Verdict.REFUTED] >= 0.9 * sum(verdicts.values()), verdicts


#: Right answers written with exp, log and roots: proved (SymPy's rules and the prover's
#: sound rewrites), never left to sampling.
RIGHT_TRANSCENDENTAL = [
    ("1a", r"\frac{w}{2\lambda} e^{0}"),
    ("2b.i", r"\log(e^{a_1})"),
    ("1a", "exp(log(lambda))*w/(2*lambda^2)"),
    ("1a", "w/exp(log(2)+log(lambda))"),
    ("1a", r"\frac{e^{\lambda}}{e^{\lambda}} \frac{w}{2\lambda}"),
    ("1a", "w*exp(-log(2*lambda))"),
    ("1a", r"\frac{w}{\lambda} \cdot \frac{\ln 2}{\ln 4}"),
    ("1a", "w/(2*sqrt(lambda^2))"),
    ("2a.i", "log(exp(min(a1, a2)))"),
    ("2a.i", "min(a1,a2)*exp(gamma)*exp(-gamma)"),
    ("3b", "-log(exp(-min(h1,h2,h3)))"),
    ("2b.i", "a1*exp(a1 - a2)"),
]


@pytest.mark.parametrize(("answer_id", "answer"), RIGHT_TRANSCENDENTAL)
def test_right_answers_written_with_exp_and_log_are_proved(answer_id: str, answer: str) -> None:
    result = check(answer_id, answer)
    assert result.verdict is Verdict.PROVED and result.exit_status == 0, result.report()


def test_a_transcendental_answer_without_a_proof_is_never_numerically_equal() -> None:
    # wrong by about e^{-10^6-λ}: too small to separate at 4096 bits anywhere (λ > 0), and no
    # proof: CANNOT CHECK, saying why — never accepted on agreement at points
    result = check("1a", "w/(2λ) + (log(exp(λ) + exp(-10^6)) - λ)·w")
    assert result.verdict is Verdict.CANNOT_CHECK and result.exit_status == 2, result.report()
    assert "no symbolic proof was found" in result.message, result.message
    assert "log" in result.message and "cannot be ruled out" in result.message, result.message


def test_exit_zero_needs_a_proof_or_the_bound() -> None:
    # every accepted answer here says which: a proof, or the Schwartz–Zippel bound
    for answer_id, answer in RIGHT_TRANSCENDENTAL:
        result = check(answer_id, answer)
        assert result.verdict is Verdict.PROVED
    r = check("2a.i", "min(a1, a2) + (a1 + a2 + gamma + 1)^40"
                      " - ((a1 + a2 + gamma)^2 + 2(a1 + a2 + gamma) + 1)^20")
    assert r.verdict is Verdict.NUMERICALLY_EQUAL and "Schwartz–Zippel" in r.message


# -- the certified numbers ----------------------------------------------------------------------
def test_tiny_values_are_tiny_positive_numbers_not_zero() -> None:
    assert sign(value(sp.exp(-10**6 * lam), {"lambda": Fraction(1)})) == 1
    assert sign(value(sp.exp(-10**24), {})) == 1
    assert sign(value(sp.log(1 + sp.exp(-10**6)), {})) == 1
    assert sign(value(sp.sqrt(4 + sp.exp(-100)) - 2, {})) == 1
    assert sign(value(1 / (1 + sp.exp(-100 * lam)) - 1, {"lambda": Fraction(1)})) == -1


def test_an_enclosure_that_contains_zero_is_never_equality() -> None:
    two = value(sp.sqrt(2) * sp.sqrt(a1), {"a1": Fraction(2)})  # √2·√2 = 2, not rational alone
    assert isinstance(two, Approx)
    assert compare(two, Fraction(2)) is Relation.UNSEPARATED
    assert compare(Fraction(2), Fraction(2)) is Relation.EQUAL
    assert compare(value(sp.pi, {}), Fraction(355, 113)) is Relation.DIFFERENT


def test_values_beyond_the_float_range_stay_exact() -> None:
    result = check("1a", "1e400*w")
    assert result.verdict is Verdict.REFUTED
    data = json.loads(result.to_json())
    entry = data["counterexample"]["yours"][0][0]
    assert entry["exact"].endswith("e400") and entry["approx"].endswith("e+400"), entry
    assert "undefined" not in " ".join(result.diagnosis)
