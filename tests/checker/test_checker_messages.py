"""The checker's messages a student and a course can trust (issue 23's message items).

* one printer writes formulas and conditions in the sheet's notation, never SymPy's;
* a sentence that says where an answer is right or wrong reads one way, and a set of measure
  zero (a tie, a boundary, one value) is named as such, without "partial" wording;
* swapped piecewise branches and ``max`` for ``min`` are named;
* where the question fixes a1 = a2, no answer is called wrong for depending on a2;
* a minimum over an empty set of indices is called that;
* the verdict line is short; the points compared only under ``--verbose`` and in the JSON.
"""

from __future__ import annotations

import json
import re

import pytest
import sympy as sp

from derivations import symbols as S
from derivations.answers import ANSWER_IDS, answers
from derivations.checker import Verdict, check
from derivations.checker import grading as G
from derivations.checker.diagnosing import PARTIAL
from derivations.checker.grading.messages import text_lines
from derivations.checker.notation import sheet_text

#: What SymPy writes and the sheet never does.
SYMPY_SPELLING = ("**", "Max(", "Min(", "Eq(", "Piecewise", "lambda", "Sigma", " & ", " | ")


@pytest.mark.parametrize(("expr", "shown"), [
    (sp.Max(0, S.a1 - 5), "max(0, a1 − 5)"),
    (S.w / S.lam, "w/λ"),
    (S.Sigma.I * S.w, "Σ⁻¹w"),
    (sp.Eq(S.a1, S.a2), "a1 = a2"),
    (sp.And(S.a1 > 0, S.a2 > 0), "a1 > 0 and a2 > 0"),
    (sp.Min(S.h1, S.h2, S.h3), "min(h1, h2, h3)"),
    (S.A.T * S.w / (2 * S.lam), "Aᵀw/(2λ)"),
    (S.mu + S.Sigma * S.w, "Σw + μ"),
    (S.a2 - S.a1, "a2 − a1"),
    (S.lam ** 2 / 2, "λ²/2"),
])
def test_the_printer_writes_the_sheet_s_notation(expr, shown) -> None:
    assert sheet_text(expr) == shown


def test_a_conjunction_inside_a_disjunction_is_bracketed() -> None:
    cond = sp.Or(sp.And(sp.Eq(S.a1, S.a2), sp.Eq(S.gamma, 0)), S.a1 < S.a2)
    assert sheet_text(cond) in ("(a1 = a2 and γ = 0) or a1 < a2",
                                "a1 < a2 or (a1 = a2 and γ = 0)")


SWAPPED_I = ("Piecewise((a1**2*a2*gamma*(gamma + 1)/((a1*gamma + a2)*(a1*gamma + a1 - a2)),"
             " a1 <= a2), (a1, True))")
SWAPPED_II = ("Piecewise((0, a1 < a2), (a1**2*(a2 - a1)/((a1 + a2*gamma)*(a2*gamma + a2 - a1)),"
              " True))")


def _region_sentence(diagnosis: list[str]) -> str:
    found = [d for d in diagnosis if d.startswith(PARTIAL) or d.startswith("right only")]
    assert len(found) == 1, diagnosis
    return found[0]


def test_swapped_branches_are_named_and_the_region_reads_one_way() -> None:
    res = check("2b.i.general", SWAPPED_I)
    assert res.verdict is Verdict.REFUTED
    assert any(d.startswith("the piecewise branches are swapped") for d in res.diagnosis), \
        res.diagnosis
    sentence = _region_sentence(res.diagnosis)
    assert not sentence.startswith(PARTIAL), sentence  # right only on the tie: measure zero
    assert "right only where a1 = a2 with γ ≠ 0 (a set of measure zero" in sentence
    assert "wrong where a1 ≠ a2, and where a1 = a2 with γ = 0" in sentence
    assert " or " not in sentence and "a1 < a2" not in sentence, sentence


def test_swapped_branches_of_network_ii() -> None:
    res = check("2b.ii.general", SWAPPED_II)
    assert any(d.startswith("the piecewise branches are swapped") for d in res.diagnosis), \
        res.diagnosis
    assert not _region_sentence(res.diagnosis).startswith(PARTIAL)


@pytest.mark.parametrize(("answer_id", "answer", "tie"), [
    ("3b", "max(h1, h2, h3)", "right only on the tie h1 = h2 = h3 (a set of measure zero"),
    ("2a.i", "max(a1, a2)", "right only on the tie a1 = a2 (a set of measure zero"),
    ("2a.ii", "max(a1, a2)", "right only on the tie a1 = a2 (a set of measure zero"),
    ("1a", "w/(2λ)·(1 + |λ − 5|)", "right only where λ = 5 (a set of measure zero"),
])
def test_max_for_min_and_sets_of_measure_zero_are_named(answer_id, answer, tie) -> None:
    res = check(answer_id, answer)
    if answer.startswith("max"):
        assert "max in place of min" in res.diagnosis, res.diagnosis
    assert _region_sentence(res.diagnosis).startswith(tie), res.diagnosis


@pytest.mark.parametrize(("answer_id", "answer", "sentence"), [
    ("2a.i", "min(a1,a2) + max(0, a1 - 5)", f"{PARTIAL}: right except where a1 > 5"),
    ("2a.i", "a1", f"{PARTIAL}: right where a1 ≤ a2; wrong where a2 < a1"),
    ("3b", "min(h1, h2)", f"{PARTIAL}: right except where h3 < h1 and h3 < h2"),
    ("2b.i.general",
     "Piecewise((a1, a1 < a2), (gamma*(1+gamma)*a1^2*a2/((gamma*a1+a2)*((1+gamma)*a1-a2)), True))",
     f"{PARTIAL}: right where a1 ≠ a2, and where a1 = a2 with γ ≠ 0; "
     "wrong where a1 = a2 with γ = 0"),
])
def test_a_region_of_positive_measure_in_one_reading(answer_id, answer, sentence) -> None:
    assert _region_sentence(check(answer_id, answer).diagnosis) == sentence


@pytest.mark.parametrize("answer", ["2*a2", "a2/2", "a2 + 1", "a2^2/a1", "0*a1 + a2 + a2"])
def test_under_the_tie_depending_on_a2_is_no_mistake(answer: str) -> None:
    for answer_id in ("2b.i", "2b.ii.R2"):
        res = check(answer_id, answer)
        assert not any("depends on a2" in d for d in res.diagnosis), (answer_id, res.diagnosis)
    # off the tie, a2 is a mistake where the expected answer does not use it
    res = check("1a", "w/(2λ) + a2·w")
    assert any("depends on a2" in d for d in res.diagnosis), res.diagnosis


def test_a_minimum_over_no_index_says_so() -> None:
    res = check("3b", r"\min_{i>1} h_i")
    assert res.verdict is Verdict.REFUTED and res.message.startswith("for M = 1 unit:")
    assert any("the minimum or maximum over an empty set of indices: no unit for M = 1" in d
               for d in res.diagnosis), res.diagnosis
    assert not any("division by zero" in d for d in res.diagnosis), res.diagnosis


def test_the_verdict_line_is_short_and_the_points_come_with_verbose() -> None:
    for answer_id, answer in (("1a", "w/λ"), ("1a", "w/(2λ)"), ("3b", r"\min_j h_j")):
        res = check(answer_id, answer)
        first = res.report().splitlines()[0]
        assert "points" not in first, first
        verbose = res.report(verbose=True)
        assert "points" in verbose, verbose
        data = json.loads(res.to_json())
        assert "points" in data["message"] and data["summary"] == first.split(": ", 1)[1]


# --- no SymPy spelling in any message, over a corpus for every id -----------------------------

def _corpus(answer_id: str) -> list[str]:
    """Right, wrong, swapped and partly right answers for ``answer_id`` (SymPy text)."""
    e = answers()[answer_id]
    text = sp.sstr(e)
    out = [text, f"2*({text})"]
    if answer_id.startswith("1"):
        out += [f"({text})*(1 + max(0, lambda - 5))", f"({text})*lambda"]
    else:
        p = {"2": "a1", "3": "h1"}[answer_id[0]]
        out += [f"{text} + max(0, {p} - 5)", f"{text} + ({p} - 1)^2"]
    swapped = e.xreplace({m: sp.Max(*m.args) for m in e.atoms(sp.Min)})
    if isinstance(e, sp.Piecewise):
        (v1, c1), (v2, _) = e.args
        swapped = sp.Piecewise((v2, c1), (v1, True))
    if swapped != e:
        out.append(sp.sstr(swapped))
    return out


CORPUS = [(i, a) for i in ANSWER_IDS for a in _corpus(i)]


def _without_quotes(text: str) -> str:
    """``text`` without what quotes the student (`…`) or is LaTeX ($…$)."""
    return re.sub(r"\$[^$]*\$", "", re.sub(r"`[^`]*`", "", text))


@pytest.mark.parametrize(("answer_id", "answer"), CORPUS, ids=[f"{i}|{a[:30]}" for i, a in CORPUS])
def test_no_message_spells_sympy(answer_id: str, answer: str) -> None:
    res = check(answer_id, answer)
    lines = [line for line in res.report(verbose=True).splitlines()
             if not line.lstrip().startswith("LaTeX")]
    for line in lines:
        shown = _without_quotes(line)
        assert not any(s in shown for s in SYMPY_SPELLING), line


def test_no_grading_message_spells_sympy() -> None:
    text = "student,id,answer\n" + "".join(
        f'st{n},{i},"{a}"\n' for n, (i, a) in enumerate(CORPUS))
    rows = G.read_submissions(text.encode(), "c.csv")
    grading = G.grade(rows, jobs=2, assignment=G.parse_assignment({"ids": list(ANSWER_IDS)}))
    for g in grading.rows:
        for line in text_lines(g, verbose=True):
            if line.startswith(("answer", "your answer")):
                continue  # the student's own text
            assert not any(s in _without_quotes(line) for s in SYMPY_SPELLING), line
        assert not any(s in g.read_as for s in SYMPY_SPELLING), g.read_as
