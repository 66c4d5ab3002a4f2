"""Functions an answer may call, by name, and the bars of norms and absolute values.

:data:`FUNCTIONS` is the one list: ``min(a1, a2)``, ``abs(t)``, ``exp``, ``log``/``ln``,
``sqrt``, ``sign``, ``relu``/``ReLU``/``rho`` (max(0, t)), ``inv(Sigma)``, ``transpose(A)``,
``norm(w)``, ``Heaviside(t)``; each entry builds the value from the arguments read (their
count and shapes checked). ``Piecewise((a1, a1 <= a2), (0, True))`` is read by
:mod:`~derivations.checker.reading.cases` (:data:`CALL_READERS`), ``min(h_1, …, h_M)`` by
:mod:`~derivations.checker.reading.units`. ``‖x‖``, ``‖x‖_2``, ``‖x‖^2`` are Euclidean
norms, ``|t|`` the absolute value.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derivations.checker.notation import sheet_text
from derivations.checker.reading.cases import read_piecewise_call
from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.shapes import inverse, norm, scalar_fn, scalar_only, transpose
from derivations.checker.reading.units import ELLIPSIS, REDUCTIONS, ellipsis_ahead, over_units
from derivations.checker.tokens import Token

__all__ = ["CALL_READERS", "FUNCTIONS", "call", "read_bars"]

#: How a function builds its value from the arguments read (the reader, the arguments, the
#: function's name token).
Builder = Callable[[Reader, list[Value], Token], sp.Basic]


def nargs(r: Reader, args: list[Value], n: int, t: Token) -> None:
    """Refuse a call of ``t`` with other than ``n`` arguments."""
    if len(args) != n:
        raise r.fail(f"`{t.text}` takes {n} argument(s), got {len(args)}", t.pos)


def _minmax(f: Callable) -> Builder:
    """``min(a, b, …)``; ``min(h1 h2 h3)``, one argument, is that argument, with a note
    (commas missing?)."""
    def build(r: Reader, args: list[Value], t: Token) -> sp.Basic:
        if not args:
            raise r.fail(f"`{t.text}` needs at least one argument", t.pos)
        if len(args) == 1 and f in (sp.Min, sp.Max):
            read = sheet_text(scalar_only(r, args[0], f"`{t.text}`"))
            r.note(f"a {t.text.lower()} of one argument: read "
                   f"`{r.text[t.pos:r.last_end()].strip()}` as {t.text.lower()}({read}) = "
                   f"{read} — missing commas?")
        return f(*(scalar_only(r, a, f"`{t.text}`") for a in args))

    return build


def _unary(f: Callable) -> Builder:
    def build(r: Reader, args: list[Value], t: Token) -> sp.Basic:
        nargs(r, args, 1, t)
        return scalar_fn(r, args[0], f, t.text)

    return build


def _matrix_unary(method: str) -> Builder:
    def build(r: Reader, args: list[Value], t: Token) -> sp.Basic:
        nargs(r, args, 1, t)
        return transpose(r, args[0]).expr if method == "T" else inverse(r, args[0], t.pos).expr

    return build


def _norm(r: Reader, args: list[Value], t: Token) -> sp.Basic:
    nargs(r, args, 1, t)
    return norm(r, args[0], t.pos)


def _relu(t_: sp.Basic) -> sp.Basic:
    return sp.Max(0, t_)


def _heaviside(r: Reader, args: list[Value], t: Token) -> sp.Basic:
    """``Heaviside(x)`` (½ at 0, SymPy's convention) or ``Heaviside(x, h0)``."""
    if len(args) not in (1, 2):
        raise r.fail(f"`{t.text}` takes 1 or 2 arguments, got {len(args)}", t.pos)
    return sp.Heaviside(*(scalar_only(r, a, f"`{t.text}`") for a in args))


#: Functions a user may call, by name: ``min(a1, a2)``, ``inv(Sigma)``, ``relu(a1 - a2)``.
FUNCTIONS: dict[str, Builder] = {
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
    "Piecewise": _minmax(sp.Piecewise),  # read by CALL_READERS
}

#: Calls whose arguments are not a list of values, read whole from their ``(``.
CALL_READERS: dict[str, Callable[[Reader, Token], Value]] = {
    "Piecewise": read_piecewise_call,
}


def call(r: Reader, name: str, t: Token) -> Value:
    """The call of the function ``name`` (its token ``t``), from its ``(``."""
    special = CALL_READERS.get(name)
    if special is not None:
        return special(r, t)
    r.advance()  # (
    r.closers.append(")")
    args: list[Value] = []
    dots = name in REDUCTIONS and ellipsis_ahead(r)
    saved, r.ellipsis = r.ellipsis, dots
    try:
        if not r.is_op(")"):
            args.append(_argument(r))
            while r.is_op(","):
                r.advance()
                args.append(_argument(r))
    finally:
        r.ellipsis = saved
    r.closers.pop()
    r.expect(")", f"to close {t.text}(")
    if dots:
        return Value(over_units(r, name, args, t), t.pos, r.last_end())
    return Value(FUNCTIONS[name](r, args, t), t.pos, r.last_end())


def _argument(r: Reader) -> Value:
    """An argument: a sum, or the ``…`` of ``min(h_1, …, h_M)``."""
    if r.is_op("…"):
        t = r.advance()
        return Value(ELLIPSIS, t.pos, t.end)
    return r.parse_sum()


def read_bars(r: Reader) -> Value:
    """``‖x‖``, ``‖x‖_2``, ``‖x‖^2`` (Euclidean norm) or ``|t|`` (absolute value)."""
    open_ = r.advance()
    r.closers.append(open_.text)
    v = r.parse_sum()
    r.closers.pop()
    r.expect(open_.text, f"to close the `{open_.text}` opened at position {open_.pos + 1}")
    if open_.text == "|":
        return Value(scalar_fn(r, v, sp.Abs, "|·|"), open_.pos, r.last_end())
    if r.is_op("_"):
        r.advance()
        sub = r.advance()
        if sub.text in ("{", "("):
            sub = r.advance()
            r.expect("}" if r.toks[r.i - 2].text == "{" else ")", "after `_2`")
        if sub.text != "2":
            raise r.fail("only the Euclidean norm ‖·‖₂ is supported", sub.pos)
    return Value(norm(r, v, open_.pos), open_.pos, r.last_end())
