"""Property-based tests: no input makes the checker raise, every outcome is one of four.

Arbitrary strings and random LaTeX-ish token soups go through ``check`` for random ids.
The symbolic budget is short so that the many well-formed soups stay cheap.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from derivations.answers import ANSWER_IDS
from derivations.checker import CheckResult, Verdict, check
from derivations.checker.verdict import MIN_POINTS

pytestmark = pytest.mark.seeded

#: Pieces of answers in both notations, glued at random.
LATEXISH = [
    r"\frac",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "^",
    "_",
    "'",
    ".T",
    "**",
    "@",
    "*",
    "/",
    "+",
    "-",
    ",",
    " ",
    "|",
    r"\|",
    r"\lVert",
    r"\rVert",
    r"\left(",
    r"\right)",
    r"\top",
    "T",
    "-1",
    "2",
    "1",
    "0.5",
    "w",
    "x",
    "z",
    "c",
    "A",
    "b",
    r"\mu",
    r"\Sigma",
    r"\lambda",
    "lambda",
    "gamma",
    r"\gamma",
    "a_1",
    "a_2",
    "a1",
    "h1",
    "h2",
    "h3",
    r"\min",
    "max",
    "min(",
    "relu(",
    "inv(",
    r"\mathbf{w}",
    r"\sqrt",
    r"\cdot",
    r"\begin{cases}",
    "&",
    r"\\",
    r"\end{cases}",
    "<",
    "=",
    r"\le",
    r"\text{otherwise}",
    "Σ",
    "λ",
    "ᵀ",
    "⁻¹",
    "‖",
    "x^*",
    r"\tfrac12",
    "Piecewise((",
    "True",
    "%",
    "\\",
]

IDS = st.sampled_from(ANSWER_IDS)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


#: The exit status of each verdict (module docstring of derivations.checker).
EXIT = {
    Verdict.PROVED: 0,
    Verdict.NUMERICALLY_EQUAL: 0,
    Verdict.REFUTED: 1,
    Verdict.CANNOT_CHECK: 2,
}


def _assert_outcome(result: CheckResult) -> None:
    """The result is one of the four verdicts, with what that verdict promises."""
    assert isinstance(result, CheckResult)
    assert result.exit_status == EXIT[result.verdict]
    if result.verdict is Verdict.REFUTED:
        assert result.counterexample is not None and result.interpretation is not None
    elif result.verdict is Verdict.CANNOT_CHECK:
        assert result.message and result.counterexample is None and not result.diagnosis
    else:  # PROVED or NUMERICALLY EQUAL: agreement at enough points, nothing against it
        assert result.counterexample is None and result.sample_points >= MIN_POINTS
    data = json.loads(result.to_json())
    assert data["verdict"] == result.verdict.value and data["answer"] == result.answer


@SETTINGS
@given(answer_id=IDS, text=st.text(max_size=60))
@example(answer_id="1a", text="\\À")  # a non-ASCII letter after a backslash once crashed
def test_checker_arbitrary_strings_never_raise(answer_id: str, text: str) -> None:
    _assert_outcome(check(answer_id, text, timeout=0.5))


@SETTINGS
@given(
    answer_id=IDS,
    pieces=st.lists(st.sampled_from(LATEXISH), min_size=1, max_size=14),
    latex=st.sampled_from([None, True, False]),
)
def test_checker_latexish_soups_never_raise(answer_id: str, pieces: list[str], latex) -> None:
    _assert_outcome(check(answer_id, "".join(pieces), latex=latex, timeout=0.5))


def _scalar_terms() -> st.SearchStrategy[str]:
    atoms = st.sampled_from(["a1", "a2", "gamma", "h1", "h2", "h3", "lambda", "b", "2", "1/2"])
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            inner.map(lambda s: f"|{s}|"),
            inner.map(lambda s: f"relu({s})"),
            inner.map(lambda s: f"{s}^2"),
        ),
        max_leaves=6,
    )


def _vector_answers() -> st.SearchStrategy[str]:
    vectors = st.sampled_from(
        ["w", "mu", "c", "Sigma w", "inv(Sigma) w", "A A^T w", "A z", "Sigma^T mu", "x"]
    )
    coefficient = st.sampled_from(["", "2 ", "1/(2 lambda) ", "lambda^-1 ", "-", "(1 + b) "])
    term = st.tuples(coefficient, vectors).map("".join)
    return st.lists(term, min_size=1, max_size=3).map(" + ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_id=IDS, text=st.one_of(_scalar_terms(), _vector_answers()))
def test_checker_well_formed_answers_get_a_verdict(answer_id: str, text: str) -> None:
    _assert_outcome(check(answer_id, text, timeout=0.5))


#: Answers built to be slow: deep nesting, many arguments, a huge power inside a min.
PATHOLOGICAL = [
    "-" * 1500 + "a1",
    "min(" + ",".join(f"a1+{i}*a2" for i in range(150)) + ")",
    "min((a1 + a2 + gamma + 1)^200, a2)",
    "sqrt(" * 60 + "a1" + ")" * 60,
    "|" * 200 + "a1" + "|" * 200,
    r"\frac{" * 50 + "1" + "}{2}" * 50,
    "Piecewise(" + ",".join(f"(a1+{i}, a1 < {i})" for i in range(80)) + ",(a2, True))",
    "a1" * 1001,
]


def test_checker_pathological_answers_end_with_a_verdict() -> None:
    for text in PATHOLOGICAL:
        _assert_outcome(check("2a.i", text, timeout=1.0))
