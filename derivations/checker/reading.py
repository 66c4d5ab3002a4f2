"""Read a typed answer (text or LaTeX) into a shape-checked SymPy expression.

A recursive-descent parser over :mod:`derivations.checker.tokens`, written for the sheet's
notation rather than borrowed from SymPy's parsers, so that nothing is silently misread:

* ``lambda`` is the symbol λ (not Python's keyword), ``gamma`` the LRP parameter γ (not the
  gamma function: ``gamma(a1)`` is read as γ·a1, with a note);
* ``A^T``, ``A^\\top``, ``A.T``, ``A'`` and ``Aᵀ`` are transposes, never powers;
  ``Sigma^-1``, ``\\Sigma^{-1}``, ``inv(Sigma)`` are inverses; ``(t)^+`` is max(0, t);
* matrix symbols multiply as matrices: non-commutatively, with their shapes checked;
* implicit multiplication (``2 lambda``, ``A A^T w``) has the precedence of ``*``, and a
  ``/`` followed by an implicit product gets a note on how it was read;
* ``x^* = ...`` or ``R_1 = ...``: the part after the last ``=`` is the answer;
* TeX's ``{a \\over b}`` is a/b (the whole group on each side); ``\\min_{j=1}^{3} h_j`` is
  min(h1, h2, h3), ``\\min_j h_j`` the minimum over any number of units; a ``+ 0`` fits any
  shape;
* exponents are bounded as the answer is read, before SymPy builds anything large: at most
  :data:`MAX_EXPONENT` each, at most :data:`MAX_DEGREE` for the whole expression as written
  (:func:`degree`, so ``((λ+1)^100)^100`` is refused too), and never a variable (``2^λ``) —
  the refusal says "exponent too large" or why.

Every name comes from :mod:`derivations.symbols`. Errors carry the offset in the input.

>>> str(parse_answer("w/(2*lambda)").expr)
'(1/(2*lambda))*w'
>>> str(parse_answer(r"\\frac{1}{2\\lambda} A A^\\top w + c").expr)
'(1/(2*lambda))*A*A.T*w + c'
>>> parse_answer("gamma(a1 + a2)").notes[0]
'read `gamma(...)` as γ·(...): gamma is the LRP parameter γ, not the gamma function'
>>> parse_answer("w w")
Traceback (most recent call last):
...
derivations.checker.reading.AnswerShapeError: cannot multiply `w` (d×1 vector) by `w` ...
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from derivations import symbols as S
from derivations.checker.tokens import (
    INDICATOR,
    AnswerSyntaxError,
    Token,
    looks_like_latex,
    tokenize,
)
from derivations.matrix_identities import shape_of

__all__ = [
    "AnswerShapeError",
    "AnswerSyntaxError",
    "Parsed",
    "UnknownSymbolError",
    "parse_answer",
    "shape_text",
]

#: Other spellings of the sheet's names.
ALIASES = {"lam": "lambda", "lmbda": "lambda"}

#: Words that introduce a condition (``\\text{if } a_1 < a_2``; German ``falls``, ``wenn``,
#: ``für``).
IF_WORDS = {"if", "for", "when", "where", "falls", "wenn", "für", "fur", "sofern"}
#: Words that stand for "every other case".
OTHERWISE_WORDS = {"otherwise", "else", "sonst", "ansonsten", "True", "true"}
#: Words joining conditions.
AND_WORDS = {"and", "und"}
OR_WORDS = {"or", "oder"}

#: Words that only structure a condition.
CONDITION_WORDS = IF_WORDS | OTHERWISE_WORDS | AND_WORDS | OR_WORDS

#: The placeholder of ``h_j`` inside ``\\min_j h_j`` (any index letter).
H_J = sp.Symbol("h_j", real=True)
#: The placeholder of ``h_M``, the last of ``h_1, …, h_M``, and of the ``…`` before it.
H_LAST = sp.Symbol("h_M", real=True)
ELLIPSIS = sp.Symbol("ellipsis")
#: Letters that may name the index of ``\\min_j``.
INDEX_LETTERS = set("ijklmn")


class _OverUnits(sp.Function):
    """``op_j body(h_j)`` over a number M of units left open; :func:`instantiate` fixes M."""

    nargs = 1
    op = ""

    def _sympystr(self, printer) -> str:
        return f"{self.op}_j({printer._print(self.args[0])})"

    def _latex(self, printer) -> str:
        return rf"\{self.op}_{{j}} {printer._print(self.args[0])}"


class IndexedMin(_OverUnits):
    """``min_j body(h_j)``."""

    op = "min"


class IndexedMax(_OverUnits):
    """``max_j body(h_j)``."""

    op = "max"


def instantiate(expr: sp.Basic, m: int) -> sp.Basic:
    """``expr`` with every ``min_j``/``max_j`` over ``h_1, …, h_m``.

    >>> instantiate(-IndexedMin(H_J), 3)
    -Min(h1, h2, h3)
    """
    hs = S.hs(m)
    return expr.replace(IndexedMin, lambda b: sp.Min(*(b.xreplace({H_J: h}) for h in hs))) \
        .replace(IndexedMax, lambda b: sp.Max(*(b.xreplace({H_J: h}) for h in hs)))

#: Deepest nesting of brackets accepted.
MAX_DEPTH = 60

#: Largest exponent accepted (its absolute value; a number: ``2^100``, or a power of an
#: expression: ``λ^-3``). The sheet's answers need at most squares and inverses; a larger
#: exponent only makes SymPy and the exact comparison slow (``min(1, (λ+1)^1000)`` expands a
#: polynomial of degree 1000 while it is read).
MAX_EXPONENT = 100

#: Largest degree of an answer in the sheet's symbols, counted on the expression as written
#: (:func:`degree`: a product adds its factors' degrees, a power multiplies by the absolute
#: exponent), so that nested or multiplied powers cannot pass :data:`MAX_EXPONENT` one at a
#: time (``((λ+1)^100)^100`` is ``(λ+1)^10000``). The sheet's answers have degree at most 6,
#: the checker's hardest test answer 40 (``(a1 + γ + 1)^40 − ((a1 + γ)^2 + …)^20``); SymPy reads
#: a ``min``/``max`` of a polynomial of degree 40 in one symbol in at most about 0.35 s (it
#: isolates the real roots to compare), of degree 1000 in minutes.
MAX_DEGREE = 40

#: Most decimal digits of a number in an answer as read (numerator or denominator): a number
#: the student wrote (``1e300``) or one reading made (``(1e200·a1)^40`` holds 10⁸⁰⁰⁰). Past
#: it, exact arithmetic and printing slow down (Python refuses to print an integer of more
#: than 4,300 digits); the sheet's answers need a handful.
MAX_DIGITS = 3000


def digits(expr: sp.Basic) -> int:
    """The most decimal digits of a numerator or denominator of a number in ``expr``.

    >>> digits(sp.Rational(10**12, 7) * sp.Symbol("x"))
    13
    """
    sizes = [max(abs(q.p), q.q) for q in expr.atoms(sp.Rational)]
    return max((len(str(n)) if n.bit_length() < 12000 else int(n.bit_length() * 0.30103) + 1
                for n in sizes), default=1)


def degree(expr: sp.Basic, memo: dict[sp.Basic, float] | None = None) -> float:
    """An upper bound of the polynomial degree of ``expr`` in its symbols, as written.

    A symbol (scalar or matrix) has degree 1, a number 0; a product (also of matrices) the sum
    of its factors' degrees; a power ``b^e`` with a number ``e`` the degree of ``b`` times
    ``|e|`` (so a quotient counts its denominator's degree too); a power with a variable
    exponent the sum of both degrees; anything else (a sum, ``min``, ``exp``, a case) the
    largest degree of its arguments. ``memo`` caches the degrees of subexpressions.

    >>> from derivations.symbols import lam, a1, A
    >>> degree((lam + 1)**3 * a1 / (a1 + lam)), degree(sp.Min(a1, lam**2)), degree(A * A.T)
    (5.0, 2.0, 2.0)
    """
    if memo is None:
        memo = {}
    known = memo.get(expr)
    if known is not None:
        return known
    if isinstance(expr, sp.Symbol | sp.MatrixSymbol):
        result = 1.0
    elif not expr.args or expr.is_number:
        result = 0.0
    elif isinstance(expr, sp.Pow | sp.MatPow):
        base, exponent = expr.args
        if exponent.is_number:
            result = degree(base, memo) * _magnitude(exponent)
        else:
            result = degree(base, memo) + degree(exponent, memo)
    elif isinstance(expr, sp.Mul | sp.MatMul):
        result = sum(degree(a, memo) for a in expr.args)
    else:
        result = max(degree(a, memo) for a in expr.args)
    memo[expr] = result
    return result


def _magnitude(number: sp.Expr) -> float:
    """``|number|`` as a float (``inf`` for one too large for a float)."""
    try:
        return float(abs(sp.N(number, 15)))
    except (TypeError, ValueError, OverflowError):
        return float("inf")


class AnswerShapeError(AnswerSyntaxError):
    """An answer whose shapes do not fit (a product, sum or function of the wrong shapes)."""


class UnknownSymbolError(AnswerSyntaxError):
    """An answer that uses a name the sheet does not define."""


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
        """Written for any number M of units (``\\min_j h_j``): see :func:`instantiate`."""
        return self.expr.has(IndexedMin, IndexedMax)


@dataclass(frozen=True)
class _Bound:
    """A bound of ``min_j``: the number of a unit, or a name (``M``) for any number."""

    value: int | str
    pos: int


@dataclass
class _Limits:
    """What the subscript of ``min_j`` says: the index letter, the first and last unit (None:
    not said), or the units listed (``j \\in \\{1, 2\\}``)."""

    index: str
    low: _Bound | None = None
    high: _Bound | None = None
    listed: list[_Bound] | None = None


@dataclass
class _Val:
    """An intermediate value: a SymPy expression and the input span it came from."""

    expr: sp.Basic
    pos: int
    end: int

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr] | None:
        return shape_of(self.expr)


def shape_text(shape: tuple | None) -> str:
    """``None`` → "scalar", ``(d, 1)`` → "d×1 vector", ``(d, k)`` → "d×k matrix".

    >>> shape_text(None), shape_text((S.d, 1)), shape_text((1, S.d)), shape_text((S.d, S.k))
    ('scalar', 'd×1 vector', '1×d row vector', 'd×k matrix')
    """
    if shape is None:
        return "scalar"
    r, c = shape
    kind = "vector" if c == 1 and r != 1 else "row vector" if r == 1 and c != 1 else "matrix"
    return f"{r}×{c} {kind}"


class Scalar1x1(MatrixElement):
    """The only entry of a 1×1 matrix expression (``wᵀx``, ``xᵀx``), used as a scalar.

    Unlike SymPy's ``MatrixElement``, ``doit`` keeps it whole (no ``Sum`` over an index).

    >>> e = Scalar1x1(S.w.T * S.x, 0, 0)
    >>> e, (e * S.w).doit()
    ((w.T*x), (w.T*x)*w)
    """

    def doit(self, **hints):  # noqa: D102 - keep the product whole
        return self

    def _sympystr(self, printer) -> str:
        return "(" + printer._print(self.parent) + ")"

    def _latex(self, printer) -> str:
        return r"\left(" + printer._print(self.parent) + r"\right)"


def scalarize(expr: sp.Basic) -> sp.Basic:
    """A 1×1 matrix as the scalar it is (its only entry); other values unchanged."""
    if shape_of(expr) == (1, 1):
        return Scalar1x1(expr, 0, 0)
    return expr


def _is_square(shape: tuple | None) -> bool:
    return shape is not None and shape[0] == shape[1]


@dataclass
class _Parser:
    toks: list[Token]
    env: dict[str, sp.Basic]
    text: str
    latex: bool
    notes: list[str] = field(default_factory=list)
    closers: list[str] = field(default_factory=list)
    i: int = 0
    depth: int = 0
    in_condition: int = 0
    index: str | None = None     # the index letter of the min_j being read
    ellipsis: bool = False       # reading min(h_1, …, h_M)
    degrees: dict[sp.Basic, float] = field(default_factory=dict)  # memo of :func:`degree`
    #: runs of names split into atoms (``AA``), by their last atom's offset: the run's
    #: start and end, its atoms and the note that names them
    runs: dict[int, tuple[int, int, list[str], str]] = field(default_factory=dict)

    # -- token helpers ---------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        t = self.toks[self.i]
        if t.kind == "error":
            raise AnswerSyntaxError(t.text, t.pos)
        return t

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def advance(self) -> Token:
        t = self.tok
        if t.kind != "end":
            self.i += 1
        return t

    def is_op(self, *texts: str, tok: Token | None = None) -> bool:
        t = tok or self.tok
        return t.kind == "op" and t.text in texts

    def span(self, v: _Val) -> str:
        return self.text[v.pos : v.end].strip() or "?"

    def last_end(self) -> int:
        return self.toks[self.i - 1].end if self.i else 0

    def fail(self, message: str, pos: int | None = None) -> AnswerSyntaxError:
        return AnswerSyntaxError(message, self.tok.pos if pos is None else pos)

    def describe(self, t: Token) -> str:
        return "the end of the input" if t.kind == "end" else f"`{self.text[t.pos : t.end]}`"

    def expect(self, text: str, context: str) -> Token:
        if not self.is_op(text):
            raise self.fail(f"expected `{text}` {context}, found {self.describe(self.tok)}")
        return self.advance()

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    # -- grammar ---------------------------------------------------------------------------
    def parse_sum(self) -> _Val:
        self.deeper()
        left = self.parse_term()
        while self.is_op("+", "-"):
            op = self.advance()
            right = self.parse_term()
            left = self.add(left, right, op)
        self.depth -= 1
        return left

    def parse_group(self) -> _Val:
        """A group's content: a sum, or TeX's ``a \\over b`` — everything before ``\\over``
        in the group divided by everything after it (``{w \\over 2\\lambda}``)."""
        numerator = self.parse_sum()
        if not self.is_op("OVER"):
            return numerator
        op = self.advance()
        if self.tok.kind == "end" or any(self.is_op(c) for c in self.closers[-1:]):
            raise self.fail("`\\over` needs a denominator after it", op.pos)
        denominator = self.parse_sum()
        if self.is_op("OVER"):
            raise self.fail("two `\\over` in one group are ambiguous: put each fraction in "
                            "its own braces")
        return self.div(numerator, denominator, op.pos)

    def starts_factor(self) -> bool:
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

    def parse_term(self) -> _Val:
        left = self.parse_unary()
        quotient: _Val | None = None  # the last `a/b`, if implicit factors follow it
        after: list[_Val] = []
        while True:
            if self.is_op("*", "/") or not self.starts_factor():
                self._note_division(quotient, after)
                quotient, after = None, []
            if self.is_op("*"):
                op = self.advance()
                left = self.mul(left, self.parse_unary(), op.pos)
            elif self.is_op("/"):
                op = self.advance()
                left = self.div(left, self.parse_unary(), op.pos)
                quotient = _Val(left.expr, left.pos, left.end)
            elif self.starts_factor():
                pos = self.tok.pos
                right = self.parse_power()
                after.append(right)
                left = self.mul(left, right, pos)
            else:
                return left

    def _note_division(self, quotient: _Val | None, after: list[_Val]) -> None:
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
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("the answer is nested too deeply")

    def parse_unary(self) -> _Val:
        if self.is_op("-", "+"):
            op = self.advance()
            self.deeper()
            v = self.parse_unary()
            self.depth -= 1
            return _Val(-v.expr if op.text == "-" else v.expr, op.pos, v.end)
        return self.parse_power()

    def parse_power(self) -> _Val:
        start = self.tok.pos
        base = self._power_of(self.parse_postfix())
        run = self.runs.pop(start, None)
        if run is not None and base.end > run[1]:
            # the last atom of a run took a superscript: say what was read (`AA^T` as A·Aᵀ)
            run_pos, _, parts, plain = run
            shown = "·".join([*parts[:-1], _shown(base.expr)])
            noted = f"read `{self.text[run_pos:base.end].strip()}` as {shown}"
            self.notes[:] = [noted if n == plain else n for n in self.notes]
        return base

    def _power_of(self, base: _Val) -> _Val:
        """``base`` with the superscripts and postfix marks that follow it applied."""
        while True:
            if self.is_op("^"):
                op = self.advance()
                base = self.apply_exponent(base, self.parse_exponent(), op.pos)
            elif self.is_op("ᵀ", "'"):
                self.advance()
                base = self.transpose(base)
            elif self.is_op("⁻¹"):
                op = self.advance()
                base = self.inverse(base, op.pos)
            elif self.is_op("⁺", "⁻"):  # (t)⁺ = max(0, t), (t)⁻ = min(0, t): the sheet's parts
                op = self.advance()
                base = self.apply_exponent(base, ("pos" if op.text == "⁺" else "neg", None),
                                           op.pos)
            else:
                return _Val(base.expr, base.pos, max(base.end, self.last_end()))

    def parse_postfix(self) -> _Val:
        v = self.parse_atom()
        while True:
            if self.is_op("ᵀ", "'"):
                self.advance()
                v = self.transpose(v)
            elif self.is_op("⁻¹"):
                v = self.inverse(v, self.advance().pos)
            elif self.is_op("_") and self._part_sign() is not None:
                v = self.part(v, self._part_sign())
            elif self.is_op(".") and self.peek().kind == "name":
                dot = self.advance()
                method = self.advance()
                if self.is_op("(") and self.is_op(")", tok=self.peek()):
                    self.advance()
                    self.advance()
                if method.text in ("T", "transpose"):
                    v = self.transpose(v)
                elif method.text in ("I", "inv"):
                    v = self.inverse(v, dot.pos)
                else:
                    raise self.fail(f"unknown method `.{method.text}` (use .T or .I)", dot.pos)
            else:
                v.end = max(v.end, self.last_end())
                return v

    def _part_sign(self) -> str | None:
        """``+`` or ``-`` if a ``_+``, ``_-``, ``_{+}`` or ``_{-}`` follows."""
        nxt = self.peek()
        if self.is_op("+", "-", tok=nxt):
            return nxt.text
        if self.is_op("{", tok=nxt) and self.is_op("+", "-", tok=self.peek(2)) and \
                self.is_op("}", tok=self.peek(3)):
            return self.peek(2).text
        return None

    def part(self, v: _Val, sign: str) -> _Val:
        """``[x]_+ = max(0, x)``, ``[x]_- = min(0, x)`` (the sheet's positive and negative
        parts)."""
        braced = self.is_op("{", tok=self.peek())
        for _ in range(4 if braced else 2):
            self.advance()
        x = self.scalar_only(v, f"the {'positive' if sign == '+' else 'negative'} part")
        return _Val((sp.Max if sign == "+" else sp.Min)(0, x), v.pos, self.last_end())

    # -- exponents -------------------------------------------------------------------------
    def _t_mark(self, t: Token) -> bool:
        return (t.kind == "name" and t.text in ("T", "t")) or self.is_op("ᵀ", tok=t)

    def parse_exponent(self) -> tuple[str, _Val | None]:
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
        if t.kind == "name" and t.text[0] in "Tt" and self._resolvable(t.text[1:]):
            self._split(1)
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
            return "value", _Val(-v.expr if sign.text == "-" else v.expr, sign.pos, v.end)
        return "value", self.parse_exponent_operand()

    def _starts_operand(self) -> bool:
        t = self.tok
        return t.kind in ("num", "name", "cmd") or self.is_op("(", "{", "[", "‖", "|")

    def parse_exponent_operand(self) -> _Val:
        t = self.tok
        if self.latex and t.kind == "num" and len(t.text) > 1 and "." not in t.text:
            self._split(1)  # LaTeX: x^23 is x^2·3
        v = self.parse_postfix()
        if self.is_op("^") and not self.latex:  # right-associative: a^b^c = a^(b^c)
            op = self.advance()
            self.deeper()
            v = self.apply_exponent(v, self.parse_exponent(), op.pos)
            self.depth -= 1
        return v

    def _split(self, n: int) -> None:
        """Split the current token after ``n`` characters into two tokens."""
        t = self.tok
        head = Token(t.kind, t.text[:n], t.pos, t.pos + n)
        tail_kind = "num" if t.text[n:][0].isdigit() else t.kind
        tail = Token(tail_kind, t.text[n:], t.pos + n, t.end)
        self.toks[self.i : self.i + 1] = [head, tail]

    def apply_exponent(self, base: _Val, exponent: tuple[str, _Val | None], pos: int) -> _Val:
        kind, value = exponent
        if kind == "T":
            return self.transpose(base)
        if kind == "-T":
            return self.inverse(self.transpose(base), pos)
        if kind in ("pos", "neg"):
            self.scalar_only(base, f"the {'positive' if kind == 'pos' else 'negative'} part")
            f = sp.Max if kind == "pos" else sp.Min
            return _Val(f(0, scalarize(base.expr)), base.pos, self.last_end())
        if kind == "star":
            raise self.fail(
                "`^*` marks an optimum (x^*); write the answer alone or as `x^* = ...`", pos
            )
        assert value is not None
        return self.power(base, value, pos)

    # -- atoms -----------------------------------------------------------------------------
    def parse_atom(self) -> _Val:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return _Val(sp.Rational(t.text), t.pos, t.end)
        if t.kind == "name":
            return self.parse_name()
        if t.kind == "cmd":
            return self.parse_command()
        if self.is_op("(", "[", "{"):
            close = {"(": ")", "[": "]", "{": "}"}[t.text]
            self.advance()
            self.closers.append(close)
            v = self.parse_group()
            self.closers.pop()
            self.expect(close, f"to close the `{t.text}` opened at position {t.pos}")
            return _Val(v.expr, t.pos, self.last_end())
        if self.is_op("‖", "|"):
            return self.parse_bars()
        if self.is_op("BEGIN_CASES"):
            return self.parse_cases()
        if t.kind == "end":
            raise self.fail("the answer ends where a value is expected")
        raise self.fail(f"unexpected {self.describe(t)} where a value is expected")

    def parse_bars(self) -> _Val:
        """``‖x‖``, ``‖x‖_2``, ``‖x‖^2`` (Euclidean norm) or ``|t|`` (absolute value)."""
        open_ = self.advance()
        self.closers.append(open_.text)
        v = self.parse_sum()
        self.closers.pop()
        self.expect(open_.text, f"to close the `{open_.text}` opened at position {open_.pos}")
        if open_.text == "|":
            return _Val(self.scalar_fn(v, sp.Abs, "|·|"), open_.pos, self.last_end())
        if self.is_op("_"):
            self.advance()
            sub = self.advance()
            if sub.text in ("{", "("):
                sub = self.advance()
                self.expect("}" if self.toks[self.i - 2].text == "{" else ")", "after `_2`")
            if sub.text != "2":
                raise self.fail("only the Euclidean norm ‖·‖₂ is supported", sub.pos)
        return _Val(self.norm(v, open_.pos), open_.pos, self.last_end())

    def parse_name(self) -> _Val:
        t = self.tok
        name = ALIASES.get(t.text, t.text)
        if self.index is not None and name == "h" + self.index:  # h_j inside min_j
            self.advance()
            return _Val(H_J, t.pos, t.end)
        if self.ellipsis and name in ("hM", "hm", "hN", "hn"):  # the last of h_1, …, h_M
            self.advance()
            return _Val(H_LAST, t.pos, t.end)
        if name == INDICATOR:
            return self.parse_indicator()
        if name in ("min", "max", "Min", "Max") and self.is_op("_", "^", tok=self.peek()):
            return self.parse_reduction()
        if name == "e" and name not in self.env and self.is_op("^", tok=self.peek()):
            self.advance()  # e^{…}: Euler's number to a power is the exponential
            self.note("read `e^…` as exp(…)")
            return _Val(sp.E, t.pos, t.end)
        if name not in self.env and name not in FUNCTIONS:
            parts = self._segment(name)
            if not parts:
                raise self._unknown(t)
            # A run of names is a product of separate atoms: `AA^T` is A·Aᵀ, `a2a1^2` is
            # a2·a1² (a superscript binds to the last atom only). The note names the atoms;
            # parse_power rewrites it once the last atom's superscripts are read.
            plain = f"read `{self.text[t.pos:t.end]}` as {'·'.join(parts)}"
            self.note(plain)
            at, split = t.pos, []
            for part in parts:
                split.append(Token("name", part, at, min(at + len(part), t.end)))
                at += len(part)
            split[-1] = Token("name", parts[-1], split[-1].pos, t.end)
            self.toks[self.i : self.i + 1] = split
            self.runs[split[-1].pos] = (t.pos, t.end, parts, plain)
            return self.parse_name()
        self.advance()
        if self.is_op("(") and name in FUNCTIONS:
            return self.call(name, t)
        if name in self.env:
            if name == "gamma" and self.is_op("(") and self.text[t.pos] == "g":
                self.note(
                    "read `gamma(...)` as γ·(...): gamma is the LRP parameter γ, "
                    "not the gamma function"
                )
            return _Val(self.env[name], t.pos, t.end)
        if self.tok.kind != "end" and name in ("log", "ln", "exp", "sqrt"):
            arg = self.parse_power()  # \log x, \exp x without parentheses
            return _Val(FUNCTIONS[name](self, [arg], t), t.pos, arg.end)
        raise self.fail(f"`{t.text}` is a function: write {t.text}(...)", t.pos)

    def parse_reduction(self) -> _Val:
        """``min_j h_j``, ``\\min_{j=1,\\dots,M} (h_j)``: a minimum over any number M of
        units (:class:`IndexedMin`); with a number for the last unit (``\\min_{j=1}^{3} h_j``,
        ``\\min_{1 \\le j \\le 3}``, ``\\min_{j \\in \\{1, 2\\}}``) the minimum over those
        units (``Min(h1, h2, h3)``)."""
        t = self.advance()
        limits: _Limits | None = None
        top: _Bound | None = None
        while self.is_op("_", "^"):  # \min_{j=1}^{3} or \min^{3}_{j=1}
            mark = self.advance()
            if mark.text == "_" and limits is None:
                limits = self.read_limits(t)
            elif mark.text == "^" and top is None:
                top = self.read_bound(t)
            else:
                raise self.fail(f"a second `{mark.text}` on `{t.text}`", mark.pos)
        if limits is None:
            raise self.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", t.pos)
        index = limits.index
        saved, self.index = self.index, index
        try:
            body = self.parse_atom() if self.is_op("(", "[", "{") else self.parse_power()
        finally:
            self.index = saved
        expr = self.scalar_only(body, f"`{t.text}_{index}`")
        if not expr.has(H_J):
            raise self.fail(f"`{t.text}_{index}` needs a body in h_{index}, e.g. "
                            f"\\{t.text.lower()}_{index} h_{index}", t.pos)
        units = self.units(t, limits, top)
        if units is None:
            f = IndexedMin if t.text.lower() == "min" else IndexedMax
            return _Val(f(expr), t.pos, self.last_end())
        hs = [self.env[f"h{u}"] for u in units]
        f = sp.Min if t.text.lower() == "min" else sp.Max
        value = f(*(expr.xreplace({H_J: h}) for h in hs))
        self.note(f"read `{self.text[t.pos:self.last_end()].strip()}` as "
                  f"{t.text.lower()}({', '.join(sp.sstr(expr.xreplace({H_J: h})) for h in hs)})")
        return _Val(value, t.pos, self.last_end())

    def units(self, t: Token, limits: _Limits, top: _Bound | None) -> list[int] | None:
        """The numbers of the units a ``min_j`` runs over, or None for all units h_1, …, h_M
        (a bound that is a name, or none)."""
        low, high = limits.low, limits.high
        if top is not None:
            if high is not None and high.value != top.value:
                raise self.fail(f"two different last units for `{t.text}`: {high.value} and "
                                f"{top.value}", top.pos)
            high = top
        if limits.listed is not None:
            if top is not None:
                raise self.fail(f"`{t.text}` over a list of units takes no upper bound", top.pos)
            numbers = [b.value for b in limits.listed]
            if all(isinstance(v, int) for v in numbers):
                units = sorted(set(numbers))
                return self._known_units(t, units, limits.listed[0].pos)
            if len(numbers) == 1:  # j ∈ {M}: read as j = 1, …, M
                low, high = None, limits.listed[0]
            else:
                raise self.fail(f"`{t.text}` over a list of units: write numbers "
                                "(\\min_{j \\in \\{1,2,3\\}}) or a range", t.pos)
        first = 1 if low is None else low.value
        if high is None or isinstance(high.value, str):
            if first != 1:
                where = low.pos if low is not None else t.pos
                raise self.fail(
                    f"`{t.text}` from unit {first} on: only a {t.text.lower()} over all units "
                    f"(\\{t.text.lower()}_j h_j) or over numbered ones "
                    f"(\\{t.text.lower()}_{{j=1}}^{{3}} h_j) can be checked", where)
            return None
        if isinstance(first, str):
            raise self.fail(f"`{t.text}` from unit {first} to {high.value}: write numbers for "
                            "both, or \\min_j h_j for all units", low.pos if low else t.pos)
        if high.value < first:
            raise self.fail(f"`{t.text}` over no units (from {first} to {high.value})", high.pos)
        return self._known_units(t, range(first, high.value + 1), high.pos)

    def _known_units(self, t: Token, units: Iterable[int], pos: int) -> list[int]:
        """``units`` as a list, if the sheet has a unit ``h<u>`` for each; else the refusal
        naming the first one missing (``range(1, 10**12)`` stops at 4)."""
        found = []
        for u in units:
            if f"h{u}" not in self.env:
                have = ", ".join(n for n in self.env if n[0] == "h" and n[1:].isdigit())
                raise UnknownSymbolError(f"`{t.text}` over these units needs h{u}, which the "
                                         f"sheet does not have (its units: {have})", pos)
            found.append(u)
        return found

    def read_bound(self, t: Token) -> _Bound:
        """The upper bound after ``^``: ``3``, ``{3}``, ``M`` or ``{M}``."""
        braced = self.is_op("{", "(")
        if braced:
            close = "}" if self.advance().text == "{" else ")"
        tok = self.advance()
        if self.latex and tok.kind == "num" and not braced and len(tok.text) > 1:
            raise self.fail(f"write the bound of `{t.text}` in braces: ^{{{tok.text}}}", tok.pos)
        bound = self._bound(tok)
        if bound is None:
            raise self.fail(f"expected the last unit of `{t.text}` after `^`, e.g. "
                            f"\\{t.text.lower()}_{{j=1}}^{{M}}", tok.pos)
        if braced:
            self.expect(close, f"to close the bound of `{t.text}`")
        return bound

    @staticmethod
    def _bound(tok: Token) -> _Bound | None:
        if tok.kind == "num" and tok.text.isdigit():
            return _Bound(int(tok.text), tok.pos)
        if tok.kind == "name" and tok.text.isalpha():
            return _Bound(tok.text, tok.pos)
        return None

    def read_limits(self, t: Token) -> _Limits:
        """The index and bounds after ``_``: ``_j``, ``_{j=1,…,M}``, ``_{j=1}``,
        ``_{1 \\le j \\le M}``, ``_{j \\in \\{1,2,3\\}}``, ``_{j \\in [M]}``."""
        if not self.is_op("{"):
            tok = self.advance()
            if tok.kind == "name" and tok.text in INDEX_LETTERS:
                return _Limits(tok.text)
            raise self.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", tok.pos)
        self.advance()
        depth, inside = 1, []
        while depth:
            tok = self.tok
            if tok.kind == "end":
                raise self.fail(f"the subscript of `{t.text}` is not closed", t.pos)
            if self.is_op("{"):
                depth += 1
            elif self.is_op("}"):
                depth -= 1
            if depth:
                inside.append(tok)
            self.advance()
        at = next((k for k, tok in enumerate(inside)
                   if tok.kind == "name" and tok.text in INDEX_LETTERS), None)
        if at is None:
            raise self.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", t.pos)
        index = inside[at].text
        before, after = inside[:at], inside[at + 1 :]
        limits = _Limits(index)
        if after and self.is_op("=", "∈", tok=after[0]):
            items = [tok for tok in after[1:] if not self.is_op(",", "(", ")", "[", "]", "{",
                                                                 "}", tok=tok)]
            dots = any(self.is_op("…", tok=tok) for tok in items)
            bounds = [self._bound(tok) for tok in items if not self.is_op("…", tok=tok)]
            if not bounds or None in bounds:
                raise self.fail(f"expected the units of `{t.text}`, e.g. "
                                f"\\{t.text.lower()}_{{j=1,\\dots,M}}", inside[at].pos)
            if dots:
                limits.low = bounds[0]
                limits.high = bounds[-1] if not self.is_op("…", tok=items[-1]) else None
            elif after[0].text == "=" and len(bounds) == 1:
                limits.low = bounds[0]
            elif after[0].text == "∈" and len(bounds) == 1 and self.is_op("[", tok=after[1]):
                limits.high = bounds[0]  # j ∈ [M]: 1, …, M
            else:
                limits.listed = bounds
            return limits
        if len(before) >= 2 and self.is_op("<=", "<", tok=before[-1]):  # 1 \le j
            low = self._bound(before[-2])
            if low is not None and isinstance(low.value, int) and before[-1].text == "<":
                low = _Bound(low.value + 1, low.pos)
            limits.low = low
        if len(after) >= 2 and self.is_op("<=", "<", tok=after[0]):  # j \le M
            high = self._bound(after[1])
            if high is not None and isinstance(high.value, int) and after[0].text == "<":
                high = _Bound(high.value - 1, high.pos)
            limits.high = high
        return limits

    def parse_indicator(self) -> _Val:
        """``𝟙[a1 > a2]``, ``\\mathbb{1}_{a_1 > a_2}``, ``\\mathbf 1\\{…\\}``: 1 where the
        condition holds, else 0."""
        t = self.advance()
        if self.is_op("_"):
            self.advance()
        if not self.is_op("(", "[", "{"):
            raise self.fail("write the indicator's condition in brackets, e.g. 𝟙[a_1 > a_2]")
        open_ = self.advance()
        close = {"(": ")", "[": "]", "{": "}"}[open_.text]
        self.closers.append(close)
        cond = self.parse_condition(in_cases=False)
        self.closers.pop()
        self.expect(close, "to close the indicator's condition")
        return _Val(sp.Piecewise((sp.Integer(1), cond), (sp.Integer(0), True)), t.pos,
                    self.last_end())

    def _segment(self, word: str) -> list[str] | None:
        """The unique shortest split of ``word`` into known names, or None."""
        names = sorted(self.env, key=len, reverse=True)
        best: dict[int, list[list[str]]] = {0: [[]]}
        for i in range(1, len(word) + 1):
            cands = [
                prev + [n]
                for n in names
                if word[:i].endswith(n) and (i - len(n)) in best
                for prev in best[i - len(n)]
            ]
            if cands:
                shortest = min(len(c) for c in cands)
                best[i] = [c for c in cands if len(c) == shortest][:2]
        found = best.get(len(word), [])
        return found[0] if len(found) == 1 and len(found[0]) > 1 else None

    def _resolvable(self, word: str) -> bool:
        word = ALIASES.get(word, word)
        return bool(word) and (word in self.env or self._segment(word) is not None)

    def _unknown(self, t: Token) -> UnknownSymbolError:
        known = sorted(set(self.env) | set(FUNCTIONS))
        typed = self.text[t.pos : t.end]
        near = difflib.get_close_matches(t.text, known, n=1)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        same = [n for n in self.env if n.lower() == t.text.lower() and n != t.text]
        if same:
            hint = f"; did you mean `{same[0]}`? (`{typed}` is a different letter)"
        if t.text in ("T", "t"):
            hint = "; for a transpose write A^T, A.T or A'"
        if t.text == "e":
            hint = "; for the exponential write exp(...)"
        names = ", ".join(n for n in S.BY_NAME if n not in ("d", "k"))
        return UnknownSymbolError(
            f"unknown symbol `{self.text[t.pos : t.end]}`{hint} (the sheet's names: {names})",
            t.pos,
        )

    def parse_command(self) -> _Val:
        t = self.advance()
        if t.text in ("frac", "dfrac", "tfrac", "cfrac"):
            num = self.latex_arg()
            den = self.latex_arg()
            return _Val(self.div(num, den, t.pos).expr, t.pos, self.last_end())
        if t.text == "sqrt":
            index = None
            if self.is_op("["):
                self.advance()
                self.closers.append("]")
                index = self.parse_sum()
                self.closers.pop()
                self.expect("]", "to close the root's index")
            arg = self.latex_arg() if self.tok.kind != "end" else None
            if arg is None:
                raise self.fail("`sqrt` needs an argument", t.pos)
            if index is None:
                return _Val(self.scalar_fn(arg, sp.sqrt, "sqrt"), t.pos, self.last_end())
            self.scalar_only(arg, "`sqrt`")
            n = self.scalar_only(index, "a root's index")
            if n == 0:
                raise self.fail("a root of index 0", index.pos)
            root = self.power(arg, _Val(sp.Pow(n, -1), index.pos, index.end), t.pos)
            return _Val(root.expr, t.pos, self.last_end())
        raise self.fail(f"unexpected `\\{t.text}`", t.pos)

    def latex_arg(self) -> _Val:
        """A LaTeX argument: a braced group, or one token (``\\frac12``)."""
        if self.is_op("{"):
            return self.parse_atom()
        t = self.tok
        if t.kind == "num" and len(t.text) > 1:
            self._split(1)
        return self.parse_postfix()

    # -- functions -------------------------------------------------------------------------
    def call(self, name: str, t: Token) -> _Val:
        self.advance()  # (
        self.closers.append(")")
        args: list[_Val] = []
        if name == "Piecewise":
            pairs = self.piecewise_pairs()
            self.closers.pop()
            self.expect(")", "to close Piecewise(")
            return _Val(self.piecewise(pairs), t.pos, self.last_end())
        dots = name in ("min", "max", "Min", "Max") and self._ellipsis_ahead()
        saved, self.ellipsis = self.ellipsis, dots
        try:
            if not self.is_op(")"):
                args.append(self.parse_argument())
                while self.is_op(","):
                    self.advance()
                    args.append(self.parse_argument())
        finally:
            self.ellipsis = saved
        self.closers.pop()
        self.expect(")", f"to close {t.text}(")
        if dots:
            return _Val(self.over_units(name, args, t), t.pos, self.last_end())
        return _Val(FUNCTIONS[name](self, args, t), t.pos, self.last_end())

    def _ellipsis_ahead(self) -> bool:
        """Whether a ``…`` stands among the arguments of the call being read."""
        depth = 0
        for tok in self.toks[self.i :]:
            if tok.kind == "op" and tok.text in ("(", "[", "{"):
                depth += 1
            elif tok.kind == "op" and tok.text in (")", "]", "}"):
                if depth == 0:
                    return False
                depth -= 1
            elif tok.kind == "op" and tok.text == "…" and depth == 0:
                return True
            elif tok.kind == "end":
                return False
        return False

    def parse_argument(self) -> _Val:
        if self.is_op("…"):
            t = self.advance()
            return _Val(ELLIPSIS, t.pos, t.end)
        return self.parse_sum()

    def over_units(self, name: str, args: list[_Val], t: Token) -> sp.Basic:
        """``min(h_1, …, h_M)`` (or ``h_1, h_2, …, h_M``): the minimum over M units."""
        exprs = [a.expr for a in args]
        hs = S.hs(len(exprs))
        ok = (len(exprs) >= 3 and exprs[-1] == H_LAST and exprs[-2] == ELLIPSIS
              and all(e == h for e, h in zip(exprs[:-2], hs, strict=False)))
        if not ok:
            raise self.fail(f"read `{t.text}(h_1, …, h_M)` with the units in order, "
                            "e.g. \\min(h_1, \\ldots, h_M)", t.pos)
        return (IndexedMin if name.lower() == "min" else IndexedMax)(H_J)

    def nargs(self, args: list[_Val], n: int, t: Token) -> None:
        if len(args) != n:
            raise self.fail(f"`{t.text}` takes {n} argument(s), got {len(args)}", t.pos)

    def scalar_only(self, v: _Val, what: str) -> sp.Basic:
        expr = scalarize(v.expr)
        if isinstance(expr, MatrixExpr):
            raise AnswerShapeError(
                f"{what} needs a scalar, but `{self.span(v)}` is a {shape_text(v.shape)}", v.pos
            )
        return expr

    def scalar_fn(self, v: _Val, f: Callable, what: str) -> sp.Basic:
        return f(self.scalar_only(v, f"`{what}`"))

    def norm(self, v: _Val, pos: int) -> sp.Basic:
        shape = v.shape
        if shape is None or shape == (1, 1):
            return sp.Abs(scalarize(v.expr))
        if shape[1] == 1:
            return sp.sqrt(Scalar1x1(v.expr.T * v.expr, 0, 0))
        if shape[0] == 1:
            return sp.sqrt(Scalar1x1(v.expr * v.expr.T, 0, 0))
        raise AnswerShapeError(
            f"the norm of `{self.span(v)}` ({shape_text(shape)}): only vector norms are supported",
            pos,
        )

    def piecewise_pairs(self) -> list[tuple[_Val, sp.Basic]]:
        pairs = []
        while True:
            self.expect("(", "to open a (value, condition) pair of Piecewise")
            self.closers.append(")")
            value = self.parse_sum()
            self.expect(",", "between the value and the condition")
            cond = self.parse_condition(in_cases=False)
            self.closers.pop()
            self.expect(")", "to close a (value, condition) pair")
            pairs.append((value, cond))
            if not self.is_op(","):
                return pairs
            self.advance()

    def parse_cases(self) -> _Val:
        start = self.advance()
        pairs = []
        self.closers.append("END_CASES")
        while True:
            value = self.parse_sum()
            comma = self.is_op(",")
            if comma:  # `a_1, & a_1 \\le a_2` or `a_1, \\text{if } …`
                self.advance()
            if self.is_op("&"):
                self.advance()
            elif not comma:
                self.expect("&", "between a value and its condition in cases")
            cond = self.parse_condition(in_cases=True)
            pairs.append((value, cond))
            if self.is_op("\\\\"):
                self.advance()
                if self.is_op("END_CASES"):
                    break
                continue
            break
        self.closers.pop()
        self.expect("END_CASES", "to end the cases environment")
        return _Val(self.piecewise(pairs), start.pos, self.last_end())

    def parse_condition(self, in_cases: bool) -> sp.Basic:
        """A case's condition: relations joined by and/or (``&``, ``|``, ``\\wedge``, ``,``)."""
        while self.tok.kind == "name" and self.tok.text in IF_WORDS:
            self.advance()
        self.in_condition += 1
        try:
            return self.parse_or(in_cases)
        finally:
            self.in_condition -= 1

    def _word(self, *words: str) -> bool:
        return self.tok.kind == "name" and self.tok.text in words

    def parse_or(self, in_cases: bool) -> sp.Basic:
        parts = [self.parse_and(in_cases)]
        while self.is_op("|", "OR") or self._word(*OR_WORDS):
            self.advance()
            parts.append(self.parse_and(in_cases))
        return sp.Or(*parts)

    def parse_and(self, in_cases: bool) -> sp.Basic:
        parts = [self.parse_condition_atom(in_cases)]
        while self.is_op("&", "AND") or (in_cases and self.is_op(",")) or self._word(*AND_WORDS):
            self.advance()
            while self._word(*IF_WORDS, *AND_WORDS):
                self.advance()
            parts.append(self.parse_condition_atom(in_cases))
        return sp.And(*parts)

    def parse_condition_atom(self, in_cases: bool) -> sp.Basic:
        t = self.tok
        if self._word(*OTHERWISE_WORDS):
            self.advance()
            return sp.true
        if self._word("False", "false"):
            self.advance()
            return sp.false
        if self.is_op("NOT") or (self._word("Not") and self.is_op("(", tok=self.peek())):
            self.advance()
            return sp.Not(self.parse_condition_atom(in_cases))
        if t.kind == "name" and t.text in NAMED_RELATIONS and self.is_op("(", tok=self.peek()):
            self.advance()
            self.advance()
            self.closers.append(")")
            if t.text in ("And", "Or"):
                parts = [self.parse_or(in_cases)]
                while self.is_op(","):
                    self.advance()
                    parts.append(self.parse_or(in_cases))
                result = (sp.And if t.text == "And" else sp.Or)(*parts)
            else:
                left = self.parse_sum()
                self.expect(",", f"between the two sides of {t.text}(")
                right = self.parse_sum()
                lhs = self.scalar_only(left, "a comparison")
                rhs = self.scalar_only(right, "a comparison")
                result = NAMED_RELATIONS[t.text](lhs, rhs)
            self.closers.pop()
            self.expect(")", f"to close {t.text}(")
            return result
        if self.is_op("("):  # a condition in parentheses, or a relation that starts with one
            saved = (self.i, list(self.notes), list(self.closers), self.depth,
                     list(self.toks), dict(self.runs))
            try:
                self.advance()
                self.closers.append(")")
                inner = self.parse_or(in_cases)
                self.closers.pop()
                self.expect(")", "to close the condition")
                if not self.is_op("<", ">", "<=", ">=", "=", "!="):
                    return inner
            except AnswerSyntaxError:
                pass
            self.i, self.notes, self.closers, self.depth, self.toks, self.runs = saved
        return self.parse_relation()

    def parse_relation(self) -> sp.Basic:
        start = self.tok.pos
        left = self.parse_sum()
        rels = []
        while self.is_op("<", ">", "<=", ">=", "=", "!="):
            op = self.advance()
            right = self.parse_sum()
            lhs = self.scalar_only(left, "a comparison")
            rhs = self.scalar_only(right, "a comparison")
            rels.append(RELATIONS[op.text](lhs, rhs))
            left = right
        if not rels:
            raise self.fail("expected a condition such as `a1 < a2`", start)
        return sp.And(*rels)

    def piecewise(self, pairs: list[tuple[_Val, sp.Basic]]) -> sp.Basic:
        args = [(self.scalar_only(v, "a case of a piecewise answer"), c) for v, c in pairs]
        return sp.Piecewise(*args)

    # -- operations, with shape checks -----------------------------------------------------
    def add(self, a: _Val, b: _Val, op: Token) -> _Val:
        sa, sb = a.shape, b.shape
        ea, eb = a.expr, b.expr
        if sa != sb:
            if sa in (None, (1, 1)) and sb in (None, (1, 1)):
                ea, eb = scalarize(ea), scalarize(eb)
            elif ea == 0 or eb == 0:  # w + 0: the number 0 is the zero of any shape
                result = (eb if op.text == "+" else -eb) if ea == 0 else ea
                return _Val(result, a.pos, b.end)
            else:
                raise AnswerShapeError(
                    f"cannot {'add' if op.text == '+' else 'subtract'} `{self.span(a)}` "
                    f"({shape_text(sa)}) and `{self.span(b)}` ({shape_text(sb)})",
                    op.pos,
                )
        return _Val(ea + eb if op.text == "+" else ea - eb, a.pos, b.end)

    def mul(self, a: _Val, b: _Val, pos: int) -> _Val:
        sa, sb = a.shape, b.shape
        ea, eb = a.expr, b.expr
        if sa is not None and sb is not None and sa[1] != sb[0]:
            if sa == (1, 1):
                ea = scalarize(ea)
            elif sb == (1, 1):
                eb = scalarize(eb)
            else:
                raise AnswerShapeError(
                    f"cannot multiply `{self.span(a)}` ({shape_text(sa)}) by "
                    f"`{self.span(b)}` ({shape_text(sb)}): the inner dimensions "
                    f"{sa[1]} and {sb[0]} differ",
                    pos,
                )
        return self.bounded(_Val(ea * eb, a.pos, b.end), pos)

    def bounded(self, v: _Val, pos: int) -> _Val:
        """``v`` if its :func:`degree` is at most :data:`MAX_DEGREE` and its numbers have at
        most :data:`MAX_DIGITS` digits; else the refusal."""
        if digits(v.expr) > MAX_DIGITS:
            raise self.fail(f"number too large: `{self.span(v)}` holds a number of more than "
                            f"{MAX_DIGITS} digits", pos)
        deg = degree(v.expr, self.degrees)
        if deg > MAX_DEGREE:
            shown = "more than 10^15" if deg > 1e15 else f"{deg:g}"
            raise self.fail(
                f"exponent too large: `{self.span(v)}` has degree {shown} in the sheet's "
                f"symbols, more than {MAX_DEGREE} (no answer of the sheet needs as much)",
                pos,
            )
        return v

    def div(self, a: _Val, b: _Val, pos: int) -> _Val:
        if b.shape not in (None, (1, 1)):
            raise AnswerShapeError(
                f"cannot divide by `{self.span(b)}` ({shape_text(b.shape)}); "
                "for an inverse write inv(...) or ^-1",
                pos,
            )
        eb = scalarize(b.expr)
        if eb == 0:
            raise self.fail("division by zero", pos)
        return self.bounded(_Val(a.expr * sp.Pow(eb, -1), a.pos, b.end), pos)

    def power(self, base: _Val, exponent: _Val, pos: int) -> _Val:
        """``base^exponent``, refused before SymPy builds it where the exponent is not a
        number, is larger than :data:`MAX_EXPONENT`, or makes the degree too large."""
        e = self.scalar_only(exponent, "an exponent")
        if base.expr is sp.E and base.shape is None:
            return _Val(sp.exp(e), base.pos, exponent.end)
        if not e.is_number:
            raise self.fail(
                f"an exponent that depends on the variables (`{self.span(exponent)}`) cannot "
                "be checked: its values can be too large to compute exactly; write exp(...) "
                "for an exponential",
                exponent.pos,
            )
        size = _magnitude(e)
        if size > MAX_EXPONENT:
            shown = f"|{e}|" if e.is_Rational and len(str(e)) <= 40 else f"|{self.span(exponent)}|"
            raise self.fail(f"exponent too large ({shown} > {MAX_EXPONENT})", pos)
        if degree(base.expr, self.degrees) * size > MAX_DEGREE:
            deg = degree(base.expr, self.degrees) * size
            raise self.fail(
                f"exponent too large: `{self.span(base)}^{self.span(exponent)}` has degree "
                f"{deg:g} in the sheet's symbols, more than {MAX_DEGREE} (no answer of the "
                "sheet needs as much)",
                pos,
            )
        shape = base.shape
        if shape is None or shape == (1, 1):
            b = scalarize(base.expr)
            if b.is_Number and e.is_Number:
                if b == 0 and e.is_negative:
                    raise self.fail("division by zero (0 to a negative power)", pos)
                if size * max(1.0, len(str(abs(b)))) > MAX_DIGITS:  # before SymPy builds it
                    raise self.fail("number too large", pos)
            return self.bounded(_Val(sp.Pow(b, e), base.pos, exponent.end), pos)
        if not _is_square(shape):
            hint = ""
            if shape[1] == 1 or shape[0] == 1:
                hint = f"; for a squared length write ‖{self.span(base)}‖^2 or a transpose product"
            raise AnswerShapeError(
                f"cannot raise `{self.span(base)}` ({shape_text(shape)}) to a power: "
                f"it is not square{hint}",
                pos,
            )
        if not e.is_Integer or e == 0 or abs(e) > MAX_EXPONENT:
            raise self.fail(f"a matrix power needs a nonzero integer exponent, got {e}", pos)
        if e == -1:
            return _Val(sp.Inverse(base.expr), base.pos, exponent.end)
        return self.bounded(_Val(sp.MatPow(base.expr, e), base.pos, exponent.end), pos)

    def transpose(self, v: _Val) -> _Val:
        if v.shape is None:
            return v
        return _Val(v.expr.T, v.pos, max(v.end, self.last_end()))

    def inverse(self, v: _Val, pos: int) -> _Val:
        shape = v.shape
        if shape is None or shape == (1, 1):
            e = scalarize(v.expr)
            if e == 0:
                raise self.fail("division by zero (the inverse of 0)", pos)
            return _Val(sp.Pow(e, -1), v.pos, max(v.end, self.last_end()))
        if not _is_square(shape):
            raise AnswerShapeError(
                f"cannot invert `{self.span(v)}` ({shape_text(shape)}): it is not square", pos
            )
        return _Val(sp.Inverse(v.expr), v.pos, max(v.end, self.last_end()))


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _shown(expr: sp.Basic) -> str:
    """A factor as a note shows it: ``A.T`` → ``Aᵀ``, ``a1**2`` → ``a1²``, ``Sigma**-1`` →
    ``Sigma⁻¹``; another expression in parentheses.

    >>> _shown(S.A.T), _shown(S.a1**2), _shown(sp.Inverse(S.Sigma)), _shown(S.a1 + 1)
    ('Aᵀ', 'a1²', 'Sigma⁻¹', '(a1 + 1)')
    """
    if isinstance(expr, sp.Symbol | sp.MatrixSymbol):
        return expr.name
    if isinstance(expr, sp.Transpose):
        return _shown(expr.arg) + "ᵀ"
    if isinstance(expr, sp.Inverse):
        return _shown(expr.arg) + "⁻¹"
    if isinstance(expr, sp.Pow | sp.MatPow) and expr.args[1].is_Integer:
        return _shown(expr.args[0]) + str(expr.args[1]).translate(_SUPERSCRIPTS)
    return f"({sp.sstr(expr)})"


def _minmax(f: Callable) -> Callable:
    def build(p: _Parser, args: list[_Val], t: Token) -> sp.Basic:
        if not args:
            raise p.fail(f"`{t.text}` needs at least one argument", t.pos)
        return f(*(p.scalar_only(a, f"`{t.text}`") for a in args))

    return build


def _unary(f: Callable) -> Callable:
    def build(p: _Parser, args: list[_Val], t: Token) -> sp.Basic:
        p.nargs(args, 1, t)
        return p.scalar_fn(args[0], f, t.text)

    return build


def _matrix_unary(method: str) -> Callable:
    def build(p: _Parser, args: list[_Val], t: Token) -> sp.Basic:
        p.nargs(args, 1, t)
        return p.transpose(args[0]).expr if method == "T" else p.inverse(args[0], t.pos).expr

    return build


def _norm(p: _Parser, args: list[_Val], t: Token) -> sp.Basic:
    p.nargs(args, 1, t)
    return p.norm(args[0], t.pos)


def _relu(t_: sp.Basic) -> sp.Basic:
    return sp.Max(0, t_)


def _heaviside(p: _Parser, args: list[_Val], t: Token) -> sp.Basic:
    """``Heaviside(x)`` (½ at 0, SymPy's convention) or ``Heaviside(x, h0)``."""
    if len(args) not in (1, 2):
        raise p.fail(f"`{t.text}` takes 1 or 2 arguments, got {len(args)}", t.pos)
    return sp.Heaviside(*(p.scalar_only(a, f"`{t.text}`") for a in args))


#: Functions a user may call, by name: ``min(a1, a2)``, ``inv(Sigma)``, ``relu(a1 - a2)``.
FUNCTIONS: dict[str, Callable] = {
    "min": _minmax(sp.Min),
    "Min": _minmax(sp.Min),
    "max": _minmax(sp.Max),
    "Max": _minmax(sp.Max),
    "abs": _unary(sp.Abs),
    "Abs": _unary(sp.Abs),
    "sqrt": _unary(sp.sqrt),
    "exp": _unary(sp.exp),
    "log": _unary(sp.log),
    "ln": _unary(sp.log),
    "sign": _unary(sp.sign),
    "relu": _unary(_relu),
    "ReLU": _unary(_relu),
    "rho": _unary(_relu),
    "inv": _matrix_unary("I"),
    "transpose": _matrix_unary("T"),
    "norm": _norm,
    "Heaviside": _heaviside,
    "heaviside": _heaviside,
    "Piecewise": _minmax(sp.Piecewise),  # handled in _Parser.call
}

RELATIONS = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge, "=": sp.Eq, "!=": sp.Ne}

#: Relations and connectives written as SymPy calls: ``Eq(a1, a2)``, ``Or(...)``.
NAMED_RELATIONS = {
    "Eq": sp.Eq,
    "Ne": sp.Ne,
    "Lt": sp.Lt,
    "Gt": sp.Gt,
    "Le": sp.Le,
    "Ge": sp.Ge,
    "And": sp.And,
    "Or": sp.Or,
}


def _strip_label(toks: list[Token], text: str) -> tuple[list[Token], str | None]:
    """Drop a label ``x^* =`` before the last top-level ``=``; return it for a note: the
    source ``text`` (math delimiters blanked) up to that ``=``."""
    depth, cut = 0, None
    for j, t in enumerate(toks):
        if t.kind != "op":
            continue
        if t.text in ("(", "[", "{", "BEGIN_CASES"):
            depth += 1
        elif t.text in (")", "]", "}", "END_CASES"):
            depth -= 1
        elif t.text == "=" and depth == 0:
            cut = j
    if cut is None or cut == 0:
        return toks, None
    label = text[: toks[cut].pos].strip()  # from the start: `\\mathbf{x}^\\star`, whole
    return toks[cut + 1 :], label


def _square_env() -> dict[str, sp.Basic]:
    return {n: s.xreplace({S.k: S.d}) for n, s in S.BY_NAME.items()}


#: Math delimiters that may wrap a pasted LaTeX answer: ``$...$``, ``\\(...\\)``, ``\\[...\\]``.
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


def _blank_delimiters(text: str) -> str:
    """``$w/2$`` → `` w/2 `` (blanked, not cut, so that positions stay those of the input)."""
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
    p = _Parser(toks, env, text, latex)
    if label is not None:
        p.note(f"read the right-hand side of `=` (the left side `{label}` is taken as a label)")
    if p.tok.kind == "end":
        raise p.fail("the answer is empty")
    v = p.parse_group()
    if p.tok.kind != "end":
        raise p.fail(f"unexpected {p.describe(p.tok)} after a complete expression")
    expr = scalarize(v.expr)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise AnswerSyntaxError("the answer is undefined (it divides by zero or is infinite)")
    return expr, p.notes


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
