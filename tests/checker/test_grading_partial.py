"""Partial credit only for an answer right on a region of positive measure, for every id: none
for an answer right only on a tie, a boundary, a single parameter value or with its branches
swapped (right only where they meet) — and no "partial" wording in its diagnosis either."""

from __future__ import annotations

import pytest
import sympy as sp

from derivations.answers import ANSWER_IDS, answers
from derivations.checker import grading as G
from derivations.checker.grading import measure

#: The parameter each exercise's answers are moved along (one the answer depends on).
PARAMETER = {"1": "lambda", "2": "a1", "3": "h1"}

#: Ids with two symbols whose order decides the answer, and no condition tying them.
TIES = {"2a.i": ("a1", "a2"), "2a.ii": ("a1", "a2"), "2b.i.general": ("a1", "a2"),
        "2b.ii.general": ("a1", "a2"), "3b": ("h1", "h2")}


def variants(answer_id: str) -> dict[str, str]:
    """The sheet's answer for ``answer_id`` (as SymPy prints it) made wrong except on a
    region (``P ≤ 5``), on a boundary (``P = 5``), at a single value (``P = 1``) and, where
    the id has one, on a tie (``a1 = a2``); a scalar answer by an added term, a vector one by
    a factor."""
    e, p = sp.sstr(answers()[answer_id]), PARAMETER[answer_id[0]]
    if answer_id.startswith("1"):  # the prototypes of Exercise 1 are vectors
        out = {"region": f"({e})*(1 + max(0, {p} - 5))", "boundary": f"({e})*(1 + abs({p} - 5))",
               "value": f"({e})*{p}"}
    else:
        out = {"region": f"{e} + max(0, {p} - 5)", "boundary": f"{e} + abs({p} - 5)",
               "value": f"{e} + ({p} - 1)^2"}
    if answer_id in TIES:
        x, y = TIES[answer_id]
        out["tie"] = f"{e} + abs({x} - {y})"
    expr = answers()[answer_id]
    if isinstance(expr, sp.Piecewise):  # the values exchanged, the conditions kept
        (v1, c1), (v2, _) = expr.args
        out["swapped"] = sp.sstr(sp.Piecewise((v2, c1), (v1, True)))
    elif expr.has(sp.Min):
        out["swapped"] = sp.sstr(expr.replace(sp.Min, sp.Max))
    return out


CASES = [(i, kind, answer) for i in ANSWER_IDS for kind, answer in variants(i).items()]


@pytest.fixture(scope="module")
def graded() -> dict[tuple[str, str], G.Graded]:
    text = "student,id,answer\n" + "".join(f'{i}-{kind},{i},"{a}"\n' for i, kind, a in CASES)
    rows = G.read_submissions(text.encode(), "c.csv")
    assignment = G.parse_assignment({"ids": list(ANSWER_IDS), "partial": 0.5})
    grading = G.grade(rows, jobs=2, assignment=assignment)
    return {(g.submission.answer_id, g.submission.student.split("-", 1)[1]): g
            for g in grading.rows}


@pytest.mark.parametrize(("answer_id", "kind", "answer"), CASES,
                         ids=[f"{i}-{k}" for i, k, _ in CASES])
def test_grading_partial_credit_only_on_a_region_of_positive_measure(
        graded, answer_id, kind, answer) -> None:
    g = graded[(answer_id, kind)]
    assert g.verdict == "REFUTED", (answer, g.result["message"])
    positive = measure.right_on_positive_measure(answer_id, answer, None)
    assert positive is (kind == "region"), answer
    assert g.result[measure.FIELD] is (kind == "region" and measure.claims_partial(g.result))
    if kind == "region":  # the diagnosis says where it is right; half the points
        assert measure.claims_partial(g.result), g.result["diagnosis"]
        assert g.score == 0.5
    else:  # a tie, a boundary, a single value, swapped branches: nothing, and no "partial"
        assert g.score == 0.0, g.result["diagnosis"]
        assert not measure.claims_partial(g.result), g.result["diagnosis"]


def test_grading_partial_credit_for_the_issue_s_examples() -> None:
    """``max(h1, h2, h3)`` for 3b is right only where h1 = h2 = h3 (the checker calls it
    "right only on part of the domain"): no partial credit; ``min(a1, a2) + max(0, a1 − 5)``
    is right where a1 ≤ 5: partial credit."""
    text = ('student,id,answer\nada,3b,"max(h1,h2,h3)"\nada,2a.i,"min(a1,a2) + max(0, a1 - 5)"\n'
            'ada,2a.i.x,w\n')
    rows = [r for r in G.read_submissions(text.encode(), "c.csv") if r.problem is None]
    grading = G.grade(rows, jobs=1, assignment=G.parse_assignment({"partial": 0.5}))
    three, two = grading.rows
    assert not measure.claims_partial(three.result) and three.result[measure.FIELD] is False
    assert any(d.startswith("right only on the tie h1 = h2 = h3") for d in
               three.result["diagnosis"]), three.result["diagnosis"]
    assert three.score == 0.0
    assert two.result[measure.FIELD] is True and two.score == 0.5 and two.kind == "partly right"
