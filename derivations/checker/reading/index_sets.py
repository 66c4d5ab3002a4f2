"""The index set under ``\\min``/``\\max``: which units ``h_i`` a minimum ranges over.

The subscript (and superscript) of ``\\min_{…}^{…}`` is read completely into an
:class:`IndexSet` — the units ``i ∈ {1, …, M}`` that satisfy every condition written — or
refused with a message that names it; a condition is never dropped. Conditions are joined by
``,``, ``\\land``, ``and`` or the ``\\\\`` of ``\\substack``. Each form is read by one
handler, chosen by the relation that follows the index (:data:`AFTER_INDEX`) or precedes it
(:data:`BEFORE_INDEX`):

* the index alone: ``_j``, ``_{j}`` (every unit);
* equal to a range or a list: ``j=1,…,M``, ``j=1..M``, ``j = 1, 2, \\dots, M``, ``j=1:M``,
  ``_{j=1}^{M}``, ``j = 1, 2, 3``;
* bounds and chains: ``1 \\le j \\le M``, ``i > 1``, ``1 \\le i < M``, ``i \\le M-1``,
  ``M \\ge i``, ``2 \\le i \\le M``;
* in a set: ``j \\in \\{1,…,M\\}``, ``j \\in [M]``, ``j \\in \\{1,2,3\\}``, ``j \\in [2, M]``,
  ``j \\in [M] \\setminus \\{1\\}``;
* exclusions: ``i \\ne 1``, ``i \\notin \\{1, 2\\}``.

A bound is a number, ``M`` (the number of units; ``N``, ``m`` and ``n`` too, with a note) or
``M ± number``. Refused, with the message "cannot read the condition `…` under \\min: write
the units it ranges over": a set by name (``i \\in S``), a condition on anything but the index
(``h_i > 0``, ``i \\ne j``), a unit 0 or past M (``0 \\le i``, ``i \\le M+1``), a set that is
empty for every M, and one that leaves out a unit only for an M past
:data:`CHECKED_UP_TO_M` (the checker compares a general-M answer for M = 1, …, 6).

>>> from derivations.checker.tokens import tokenize
>>> toks = tokenize(r"i \\ne 1", latex=True)[:-1]
>>> index, units, notes = read_index_set(toks, [], r"i \\ne 1", "min")
>>> index, units.units(3), units.fixed_units(), units.describe(index)
('i', [2, 3], None, 'i = 1, …, M, i ≠ 1')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from derivations.checker.tokens import AnswerSyntaxError, Token

__all__ = [
    "AFTER_INDEX",
    "BEFORE_INDEX",
    "CHECKED_UP_TO_M",
    "COUNT_NAMES",
    "INDEX_LETTERS",
    "M_UNITS",
    "MAX_UNIT_NUMBER",
    "Edge",
    "IndexSet",
    "read_index_set",
]

#: Letters that may name the index of ``\\min_j``.
INDEX_LETTERS = frozenset("ijklmn")
#: Names of the number of units: ``M`` (the sheet's), and ``N``, ``m``, ``n`` (with a note).
COUNT_NAMES = ("M", "N", "m", "n")
#: The number of units M, in the arguments of an :class:`IndexSet` as SymPy values.
M_UNITS = sp.Symbol("M", integer=True, positive=True)
#: The largest number an index set may hold (``i \\ne 1000`` is refused): past it the set's
#: pattern is not checked.
MAX_UNIT_NUMBER = 20
#: A set that leaves out a unit must do so for some M ≤ this: the checker compares an answer
#: for any M at M = 1, …, 6 (:data:`derivations.answers.GENERAL_M`; a test ties the two).
CHECKED_UP_TO_M = 6
#: How far :meth:`IndexSet.first_difference` looks (enough for numbers up to
#: :data:`MAX_UNIT_NUMBER`: past 2·20 + 2 a set's pattern repeats).
_SCAN_M = 2 * MAX_UNIT_NUMBER + 2


class IndexSetError(AnswerSyntaxError):
    """An index set that cannot be read exactly (the message names it)."""


@dataclass(frozen=True)
class Edge:
    """A unit's number: ``offset``, or ``M + offset`` where ``from_end``.

    >>> str(Edge(-1, True)), Edge(-1, True).at(5), str(Edge(2))
    ('M-1', 4, '2')
    """

    offset: int
    from_end: bool = False

    def at(self, m: int) -> int:
        """The number for ``m`` units."""
        return self.offset + (m if self.from_end else 0)

    def shifted(self, by: int) -> Edge:
        return Edge(self.offset + by, self.from_end)

    def expr(self) -> sp.Expr:
        return M_UNITS + self.offset if self.from_end else sp.Integer(self.offset)

    @staticmethod
    def of(expr: sp.Basic) -> Edge:
        """The edge that :meth:`expr` gave."""
        if expr.has(M_UNITS):
            return Edge(int(expr - M_UNITS), True)
        return Edge(int(expr))

    def __str__(self) -> str:
        if not self.from_end:
            return str(self.offset)
        return "M" if self.offset == 0 else f"M{self.offset:+d}"


def _edges(edges: tuple[Edge, ...]) -> sp.Tuple:
    return sp.Tuple(*(e.expr() for e in edges))


@dataclass(frozen=True)
class IndexSet:
    """The units ``i`` in ``1, …, M`` with ``i ≥`` every low, ``i ≤`` every high, ``i`` in
    ``listed`` (if given) and not in ``excluded``."""

    lows: tuple[Edge, ...] = ()
    highs: tuple[Edge, ...] = ()
    excluded: tuple[Edge, ...] = ()
    listed: tuple[Edge, ...] | None = None

    def __and__(self, other: IndexSet) -> IndexSet:
        """The units in both sets."""
        if self.listed is not None and other.listed is not None:
            listed = tuple(e for e in self.listed if e in other.listed)
        else:
            listed = self.listed if other.listed is None else other.listed
        return IndexSet(self.lows + other.lows, self.highs + other.highs,
                        self.excluded + other.excluded, listed)

    def edges(self) -> list[Edge]:
        return [*self.lows, *self.highs, *self.excluded, *(self.listed or ())]

    def units(self, m: int) -> list[int]:
        """The numbers of the units for ``m`` units in all.

        >>> IndexSet(lows=(Edge(2),)).units(4), IndexSet(highs=(Edge(-1, True),)).units(1)
        ([2, 3, 4], [])
        """
        lo = max([1, *(e.at(m) for e in self.lows)])
        hi = min([m, *(e.at(m) for e in self.highs)])
        out = set(range(lo, hi + 1))
        if self.listed is not None:
            out &= {e.at(m) for e in self.listed}
        return sorted(out - {e.at(m) for e in self.excluded})

    def fixed_units(self) -> list[int] | None:
        """The units, where they do not depend on M (a last unit or a list of numbers, no
        ``M`` anywhere); else None."""
        if any(e.from_end for e in self.edges()):
            return None
        if self.listed is None and not self.highs:
            return None
        lo = max([1, *(e.offset for e in self.lows)])
        tops = [e.offset for e in self.highs] or [max(e.offset for e in self.listed or ())]
        out = set(range(lo, min(tops) + 1))
        if self.listed is not None:
            out &= {e.offset for e in self.listed}
        return sorted(out - {e.offset for e in self.excluded})

    def first_difference(self) -> int | None:
        """The smallest M for which the set is not every unit 1, …, M; None if none."""
        return next((m for m in range(1, _SCAN_M + 1)
                     if self.units(m) != list(range(1, m + 1))), None)

    def is_all(self) -> bool:
        """Every unit, for every M."""
        return self.first_difference() is None

    def args(self) -> tuple[sp.Tuple, ...]:
        """The set as SymPy arguments (:meth:`of_args` reads them back)."""
        return (_edges(self.lows), _edges(self.highs), _edges(self.excluded),
                _edges(self.listed or ()))

    @staticmethod
    def of_args(args: tuple[sp.Basic, ...]) -> IndexSet:
        lows, highs, excluded, listed = (tuple(Edge.of(e) for e in a) for a in args)
        return IndexSet(lows, highs, excluded, listed or None)

    def describe(self, index: str) -> str:
        """The set in words: ``i = 2, …, M``, ``i ∈ {1, 3}``, ``i = 1, …, M, i ≠ 2``."""
        def edge(edges: tuple[Edge, ...], default: str, f: str) -> str:
            names = sorted({str(e) for e in edges})
            if not names:
                return default
            return names[0] if len(names) == 1 else f"{f}({', '.join(names)})"

        parts = []
        if self.listed is not None:
            parts.append(f"{index} ∈ {{{', '.join(str(e) for e in self.listed)}}}")
        if self.listed is None or self.lows or self.highs:
            parts.append(f"{index} = {edge(self.lows, '1', 'max')}, …, "
                         f"{edge(self.highs, 'M', 'min')}")
        parts += [f"{index} ≠ {e}" for e in self.excluded]
        return ", ".join(parts)


# -- the cursor over the subscript's tokens --------------------------------------------------
@dataclass
class _Cursor:
    """The tokens of a subscript, the index letter, and the notes of the reading."""

    toks: list[Token]
    index: str
    refuse: Callable[[str], IndexSetError]
    i: int = 0
    notes: list[str] = field(default_factory=list)
    first_only: Edge | None = None  # `j = 1` without a last unit

    @property
    def tok(self) -> Token | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def peek(self, k: int = 1) -> Token | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def is_op(self, *texts: str, tok: Token | None = None) -> bool:
        t = tok if tok is not None else self.tok
        return t is not None and t.kind == "op" and t.text in texts

    def at_index(self, tok: Token | None = None) -> bool:
        t = tok if tok is not None else self.tok
        return t is not None and t.kind == "name" and t.text == self.index

    def advance(self) -> Token:
        t = self.tok
        if t is None:
            raise self.refuse("it ends too early")
        if t.kind == "error":
            raise AnswerSyntaxError(t.text, t.pos)
        self.i += 1
        return t

    def at_separator(self) -> bool:
        t = self.tok
        return t is not None and (self.is_op(",", "AND", "&", "\\\\", ";")
                                  or (t.kind == "name" and t.text in ("and", "und")))

    def starts_bound(self, tok: Token | None) -> bool:
        if tok is None:
            return False
        if tok.kind == "num" or self.is_op("(", "{", "-", tok=tok):
            return True
        return tok.kind == "name" and tok.text in COUNT_NAMES and tok.text != self.index


# -- bounds ----------------------------------------------------------------------------------
def _bound(c: _Cursor) -> Edge:
    """A number, ``M``, ``M - 1``, ``(M-1)``, ``{M-1}``, ``-1``."""
    if c.is_op("(", "{"):
        close = ")" if c.advance().text == "(" else "}"
        edge = _bound(c)
        if not c.is_op(close):
            raise c.refuse(f"expected `{close}` after the bound {edge}")
        c.advance()
        return edge
    if c.is_op("-"):
        c.advance()
        t = c.advance()
        if t.kind != "num" or not t.text.isdigit():
            raise c.refuse("a bound is a whole number or M")
        return Edge(-int(t.text))
    t = c.advance()
    if t.kind == "num":
        if not t.text.isdigit():
            raise c.refuse(f"`{t.text}` is not the number of a unit")
        return Edge(int(t.text))
    if t.kind != "name" or t.text not in COUNT_NAMES or t.text == c.index:
        raise c.refuse("a bound is a whole number or M, the number of units")
    if t.text != "M":
        note = f"read `{t.text}` as M, the number of units"
        if note not in c.notes:
            c.notes.append(note)
    edge = Edge(0, True)
    if c.is_op("+", "-") and c.peek() is not None and c.peek().kind == "num":
        sign = 1 if c.advance().text == "+" else -1
        n = c.advance()
        if not n.text.isdigit():
            raise c.refuse(f"`{n.text}` is not a whole number")
        edge = Edge(sign * int(n.text), True)
    return edge


# -- lists, ranges and set literals ------------------------------------------------------------
def _items(c: _Cursor) -> list[Edge | None]:
    """Bounds and ellipses (None) as listed: ``1, 2, …, M``, ``1..M``, ``1 \\dots M``,
    ``1:M``; a comma followed by anything else ends the list (another condition follows)."""
    items: list[Edge | None] = []
    while True:
        if c.is_op("…") or (items and c.is_op(":")):  # `1:M` is 1, …, M
            c.advance()
            items.append(None)
            if c.starts_bound(c.tok):
                continue
        else:
            items.append(_bound(c))
            if c.is_op("…", ":"):
                continue
        if c.is_op(",") and (c.starts_bound(c.peek()) or c.is_op("…", tok=c.peek())):
            c.advance()
            continue
        return items


def _from_items(c: _Cursor, items: list[Edge | None]) -> IndexSet:
    """The set a list of items says: a range where it holds an ellipsis (or ``a:b``), else
    the units listed."""
    if None not in items:
        return IndexSet(listed=tuple(items))  # type: ignore[arg-type]
    at = items.index(None)
    before, after = items[:at], items[at + 1 :]
    if not before or None in after or len(after) > 1 or None in before:
        raise c.refuse("a range is written first, …, last")
    first = before[0]
    assert first is not None
    for k, e in enumerate(before):
        if e != first.shifted(k):
            raise c.refuse(f"the units before `…` are not consecutive ({e} after {first})")
    if not after:
        c.notes.append("read a list that ends in `…` as running to M, the last unit")
        return IndexSet(lows=(first,))
    return IndexSet(lows=(first,), highs=(after[0],))  # type: ignore[arg-type]


def _set_literal(c: _Cursor) -> IndexSet:
    """``\\{1, …, M\\}``, ``\\{1,2,3\\}``, ``{1..M}``, ``[M]``, ``[2, M]``, ``[1..M]``."""
    t = c.tok
    if c.is_op("{", "("):
        close = "}" if c.advance().text == "{" else ")"
        s = _from_items(c, _items(c))
    elif c.is_op("["):
        c.advance()
        close = "]"
        items = _items(c)
        if None in items:
            s = _from_items(c, items)
        elif len(items) == 1:  # [M] = {1, …, M}
            s = IndexSet(highs=(items[0],))  # type: ignore[arg-type]
        elif len(items) == 2:  # [a, b] = {a, …, b}
            s = IndexSet(lows=(items[0],), highs=(items[1],))  # type: ignore[arg-type]
        else:
            raise c.refuse("write a range in brackets as [M] or [first, last]")
    else:
        what = "a set" if t is None else f"`{t.text}`"
        raise c.refuse(f"{what} is not a set of units written out")
    if not c.is_op(close):
        raise c.refuse(f"expected `{close}` to close the set")
    c.advance()
    return s


# -- the forms of a condition, by the relation after or before the index ----------------------
def _equals(c: _Cursor) -> IndexSet:
    """``j = 1, …, M``, ``j = 1, 2, 3``; ``j = 1`` alone is the first unit, the last one
    given on top (``\\min_{j=1}^{M}``) or, with none, M."""
    items = _items(c)
    if len(items) == 1 and items[0] is not None:
        c.first_only = items[0]
        return IndexSet(lows=(items[0],))
    return _from_items(c, items)


def _member(c: _Cursor) -> IndexSet:
    s = _set_literal(c)
    while c.is_op("∖"):
        c.advance()
        removed = _set_literal(c)
        if removed.listed is None or removed.lows or removed.highs:
            raise c.refuse("only units listed one by one can be taken out (\\setminus \\{1\\})")
        s = IndexSet(s.lows, s.highs, s.excluded + removed.listed, s.listed)
    return s


def _not_member(c: _Cursor) -> IndexSet:
    s = _set_literal(c)
    if s.listed is None:
        lo = s.lows or (Edge(1),)
        hi = s.highs or (Edge(0, True),)
        if len(lo) != 1 or len(hi) != 1 or lo[0].from_end or hi[0].from_end:
            raise c.refuse("write the units taken out one by one (i \\notin \\{1, 2\\})")
        return IndexSet(excluded=tuple(Edge(u) for u in range(lo[0].offset,
                                                                hi[0].offset + 1)))
    return IndexSet(excluded=s.listed)


def _bounded(side: str, shift: int) -> Callable[[_Cursor], IndexSet]:
    """``i < b`` (side "high", shift −1), ``i ≤ b``, ``i > b``, ``i ≥ b``."""
    def read(c: _Cursor) -> IndexSet:
        edge = _bound(c).shifted(shift)
        return IndexSet(highs=(edge,)) if side == "high" else IndexSet(lows=(edge,))

    return read


#: The forms ``index REL …``, by the relation after the index.
AFTER_INDEX: dict[str, Callable[[_Cursor], IndexSet]] = {
    "=": _equals,
    "∈": _member,
    "∉": _not_member,
    "!=": lambda c: IndexSet(excluded=(_bound(c),)),
    "<": _bounded("high", -1),
    "<=": _bounded("high", 0),
    ">": _bounded("low", 1),
    ">=": _bounded("low", 0),
    ":": lambda c: _condition(c),  # such that: `i : i > 1`
}

#: The forms ``bound REL index``, by the relation before the index: (which side the bound
#: is, its shift to a unit's number).
BEFORE_INDEX: dict[str, tuple[str, int]] = {
    "<": ("low", 1),
    "<=": ("low", 0),
    ">": ("high", -1),
    ">=": ("high", 0),
}


def _condition(c: _Cursor) -> IndexSet:
    """One condition: the index alone, ``index REL …`` or ``bound REL index [REL bound]``."""
    if c.at_index():
        c.advance()
        if c.tok is None or c.at_separator():
            return IndexSet()
        op = c.advance()
        form = AFTER_INDEX.get(op.text) if op.kind == "op" else None
        if form is None:
            raise c.refuse(f"`{op.text}` after the index")
        return form(c)
    bound = _bound(c)
    op = c.advance()
    side = BEFORE_INDEX.get(op.text) if op.kind == "op" else None
    if side is None or not c.at_index():
        raise c.refuse("a condition names the index, e.g. 1 \\le i \\le M")
    c.advance()
    edge = bound.shifted(side[1])
    s = IndexSet(highs=(edge,)) if side[0] == "high" else IndexSet(lows=(edge,))
    if c.is_op("<", "<=", ">", ">="):  # a chain: 1 <= i < M
        s = s & AFTER_INDEX[c.advance().text](c)
    return s


# -- the whole subscript ---------------------------------------------------------------------
def _unbraced(toks: list[Token]) -> list[Token]:
    """The tokens without braces around all of them (``{\\substack{…}}``, ``{{i>1}}``)."""
    while len(toks) >= 2 and toks[0].text == "{" and toks[-1].text == "}" and \
            toks[0].kind == toks[-1].kind == "op":
        depth = 0
        for k, t in enumerate(toks):
            depth += (t.text == "{") - (t.text == "}") if t.kind == "op" else 0
            if depth == 0 and k < len(toks) - 1:
                return toks
        toks = toks[1:-1]
    return toks


def _index_letter(toks: list[Token]) -> str | None:
    return next((t.text for t in toks if t.kind == "name" and t.text in INDEX_LETTERS), None)


def read_index_set(sub: list[Token], top: list[Token], text: str, op: str, at: int = 0
                   ) -> tuple[str, IndexSet, list[str]]:
    """The index letter, the set and the notes of ``\\op_{sub}^{top}`` (``sub``, ``top``: the
    tokens of the subscript and superscript without their braces; ``text``: the answer;
    ``at``: the offset of ``op`` in it).

    Raises :class:`IndexSetError` naming the condition where it cannot be read exactly.
    """
    sub = _unbraced(sub)
    if not sub:
        raise IndexSetError(f"expected the index of `{op}`, e.g. \\{op}_j h_j", at)
    written = text[sub[0].pos : sub[-1].end].strip()
    start = sub[0].pos

    def refuse(why: str) -> IndexSetError:
        return IndexSetError(
            f"cannot read the condition `{written}` under \\{op} ({why}): write the units "
            f"it ranges over, e.g. \\{op}_{{j=1,\\dots,M}} h_j or "
            f"\\{op}_{{j \\in \\{{1,2,3\\}}}} h_j", start)

    index = _index_letter(sub)
    if index is None:
        raise IndexSetError(f"expected the index of `{op}`, e.g. \\{op}_j h_j (found "
                            f"`{written}`)", start)
    c = _Cursor(sub, index, refuse)
    s = _condition(c)
    while c.at_separator():
        c.advance()
        while c.tok is not None and c.tok.kind == "name" and c.tok.text in ("and", "und"):
            c.advance()
        s = s & _condition(c)
    if c.tok is not None:
        raise refuse(f"`{text[c.tok.pos:c.tok.end]}` is not read")
    if top:
        t = _Cursor(_unbraced(top), index, refuse)
        last = _bound(t)
        if t.tok is not None:
            raise refuse(f"the last unit `{text[top[0].pos:top[-1].end].strip()}` is not read")
        if s.listed is not None or s.highs:
            raise refuse("a list or a last unit in the subscript, and another on top")
        s = IndexSet(s.lows, (last,), s.excluded, None)
    elif c.first_only is not None:
        c.notes.append(f"read `{index} = {c.first_only}` with no last unit as "
                       f"{index} = {c.first_only}, …, M")
    _check(s, refuse)
    return index, s, c.notes


def _check(s: IndexSet, refuse: Callable[[str], IndexSetError]) -> None:
    """Refuse a set with a unit 0 or past M, numbers past :data:`MAX_UNIT_NUMBER`, no unit for
    any M, or a difference from all units only past :data:`CHECKED_UP_TO_M`."""
    for e in s.edges():
        if abs(e.offset) > MAX_UNIT_NUMBER:
            raise refuse(f"the number {e} is larger than {MAX_UNIT_NUMBER}")
    for e in s.lows + (s.listed or ()):
        if not e.from_end and e.offset < 1:
            raise refuse(f"it holds unit {e.offset}; the units are h_1, …, h_M")
    for e in s.lows + s.highs + (s.listed or ()):
        if e.from_end and e.offset > 0:
            raise refuse(f"it holds unit {e}; the units are h_1, …, h_M")
    if s.fixed_units() is not None:
        return
    if not any(s.units(m) for m in range(1, _SCAN_M + 1)):
        raise refuse("it holds no unit for any M")
    first = s.first_difference()
    if first is not None and first > CHECKED_UP_TO_M:
        raise refuse(f"it leaves out a unit only for M ≥ {first}, and the checker compares "
                     f"M = 1, …, {CHECKED_UP_TO_M}")
