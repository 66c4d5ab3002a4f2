"""The answer checker on a table of typed answers: right ones in many forms, common mistakes.

Each row is (id, answer as a student would type it, expected verdict, a phrase the
diagnosis or message must contain). The expected answers come from derivations.answers;
nothing here restates them except as a student's typed attempt.
"""

from __future__ import annotations

import pytest

from derivations.checker import Verdict, check
from derivations.parsing import parse_answer

P, N, R, C = Verdict.PROVED, Verdict.NUMERICALLY_EQUAL, Verdict.REFUTED, Verdict.CANNOT_CHECK

#: (id, answer, verdict, phrase in the diagnosis (REFUTED) or message (CANNOT CHECK)).
TABLE: list[tuple[str, str, Verdict, str | None]] = [
    # 1a: x* = argmax wᵀx + b − λ‖x‖²
    ("1a", "w/(2*lambda)", P, None),
    ("1a", "(2*lambda)**-1*w", P, None),
    ("1a", "w*lambda**-1/2", P, None),
    ("1a", r"\frac{w}{2\lambda}", P, None),
    ("1a", r"\frac{1}{2\lambda}\mathbf{w}", P, None),
    ("1a", r"x^* = \frac{\mathbf w}{2 \lambda}", P, None),
    ("1a", "0.5 w / λ", P, None),
    ("1a", "w/lambda - w/(2 lambda)", P, None),
    ("1a", "w/lambda", R, "your answer is 2× the expected one"),
    ("1a", "-w/(2*lambda)", R, "wrong sign"),
    ("1a", "w/(4 lambda)", R, "1/2× the expected one"),
    ("1a", "w/(2 lambda^2)", R, "1/λ× the expected one"),
    ("1a", "1/(2 lambda)", R, "a scalar where a d×1 vector is expected"),
    ("1a", "w^T/(2 lambda)", R, "the transpose of the expected one"),
    ("1a", "w/(2*lamda)", C, "unknown symbol `lamda`"),
    ("1a", "w w/(2 lambda)", C, "cannot multiply `w` (d×1 vector) by `w`"),
    ("1a", "w/(2*lambda", C, "expected `)`"),
    ("1a", r"\frac{w}{2\lambda", C, "expected `}`"),
    ("1a", "sin(w)", C, "unknown symbol `sin`"),
    # 1b: x* = argmax wᵀx + log N(x; μ, Σ)
    ("1b", "mu + Sigma*w", P, None),
    ("1b", r"\mu + \Sigma w", P, None),
    ("1b", "Sigma w + mu", P, None),
    ("1b", "Sigma (inv(Sigma) mu + w)", P, None),
    ("1b", r"\boldsymbol{\mu} + \boldsymbol{\Sigma}^\top \mathbf{w}", P, None),
    ("1b", "mu + inv(Sigma) w", R, "Σ⁻¹ in place of Σ"),
    ("1b", r"\mu + \Sigma^{-1} w", R, "Σ⁻¹ in place of Σ"),
    ("1b", "mu - Sigma w", R, "wrong sign of the term Σ·w"),
    ("1b", "Sigma w", R, "missing additive term: + μ"),
    ("1b", "mu + Sigma", C, "cannot add"),
    # 1c: z* and x* = Az* + c
    ("1c.z", "A.T*w/(2*lambda)", P, None),
    ("1c.z", r"\frac{1}{2\lambda} A^\top w", P, None),
    ("1c.z", "(w^T A)^T/(2 lambda)", P, None),
    ("1c.z", "A w/(2 lambda)", R, "transposed or swapped factors"),
    ("1c.z", "A A^T w/(2 lambda) + c", R, "the expected answer of 1c.x"),
    ("1c.x", "A*A.T*w/(2*lambda) + c", P, None),
    ("1c.x", "A @ A^T w/(2 lambda) + c", P, None),
    ("1c.x", r"\frac{A A^T w}{2\lambda} + c", P, None),
    ("1c.x", r"\mathbf{A}\mathbf{A}^{\top}\mathbf{w}/(2\lambda) + \mathbf{c}", P, None),
    ("1c.x", "c + A (A^T w)/(2λ)", P, None),
    ("1c.x", "A*(A.T*w/(2*lambda)) + c", P, None),
    ("1c.x", "A A^T w/(2 lambda)", R, "missing additive term: + c"),
    ("1c.x", "A^T A w/(2 lambda) + c", R, "transposed or swapped factors (Aᵀ·A where A·Aᵀ"),
    ("1c.x", "A A^T w/(2 lambda) + c + mu", R, "extra additive term: μ"),
    # 2a: both networks compute min(a1, a2)
    ("2a.i", "min(a1,a2)", P, None),
    ("2a.i", r"\min(a_1, a_2)", P, None),
    ("2a.i", "a1 - relu(a1 - a2)", P, None),
    ("2a.ii", "(a1 + a2 - |a1 - a2|)/2", P, None),
    ("2a.ii", r"a_2 - \max(0, a_2 - a_1)", P, None),
    ("2a.ii", "max(a1, a2)", R, "right only on part of the domain: it agrees where a1 = a2"),
    # 2b: LRP-γ relevance of a1 at the tie a1 = a2, and in general
    ("2b.i", "a1", P, None),
    ("2b.i", "a_2", P, None),
    ("2b.i", "(a1 + a2)/2", P, None),
    ("2b.i", r"R_1 = \min(a_1, a_2)", P, None),
    ("2b.i", "a1/2", R, "1/2× the expected one"),
    ("2b.i", "0", R, "your answer is 0"),
    ("2b.ii", "0", P, None),
    ("2b.ii", "a1", R, "the expected answer of 2b.i"),
    ("2b.i.general", "a1", R, "right only on part of the domain"),
    (
        "2b.ii.general",
        "Piecewise((a1**2*(a2 - a1)/((a1 + gamma*a2)*((1 + gamma)*a2 - a1)), a1 < a2), (0, True))",
        P,
        None,
    ),
    (
        "2b.ii.general",
        r"\begin{cases} \frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)((1+\gamma) a_2 - a_1)}"
        r" & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}",
        P,
        None,
    ),
    ("2b.ii.general", "0", R, "right only on part of the domain"),
    # 3b: the γ → ∞ limit of the neuralized SVM's second layer
    ("3b", "min(h1, h2, h3)", P, None),
    ("3b", r"\min(h_1, h_2, h_3)", P, None),
    ("3b", "-max(-h1, -h2, -h3)", P, None),
    ("3b", "min(h1, min(h2, h3))", P, None),
    ("3b", "max(h1, h2, h3)", R, "right only on part of the domain"),
    ("3b", "min(h1, h2)", R, "right only on part of the domain"),
    ("3b", "min(h1, h2, h4)", C, "unknown symbol `h4`"),
    # Ids that do not exist
    ("4z", "w", C, "unknown answer id"),
]


def _row_id(row: tuple) -> str:
    return f"{row[0]}|{row[1][:40]}"


@pytest.mark.parametrize("row", TABLE, ids=[_row_id(r) for r in TABLE])
def test_checker_table_verdict_and_diagnosis(row: tuple[str, str, Verdict, str | None]) -> None:
    answer_id, answer, verdict, phrase = row
    result = check(answer_id, answer)
    assert result.verdict is verdict, result.report()
    if result.interpretation is not None:  # the echoed reading reads back as the same thing
        echo = result.interpretation
        assert parse_answer(echo.latex, latex=True).expr == parse_answer(echo.text).expr
    if verdict is R:
        assert result.counterexample is not None
        assert any(phrase in d for d in result.diagnosis), result.report()
    elif verdict is C:
        assert phrase in result.message, result.message
    else:
        assert result.counterexample is None and result.diagnosis == []
        assert result.points >= 20


def test_checker_table_has_at_least_40_answers_in_text_and_latex() -> None:
    latex = [r for r in TABLE if "\\" in r[1]]
    assert len(TABLE) >= 40 and len(latex) >= 10
    verdicts = {r[2] for r in TABLE}
    assert verdicts >= {P, R, C}


def test_checker_every_sheet_answer_printed_by_sympy_reads_back_as_proved() -> None:
    import sympy as sp

    from derivations.answers import ANSWER_IDS, answers

    for answer_id, expr in answers().items():
        assert answer_id in ANSWER_IDS
        for text, latex in ((sp.sstr(expr), False), (sp.latex(expr), True)):
            result = check(answer_id, text, latex=latex)
            assert result.verdict is P, (answer_id, text, result.report())
