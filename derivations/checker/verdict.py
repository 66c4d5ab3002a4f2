"""Check a typed answer against the derived one: proof, counterexample, diagnosis.

``python -m derivations check ID ANSWER`` and :func:`check`. The expected answer is read from
:mod:`derivations.answers` (never typed here). The verdicts and what each guarantees:

* ``PROVED`` — the difference is 0 under the id's assumptions for every dimension and every
  admissible value (:mod:`~derivations.checker.proving`, a sound prover, run in a worker
  process with a time budget, :mod:`~derivations.checker.time_limit`); the exact comparison
  below found no difference either.
* ``NUMERICALLY EQUAL`` — no proof within the budget, but equal in exact rational arithmetic
  at every compared point (:mod:`~derivations.checker.sampling`: every ordering region and
  its ties, each parameter over 1e-3 … 1e3, both sides of every rational breakpoint), or to
  380 digits where an answer is not rational; and every piece of the case structure settled
  (:mod:`~derivations.checker.pieces`: contradictory, cancelling, or with compared points
  strictly inside). For rational functions this is a probabilistic proof on each piece
  (Schwartz–Zippel). The message says how many points, of which kinds.
* ``REFUTED`` — a point where the two differ, confirmed exactly, with both results and the
  likely mistake (:mod:`~derivations.checker.diagnosing`). **This is where the checker
  decides REFUTED**: :func:`_compare` finds the points where :func:`evaluating.agree` fails.
* ``CANNOT CHECK`` — unreadable answer, unknown name, shapes that do not fit: the message
  says what and where; or not decided (no proof, no difference, a piece left open).

A counterexample always wins over a proof. For ``2b.*`` the sheet's LRP convention holds: a
quotient 0/0 counts as 0. An answer in the general-``M`` notation of Exercise 3
(``\\min_j h_j``) is checked for every ``M`` of :data:`derivations.answers.GENERAL_M`.
Exit status: 0 PROVED / NUMERICALLY EQUAL (checked and right), 1 REFUTED, 2 otherwise.

>>> r = check("1a", r"\\frac{\\mathbf{w}}{2\\lambda}")
>>> r.verdict.value, r.interpretation.text, r.exit_status
('PROVED', '(1/(2*lambda))*w', 0)
>>> r = check("1b", "mu + inv(Sigma) w")
>>> r.verdict.value, r.diagnosis
('REFUTED', ['Σ⁻¹ in place of Σ'])
>>> check("1a", "0.49999999*w/lambda").verdict.value
'REFUTED'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from derivations import answers
from derivations import symbols as S
from derivations.checker import evaluating as ev
from derivations.checker.case_splits import describe
from derivations.checker.diagnosing import Evidence, diagnose, display, number_text, shown_region
from derivations.checker.evaluating import UNDEFINED, EvaluationError, Mat, agree, is_exact
from derivations.checker.pieces import Coverage, settle
from derivations.checker.proving import apply_conditions, orient_scalars, prove_equal
from derivations.checker.reading import AnswerSyntaxError, Parsed, instantiate, parse_answer
from derivations.checker.sampling import (
    Conditions,
    Point,
    describe_points,
    make_draw,
    regions_of,
    sample_points,
)
from derivations.checker.time_limit import Outcome, call_with_timeout
from derivations.printing import latex as sheet_latex

#: Fewest points at which the expected answer is defined, for a numeric verdict.
MIN_POINTS = 20

#: Points drawn per check (more where there are many regions), before the boundary points.
POINTS = 30

#: Most seconds spent settling the pieces of an answer that was not proved.
SETTLE_SECONDS = 2.0


class Verdict(Enum):
    """The four outcomes of a check, with their exit status."""

    PROVED = "PROVED"
    NUMERICALLY_EQUAL = "NUMERICALLY EQUAL"
    REFUTED = "REFUTED"
    CANNOT_CHECK = "CANNOT CHECK"

    @property
    def exit_status(self) -> int:
        return {"PROVED": 0, "NUMERICALLY EQUAL": 0, "REFUTED": 1}.get(self.value, 2)


@dataclass(frozen=True)
class Interpretation:
    """How the answer was read: as SymPy text and LaTeX, with notes on readings."""

    text: str
    latex: str
    notes: tuple[str, ...] = ()
    notation: str = "text"


@dataclass(frozen=True)
class Counterexample:
    """A point of the domain where the answers differ: the values and both results."""

    values: dict[str, Any]
    yours: Any
    expected: Any
    region: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": {n: _plain(v) for n, v in self.values.items()},
            "yours": _plain(self.yours),
            "expected": _plain(self.expected),
            "region": self.region,
            "text": self.text(),
        }

    def text(self) -> str:
        at = ", ".join(f"{display(n)} = {format_value(v)}" for n, v in self.values.items())
        where = f" (region {shown_region(self.region)})" if self.region else ""
        return (
            f"at {at}{where}: your answer = {format_value(self.yours)}, "
            f"expected = {format_value(self.expected)}"
        )


@dataclass(frozen=True)
class CheckResult:
    """The outcome of :func:`check`."""

    answer_id: str
    answer: str
    verdict: Verdict
    interpretation: Interpretation | None
    counterexample: Counterexample | None
    diagnosis: list[str] = field(default_factory=list)
    message: str = ""
    sample_points: int = 0  # the points compared (the score of a grade is another thing)
    #: where an unreadable answer could not be read, counted from 1 (the first character is
    #: 1, as the message says it); None for a read answer
    position: int | None = None

    @property
    def exit_status(self) -> int:
        return self.verdict.exit_status

    def to_dict(self) -> dict[str, Any]:
        interp = self.interpretation
        return {
            "id": self.answer_id,
            "answer": self.answer,
            "verdict": self.verdict.value,
            "interpretation": None
            if interp is None
            else {
                "text": interp.text,
                "latex": interp.latex,
                "notes": list(interp.notes),
                "notation": interp.notation,
            },
            "counterexample": None
            if self.counterexample is None
            else self.counterexample.to_dict(),
            "diagnosis": list(self.diagnosis),
            "message": self.message,
            "sample_points": self.sample_points,
            "position": self.position,
        }

    def to_json(self) -> str:
        """The result as a JSON object (verdict, interpretation, counterexample, diagnosis)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def report(self) -> str:
        """The result as text for a terminal."""
        lines = [f"{self.verdict.value}: {self.message}"]
        if self.interpretation is not None:
            lines.append(f"  read as         {self.interpretation.text}")
            lines.append(f"  LaTeX           {self.interpretation.latex}")
            lines += [f"  note            {n}" for n in self.interpretation.notes]
        if self.counterexample is not None:
            lines.append(f"  counterexample  {self.counterexample.text()}")
        lines += [f"  diagnosis       {d}" for d in self.diagnosis]
        return "\n".join(lines)


def _plain(v: Any) -> Any:
    """A JSON-ready value: numbers (floats), lists of lists, None where undefined."""
    if isinstance(v, Mat):
        return [[_plain(x) for x in row] for row in v.rows]
    if isinstance(v, np.ndarray):
        return [[_plain(x) for x in row] for row in v.tolist()] if v.ndim == 2 else v.tolist()
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if v is UNDEFINED:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return x if np.isfinite(x) else None


def format_value(v: Any) -> str:
    """``(1, -1/2)ᵀ`` for a d×1 vector, ``[[1, 0], [0, 1]]`` for a matrix, ``2`` for a number.

    >>> format_value(Mat.of([[1], ["-1/2"]])), format_value(Fraction(3)), format_value(Mat.of(
    ...     [[1, 0], [0, 1]]))
    ('(1, -1/2)ᵀ', '3', '[[1, 0], [0, 1]]')
    """
    if isinstance(v, Mat):
        rows, cols = v.shape
        if cols == 1 and rows > 1:
            return "(" + ", ".join(number_text(r[0]) for r in v.rows) + ")ᵀ"
        if rows == 1 and cols > 1:
            return "(" + ", ".join(number_text(x) for x in v.rows[0]) + ")"
        if (rows, cols) == (1, 1):
            return f"[{number_text(v.rows[0][0])}]"
        return "[" + ", ".join("[" + ", ".join(number_text(x) for x in r) + "]"
                               for r in v.rows) + "]"
    return number_text(v)


def cannot_check(answer_id: str, answer: str, message: str, interp=None) -> CheckResult:
    """The CANNOT CHECK result of ``answer`` for ``answer_id``, saying why (``message``)."""
    return CheckResult(answer_id, answer, Verdict.CANNOT_CHECK, interp, None, [], message)


def answer_ids() -> tuple[str, ...]:
    """The ids :func:`check` knows (those of :mod:`derivations.answers`)."""
    return answers.ANSWER_IDS


def _others(square: bool, conditions: sp.Basic) -> dict[str, tuple[sp.Basic, str]]:
    """The other ids' answers posed under the same conditions (to name a mix-up)."""
    out = {}
    for oid in answers.ANSWER_IDS:
        spec = answers.spec(oid)
        if spec.conditions != conditions:
            continue
        expr = spec.expr.xreplace({S.k: S.d}) if square else spec.expr
        out[oid] = (expr, spec.question)
    return out


def _shown_names(yours: sp.Basic, expected: sp.Basic, conditions: Conditions) -> list[str]:
    names = {s.name for e in (yours, expected) for s in e.free_symbols if not s.is_integer}
    for tie, keep in conditions.ties.items():  # show both sides of a tie a1 = a2
        if tie in names or keep in names:
            names |= {tie, keep}
    mats = [m for e in (yours, expected) for m in e.atoms(sp.MatrixSymbol)]
    used = set().union(*(sp.sympify(x).free_symbols for m in mats for x in m.shape))
    dims = [n.name for n in (S.d, S.k) if n in used]
    order = list(S.BY_NAME)
    rank = {n: i for i, n in enumerate(order)}
    return dims + sorted(names - {"d", "k"}, key=lambda n: (rank.get(n, len(order)), n))


def check(
    answer_id: str, answer: str, *, latex: bool | None = None, timeout: float = 3.0
) -> CheckResult:
    """Check ``answer`` for the sheet's answer ``answer_id`` (see the module docstring).

    ``latex``: read as LaTeX (True), as text (False), or decide by a backslash (None).
    ``timeout``: seconds for the symbolic proof; past it the exact comparison decides.
    """
    try:
        spec = answers.spec(answer_id)
    except KeyError:
        ids = ", ".join(answer_ids())
        return cannot_check(answer_id, answer, f"unknown answer id {answer_id!r} (the ids: {ids})")
    try:
        parsed = parse_answer(answer, latex)
    except AnswerSyntaxError as exc:  # the message says where, counted from 1, with a caret
        return replace(cannot_check(answer_id, answer, exc.located(answer)),
                       position=exc.column)
    except (RecursionError, MemoryError, OverflowError, TypeError, ValueError) as exc:
        return cannot_check(answer_id, answer, f"cannot read the answer ({type(exc).__name__})")
    try:
        if parsed.general:
            return _general(answer_id, answer, spec, parsed, timeout)
        return _verdict(answer_id, answer, spec, parsed, spec.expr, timeout)
    except (RecursionError, MemoryError, OverflowError) as exc:  # an answer too big to handle
        return cannot_check(answer_id, answer, f"the answer is too complex ({type(exc).__name__})")


def _interpretation(parsed: Parsed) -> Interpretation:
    return Interpretation(sp.sstr(parsed.expr), sheet_latex(parsed.expr), parsed.notes,
                          "latex" if parsed.latex else "text")


def _general(answer_id: str, answer: str, spec, parsed: Parsed, timeout: float) -> CheckResult:
    """An answer for any number M of units (``\\min_j h_j``): checked for each M of
    :data:`derivations.answers.GENERAL_M` (M = 3 for an id without one)."""
    ms = answers.GENERAL_M.get(answer_id, range(3, 4))
    results = []
    for m in ms:
        expected = answers.for_m(answer_id, m) if answer_id in answers.GENERAL_M else spec.expr
        at_m = replace(parsed, expr=instantiate(parsed.expr, m))
        r = _verdict(answer_id, answer, spec, at_m, expected, timeout / len(ms),
                     f"{timeout:g} s shared by the {len(ms)} values of M")
        if r.verdict in (Verdict.REFUTED, Verdict.CANNOT_CHECK):
            message = f"for M = {m} unit{'' if m == 1 else 's'}: {r.message}"
            return replace(r, message=message, interpretation=_interpretation(parsed))
        results.append(r)
    verdict = (Verdict.PROVED if all(r.verdict is Verdict.PROVED for r in results)
               else Verdict.NUMERICALLY_EQUAL)
    span = f"M = {ms[0]}, …, {ms[-1]}" if len(ms) > 1 else f"M = {ms[0]}"
    total = sum(r.sample_points for r in results)
    message = f"for every {span} units ({total} points in all); for M = {ms[-1]}: " \
              f"{results[-1].message}"
    return CheckResult(answer_id, answer, verdict, _interpretation(parsed), None, [], message,
                       total)


@dataclass(frozen=True)
class _Comparison:
    """Both answers at the points: the exact values, where the expected one is defined, and
    where the two differ."""

    points: list[Point]
    yours: list[Any]
    expected: list[Any]
    valid: list[int]
    differ: list[int]

    @property
    def exact(self) -> bool:
        """Whether every value compared (both defined) was exact."""
        return all(is_exact(self.yours[i]) and is_exact(self.expected[i]) for i in self.valid
                   if ev.is_defined(self.yours[i]))


def _compare(yours: sp.Basic, expected: sp.Basic, points: list[Point],
             zero_over_zero: bool) -> _Comparison:
    """The exact comparison that decides REFUTED: every point where the expected answer has
    a value and yours does not agree with it (:func:`evaluating.agree`). Inexact values
    that agree to :data:`~evaluating.AGREE_DIGITS` digits get a second look at
    :data:`~evaluating.PRECISE_DIGITS` digits."""
    ys = [ev.value(yours, p.values, zero_over_zero) for p in points]
    es = [ev.value(expected, p.values, zero_over_zero) for p in points]
    valid = [i for i, e in enumerate(es) if ev.is_defined(e)]
    differ = [i for i in valid if not agree(ys[i], es[i])]
    for i in valid:
        if i in differ or (is_exact(ys[i]) and is_exact(es[i])):
            continue
        y = ev.value(yours, points[i].values, zero_over_zero, ev.PRECISE_DIGITS)
        e = ev.value(expected, points[i].values, zero_over_zero, ev.PRECISE_DIGITS)
        if not agree(y, e, ev.PRECISE_AGREE):
            ys[i], es[i] = y, e
            differ.append(i)
    return _Comparison(points, ys, es, valid, sorted(differ))


def _size(point: Point, names: Sequence[str]) -> int:
    """How hard a point is to read: the digits of the shown values (small ones first)."""
    total = 0
    for n in names:
        v = point.values.get(n)
        entries = [x for r in v.rows for x in r] if isinstance(v, Mat) else [v]
        total += sum(len(str(abs(x.numerator))) + len(str(x.denominator)) - 1
                     for x in entries if isinstance(x, Fraction))
    return total


def _verdict(answer_id: str, answer: str, spec, parsed: Parsed, expected_expr: sp.Basic,
             timeout: float, budget: str | None = None) -> CheckResult:
    interp = _interpretation(parsed)
    yours = parsed.expr
    expected = expected_expr.xreplace({S.k: S.d}) if parsed.square_only else expected_expr
    conditions = Conditions.parse(spec.conditions)
    points = sample_points([yours, expected], conditions, n=POINTS, seed=0,
                           square=parsed.square_only)
    zero_over_zero = spec.zero_over_zero  # the sheet's LRP convention
    try:
        cmp = _compare(yours, expected, points, zero_over_zero)
    except (EvaluationError, ValueError, TypeError, IndexError, KeyError) as exc:
        return cannot_check(answer_id, answer, f"cannot evaluate the answer: {exc}", interp)
    if len(cmp.valid) < MIN_POINTS:
        return cannot_check(
            answer_id, answer,
            f"the expected answer is defined at only {len(cmp.valid)} of {len(points)} points",
            interp,
        )
    if cmp.differ:
        return _refuted(answer_id, answer, spec, parsed, interp, expected, conditions, cmp,
                        zero_over_zero)
    if parsed.square_only:
        return cannot_check(
            answer_id, answer,
            "your answer is defined only when d = k "
            f"({parsed.square_because}); the question has arbitrary d and k",
            interp,
        )
    orderings, _ = regions_of([yours, expected], conditions)
    if yours == expected:  # nothing to prove: no worker process needed
        outcome = Outcome("ok", "identical after reading")
    else:
        outcome = call_with_timeout(prove_equal, (yours, expected, spec.conditions), timeout)
    if outcome.status == "ok" and outcome.value:
        checked = _evidence([cmp.points[i] for i in cmp.valid], orderings, cmp.exact)
        return CheckResult(answer_id, answer, Verdict.PROVED, interp, None, [],
                           f"{outcome.value} (and {checked})", len(cmp.valid))
    why = {
        "ok": "the simplification found no proof",
        "timeout": f"no proof within the budget ({budget or f'{timeout:g} s'})",
    }.get(outcome.status, "the symbolic attempt failed")
    cover = _settle(yours, expected, spec, parsed, [cmp.points[i] for i in cmp.valid], timeout)
    if cover.found:
        found = [Point(v, None, "piece") for v in cover.found]
        cmp = _compare(yours, expected, cmp.points + found, zero_over_zero)
        if cmp.differ:
            return _refuted(answer_id, answer, spec, parsed, interp, expected, conditions, cmp,
                            zero_over_zero)
    checked = _evidence([cmp.points[i] for i in cmp.valid], orderings, cmp.exact)
    if cover.open:
        where = "; ".join(cover.open[:2]) + (" …" if len(cover.open) > 2 else "")
        return cannot_check(
            answer_id, answer,
            f"not decided: {why}, and although the answers agree ({checked}), "
            f"{len(cover.open)} piece(s) of the case structure were neither reached by a point "
            f"nor shown empty or equal ({where}); a difference there cannot be ruled out",
            interp,
        )
    return CheckResult(answer_id, answer, Verdict.NUMERICALLY_EQUAL, interp, None, [],
                       f"{why}; {checked}; {cover.sentence()}", len(cmp.valid))


def _settle(yours: sp.Basic, expected: sp.Basic, spec, parsed: Parsed, points: list[Point],
            timeout: float) -> Coverage:
    """Every piece of ``yours − expected`` settled (:mod:`~derivations.checker.pieces`), in a
    worker process with at most :data:`SETTLE_SECONDS`."""
    (y, e), _ = apply_conditions((yours, expected), spec.conditions)
    conditions = Conditions.parse(spec.conditions)
    draw = make_draw([yours, expected], conditions, square=parsed.square_only)
    seconds = min(SETTLE_SECONDS, max(1.0, timeout))
    out = call_with_timeout(
        settle,
        (orient_scalars(y) - orient_scalars(e), [p.values for p in points], draw.kinds,
         draw.admissible, conditions.ties, 0.8 * seconds),
        seconds,
    )
    if out.status == "ok":
        return out.value
    return Coverage(open=(f"the case structure was not settled within {seconds:g} s",))


def _evidence(points: list[Point], orderings: Sequence, exact: bool) -> str:
    """What the comparison checked, and why that is evidence."""
    strata = f", in {describe(orderings, 'regions')}" if len(orderings) > 1 else ""
    arithmetic = ("in exact rational arithmetic" if exact else
                  f"to {ev.PRECISE_AGREE} significant digits ({ev.PRECISE_DIGITS}-digit"
                  " arithmetic where a value is not rational)")
    return (f"equal {arithmetic} at {describe_points(points)}{strata}: the parameters drawn"
            " from 1e-3 to 1e3, boundary points on both sides of every rational breakpoint;"
            " for rational functions, agreement at random points of a large set is a"
            " probabilistic proof on each piece (Schwartz–Zippel)")


def _refuted(answer_id, answer, spec, parsed, interp, expected, conditions, cmp,
             zero_over_zero):
    yours = parsed.expr
    names = _shown_names(yours, expected, conditions)
    i = min(cmp.differ, key=lambda j: (_size(cmp.points[j], names), j))
    point = cmp.points[i]
    cx = Counterexample(
        {n: point.values[n] for n in names if n in point.values},
        cmp.yours[i],
        cmp.expected[i],
        point.region,
    )
    evidence = Evidence(
        answer_id, yours, expected, cmp.points, cmp.yours, cmp.expected,
        parsed.square_only, _others(parsed.square_only, spec.conditions), zero_over_zero,
        frozenset(cmp.differ),
    )
    exactly = "exactly" if cmp.exact else f"to at least {ev.AGREE_DIGITS} digits"
    msg = (f"your answer differs from the expected one at {len(cmp.differ)} of "
           f"{len(cmp.valid)} points (compared {exactly})")
    return CheckResult(
        answer_id, answer, Verdict.REFUTED, interp, cx, diagnose(evidence), msg, len(cmp.valid)
    )
