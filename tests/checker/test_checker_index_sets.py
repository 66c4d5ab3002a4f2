"""Every way of writing a condition under ``\\min`` is read whole, or refused (issue 21, item 2).

A generator writes each form of a condition — the index alone, a range, bounds and chains,
a set, an exclusion — with every spelling of its relations (``\\le``, ``\\leq``, ``≤``,
``<=``, ``\\leqslant``; ``\\ne``, ``\\neq``, ``≠``, ``!=``; ``\\ge`` …), of its ellipsis
(``\\dots``, ``\\ldots``, ``\\cdots``, ``...``, ``…``) and of its set braces (``\\{…\\}``,
``\\lbrace…\\rbrace``), spaced and unspaced, with and without braces around the index and
the unit, under ``\\min``, ``\\min\\limits``, ``\\operatorname*{min}`` or the text ``min``.
Each is classified before it is checked:

* **all** (every unit for every M): read as ``min_j h_j`` — the same expression as the
  canonical answer, so the same verdict; a sample of them is also checked end to end (PROVED);
* **subset** (a proper subset for some M = 1, …, 6: ``i \\ne 1``, ``i > 1``, ``1 \\le i < M``,
  ``i \\le M-1``, ``2 \\le i \\le M`` …): read as the minimum over exactly that subset for
  every M, and REFUTED end to end — never exit 0;
* **M = 3** (units by number): read as the min over those units, PROVED for h1, h2, h3 and
  REFUTED for any other set;
* **refused** (``i \\in S``, a condition on something else, a unit 0 or past M): CANNOT CHECK
  with a message that names the condition.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import pytest
import sympy as sp

from derivations import answers
from derivations import symbols as S
from derivations.checker import Verdict, check
from derivations.checker.reading import (
    AnswerSyntaxError,
    IndexedMin,
    instantiate,
    parse_answer,
)
from derivations.checker.reading.index_sets import CHECKED_UP_TO_M
from derivations.checker.reading.units import H_J, NoUnits

LE = (r"\le", r"\leq", "≤", "<=", r"\leqslant")
GE = (r"\ge", r"\geq", "≥", ">=")
NE = (r"\ne", r"\neq", "≠", "!=")
DOTS = (r"\dots", r"\ldots", r"\cdots", "...", "…")
IN = (r"\in", "∈")
SETS = ((r"\{", r"\}"), (r"\lbrace ", r"\rbrace"))
OPS = (r"\min", r"\min\limits", r"\operatorname*{min}", "min")
MS = range(1, CHECKED_UP_TO_M + 1)


def _every(m: int) -> list[int]:
    return list(range(1, m + 1))


#: The forms: (template, kind, the units for M units — or, for "fixed", the units).
#: ``{le}`` … are spellings; ``{i}`` the index (braced or not), spaces are optional.
FORMS: list[tuple[str, str, Callable[[int], list[int]] | tuple[int, ...] | None]] = [
    # every unit
    ("_{i}", "all", _every),
    ("_{j = 1 , {dots} , M}", "all", _every),
    ("_{j = 1 , 2 , {dots} , M}", "all", _every),
    ("_{j = 1 .. M}", "all", _every),
    ("_{j = 1 {dots} M}", "all", _every),
    ("_{1 {le} j {le} M}", "all", _every),
    ("_{j {in} {lb} 1 , {dots} , M {rb}}", "all", _every),
    ("_{j {in} [ M ]}", "all", _every),
    ("_{j = 1} ^{M}", "all", _every),
    ("^{M} _{j = 1}", "all", _every),
    ("_{0 < j {le} M}", "all", _every),
    ("_{j {ge} 1}", "all", _every),
    ("_{j = 1 : M}", "all", _every),
    ("_{j < M + 1}", "all", _every),
    ("_{M {ge} j {ge} 1}", "all", _every),
    ("_{1 {le} j {le} N}", "all", _every),
    # a subset for some M
    ("_{i {ne} 1}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i > 1}", "subset", lambda m: list(range(2, m + 1))),
    ("_{1 {le} i < M}", "subset", lambda m: list(range(1, m))),
    ("_{i {le} M - 1}", "subset", lambda m: list(range(1, m))),
    ("_{2 {le} i {le} M}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i = 2 , {dots} , M}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i {in} {lb} 2 , {dots} , M {rb}}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i = 1} ^{M - 1}", "subset", lambda m: list(range(1, m))),
    ("_{i = 2} ^{M}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i {ge} 2}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i < M}", "subset", lambda m: list(range(1, m))),
    ("_{i {in} [ M ] \\setminus {lb} 1 {rb}}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i \\notin {lb} 1 {rb}}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i {ne} M}", "subset", lambda m: list(range(1, m))),
    ("_{i {ne} 2}", "subset", lambda m: [u for u in range(1, m + 1) if u != 2]),
    ("_{1 {le} i {le} M , i {ne} 2}", "subset", lambda m: [u for u in range(1, m + 1)
                                                           if u != 2]),
    ("_{i = 1 , {dots} , M - 1}", "subset", lambda m: list(range(1, m))),
    ("_{i {in} [ M - 1 ]}", "subset", lambda m: list(range(1, m))),
    ("_{M {ge} i > 1}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i : i > 1}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i > 1 \\land i {le} M}", "subset", lambda m: list(range(2, m + 1))),
    ("_{i {le} 2}", "fixed", (1, 2)),
    # M = 3, the units by number
    ("_{j {in} {lb} 1 , 2 , 3 {rb}}", "fixed", (1, 2, 3)),
    ("_{j = 1 , 2 , 3}", "fixed", (1, 2, 3)),
    ("_{1 {le} j {le} 3}", "fixed", (1, 2, 3)),
    ("_{j = 1} ^{3}", "fixed", (1, 2, 3)),
    ("_{j {in} [ 3 ]}", "fixed", (1, 2, 3)),
    ("_{j = 1 , {dots} , 3}", "fixed", (1, 2, 3)),
    ("_{j {in} {lb} 1 , 2 {rb}}", "fixed", (1, 2)),
    ("_{2 {le} j {le} 3}", "fixed", (2, 3)),
    ("_{j = 2} ^{3}", "fixed", (2, 3)),
    ("_{j {in} {lb} 1 , 3 {rb}}", "fixed", (1, 3)),
    ("_{1 {le} j < 3}", "fixed", (1, 2)),
    ("_{j {in} {lb} 3 {rb}}", "fixed", (3,)),
    # refused: a set by name, a condition on something else, unit 0, past M, …
    ("_{i {in} S}", "refused", None),
    ("_{i {in} A}", "refused", None),
    ("_{i {in} \\mathcal{I}}", "refused", None),
    ("_{i {in} \\mathbb{N}}", "refused", None),
    ("_{i : h_i > 0}", "refused", None),
    ("_{i {ne} j}", "refused", None),
    ("_{i > x}", "refused", None),
    ("_{0 {le} i < M}", "refused", None),
    ("_{i = 0 , {dots} , M - 1}", "refused", None),
    ("_{i {le} M + 1}", "refused", None),
    ("_{i {ne} 7}", "refused", None),
    ("_{i {ne} 1000}", "refused", None),
    ("_{i > M}", "refused", None),
    ("_{i , j}", "refused", None),
    ("_{i = 1 , 3 , {dots} , M}", "refused", None),
]


class Case(NamedTuple):
    answer: str
    kind: str
    units: Callable[[int], list[int]] | tuple[int, ...] | None
    form: str


def _spellings(template: str) -> Iterator[dict[str, str]]:
    """Every spelling of the placeholders the template uses (the others fixed)."""
    axes = {"le": LE, "ge": GE, "ne": NE, "dots": DOTS, "in": IN}
    used = [k for k in axes if "{" + k + "}" in template]
    sets = SETS if "{lb}" in template else SETS[:1]
    for values in itertools.product(*(axes[k] for k in used)):
        for lb, rb in sets:
            yield {**dict(zip(used, values, strict=True)), "lb": lb, "rb": rb}


_COMMAND_AT_END = re.compile(r"\\[A-Za-z]+$")


def _join(parts: list[str], spaced: bool) -> str:
    """The parts with spaces, or without where LaTeX allows (a command name keeps a space
    before a letter: ``\\le j``)."""
    out = ""
    for part in (p for p in parts if p):
        if out and (spaced or (_COMMAND_AT_END.search(out) and part[0].isalpha())):
            out += " "
        out += part
    return out


def cases() -> list[Case]:
    """Every written form of every condition (see the module docstring)."""
    out = []
    for n, (template, kind, units) in enumerate(FORMS):
        index = "i" if re.search(r"\bi\b", template) else "j"
        for k, spelling in enumerate(_spellings(template)):
            for spaced, braced in itertools.product((True, False), (True, False)):
                filled = template.replace("{i}", "{" + index + "}" if braced else index)
                for key, value in spelling.items():
                    filled = filled.replace("{" + key + "}", value)
                unit = f"h_{{{index}}}" if braced else f"h_{index}"
                body = (unit, f"({unit})", f"\\{{{unit}\\}}", f"{unit}(x)")[(n + k) % 4]
                op = OPS[(n + k + spaced) % len(OPS)]
                text = _join([op, *filled.split(" ")], spaced) + " " + body
                out.append(Case(text, kind, units, template))
    return out


CASES = cases()
BY_KIND = {kind: [c for c in CASES if c.kind == kind] for kind in ("all", "subset", "fixed",
                                                                   "refused")}


def _min_over(units: list[int]) -> sp.Basic:
    hs = [sp.Symbol(f"h{u}", real=True) for u in units]
    return sp.Min(*hs) if hs else None


def test_the_generator_writes_every_form_many_ways() -> None:
    assert len(CASES) > 1000
    assert {c.form for c in CASES} == {f[0] for f in FORMS}
    every_spelling = "".join(c.answer for c in CASES)
    for spelling in (*LE, *GE, *NE, *DOTS, *IN, r"\lbrace", *OPS):
        assert spelling in every_spelling, spelling
    assert CHECKED_UP_TO_M == max(answers.GENERAL_M["3b"])  # the sets are compared there


@pytest.mark.parametrize("case", BY_KIND["all"], ids=lambda c: c.answer)
def test_a_condition_over_every_unit_is_read_as_the_min_over_all_units(case: Case) -> None:
    parsed = parse_answer(case.answer)
    assert parsed.expr == IndexedMin(H_J), case


@pytest.mark.parametrize("case", BY_KIND["subset"], ids=lambda c: c.answer)
def test_a_condition_that_selects_a_subset_is_read_as_the_min_over_that_subset(
        case: Case) -> None:
    parsed = parse_answer(case.answer)
    assert parsed.general, case
    assert any("not over every unit" in n for n in parsed.notes), parsed.notes
    for m in MS:
        want = case.units(m)  # type: ignore[operator]
        got = instantiate(parsed.expr, m)
        if want:
            assert got == _min_over(want), (case, m, got)
        else:
            assert isinstance(got, NoUnits), (case, m, got)


@pytest.mark.parametrize("case", BY_KIND["fixed"], ids=lambda c: c.answer)
def test_a_condition_with_numbers_is_read_as_the_min_over_those_units(case: Case) -> None:
    parsed = parse_answer(case.answer)
    assert not parsed.general
    assert parsed.expr == _min_over(list(case.units)), case  # type: ignore[arg-type]


@pytest.mark.parametrize("case", BY_KIND["refused"], ids=lambda c: c.answer)
def test_a_condition_that_cannot_be_read_exactly_is_refused_by_name(case: Case) -> None:
    with pytest.raises(AnswerSyntaxError) as info:
        parse_answer(case.answer)
    assert "under \\min" in info.value.message or "index of" in info.value.message, \
        info.value.message


# -- end to end: derivations.checker.check -------------------------------------------------------
def _sample(rows: list[Case], every: int) -> list[Case]:
    """The first case of each form and every ``every``-th case."""
    seen: set[str] = set()
    out = []
    for n, c in enumerate(rows):
        if c.form not in seen or n % every == 0:
            out.append(c)
        seen.add(c.form)
    return out


@pytest.mark.parametrize("case", _sample(BY_KIND["all"], 23), ids=lambda c: c.answer)
def test_a_condition_over_every_unit_is_proved(case: Case) -> None:
    res = check("3b", case.answer)
    assert res.verdict is Verdict.PROVED and res.exit_status == 0, (case, res.message)


@pytest.mark.parametrize("case", BY_KIND["subset"], ids=lambda c: c.answer)
def test_a_min_over_a_subset_is_refuted_never_accepted(case: Case) -> None:
    res = check("3b", case.answer)
    assert res.verdict is Verdict.REFUTED and res.exit_status == 1, (case, res.message)
    assert res.counterexample is not None
    assert "for M = " in res.message


@pytest.mark.parametrize("case", BY_KIND["fixed"], ids=lambda c: c.answer)
def test_a_min_over_numbered_units_is_proved_only_for_h1_h2_h3(case: Case) -> None:
    res = check("3b", case.answer)
    if case.units == (1, 2, 3):
        assert res.verdict is Verdict.PROVED, (case, res.message)
    else:
        assert res.verdict is Verdict.REFUTED and res.exit_status == 1, (case, res.message)


@pytest.mark.parametrize("case", BY_KIND["refused"], ids=lambda c: c.answer)
def test_an_unreadable_condition_cannot_be_checked(case: Case) -> None:
    res = check("3b", case.answer)
    assert res.verdict is Verdict.CANNOT_CHECK and res.exit_status == 2, (case, res.message)
    assert res.position is not None and res.position >= 1


# -- the issue's examples, and a max --------------------------------------------------------------
@pytest.mark.parametrize(("answer", "verdict"), [
    (r"\min_{i \ne 1} h_i", Verdict.REFUTED),
    (r"\min_{i>1} h_i", Verdict.REFUTED),
    (r"\min_{1 \le i < M} h_i", Verdict.REFUTED),
    (r"\min_{i \le M-1} h_i", Verdict.REFUTED),
    (r"\min_{2 \le i \le M} h_i", Verdict.REFUTED),
    (r"\min_{i \in S} h_i", Verdict.CANNOT_CHECK),
    (r"-\max_{i \ne 1} (-h_i)", Verdict.REFUTED),
    (r"\max_{j=1,\dots,M} h_j", Verdict.REFUTED),
    (r"\min_{j=1,\dots,M} h_j", Verdict.PROVED),
    (r"\min_{j \in [M]} h_j", Verdict.PROVED),
    (r"\min_{j=1}^{M} h_j", Verdict.PROVED),
    (r"\min_{j \in \{1,2,3\}} h_j", Verdict.PROVED),
])
def test_the_issues_conditions(answer: str, verdict: Verdict) -> None:
    res = check("3b", answer)
    assert res.verdict is verdict, res.message


def test_the_refusal_names_the_condition() -> None:
    res = check("3b", r"\min_{i \in S} h_i")
    assert res.message.startswith(r"cannot read the condition `i \in S` under \min")
    assert "write the units it ranges over" in res.message


def test_a_min_over_no_unit_for_some_m_says_so() -> None:
    parsed = parse_answer(r"\min_{i>1} h_i")
    assert any("for M = 1 that is no unit" in n for n in parsed.notes), parsed.notes
    res = check("3b", r"\min_{i>1} h_i")
    assert res.message.startswith("for M = 1 unit:")
    assert "undefined" in res.counterexample.text()
    res = check("3b", r"\min_{i \ne 2} h_i")  # {1} for M = 1: first wrong for M = 2
    assert res.verdict is Verdict.REFUTED and res.message.startswith("for M = 2 units:")


def test_a_min_inside_another_over_an_index_is_refused() -> None:
    with pytest.raises(AnswerSyntaxError, match="inside another"):
        parse_answer(r"\min_i \max_j h_j")


def test_the_units_are_the_sheets() -> None:
    assert S.hs(3) == (S.h1, S.h2, S.h3)
