"""Reading, third round (issue 21 items 2 and 4, issue 23): everyday LaTeX, a function written
with its argument, the identity, a min of one argument, positions counted from 1.

Each class is a table of answers as students write them (the style of
``test_checker_students.py``: every row is checked end to end with
:func:`derivations.checker.check` and asserts the verdict and the exit status):

* **everyday LaTeX**: ``cases`` with a comma after the value or the condition and a final
  period, ``\\left\\{ \\begin{array}{ll} … \\end{array} \\right.``, ``\\text{if }``,
  ``\\quad``, ``\\boxed{…}``, ``\\fbox{$…$}``,
  ``\\operatorname{min}_i``, ``\\operatorname*{min}``, ``\\mathop{\\min}``, ``\\displaystyle``,
  ``\\limits``, a period or comma after the whole answer;
* **a function with its argument**: ``h_i(x)``, ``h_j(\\mathbf{x})`` is the unit h_i (the sheet
  writes the units as functions of x), never h_i times the vector x; a unit applied to another
  vector and the sheet's other functions (``o(x)``, ``f(x)``, ``R_1(x)``) are refused;
* **the identity**: ``I``, ``I_d``, ``I_k``, ``\\mathbf{I}``, ``I_{d \\times d}``: ``I`` takes
  the size that fits (k×k in ``(2λI)^{-1}Aᵀw``), ``I_k`` where d×d is needed is refused;
* **notes**: every reading that is not obvious says so (a min of one argument: "missing
  commas?"; ``I`` and its size; ``h_i(x)``; the final period);
* **positions** in messages are counted from 1, the caret under the character, and the JSON
  has ``position`` (counted from 1, null for a read answer).

Every wrong reading ends REFUTED or CANNOT CHECK, never exit 0.
"""

from __future__ import annotations

import json

import pytest
from answer_rows import Row, assert_outcome, ids, r

from derivations.checker import check
from derivations.checker.cli import main
from derivations.checker.reading import AnswerShapeError, AnswerSyntaxError, parse_answer

CASES_RIGHT = "a_1 & a_1 \\le a_2 \\\\ a_2 & a_1 > a_2"

RIGHT: list[Row] = [
    # cases: commas, periods, \text{if }, \quad, \boxed
    r("2a.i", r"\begin{cases} a_1, & a_1 \le a_2, \\ a_2, & \text{otherwise.} \end{cases}"),
    r("2a.i", r"\begin{cases} a_1 & \text{if } a_1 \le a_2, \\ a_2 & \text{otherwise}."
              r" \end{cases}"),
    r("2a.i", r"\begin{cases} a_1, & \text{if } a_1 \le a_2 \\ a_2, & \text{else} \end{cases}."),
    r("2a.i", r"\begin{cases} a_1 \quad & a_1 \le a_2 \\ a_2 \quad & \text{sonst} \end{cases}"),
    r("2a.i", r"\begin{cases} a_1, & a_1 \le a_2; \\ a_2, & a_2 < a_1. \end{cases}"),
    r("2a.i", r"\begin{cases} a_1 & \text{if } a_1 \le a_2 \text{,}\\ a_2 & \text{if } a_1 > a_2"
              r" \text{.} \end{cases}"),
    r("2a.i", r"\begin{cases} a_1 & \text{if } a_1 \leq a_2,\\ a_2 & \text{if } a_2 < a_1,"
              r"\end{cases}"),
    r("2a.i", r"\begin{dcases} a_1, & a_1 \le a_2 ,\\ a_2, & \text{otherwise} . \end{dcases}"),
    r("2a.i", r"\boxed{\begin{cases} " + CASES_RIGHT + r" \end{cases}}"),
    r("2a.i", r"y = \boxed{\begin{cases} " + CASES_RIGHT + r" \end{cases}}."),
    r("2a.i", r"\left\{ \begin{array}{ll} a_1 & \text{if } a_1 \le a_2 \\ a_2 & \text{otherwise}"
              r" \end{array} \right."),
    r("2a.i", r"\left\lbrace\begin{array}{l l} a_1, & a_1 = a_2, \\ a_1, & a_1 < a_2, \\ a_2, &"
              r" \text{else.} \end{array}\right."),
    r("2b.i.general", r"R_1 = \left\{ \begin{array}{ll} a_1 & a_1 \le a_2 \\ \frac{\gamma(1+"
                      r"\gamma) a_1^2 a_2}{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)} & a_1 > a_2"
                      r" \end{array} \right."),
    r("2b.i.general", r"\begin{cases} a_1, & a_1 \le a_2, \\ \frac{\gamma(1+\gamma) a_1^2 a_2}"
                      r"{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)}, & \text{otherwise.}"
                      r" \end{cases}"),
    # \boxed, \fbox, \operatorname, \mathop, \displaystyle, \limits
    r("2a.i", r"\boxed{\min(a_1, a_2)}"),
    r("2a.i", r"\fbox{$\min(a_1, a_2)$}"),
    r("2a.i", r"\framebox{\min(a_1, a_2)}"),
    r("2a.i", r"\operatorname{min}(a_1, a_2)"),
    r("2a.i", r"\operatorname*{min}\{a_1, a_2\}"),
    r("2a.i", r"\mathop{\min}(a_1, a_2)"),
    r("2a.i", r"\mathop{\mathrm{min}}(a_1,a_2)"),
    r("2a.i", r"\displaystyle \min(a_1, a_2)"),
    r("2a.i", r"\min\nolimits(a_1, a_2)"),
    r("3b", r"\operatorname{min}_i h_i"),
    r("3b", r"\operatorname*{min}_{i} h_i"),
    r("3b", r"\operatorname{min}_{i=1,\dots,M} h_i"),
    r("3b", r"\mathop{\min}\limits_{j} h_j"),
    r("3b", r"\displaystyle\min_{1 \le j \le M} h_j"),
    r("3b", r"\boxed{\min_i h_i}"),
    r("3b", r"\fbox{$\min_i h_i$}"),
    r("3b", r"\min\limits_{j=1}^{M} h_j \quad"),
    # a period or comma after the whole answer
    r("1a", r"\frac{w}{2\lambda}."),
    r("1a", r"x^* = \frac{w}{2\lambda}."),
    r("1a", "w/(2λ),"),
    r("1a", r"$\frac{w}{2\lambda}$."),
    r("1a", r"\boxed{\frac{\mathbf{w}}{2\lambda}}."),
    r("2a.i", r"\min(a_1, a_2);"),
    r("3b", r"\min_j h_j."),
    # a function written with its argument: the unit's value
    r("3b", r"\min_i h_i(x)"),
    r("3b", r"\min_j h_j(\mathbf{x})"),
    r("3b", r"\min_j h_j(\boldsymbol{x})"),
    r("3b", r"\min_i h_i(\vec{x})"),
    r("3b", r"\min_i h_i (x)"),
    r("3b", r"\min_{i=1,\dots,M} h_i(x)"),
    r("3b", r"o(x) = \min_i h_i(x)"),
    r("3b", r"\lim_{\gamma\to\infty} o(\mathbf{x}) = \min_{j} h_j(\mathbf{x})"),
    r("3b", "min(h1(x), h2(x), h3(x))"),
    r("3b", r"\min\{h_1(x), h_2(x), h_3(x)\}"),
    r("3b", r"\min(h_1(\mathbf{x}), \ldots, h_M(\mathbf{x}))"),
    r("3b", r"\min\left(h_1\left(x\right), h_2(x), h_3(x)\right)"),
    r("3b", "min_j h_j(x) + 0"),
    # the identity
    r("1a", r"(2\lambda I)^{-1} w"),
    r("1a", r"(2\lambda I_d)^{-1} w"),
    r("1a", r"(2\lambda \mathbf{I})^{-1} \mathbf{w}"),
    r("1a", r"(2\lambda\mathbf{I}_d)^{-1}\mathbf{w}"),
    r("1a", r"(2\lambda I_{d \times d})^{-1} w"),
    r("1a", r"(2\lambda \mathrm{Id})^{-1} w"),
    r("1a", r"\frac{1}{2\lambda} I w"),
    r("1a", "inv(2*lambda*I)*w"),
    r("1a", "I w / (2 lambda)"),
    r("1a", r"\frac{1}{2\lambda} I_d w"),
    r("1a", r"\frac{I w}{2\lambda}"),
    r("1b", r"\mu + \Sigma I w"),
    r("1b", r"(I + \Sigma) w + \mu - w"),
    r("1b", r"\mu + (\Sigma + 0 \cdot I_d) w"),
    r("1c.z", r"(2\lambda I)^{-1} A^\top w"),
    r("1c.z", r"(2\lambda I_k)^{-1} A^\top w"),
    r("1c.z", r"\frac{1}{2\lambda} I_k A^T w"),
    r("1c.z", r"(2\lambda I_{k \times k})^{-1} A^\top w"),
    r("1c.x", r"A (2\lambda I)^{-1} A^\top w + c"),
    r("1c.x", r"\frac{1}{2\lambda} (A I_k A^\top) w + I c"),
    # I before a bracket with a condition: the indicator
    r("2b.ii.general", r"I(a_1 < a_2) \frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)((1+\gamma) a_2"
                       r" - a_1)}"),
    r("2b.ii.general", r"\mathbb{I}[a_1 < a_2]\frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)"
                       r"((1+\gamma) a_2 - a_1)}"),
    r("2a.i", r"a_1 I(a_1 \le a_2) + a_2 I(a_1 > a_2)"),
]

WRONG: list[Row] = [
    # a wrong answer, whatever the everyday LaTeX around it
    r("2a.i", r"\begin{cases} a_2, & a_1 \le a_2, \\ a_1, & \text{otherwise.} \end{cases}"),
    r("2a.i", r"\left\{ \begin{array}{ll} a_2 & a_1 \le a_2 \\ a_1 & \text{else} \end{array}"
              r" \right."),
    r("2a.i", r"\boxed{\max(a_1, a_2)}"),
    r("2a.i", r"\operatorname{max}(a_1, a_2)."),
    r("3b", r"\operatorname{max}_i h_i"),
    r("3b", r"\boxed{\min_{i \ne 1} h_i}"),
    r("1a", r"\frac{w}{\lambda}."),
    # a min of one argument: the product, with a note
    r("3b", "min(h1 h2 h3)"),
    r("3b", "max(h1 h2 h3)"),
    r("3b", r"\min(h_1 h_2 h_3)"),
    r("2a.i", "min(a1 a2)"),
    # units at x, but the wrong answer
    r("3b", r"\max_i h_i(x)"),
    r("3b", r"\min_i h_i(x)^2"),
    r("3b", "h1(x)"),
    r("3b", r"h_1(h_2 + h_3)"),            # a scalar in parentheses: still a product
    # the identity in a wrong answer
    r("1a", r"(\lambda I)^{-1} w"),
    r("1a", r"I w"),
    r("1c.z", r"(2\lambda I)^{-1} A w" + r" \cdot 0 + \frac{1}{\lambda} A^\top w"),
]

UNREADABLE: list[Row] = [
    # a unit applied to a vector other than x: refused, never a product with a vector
    r("3b", r"\min_i h_i(w)"),
    r("3b", r"h_1(x + c)"),
    r("3b", r"\min_i h_i(\mu)"),
    r("3b", r"\min_i h_i(x_0)"),               # no name x_0 on the sheet
    # the sheet's functions of x are no names of an answer
    r("3b", "o(x)"),
    r("3b", r"f(\mathbf{x})"),
    r("1a", r"\frac{\nabla f(x)}{2\lambda}"),
    r("2b.i", r"R_1(a_1)"),
    r("1b", r"\mu + \Sigma \nabla p(x)"),
    r("1a", r"\Omega(x)"),
    # the identity of no fixed size, or the wrong one
    r("1a", "I"),
    r("1a", r"I + \lambda"),
    r("1a", r"(2\lambda I_k)^{-1} w"),          # k×k where d×d is needed: only for d = k
    r("1c.z", r"(2\lambda I_d)^{-1} A^\top w"),
    # an array is cases only after a left brace; other environments are refused
    r("2a.i", r"\begin{array}{ll} a_1 & a_1 \le a_2 \\ a_2 & \text{else} \end{array}"),
    r("2a.i", r"\left( \begin{array}{ll} a_1 & a_1 \le a_2 \end{array} \right)"),
    r("2a.i", r"\begin{matrix} a_1 \end{matrix}"),
    r("2a.i", r"\begin{cases*} a_1 & if $a_1 \le a_2$ \\ a_2 & otherwise \end{cases*}"),
    # not closed, not complete
    r("2a.i", r"\boxed{\min(a_1, a_2)"),
    r("2a.i", r"a_1 \text{ if } a_1 \le a_2"),
    r("1a", r"\frac{w}{2\lambda}.."),
    r("3b", r"\min_{} h_j"),
]


@pytest.mark.parametrize("row", RIGHT, ids=ids("right", RIGHT))
def test_right_answers_in_everyday_latex_are_accepted(row: Row) -> None:
    assert_outcome("right", row, check(row.answer_id, row.answer))


@pytest.mark.parametrize("row", WRONG, ids=ids("wrong", WRONG))
def test_wrong_answers_in_everyday_latex_are_refuted(row: Row) -> None:
    assert_outcome("wrong", row, check(row.answer_id, row.answer))


@pytest.mark.parametrize("row", UNREADABLE, ids=ids("unreadable", UNREADABLE))
def test_unreadable_answers_are_refused_with_a_message(row: Row) -> None:
    assert_outcome("unreadable", row, check(row.answer_id, row.answer))


# -- notes: every reading that is not obvious --------------------------------------------------
@pytest.mark.parametrize(("answer", "phrase"), [
    ("min(h1 h2 h3)", "a min of one argument: read `min(h1 h2 h3)` as min(h1·h2·h3) = "
                      "h1·h2·h3 — missing commas?"),
    ("max(a1 a2)", "a max of one argument"),
    (r"\min_i h_i(x)", "read `h_i(x)` as h_i, the unit at the input x (not h_i times x)"),
    (r"\min_j h_j(\mathbf{x})", r"read `h_j(\mathbf{x})` as h_j"),
    (r"(2\lambda I)^{-1} A^\top w", "read `I` as the identity matrix, of the size that fits "
                                    "(here k×k)"),
    (r"(2\lambda I)^{-1} w", "(here d×d)"),
    (r"\frac{w}{2\lambda}.", "the `.` that ends the answer is punctuation, not part of it"),
    (r"\min_{i \ne 1} h_i", "not over every unit"),
    (r"\min_{1 \le j \le N} h_j", "read `N` as M, the number of units"),
    (r"\min_{j=1} h_j", "with no last unit as j = 1, …, M"),
    (r"a_1 I(a_1 \le a_2)", r"read `I(a_1 \le a_2)` as the indicator"),
])
def test_a_reading_that_is_not_obvious_is_noted(answer: str, phrase: str) -> None:
    notes = parse_answer(answer).notes
    assert any(phrase in n for n in notes), notes


def test_a_min_of_one_argument_keeps_its_reading_and_the_note_reaches_the_result() -> None:
    res = check("3b", "min(h1 h2 h3)")
    assert res.interpretation is not None and res.interpretation.text == "h1*h2*h3"
    assert any("missing commas?" in n for n in res.interpretation.notes)
    assert res.exit_status == 1


def test_a_unit_at_another_vector_is_refused_by_name() -> None:
    with pytest.raises(AnswerShapeError, match=r"the unit h_i applied to `w` \(d×1 vector\)"):
        parse_answer(r"\min_i h_i(w)")
    with pytest.raises(AnswerSyntaxError, match="the outlier score o"):
        parse_answer("o(x)")


def test_an_identity_whose_size_nothing_fixes_is_refused() -> None:
    with pytest.raises(AnswerShapeError, match="write I_d or I_k"):
        parse_answer("I")
    with pytest.raises(AnswerShapeError, match="cannot add"):
        parse_answer(r"I + \lambda")


def test_the_indicator_is_not_the_identity() -> None:
    p = parse_answer(r"\mathbb{1}[a_1 \le a_2] a_1")
    assert p.expr.shape if hasattr(p.expr, "shape") else True
    assert "Piecewise" in str(p.expr)


# -- positions counted from 1 -------------------------------------------------------------------
@pytest.mark.parametrize(("answer", "column"), [
    ("w/(2*lamda)", 6),        # the l of lamda is the 6th character
    ("(a1 + a2", 9),           # the end of the input, after the 8th character
    ("a1 $ a2", 4),
    (r"\foo{a_1}", 1),
    (r"\min_{i \in S} h_i", 7),
])
def test_positions_are_counted_from_1_with_the_caret_under_the_character(answer: str,
                                                                         column: int) -> None:
    res = check("1a", answer)
    assert res.position == column
    first, line, caret = res.message.split("\n")
    assert first.endswith(f" at position {column}")
    assert line == "    " + answer
    assert caret == "    " + " " * (column - 1) + "^"
    assert json.loads(res.to_json())["position"] == column


def test_a_message_about_a_bracket_names_its_position_from_1() -> None:
    res = check("1a", "(a1 + a2")
    assert "to close the `(` opened at position 1" in res.message


def test_the_json_position_is_null_for_an_answer_that_was_read(capsys) -> None:
    assert main(["--json", "1a", "w/(2 lambda)"]) == 0
    assert json.loads(capsys.readouterr().out)["position"] is None
    assert main(["--json", "1a", "w/(2*lamda)"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["position"] == 6 and "at position 6" in out["message"]
