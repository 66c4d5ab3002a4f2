"""Minima and maxima over the units ``h_1, …, h_M`` of Exercise 3b.

``\\min_j h_j``, ``\\min_{j=1,\\dots,M} (h_j)``, ``min_j h_j`` and ``min(h_1, …, h_M)`` are
the minimum over any number M of units (:class:`IndexedMin`, fixed to M units by
:func:`instantiate`); with a number for the last unit (``\\min_{j=1}^{3} h_j``,
``\\min_{1 \\le j \\le 3}``, ``\\min_{j \\in \\{1, 2\\}}``) the minimum over those units
(``Min(h1, h2, h3)``). A range the checker cannot check (``\\min_{j=2}^{M}``) is refused.

>>> instantiate(-IndexedMin(H_J), 3)
-Min(h1, h2, h3)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp

from derivations import symbols as S
from derivations.checker.reading.reader import Reader, UnknownSymbolError, Value
from derivations.checker.reading.shapes import scalar_only
from derivations.checker.tokens import Token

__all__ = [
    "ELLIPSIS",
    "H_J",
    "H_LAST",
    "INDEX_LETTERS",
    "IndexedMax",
    "IndexedMin",
    "instantiate",
]

#: The placeholder of ``h_j`` inside ``\\min_j h_j`` (any index letter).
H_J = sp.Symbol("h_j", real=True)
#: The placeholder of ``h_M``, the last of ``h_1, …, h_M``, and of the ``…`` before it.
H_LAST = sp.Symbol("h_M", real=True)
ELLIPSIS = sp.Symbol("ellipsis")
#: Letters that may name the index of ``\\min_j``.
INDEX_LETTERS = set("ijklmn")
#: Names of the last unit in ``min(h_1, …, h_M)``.
LAST_UNITS = ("hM", "hm", "hN", "hn")
#: Names that take an index (``\\min_j``) or a list with ``…`` (``min(h_1, …, h_M)``).
REDUCTIONS = ("min", "max", "Min", "Max")


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

    >>> instantiate(IndexedMax(2 * H_J), 2)
    Max(2*h1, 2*h2)
    """
    hs = S.hs(m)
    return expr.replace(IndexedMin, lambda b: sp.Min(*(b.xreplace({H_J: h}) for h in hs))) \
        .replace(IndexedMax, lambda b: sp.Max(*(b.xreplace({H_J: h}) for h in hs)))


# -- the units' placeholders, as names ----------------------------------------------------
def is_index_unit(r: Reader, name: str) -> bool:
    """``h_j`` inside ``\\min_j``."""
    return r.index is not None and name == "h" + r.index


def read_index_unit(r: Reader) -> Value:
    t = r.advance()
    return Value(H_J, t.pos, t.end)


def is_last_unit(r: Reader, name: str) -> bool:
    """``h_M``, the last of ``h_1, …, h_M``."""
    return r.ellipsis and name in LAST_UNITS


def read_last_unit(r: Reader) -> Value:
    t = r.advance()
    return Value(H_LAST, t.pos, t.end)


# -- min_j: the index and its range ---------------------------------------------------------
@dataclass(frozen=True)
class Bound:
    """A bound of ``min_j``: the number of a unit, or a name (``M``) for any number."""

    value: int | str
    pos: int


@dataclass
class IndexRange:
    """What the subscript of ``min_j`` says: the index letter, the first and last unit (None:
    not said), or the units listed (``j \\in \\{1, 2\\}``)."""

    index: str
    low: Bound | None = None
    high: Bound | None = None
    listed: list[Bound] | None = None


def starts_reduction(r: Reader, name: str) -> bool:
    """``min`` with a subscript or superscript: ``\\min_j``, ``\\min^{3}_{j=1}``."""
    return name in REDUCTIONS and r.is_op("_", "^", tok=r.peek())


def read_reduction(r: Reader) -> Value:
    """``min_j h_j``, ``\\min_{j=1,\\dots,M} (h_j)``: a minimum over any number M of
    units (:class:`IndexedMin`); with a number for the last unit (``\\min_{j=1}^{3} h_j``,
    ``\\min_{1 \\le j \\le 3}``, ``\\min_{j \\in \\{1, 2\\}}``) the minimum over those
    units (``Min(h1, h2, h3)``)."""
    t = r.advance()
    limits: IndexRange | None = None
    top: Bound | None = None
    while r.is_op("_", "^"):  # \min_{j=1}^{3} or \min^{3}_{j=1}
        mark = r.advance()
        if mark.text == "_" and limits is None:
            limits = read_index_range(r, t)
        elif mark.text == "^" and top is None:
            top = read_bound(r, t)
        else:
            raise r.fail(f"a second `{mark.text}` on `{t.text}`", mark.pos)
    if limits is None:
        raise r.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", t.pos)
    index = limits.index
    saved, r.index = r.index, index
    try:
        body = r.parse_atom() if r.is_op("(", "[", "{") else r.parse_power()
    finally:
        r.index = saved
    expr = scalar_only(r, body, f"`{t.text}_{index}`")
    if not expr.has(H_J):
        raise r.fail(f"`{t.text}_{index}` needs a body in h_{index}, e.g. "
                     f"\\{t.text.lower()}_{index} h_{index}", t.pos)
    numbers = units(r, t, limits, top)
    if numbers is None:
        f = IndexedMin if t.text.lower() == "min" else IndexedMax
        return Value(f(expr), t.pos, r.last_end())
    hs = [r.env[f"h{u}"] for u in numbers]
    f = sp.Min if t.text.lower() == "min" else sp.Max
    value = f(*(expr.xreplace({H_J: h}) for h in hs))
    r.note(f"read `{r.text[t.pos:r.last_end()].strip()}` as "
           f"{t.text.lower()}({', '.join(sp.sstr(expr.xreplace({H_J: h})) for h in hs)})")
    return Value(value, t.pos, r.last_end())


def units(r: Reader, t: Token, limits: IndexRange, top: Bound | None) -> list[int] | None:
    """The numbers of the units a ``min_j`` runs over, or None for all units h_1, …, h_M
    (a bound that is a name, or none)."""
    low, high = limits.low, limits.high
    if top is not None:
        if high is not None and high.value != top.value:
            raise r.fail(f"two different last units for `{t.text}`: {high.value} and "
                         f"{top.value}", top.pos)
        high = top
    if limits.listed is not None:
        if top is not None:
            raise r.fail(f"`{t.text}` over a list of units takes no upper bound", top.pos)
        numbers = [b.value for b in limits.listed]
        if all(isinstance(v, int) for v in numbers):
            found = sorted(set(numbers))
            return known_units(r, t, found, limits.listed[0].pos)
        if len(numbers) == 1:  # j ∈ {M}: read as j = 1, …, M
            low, high = None, limits.listed[0]
        else:
            raise r.fail(f"`{t.text}` over a list of units: write numbers "
                         "(\\min_{j \\in \\{1,2,3\\}}) or a range", t.pos)
    first = 1 if low is None else low.value
    if high is None or isinstance(high.value, str):
        if first != 1:
            where = low.pos if low is not None else t.pos
            raise r.fail(
                f"`{t.text}` from unit {first} on: only a {t.text.lower()} over all units "
                f"(\\{t.text.lower()}_j h_j) or over numbered ones "
                f"(\\{t.text.lower()}_{{j=1}}^{{3}} h_j) can be checked", where)
        return None
    if isinstance(first, str):
        raise r.fail(f"`{t.text}` from unit {first} to {high.value}: write numbers for "
                     "both, or \\min_j h_j for all units", low.pos if low else t.pos)
    if high.value < first:
        raise r.fail(f"`{t.text}` over no units (from {first} to {high.value})", high.pos)
    return known_units(r, t, range(first, high.value + 1), high.pos)


def known_units(r: Reader, t: Token, numbers: Iterable[int], pos: int) -> list[int]:
    """``numbers`` as a list, if the sheet has a unit ``h<u>`` for each; else the refusal
    naming the first one missing (``range(1, 10**12)`` stops at 4)."""
    found = []
    for u in numbers:
        if f"h{u}" not in r.env:
            have = ", ".join(n for n in r.env if n[0] == "h" and n[1:].isdigit())
            raise UnknownSymbolError(f"`{t.text}` over these units needs h{u}, which the "
                                     f"sheet does not have (its units: {have})", pos)
        found.append(u)
    return found


def read_bound(r: Reader, t: Token) -> Bound:
    """The upper bound after ``^``: ``3``, ``{3}``, ``M`` or ``{M}``."""
    braced = r.is_op("{", "(")
    if braced:
        close = "}" if r.advance().text == "{" else ")"
    tok = r.advance()
    if r.latex and tok.kind == "num" and not braced and len(tok.text) > 1:
        raise r.fail(f"write the bound of `{t.text}` in braces: ^{{{tok.text}}}", tok.pos)
    bound = as_bound(tok)
    if bound is None:
        raise r.fail(f"expected the last unit of `{t.text}` after `^`, e.g. "
                     f"\\{t.text.lower()}_{{j=1}}^{{M}}", tok.pos)
    if braced:
        r.expect(close, f"to close the bound of `{t.text}`")
    return bound


def as_bound(tok: Token) -> Bound | None:
    """A unit's number (``3``) or a name for any number (``M``); None for another token."""
    if tok.kind == "num" and tok.text.isdigit():
        return Bound(int(tok.text), tok.pos)
    if tok.kind == "name" and tok.text.isalpha():
        return Bound(tok.text, tok.pos)
    return None


def read_index_range(r: Reader, t: Token) -> IndexRange:
    """The index and bounds after ``_``: ``_j``, ``_{j=1,…,M}``, ``_{j=1}``,
    ``_{1 \\le j \\le M}``, ``_{j \\in \\{1,2,3\\}}``, ``_{j \\in [M]}``."""
    if not r.is_op("{"):
        tok = r.advance()
        if tok.kind == "name" and tok.text in INDEX_LETTERS:
            return IndexRange(tok.text)
        raise r.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", tok.pos)
    r.advance()
    depth, inside = 1, []
    while depth:
        tok = r.tok
        if tok.kind == "end":
            raise r.fail(f"the subscript of `{t.text}` is not closed", t.pos)
        if r.is_op("{"):
            depth += 1
        elif r.is_op("}"):
            depth -= 1
        if depth:
            inside.append(tok)
        r.advance()
    at = next((k for k, tok in enumerate(inside)
               if tok.kind == "name" and tok.text in INDEX_LETTERS), None)
    if at is None:
        raise r.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", t.pos)
    index = inside[at].text
    before, after = inside[:at], inside[at + 1 :]
    limits = IndexRange(index)
    if after and r.is_op("=", "∈", tok=after[0]):
        items = [tok for tok in after[1:] if not r.is_op(",", "(", ")", "[", "]", "{",
                                                         "}", tok=tok)]
        dots = any(r.is_op("…", tok=tok) for tok in items)
        bounds = [as_bound(tok) for tok in items if not r.is_op("…", tok=tok)]
        if not bounds or None in bounds:
            raise r.fail(f"expected the units of `{t.text}`, e.g. "
                         f"\\{t.text.lower()}_{{j=1,\\dots,M}}", inside[at].pos)
        if dots:
            limits.low = bounds[0]
            limits.high = bounds[-1] if not r.is_op("…", tok=items[-1]) else None
        elif after[0].text == "=" and len(bounds) == 1:
            limits.low = bounds[0]
        elif after[0].text == "∈" and len(bounds) == 1 and r.is_op("[", tok=after[1]):
            limits.high = bounds[0]  # j ∈ [M]: 1, …, M
        else:
            limits.listed = bounds
        return limits
    if len(before) >= 2 and r.is_op("<=", "<", tok=before[-1]):  # 1 \le j
        low = as_bound(before[-2])
        if low is not None and isinstance(low.value, int) and before[-1].text == "<":
            low = Bound(low.value + 1, low.pos)
        limits.low = low
    if len(after) >= 2 and r.is_op("<=", "<", tok=after[0]):  # j \le M
        high = as_bound(after[1])
        if high is not None and isinstance(high.value, int) and after[0].text == "<":
            high = Bound(high.value - 1, high.pos)
        limits.high = high
    return limits


# -- min(h_1, …, h_M): a list with an ellipsis ------------------------------------------------
def ellipsis_ahead(r: Reader) -> bool:
    """Whether a ``…`` stands among the arguments of the call being read."""
    depth = 0
    for tok in r.toks[r.i :]:
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


def over_units(r: Reader, name: str, args: list[Value], t: Token) -> sp.Basic:
    """``min(h_1, …, h_M)`` (or ``h_1, h_2, …, h_M``): the minimum over M units."""
    exprs = [a.expr for a in args]
    hs = S.hs(len(exprs))
    ok = (len(exprs) >= 3 and exprs[-1] == H_LAST and exprs[-2] == ELLIPSIS
          and all(e == h for e, h in zip(exprs[:-2], hs, strict=False)))
    if not ok:
        raise r.fail(f"read `{t.text}(h_1, …, h_M)` with the units in order, "
                     "e.g. \\min(h_1, \\ldots, h_M)", t.pos)
    return (IndexedMin if name.lower() == "min" else IndexedMax)(H_J)
