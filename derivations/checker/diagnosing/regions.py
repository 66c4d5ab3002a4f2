"""Right on part of the domain only: the regions where an answer is right, where wrong.

:func:`rule_regions` judges exactly at every point, groups the points by the region of the
domain they were drawn in, and names the regions where the answer is right and where it is
wrong; inside a region, the fact that tells the wrong points from the right ones (``γ = 0``,
``λ > 5``), if one does. Each sentence reads one way: the regions are named as simply as
they can be (:mod:`~.cells`: ``a1 ≠ a2``, not "a1 < a2 or a2 < a1"), listed as
"where …, and where … with …". An answer right on a region of positive measure gets a
sentence that begins with :data:`PARTIAL`; one right only on a tie, a boundary or at one
value is told so ("right only on the tie a1 = a2 (a set of measure zero …)").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from derivations.checker.case_splits import comparisons
from derivations.checker.diagnosing.cells import describe, is_tie
from derivations.checker.diagnosing.evidence import Evidence, scalar_names
from derivations.checker.diagnosing.text import shown_region
from derivations.checker.evaluating import EvaluationError, Mat, agree, value
from derivations.checker.notation import sheet_text

__all__ = ["MAX_LISTED", "PARTIAL", "rule_regions"]


_OPS = {1: sp.StrictGreaterThan, 0: sp.Equality, -1: sp.StrictLessThan}
_NEGATED = {sp.Equality: sp.Unequality, sp.Unequality: sp.Equality,
            sp.StrictGreaterThan: sp.LessThan, sp.LessThan: sp.StrictGreaterThan,
            sp.StrictLessThan: sp.GreaterThan, sp.GreaterThan: sp.StrictLessThan}


def _plain(expr: sp.Expr) -> sp.Expr:
    """``expr`` over symbols without assumptions (so that ``λ = 0`` stays a fact)."""
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


@lru_cache(maxsize=4096)
def _fact(c: sp.Expr, sign: int) -> sp.Basic:
    """``λ − 5 > 0`` as ``λ > 5`` where ``c`` is linear in one symbol, else ``c > 0``."""
    syms = list(c.free_symbols)
    if len(syms) == 1:
        poly = sp.Poly(c, syms[0]) if c.is_polynomial(syms[0]) else None
        if poly is not None and poly.degree() == 1:
            a, b = poly.all_coeffs()
            flip = -1 if a < 0 else 1
            return _OPS[sign * flip](sp.Symbol(syms[0].name), -b / a, evaluate=False)
    return _OPS[sign](_plain(c), 0, evaluate=False)


def negated(fact: sp.Basic) -> sp.Basic:
    """``γ ≠ 0`` for ``γ = 0``, ``λ ≤ 5`` for ``λ > 5``."""
    return _NEGATED[type(fact)](*fact.args, evaluate=False)


def _facts(ev: Evidence, i: int, comps: Sequence[sp.Expr], names: Sequence[str]) -> set:
    """What holds at point ``i``: symbols at 0 (``γ = 0``), and the sign of each comparison
    the answers make (``λ > 5`` for ``max(0, λ − 5)``)."""
    values = ev.points[i].values
    facts = {sp.Eq(sp.Symbol(n), 0, evaluate=False) for n in names
             if not isinstance(values.get(n), Mat) and values.get(n) == 0}
    for c in comps:
        try:
            x = value(c, values)
        except (EvaluationError, TypeError, ValueError):
            continue
        if isinstance(x, Fraction):
            facts.add(_fact(c, (x > 0) - (x < 0)))
    return facts


#: How a diagnosis of an answer right on a region of positive measure and wrong elsewhere
#: begins (grading gives partial credit for it, where the points file asks for that). An
#: answer right only on a set of measure zero (a tie, a boundary, one value) is told
#: otherwise ("right only on the tie a1 = a2 (a set of measure zero …)").
PARTIAL = "right only on part of the domain"

#: Most regions a diagnosis lists by name (past it: a count and an example).
MAX_LISTED = 4

_NULL = "(a set of measure zero, no region of the domain)"


@dataclass(frozen=True)
class _Part:
    """The points of a region where the answer is right (or wrong): the whole region, or
    where ``fact`` holds inside it."""

    region: str
    fact: sp.Basic | None = None

    def null(self) -> bool:
        return is_tie(self.region) or isinstance(self.fact, sp.Equality)

    def text(self) -> str:
        if self.fact is None:
            return self.region
        fact = sheet_text(self.fact)
        return f"{self.region} with {fact}" if self.region else fact


def _split(ev: Evidence, members: list[int], right: set[int], comps, names):
    """Where inside a region the answer is right and where wrong (two :class:`_Part`), or
    None where no single fact tells them apart."""
    bad = [i for i in members if i not in right]
    good = [i for i in members if i in right]
    facts = {i: _facts(ev, i, comps, names) for i in members}
    # a point where both answers are 0 (w = 0 in w·(1 + max(0, λ − 5))) shows no factor:
    # it does not count against the fact that tells the wrong points, if others remain
    seen = [i for i in good if not _is_zero(ev.exact_expected[i])] or good
    only_bad = set.intersection(*(facts[i] for i in bad)) - set().union(*(facts[i] for i in seen))
    only_good = set.intersection(*(facts[i] for i in good)) - set().union(*(facts[i] for i in bad))
    key = sp.default_sort_key
    ties = sorted((f for f in only_good if isinstance(f, sp.Equality)), key=key)
    if ties:  # right only on a boundary or at one value inside the region
        return _Part("", ties[0]), _Part("", negated(ties[0]))
    if only_bad:
        f = sorted(only_bad, key=key)[0]
        return _Part("", negated(f)), _Part("", f)
    if only_good:
        f = sorted(only_good, key=key)[0]
        return _Part("", f), _Part("", negated(f))
    return None


def _is_zero(v: object) -> bool:
    entries = [x for r in v.rows for x in r] if isinstance(v, Mat) else [v]
    return all(isinstance(x, Fraction) and x == 0 for x in entries)


def _named(parts: list[_Part], cells: list[str]) -> list[str] | None:
    """The parts as items of a list: the whole regions together (as simply as they read one
    way), then each region with its fact."""
    whole = [p.region for p in parts if p.fact is None]
    items = describe(whole, cells, MAX_LISTED) if whole else []
    if items is None:
        return None
    return [*items, *(p.text() for p in parts if p.fact is not None)]


def _listed(items: list[str]) -> str:
    return ", and where ".join(items)


def rule_regions(ev: Evidence) -> list[str]:
    """Right on some regions and wrong on others, judged exactly at every point: where it
    is right, and where it is wrong, each said one way; a right set of measure zero (a tie,
    a boundary, one value) is named as such, without :data:`PARTIAL`."""
    idx = ev.valid()
    right = {i for i in idx if (i not in ev.differ if ev.differ is not None
                                else agree(ev.exact_yours[i], ev.exact_expected[i]))}
    if not right or len(right) == len(idx):
        return []
    regions: dict[str, list[int]] = {}
    for i in idx:
        regions.setdefault(shown_region(ev.points[i].region or ""), []).append(i)
    if len(regions) == 1:  # one region is the whole domain: no need to name it
        regions = {"": idx}
    cells = list(regions)
    names = scalar_names(ev.yours, ev.expected)
    comps = [c for e in (ev.yours, ev.expected) for c in comparisons(e)
             if not any(isinstance(t, sp.MatrixSymbol) for t in c.free_symbols)]
    rights: list[_Part] = []
    wrongs: list[_Part] = []
    for region, members in regions.items():
        n_right = sum(i in right for i in members)
        if n_right == len(members):
            rights.append(_Part(region))
        elif n_right == 0:
            wrongs.append(_Part(region))
        else:
            split = _split(ev, members, right, comps, names)
            if split is None:
                return []  # no simple description of where it is wrong: say nothing partial
            rights.append(_Part(region, split[0].fact))
            wrongs.append(_Part(region, split[1].fact))
    facts = {p.fact for p in wrongs}
    if len(facts) == 1 and None not in facts and not all(p.null() for p in rights):
        fact = facts.pop()  # one fact in every region where it is wrong: say it alone if it
        if not any(fact in _facts(ev, i, comps, names) for i in right
                   if not _is_zero(ev.exact_expected[i])):  # is false wherever
            return [f"{PARTIAL}: right except where {sheet_text(fact)}"]  # it is right
    return [_sentence(rights, wrongs, cells)]


def _sentence(rights: list[_Part], wrongs: list[_Part], cells: list[str]) -> str:
    right_items, wrong_items = _named(rights, cells), _named(wrongs, cells)
    if all(p.null() for p in rights):
        where = _listed(right_items) if right_items is not None else "some ties"
        on = "on the tie" if all(p.fact is None for p in rights) else "where"
        wrong = "elsewhere" if wrong_items is None or len(wrong_items) > 2 \
            or all(p.fact is None for p in rights) else f"where {_listed(wrong_items)}"
        return f"right only {on} {where} {_NULL}; wrong {wrong}"
    if right_items is not None and wrong_items is not None \
            and len(right_items) + len(wrong_items) <= MAX_LISTED:
        return f"{PARTIAL}: right where {_listed(right_items)}; wrong where {_listed(wrong_items)}"
    if right_items is not None:
        return f"{PARTIAL}: right where {_listed(right_items)}; wrong elsewhere"
    if wrong_items is not None:
        return f"{PARTIAL}: right except where {_listed(wrong_items)}"
    return f"{PARTIAL}: wrong in {len(wrongs)} of the {len(cells)} regions, e.g. where " \
           f"{wrongs[0].text()}"
