"""A whole answer: its delimiters and label taken off, read by the grammar, shapes settled.

``$…$``, ``\\(…\\)`` and ``\\[…\\]`` around a pasted answer are blanked (positions stay those
of the input); in ``x^* = ...`` or ``R_1 = ...`` the part after the last top-level ``=`` is
the answer, with a note. The answer must be read to its end; one that divides by zero or is
infinite is refused. Where the shapes fit only for d = k (``A.T*A*w``), the answer is read
with d = k and :attr:`Parsed.square_because` says why.

>>> p = parse_answer(r"$x^* = \\frac{w}{2\\lambda}$")
>>> p.expr, p.latex
((1/(2*lambda))*w, True)
>>> p.notes
('read the right-hand side of `=` (the left side `x^*` is taken as a label)',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from derivations import symbols as S
from derivations.checker.reading.grammar import Grammar
from derivations.checker.reading.shapes import FITTING, AnswerShapeError, scalarize
from derivations.checker.reading.units import IndexedMax, IndexedMin
from derivations.checker.tokens import AnswerSyntaxError, Token, looks_like_latex, tokenize

__all__ = ["Parsed", "parse_answer"]


@dataclass(frozen=True)
class Parsed:
    """A read answer: the expression, notes on how it was read, and where it is defined.

    ``square_because``: why the shapes do not fit for arbitrary d and k (the shape error), if
    they fit only when d = k; then the expression uses d for k. Empty if they fit.
    """

    expr: sp.Basic
    notes: tuple[str, ...] = ()
    square_because: str = ""
    latex: bool = False

    @property
    def square_only(self) -> bool:
        """The shapes fit only when d = k."""
        return bool(self.square_because)

    @property
    def general(self) -> bool:
        """Written for any number M of units (``\\min_j h_j``): see
        :func:`~derivations.checker.reading.units.instantiate`."""
        return self.expr.has(IndexedMin, IndexedMax)


def _strip_label(toks: list[Token], text: str) -> tuple[list[Token], str | None]:
    """Drop a label ``x^* =`` before the last top-level ``=``; return it for a note: the
    source ``text`` (math delimiters blanked) up to that ``=``."""
    depth, cut = 0, None
    for j, t in enumerate(toks):
        if t.kind != "op":
            continue
        if t.text in ("(", "[", "{", "BEGIN_CASES", "BEGIN_ARRAY"):
            depth += 1
        elif t.text in (")", "]", "}", "END_CASES", "END_ARRAY"):
            depth -= 1
        elif t.text == "=" and depth == 0:
            cut = j
    if cut is None or cut == 0:
        return toks, None
    label = text[: toks[cut].pos].strip()  # from the start: `\\mathbf{x}^\\star`, whole
    return toks[cut + 1 :], label


def _square_env() -> dict[str, sp.Basic]:
    return {n: s.xreplace({S.k: S.d}) for n, s in S.BY_NAME.items()}


#: Punctuation that may end a whole answer (students end a formula with a period): read as
#: punctuation, with a note.
FINAL_MARKS = (".", ",", ";")

#: Math delimiters that may wrap a pasted LaTeX answer: ``$...$``, ``\\(...\\)``, ``\\[...\\]``.
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


#: ``\\fbox{$…$}``: a box in text mode around math; its dollars are blanked.
_TEXT_BOX = re.compile(r"\\(?:fbox|framebox|mbox)\s*\{\s*(\$)[^$]*(\$)\s*\}")


def _blank_delimiters(text: str) -> str:
    """``$w/2$`` → `` w/2 `` (blanked, not cut, so that positions stay those of the input);
    also ``$w/2$.`` (the period stays, as punctuation) and the dollars of ``\\fbox{$w/2$}``.

    >>> _blank_delimiters("$w/2$."), _blank_delimiters(r"\\fbox{$w$}")
    (' w/2 .', '\\\\fbox{ w }')
    """
    for box in _TEXT_BOX.finditer(text):
        for g in (1, 2):
            text = text[: box.start(g)] + " " + text[box.end(g) :]
    stripped = text.rstrip()
    if stripped[-1:] in FINAL_MARKS and stripped[:-1].rstrip()[-1:] in ("$", ")", "]"):
        inner = _blank_delimiters(stripped[:-1])
        if inner != stripped[:-1]:
            return inner + text[len(stripped) - 1 :]
    inner = text.strip()
    lead = len(text) - len(text.lstrip())
    for left, right in _DELIMITERS:
        if (
            len(inner) >= len(left) + len(right)
            and inner.startswith(left)
            and inner.endswith(right)
        ):
            body = inner[len(left) : len(inner) - len(right)]
            return (
                " " * (lead + len(left)) + body + " " * (len(text) - lead - len(inner) + len(right))
            )
    return text


def _parse_with(text: str, latex: bool, env: dict[str, sp.Basic]) -> tuple[sp.Basic, list[str]]:
    blanked = _blank_delimiters(text)
    toks = tokenize(blanked, latex=latex)
    toks, label = _strip_label(toks, blanked)
    g = Grammar(toks, env, text, latex)
    if label is not None:
        g.note(f"read the right-hand side of `=` (the left side `{label}` is taken as a label)")
    if g.tok.kind == "end":
        raise g.fail("the answer is empty")
    v = g.parse_group()
    if g.is_op(*FINAL_MARKS) and g.peek().kind == "end":
        mark = g.advance()
        g.note(f"the `{mark.text}` that ends the answer is punctuation, not part of it")
    if g.tok.kind != "end":
        raise g.fail(f"unexpected {g.describe(g.tok)} after a complete expression")
    expr = scalarize(v.expr)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise AnswerSyntaxError("the answer is undefined (it divides by zero or is infinite)")
    if expr.has(FITTING):
        raise AnswerShapeError("the size of the identity `I` is not fixed by the answer: "
                               "write I_d or I_k", v.pos)
    return expr, g.notes


def parse_answer(text: str, latex: bool | None = None) -> Parsed:
    """Read ``text`` (LaTeX if ``latex`` is True, or None and ``text`` has a backslash).

    Raises :class:`AnswerSyntaxError` (or its subclasses for shapes and unknown names) with
    the offset of the problem. Where the shapes fit only for d = k (``A.T*A*w``), the answer
    is read with d = k and ``square_because`` holds the shape error of arbitrary d, k.

    >>> p = parse_answer("A.T*A*w")
    >>> p.square_only, p.expr.shape, p.square_because
    (True, (d, 1), 'cannot multiply `A.T*A` ...
    """
    if latex is None:
        latex = looks_like_latex(text)
    try:
        expr, notes = _parse_with(text, latex, dict(S.BY_NAME))
        return Parsed(expr, tuple(notes), "", latex)
    except AnswerShapeError as strict_error:
        try:
            expr, notes = _parse_with(text, latex, _square_env())
        except AnswerSyntaxError:
            raise strict_error from None
        note = f"the shapes fit only when d = k: {strict_error.message}"
        return Parsed(expr, (*notes, note), strict_error.message, latex)
