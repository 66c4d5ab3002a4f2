"""Right on part of the domain only: the regions where an answer is right, where wrong.

:func:`rule_regions` judges exactly at every point, groups the points by the region of the
domain they were drawn in, and names the regions where the answer is right and where it is
wrong; inside a region, the fact that tells the wrong points from the right ones (``γ = 0``,
``λ > 5``), if one does. Its sentences begin with :data:`PARTIAL`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from derivations.checker.case_splits import comparisons
from derivations.checker.diagnosing.evidence import Evidence, scalar_names
from derivations.checker.diagnosing.text import display, pretty, shown_region
from derivations.checker.evaluating import EvaluationError, Mat, agree, value

__all__ = ["MAX_LISTED", "PARTIAL", "rule_regions"]


@lru_cache(maxsize=4096)
def _fact(c: sp.Expr, sign: int) -> str:
    """``λ − 5 > 0`` as ``λ > 5`` where ``c`` is linear in one symbol, else ``c > 0``."""
    op = {1: ">", 0: "=", -1: "<"}
    syms = list(c.free_symbols)
    if len(syms) == 1:
        poly = sp.Poly(c, syms[0]) if c.is_polynomial(syms[0]) else None
        if poly is not None and poly.degree() == 1:
            a, b = poly.all_coeffs()
            flip = -1 if a < 0 else 1
            return f"{display(syms[0].name)} {op[sign * flip]} {pretty(-b / a)}"
    return f"{pretty(c)} {op[sign]} 0"


def _facts(ev: Evidence, i: int, comps: Sequence[sp.Expr], names: Sequence[str]) -> set[str]:
    """What holds at point ``i``: symbols at 0 (``γ = 0``), and the sign of each comparison
    the answers make (``λ > 5`` for ``max(0, λ − 5)``)."""
    values = ev.points[i].values
    facts = {f"{display(n)} = 0" for n in names
             if not isinstance(values.get(n), Mat) and values.get(n) == 0}
    for c in comps:
        try:
            x = value(c, values)
        except (EvaluationError, TypeError, ValueError):
            continue
        if isinstance(x, Fraction):
            facts.add(_fact(c, (x > 0) - (x < 0)))
    return facts


#: How a diagnosis of an answer right on some regions of the domain and wrong on others
#: begins (grading gives partial credit for it, where the points file asks for that).
PARTIAL = "right only on part of the domain"

#: Most regions a diagnosis lists by name (past it: a count and an example).
MAX_LISTED = 4


def rule_regions(ev: Evidence) -> list[str]:
    """Right on some regions and wrong on others, judged exactly at every point: the regions
    where it is right, and where it is wrong — inside a region, the fact that tells the wrong
    points from the right ones (``γ = 0``, ``λ > 5``), if one does."""
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
    names = scalar_names(ev.yours, ev.expected)
    comps = [c for e in (ev.yours, ev.expected) for c in comparisons(e)
             if not any(isinstance(t, sp.MatrixSymbol) for t in c.free_symbols)]
    right_regions: list[str] = []
    wrong_where: list[str] = []
    partly: set[str] = set()  # the facts that tell wrong from right inside a region
    for region, members in regions.items():
        bad = [i for i in members if i not in right]
        good = [i for i in members if i in right]
        if not bad:
            right_regions.append(region)
            continue
        if not good:
            wrong_where.append(region)
            continue
        facts = {i: _facts(ev, i, comps, names) for i in members}
        common = set.intersection(*(facts[i] for i in bad))
        explained = sorted(f for f in common if all(f not in facts[i] for i in good))
        if not explained:
            return []  # no simple description of where it is wrong: say nothing partial
        partly.add(explained[0])
        wrong_where.append(" and ".join([*([region] if region else []), explained[0]]))
    if not wrong_where or "" in wrong_where:
        return []
    if len(partly) == 1 and all(w.endswith(next(iter(partly))) for w in wrong_where):
        fact = next(iter(partly))  # one fact in every region: say it alone if it is false
        if not any(fact in _facts(ev, i, comps, names) for i in right):  # at every right point
            return [f"{PARTIAL}: right except where {fact}"]
    if len(wrong_where) > MAX_LISTED or len(right_regions) > MAX_LISTED:
        return [f"{PARTIAL}: wrong in {len(wrong_where)} of the"
                f" {len(regions)} regions, e.g. where {wrong_where[0]}"]
    wrong = " or ".join(wrong_where)
    if not partly and right_regions and all("=" in r for r in right_regions):  # only ties
        return [f"right only where {' or '.join(right_regions)} (a boundary, no region of"
                f" the domain); wrong where {wrong}"]
    if right_regions and all(right_regions):
        return [f"{PARTIAL}: right where {' or '.join(right_regions)};"
                f" wrong where {wrong}"]
    return [f"{PARTIAL}: right except where {wrong}"]
