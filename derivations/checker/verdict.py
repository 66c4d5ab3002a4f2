"""Check a typed answer against the derived one: proof, counterexample, diagnosis.

``python -m derivations check ID ANSWER`` and :func:`check`. The expected answer is read from
:mod:`derivations.answers` (never typed here). Exit 0 only on a proof; the verdicts and what
each guarantees:

* ``PROVED`` — a symbolic proof that the difference is 0 under the id's assumptions, for
  every dimension and every admissible value (:mod:`~derivations.checker.proving`: sound,
  deterministic, bounded in work); a comparison at drawn points found no difference either.
* ``NUMERICALLY EQUAL`` — no proof, but a probabilistic one with a stated error: both answers
  are rational functions of the scalar parameters (no ``exp``, ``log``, roots, ``π``; no
  matrices), the difference is one rational function on each ordering region, and at ``k``
  random points per region (each parameter uniform on a set of ``|S| ≥ 10⁶`` values) the two
  are exactly equal: a nonzero difference of degree ``≤ D`` passes with probability at most
  ``(D/|S|)^k`` (Schwartz–Zippel, :mod:`~derivations.checker.schwartz_zippel`). The message
  states ``D``, ``k`` and the bound. No difference was found at every scale either.
* ``REFUTED`` — a point where the two differ, certified: exact rationals that differ, or an
  enclosure of the difference that excludes 0 (:mod:`~derivations.checker.comparing`), with
  both results and the likely mistake (:mod:`~derivations.checker.diagnosing`). **This is
  where the checker decides REFUTED**: :func:`_compare` collects the points whose relation is
  ``DIFFERENT``.
* ``CANNOT CHECK`` — unreadable answer, unknown name, shapes that do not fit: the message
  says what and where; or not decided: no proof, no certified difference (at the drawn
  points, on every scale from 10⁻¹² to 10¹², where a term is largest, inside every piece),
  and no Schwartz–Zippel bound (an ``exp``, ``log`` or root in the answer, matrices, a piece
  left open) — the message says why.

A counterexample always wins over a proof. For ``2b.*`` the sheet's LRP convention holds: a
quotient 0/0 counts as 0. An answer in the general-``M`` notation of Exercise 3
(``\\min_j h_j``) is checked for every ``M`` of :data:`derivations.answers.GENERAL_M`.
``timeout`` is a safety stop only (the symbolic work is bounded in work, and no verdict
depends on the machine): past it the check is CANNOT CHECK, never accepted.

>>> r = check("1a", r"\\frac{\\mathbf{w}}{2\\lambda}")
>>> r.verdict.value, r.interpretation.text, r.exit_status
('PROVED', '(1/(2*lambda))*w', 0)
>>> r = check("1b", "mu + inv(Sigma) w")
>>> r.verdict.value, r.diagnosis
('REFUTED', ['Σ⁻¹ in place of Σ'])
>>> check("1a", "0.49999999*w/lambda").verdict.value
'REFUTED'
>>> check("2b.ii", "a1*exp(-a1*10^6)").verdict.value
'REFUTED'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import sympy as sp

from derivations import answers
from derivations import symbols as S
from derivations.checker.case_splits import describe
from derivations.checker.comparing import Compared, compare_all
from derivations.checker.diagnosing import Evidence, diagnose
from derivations.checker.evaluating import (
    PRECISIONS,
    UNDEFINED,
    EvaluationError,
    Mat,
    Relation,
    is_exact,
    value,
)
from derivations.checker.notation import sheet_text
from derivations.checker.pieces import Coverage
from derivations.checker.proving import apply_conditions
from derivations.checker.reading import AnswerSyntaxError, Parsed, instantiate, parse_answer
from derivations.checker.reading.definedness import divisors, unshared_divisor
from derivations.checker.results import (
    CheckResult,
    Counterexample,
    Interpretation,
    Verdict,
    cannot_check,
    format_value,
)
from derivations.checker.sampling import (
    RANDOM_BOUND,
    Conditions,
    Point,
    describe_points,
    make_draw,
    random_points,
    regions_of,
    sample_points,
)
from derivations.checker.scales import scale_points
from derivations.checker.schwartz_zippel import MIN_RANDOM, degree_bound, false_accept
from derivations.checker.symbolic import Symbolic, decide, quick_proof
from derivations.checker.time_limit import call_with_timeout
from derivations.printing import latex as sheet_latex

__all__ = [
    "MIN_POINTS",
    "TIMEOUT",
    "CheckResult",
    "Counterexample",
    "Interpretation",
    "Verdict",
    "answer_ids",
    "cannot_check",
    "check",
    "format_value",
]

#: Fewest points at which the expected answer is defined, for any verdict but CANNOT CHECK.
MIN_POINTS = 20

#: Points drawn per check (more where there are many regions), before the boundary points.
POINTS = 30

#: The default safety stop (seconds) of the symbolic work of one check: far more than any
#: answer of the sheet needs on a slow, loaded machine (the work itself is bounded); past it
#: the check is CANNOT CHECK.
TIMEOUT = 60.0

_ERRORS = (EvaluationError, ValueError, TypeError, IndexError, KeyError)


def answer_ids() -> tuple[str, ...]:
    """The ids :func:`check` knows (those of :mod:`derivations.answers`)."""
    return answers.ANSWER_IDS


def _others(square: bool, conditions: sp.Basic) -> dict[str, tuple[sp.Basic, str]]:
    """The other ids' answers posed under the same conditions (to name a mix-up)."""
    out = {}
    for oid in answers.ANSWER_IDS:
        if answers.QUESTIONS[oid].conditions != conditions:
            continue  # decided before deriving: a check derives only the answers it reads
        spec = answers.spec(oid)
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
    answer_id: str, answer: str, *, latex: bool | None = None, timeout: float = TIMEOUT
) -> CheckResult:
    """Check ``answer`` for the sheet's answer ``answer_id`` (see the module docstring).

    ``latex``: read as LaTeX (True), as text (False), or decide by a backslash (None).
    ``timeout``: the safety stop (seconds) of the symbolic work; past it, CANNOT CHECK.
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
                          "latex" if parsed.latex else "text", sheet_text(parsed.expr))


def _general(answer_id: str, answer: str, spec, parsed: Parsed, timeout: float) -> CheckResult:
    """An answer for any number M of units (``\\min_j h_j``): checked for each M of
    :data:`derivations.answers.GENERAL_M` (M = 3 for an id without one)."""
    ms = answers.GENERAL_M.get(answer_id, range(3, 4))
    results = []
    for m in ms:
        expected = answers.for_m(answer_id, m) if answer_id in answers.GENERAL_M else spec.expr
        at_m = replace(parsed, expr=instantiate(parsed.expr, m))
        r = _verdict(answer_id, answer, spec, at_m, expected, timeout)
        if r.verdict in (Verdict.REFUTED, Verdict.CANNOT_CHECK):
            at = f"for M = {m} unit{'' if m == 1 else 's'}: "
            return replace(r, message=at + r.message, interpretation=_interpretation(parsed),
                           summary=at + r.summary if r.summary else "")
        results.append(r)
    verdict = (Verdict.PROVED if all(r.verdict is Verdict.PROVED for r in results)
               else Verdict.NUMERICALLY_EQUAL)
    span = f"M = {ms[0]}, …, {ms[-1]}" if len(ms) > 1 else f"M = {ms[0]}"
    total = sum(r.sample_points for r in results)
    message = f"for every {span} units ({total} points in all); for M = {ms[-1]}: " \
              f"{results[-1].message}"
    summary = f"for every {span} units: {results[-1].summary}"
    return CheckResult(answer_id, answer, verdict, _interpretation(parsed), None, [], message,
                       total, summary=summary)


@dataclass(frozen=True)
class _Comparison:
    """Both answers at the points (:class:`~derivations.checker.comparing.Compared` each):
    where the expected answer is defined, where the two certainly differ."""

    points: list[Point]
    compared: list[Compared]

    @property
    def valid(self) -> list[int]:
        return [i for i, c in enumerate(self.compared) if c.relation is not None]

    @property
    def differ(self) -> list[int]:
        return [i for i, c in enumerate(self.compared) if c.relation is Relation.DIFFERENT]

    @property
    def unseparated(self) -> list[int]:
        return [i for i, c in enumerate(self.compared) if c.relation is Relation.UNSEPARATED]

    @property
    def exact(self) -> bool:
        """Whether every compared point was exactly equal (or certainly different)."""
        return not self.unseparated

    def __add__(self, other: _Comparison) -> _Comparison:
        return _Comparison(self.points + other.points, self.compared + other.compared)


def _compare(yours: sp.Basic, expected: sp.Basic, points: list[Point],
             zero_over_zero: bool) -> _Comparison:
    """The certified comparison that decides REFUTED (see the module docstring)."""
    return _Comparison(points, compare_all(yours, expected, points, zero_over_zero))


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
             timeout: float) -> CheckResult:
    interp = _interpretation(parsed)
    yours = parsed.expr
    expected = expected_expr.xreplace({S.k: S.d}) if parsed.square_only else expected_expr
    conditions = Conditions.parse(spec.conditions)
    zero_over_zero = spec.zero_over_zero  # the sheet's LRP convention
    # a divisor of yours that can be 0 where the expected answer is defined (after the tie
    # a2 = a1 and the signs): no proof or random sampling can vouch for that set
    lost = _unshared_divisor(yours, expected, spec.conditions)
    proof = None if parsed.square_only or lost is not None else \
        quick_proof(yours, expected, spec.conditions)
    points = sample_points([yours, expected], conditions, n=POINTS, seed=0,
                           square=parsed.square_only, boundary=proof is None)
    try:
        cmp = _compare(yours, expected, points, zero_over_zero)
    except _ERRORS as exc:
        return cannot_check(answer_id, answer, f"cannot evaluate the answer: {exc}", interp)
    if len(cmp.valid) < MIN_POINTS:
        return cannot_check(
            answer_id, answer,
            f"the expected answer is defined at only {len(cmp.valid)} of {len(points)} points",
            interp,
        )
    if cmp.differ:
        return _refuted(answer_id, answer, spec, parsed, interp, expected, conditions, cmp)
    if parsed.square_only:
        return cannot_check(
            answer_id, answer,
            "your answer is defined only when d = k "
            f"({parsed.square_because}); the question has arbitrary d and k",
            interp,
        )
    orderings, _ = regions_of([yours, expected], conditions)
    if proof is not None:
        return CheckResult(answer_id, answer, Verdict.PROVED, interp, None, [],
                           f"{proof} (and {_evidence(cmp, orderings)})", len(cmp.valid),
                           summary=proof)
    draw = make_draw([yours, expected], conditions)
    valid_points = [cmp.points[i] for i in cmp.valid]
    outcome = call_with_timeout(
        decide, (yours, expected, spec.conditions, [p.values for p in valid_points],
                 draw.kinds, draw.admissible, conditions.ties), timeout)
    symbolic: Symbolic | None = outcome.value if outcome.status == "ok" else None
    if symbolic is not None and symbolic.proof and lost is None:
        return CheckResult(answer_id, answer, Verdict.PROVED, interp, None, [],
                           f"{symbolic.proof} (and {_evidence(cmp, orderings)})",
                           len(cmp.valid), summary=symbolic.proof)
    bases = [p.values for p in valid_points if p.kind == "nice"] or [p.values for p in
                                                                     valid_points]
    extra = scale_points([yours, expected], draw, bases)
    if symbolic is not None and symbolic.coverage is not None:
        extra += [Point(v, None, "piece") for v in symbolic.coverage.found]
    try:
        cmp = cmp + _compare(yours, expected, extra, zero_over_zero)
    except _ERRORS as exc:
        return cannot_check(answer_id, answer, f"cannot evaluate the answer: {exc}", interp)
    if cmp.differ:
        return _refuted(answer_id, answer, spec, parsed, interp, expected, conditions, cmp)
    if lost is not None:
        return cannot_check(answer_id, answer, f"not decided: {_lost_words(lost)}; no "
                            f"difference at {_no_difference(cmp)}", interp)
    if symbolic is None:
        why = ("the symbolic work was stopped by the safety limit of "
               f"{timeout:g} s" if outcome.status == "timeout"
               else f"the symbolic work failed ({outcome.value})")
        return cannot_check(answer_id, answer, f"not decided: {why}; no difference at "
                            f"{_no_difference(cmp)}", interp)
    return _unproved(answer_id, answer, spec, parsed, interp, expected, conditions, cmp,
                     symbolic)


def _unshared_divisor(yours: sp.Basic, expected: sp.Basic, conditions: sp.Basic
                      ) -> sp.Expr | None:
    """:func:`~derivations.checker.reading.definedness.unshared_divisor` of both answers
    under the question's conditions (a tie substituted, the signs strengthened)."""
    def under(e: sp.Basic) -> list[sp.Expr]:  # each divisor on its own: no cancellation
        return [apply_conditions((d,), conditions)[0][0] for d in divisors(e)]

    try:
        return unshared_divisor(under(yours), under(expected))
    except (TypeError, ValueError, RecursionError):
        return sp.Symbol("?")  # cannot tell: treated as a divisor lost


def _lost_words(divisor: sp.Expr) -> str:
    return (f"your answer divides by {sheet_text(divisor)}, which can be 0 where the expected "
            "answer is defined: a proof that cancels it says nothing where it is 0 (the "
            "answer as written is undefined there, or 0/0), and random points do not reach "
            "that set")


def _unproved(answer_id: str, answer: str, spec, parsed: Parsed, interp: Interpretation,
              expected: sp.Basic, conditions: Conditions, cmp: _Comparison,
              symbolic: Symbolic) -> CheckResult:
    """No proof and no difference: NUMERICALLY EQUAL where the Schwartz–Zippel bound holds,
    else CANNOT CHECK saying why."""
    yours = parsed.expr
    cover = symbolic.coverage or Coverage()
    none_found = f"no difference at {_no_difference(cmp)}"
    if cover.open:
        where = "; ".join(cover.open[:2]) + (" …" if len(cover.open) > 2 else "")
        return cannot_check(
            answer_id, answer,
            f"not decided: no symbolic proof was found, and although {none_found}, "
            f"{len(cover.open)} piece(s) of the case structure were neither reached by a point "
            f"nor shown empty or equal ({where}); a difference there cannot be ruled out",
            interp,
        )
    if symbolic.no_bound is not None:
        return cannot_check(
            answer_id, answer,
            f"not decided: no symbolic proof was found, and {none_found}; "
            f"{symbolic.no_bound} — a difference too small to show cannot be ruled out",
            interp)
    more = _compare(yours, expected, random_points([yours, expected], conditions,
                                                   MIN_RANDOM + 1), spec.zero_over_zero)
    if more.differ:
        return _refuted(answer_id, answer, spec, parsed, interp, expected, conditions,
                        cmp + more)
    bound, holds = _schwartz_zippel(yours, expected, spec, conditions, more)
    if not holds:
        return cannot_check(answer_id, answer, f"not decided: no symbolic proof was found, and "
                            f"{none_found}; {bound}", interp)
    return CheckResult(answer_id, answer, Verdict.NUMERICALLY_EQUAL, interp, None, [],
                       f"no symbolic proof was found; {bound}; {none_found}; "
                       f"{cover.sentence()}", len(cmp.valid) + len(more.valid),
                       summary="no symbolic proof was found; equal by a probabilistic proof "
                               "(Schwartz–Zippel) with the error bound that --verbose states")


def _schwartz_zippel(yours: sp.Basic, expected: sp.Basic, spec, conditions: Conditions,
                     random: _Comparison) -> tuple[str, bool]:
    """The sentence of the bound and True; or why it does not hold and False."""
    y = yours.xreplace(conditions.tie_map([yours]))
    e = expected.xreplace(conditions.tie_map([expected]))
    degree = degree_bound(y, e)
    counts: dict[str | None, int] = {}
    for p, c in zip(random.points, random.compared, strict=True):
        counts.setdefault(p.region, 0)
        if c.relation is Relation.EQUAL and not _convention_used(yours, expected, p, spec):
            counts[p.region] += 1
    k = min(counts.values(), default=0)
    if k < MIN_RANDOM:
        return (f"only {k} random point(s) in some region where both answers are defined "
                f"without the 0/0 convention (the bound needs {MIN_RANDOM})"), False
    regions = len(counts)
    where = f"each of the {regions} ordering regions" if regions > 1 else "the whole domain"
    chance = false_accept(degree, RANDOM_BOUND, k)
    return (f"probabilistic proof (Schwartz–Zippel): on {where} the difference is a rational "
            f"function of degree at most {degree}, and it is exactly 0 at {k} random points "
            f"per region drawn uniformly from a set of {RANDOM_BOUND:,} values per parameter; "
            f"a nonzero difference passes with probability at most ({degree}/{RANDOM_BOUND:,})"
            f"^{k} ≈ {chance:.1e}"), True


def _convention_used(yours: sp.Basic, expected: sp.Basic, point: Point, spec) -> bool:
    """Whether the sheet's 0/0 convention gave a value at ``point`` (then the answers are not
    rational functions there)."""
    if not spec.zero_over_zero:
        return False
    try:
        return any(value(x, point.values, False) is UNDEFINED for x in (yours, expected))
    except (EvaluationError, ArithmeticError):
        return True


def _no_difference(cmp: _Comparison) -> str:
    """``"135 points (…), 120 of them exactly equal, 15 not separated …"``."""
    valid = [cmp.points[i] for i in cmp.valid]
    text = describe_points(valid)
    if cmp.unseparated:
        equal = len(cmp.valid) - len(cmp.unseparated)
        text += (f": {equal} exactly equal, {len(cmp.unseparated)} with values that are not "
                 f"rational and not separated at up to {PRECISIONS[-1]} bits")
    return text


def _evidence(cmp: _Comparison, orderings: Sequence) -> str:
    """What the comparison behind a proof checked."""
    strata = f", in {describe(orderings, 'regions')}" if len(orderings) > 1 else ""
    valid = [cmp.points[i] for i in cmp.valid]
    if cmp.exact:
        return f"equal in exact rational arithmetic at {describe_points(valid)}{strata}"
    return f"no certified difference at {_no_difference(cmp)}{strata}"


def _refuted(answer_id: str, answer: str, spec, parsed: Parsed, interp: Interpretation,
             expected: sp.Basic, conditions: Conditions, cmp: _Comparison) -> CheckResult:
    yours = parsed.expr
    names = _shown_names(yours, expected, conditions)
    i = min(cmp.differ, key=lambda j: (_size(cmp.points[j], names), j))
    point = cmp.points[i]
    c = cmp.compared[i]
    cx = Counterexample(
        {n: point.values[n] for n in names if n in point.values},
        c.yours,
        c.expected,
        point.region,
    )
    known = [j for j, d in enumerate(cmp.compared)
             if d.relation is None or d.yours is not None and d.expected is not None]
    at = {j: n for n, j in enumerate(known)}
    evidence = Evidence(
        answer_id, yours, expected, [cmp.points[j] for j in known],
        [UNDEFINED if cmp.compared[j].yours is None else cmp.compared[j].yours for j in known],
        [UNDEFINED if cmp.compared[j].expected is None else cmp.compared[j].expected
         for j in known],
        parsed.square_only,
        _others(parsed.square_only, spec.conditions),
        spec.zero_over_zero,
        frozenset(at[j] for j in cmp.differ if j in at),
        dict(conditions.ties),
    )
    exact = all(cmp.compared[j].exact or _both_exact(cmp.compared[j]) for j in cmp.differ)
    how = "exactly" if exact else \
        "exactly, or certified where a value is not rational: an enclosure of the difference " \
        "excludes 0"
    msg = (f"your answer differs from the expected one at {len(cmp.differ)} of "
           f"{len(cmp.valid)} points (compared {how})")
    return CheckResult(
        answer_id, answer, Verdict.REFUTED, interp, cx, diagnose(evidence), msg, len(cmp.valid),
        summary="your answer differs from the expected one",
    )


def _both_exact(c: Compared) -> bool:
    return all(v is UNDEFINED or (v is not None and is_exact(v)) for v in (c.yours, c.expected))
