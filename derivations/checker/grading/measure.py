"""Whether a refuted answer is right on a region of positive measure (partial credit needs it).

The checker's diagnosis says "right only on part of the domain" (:data:`PARTIAL`) where the
points it compared show the answer right on a whole strict region or on one side of a boundary
(``min(a1, a2) + max(0, a1 − 5)``: right where a1 ≤ 5), and "right only on the tie …" where
they show it right only on a set of measure zero (``max(h1, h2, h3)`` for ``min``: only where
h1 = h2 = h3). Those points are few and fixed, so grading does not rely on the wording alone:
it gives partial credit only where the result says ``right_on_positive_measure: true``.

Until the checker reports that field itself, :func:`right_on_positive_measure` decides it
for a refuted answer with a :data:`PARTIAL` diagnosis: the answer and the expected one are
compared exactly at the checker's points in every strict ordering region of the deciding
symbols (no tie, no parameter at 0: nice, wide, random and near every breakpoint), each
scalar and matrix entry moved by a random factor 1 + j/10⁹ (:func:`generic`), so that no
point sits on a fixed set of measure zero (a tie, a boundary such as λ = 5, a root, w = 0). Both are
one rational (or analytic) expression on each piece of their case structure, so if they
agree at such a point they agree on the open piece around it, with probability 1 over the
draw (Schwartz–Zippel): a set of positive measure. An answer right only on a tie, a
boundary or a single parameter value agrees at none of them. The draw is seeded (the
checker's points with seed 1, the factors from the answer's text), so the outcome does not
depend on the machine. Not established (no point agrees, or the answer cannot be
evaluated): no partial credit.

>>> right_on_positive_measure("2a.i", "min(a1,a2) + max(0, a1 - 5)", None)
True
>>> right_on_positive_measure("2a.i", "max(a1, a2)", None)
False
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from derivations.checker.diagnosing import PARTIAL
from derivations.checker.evaluating import Mat

#: The field of a ``check --json`` object that says whether a refuted answer is right on a
#: region of positive measure (grading fills it in where the checker does not).
FIELD = "right_on_positive_measure"

#: Points drawn for the test (the checker's own draw, before its boundary points) …
POINTS = 30
#: … of which at most this many, spread over the regions, are tried (:func:`spread`): an
#: answer right nowhere off a set of measure zero is tried at every one of them.
TRIED = 40


def claims_partial(result: Mapping[str, Any]) -> bool:
    """Whether ``result`` (a ``check --json`` object) is REFUTED with a diagnosis saying it
    is right on part of the domain.

    >>> claims_partial({"verdict": "REFUTED", "diagnosis": [PARTIAL + ": right except …"]})
    True
    """
    diagnosis = result.get("diagnosis") or []
    return result.get("verdict") == "REFUTED" and any(
        isinstance(d, str) and d.startswith(PARTIAL) for d in diagnosis)


def right_on_positive_measure(answer_id: str, answer: str, latex: bool | None) -> bool:
    """Whether ``answer`` agrees with the expected answer of ``answer_id`` at one of the
    checker's random points in a strict ordering region (see the module docstring)."""
    try:
        return _agrees_somewhere_generic(answer_id, answer, latex)
    except Exception:  # noqa: BLE001 - not established is no partial credit, never a crash
        return False


def _agrees_somewhere_generic(answer_id: str, answer: str, latex: bool | None) -> bool:
    from derivations import answers
    from derivations import symbols as S
    from derivations.checker import evaluating as ev
    from derivations.checker.reading import instantiate, parse_answer
    from derivations.checker.sampling import (
        Conditions,
        positive_definite_names,
        sample_points,
    )

    spec = answers.spec(answer_id)
    parsed = parse_answer(answer, latex)
    yours, expected = parsed.expr, spec.expr
    if parsed.general:
        m = 3
        yours = instantiate(yours, m)
        if answer_id in answers.GENERAL_M:
            expected = answers.for_m(answer_id, m)
    if parsed.square_only:
        expected = expected.xreplace({S.k: S.d})
    conditions = Conditions.parse(spec.conditions)
    points = sample_points([yours, expected], conditions, n=POINTS, seed=1,
                           square=parsed.square_only)
    rng = random.Random(answer_id + "\0" + answer)
    strict = [p for p in points if "=" not in (p.region or "") and not any(
        isinstance(v, Fraction) and v == 0 for v in p.values.values())]
    for p in spread(strict, TRIED):
        values = generic(p.values, conditions.ties, rng, positive_definite_names())
        e = ev.value(expected, values, spec.zero_over_zero)
        y = ev.value(yours, values, spec.zero_over_zero)
        if ev.is_defined(e) and ev.is_defined(y) and ev.agree(y, e):
            return True
    return False


def spread(points: Sequence[Any], limit: int) -> list[Any]:
    """At most ``limit`` of ``points``, taken from every region in turn (the first of each
    region, then the second, …), so that a short list still reaches every region.

    >>> from derivations.checker.sampling import Point
    >>> pts = [Point({}, r) for r in ["a", "a", "a", "b", "c", "c"]]
    >>> [p.region for p in spread(pts, 4)]
    ['a', 'b', 'c', 'a']
    """
    by_region: dict[Any, list[Any]] = {}
    for p in points:
        by_region.setdefault(p.region, []).append(p)
    out: list[Any] = []
    rank = 0
    while len(out) < limit and any(rank < len(v) for v in by_region.values()):
        out += [v[rank] for v in by_region.values() if rank < len(v)][:limit - len(out)]
        rank += 1
    return out


def generic(values: Mapping[str, Any], ties: Mapping[str, str], rng: random.Random,
            spd: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``values`` moved off every fixed set of measure zero: each rational scalar ``v`` to
    ``v·(1 + δ)``, each matrix entry ``x`` to ``x·(1 + δ)`` (``δ`` where ``x = 0``), with
    ``δ = j/10⁹`` drawn afresh, ``j`` from 1 … 10⁶ (so signs and magnitudes stay, and
    ``w = 0`` is left too); a symmetric positive definite matrix (a name in ``spd``, drawn
    as ``BBᵀ + I``, smallest eigenvalue ≥ 1) gets a symmetric ``E`` with entries ``δ`` added
    (``‖E‖ ≤ n·10⁻³ < 1``: it stays positive definite). A tied name (``a2`` of
    ``a1 = a2``) takes its partner's new value; dimensions stay.

    >>> from fractions import Fraction as F
    >>> from derivations.checker.evaluating import Mat
    >>> v = generic({"a1": F(5), "a2": F(5), "d": 2, "w": Mat.of([[1], [0]])}, {"a2": "a1"},
    ...             random.Random(0))
    >>> v["a1"] == v["a2"] != 5, v["d"], all(x != 0 for r in v["w"].rows for x in r)
    (True, 2, True)
    >>> s = generic({"Sigma": Mat.of([[2, 1], [1, 2]])}, {}, random.Random(0), {"Sigma"})
    >>> s["Sigma"] == s["Sigma"].T != Mat.of([[2, 1], [1, 2]])
    True
    """
    def delta() -> Fraction:
        return Fraction(rng.randint(1, 10**6), 10**9)

    out = dict(values)
    for name, v in values.items():
        if name in ties:
            continue
        if isinstance(v, Fraction) and v != 0:
            out[name] = v * (1 + delta())
        elif isinstance(v, Mat) and name in spd:
            n = len(v.rows)
            e = [[Fraction(0)] * n for _ in range(n)]
            for i in range(n):
                for j in range(i, n):
                    e[i][j] = e[j][i] = delta()
            out[name] = Mat(tuple(tuple(x + e[i][j] for j, x in enumerate(r))
                                  for i, r in enumerate(v.rows)))
        elif isinstance(v, Mat):
            out[name] = Mat(tuple(tuple(x * (1 + delta()) if x != 0 else delta() for x in r)
                                  for r in v.rows))
    for tie, keep in ties.items():
        if tie in out and keep in out:
            out[tie] = out[keep]
    return out


def with_measure(result: dict[str, Any], latex: bool | None) -> dict[str, Any]:
    """``result`` with :data:`FIELD` filled in where the checker left it out: for a refuted
    answer, whether it is right on a region of positive measure (only an answer the
    diagnosis calls right on part of the domain is tested); absent for the other verdicts."""
    if FIELD in result or result.get("verdict") != "REFUTED":
        return result
    partial = claims_partial(result) and right_on_positive_measure(
        result["id"], result["answer"], latex)
    return {**result, FIELD: partial}


__all__ = ["FIELD", "POINTS", "TRIED", "claims_partial", "generic", "right_on_positive_measure",
           "spread", "with_measure"]
