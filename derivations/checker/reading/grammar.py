"""The grammar: recursive descent over the precedence levels of an answer.

From the loosest to the tightest binding::

    group    := sum [ \\over sum ]                     (latex_commands.read_over)
    sum      := term { (+ | -) term }
    term     := unary { (* | / | implicit) power }     (implicit: `2 lambda`, `A A^T w`)
    unary    := (- | +) unary | power
    power    := postfix { ^ exponent | ᵀ | ' | ⁻¹ | ⁺ | ⁻ }   (SUPERSCRIPT_MARKS)
    postfix  := atom { ᵀ | ' | ⁻¹ | _+ | _- | .T | .I }      (POSTFIX_MARKS)
    atom     := number | name | command | ( group ) | bars | cases   (ATOM_KINDS, ATOM_OPENERS)

Implicit multiplication has the precedence of ``*``, and a ``/`` followed by an implicit
product gets a note on how it was read (``w/2 lambda`` is (w/2)·λ). An exponent is a number
or a mark (:data:`EXPONENT_MARKS`): ``A^T``, ``A^\\top``, ``A^{-T}``, ``(t)^+`` = max(0, t),
``(t)^-`` = min(0, t); ``x^*`` is refused (it marks an optimum). In text ``a^b^c`` is
``a^(b^c)``; in LaTeX ``x^23`` is ``x^2·3``. The atoms are read by their handlers: names
(:mod:`~derivations.checker.reading.names`), LaTeX commands
(:mod:`~derivations.checker.reading.latex_commands`), bars
(:mod:`~derivations.checker.reading.functions`) and cases
(:mod:`~derivations.checker.reading.cases`); every operation checks shapes
(:mod:`~derivations.checker.reading.shapes`) and sizes
(:mod:`~derivations.checker.reading.limits`).

>>> from derivations.symbols import BY_NAME
>>> from derivations.checker.tokens import tokenize
>>> g = Grammar(tokenize("2 lambda^2 - a1", latex=False), dict(BY_NAME), "2 lambda^2 - a1", False)
>>> g.parse_group().expr
-a1 + 2*lambda**2
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derivations.checker.notation import display
from derivations.checker.reading.cases import CONDITION_WORDS, read_brace_array, read_cases
from derivations.checker.reading.functions import read_bars
from derivations.checker.reading.latex_commands import read_command, read_over
from derivations.checker.reading.limits import MAX_DEPTH
from derivations.checker.reading.names import read_name, resolvable, shown
from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.shapes import (
    add,
    divide,
    inverse,
    multiply,
    power,
    scalar_only,
    scalarize,
    transpose,
)
from derivations.checker.tokens import Token

__all__ = ["ATOM_KINDS", "ATOM_OPENERS", "EXPONENT_MARKS", "Grammar", "POSTFIX_MARKS",
           "SUPERSCRIPT_MARKS"]

#: An exponent as read: a mark ("T", "-T", "pos", "neg", "star") or "value" with its value.
Exponent = tuple[str, Value | None]


class Grammar(Reader):
    """The precedence levels (see the module docstring); the atoms, marks and exponents are
    read by the handlers in this module's tables."""

    # -- sums and products -----------------------------------------------------------------
    def parse_group(self) -> Value:
        """A group's content: a sum, or TeX's ``a \\over b`` — everything before ``\\over``
        in the group divided by everything after it (``{w \\over 2\\lambda}``)."""
        numerator = self.parse_sum()
        if not self.is_op("OVER"):
            return numerator
        return read_over(self, numerator)

    def parse_sum(self) -> Value:
        self.deeper()
        left = self.parse_term()
        while self.is_op("+", "-"):
            op = self.advance()
            right = self.parse_term()
            left = add(self, left, right, op)
        self.depth -= 1
        return left

    def starts_factor(self) -> bool:
        """Whether the current token starts a factor of an implicit product."""
        t = self.tok
        if t.kind == "num" or t.kind == "cmd":
            return True
        if t.kind == "name":
            return t.text not in CONDITION_WORDS
        if t.kind != "op":
            return False
        if t.text in ("(", "[", "{", "BEGIN_CASES"):
            return True
        if t.text in ("‖", "|"):
            if t.text == "|" and self.in_condition:  # `|` joins conditions: Eq(a, b) | (a < b)
                return False
            return not (self.closers and self.closers[-1] == t.text)
        return False

    def parse_term(self) -> Value:
        left = self.parse_unary()
        quotient: Value | None = None  # the last `a/b`, if implicit factors follow it
        after: list[Value] = []
        while True:
            if self.is_op("*", "/") or not self.starts_factor():
                self._note_division(quotient, after)
                quotient, after = None, []
            if self.is_op("*"):
                op = self.advance()
                left = multiply(self, left, self.parse_unary(), op.pos)
            elif self.is_op("/"):
                op = self.advance()
                left = divide(self, left, self.parse_unary(), op.pos)
                quotient = Value(left.expr, left.pos, left.end)
            elif self.starts_factor():
                pos = self.tok.pos
                self._refuse_digit_groups()
                right = self.parse_power()
                after.append(right)
                left = multiply(self, left, right, pos)
            else:
                return left

    def _refuse_digit_groups(self) -> None:
        """A number right after a number (``1 000``, ``1\\,000``, ``0 5``; not after an
        exponent) is refused, never multiplied: it is a grouped or mistyped number, and
        1·000 = 0 would read a different answer than the one written."""
        toks, i = self.toks, self.i
        if self.tok.kind == "num" and i and toks[i - 1].kind == "num":
            before = toks[i - 1]
            j = i - 2
            if j >= 0 and toks[j].kind == "op" and toks[j].text in ("-", "+"):
                j -= 1
            if j >= 0 and toks[j].kind == "op" and toks[j].text in SUPERSCRIPT_MARKS:
                return  # an exponent, then a factor: (a1 − a2)^2 10^{-30}
            raise self.fail(
                f"two numbers side by side, `{self.text[before.pos:self.tok.end]}`: write a "
                "number without spaces (1000), or a product with `*` or `\\cdot`")

    def _note_division(self, quotient: Value | None, after: list[Value]) -> None:
        """Say how ``w/2 lambda`` was read: (w/2)·lambda, ``/`` binding one factor."""
        if quotient is None or not after:
            return
        whole = self.text[quotient.pos : after[-1].end].strip()
        factors = "·".join(self.span(v) for v in after)
        self.note(
            f"`/` divides by the next factor only: read `{whole}` as "
            f"({self.span(quotient)})·{factors}"
        )

    def deeper(self) -> None:
        """One level deeper; refused past :data:`~.limits.MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("the answer is nested too deeply")

    def parse_unary(self) -> Value:
        if self.is_op("-", "+"):
            op = self.advance()
            self.deeper()
            v = self.parse_unary()
            self.depth -= 1
            return Value(-v.expr if op.text == "-" else v.expr, op.pos, v.end)
        return self.parse_power()

    # -- powers and marks ------------------------------------------------------------------
    def parse_power(self) -> Value:
        start = self.tok.pos
        base = self.parse_postfix()
        while self.tok.kind == "op" and self.tok.text in SUPERSCRIPT_MARKS:
            base = SUPERSCRIPT_MARKS[self.tok.text](self, base)
        base = Value(base.expr, base.pos, max(base.end, self.last_end()))
        run = self.runs.pop(start, None)
        if run is not None and base.end > run[1]:
            # the last atom of a run took a superscript: say what was read (`AA^T` as A·Aᵀ)
            run_pos, _, parts, plain = run
            read = "·".join([*(display(p) for p in parts[:-1]), shown(base.expr)])
            noted = f"read `{self.text[run_pos:base.end].strip()}` as {read}"
            self.notes[:] = [noted if n == plain else n for n in self.notes]
        return base

    def parse_postfix(self) -> Value:
        v = self.parse_atom()
        while True:
            t = self.tok
            mark = POSTFIX_MARKS.get(t.text) if t.kind == "op" else None
            marked = mark(self, v) if mark is not None else None
            if marked is None:
                v.end = max(v.end, self.last_end())
                return v
            v = marked

    def parse_exponent(self) -> Exponent:
        """The exponent after ``^``: a mark ('T', '-T', 'pos', 'neg', 'star') or a value."""
        t = self.tok
        if self.is_op("{", "("):
            close = "}" if t.text == "{" else ")"
            inner = [self.peek(k) for k in (1, 2, 3)]
            for marks, kind in (
                ((self._t_mark,), "T"),
                ((lambda u: self.is_op("-", tok=u), self._t_mark), "-T"),
                ((lambda u: self.is_op("+", tok=u),), "pos"),
                ((lambda u: self.is_op("-", tok=u),), "neg"),
                ((lambda u: self.is_op("*", tok=u),), "star"),
                ((lambda u: self.is_op("'", tok=u),), "T"),
            ):
                n = len(marks)
                if all(m(u) for m, u in zip(marks, inner, strict=False)) and self.is_op(
                    close, tok=inner[n]
                ):
                    for _ in range(n + 2):
                        self.advance()
                    return kind, None
            self.advance()
            self.closers.append(close)
            v = self.parse_group()
            self.closers.pop()
            self.expect(close, "to close the exponent")
            return "value", v
        if self._t_mark(t):
            self.advance()
            return "T", None
        if t.kind == "name" and t.text[0] in "Tt" and resolvable(self, t.text[1:]):
            self.split(1)
            self.advance()
            return "T", None
        if self.is_op("*"):
            self.advance()
            return "star", None
        if self.is_op("-", "+"):
            sign = self.advance()
            if sign.text == "-" and self._t_mark(self.tok):
                self.advance()
                return "-T", None
            if not self._starts_operand():
                return ("neg" if sign.text == "-" else "pos"), None
            v = self.parse_exponent_operand()
            return "value", Value(-v.expr if sign.text == "-" else v.expr, sign.pos, v.end)
        return "value", self.parse_exponent_operand()

    def _t_mark(self, t: Token) -> bool:
        return (t.kind == "name" and t.text in ("T", "t")) or self.is_op("ᵀ", tok=t)

    def _starts_operand(self) -> bool:
        t = self.tok
        return t.kind in ("num", "name", "cmd") or self.is_op("(", "{", "[", "‖", "|")

    def parse_exponent_operand(self) -> Value:
        """An exponent without braces: one factor (``x^2``, ``x^-1``, ``e^x``)."""
        t = self.tok
        if self.latex and t.kind == "num" and len(t.text) > 1 and "." not in t.text:
            self.split(1)  # LaTeX: x^23 is x^2·3
        v = self.parse_postfix()
        if self.is_op("^") and not self.latex:  # right-associative: a^b^c = a^(b^c)
            op = self.advance()
            self.deeper()
            v = self.apply_exponent(v, self.parse_exponent(), op.pos)
            self.depth -= 1
        return v

    def apply_exponent(self, base: Value, exponent: Exponent, pos: int) -> Value:
        kind, value = exponent
        return EXPONENT_MARKS[kind](self, base, value, pos)

    # -- atoms -----------------------------------------------------------------------------
    def parse_atom(self) -> Value:
        t = self.tok
        read = ATOM_KINDS.get(t.kind)
        if read is None and t.kind == "op":
            read = ATOM_OPENERS.get(t.text)
        if read is not None:
            return read(self)
        if t.kind == "end":
            raise self.fail("the answer ends where a value is expected")
        raise self.fail(f"unexpected {self.describe(t)} where a value is expected")


# -- atoms, by token kind and by opening bracket ------------------------------------------------
def _number(g: Grammar) -> Value:
    t = g.advance()
    return Value(sp.Rational(t.text), t.pos, t.end)


def _bracketed(g: Grammar) -> Value:
    if g.is_op("BEGIN_ARRAY", tok=g.peek()):  # \\left\\{ \\begin{array}: cases
        return read_brace_array(g)
    t = g.advance()
    close = {"(": ")", "[": "]", "{": "}"}[t.text]
    g.closers.append(close)
    v = g.parse_group()
    g.closers.pop()
    g.expect(close, f"to close the `{t.text}` opened at position {t.pos + 1}")
    return Value(v.expr, t.pos, g.last_end())


#: Atoms by the kind of their first token.
ATOM_KINDS: dict[str, Callable[[Grammar], Value]] = {
    "num": _number,
    "name": read_name,
    "cmd": read_command,
}

#: Atoms by the operator that opens them.
ATOM_OPENERS: dict[str, Callable[[Grammar], Value]] = {
    "(": _bracketed,
    "[": _bracketed,
    "{": _bracketed,
    "‖": read_bars,
    "|": read_bars,
    "BEGIN_CASES": read_cases,
}


# -- marks after an atom ------------------------------------------------------------------------
def _transposed(g: Grammar, v: Value) -> Value:
    g.advance()
    return transpose(g, v)


def _inverted(g: Grammar, v: Value) -> Value:
    return inverse(g, v, g.advance().pos)


def _part(g: Grammar, v: Value) -> Value | None:
    """``[x]_+ = max(0, x)``, ``[x]_- = min(0, x)`` (the sheet's positive and negative
    parts), where ``_+``, ``_-``, ``_{+}`` or ``_{-}`` follows; else None."""
    nxt = g.peek()
    if g.is_op("+", "-", tok=nxt):
        sign = nxt.text
    elif g.is_op("{", tok=nxt) and g.is_op("+", "-", tok=g.peek(2)) and \
            g.is_op("}", tok=g.peek(3)):
        sign = g.peek(2).text
    else:
        return None
    braced = g.is_op("{", tok=g.peek())
    for _ in range(4 if braced else 2):
        g.advance()
    x = scalar_only(g, v, f"the {'positive' if sign == '+' else 'negative'} part")
    return Value((sp.Max if sign == "+" else sp.Min)(0, x), v.pos, g.last_end())


def _method(g: Grammar, v: Value) -> Value | None:
    """``A.T``, ``A.I``, ``A.transpose()``, ``A.inv()``; None where no name follows the dot."""
    if g.peek().kind != "name":
        return None
    dot = g.advance()
    method = g.advance()
    if g.is_op("(") and g.is_op(")", tok=g.peek()):
        g.advance()
        g.advance()
    if method.text in ("T", "transpose"):
        return transpose(g, v)
    if method.text in ("I", "inv"):
        return inverse(g, v, dot.pos)
    raise g.fail(f"unknown method `.{method.text}` (use .T or .I)", dot.pos)


#: Marks right after an atom, by their operator; a mark that does not apply there (``_``
#: without a sign, ``.`` without a name) gives None and ends the atom.
POSTFIX_MARKS: dict[str, Callable[[Grammar, Value], Value | None]] = {
    "ᵀ": _transposed,
    "'": _transposed,
    "⁻¹": _inverted,
    "_": _part,
    ".": _method,
}


def _superscript(g: Grammar, base: Value) -> Value:
    op = g.advance()
    return g.apply_exponent(base, g.parse_exponent(), op.pos)


def _sign_part(g: Grammar, base: Value) -> Value:
    """``(t)⁺ = max(0, t)``, ``(t)⁻ = min(0, t)``: the sheet's parts."""
    op = g.advance()
    return g.apply_exponent(base, ("pos" if op.text == "⁺" else "neg", None), op.pos)


#: Superscripts and marks after a factor, by their operator.
SUPERSCRIPT_MARKS: dict[str, Callable[[Grammar, Value], Value]] = {
    "^": _superscript,
    "ᵀ": _transposed,
    "'": _transposed,
    "⁻¹": _inverted,
    "⁺": _sign_part,
    "⁻": _sign_part,
}


# -- what an exponent does ------------------------------------------------------------------
def _positive_part(g: Grammar, base: Value, _: Value | None, pos: int) -> Value:
    scalar_only(g, base, "the positive part")
    return Value(sp.Max(0, scalarize(base.expr)), base.pos, g.last_end())


def _negative_part(g: Grammar, base: Value, _: Value | None, pos: int) -> Value:
    scalar_only(g, base, "the negative part")
    return Value(sp.Min(0, scalarize(base.expr)), base.pos, g.last_end())


def _star(g: Grammar, base: Value, _: Value | None, pos: int) -> Value:
    raise g.fail("`^*` marks an optimum (x^*); write the answer alone or as `x^* = ...`", pos)


def _value(g: Grammar, base: Value, value: Value | None, pos: int) -> Value:
    assert value is not None
    return power(g, base, value, pos)


#: What ``base^exponent`` is, by the exponent's kind (:meth:`Grammar.parse_exponent`).
EXPONENT_MARKS: dict[str, Callable[[Grammar, Value, Value | None, int], Value]] = {
    "T": lambda g, base, _, pos: transpose(g, base),
    "-T": lambda g, base, _, pos: inverse(g, transpose(g, base), pos),
    "pos": _positive_part,
    "neg": _negative_part,
    "star": _star,
    "value": _value,
}
