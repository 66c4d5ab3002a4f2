"""Every final answer of the sheet, by id: the single source the checker and numerics read.

Each expression is computed by the derivation modules (nothing is typed in here):

>>> from derivations.answers import answers, spec
>>> a = answers()
>>> a["1a"], a["1b"]
((1/(2*lambda))*w, Sigma*w + mu)
>>> a["2a.i"], a["2b.i"], a["2b.ii.R2"], a["3b"]
(Min(a1, a2), a1, a2, Min(h1, h2, h3))
>>> spec("2b.i").conditions
Eq(a1, a2)
>>> spec("1c.x").shape
(d, 1)

Ids: ``1a``, ``1b``, ``1c.z``, ``1c.x`` (prototypes; ``d×1`` or ``k×1`` matrix
expressions), ``2a.i``, ``2a.ii`` (each network's output as a function of ``a1, a2``),
``2b.i``, ``2b.ii`` (``R1`` at ``a1 = a2``), ``2b.i.R2``, ``2b.ii.R2`` (``R2`` there),
``2b.i.general``, ``2b.ii.general`` (``R1`` on ``a1, a2 > 0``, any ``γ ≥ 0``, a
``Piecewise``), ``3b`` (the ``γ → ∞`` limit of layer 2 for ``M = 3``, in ``h1, h2, h3``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import sympy as sp

from derivations import activation_maximization as ex1
from derivations import lrp_structure as ex2
from derivations import neuralization as ex3
from derivations.matrix_identities import shape_of
from derivations.symbols import a1, a2, gamma, hs


@dataclass(frozen=True)
class Question:
    """What an id asks, in one line, where its answer holds beyond the symbols' own
    assumptions (``sympy.true`` if nowhere more), and whether the sheet's LRP convention
    applies to it (a quotient 0/0 counts as 0)."""

    text: str
    conditions: sp.Basic = sp.true
    zero_over_zero: bool = False


_TIE = sp.Eq(a1, a2)
_POSITIVE = sp.And(a1 > 0, a2 > 0)

#: Every id of the sheet, in the sheet's order, with its question.
QUESTIONS: dict[str, Question] = {
    "1a": Question("Ex 1(a): the prototype x* maximizing w^T x + b - lambda ||x||^2"),
    "1b": Question("Ex 1(b): the prototype x* maximizing w^T x + b + log N(x; mu, Sigma)"),
    "1c.z": Question("Ex 1(c): the code z* maximizing f(A z + c) - lambda ||z||^2"),
    "1c.x": Question("Ex 1(c): the prototype x* = A z* + c"),
    "2a.i": Question("Ex 2(a): the output y(a1, a2) of network (i) on a1, a2 >= 0"),
    "2a.ii": Question("Ex 2(a): the output y(a1, a2) of network (ii) on a1, a2 >= 0"),
    "2b.i": Question(
        "Ex 2(b): LRP-gamma relevance R1 of network (i) at a1 = a2", _TIE, zero_over_zero=True),
    "2b.ii": Question(
        "Ex 2(b): LRP-gamma relevance R1 of network (ii) at a1 = a2", _TIE, zero_over_zero=True),
    "2b.i.R2": Question(
        "Ex 2(b): LRP-gamma relevance R2 of network (i) at a1 = a2", _TIE, zero_over_zero=True),
    "2b.ii.R2": Question(
        "Ex 2(b): LRP-gamma relevance R2 of network (ii) at a1 = a2", _TIE, zero_over_zero=True),
    "2b.i.general": Question(
        "Ex 2(b): LRP-gamma relevance R1 of network (i) on a1, a2 > 0, gamma >= 0", _POSITIVE,
        zero_over_zero=True),
    "2b.ii.general": Question(
        "Ex 2(b): LRP-gamma relevance R1 of network (ii) on a1, a2 > 0, gamma >= 0", _POSITIVE,
        zero_over_zero=True),
    # γ here is the kernel width of Ex 3, positive (the reader's γ is Ex 2's LRP-γ, ≥ 0): an
    # answer written with γ is compared at γ > 0 only
    "3b": Question(
        "Ex 3(b): the limit gamma -> oo of -(1/gamma) log sum_i exp(-gamma h_i), M = 3",
        sp.Gt(gamma, 0)),
}

ANSWER_IDS: tuple[str, ...] = tuple(QUESTIONS)


@dataclass(frozen=True)
class AnswerSpec:
    """One answer: its id, expression, the question (one line), where it holds, its shape.

    ``conditions`` are conditions beyond the symbols' own assumptions (``sympy.true`` if
    none); ``shape`` is ``None`` for a scalar, else the matrix shape such as ``(d, 1)``;
    ``zero_over_zero``: a quotient 0/0 counts as 0 (the sheet's LRP convention).
    """

    id: str
    expr: sp.Basic
    question: str
    conditions: sp.Basic
    shape: tuple[sp.Expr, sp.Expr] | None
    zero_over_zero: bool = False


def answers() -> dict[str, sp.Basic]:
    """``{answer id: SymPy expression}`` for every id of :data:`ANSWER_IDS`.

    Derived once (cached); each call returns a fresh dict, so a caller that edits its copy
    (e.g. drops an answer to test a missing one) cannot change what the others read.
    """
    return dict(_derived())


#: How each id's answer is derived, one entry per id: :func:`derived` runs only the
#: derivation of the id asked for (a check of 1a needs no LRP of Ex 2).
_DERIVATIONS: dict[str, Callable[[], sp.Basic]] = {
    **{key: partial(ex1.prototype, key) for key in ("1a", "1b", "1c.z", "1c.x")},
    **{f"2a.{net}": partial(ex2.output_function, net) for net in ("i", "ii")},
    **{f"2b.{net}": (lambda net=net: ex2.relevance_at_equal_inputs(net)[0])
       for net in ("i", "ii")},
    **{f"2b.{net}.R2": (lambda net=net: ex2.relevance_at_equal_inputs(net)[1])
       for net in ("i", "ii")},
    **{f"2b.{net}.general": partial(ex2.general_relevance, net, 0) for net in ("i", "ii")},
    "3b": lambda: for_m("3b", 3),
}


@cache
def derived(answer_id: str) -> sp.Basic:
    """The SymPy answer of ``answer_id``, derived on first use (cached); ``KeyError`` for an
    unknown id.

    >>> derived("2a.i")
    Min(a1, a2)
    """
    return _DERIVATIONS[answer_id]()


@cache
def _derived() -> dict[str, sp.Basic]:
    return {key: derived(key) for key in ANSWER_IDS}


#: Ids whose answer holds for any number M of units: an answer in the general notation
#: (``\\min_j h_j``) is checked for each of these M.
GENERAL_M: dict[str, range] = {"3b": range(1, 7)}


@cache
def for_m(answer_id: str, m: int) -> sp.Basic:
    """The answer of ``answer_id`` (one of :data:`GENERAL_M`) for ``m`` units (``3b``: the
    limit of layer 2 with ``m`` support vectors, derived for ``h1, …, hm``).

    >>> for_m("3b", 2)
    Min(h1, h2)
    """
    if answer_id not in GENERAL_M:
        raise KeyError(f"{answer_id} does not depend on a number of units")
    return ex3.min_pooling_limit(hs(m))


def spec(answer_id: str) -> AnswerSpec:
    """The :class:`AnswerSpec` of ``answer_id``; ``KeyError`` for an unknown id."""
    if answer_id not in QUESTIONS:
        raise KeyError(f"unknown answer id {answer_id!r}; known: {', '.join(ANSWER_IDS)}")
    expr, question = derived(answer_id), QUESTIONS[answer_id]
    return AnswerSpec(answer_id, expr, question.text, question.conditions, shape_of(expr),
                      question.zero_over_zero)
