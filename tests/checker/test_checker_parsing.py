"""Reading typed answers: the sheet's names and notations are never misread."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations import symbols as S
from derivations.checker.reading import (
    AnswerShapeError,
    AnswerSyntaxError,
    Scalar1x1,
    UnknownSymbolError,
    parse_answer,
)


def read(text: str, latex: bool | None = None) -> sp.Basic:
    return parse_answer(text, latex).expr


def test_checker_lambda_is_the_positive_symbol_not_the_python_keyword() -> None:
    for text in ("lambda", r"\lambda", "λ", "lam"):
        assert read(text) == S.lam
    assert sp.simplify(read("w/(2*lambda)") - S.w / (2 * S.lam)) == sp.ZeroMatrix(S.d, 1)


def test_checker_gamma_is_the_lrp_parameter_never_the_gamma_function() -> None:
    for text in ("gamma", r"\gamma", "γ"):
        assert read(text) == S.gamma
    parsed = parse_answer("gamma(a1 + a2)")
    assert sp.expand(parsed.expr - S.gamma * (S.a1 + S.a2)) == 0
    assert not parsed.expr.atoms(sp.gamma)
    assert "not the gamma function" in parsed.notes[0]


@pytest.mark.parametrize(
    "text", ["A^T", "A.T", "A'", "Aᵀ", r"A^\top", r"A^{\top}", "A^{T}", r"A^\intercal", "A**T"]
)
def test_checker_transpose_marks_are_transposes_not_powers(text: str) -> None:
    assert read(text) == S.A.T


@pytest.mark.parametrize(
    "text", ["Sigma^-1", "Sigma**-1", "inv(Sigma)", r"\Sigma^{-1}", "Σ⁻¹", "Sigma.I", "Sigma^(-1)"]
)
def test_checker_inverse_notations_give_the_matrix_inverse(text: str) -> None:
    assert read(text) == sp.Inverse(S.Sigma)


def test_checker_matrix_products_keep_their_order_and_check_shapes() -> None:
    assert read("A A^T w") == S.A * S.A.T * S.w
    assert read("A @ A^T @ w") == read("A*A.T*w")
    with pytest.raises(AnswerShapeError, match="cannot multiply `w` \\(d×1 vector\\)"):
        read("w Sigma")
    with pytest.raises(AnswerShapeError, match="cannot add"):
        read("w + A")


def test_checker_products_that_fit_only_for_d_equal_k_are_marked() -> None:
    parsed = parse_answer("A^T A w")
    assert parsed.square_only
    assert "only when d = k" in parsed.notes[-1]
    assert parsed.square_because.startswith("cannot multiply `A^T A`")
    assert parsed.notes[-1].endswith(parsed.square_because)
    assert not parse_answer("A A^T w").square_only
    assert parse_answer("A A^T w").square_because == ""


def test_checker_latex_notations_read_like_their_text_forms() -> None:
    pairs = [
        (r"\frac{w}{2\lambda}", "w/(2*lambda)"),
        (r"\mu + \Sigma w", "mu + Sigma*w"),
        (r"A A^\top w", "A*A.T*w"),
        (r"\mathbf{A}\mathbf{A}^T\mathbf{w}", "A*A.T*w"),
        (r"\min(a_1, a_2)", "min(a1, a2)"),
        (r"\min\{a_1, a_2\}", "min(a1, a2)"),
        (r"\tfrac12 \lambda^{-1} w", "w/(2*lambda)"),
        (r"\left( a_1 - a_2 \right)^+", "max(0, a1 - a2)"),
        (r"\left| a_1 - a_2 \right|", "abs(a1 - a2)"),
        (r"\sqrt{a_1}", "sqrt(a1)"),
        (r"\boldsymbol{\mu}", "mu"),
        (r"h_{3}", "h3"),
    ]
    for latex, text in pairs:
        assert read(latex, latex=True) == read(text, latex=False), latex


def test_checker_norms_are_euclidean_lengths() -> None:
    squared = Scalar1x1(S.x.T * S.x, 0, 0)
    for text in (r"\|x\|^2", r"\lVert x \rVert^2", r"\left\| x \right\|_2^2", "||x||^2", "‖x‖²"):
        assert read(text) == squared, text
    assert read(r"\lVert x\rVert") == sp.sqrt(squared)
    assert read("norm(x)") == sp.sqrt(squared)


def test_checker_cases_and_piecewise_read_as_the_same_piecewise() -> None:
    text = read("Piecewise((a1, a1 < a2), (a2, True))")
    latex = read(r"\begin{cases} a_1 & \text{if } a_1 < a_2 \\ a_2 & \text{otherwise} \end{cases}")
    assert text == latex == sp.Piecewise((S.a1, S.a1 < S.a2), (S.a2, True))


def test_checker_label_before_equals_is_dropped_with_a_note() -> None:
    parsed = parse_answer(r"x^* = \frac{w}{2\lambda}")
    assert parsed.expr == read("w/(2 lambda)")
    assert "right-hand side" in parsed.notes[0]


def test_checker_division_followed_by_implicit_product_is_noted() -> None:
    parsed = parse_answer("w/2 lambda")
    assert sp.simplify(parsed.expr - S.w * S.lam / 2) == sp.ZeroMatrix(S.d, 1)
    assert "`/` divides by the next factor only" in parsed.notes[0]


def test_checker_run_together_names_are_split_with_a_note() -> None:
    parsed = parse_answer("a1a2 + (Sigmaw).T Sigmaw")
    assert "read `a1a2` as a1·a2" in parsed.notes
    assert "read `Sigmaw` as Σ·w" in parsed.notes
    assert parsed.expr == read("a1*a2 + (Sigma*w).T*(Sigma*w)")


@pytest.mark.parametrize(("text", "reading"), [
    ("AA^T w", "A A^T w"),
    (r"AA^\top w", "A A^T w"),
    ("AAᵀw", "A A^T w"),
    ("a2a1^2", "a2 a1^2"),
    (r"a_2a_1^2", "a2 a1^2"),
    ("Sigmaw.T", "Sigma w^T"),
])
def test_checker_superscripts_bind_to_the_last_atom_of_a_run(text: str, reading: str) -> None:
    # as a mathematician reads it: AA^T is A·Aᵀ, never (AA)ᵀ (here Σ·wᵀ has no shape:
    # the run is read that way and refused, not silently read as (Σw)ᵀ)
    try:
        got = parse_answer(text).expr
    except AnswerShapeError:
        got = None
    try:
        want = read(reading)
    except AnswerShapeError:
        want = None
    assert got == want
    assert (want is None) == (text == "Sigmaw.T")  # only Σ·wᵀ has no shape: not None == None


@pytest.mark.parametrize(
    ("text", "position", "error", "phrase"),
    [
        ("w/(2*lamda)", 5, UnknownSymbolError, "did you mean `lambda`"),
        ("a1 + h4", 5, UnknownSymbolError, "unknown symbol `h4`"),
        ("(a1 + a2", 8, AnswerSyntaxError, "to close the `(` opened at position 1"),
        ("a1 ++", 5, AnswerSyntaxError, "ends where a value is expected"),
        ("a1 $ a2", 3, AnswerSyntaxError, "unexpected character"),
        (r"\foo{a_1}", 0, AnswerSyntaxError, "unknown LaTeX command"),
        ("1/0", 1, AnswerSyntaxError, "division by zero"),
        ("2^10^10", 1, AnswerSyntaxError, "too large"),
        ("w^2", 1, AnswerShapeError, "not square"),
        ("x^*", 1, AnswerSyntaxError, "marks an optimum"),
    ],
)
def test_checker_errors_say_what_and_where(text, position, error, phrase) -> None:
    with pytest.raises(error, match=None) as info:
        read(text)
    assert info.value.position == position
    assert phrase in info.value.message


def test_checker_text_mode_refuses_latex_commands() -> None:
    with pytest.raises(AnswerSyntaxError, match="LaTeX command"):
        read(r"\frac{w}{2}", latex=False)


def test_checker_pasted_math_delimiters_are_ignored_and_positions_kept() -> None:
    for text in (r"$\frac{w}{2\lambda}$", r"$$ \frac{w}{2\lambda} $$", r"\( \frac{w}{2\lambda} \)"):
        assert read(text) == read("w/(2 lambda)"), text
    with pytest.raises(UnknownSymbolError) as info:
        read(r"$\frac{w}{2 lamda}$")
    assert info.value.position == 12
