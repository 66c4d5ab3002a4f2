"""The identity matrix, as the sheet writes it (``z ~ N(0, I_k)``): ``I``, ``I_d``, ``I_k``.

``I_d`` and ``I_{d \\times d}`` are the d×d identity, ``I_k`` the k×k one (``\\mathbf{I}_d``,
``\\mathbb{I}_k`` too); ``I`` (or ``Id``, ``\\mathrm{Id}``) alone is the square identity of the
size that fits what it meets: it starts with the placeholder size
:data:`~derivations.checker.reading.shapes.FITTING`, which the first sum or product with a
value of known shape fixes (``(2\\lambda I)^{-1} A^\\top w`` gives I the size k). An ``I``
whose size nothing fixes (``I`` alone) is refused. ``\\mathbb{1}`` is the indicator, not the
identity; ``I(a_1 > a_2)``, ``\\mathbb{I}[a_1 \\le a_2]`` — ``I`` before a bracket that holds a
condition — is the indicator too, with a note.

>>> from derivations.checker.reading import parse_answer
>>> p = parse_answer(r"(2\\lambda I)^{-1} A^\\top w")
>>> p.expr.shape, p.notes[0]
((k, 1), 'read `I` as the identity matrix, of the size that fits (here k×k)')
"""

from __future__ import annotations

import sympy as sp

from derivations.checker.reading.cases import RELATIONS, read_indicator
from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.shapes import FITTING, FITTING_NOTE_END
from derivations.checker.tokens import Token

__all__ = ["IDENTITY_NAMES", "is_identity", "read_identity"]

#: The identity's names as the tokenizer spells them, with their size (None: the size that
#: fits). ``Id`` typed as one word is the fitting identity; ``I_d`` is d×d.
IDENTITY_NAMES: dict[str, str | None] = {"I": None, "Id": "d", "Ik": "k"}

#: The note on a fitting ``I``; :func:`~derivations.checker.reading.shapes.fit` adds the size.
_FITTING_NOTE = "read `{written}` as the identity matrix, " + FITTING_NOTE_END


def is_identity(r: Reader, name: str) -> bool:
    return name in IDENTITY_NAMES and name not in r.env


def _times(r: Reader) -> str | None:
    """The dimension of ``_{d \\times d}`` at the current ``_``, if it is there."""
    toks = [r.peek(j) for j in range(1, 6)]
    shape = [t.text for t in toks]
    if r.is_op("_") and shape[0] == "{" and shape[2] == "*" and shape[4] == "}" and \
            shape[1] == shape[3] and shape[1] in ("d", "k") and toks[1].kind == "name":
        return shape[1]
    return None


def _condition_follows(r: Reader) -> bool:
    """Whether a bracket after the current name (or after its ``_``) holds a relation at
    its top level: ``I(a_1 > a_2)``, ``I_{a_1 \\le a_2}``."""
    k = 2 if r.is_op("_", tok=r.peek()) else 1
    if not r.is_op("(", "[", "{", tok=r.peek(k)):
        return False
    depth = 0
    while True:
        t = r.peek(k)
        if t.kind == "end":
            return False
        if t.kind == "op" and t.text in ("(", "[", "{"):
            depth += 1
        elif t.kind == "op" and t.text in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return False
        elif depth == 1 and t.kind == "op" and t.text in RELATIONS:
            return True
        k += 1


def read_identity(r: Reader) -> Value:
    """``I``, ``I_d``, ``I_k``, ``I_{d \\times d}``: the identity (see the module
    docstring); ``I(a_1 > a_2)``: the indicator."""
    if r.tok.text == "I" and _condition_follows(r):
        t = r.tok
        value = read_indicator(r)
        r.note(f"read `{r.text[t.pos:r.last_end()].strip()}` as the indicator: 1 where the "
               "condition holds, else 0")
        return value
    t: Token = r.advance()
    written = r.text[t.pos : t.end]
    size = IDENTITY_NAMES[t.text]
    if t.text == "Id" and "_" not in written:
        size = None  # `\\mathrm{Id}`: the identity, its size from what it meets
    if size is None:
        square = _times(r)
        if square is not None:
            for _ in range(6):
                r.advance()
            size = square
    if size is None:
        r.note(_FITTING_NOTE.format(written="I" if t.text == "I" else written.rstrip("}")))
        return Value(sp.Identity(FITTING), t.pos, r.last_end())
    return Value(sp.Identity(r.env[size]), t.pos, r.last_end())
