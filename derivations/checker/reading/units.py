"""Minima and maxima over the units ``h_1, …, h_M`` of Exercise 3b.

``\\min_j h_j``, ``\\min_{j=1,\\dots,M} (h_j)``, ``min_j h_j`` and ``min(h_1, …, h_M)`` are
the minimum over any number M of units (:class:`IndexedMin`, fixed to M units by
:func:`instantiate`). A condition under ``\\min`` is read whole by
:mod:`~derivations.checker.reading.index_sets`: one that selects a subset of the units for
some M (``\\min_{i \\ne 1}``, ``\\min_{i>1}``, ``\\min_{1 \\le i < M}``) is the minimum
over that subset, with a note — never over all units; one with a number for the last unit
(``\\min_{j=1}^{3} h_j``, ``\\min_{1 \\le j \\le 3}``, ``\\min_{j \\in \\{1, 2\\}}``) the
minimum over those units (``Min(h1, h2, h3)``). Where the set holds no unit for an M
(``\\min_{i>1}`` for M = 1) the minimum is undefined (:class:`NoUnits`).

>>> instantiate(-IndexedMin(H_J), 3)
-Min(h1, h2, h3)
>>> from derivations.checker.reading.index_sets import Edge, IndexSet
>>> from_2 = IndexedMin(H_J, *IndexSet(lows=(Edge(2),)).args())
>>> from_2, instantiate(from_2, 3), instantiate(from_2, 1)
(min_{j = 2, …, M}(h_j), Min(h2, h3), NoUnits(h1))
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from derivations import symbols as S
from derivations.checker.notation import sheet_text
from derivations.checker.reading.index_sets import (
    CHECKED_UP_TO_M,
    INDEX_LETTERS,
    IndexSet,
    read_index_set,
)
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
    "NoUnits",
    "instantiate",
]

#: The placeholder of ``h_j`` inside ``\\min_j h_j`` (any index letter).
H_J = sp.Symbol("h_j", real=True)
#: The placeholder of ``h_M``, the last of ``h_1, …, h_M``, and of the ``…`` before it.
H_LAST = sp.Symbol("h_M", real=True)
ELLIPSIS = sp.Symbol("ellipsis")
#: Names of the last unit in ``min(h_1, …, h_M)``.
LAST_UNITS = ("hM", "hm", "hN", "hn")
#: Names that take an index (``\\min_j``) or a list with ``…`` (``min(h_1, …, h_M)``).
REDUCTIONS = ("min", "max", "Min", "Max")


class _OverUnits(sp.Function):
    """``op_j body(h_j)`` over the units of an index set (every unit where only the body is
    given; else the four tuples of :meth:`IndexSet.args`) for a number M of units left
    open; :func:`instantiate` fixes M."""

    nargs = (1, 5)
    op = ""

    def index_set(self) -> IndexSet | None:
        """The units it runs over; None for every unit."""
        return IndexSet.of_args(self.args[1:]) if len(self.args) == 5 else None

    def _sympystr(self, printer) -> str:
        units = self.index_set()
        under = "j" if units is None else "{" + units.describe("j") + "}"
        return f"{self.op}_{under}({printer._print(self.args[0])})"

    def _latex(self, printer) -> str:
        units = self.index_set()
        under = "j" if units is None else units.describe("j").replace("…", r"\dots") \
            .replace("≠", r"\ne ").replace("∈", r"\in ").replace("{", r"\{") \
            .replace("}", r"\}")
        return rf"\{self.op}_{{{under}}} {printer._print(self.args[0])}"


class IndexedMin(_OverUnits):
    """``min_j body(h_j)``."""

    op = "min"


class IndexedMax(_OverUnits):
    """``max_j body(h_j)``."""

    op = "max"


class NoUnits(sp.Function):
    """A minimum or maximum over no unit (``\\min_{i>1} h_i`` for M = 1): undefined — its
    value at any number is NaN, so an evaluation finds no value there.

    >>> NoUnits(sp.Integer(1))
    nan
    """

    nargs = 1
    #: Read by the evaluator: no value at any point (``UNDEFINED``), never an error.
    has_no_value = True

    @classmethod
    def eval(cls, arg: sp.Basic) -> sp.Basic | None:
        return sp.nan if arg.is_number else None


def _over(m: int, f: type[sp.Function]):
    def reduce(body: sp.Basic, *set_args: sp.Basic) -> sp.Basic:
        hs = S.hs(m)
        units = IndexSet.of_args(set_args).units(m) if set_args else range(1, m + 1)
        if not units:
            return NoUnits(hs[0])
        return f(*(body.xreplace({H_J: hs[u - 1]}) for u in units))

    return reduce


def instantiate(expr: sp.Basic, m: int) -> sp.Basic:
    """``expr`` with every ``min_j``/``max_j`` over its units among ``h_1, …, h_m``.

    >>> instantiate(IndexedMax(2 * H_J), 2)
    Max(2*h1, 2*h2)
    """
    return expr.replace(IndexedMin, _over(m, sp.Min)).replace(IndexedMax, _over(m, sp.Max))


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


# -- min_j: the index and its set -------------------------------------------------------------
def starts_reduction(r: Reader, name: str) -> bool:
    """``min`` with a subscript or superscript: ``\\min_j``, ``\\min^{3}_{j=1}``."""
    return name in REDUCTIONS and r.is_op("_", "^", tok=r.peek())


def _script(r: Reader, t: Token) -> list[Token]:
    """The tokens of a sub- or superscript without its braces: ``{j=1,\\dots,M}`` or one
    token (``_j``, ``^3``)."""
    if not r.is_op("{"):
        tok = r.advance()
        if tok.kind == "end":
            raise r.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", tok.pos)
        if r.latex and tok.kind == "num" and len(tok.text) > 1:
            raise r.fail(f"write the bound of `{t.text}` in braces: ^{{{tok.text}}}", tok.pos)
        return [tok]
    r.advance()
    depth, inside = 1, []
    while True:
        tok = r.toks[r.i]
        if tok.kind == "end":
            raise r.fail(f"the subscript of `{t.text}` is not closed", t.pos)
        depth += (tok.text == "{") - (tok.text == "}") if tok.kind == "op" else 0
        r.i += 1
        if depth == 0:
            return inside
        inside.append(tok)


def read_reduction(r: Reader) -> Value:
    """``\\min_j h_j``, ``\\min_{j=1,\\dots,M} (h_j)``, ``\\min_{i \\ne 1} h_i``: the
    minimum over the units of the index set (:mod:`~.index_sets`) — over any number M of
    units (:class:`IndexedMin`), or, where the set names its units by number
    (``\\min_{j=1}^{3} h_j``, ``\\min_{j \\in \\{1, 2\\}}``), over those units
    (``Min(h1, h2, h3)``)."""
    t = r.advance()
    op = t.text.lower()
    if r.index is not None:
        raise r.fail(f"a `{t.text}` with an index inside another one (over {r.index}) cannot "
                     "be checked: write one of them out", t.pos)
    sub: list[Token] | None = None
    top: list[Token] | None = None
    while r.is_op("_", "^"):  # \min_{j=1}^{3} or \min^{3}_{j=1}
        mark = r.advance()
        if mark.text == "_" and sub is None:
            sub = _script(r, t)
        elif mark.text == "^" and top is None:
            top = _script(r, t)
        else:
            raise r.fail(f"a second `{mark.text}` on `{t.text}`", mark.pos)
    if sub is None:
        raise r.fail(f"expected the index of `{t.text}`, e.g. {t.text}_j h_j", t.pos)
    index, units, notes = read_index_set(sub, top or [], r.text, op, t.pos)
    for n in notes:
        r.note(n)
    saved, r.index = r.index, index
    try:
        body = r.parse_atom() if r.is_op("(", "[", "{") else r.parse_power()
    finally:
        r.index = saved
    expr = scalar_only(r, body, f"`{t.text}_{index}`")
    if not expr.has(H_J):
        raise r.fail(f"`{t.text}_{index}` needs a body in h_{index}, e.g. "
                     f"\\{op}_{index} h_{index}", t.pos)
    written = r.text[t.pos:r.last_end()].strip()
    numbers = units.fixed_units()
    if numbers is not None:
        if not numbers:
            raise r.fail(f"`{t.text}` over no units ({units.describe(index)})", t.pos)
        hs = [r.env[f"h{u}"] for u in known_units(r, t, numbers, t.pos)]
        f = sp.Min if op == "min" else sp.Max
        r.note(f"read `{written}` as "
               f"{op}({', '.join(sheet_text(expr.xreplace({H_J: h})) for h in hs)})")
        return Value(f(*(expr.xreplace({H_J: h}) for h in hs)), t.pos, r.last_end())
    f = IndexedMin if op == "min" else IndexedMax
    if units.is_all():
        return Value(f(expr), t.pos, r.last_end())
    empty = [m for m in range(1, CHECKED_UP_TO_M + 1) if not units.units(m)]
    undefined = (f"; for M = {', '.join(map(str, empty))} that is no unit, and the "
                 f"{op}imum is undefined") if empty else ""
    r.note(f"read `{written}` as the {op}imum over the units h_{index} with "
           f"{units.describe(index)}, not over every unit{undefined}")
    return Value(f(expr, *units.args()), t.pos, r.last_end())


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
