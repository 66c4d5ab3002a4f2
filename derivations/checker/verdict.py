"""Check a typed answer against the derived one: proof, counterexample, diagnosis.

``python -m derivations check ID ANSWER [--latex] [--json]`` and :func:`check`. The
expected answer is read from :mod:`derivations.answers` (never typed here). The verdict:

* ``PROVED`` — the difference is 0 under the id's assumptions (:mod:`derivations.checker.proving`,
  run in a worker process with a time budget, :mod:`derivations.checker.time_limit`);
* ``NUMERICALLY EQUAL`` — no proof within the budget, but equal at ≥ 20 random points of the
  domain, stratified by region (:mod:`derivations.checker.sampling`);
* ``REFUTED`` — a point where the two differ (values and both results), with the likely
  mistake (:mod:`derivations.checker.diagnosing`);
* ``CANNOT CHECK`` — unreadable answer, unknown name, shapes that do not fit: the message
  says what and where.

Every verdict but CANNOT CHECK also runs the numeric comparison: a counterexample always
wins over a proof. Exit status: 0 PROVED / NUMERICALLY EQUAL, 1 REFUTED, 2 otherwise.

>>> r = check("1a", r"\\frac{\\mathbf{w}}{2\\lambda}")
>>> r.verdict.value, r.interpretation.text, r.exit_status
('PROVED', '(1/(2*lambda))*w', 0)
>>> r = check("1b", "mu + inv(Sigma) w")
>>> r.verdict.value, r.diagnosis
('REFUTED', ['Σ⁻¹ in place of Σ'])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
import sympy as sp

from derivations import answers
from derivations import symbols as S
from derivations.checker.case_splits import describe
from derivations.checker.diagnosing import Evidence, diagnose, display, fraction_text
from derivations.checker.evaluating import (
    EvaluationError,
    close,
    equal_exactly,
    evaluate,
    evaluate_exact,
    is_finite,
)
from derivations.checker.proving import prove_equal
from derivations.checker.reading import AnswerSyntaxError, parse_answer
from derivations.checker.sampling import Conditions, regions_of, sample_points
from derivations.checker.time_limit import Outcome, call_with_timeout
from derivations.matrix_identities import shape_of
from derivations.printing import latex as sheet_latex

#: Fewest points at which the expected answer is defined, for a numeric verdict.
MIN_POINTS = 20

#: Points drawn per check (more where there are many regions).
POINTS = 24


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
        where = f" (region {self.region})" if self.region else ""
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
    points: int = 0

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
            "points": self.points,
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
    """A JSON-ready value: floats, lists of lists, None for non-finite."""
    if isinstance(v, np.ndarray):
        return [[_plain(x) for x in row] for row in v.tolist()] if v.ndim == 2 else v.tolist()
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return x if np.isfinite(x) else None


def format_value(v: Any) -> str:
    """``2.0`` → ``2``; a d×1 array → ``(1, -2)ᵀ``; a matrix → ``[[1, 0], [0, 1]]``.

    >>> format_value(np.array([[1.0], [-0.5]])), format_value(3), format_value(np.eye(2))
    ('(1, -1/2)ᵀ', '3', '[[1, 0], [0, 1]]')
    """
    if isinstance(v, np.ndarray) and v.ndim == 2:
        if v.shape[1] == 1 and v.shape[0] > 1:
            return "(" + ", ".join(format_value(x) for x in v[:, 0]) + ")ᵀ"
        if v.shape[0] == 1 and v.shape[1] > 1:
            return "(" + ", ".join(format_value(x) for x in v[0]) + ")"
        if v.shape == (1, 1):
            return f"[{format_value(v[0, 0])}]"
        return "[" + ", ".join("[" + ", ".join(format_value(x) for x in r) + "]" for r in v) + "]"
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not np.isfinite(x):
        return "undefined"
    return fraction_text(x)


def _caret(text: str, position: int | None) -> str:
    if position is None:
        return ""
    line = text.replace("\n", " ")
    return f"\n    {line}\n    {' ' * position}^"


def _cannot(answer_id: str, answer: str, message: str, interp=None) -> CheckResult:
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
    ``timeout``: seconds for the symbolic proof; past it the numeric check decides.
    """
    try:
        spec = answers.spec(answer_id)
    except KeyError:
        ids = ", ".join(answer_ids())
        return _cannot(answer_id, answer, f"unknown answer id {answer_id!r} (the ids: {ids})")
    try:
        parsed = parse_answer(answer, latex)
    except AnswerSyntaxError as exc:
        where = f" at position {exc.position}" if exc.position is not None else ""
        return _cannot(answer_id, answer, f"{exc.message}{where}{_caret(answer, exc.position)}")
    except (RecursionError, MemoryError, OverflowError, TypeError, ValueError) as exc:
        return _cannot(answer_id, answer, f"cannot read the answer ({type(exc).__name__})")
    try:
        return _verdict(answer_id, answer, spec, parsed, timeout)
    except (RecursionError, MemoryError, OverflowError) as exc:  # an answer too big to handle
        return _cannot(answer_id, answer, f"the answer is too complex ({type(exc).__name__})")


def _verdict(answer_id: str, answer: str, spec, parsed, timeout: float) -> CheckResult:
    interp = Interpretation(
        sp.sstr(parsed.expr),
        sheet_latex(parsed.expr),
        parsed.notes,
        "latex" if parsed.latex else "text",
    )
    yours = parsed.expr
    expected = spec.expr.xreplace({S.k: S.d}) if parsed.square_only else spec.expr
    conditions = Conditions.parse(spec.conditions)
    points = sample_points(
        [yours, expected], conditions, n=POINTS, seed=0, square=parsed.square_only
    )
    try:
        ys = [evaluate(yours, p.values) for p in points]
        es = [evaluate(expected, p.values) for p in points]
    except (EvaluationError, ValueError, TypeError, IndexError, KeyError) as exc:
        return _cannot(answer_id, answer, f"cannot evaluate the answer: {exc}", interp)
    valid = [i for i, e in enumerate(es) if is_finite(e)]
    if len(valid) < MIN_POINTS:
        return _cannot(
            answer_id,
            answer,
            f"the expected answer is defined at only {len(valid)} of {len(points)} points",
            interp,
        )
    differ = [i for i in valid if not close(ys[i], es[i])]
    rounding = ""
    if differ and shape_of(yours) == shape_of(expected):
        differ, spurious, exact = _confirm(yours, expected, points, differ, min(timeout, 2.0))
        if exact is not None:
            ys[differ[0]], es[differ[0]] = exact
        if spurious:
            rounding = (
                f"; floating point disagreed at {spurious} points where exact arithmetic agrees"
            )
    if differ:
        return _refuted(
            answer_id, answer, spec, parsed, interp, expected, conditions, points, ys, es, differ,
            valid,
        )
    if parsed.square_only:
        return _cannot(
            answer_id,
            answer,
            "your answer is defined only when d = k "
            f"({parsed.square_because}); the question has arbitrary d and k",
            interp,
        )
    orderings, _ = regions_of([yours, expected], conditions)
    checked = f"equal at {len(valid)} random points{_strata(orderings)}{rounding}"
    if yours == expected:  # nothing to prove: no worker process needed
        outcome = Outcome("ok", "identical after reading")
    else:
        outcome = call_with_timeout(prove_equal, (yours, expected, spec.conditions), timeout)
    if outcome.status == "ok" and outcome.value:
        return CheckResult(
            answer_id,
            answer,
            Verdict.PROVED,
            interp,
            None,
            [],
            f"{outcome.value} (and {checked})",
            len(valid),
        )
    why = {
        "ok": "the simplification found no proof",
        "timeout": f"no proof within the {timeout:g} s budget",
    }.get(outcome.status, "the symbolic attempt failed")
    return CheckResult(
        answer_id,
        answer,
        Verdict.NUMERICALLY_EQUAL,
        interp,
        None,
        [],
        f"{why}; {checked}",
        len(valid),
    )


def _as_float(v: sp.Basic) -> Any:
    try:
        if isinstance(v, sp.MatrixBase):
            return np.array(sp.N(v), dtype=float)
        return float(sp.N(v))
    except (TypeError, ValueError):
        return np.nan


def _exact_agreement(
    yours: sp.Basic, expected: sp.Basic, values: list[dict[str, Any]]
) -> tuple[list[bool], tuple[Any, Any] | None]:
    """For each point, whether the answers agree in exact arithmetic; stops at a difference,
    whose two exact results (as floats) it also returns."""
    out = []
    for v in values:
        y, e = evaluate_exact(yours, v), evaluate_exact(expected, v)
        out.append(equal_exactly(y, e))
        if not out[-1]:
            return out, (_as_float(y), _as_float(e))
    return out, None


def _confirm(
    yours: sp.Basic, expected: sp.Basic, points: list, differ: list[int], budget: float
) -> tuple[list[int], int, tuple[Any, Any] | None]:
    """Re-check floating-point differences exactly; drop those that were rounding errors.

    Returns the differences kept (a confirmed one first), how many were dropped, and the
    exact results at the confirmed one. Past the budget, or if exact evaluation fails, the
    floating-point verdict stands.
    """
    outcome = call_with_timeout(
        _exact_agreement, (yours, expected, [points[i].values for i in differ]), budget
    )
    if outcome.status != "ok":
        return differ, 0, None
    agreements, exact = outcome.value
    same = {i for i, agree in zip(differ, agreements, strict=False) if agree}
    kept = [i for i in differ if i not in same]
    if exact is not None:  # the last point checked is a confirmed difference: show it first
        confirmed = differ[len(agreements) - 1]
        kept.remove(confirmed)
        kept.insert(0, confirmed)
    return kept, len(same), exact


def _strata(orderings: Sequence) -> str:
    """``", in the regions a1 < a2, a2 < a1, a1 = a2"`` (or their number, when many)."""
    return f", in {describe(orderings, 'regions')}" if orderings else ""


def _refuted(
    answer_id, answer, spec, parsed, interp, expected, conditions, points, ys, es, differ, valid
):
    yours = parsed.expr
    i = differ[0]
    names = _shown_names(yours, expected, conditions)
    cx = Counterexample(
        {n: points[i].values[n] for n in names if n in points[i].values},
        ys[i],
        es[i],
        points[i].region,
    )
    evidence = Evidence(
        answer_id,
        yours,
        expected,
        points,
        ys,
        es,
        parsed.square_only,
        _others(parsed.square_only, spec.conditions),
    )
    msg = f"your answer differs from the expected one at {len(differ)} of {len(valid)} points"
    return CheckResult(
        answer_id, answer, Verdict.REFUTED, interp, cx, diagnose(evidence), msg, len(valid)
    )
