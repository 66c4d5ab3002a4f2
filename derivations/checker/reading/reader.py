"""What every part of the reader shares: a cursor over the tokens and the state of one reading.

A :class:`Reader` holds the tokens of one answer (:mod:`derivations.checker.tokens`), the
position in them, the notes on how the answer was read, and the state a construct sets for
the ones inside it: the closing brackets expected, the nesting depth, whether a condition is
being read, the index of a ``\\min_j``. A value read so far is a :class:`Value`: a SymPy
expression and the span of the input it came from (messages quote that span).

The grammar (:class:`~derivations.checker.reading.grammar.Grammar`) defines the levels
declared here (:meth:`Reader.parse_sum`, …); the handlers of LaTeX commands, functions, cases
and units call them through this class, so that no handler imports the grammar.

>>> from derivations.checker.tokens import tokenize
>>> r = Reader(tokenize("a1 + 2", latex=False), {}, "a1 + 2", latex=False)
>>> r.advance().text, r.is_op("+"), r.describe(r.peek())
('a1', True, '`2`')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from derivations.checker.tokens import AnswerSyntaxError, Token
from derivations.matrix_identities import shape_of

__all__ = ["AnswerSyntaxError", "Reader", "UnknownSymbolError", "Value"]


class UnknownSymbolError(AnswerSyntaxError):
    """An answer that uses a name the sheet does not define."""


@dataclass
class Value:
    """An intermediate value: a SymPy expression and the input span ``[pos, end)`` it came
    from."""

    expr: sp.Basic
    pos: int
    end: int

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr] | None:
        return shape_of(self.expr)


@dataclass
class Reader:
    """The tokens of one answer, the position in them, and what the constructs being read
    have set (see the module docstring)."""

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
    degrees: dict[sp.Basic, float] = field(default_factory=dict)  # memo of limits.degree
    #: runs of names split into atoms (``AA``), by their last atom's offset: the run's
    #: start and end, its atoms and the note that names them
    runs: dict[int, tuple[int, int, list[str], str]] = field(default_factory=dict)
    #: what the answer as written needs to be defined (divisors, logarithms, roots): see
    #: :mod:`~derivations.checker.reading.definedness`
    requirements: list = field(default_factory=list)

    # -- the cursor ------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        """The current token (an ``error`` token raises its message here, when read)."""
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

    def word(self, *words: str) -> bool:
        """Whether the current token is one of the names ``words`` (``if``, ``and``, …)."""
        return self.tok.kind == "name" and self.tok.text in words

    def expect(self, text: str, context: str) -> Token:
        if not self.is_op(text):
            raise self.fail(f"expected `{text}` {context}, found {self.describe(self.tok)}")
        return self.advance()

    def split(self, n: int) -> None:
        """Split the current token after ``n`` characters into two tokens."""
        t = self.tok
        head = Token(t.kind, t.text[:n], t.pos, t.pos + n)
        tail_kind = "num" if t.text[n:][0].isdigit() else t.kind
        tail = Token(tail_kind, t.text[n:], t.pos + n, t.end)
        self.toks[self.i : self.i + 1] = [head, tail]

    def checkpoint(self) -> tuple:
        """What :meth:`restore` needs to read again from here."""
        return (self.i, list(self.notes), list(self.closers), self.depth, list(self.toks),
                dict(self.runs), list(self.requirements))

    def restore(self, saved: tuple) -> None:
        (self.i, self.notes, self.closers, self.depth, self.toks, self.runs,
         self.requirements) = saved

    # -- the input, for messages -----------------------------------------------------------
    def span(self, v: Value) -> str:
        return self.text[v.pos : v.end].strip() or "?"

    def last_end(self) -> int:
        return self.toks[self.i - 1].end if self.i else 0

    def fail(self, message: str, pos: int | None = None) -> AnswerSyntaxError:
        return AnswerSyntaxError(message, self.tok.pos if pos is None else pos)

    def describe(self, t: Token) -> str:
        return "the end of the input" if t.kind == "end" else f"`{self.text[t.pos : t.end]}`"

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    # -- the grammar's levels, as the handlers call them (defined by grammar.Grammar) ------
    def parse_group(self) -> Value:
        """A group's content: a sum, or TeX's ``a \\over b``."""
        raise NotImplementedError

    def parse_sum(self) -> Value:
        """Terms joined by ``+`` and ``-``."""
        raise NotImplementedError

    def parse_power(self) -> Value:
        """A factor with its superscripts and postfix marks."""
        raise NotImplementedError

    def parse_postfix(self) -> Value:
        """An atom with its postfix marks (``ᵀ``, ``⁻¹``, ``.T``, ``_+``)."""
        raise NotImplementedError

    def parse_atom(self) -> Value:
        """A number, a name, a command, a bracketed group, bars or cases."""
        raise NotImplementedError
