"""Reading, second round: bounded exponents, notes that say what was read, more notation.

Three findings of a review, each written as a table of answers (the style of
``test_checker_students.py``: every row asserts the verdict and the exit status):

* **exponents are bounded while reading**: a nested or multiplied power
  (``((λ+1)^1000)^1000``, ``(λ+1)^20·(λ+1)^20``) and an exponent that depends on the
  variables (``λ^(λ^λ)``) are refused (CANNOT CHECK, exit 2, "exponent too large …" / "depends
  on the variables") before SymPy expands anything — they used to take minutes and gigabytes.
  The three answers of the review run in a child process, under a memory limit and a time
  limit that only guard against a hang;
* **notes say what was read**: ``AA^\\top`` is noted as ``A·Aᵀ`` (not ``A·A``), a label
  ``\\mathbf{x}^\\star =`` as written (not ``x}^\\star``);
* **notation that is read now**: TeX's ``\\over``, the null delimiters ``\\left.``/``\\right.``,
  vulgar fractions (``½``), ``÷``, superscript digits (``λ³``, ``10⁻³``), ``\\min_{j=1}^{3} h_j``
  (the units 1 to 3), and a ``+ 0`` after a vector.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import unicodedata

import pytest
import sympy as sp
from answer_rows import Row, assert_outcome, describe, ids, r

from derivations import symbols as S
from derivations.checker import check
from derivations.checker.reading import MAX_DEGREE, MAX_EXPONENT, degree, parse_answer

#: Seconds after which a child that checks an answer is killed: only so that a hang ends the
#: run; no assertion reads the time (the refusals are bounded in work, when reading).
HANG_GUARD_S = 300.0
#: Address space of a child process that checks an answer (bytes): a blow-up fails fast.
CHILD_MEMORY = 4 << 30


def _checked(row: Row):
    return check(row.answer_id, row.answer, timeout=1.0)


# --- 1. exponents -------------------------------------------------------------------------------

#: The review's answers, each checked in a child process (it used 12 GB, 15 s, > 100 s).
REVIEW_BLOWUPS: list[Row] = [
    r("1a", "w/(2*lambda)*min(1, ((lambda+1)^1000)^1000)"),
    r("1a", "w/(2*lambda)*min(1, (lambda+1)^1000)"),
    r("1a", "w/(2*lambda)*min(1, ((lambda+1)^100)^100)"),
]

#: More answers whose powers pass a check of one exponent at a time, or whose exponent depends
#: on a variable (its exact value at λ = 1000 has no end): refused while reading.
TOO_LARGE: list[Row] = [
    r("1a", "((lambda+1)^100)^100 * w"),
    r("1a", "w/(2λ) * (λ+1)^30 * (λ+1)^30 / (λ+2)^10"),
    r("1a", "w/(2λ)*min(2, (λ+1)^10*(λ+2)^10*(λ+3)^10*(λ+4)^10*(λ+5)^10)"),
    r("1a", "w*(2*lambda)^(10^29+1/2)"),
    r("1a", "w/(2λ) * sqrt(2)^(10^29)"),
    r("1a", "(A A^T)^1000 w"),
    r("1a", "w/(2λ) · λ¹⁰⁰⁰/λ¹⁰⁰⁰"),
    r("1a", "w/(2λ) * (λ^8)^8"),
    r("1a", r"w/(2\lambda) \cdot \sqrt[10^{-30}]{\lambda}"),
    r("1a", "w/(2λ) * λ^(λ^λ)"),
    r("1a", "w/(2λ) * 2^(2^(2^λ))"),
    r("1a", "w/(2λ) * 2^(λ^3)"),
    r("2a.i", "min(a1, a2) * (a1+a2+1)^41 / (a1+a2+1)^41"),
    r("3b", "h1**(10**10**10)"),
]

#: Large but allowed: read quickly, and the verdict is the right one.
LARGE_BUT_RIGHT: list[Row] = [
    r("1a", "w/(2λ)*min(1, (λ+1)^32)"),
    r("1a", "w/(2λ) * λ^30/λ^30"),
    r("1a", "w/(2λ) * (λ^4)^8 / λ^32"),
    r("1a", "2^99 * w / (2^100 * λ)"),
]


def _run_cli(answer_id: str, answer: str) -> tuple[int, str]:
    """``python -m derivations check`` in a child with at most :data:`CHILD_MEMORY` bytes."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "derivations", "check", answer_id, answer],
        capture_output=True, text=True, timeout=HANG_GUARD_S, preexec_fn=limit, env=env,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("row", REVIEW_BLOWUPS, ids=ids("blowup", REVIEW_BLOWUPS))
def test_review_blowups_end_quickly_as_cannot_check(row: Row) -> None:
    status, output = _run_cli(row.answer_id, row.answer)
    assert status == 2, output
    assert output.startswith("CANNOT CHECK: exponent too large"), output


@pytest.mark.parametrize("row", TOO_LARGE, ids=ids("too-large", TOO_LARGE))
def test_too_large_exponents_are_refused_while_reading(row: Row) -> None:
    res = _checked(row)
    assert_outcome("unreadable", row, res)
    assert "exponent too large" in res.message or "depends on the variables" in res.message, \
        describe(row, res)


@pytest.mark.parametrize("row", LARGE_BUT_RIGHT, ids=ids("large-right", LARGE_BUT_RIGHT))
def test_large_allowed_exponents_get_the_right_verdict(row: Row) -> None:
    assert_outcome("right", row, _checked(row))


def test_reading_answers_at_the_limits_is_bounded_in_work() -> None:
    # Each is read (or refused) without expanding its powers: the expression read has no more
    # operations than the text has characters (an expanded (λ+1)^40 alone has over 100), and
    # its degree is within the limit. Work, not time: no test depends on the machine's speed.
    answers = [
        "min(1, (λ+1)^1000)",
        "min(1, ((λ+1)^100)^100)",
        "max(1, (λ-1)^40)",
        "min(2, (λ+1)^10*(λ+2)^10*(λ+3)^10*(λ+4)^10)",
        "min(1, (λ+1)^40 - (λ+2)^40 + (λ+3)^40)",
        "max(1, (λ-1)^20*(λ-2)^20)",
        "a1" * 100,
    ]
    for text in answers:
        try:
            read = parse_answer(text).expr
        except ValueError as error:  # refused: for the size of its powers, nothing else
            assert "exponent too large" in str(error), (text, str(error))
        else:  # read: within the limit, as written
            assert degree(read) <= MAX_DEGREE, text
            assert sp.count_ops(read) <= len(text), (text, sp.count_ops(read))


def test_degree_counts_products_and_powers_as_written() -> None:
    lam, a1 = S.lam, S.a1
    assert degree(sp.Pow(lam + 1, 1000, evaluate=False)) == 1000
    assert degree((lam + 1) ** 3 * a1 / (a1 + lam)) == 5
    assert degree(sp.Min(a1, lam**7)) == 7
    assert degree(S.A * S.A.T * S.w / (2 * lam)) == 4
    assert MAX_EXPONENT == 100 and MAX_DEGREE == 40


# --- 2. notes say what was read ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "note"),
    [
        (r"\frac{1}{2\lambda}AA^\top w + c", r"read `AA^\top` as A·Aᵀ"),
        ("AA^T w/(2 lambda) + c", "read `AA^T` as A·Aᵀ"),
        ("AA' w", "read `AA'` as A·Aᵀ"),
        ("AA.T w", "read `AA.T` as A·Aᵀ"),
        ("a2a1^2", "read `a2a1^2` as a2·a1²"),
        ("a2a1²", "read `a2a1²` as a2·a1²"),
        ("a1a2", "read `a1a2` as a1·a2"),
        (r"\mathbf{x}^\star = \frac{w}{2\lambda}",
         r"read the right-hand side of `=` (the left side `\mathbf{x}^\star` is taken as a label)"),
        (r"$x^* = w$", "read the right-hand side of `=` (the left side `x^*` is taken as a label)"),
        (r"\min_{j=1}^{3} h_j", r"read `\min_{j=1}^{3} h_j` as min(h1, h2, h3)"),
    ],
)
def test_notes_say_what_was_read(text: str, note: str) -> None:
    assert note in parse_answer(text).notes


def test_a_note_never_misstates_a_run_with_a_superscript() -> None:
    notes = parse_answer(r"\frac{1}{2\lambda}AA^\top w + c").notes
    assert not any("as A·A" in n and "A·Aᵀ" not in n for n in notes), notes
    label = parse_answer(r"\mathbf{x}^\star = \frac{w}{2\lambda}").notes[0]
    assert "`x}" not in label and r"`\mathbf{x}^\star`" in label, label


# --- 3. notation --------------------------------------------------------------------------------

RIGHT: list[Row] = [
    # TeX's \over, at the top, in braces, nested, inside \frac and \left( … \right)
    r("1a", r"{w \over 2\lambda}"),
    r("1a", r"w \over 2\lambda"),
    r("1a", r"x^* = {w \over 2\lambda}"),
    r("1a", r"{1 \over 2\lambda} w"),
    r("1a", r"{{w \over 2} \over \lambda}"),
    r("1a", r"\frac{w \over 2}{\lambda}"),
    r("1a", r"\left( {1 \over 2} \right) {w \over \lambda}"),
    r("1c.x", r"{A A^\top w \over 2\lambda} + c"),
    r("2b.i.general", r"\begin{cases} a_1 & a_1 \le a_2 \\ {\gamma(1+\gamma)a_1^2 a_2 \over"
                      r" (\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)} & \text{otherwise}"
                      r"\end{cases}"),
    # null delimiters with \left, \right and the other size commands
    r("1a", r"\left.\frac{w}{2\lambda}\right."),
    r("1a", r"\left. \frac{w}{2\lambda} \right."),
    r("1a", r"\left(\frac{w}{2\lambda}\right.\left.\right)"),
    r("1a", r"\bigl.\frac{w}{2\lambda}\bigr."),
    r("1a", r"\left\lbrace \frac{1}{2\lambda} \right\rbrace w"),
    r("2a.i", r"\left. \min(a_1, a_2) \right."),
    # vulgar fractions, ÷ and the fraction slashes
    r("1a", "½ w/λ"),
    r("1a", "½w/λ"),
    r("1a", "w/λ · ½"),
    r("1a", "¼ · 2w/λ"),
    r("1a", "⅛ (4w)/λ"),
    r("1a", "⅖·(5/4)·w/λ"),
    r("1a", "⅟2 w/λ"),
    r("1a", "1⁄2 w/λ"),
    r("1a", "w ÷ (2λ)"),
    r("1a", "w ∕ (2λ)"),
    r("1a", r"\frac{w}{2} \div \lambda"),
    r("1b", "μ + Σw ÷ 1"),
    # superscript digits and signs
    r("1a", "w/(2λ³/λ²)"),
    r("1a", "w λ⁻¹/2"),
    r("1a", "λ²w/(2λ³)"),
    r("1a", "10³w/(2000λ)"),
    r("1a", "5·10⁻¹ w/λ"),
    r("1a", "(2λ)⁻¹w"),
    r("1a", "w/(2λ¹)"),
    r("1a", "w/(2λ⁺¹)"),
    r("2b.i.general", "Piecewise((a1, a1 <= a2), (γ(1+γ)a1²a2/((γa1+a2)((1+γ)a1−a2)), True))"),
    # \min_{j=1}^{3} and other numbered ranges (3b has the units h1, h2, h3)
    r("3b", r"\min_{j=1}^{3} h_j"),
    r("3b", r"\min_{j=1}^3 h_j"),
    r("3b", r"\min^{3}_{j=1} h_j"),
    r("3b", r"\min\limits_{j=1}^{3} h_j"),
    r("3b", r"\min_{j=1,\dots,3} h_j"),
    r("3b", r"\min_{1 \le j \le 3} h_j"),
    r("3b", r"\min_{1 \le j < 4} h_{j}"),
    r("3b", r"\min_{j \in \{1, 2, 3\}} h_j"),
    r("3b", r"\min_{j \in [3]} h_j"),
    r("3b", "min_{j=1}^3 h_j"),
    r("3b", r"-\max_{j=1}^{3} (-h_j)"),
    r("3b", r"\min_{j=1}^{M} h_j"),
    r("3b", r"\min_{i=1}^{m} h_i"),
    # zero added to a vector
    r("1a", "w/(2λ)+0"),
    r("1a", "w/(2λ) - 0"),
    r("1a", "0 + w/(2λ)"),
    r("1a", "w/(2λ) + 0.0"),
    r("1b", "mu + Sigma w + 0"),
    r("1c.x", r"\frac{1}{2\lambda}AA^\top w + c + 0"),
    # e^{…}: Euler's number to a power is the exponential
    r("1a", r"\frac{w}{2 e^{\ln \lambda}}"),
    r("1a", r"\frac{w}{2\mathrm{e}^{\log\lambda}}"),
    r("1a", "w/(2*e^(log(lambda)))"),
    r("1a", "w e^0/(2λ)"),
]

WRONG: list[Row] = [
    r("1a", r"{w \over \lambda}"),
    r("1a", r"{w \over 2} \lambda"),
    r("1a", r"w \over \lambda + \lambda + \lambda"),
    r("1a", r"\left.\frac{w}{\lambda}\right."),
    r("1a", "⅓ w/λ"),
    r("1a", "⅔ w/λ"),
    r("1a", "w ÷ λ"),
    r("1a", "w ÷ 2λ"),
    r("1a", "w/(2λ²/λ²)"),
    r("1a", "w/(2λ³)"),
    r("1a", "10⁻³ w/λ"),
    r("3b", r"\min_{j=1}^{2} h_j"),
    r("3b", r"\max_{j=1}^{3} h_j"),
    r("3b", r"\min_{1 \le j < 3} h_j"),
    r("3b", r"\min_{j=2}^{3} h_j"),
    r("3b", r"\min_{j \in \{1, 3\}} h_j"),
    r("3b", r"\min_{j=2,\dots,M} h_j"),           # from unit 2 on, any M: a subset
    r("1a", "w/λ + 0"),
    r("1b", "mu + 0"),
    r("1a", "w/(2*e^(log(lambda)+1))"),
    r("1a", r"\frac{w}{2} e^{-\lambda}"),
    r("2a.i", "min(a1,a2)*1e300*a1^20"),         # values beyond the float range
    r("1a", "w/(2*lambda) * 1e300 * lambda^20"),
]

UNREADABLE: list[Row] = [
    r("1a", "2½ w/λ"),                           # a mixed number: 2 + ½ or 2·½?
    r("1a", "1 ½ w/λ"),
    r("1a", r"{w \over 2 \over \lambda}"),       # TeX: ambiguous
    r("1a", r"{w \over}"),
    r("3b", r"\min_{j=1}^{4} h_j"),               # no unit h4
    r("3b", r"\min_{j=3}^{1} h_j"),               # no units
    r("3b", r"\min_{j=1}^{3}"),                   # no body
    r("1a", "w + 1"),                             # only 0 is the zero of every shape
    r("1a", "w/(2 e)"),                           # e alone: not a name of the sheet
    r("2a.i", "(1e200*a1)^40"),                   # holds 10^8000: number too large
    r("1a", "w * (10^99 λ)^31 / λ^31"),
]


@pytest.mark.parametrize("row", RIGHT, ids=ids("right", RIGHT))
def test_right_answers_in_more_notation_are_accepted(row: Row) -> None:
    assert_outcome("right", row, _checked(row))


@pytest.mark.parametrize("row", WRONG, ids=ids("wrong", WRONG))
def test_wrong_answers_in_more_notation_are_refuted(row: Row) -> None:
    assert_outcome("wrong", row, _checked(row))


@pytest.mark.parametrize("row", UNREADABLE, ids=ids("unreadable", UNREADABLE))
def test_unreadable_answers_in_more_notation_cannot_be_checked(row: Row) -> None:
    assert_outcome("unreadable", row, _checked(row))


VULGAR = [chr(c) for c in range(0xA0, 0x2190)
          if unicodedata.decomposition(chr(c)).startswith("<fraction>")
          and chr(c) != "⅟"]


@pytest.mark.parametrize("ch", VULGAR)
def test_every_vulgar_fraction_is_its_value(ch: str) -> None:
    value = sp.Rational(sp.nsimplify(unicodedata.numeric(ch)))
    assert parse_answer(f"{ch} a1").expr == value * S.a1


SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


@pytest.mark.parametrize("n", [*range(0, 41), -1, -2, -12, -40])
def test_every_superscript_exponent_is_a_power(n: int) -> None:
    assert parse_answer("a1" + str(n).translate(SUPERSCRIPT)).expr == S.a1**n
    assert parse_answer("(a1 + 1)" + str(n).translate(SUPERSCRIPT)).expr == (S.a1 + 1) ** n


def test_superscript_marks_keep_their_meaning() -> None:
    assert parse_answer("(a1 - a2)⁺").expr == sp.Max(0, S.a1 - S.a2)
    assert parse_answer("(a1 - a2)⁻").expr == sp.Min(0, S.a1 - S.a2)
    assert parse_answer("Σ⁻¹w").expr == parse_answer(r"\Sigma^{-1} w").expr
    assert parse_answer("a1⁺²").expr == S.a1**2
    assert parse_answer("10⁻¹²").expr == sp.Rational(1, 10**12)


def test_over_divides_its_whole_group() -> None:
    assert parse_answer(r"{a_1 + a_2 \over a_1 - a_2}").expr == \
        parse_answer("(a1 + a2)/(a1 - a2)").expr
    assert parse_answer(r"a_1^{1 \over 2}").expr == sp.sqrt(S.a1)
    assert parse_answer(r"\sqrt{a_1 \over 4}").expr == parse_answer("sqrt(a1/4)").expr
