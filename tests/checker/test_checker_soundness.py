"""Exit 0 means "checked and right": wrong answers built to slip past a sampling checker.

Each answer below differs from the sheet's answer somewhere in its domain — by a tiny
constant, past a threshold outside the usual parameter range, at a single point, only for
large dimensions — and must be REFUTED with a counterexample where it differs. The expected
answers come from derivations.answers; nothing here restates them.
"""

from __future__ import annotations

from fractions import Fraction

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
    # a difference of e^-300 (past 45 digits): the regions are told apart as the verdict
    # compared them, at 380 digits
    ("1a", "w/(2*lambda) + max(0, lambda - 5)*exp(-300)*w", "right except where λ > 5"),
    ("1a", "w/(2λ) + (d−1)(d−2)(d−3)(d−4)(d−5)·w", ""),
    ("1c.x", "A A^T w/(2 lambda) + c + max(0, k − 7) c", "right except where k > 7"),
    ("2a.i", "min(a1, a2) + max(0, a1 − 1000 a2)", "extra additive term: max(0, a1 − 1000a2)"),
    ("2a.i", "min(a1, a2) + max(0, gamma − 1)·a1", "depends on γ"),
    ("2b.ii", "a1/10**10", "depends on a1"),
    # the tie put in the formula's branch: wrong only at a1 = a2 with γ = 0 (0/0 → 0 where
    # R1 = a1), right at γ = 0 elsewhere, so "right except where γ = 0" would be false
    ("2b.i.general",
     "Piecewise((a1, a1 < a2), (gamma*(1+gamma)*a1^2*a2/((gamma*a1+a2)*((1+gamma)*a1-a2)), True))",
     "wrong where a1 = a2 with γ = 0"),
    ("3b", "min(h1, h2, h3) + max(0, h1 − 10**4)", "right except where h1 > 10000"),
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


def test_checker_counterexample_lies_where_the_difference_is() -> None:
    # (d−1)…(d−5) vanishes for d = 1, …, 5: the counterexample needs d > 5
    result = check("1a", "w/(2λ) + (d−1)(d−2)(d−3)(d−4)(d−5)·w")
    assert result.counterexample is not None and result.counterexample.values["d"] > 5


def test_checker_constant_ratio_one_is_not_a_factor() -> None:
    # an answer right at every point but one must not be called "15× the expected one"
    result = check("1a", "w/(2λ) + w*Piecewise((1, Eq(lambda, 7)), (0, True))")
    assert not any("× the expected one" in d for d in result.diagnosis), result.diagnosis


def test_checker_numerically_equal_says_what_was_checked() -> None:
    # a right rational answer whose expansion is past the prover's term budget (decided before
    # expanding): accepted by the Schwartz–Zippel bound, which the message states
    answer = ("min(a1, a2) + (a1 + a2 + gamma + 1)^40"
              " - ((a1 + a2 + gamma)^2 + 2(a1 + a2 + gamma) + 1)^20")
    result = check("2a.i", answer)
    assert result.verdict is Verdict.NUMERICALLY_EQUAL and result.exit_status == 0, \
        result.report()
    for phrase in ("Schwartz–Zippel", "degree at most", "random points", "probability at most",
                   "each of the 3 ordering regions", "points"):
        assert phrase in result.message, result.message


#: Wrong answers whose difference hides where a sampler does not look: an irrational or
#: transcendental threshold, a threshold inside a nested min, a window between two close
#: roots, two thresholds that must hold at once, a condition on the size of a vector, a
#: difference far below 45 digits, a removable singularity at a point of the domain.
HIDDEN = [
    ("1a", "w/(2*lambda) + max(0, lambda^2 - 2*10^8)*w"),
    ("1a", "w/(2*lambda) + max(0, log(lambda) - 10)*w"),
    ("1a", r"\frac{w}{2\lambda} + \max(0, \lambda^3 - 3)\, w"),
    ("2a.i", "min(a1,a2) + max(0, a1^2 + a2^2 - 10^7)"),
    ("2a.i", "min(a1,a2) + max(0, min(a1,a2) - 10^5)"),
    ("3b", "min(h1,h2,h3) + max(0, min(h1,h2,h3) - 10^5)"),
    ("1a", "w/(2*lambda) + max(0, (lambda-5)*(50000001/10000000-lambda))*w"),
    ("1a", "w/(2*lambda) + max(0, 1/3+10^-9 - lambda)*max(0, lambda - 1/3)*w"),
    ("2a.i", "min(a1,a2) + max(0, a1*a2 - 7)*max(0, 7.0001 - a1*a2)"),
    ("2a.i", "min(a1,a2) + max(0, a1 - 10^5)*max(0, a2 - 10^5)"),
    ("2a.i", "min(a1,a2) + Heaviside(a1 - 10^5)*Heaviside(a2 - 10^5)"),
    ("2a.i", "min(a1,a2) + max(0, 1/10^9 - abs(a1-a2))*max(0, a1 - 10^4)"),
    ("1a", "w/(2*lambda) + max(0, w^T w - 2000)*w"),
    ("1a", "w/(2*lambda) + max(0, 1/100 - w^T w)*w"),
    ("1a", "w/(2*lambda) + max(0, norm(w) - 100)*w"),
    ("1b", "mu + Sigma w + max(0, w^T Sigma w - 10^6) w"),
    ("1c.x", r"\frac{1}{2\lambda}AA^\top w + c + \max(0, \|c\|^2 - 10^4) c"),
    ("1a", "w/(2*lambda)*(1+exp(-200))"),
    ("1a", "w/(2*lambda) + exp(-200)*w"),
    ("1a", "w/(2*lambda) * (lambda^2-49)/((lambda-7)*(lambda+7))"),
    ("2b.i.general", "Piecewise((a1, a1 <= a2), (gamma*(1+gamma)*a1**2*a2/((gamma*a1+a2)"
                     "*((1+gamma)*a1-a2)), True)) + max(0, gamma - 10^4)*max(0, a1 - 10^4)"),
]


@pytest.mark.parametrize(("answer_id", "answer"), HIDDEN)
def test_checker_finds_differences_a_sampler_misses(answer_id: str, answer: str) -> None:
    result = check(answer_id, answer)
    assert result.verdict is Verdict.REFUTED and result.exit_status == 1, result.report()
    cx = result.counterexample
    assert cx is not None and cx.yours != cx.expected, result.report()


#: Wrong answers whose difference no point search can be sure to reach: never exit 0.
UNREACHABLE = [
    ("1a", "w/(2*lambda) + max(0, exp(-(lambda-5)^2*10^12) - 1/2)*w"),
    ("1a", "w/(2*lambda) + max(0, d^2 - 401)*w"),
]


@pytest.mark.parametrize(("answer_id", "answer"), UNREACHABLE)
def test_checker_never_accepts_what_it_could_not_settle(answer_id: str, answer: str) -> None:
    result = check(answer_id, answer)
    assert result.exit_status != 0, result.report()
    assert result.verdict in (Verdict.REFUTED, Verdict.CANNOT_CHECK), result.report()
    if result.verdict is Verdict.CANNOT_CHECK:
        assert "not decided" in result.message and "piece" in result.message, result.message


#: Right answers in piecewise form: proved (the prover is bounded in work, not time), and with
#: almost no time the safety stop makes them CANNOT CHECK at worst — less time never accepts.
UNPROVED_RIGHT = [
    ("2a.i", "a1 - max(0, a1 - a2)"),
    ("2a.i", r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & \text{otherwise} \end{cases}"),
    ("3b", "-max(-h1, -h2, -h3)"),
    ("3b", "(h1+h2-abs(h1-h2))/2 - max(0, (h1+h2-abs(h1-h2))/2 - h3)"),
    ("2b.i.general", r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{\gamma(1+\gamma)a_1^2 a_2}"
                     r"{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)} & a_1 > a_2 \end{cases}"),
    ("1c.x", "(A A^T w + 2 lambda c)/(2 lambda)"),
    ("1b", "Sigma (w + inv(Sigma) mu)"),
]


@pytest.mark.parametrize(("answer_id", "answer"), UNPROVED_RIGHT)
def test_checker_proves_right_piecewise_answers_whatever_the_time(answer_id: str,
                                                                  answer: str) -> None:
    result = check(answer_id, answer)
    assert result.verdict is Verdict.PROVED and result.exit_status == 0, result.report()
    hurried = check(answer_id, answer, timeout=1e-4)
    assert hurried.verdict in (Verdict.PROVED, Verdict.CANNOT_CHECK), hurried.report()
    if hurried.verdict is Verdict.CANNOT_CHECK:
        assert "safety limit" in hurried.message, hurried.message


def test_the_diagnosis_of_a_long_sum_is_bounded_in_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # a sum of 40 minima (the load test's hostile 120): each term taken one by one would be
    # evaluated at every point; past MAX_TERMS_DIAGNOSED terms the term rule does not try
    from derivations.checker.diagnosing import evidence, rules

    calls: list[int] = []
    real = evidence.Evidence.values_of

    def counted(self: evidence.Evidence, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(evidence.Evidence, "values_of", counted)
    long_sum = "+".join(f"min(a1, a2 + {i})" for i in range(40))
    assert rules.MAX_TERMS_DIAGNOSED < 40
    result = check("2a.i", long_sum)
    assert result.verdict is Verdict.REFUTED and result.counterexample is not None
    assert len(calls) < rules.MAX_TERMS_DIAGNOSED, len(calls)
    calls.clear()
    short = check("2a.i", "min(a1, a2) + max(0, a1 − 1000 a2)")  # 2 terms: taken one by one
    assert len(calls) >= 2 and any("extra additive term" in d for d in short.diagnosis)


#: (id, answer): a divisor or a matrix inverse that can vanish where the expected answer is
#: defined, cancelled by SymPy as it reads, by the tie a2 = a1, by a case of an ordering or by
#: an expansion. Never exit 0: refuted where a point on the zero set is found, else CANNOT
#: CHECK naming it (some are right by the 0/0 convention at one point, and not proved).
CANCELLED = [
    ("1a", r"\frac{1}{2\lambda}(w w^T)^{-1} w w^T w"),
    ("1a", r"\frac{1}{2\lambda}w w^T (w w^T)^{-1} w"),
    ("1a", r"w/(2λ) + (\Sigma - \Sigma^T)^{-1}(\Sigma - \Sigma^T) w - w"),
    ("1c.z", r"\frac{1}{2\lambda}(A^T A)^{-1} A^T A A^T w"),
    ("1c.x", r"\frac{1}{2\lambda}(A A^T)^{-1} (A A^T)^2 w + c"),
    ("1b", r"(\mu\mu^T)^{-1}\mu\mu^T(\Sigma w + \mu)"),
    ("1a", "(lambda^3 - 2 lambda)/(lambda (lambda^2 - 2)) w/(2 lambda)"),
    ("1a", r"\frac{w^\top I w}{2\lambda\, w^\top w} w"),
    ("2b.i", r"a_1\frac{a_1 - 7/3}{a_2 - 7/3}"),
    ("2b.ii", r"\frac{a_1^2 - 2}{a_2^2 - 2} - 1"),
    ("2b.ii", r"\frac{a_1 \gamma - 1}{a_2 \gamma - 1} - 1"),
    ("2b.ii", r"\frac{a_1 + \gamma}{a_2 + \gamma} - 1"),
    ("2b.ii.R2", r"a_2\frac{a_1 + 2\gamma - 5}{a_2 + 2\gamma - 5}"),
    ("2b.i", r"\frac{a_1^2}{a_2}"),
    ("2a.i", r"\min(a_1,a_2)\frac{\min(a_1,a_2) - 7/3}{(a_1+a_2-|a_1-a_2|)/2 - 7/3}"),
    ("2b.i.general", r"\begin{cases} a_1 & a_1 < a_2 \\ \frac{a_1 (a_2 - 7/3)}{a_1 - 7/3} & "
     r"a_1 = a_2 \\ \frac{a_1^2 a_2 \gamma(\gamma+1)}{(a_1\gamma + a_2)(a_1\gamma + a_1 - a_2)}"
     r" & a_1 > a_2 \end{cases}"),
]


@pytest.mark.parametrize(("answer_id", "answer"), CANCELLED)
def test_a_cancelled_divisor_or_inverse_is_never_proved(answer_id: str, answer: str) -> None:
    result = check(answer_id, answer)
    assert result.verdict in (Verdict.REFUTED, Verdict.CANNOT_CHECK), result.report()
    assert result.exit_status != 0
    if result.verdict is Verdict.CANNOT_CHECK:
        assert "divides by" in result.message or "singular" in result.message, result.message


def test_an_unshared_divisor_found_zero_at_a_rational_point_refutes() -> None:
    # (a1 − 7/3)/(a2 − 7/3) at a1 = a2 = 7/3: 0/0, 0 by the sheet's convention, not 7/3
    result = check("2b.i", r"a_1\frac{a_1 - 7/3}{a_2 - 7/3}")
    assert result.verdict is Verdict.REFUTED, result.report()
    assert result.counterexample is not None
    assert result.counterexample.values["a1"] == Fraction(7, 3)


@pytest.mark.parametrize(("answer_id", "answer"), [
    ("1b", r"\Sigma(\Sigma^{-1}\mu + w)"),  # Σ is invertible: the inverse may cancel
    ("2b.i.general", r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{a_1^2 a_2 \gamma(\gamma+1)}"
     r"{(a_1\gamma + a_2)(a_1\gamma + a_1 - a_2)} & a_1 > a_2 \end{cases}"),  # its divisors
    ("2b.i", r"\frac{a_1(1+\gamma)}{1+\gamma}"),  # 1 + γ > 0
])
def test_a_divisor_kept_from_zero_or_shared_with_the_expected_answer_is_proved(
        answer_id: str, answer: str) -> None:
    assert check(answer_id, answer).verdict is Verdict.PROVED


@pytest.mark.parametrize(("answer_id", "answer"), [
    ("2a.i", r"\min(a_1, a_2) + 1\,000\,(a_1 - a_2)^2"),  # 1·0·0·0 = 0 would accept it
    ("1a", r"\frac{w}{2\lambda} + 1~000\, w"),
    ("1a", "w/(2λ) + 0 5 w"),
    ("1a", r"\frac{w}{2\lambda}\cdot\frac{12\,345}{12345}"),  # right, but not as 12·345
])
def test_numbers_side_by_side_are_refused_never_multiplied(answer_id: str, answer: str) -> None:
    result = check(answer_id, answer)
    assert result.verdict is Verdict.CANNOT_CHECK and "side by side" in result.message, \
        result.report()


def test_a_number_after_an_exponent_is_a_factor() -> None:
    result = check("2a.i", r"\min(a_1,a_2) + a_1 a_2 (a_1-a_2)^2 10^{-30}")
    assert result.verdict is Verdict.REFUTED, result.report()
