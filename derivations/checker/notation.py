"""The sheet's notation for expressions and conditions: the one text printer of messages.

Every message the checker and the grading write about a formula — the diagnosis, the "read
as" line, the reading notes, the feedback — spells it as the sheet does, never as SymPy:
``max(0, a1 − 5)`` (not ``Max(0, a1 - 5)``), ``w/λ`` (not ``1/lambda*w``), ``Σ⁻¹w`` (not
``Sigma**(-1)*w``), ``a1 = a2`` (not ``Eq(a1, a2)``), ``a1 > 0 and a2 > 0`` (not
``(a1 > 0) & (a2 > 0)``). A conjunction inside a disjunction is bracketed, so a condition
reads one way: ``(a1 = a2 and γ = 0) or a1 ≠ a2``.

>>> from derivations import symbols as S
>>> sheet_text(sp.Max(0, S.a1 - 5)), sheet_text(S.w / S.lam), sheet_text(S.Sigma.I * S.w)
('max(0, a1 − 5)', 'w/λ', 'Σ⁻¹w')
>>> sheet_text(sp.Eq(S.a1, S.a2)), sheet_text(sp.And(S.a1 > 0, S.a2 > 0))
('a1 = a2', 'a1 > 0 and a2 > 0')
>>> sheet_text(S.A * S.A.T * S.w / (2 * S.lam)), sheet_text(S.lam ** 2 / 2)
('AAᵀw/(2λ)', 'λ²/2')
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations import symbols as S
from derivations.checker.tokens import UNICODE_NAMES

__all__ = ["DISPLAY", "MINUS", "display", "sheet_text"]

#: How the sheet's names are shown in messages: the letter the parser reads as each name,
#: the first one listed where two read the same (``μ``, not the micro sign ``µ``).
DISPLAY = {
    name: letter for letter, name in reversed(UNICODE_NAMES.items()) if name in S.BY_NAME
}

#: The minus sign of a message (U+2212), as the sheet typesets it.
MINUS = "−"

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

# Binding strength, loosest first: a child looser than its place is bracketed.
_OR, _AND, _NOT, _REL, _ADD, _MUL, _POW, _ATOM = range(8)


def display(name: str) -> str:
    """The sheet's way to write a name: ``Sigma`` → ``Σ``.

    >>> display("Sigma"), display("mu"), display("lambda"), display("gamma"), display("a1")
    ('Σ', 'μ', 'λ', 'γ', 'a1')
    """
    return DISPLAY.get(name, name)


def sheet_text(expr: sp.Basic | bool) -> str:
    """``expr`` (an expression or a condition) written in the sheet's notation, one line."""
    return _shown(sp.sympify(expr))[0]


def _bracketed(expr: sp.Basic, place: int) -> str:
    text, strength = _shown(expr)
    return f"({text})" if strength < place else text


def _shown(e: sp.Basic) -> tuple[str, int]:
    for kind in type(e).__mro__:
        rule = _RULES.get(kind)
        if rule is not None:
            return rule(e)
    if "_sympystr" in vars(type(e)) or any("_sympystr" in vars(k) for k in type(e).__mro__[1:3]
                                            if k.__module__.startswith("derivations")):
        return _spelled(sp.sstr(e)), _ATOM  # a node of this project that prints itself
    if isinstance(e, sp.Function):
        args = ", ".join(sheet_text(a) for a in e.args)
        return f"{e.func.__name__.lower()}({args})", _ATOM
    return _spelled(sp.sstr(e)), _ATOM


def _spelled(text: str) -> str:
    """A node without a rule (``min_j(h_j)``): its own text with the sheet's letters."""
    for name in sorted(DISPLAY, key=len, reverse=True):
        text = text.replace(name, DISPLAY[name])
    for a, b in ((".T", "ᵀ"), ("**(-1)", "⁻¹"), ("**2", "²"), ("**", "^"), ("*", "·")):
        text = text.replace(a, b)
    return text


def _number(e: sp.Basic) -> tuple[str, int]:
    if isinstance(e, sp.Integer):
        return (f"{MINUS}{-int(e)}", _ADD) if e < 0 else (str(int(e)), _ATOM)
    if isinstance(e, sp.Rational):
        sign = MINUS if e < 0 else ""
        return f"{sign}{abs(e.p)}/{e.q}", _ADD if e < 0 else _MUL
    text = f"{float(e):.15g}" if isinstance(e, sp.Float) else sp.sstr(e)
    return (text.replace("-", MINUS), _ADD if text.startswith("-") else _ATOM)


def _negative(e: sp.Basic) -> bool:
    if isinstance(e, sp.Number):
        return bool(e < 0)
    if isinstance(e, (sp.Mul, sp.MatMul)):
        coeff = e.args[0]
        return isinstance(coeff, sp.Number) and bool(coeff < 0)
    return False


def _sum(e: sp.Basic) -> tuple[str, int]:
    terms = e.as_ordered_terms() if isinstance(e, sp.Add) else list(e.args)
    first = next((t for t in terms if not _negative(t)), terms[0])  # a2 − a1, not −a1 + a2
    terms = [first, *(t for t in terms if t is not first)]
    out = _bracketed(terms[0], _ADD)
    for t in terms[1:]:
        if _negative(t):
            out += f" {MINUS} {_bracketed(-t, _MUL)}"
        else:
            out += f" + {_bracketed(t, _MUL)}"
    return out, _ADD


def _juxtaposed(factors: list[str]) -> str:
    """``2λ``, ``a1·a2``: a number before a letter or a bracket is written next to it."""
    out = factors[0]
    for f in factors[1:]:
        glue = "" if out.isdigit() and (f[:1].isalpha() or f[:1] == "(") else "·"
        out += glue + f
    return out


def _quotient(num: sp.Basic, den: sp.Basic, mats: list[sp.Basic]) -> str:
    """``num·mats/den`` with brackets only where needed."""
    factors = [] if num == 1 and mats else [_bracketed(f, _MUL) for f in num.as_ordered_factors()]
    top = _juxtaposed(factors) if factors else ""
    if mats:
        glue = "" if not top or top.isdigit() or len(top) == 1 else "·"
        top += glue + "".join(_bracketed(m, _POW) for m in mats)
    if den == 1:
        return top
    bottom, strength = _shown(den)
    if strength < _POW or len(sp.Mul.make_args(den)) > 1:
        bottom = f"({bottom})"
    return f"{top}/{bottom}"


def _product(e: sp.Basic) -> tuple[str, int]:
    if _negative(e):
        return f"{MINUS}{_bracketed(-e, _MUL)}", _ADD
    if isinstance(e, sp.MatMul):
        mats = [a for a in e.args if isinstance(a, MatrixExpr)]
        scalar = sp.Mul(*[a for a in e.args if not isinstance(a, MatrixExpr)])
    else:
        mats, scalar = [], e
    num, den = sp.fraction(scalar)
    return _quotient(num, den, mats), _MUL


def _power(e: sp.Pow) -> tuple[str, int]:
    base, ex = e.args
    if ex.is_Rational and ex < 0:
        return _quotient(sp.S.One, sp.Pow(base, -ex), []), _MUL
    if ex == sp.S.Half:
        return f"√{_bracketed(base, _ATOM)}", _POW
    if ex.is_Integer:
        return f"{_bracketed(base, _ATOM)}{str(int(ex)).translate(_SUPERSCRIPT)}", _POW
    return f"{_bracketed(base, _ATOM)}^{_bracketed(ex, _ATOM)}", _POW


def _matrix_power(e: sp.Basic) -> tuple[str, int]:
    base, ex = e.args
    return f"{_bracketed(base, _ATOM)}{sp.sstr(ex).translate(_SUPERSCRIPT)}", _POW


def _postfix(mark: str) -> Callable[[sp.Basic], tuple[str, int]]:
    return lambda e: (f"{_bracketed(e.args[0], _ATOM)}{mark}", _POW)


def _call(name: str) -> Callable[[sp.Basic], tuple[str, int]]:
    return lambda e: (f"{name}({', '.join(sheet_text(a) for a in e.args)})", _ATOM)


def _piecewise(e: sp.Piecewise) -> tuple[str, int]:
    parts = []
    for value, cond in e.args:
        where = "otherwise" if cond == sp.true else f"if {sheet_text(cond)}"
        parts.append(f"{sheet_text(value)} {where}")
    return "{" + "; ".join(parts) + "}", _ATOM


_RELATIONS = {sp.Eq: "=", sp.Ne: "≠", sp.Lt: "<", sp.Le: "≤", sp.Gt: ">", sp.Ge: "≥"}


def _relation(e: sp.Basic) -> tuple[str, int]:
    lhs, rhs = e.args
    return f"{_bracketed(lhs, _ADD)} {_RELATIONS[type(e)]} {_bracketed(rhs, _ADD)}", _REL


def _joined(word: str, strength: int) -> Callable[[sp.Basic], tuple[str, int]]:
    def joined(e: sp.Basic) -> tuple[str, int]:
        args = sorted(e.args, key=sp.default_sort_key)
        return f" {word} ".join(_bracketed(a, _NOT) for a in args), strength
    return joined


_RULES: dict[type, Callable[[sp.Basic], tuple[str, int]]] = {
    sp.Number: _number,
    sp.NumberSymbol: lambda e: ({"pi": "π", "E": "e"}.get(str(e), str(e)), _ATOM),
    sp.Symbol: lambda e: (display(e.name), _ATOM),
    sp.MatrixSymbol: lambda e: (display(e.name), _ATOM),
    sp.Identity: lambda e: ("I", _ATOM),
    sp.ZeroMatrix: lambda e: ("0", _ATOM),
    sp.Add: _sum,
    sp.MatAdd: _sum,
    sp.Mul: _product,
    sp.MatMul: _product,
    sp.Pow: _power,
    sp.MatPow: _matrix_power,
    sp.Transpose: _postfix("ᵀ"),
    sp.Inverse: _postfix("⁻¹"),
    sp.Min: _call("min"),
    sp.Max: _call("max"),
    sp.exp: _call("exp"),
    sp.log: _call("log"),
    sp.Trace: _call("tr"),
    sp.Abs: lambda e: (f"|{sheet_text(e.args[0])}|", _ATOM),
    sp.Piecewise: _piecewise,
    sp.Eq: _relation,
    sp.Ne: _relation,
    sp.Lt: _relation,
    sp.Le: _relation,
    sp.Gt: _relation,
    sp.Ge: _relation,
    sp.And: _joined("and", _AND),
    sp.Or: _joined("or", _OR),
    sp.Not: lambda e: (f"not ({sheet_text(e.args[0])})", _NOT),
    sp.logic.boolalg.BooleanTrue: lambda e: ("always", _ATOM),
    sp.logic.boolalg.BooleanFalse: lambda e: ("never", _ATOM),
    sp.core.numbers.NaN: lambda e: ("undefined", _ATOM),
    sp.core.numbers.Infinity: lambda e: ("∞", _ATOM),
}
