"""The rule table: each rule recognises one common mistake from numbers (:data:`RULES`).

See :mod:`derivations.checker.diagnosing` for what the rules compare; :func:`diagnose` runs
them all, in the order of :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.diagnosing.evidence import (
    Evidence,
    constant_factor,
    is_finite,
    is_identity,
    may_equal,
    mutated,
    rational_entries,
    relation,
    scalar_names,
    with_factor,
)
from derivations.checker.diagnosing.regions import rule_regions
from derivations.checker.diagnosing.text import display, factor_text, number_text, pretty
from derivations.checker.evaluating import (
    UNDEFINED,
    EvaluationError,
    Mat,
    agree,
    identity,
    is_defined,
)
from derivations.checker.reading import shape_text
from derivations.checker.sampling import positive_definite_names
from derivations.matrix_identities import shape_of

__all__ = ["RULES", "diagnose"]


# -- the rules -------------------------------------------------------------------------------
def rule_shape(ev: Evidence) -> list[str]:
    ys, es = ev.your_values, ev.expected_values
    ysh, esh = shape_of(ev.yours), shape_of(ev.expected)
    out = []
    if ev.square_only:
        out.append("your answer's shapes fit only when d = k, but d and k are arbitrary")
    if ysh == esh:
        return out
    if ysh is None:
        return [*out, f"a scalar where a {shape_text(esh)} is expected"]
    if esh is None:
        return [*out, f"a {shape_text(ysh)} where a scalar is expected"]
    if (ysh[1], ysh[0]) == tuple(esh):
        rel = relation(ev, [np.transpose(y) for y in ys], es, ev.valid())
        if rel is not None:
            return [*out, with_factor("your answer is the transpose of the expected one", rel)]
    return [*out, f"your answer is a {shape_text(ysh)}, the expected one a {shape_text(esh)}"]


def rule_undefined(ev: Evidence) -> list[str]:
    bad = [i for i in ev.valid() if not is_defined(ev.exact_yours[i])]  # exactly: 1e400 is
    # a value
    if not bad:
        return []
    why = "a division by zero or a singular inverse"
    if any(getattr(f, "__name__", "") == "NoUnits" for f in _functions(ev.yours)):
        units = {s.name for s in ev.expected.free_symbols if s.name[:1] == "h"}
        why = ("the minimum or maximum over an empty set of indices: no unit for "
               f"M = {len(units)}")
    return [f"your answer is undefined at {len(bad)} of {len(ev.valid())} admissible points "
            f"({why})"]


def _functions(expr: sp.Basic) -> set[Any]:
    return {node.func for node in sp.preorder_traversal(expr) if isinstance(node, sp.Function)}


def rule_factor(ev: Evidence) -> list[str]:
    idx = ev.valid()
    if idx and all(
        is_finite(ev.your_values[i]) and not np.any(np.asarray(ev.your_values[i], dtype=float))
        for i in idx
    ):
        return ["your answer is 0, the expected one is not"]
    c = constant_factor(ev, ev.exact_yours, idx)
    if c is not None and c != 1:  # exact, however close to 1
        if c == -1:
            return ["wrong sign: your answer is -1× the expected one"]
        return [f"your answer is {number_text(c)}× the expected one"]
    rel = relation(ev, ev.your_values, ev.expected_values, idx)
    if rel is None or is_identity(rel):
        return []
    c, f = rel
    if f == 1 and abs(c + 1) <= 1e-6:
        return ["wrong sign: your answer is -1× the expected one"]
    return [f"your answer is {factor_text(c, f)} the expected one"]


def _inverse_of(m: Mat) -> Mat:
    inv = m.inverse()
    if inv is UNDEFINED:
        raise ArithmeticError("singular")
    return inv


def rule_inverse(ev: Evidence) -> list[str]:
    out = []
    for m in sorted(ev.expected.atoms(sp.MatrixSymbol), key=str):
        if m.name not in positive_definite_names():
            continue
        es = mutated(ev, ev.points, lambda v, n=m.name: {**v, n: _inverse_of(v[n])})
        rel = relation(ev, ev.your_values, es, ev.valid())
        if rel is None:
            continue
        plain = ev.expected.xreplace({sp.Inverse(m): sp.Dummy()}).has(m)
        inverse = ev.expected.has(sp.Inverse(m))
        name = display(m.name)
        if plain and not inverse:
            msg = f"{name}⁻¹ in place of {name}"
        elif inverse and not plain:
            msg = f"{name} in place of {name}⁻¹"
        else:
            msg = f"{name} and {name}⁻¹ exchanged"
        out.append(with_factor(msg, rel))
    return out


def _factors_with(expr: sp.Basic, m: sp.MatrixSymbol) -> str | None:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.MatMul):
            mats = [a for a in node.args if isinstance(a, MatrixExpr) and a.has(m)]
            if mats:
                return "·".join(pretty(a) for a in mats)
    return None


def rule_transpose(ev: Evidence) -> list[str]:
    out = []
    idx = [i for i in ev.valid() if ev.points[i].values.get("d") == ev.points[i].values.get("k")]
    if len(idx) < 3:
        return out
    for m in sorted(ev.expected.atoms(sp.MatrixSymbol), key=str):
        if m.name in positive_definite_names() or m.shape[1] == 1:
            continue
        es = mutated(ev, ev.points, lambda v, n=m.name: {**v, n: v[n].T})
        ys = ev.your_values
        rel = relation(ev, ys, es, idx)
        if rel is None:
            continue
        hold = sp.MatrixSymbol(f"{m.name}__T", m.shape[1], m.shape[0])
        swapped = ev.expected.xreplace({m.T: hold, m: m.T}).xreplace({hold: m})
        have, want = _factors_with(swapped, m), _factors_with(ev.expected, m)
        detail = f" ({have} where {want} is expected)" if have and want else ""
        out.append(with_factor(f"transposed or swapped factors{detail}", rel))
    return out


def _terms(expr: sp.Basic) -> tuple[sp.Basic, ...]:
    return expr.args if isinstance(expr, (sp.Add, sp.MatAdd)) else (expr,)


#: The most additive terms of your answer that :func:`rule_terms` takes one by one: each is
#: evaluated at every point, and no answer of the sheet has more than a few (a sum of 120
#: minima would cost seconds and name nothing a student would act on). A bound in work.
MAX_TERMS_DIAGNOSED = 12


def rule_terms(ev: Evidence) -> list[str]:
    """A missing, sign-flipped or mis-scaled term of the expected answer, or an extra term of
    yours (only for an answer of at most :data:`MAX_TERMS_DIAGNOSED` terms)."""
    out = []
    idx = ev.valid()
    terms = _terms(ev.expected)
    if len(terms) > 1:
        for t in terms:
            tv = ev.values_of(t)
            minus = [e - v for e, v in zip(ev.expected_values, tv, strict=True)]
            rel = relation(ev, ev.your_values, minus, idx)
            if rel is not None:
                out.append(with_factor(f"missing additive term: + {pretty(t)}", rel))
                continue
            flipped = [e - 2 * v for e, v in zip(ev.expected_values, tv, strict=True)]
            if is_identity(relation(ev, ev.your_values, flipped, idx)):
                out.append(f"wrong sign of the term {pretty(t)}")
                continue
            # Your version of the term, if all other terms are right: off by a factor?
            own = [
                y - (e - v) for y, e, v in zip(ev.your_values, ev.expected_values, tv, strict=True)
            ]
            rel = relation(ev, own, tv, idx)
            if rel is not None and not is_identity(rel) and abs(rel[0]) > 1e-9:
                out.append(f"the term {pretty(t)} is {factor_text(*rel)} what it should be")
    yours = _terms(ev.yours)
    if 1 < len(yours) <= MAX_TERMS_DIAGNOSED:
        for t in yours:
            tv = ev.values_of(t)
            rest = [y - v for y, v in zip(ev.your_values, tv, strict=True)]
            if is_identity(relation(ev, rest, ev.expected_values, idx)):
                out.append(f"an extra additive term: {pretty(t)}")
    return out


def _relative_gap(y: Any, e: Any) -> Fraction | None:
    """``max |y − e| / max |e|`` exactly (rational values of one shape), None otherwise."""
    pair = rational_entries(y, e)
    if pair is None:
        return None
    ys, es = pair
    scale = max(abs(x) for x in es)
    return max(abs(a - b) for a, b in zip(ys, es, strict=True)) / scale if scale else None


def rule_nearly(ev: Evidence) -> list[str]:
    """Not equal, but within a tiny relative distance everywhere (exactly measured): a rounded
    constant or a negligible extra term."""
    gaps = [_relative_gap(ev.exact_yours[i], ev.exact_expected[i]) for i in ev.valid()]
    if not gaps or any(g is None for g in gaps):
        return []
    worst = max(gaps)
    if 0 < worst < Fraction(1, 10_000):
        return [f"nearly right: within a relative {float(worst):.1g} of the expected answer at "
                "every point, but not equal (a rounded constant, or a tiny extra term?)"]
    return []


def _same_everywhere(ev: Evidence, theirs: list[Any]) -> bool:
    """Whether your answer has the values ``theirs`` at every admissible point (no value
    where they have none), and a value at one at least."""
    idx = ev.valid()
    defined = [i for i in idx if is_defined(theirs[i])]
    return bool(defined) and all(
        agree(ev.exact_yours[i], theirs[i]) if is_defined(theirs[i])
        else not is_defined(ev.exact_yours[i]) for i in idx)


def rule_min_max(ev: Evidence) -> list[str]:
    """``max`` in place of ``min`` (or the other way round)."""
    if not ev.expected.has(sp.Min, sp.Max):
        return []
    swapped = ev.expected.xreplace({m: sp.Max(*m.args) for m in ev.expected.atoms(sp.Min)} |
                                   {m: sp.Min(*m.args) for m in ev.expected.atoms(sp.Max)})
    if _same_everywhere(ev, ev.exact_of(swapped)):
        what = "max in place of min" if ev.expected.has(sp.Min) else "min in place of max"
        return [what]
    return []


def rule_branches(ev: Evidence) -> list[str]:
    """A piecewise answer whose branch values are the expected ones, under swapped
    conditions (``a1`` where ``a1 ≤ a2``, ``0`` elsewhere, written the other way round)."""
    if not isinstance(ev.expected, sp.Piecewise) or len(ev.expected.args) != 2:
        return []
    (v1, c1), (v2, c2) = ev.expected.args
    swapped = sp.Piecewise((v2, c1), (v1, True))
    if _same_everywhere(ev, ev.exact_of(swapped)):
        return [f"the piecewise branches are swapped: {pretty(v2)} where {pretty(c1)}, "
                f"{pretty(v1)} elsewhere"]
    return []


def rule_missing_matrix(ev: Evidence) -> list[str]:
    """A square matrix of the expected answer left out (``μ + w`` for ``μ + Σw``)."""
    out = []
    for m in sorted(ev.expected.atoms(sp.MatrixSymbol), key=str):
        if m.shape[0] != m.shape[1]:
            continue
        gone = mutated(ev, ev.points, lambda v, n=m.name: {**v, n: identity(v[n].shape[0])})
        rel = relation(ev, ev.your_values, gone, ev.valid())
        if rel is not None:
            out.append(with_factor(f"{display(m.name)} is missing (as if {display(m.name)} = I)",
                                    rel))
    return out


def rule_other_answer(ev: Evidence) -> list[str]:
    out = []
    idx = ev.valid()
    for oid, (expr, question) in ev.others.items():
        if oid == ev.answer_id:
            continue
        if not may_equal(ev, ev.your_values, expr, idx):
            continue  # differs from yours at a probe point already
        theirs = ev.values_of(expr)
        if is_identity(relation(ev, theirs, ev.expected_values, idx)):
            continue  # the same answer as this id's
        if is_identity(relation(ev, ev.your_values, theirs, idx)):
            out.append(f"your answer is the expected answer of {oid} ({question})")
    return out


def rule_symbols(ev: Evidence) -> list[str]:
    """Names your answer uses and the expected one does not — a name the question ties to
    another (a2 where it fixes a1 = a2) is that other name."""
    def names(e: sp.Basic) -> set[str]:
        found = set(scalar_names(e)) | {m.name for m in e.atoms(sp.MatrixSymbol)}
        return {ev.ties.get(n, n) for n in found}

    extra = names(ev.yours) - names(ev.expected) - {"d", "k"}
    if not extra:
        return []
    names = ", ".join(display(n) for n in sorted(extra))
    return [f"your answer depends on {names}, which the expected answer does not"]


#: The rules, in the order their findings are reported.
RULES: tuple[Callable[[Evidence], list[str]], ...] = (
    rule_shape,
    rule_undefined,
    rule_factor,
    rule_inverse,
    rule_transpose,
    rule_missing_matrix,
    rule_terms,
    rule_branches,
    rule_min_max,
    rule_regions,
    rule_nearly,
    rule_other_answer,
    rule_symbols,
)


def diagnose(ev: Evidence) -> list[str]:
    """Every finding of :data:`RULES` for a refuted answer, without repeats."""
    found: list[str] = []
    for rule in RULES:
        try:
            messages = rule(ev)
        except (ArithmeticError, ValueError, TypeError, EvaluationError):
            messages = []  # a rule whose mutation has no value for this answer finds nothing
        for msg in messages:
            if msg not in found:
                found.append(msg)
    return found
