"""The answer checker on a table of typed answers: right ones in many forms, common mistakes.

For each id: answers a student might type that are right (PROVED), common mistakes with a
phrase the diagnosis must contain (REFUTED), and unreadable answers with a phrase of the
message (CANNOT CHECK). The expected answers come from derivations.answers; nothing here
restates them except as a student's typed attempt.
"""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.answers import ANSWER_IDS, answers
from derivations.checker import CheckResult, Verdict, check
from derivations.checker.reading import parse_answer
from derivations.checker.verdict import MIN_POINTS

P, N, R, C = Verdict.PROVED, Verdict.NUMERICALLY_EQUAL, Verdict.REFUTED, Verdict.CANNOT_CHECK

#: (id, answer, verdict, phrase in the diagnosis (REFUTED) or message (CANNOT CHECK)).
Row = tuple[str, str, Verdict, str | None]


def rows(
    answer_id: str,
    proved: tuple[str, ...] = (),
    refuted: dict[str, str] | None = None,
    cannot: dict[str, str] | None = None,
) -> list[Row]:
    """The rows of one id: right answers, then mistakes and unreadable answers by phrase."""
    return [
        *((answer_id, a, P, None) for a in proved),
        *((answer_id, a, R, phrase) for a, phrase in (refuted or {}).items()),
        *((answer_id, a, C, phrase) for a, phrase in (cannot or {}).items()),
    ]


TABLE: list[Row] = [
    # 1a: x* = argmax wᵀx + b − λ‖x‖²
    *rows(
        "1a",
        proved=(
            "w/(2*lambda)",
            "(2*lambda)**-1*w",
            "w*lambda**-1/2",
            r"\frac{w}{2\lambda}",
            r"\frac{1}{2\lambda}\mathbf{w}",
            r"x^* = \frac{\mathbf w}{2 \lambda}",
            "0.5 w / λ",
            "w/lambda - w/(2 lambda)",
        ),
        refuted={
            "w/lambda": "your answer is 2× the expected one",
            "-w/(2*lambda)": "wrong sign",
            "w/(4 lambda)": "1/2× the expected one",
            "w/(2 lambda^2)": "1/λ× the expected one",
            "1/(2 lambda)": "a scalar where a d×1 vector is expected",
            "w^T/(2 lambda)": "the transpose of the expected one",
        },
        cannot={
            "w/(2*lamda)": "unknown symbol `lamda`",
            "w w/(2 lambda)": "cannot multiply `w` (d×1 vector) by `w`",
            "w/(2*lambda": "expected `)`",
            r"\frac{w}{2\lambda": "expected `}`",
            "sin(w)": "unknown symbol `sin`",
        },
    ),
    # 1b: x* = argmax wᵀx + log N(x; μ, Σ)
    *rows(
        "1b",
        proved=(
            "mu + Sigma*w",
            r"\mu + \Sigma w",
            "Sigma w + mu",
            "Sigma (inv(Sigma) mu + w)",
            r"\boldsymbol{\mu} + \boldsymbol{\Sigma}^\top \mathbf{w}",
        ),
        refuted={
            "mu + inv(Sigma) w": "Σ⁻¹ in place of Σ",
            r"\mu + \Sigma^{-1} w": "Σ⁻¹ in place of Σ",
            "mu - Sigma w": "wrong sign of the term Σw",
            "Sigma w": "missing additive term: + μ",
        },
        cannot={"mu + Sigma": "cannot add"},
    ),
    # 1c: z* and x* = Az* + c
    *rows(
        "1c.z",
        proved=(
            "A.T*w/(2*lambda)",
            r"\frac{1}{2\lambda} A^\top w",
            "(w^T A)^T/(2 lambda)",
        ),
        refuted={
            "A w/(2 lambda)": "transposed or swapped factors",
            "A A^T w/(2 lambda) + c": "the expected answer of 1c.x",
        },
        cannot={
            "A^T w/(2 lambda) + A w - A w": "defined only when d = k (cannot multiply `A`"
            " (d×k matrix) by `w` (d×1 vector): the inner dimensions k and d differ);",
        },
    ),
    *rows(
        "1c.x",
        proved=(
            "A*A.T*w/(2*lambda) + c",
            "A @ A^T w/(2 lambda) + c",
            r"\frac{A A^T w}{2\lambda} + c",
            r"\mathbf{A}\mathbf{A}^{\top}\mathbf{w}/(2\lambda) + \mathbf{c}",
            "c + A (A^T w)/(2λ)",
            "A*(A.T*w/(2*lambda)) + c",
        ),
        refuted={
            "A A^T w/(2 lambda)": "missing additive term: + c",
            "A^T A w/(2 lambda) + c": "transposed or swapped factors (Aᵀ·A where A·Aᵀ",
            "A A^T w/(2 lambda) + c + mu": "extra additive term: μ",
        },
    ),
    # 2a: both networks compute min(a1, a2)
    *rows(
        "2a.i",
        proved=("min(a1,a2)", r"\min(a_1, a_2)", "a1 - relu(a1 - a2)"),
        refuted={"max(a1, a2)": "max in place of min", "a1": "wrong where a2 < a1"},
    ),
    *rows(
        "2a.ii",
        proved=("(a1 + a2 - |a1 - a2|)/2", r"a_2 - \max(0, a_2 - a_1)"),
        refuted={"max(a1, a2)": "right only on the tie a1 = a2 (a set of measure zero,"},
    ),
    # 2b: LRP-γ relevance of a1 at the tie a1 = a2, and in general
    *rows(
        "2b.i",
        proved=("a1", "a_2", "(a1 + a2)/2", r"R_1 = \min(a_1, a_2)"),
        refuted={"a1/2": "1/2× the expected one", "0": "your answer is 0"},
    ),
    *rows("2b.ii", proved=("0",), refuted={"a1": "the expected answer of 2b.i"}),
    *rows("2b.i.R2", proved=("0",), refuted={"a1": "the expected answer of 2b.i"}),
    *rows(
        "2b.ii.R2",
        proved=("a2", "a_1"),
        refuted={"a2/2": "1/2× the expected one", "0": "the expected answer of 2b.ii"},
    ),
    *rows(
        "2b.i.general",
        proved=(
            "Piecewise((a1, a1 <= a2), "
            "(a1**2*a2*gamma*(gamma + 1)/((a1*gamma + a2)*(a1*gamma + a1 - a2)), True))",
            r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{\gamma(1+\gamma) a_1^2 a_2}"
            r"{(\gamma a_1 + a_2)((1+\gamma) a_1 - a_2)} & \text{otherwise} \end{cases}",
        ),
        refuted={"a1": "right only on part of the domain"},
    ),
    *rows(
        "2b.ii.general",
        proved=(
            "Piecewise((a1**2*(a2 - a1)/((a1 + gamma*a2)*((1 + gamma)*a2 - a1)), a1 < a2), "
            "(0, True))",
            r"\begin{cases} \frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)((1+\gamma) a_2 - a_1)}"
            r" & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}",
        ),
        refuted={"0": "right only on part of the domain"},
    ),
    # 3b: the γ → ∞ limit of the neuralized SVM's second layer
    *rows(
        "3b",
        proved=(
            "min(h1, h2, h3)",
            r"\min(h_1, h_2, h_3)",
            "-max(-h1, -h2, -h3)",
            "min(h1, min(h2, h3))",
        ),
        refuted={
            "max(h1, h2, h3)": "right only on the tie h1 = h2 = h3 (a set of measure zero",
            "min(h1, h2)": "right only on part of the domain",
        },
        cannot={"min(h1, h2, h4)": "unknown symbol `h4`"},
    ),
    # Ids that do not exist
    *rows("4z", cannot={"w": "unknown answer id"}),
]


def _rows_with(verdict: Verdict) -> list:
    picked = [r for r in TABLE if r[2] is verdict]
    return [pytest.param(*r, id=f"{r[0]}|{r[1][:40]}") for r in picked]


def _checked(answer_id: str, answer: str, verdict: Verdict) -> CheckResult:
    """``check`` with the expected verdict, whose echoed reading reads back as the same thing."""
    result = check(answer_id, answer)
    assert result.verdict is verdict, result.report()
    if result.interpretation is not None:
        echo = result.interpretation
        assert parse_answer(echo.latex, latex=True).expr == parse_answer(echo.text).expr
    return result


@pytest.mark.parametrize(("answer_id", "answer", "verdict", "phrase"), _rows_with(P))
def test_checker_right_answers_in_any_notation_are_proved(
    answer_id: str, answer: str, verdict: Verdict, phrase: None
) -> None:
    result = _checked(answer_id, answer, verdict)
    assert result.counterexample is None and result.diagnosis == []
    assert result.sample_points >= MIN_POINTS


@pytest.mark.parametrize(("answer_id", "answer", "verdict", "phrase"), _rows_with(R))
def test_checker_mistakes_are_refuted_with_a_counterexample_and_diagnosis(
    answer_id: str, answer: str, verdict: Verdict, phrase: str
) -> None:
    result = _checked(answer_id, answer, verdict)
    assert result.counterexample is not None
    assert any(phrase in d for d in result.diagnosis), result.report()


@pytest.mark.parametrize(("answer_id", "answer", "verdict", "phrase"), _rows_with(C))
def test_checker_unreadable_answers_cannot_be_checked_and_say_why(
    answer_id: str, answer: str, verdict: Verdict, phrase: str
) -> None:
    result = _checked(answer_id, answer, verdict)
    assert phrase in result.message, result.message


def test_checker_table_has_a_right_and_a_wrong_answer_for_every_id() -> None:
    verdicts: dict[str, set[Verdict]] = {}
    for answer_id, _, verdict, _ in TABLE:
        verdicts.setdefault(answer_id, set()).add(verdict)
    missing = [i for i in ANSWER_IDS if not {P, R} <= verdicts.get(i, set())]
    assert not missing, f"ids without a right and a wrong answer in TABLE: {missing}"
    assert set(verdicts) - set(ANSWER_IDS) == {"4z"}  # the one id that does not exist
    # every verdict in both notations, and every mistake or unreadable answer with its phrase
    for notation, picked in (("latex", [r for r in TABLE if "\\" in r[1]]),
                             ("text", [r for r in TABLE if "\\" not in r[1]])):
        assert {r[2] for r in picked} >= {P, R, C}, notation
    assert all(phrase for _, _, verdict, phrase in TABLE if verdict is not P)


def test_checker_every_sheet_answer_printed_by_sympy_reads_back_as_proved() -> None:
    expected = answers()
    assert tuple(expected) == ANSWER_IDS  # every id has a derived answer, in the ids' order
    for answer_id in ANSWER_IDS:
        expr = expected[answer_id]
        for text, latex in ((sp.sstr(expr), False), (sp.latex(expr), True)):
            result = check(answer_id, text, latex=latex)
            assert result.verdict is P, (answer_id, text, result.report())
