"""A function of the input written with its argument: ``h_i(x)`` is the unit's value.

The sheet writes its units and outputs as functions of the input x (docs/sheet11.md): in
Exercise 3 the distance units ``h_i = ‖x − u_i‖² − γ⁻¹ log α_i``, the score ``f(x)`` and the
outlier score ``o(x)``; in Exercise 1 the model ``f(x) = wᵀx + b``, the density ``p(x)`` and
the penalty ``Ω(x)``; in Exercise 2 the relevances ``R_j`` of the activations. Of these, an
answer names only the units ``h_1, h_2, h_3`` (and ``h_j`` under ``\\min_j``, ``h_M`` in
``min(h_1, …, h_M)``):

* a unit with the sheet's argument — ``h_i(x)``, ``h_j(\\mathbf{x})``,
  ``h_1(\\boldsymbol{x})`` — is the unit's value, with a note (never h_i times the vector x);
* a unit applied to anything else that is not a scalar (``h_1(x + c)``, ``h_1(w)``) is
  refused; a scalar in parentheses after a unit stays a product (``h_1(h_2 + h_3)``);
* the sheet's other functions of x written as a call (``f(x)``, ``o(x)``, ``p(x)``,
  ``Ω(x)``, ``R_1(x)``) are refused with what they are: they are not names of an answer.

:data:`UNIT_CALLS` and :data:`SHEET_FUNCTIONS` are the tables.

>>> from derivations.checker.reading import parse_answer
>>> p = parse_answer(r"\\min_i h_i(\\mathbf{x})")
>>> p.expr, p.notes[0]
(min_j(h_j), 'read `h_i(\\\\mathbf{x})` as h_i, the unit at the input x (not h_i times x)')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.shapes import AnswerShapeError, shape_text
from derivations.checker.reading.units import (
    is_index_unit,
    is_last_unit,
    read_index_unit,
    read_last_unit,
)
from derivations.checker.tokens import Token

__all__ = ["INPUT_NAMES", "SHEET_FUNCTIONS", "UNIT_CALLS", "is_sheet_function_call",
           "is_unit_call", "read_unit_call", "refuse_sheet_function_call"]

#: The names of the sheet's argument, as the tokenizer spells them (``x``, ``\\mathbf{x}``,
#: ``\\boldsymbol{x}``, ``\\vec{x}`` all become ``x``).
INPUT_NAMES = ("x",)

_UNIT = re.compile(r"h\d+")


def _sheet_unit(r: Reader, name: str) -> bool:
    return bool(_UNIT.fullmatch(name)) and name in r.env


def _read_sheet_unit(r: Reader) -> Value:
    t = r.advance()
    return Value(r.env[t.text], t.pos, t.end)


#: The units, each with the test that a name is one here and its reader.
UNIT_CALLS: tuple[tuple[Callable[[Reader, str], bool], Callable[[Reader], Value]], ...] = (
    (is_index_unit, read_index_unit),
    (is_last_unit, read_last_unit),
    (_sheet_unit, _read_sheet_unit),
)

#: The sheet's functions of the input that are not names of an answer, by the name the
#: tokenizer gives them, with what they are.
SHEET_FUNCTIONS: dict[str, str] = {
    "f": "the model f(x) = wᵀx + b of Exercise 1 (or the SVM's score of Exercise 3)",
    "o": "the outlier score o(x) of Exercise 3",
    "p": "the density p(x) of Exercise 1(b)",
    "Omega": "the penalty Ω(x) of Exercise 1",
}
_RELEVANCE = re.compile(r"R(?:[0-9]+|[a-z])?")


def is_unit_call(r: Reader, name: str) -> bool:
    """A unit followed by ``(``: ``h_i(x)``, ``h_1(…)``."""
    return r.is_op("(", tok=r.peek()) and any(applies(r, name) for applies, _ in UNIT_CALLS)


def _is_input(t: Token) -> bool:
    return t.kind == "name" and t.text in INPUT_NAMES


def read_unit_call(r: Reader) -> Value:
    """``h_i(x)``: the unit h_i; ``h_1(v)`` for a vector or matrix ``v``: refused; ``h_1(s)``
    for a scalar ``s``: the unit alone (the grammar reads the product h_1·s next)."""
    t = r.tok
    unit = next(read for applies, read in UNIT_CALLS if applies(r, t.text))(r)
    if _is_input(r.peek()) and r.is_op(")", tok=r.peek(2)):
        for _ in range(3):
            r.advance()
        written = r.text[t.pos : r.last_end()].strip()
        unit_text = r.text[t.pos : t.end].strip()
        r.note(f"read `{written}` as {unit_text}, the unit at the input x "
               f"(not {unit_text} times x)")
        return Value(unit.expr, t.pos, r.last_end())
    saved = r.checkpoint()
    open_ = r.advance()
    r.closers.append(")")
    argument = r.parse_group()
    r.closers.pop()
    r.expect(")", f"to close the `(` opened at position {open_.pos + 1}")
    if argument.shape not in (None, (1, 1)):
        raise AnswerShapeError(
            f"`{r.text[t.pos:r.last_end()].strip()}`: the unit {r.text[t.pos:t.end]} "
            f"applied to `{r.span(argument)}` ({shape_text(argument.shape)}); a unit is a "
            f"number, h_i = h_i(x): write {r.text[t.pos:t.end]} or "
            f"{r.text[t.pos:t.end]}(x)", open_.pos)
    r.restore(saved)
    return unit


def is_sheet_function_call(r: Reader, name: str) -> bool:
    """``f(x)``, ``o(x)``, ``R_1(x)``: a function of the sheet that is no answer's name."""
    if name in r.env or not r.is_op("(", tok=r.peek()):
        return False
    return name in SHEET_FUNCTIONS or bool(_RELEVANCE.fullmatch(name))


def refuse_sheet_function_call(r: Reader) -> Value:
    t = r.tok
    what = SHEET_FUNCTIONS.get(t.text, "a relevance of Exercise 2")
    names = ", ".join(n for n in r.env if n not in ("d", "k"))
    raise r.fail(f"`{r.text[t.pos:t.end]}(…)` is {what}, not a name an answer is written "
                 f"in: write it out in the sheet's names ({names})", t.pos)
