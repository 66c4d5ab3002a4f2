"""Why a refuted answer is wrong: the common mistakes, recognised from numbers.

Every rule compares the values of your answer at the sampled points with the values of a
*mutated* expected answer — the expected answer scaled, with one additive term dropped or
negated, with ``Σ`` replaced by ``Σ⁻¹``, with ``A`` and ``Aᵀ`` exchanged, or another id's
answer — and reports the mutation that matches at every point. Mutating values instead of
formulas keeps the rules short: ``A ↔ Aᵀ`` is the expected answer evaluated at ``Aᵀ``.

The rules, in the order they are reported (:data:`RULES`):

* shape: a scalar where a ``d×1`` vector is expected, a transposed result, ``d×1`` vs ``k×1``;
* undefined: your answer has no value at some admissible point;
* constant factor (named: "your answer is 2× the expected one"), wrong sign (−1×), or a
  factor of one symbol's power ("λ²×");
* ``Σ⁻¹`` in place of ``Σ``; transposed or swapped factors (``AᵀA`` vs ``AAᵀ``);
* a missing additive term (``+ c``), a term of the wrong sign, an extra term;
* right only on part of the domain (e.g. only at the tie ``a1 = a2``);
* the expected answer of another id; symbols the expected answer does not use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations import symbols as S
from derivations.checker.case_splits import comparisons, scalar_symbols
from derivations.checker.evaluating import (
    UNDEFINED,
    EvaluationError,
    Mat,
    agree,
    identity,
    to_float,
    value,
)
from derivations.checker.reading import shape_text
from derivations.checker.sampling import Point, positive_definite_names
from derivations.checker.tokens import UNICODE_NAMES
from derivations.matrix_identities import shape_of

#: How the sheet's names are shown in messages: the letter the parser reads as each name,
#: the first one listed where two read the same (``μ``, not the micro sign ``µ``).
DISPLAY = {
    name: letter for letter, name in reversed(UNICODE_NAMES.items()) if name in S.BY_NAME
}


def display(name: str) -> str:
    """The sheet's way to write a name: ``Sigma`` → ``Σ``.

    >>> display("Sigma"), display("mu"), display("lambda"), display("gamma"), display("a1")
    ('Σ', 'μ', 'λ', 'γ', 'a1')
    """
    return DISPLAY.get(name, name)


def _text(expr: sp.Basic) -> str:
    text = sp.sstr(expr)
    for name in sorted(DISPLAY, key=len, reverse=True):
        text = text.replace(name, DISPLAY[name])
    for a, b in ((".T", "ᵀ"), ("**(-1)", "⁻¹"), ("**2", "²"), ("*", "·")):
        text = text.replace(a, b)
    return text


def pretty(expr: sp.Basic) -> str:
    """A short one-line rendering with the sheet's letters: ``Sigma*w`` → ``Σ·w``.

    >>> from derivations.symbols import A, w, lam, Sigma, mu
    >>> pretty(A * A.T * w / (2 * lam)), pretty(mu + Sigma.I * w)
    ('A·Aᵀ·w/(2·λ)', 'Σ⁻¹·w + μ')
    """
    if isinstance(expr, sp.MatMul):
        mats = [a for a in expr.args if isinstance(a, MatrixExpr)]
        num, den = sp.fraction(sp.Mul(*[a for a in expr.args if not isinstance(a, MatrixExpr)]))
        if den != 1 and mats:
            top = sp.MatMul(*mats) if num == 1 else sp.MatMul(num, *mats)
            return f"{_text(top)}/({_text(den)})"
    return _text(expr)


def fraction_text(x: float) -> str:
    """``2.0`` → ``"2"``, ``0.5`` → ``"1/2"``, ``-1/3`` → ``"-1/3"``, else 4 digits.

    >>> fraction_text(2.0), fraction_text(0.5), fraction_text(-1 / 3), fraction_text(0.1234567)
    ('2', '1/2', '-1/3', '0.1235')
    """
    f = Fraction(x).limit_denominator(24)
    if abs(float(f) - x) <= 1e-9 * max(1.0, abs(x)):
        return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    return f"{x:.4g}"


def is_finite(v: Any) -> bool:
    """True when every entry of the float value ``v`` is a finite number."""
    try:
        return bool(np.all(np.isfinite(np.asarray(v, dtype=float))))
    except (TypeError, ValueError):
        return False


def close(a: Any, b: Any, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """``a ≈ b`` in floating point — only to *name* a mistake; verdicts are exact."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not (is_finite(a) and is_finite(b)):
        return False
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.abs(a - b) <= atol + rtol * max(scale, 1.0)))


@dataclass
class Evidence:
    """What the rules look at: both answers, the points, the exact values there (and their
    floats, for the heuristics that name a mistake)."""

    answer_id: str
    yours: sp.Basic
    expected: sp.Basic
    points: list[Point]
    exact_yours: list[Any]
    exact_expected: list[Any]
    square_only: bool = False
    others: dict[str, tuple[sp.Basic, str]] = field(default_factory=dict)  # id -> (expr, q)
    zero_over_zero: bool = False
    #: The points where the two answers differ, as the verdict's comparison found them (at
    #: 45 digits and again at 380); None: compare here (:func:`agree`).
    differ: frozenset[int] | None = None

    def __post_init__(self) -> None:
        self.your_values = [to_float(v) for v in self.exact_yours]
        self.expected_values = [to_float(v) for v in self.exact_expected]

    def exact_of(self, expr: sp.Basic, points: Sequence[Point] | None = None) -> list[Any]:
        out = []
        for p in points if points is not None else self.points:
            try:
                out.append(value(expr, p.values, self.zero_over_zero))
            except (EvaluationError, KeyError, IndexError, TypeError, ValueError):
                out.append(UNDEFINED)
        return out

    def values_of(self, expr: sp.Basic, points: Sequence[Point] | None = None) -> list[Any]:
        return [to_float(v) for v in self.exact_of(expr, points)]

    def valid(self) -> list[int]:
        """Indices of the points where the expected answer is defined."""
        return [i for i, v in enumerate(self.expected_values) if is_finite(v)]


# The float path below (``_ratio``, ``relation``) only names a likely mistake (a symbol's
# power as a factor); it never decides a verdict, which is exact (verdict._compare). Its
# tolerances are loose on purpose: 1e-6 relative for "the same ratio", 1e-20/1e-16 for "both
# zero" on values of order 1e-3..1e3.
def _ratio(y: Any, e: Any) -> float | None | bool:
    """``r`` with ``y ≈ r·e``; True if both ≈ 0; None if no such ``r``."""
    y, e = np.asarray(y, dtype=float), np.asarray(e, dtype=float)
    if y.shape != e.shape or not (is_finite(y) and is_finite(e)):
        return None
    ee = float(np.sum(e * e))
    if ee <= 1e-20:
        return True if float(np.sum(y * y)) <= 1e-16 else None
    r = float(np.sum(y * e)) / ee
    return r if close(y, r * e) else None


def scalar_names(*exprs: sp.Basic) -> list[str]:
    """The names of the scalar symbols of ``exprs``, sorted."""
    return sorted(s.name for s in scalar_symbols(*exprs))


def relation(ev: Evidence, ys: Sequence[Any], es: Sequence[Any], idx: Sequence[int]):
    """``(c, f)`` with ``yours = c·f·other`` at the points ``idx`` (f a symbol's power), or None.

    ``c`` is a float, ``f`` a SymPy expression (1 when the factor is constant).
    """
    ratios: list[tuple[int, float]] = []
    for i in idx:
        r = _ratio(ys[i], es[i])
        if r is None:
            return None
        if r is not True:
            ratios.append((i, float(r)))
    if len(ratios) < 3:  # too few to tell a symbol's power: one constant, or none
        if not ratios:
            return (1.0, sp.S.One) if idx else None
        r0 = ratios[0][1]
        same = all(abs(r - r0) <= 1e-6 * max(1.0, abs(r0)) for _, r in ratios)
        return (r0, sp.S.One) if same else None
    candidates: list[sp.Expr] = [sp.S.One]
    for name in scalar_names(ev.yours, ev.expected):
        sym = sp.Symbol(name)
        candidates += [sym, sym**-1, sym**2, sym**-2]
    for f in candidates:
        qs = []
        for i, r in ratios:
            fv = float(to_float(value(f, ev.points[i].values))) if f != 1 else 1.0
            if fv == 0 or not np.isfinite(fv):
                break
            qs.append(r / fv)
        else:
            q0 = float(np.median(qs))
            if all(abs(q - q0) <= 1e-6 * max(1.0, abs(q0)) for q in qs):
                return q0, f
    return None


def number_text(x: Any) -> str:
    """An exact number as the sheet writes it: ``2``, ``-1/3``; others to 6 digits.

    >>> number_text(Fraction(4, 2)), number_text(Fraction(-1, 3)), number_text(0.1234567)
    ('2', '-1/3', '0.123457')
    """
    if x is UNDEFINED:
        return "undefined"
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "undefined" if not np.isfinite(f) else f"{f:.6g}"


def factor_text(c: float, f: sp.Expr) -> str:
    """``2×``, ``-1×``, ``2·λ×``: the factor ``c·f`` as text."""
    if f == 1:
        return f"{fraction_text(c)}×"
    frac = Fraction(c).limit_denominator(24)
    exact = abs(float(frac) - c) <= 1e-9 * max(1.0, abs(c))
    coeff = sp.Rational(frac.numerator, frac.denominator) if exact else sp.Float(c, 4)
    return f"{pretty(coeff * f)}×"


def _is_identity(rel: tuple[float, sp.Expr] | None) -> bool:
    return rel is not None and rel[1] == 1 and abs(rel[0] - 1) <= 1e-6


def _with_factor(message: str, rel: tuple[float, sp.Expr]) -> str:
    return message if _is_identity(rel) else f"{message}, and off by a factor {factor_text(*rel)}"


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
            return [*out, _with_factor("your answer is the transpose of the expected one", rel)]
    return [*out, f"your answer is a {shape_text(ysh)}, the expected one a {shape_text(esh)}"]


def rule_undefined(ev: Evidence) -> list[str]:
    bad = [i for i in ev.valid() if not is_finite(ev.your_values[i])]
    if not bad:
        return []
    return [
        f"your answer is undefined at {len(bad)} of {len(ev.valid())} admissible points "
        "(a division by zero or a singular inverse)"
    ]


def rational_entries(y: Any, e: Any) -> tuple[list[Fraction], list[Fraction]] | None:
    """The entries of two exact values of one shape (scalars: one entry each), or None."""
    if isinstance(e, Mat) != isinstance(y, Mat) or (isinstance(e, Mat) and e.shape != y.shape):
        return None
    ys = [x for r in y.rows for x in r] if isinstance(y, Mat) else [y]
    es = [x for r in e.rows for x in r] if isinstance(e, Mat) else [e]
    if not all(isinstance(x, Fraction) for x in ys + es):
        return None
    return ys, es


#: What :func:`exact_ratio` says when both values are 0 (any ratio fits).
BOTH_ZERO = "both zero"


def exact_ratio(y: Any, e: Any) -> Fraction | None | str:
    """``r`` with ``y = r·e`` exactly (rational values); :data:`BOTH_ZERO` if both are 0;
    None if there is no such ``r``."""
    pair = rational_entries(y, e)
    if pair is None:
        return None
    ys, es = pair
    pivot = next((j for j, x in enumerate(es) if x != 0), None)
    if pivot is None:
        return BOTH_ZERO if all(x == 0 for x in ys) else None
    r = ys[pivot] / es[pivot]
    return r if all(a == r * b for a, b in zip(ys, es, strict=True)) else None


def constant_factor(ev: Evidence, ys: Sequence[Any], idx: Sequence[int]) -> Fraction | None:
    """The exact constant ``c`` with ``ys = c·expected`` at every point of ``idx``, if any."""
    ratios = {exact_ratio(ys[i], ev.exact_expected[i]) for i in idx} - {BOTH_ZERO}
    if len(ratios) == 1 and None not in ratios:
        return ratios.pop()
    return None


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
    if rel is None or _is_identity(rel):
        return []
    c, f = rel
    if f == 1 and abs(c + 1) <= 1e-6:
        return ["wrong sign: your answer is -1× the expected one"]
    return [f"your answer is {factor_text(c, f)} the expected one"]


def _mutated(ev: Evidence, points: list[Point], change: Callable[[dict], dict]) -> list[Any]:
    """The expected answer at ``points`` with their values changed by ``change``."""
    moved = []
    for p in points:
        try:
            moved.append(Point(change(dict(p.values)), p.region, p.kind))
        except (ArithmeticError, ValueError):
            moved.append(Point({}, p.region, p.kind))  # no value there
    return ev.values_of(ev.expected, moved)


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
        es = _mutated(ev, ev.points, lambda v, n=m.name: {**v, n: _inverse_of(v[n])})
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
        out.append(_with_factor(msg, rel))
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
        es = _mutated(ev, ev.points, lambda v, n=m.name: {**v, n: v[n].T})
        ys = ev.your_values
        rel = relation(ev, ys, es, idx)
        if rel is None:
            continue
        hold = sp.MatrixSymbol(f"{m.name}__T", m.shape[1], m.shape[0])
        swapped = ev.expected.xreplace({m.T: hold, m: m.T}).xreplace({hold: m})
        have, want = _factors_with(swapped, m), _factors_with(ev.expected, m)
        detail = f" ({have} where {want} is expected)" if have and want else ""
        out.append(_with_factor(f"transposed or swapped factors{detail}", rel))
    return out


def _terms(expr: sp.Basic) -> tuple[sp.Basic, ...]:
    return expr.args if isinstance(expr, (sp.Add, sp.MatAdd)) else (expr,)


def rule_terms(ev: Evidence) -> list[str]:
    out = []
    idx = ev.valid()
    terms = _terms(ev.expected)
    if len(terms) > 1:
        for t in terms:
            tv = ev.values_of(t)
            minus = [e - v for e, v in zip(ev.expected_values, tv, strict=True)]
            rel = relation(ev, ev.your_values, minus, idx)
            if rel is not None:
                out.append(_with_factor(f"missing additive term: + {pretty(t)}", rel))
                continue
            flipped = [e - 2 * v for e, v in zip(ev.expected_values, tv, strict=True)]
            if _is_identity(relation(ev, ev.your_values, flipped, idx)):
                out.append(f"wrong sign of the term {pretty(t)}")
                continue
            # Your version of the term, if all other terms are right: off by a factor?
            own = [
                y - (e - v) for y, e, v in zip(ev.your_values, ev.expected_values, tv, strict=True)
            ]
            rel = relation(ev, own, tv, idx)
            if rel is not None and not _is_identity(rel) and abs(rel[0]) > 1e-9:
                out.append(f"the term {pretty(t)} is {factor_text(*rel)} what it should be")
    yours = _terms(ev.yours)
    if len(yours) > 1:
        for t in yours:
            tv = ev.values_of(t)
            rest = [y - v for y, v in zip(ev.your_values, tv, strict=True)]
            if _is_identity(relation(ev, rest, ev.expected_values, idx)):
                out.append(f"an extra additive term: {pretty(t)}")
    return out


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


def shown_region(label: str) -> str:
    """A region's label with the sheet's letters: ``0 < lambda`` → ``0 < λ``."""
    return " ".join(display(w) for w in label.split(" "))


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


def rule_min_max(ev: Evidence) -> list[str]:
    """``max`` in place of ``min`` (or the other way round)."""
    if not ev.expected.has(sp.Min, sp.Max):
        return []
    swapped = ev.expected.xreplace({m: sp.Max(*m.args) for m in ev.expected.atoms(sp.Min)} |
                                   {m: sp.Min(*m.args) for m in ev.expected.atoms(sp.Max)})
    theirs = ev.exact_of(swapped)
    idx = ev.valid()
    if idx and all(agree(ev.exact_yours[i], theirs[i]) for i in idx):
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
    theirs = ev.exact_of(swapped)
    idx = ev.valid()
    if idx and all(agree(ev.exact_yours[i], theirs[i]) for i in idx):
        return [f"the piecewise branches are swapped: {pretty(v2)} where {pretty(c1)}, "
                f"{pretty(v1)} elsewhere"]
    return []


def rule_missing_matrix(ev: Evidence) -> list[str]:
    """A square matrix of the expected answer left out (``μ + w`` for ``μ + Σw``)."""
    out = []
    for m in sorted(ev.expected.atoms(sp.MatrixSymbol), key=str):
        if m.shape[0] != m.shape[1]:
            continue
        gone = _mutated(ev, ev.points, lambda v, n=m.name: {**v, n: identity(v[n].shape[0])})
        rel = relation(ev, ev.your_values, gone, ev.valid())
        if rel is not None:
            out.append(_with_factor(f"{display(m.name)} is missing (as if {display(m.name)} = I)",
                                    rel))
    return out


def rule_other_answer(ev: Evidence) -> list[str]:
    out = []
    idx = ev.valid()
    for oid, (expr, question) in ev.others.items():
        if oid == ev.answer_id:
            continue
        theirs = ev.values_of(expr)
        if _is_identity(relation(ev, theirs, ev.expected_values, idx)):
            continue  # the same answer as this id's
        if _is_identity(relation(ev, ev.your_values, theirs, idx)):
            out.append(f"your answer is the expected answer of {oid} ({question})")
    return out


def rule_symbols(ev: Evidence) -> list[str]:
    extra = set(scalar_names(ev.yours)) | {m.name for m in ev.yours.atoms(sp.MatrixSymbol)}
    known = set(scalar_names(ev.expected)) | {m.name for m in ev.expected.atoms(sp.MatrixSymbol)}
    extra -= known | {"d", "k"}
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
