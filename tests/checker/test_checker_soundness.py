"""Exit 0 means "checked and right": wrong answers built to slip past a sampling checker.

Each answer below differs from the sheet's answer somewhere in its domain — by a tiny
constant, past a threshold outside the usual parameter range, at a single point, only for
large dimensions — and must be REFUTED with a counterexample where it differs. The expected
answers come from derivations.answers; nothing here restates them.
"""

from __future__ import annotations

import pytest

from derivations.checker import Verdict, check

#: (id, answer, a phrase of the diagnosis)
SLIPPERY = [
    ("1a", "w/(2*lambda) + 1e-300*w", "nearly right"),
    ("1a", "0.4999999999999999*w/lambda", "× the expected one"),
    ("1a", "w/(2λ) + max(0, 0.0001 − λ)·w", "right except where λ < 1/10000"),
    ("1a", "w/(2λ) + max(0, λ − 10**6)·w", "right except where λ > 1000000"),
    ("1a", "w/(2λ) + w*Piecewise((1, Eq(lambda, 7)), (0, True))", "right except where λ = 7"),
    ("1a", "w/(2λ) + max(0, d − 5)·w", "right except where d > 5"),
    ("1a", "w/(2λ) + (d−1)(d−2)(d−3)(d−4)(d−5)·w", ""),
    ("1c.x", "A A^T w/(2 lambda) + c + max(0, k − 7) c", "right except where k > 7"),
    ("2a.i", "min(a1, a2) + max(0, a1 − 1000 a2)", ""),
    ("2a.i", "min(a1, a2) + max(0, gamma − 1)·a1", ""),
    ("2b.ii", "a1/10**10", ""),
    ("3b", "min(h1, h2, h3) + max(0, h1 − 10**4)", ""),
]


@pytest.mark.parametrize(("answer_id", "answer", "phrase"), SLIPPERY)
def test_checker_refutes_answers_that_differ_only_somewhere(
    answer_id: str, answer: str, phrase: str
) -> None:
    result = check(answer_id, answer)
    assert result.verdict is Verdict.REFUTED and result.exit_status == 1, result.report()
    cx = result.counterexample
    assert cx is not None and cx.yours != cx.expected  # exact values that really differ
    assert any(phrase in d for d in result.diagnosis) or not phrase, result.report()


def test_checker_constant_ratio_one_is_not_a_factor() -> None:
    # an answer right at every point but one must not be called "15× the expected one"
    result = check("1a", "w/(2λ) + w*Piecewise((1, Eq(lambda, 7)), (0, True))")
    assert not any("× the expected one" in d for d in result.diagnosis), result.diagnosis


def test_checker_numerically_equal_says_what_was_checked() -> None:
    # a right answer the prover cannot simplify within its budget: the verdict says how many
    # points, that they were exact, and why that is evidence
    result = check("2a.i", "(a1 + a2 - |a1 - a2|)/2", timeout=1e-4)
    assert result.verdict is Verdict.NUMERICALLY_EQUAL and result.exit_status == 0
    for phrase in ("exact rational arithmetic", "points", "Schwartz–Zippel", "breakpoint"):
        assert phrase in result.message, result.message
