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
from derivations.checker.reading.definedness import check_defined
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
    source ``text`` (math delimiters blanked) up to that ``=``.

    Only a label is dropped (:func:`_is_label`): a chain ``x^* = w/λ = w/(2λ)``, two answers
    ``R_1 = a_1, R_2 = a_2`` or an equation ``w/λ = w/(2λ)`` is refused, never read as its
    last member alone (read all or refuse).
    """
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
    if not _is_label(toks[:cut]):
        first = next((t for t in toks[:cut] if t.kind == "op" and t.text == "="), toks[cut])
        what = ("a chain of `=`" if first is not toks[cut]
                else f"the left side `{label}` of `=` is not a label such as x^* or R_1")
        raise AnswerSyntaxError(
            f"{what}: only the part after the last `=` would be read; "
            "write the answer alone or as `x^* = ...`", first.pos)
    return toks[cut + 1 :], label


def _group_end(toks: list[Token], j: int) -> int:
    """The index after the bracket group that opens at ``toks[j]`` (``(`` or ``{``), or -1."""
    depth = 0
    for k in range(j, len(toks)):
        t = toks[k]
        if t.kind == "op" and t.text in ("(", "{", "["):
            depth += 1
        elif t.kind == "op" and t.text in (")", "}", "]"):
            depth -= 1
            if depth == 0:
                return k + 1
        elif t.kind == "op" and t.text == "=":
            return -1
    return -1


def _is_label(toks: list[Token]) -> bool:
    """Whether ``toks`` (the left side of ``=``) name what the answer is: an optional
    ``\\lim_{…}``, then one name with sub- and superscripts (``x^*``, ``R_1^{(γ)}``,
    ``\\mathbf{x}^\\star``) and at most one argument in parentheses (``o(x)``).

    >>> from derivations.checker.tokens import tokenize
    >>> sides = (r"x^*", r"R_1", r"\\lim_{\\gamma\\to\\infty} o(x)", r"\\frac{w}{\\lambda}",
    ...          r"R_1 = a_1, R_2")
    >>> [_is_label(tokenize(s, latex=True)[:-1]) for s in sides]
    [True, True, True, False, False]
    """
    j = 0
    if len(toks) > 3 and toks[0].kind == "name" and toks[0].text == "lim" \
            and toks[1].kind == "op" and toks[1].text == "_":
        j = _group_end(toks, 2) if toks[2].text == "{" else 3
        if j < 0:
            return False
    if j >= len(toks) or toks[j].kind != "name":
        return False
    j += 1
    argument = False
    while j < len(toks):
        t = toks[j]
        if t.kind == "op" and t.text in ("^", "_") and j + 1 < len(toks):
            nxt = toks[j + 1]
            if nxt.kind == "op" and nxt.text == "{":
                j = _group_end(toks, j + 1)
                if j < 0:
                    return False
            elif nxt.kind in ("name", "num") or (nxt.kind == "op" and nxt.text in ("*", "'")):
                j += 2
            else:
                return False
        elif t.kind == "op" and t.text in ("'", "*"):  # x' and the text spelling x*
            j += 1
        elif t.kind == "op" and t.text == "(" and not argument:
            argument = True
            j = _group_end(toks, j)
            if j < 0:
                return False
        else:
            return False
    return True


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
    check_defined(expr, g.requirements, text)
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
