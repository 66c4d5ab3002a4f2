"""The tree walk: an answer's value at a point, node by node (:data:`RULES`).

The evaluator knows exactly the node types an answer can contain (sums, products, powers,
``Min``, ``Max``, ``Piecewise``, ``Heaviside``, matrix products, transposes, inverses, ``1×1``
entries) and never executes generated code; the values and their arithmetic are those of
:mod:`~derivations.checker.evaluating.values`. A node it does not know, or a symbol without a
value, raises :class:`EvaluationError`; a value that does not exist is ``UNDEFINED``.

>>> from derivations.symbols import a1
>>> value(sp.exp(a1) * 0 + 1 / a1, {"a1": Fraction(2)}), value(1 / a1, {"a1": Fraction(0)})
(Fraction(1, 2), UNDEFINED)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derivations.checker.evaluating import enclosures as enc
from derivations.checker.evaluating.enclosures import PRECISIONS, Undecided, precision
from derivations.checker.evaluating.values import (
    UNDEFINED,
    Mat,
    Undefined,
    add,
    div,
    equal,
    identity,
    is_zero,
    less,
    mul,
    sign,
)

__all__ = ["RULES", "EvaluationError", "dimension", "value"]


class EvaluationError(ValueError):
    """A node the evaluator does not know, or a symbol without a value."""


def _power(base: Any, ex: Any) -> Any:
    if base is UNDEFINED or ex is UNDEFINED:
        return UNDEFINED
    if isinstance(base, Mat):
        raise EvaluationError("a matrix to a scalar power")
    if not isinstance(ex, Fraction):
        raise EvaluationError("a power with an exponent that is not a rational number")
    if ex.denominator == 1:
        n = ex.numerator
        if n < 0 and is_zero(base):
            return UNDEFINED
        if n < 0 and sign(base) is None:
            raise Undecided("a negative power of a value not separated from 0")
        return enc.power(base, n)
    out = enc.root(base, ex)
    return UNDEFINED if out is None else out


# -- the tree walk ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    point: Mapping[str, Any]
    zero_over_zero: bool


def _v(e: sp.Basic, c: _Context) -> Any:
    for cls in type(e).__mro__:
        rule = RULES.get(cls)
        if rule is not None:
            return rule(e, c)
    return _function(e, c)


def _symbol(e: sp.Basic, c: _Context) -> Any:
    try:
        v = c.point[e.name]
    except KeyError:
        raise EvaluationError(f"no value for the symbol {e.name}") from None
    return Fraction(v) if isinstance(v, int) else v


def _sum(e: sp.Basic, c: _Context) -> Any:
    total: Any = None
    for arg in e.args:
        v = _v(arg, c)
        if v is UNDEFINED:
            return UNDEFINED
        if total is None:
            total = v
        elif isinstance(v, Mat):
            total = total + v
        else:
            total = add(total, v)
    return total


def _product(e: sp.Basic, c: _Context) -> Any:
    """A product, denominators apart: ``n/0`` is undefined, ``0/0`` too unless the sheet's
    convention applies. Matrix factors multiply in order, scalars commute."""
    num: Any = Fraction(1)
    den: Any = Fraction(1)
    acc: Mat | None = None
    for arg in e.args:
        if isinstance(arg, sp.Pow) and arg.exp.is_number and arg.exp.is_negative \
                and not isinstance(arg.base, sp.MatrixExpr):
            v = _power(_v(arg.base, c), _v(-arg.exp, c))
            if v is UNDEFINED:
                return UNDEFINED
            den = mul(den, v)
            continue
        v = _v(arg, c)
        if v is UNDEFINED:
            return UNDEFINED
        if isinstance(v, Mat):
            acc = v if acc is None else acc @ v
        else:
            num = mul(num, v)
    if is_zero(den):
        if c.zero_over_zero and acc is None and sign(num) is None:
            raise Undecided("0/0 or n/0: a numerator not separated from 0")
        if c.zero_over_zero and is_zero(num) and acc is None:
            return Fraction(0)
        return UNDEFINED
    if sign(den) is None:
        raise Undecided("a division by a value not separated from 0")
    scalar = div(num, den)
    return acc.scale(scalar) if acc is not None else scalar


def _pow(e: sp.Pow, c: _Context) -> Any:
    return _power(_v(e.base, c), _v(e.exp, c))


def _args(e: sp.Basic, c: _Context) -> list[Any] | Undefined:
    out = [_v(a, c) for a in e.args]
    return UNDEFINED if any(v is UNDEFINED for v in out) else out


def _extreme(smallest: bool) -> Callable[[sp.Basic, _Context], Any]:
    """``Min`` (``smallest``) or ``Max`` of the arguments' values."""

    def rule(e: sp.Basic, c: _Context) -> Any:
        vs = _args(e, c)
        if vs is UNDEFINED:
            return UNDEFINED
        best = vs[0]
        for v in vs[1:]:
            best = enc.extreme(best, v, smallest)
        return best

    return rule


def _abs(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    return UNDEFINED if x is UNDEFINED else enc.approx_abs(x)


def _certain(x: Any) -> int:
    s = sign(x)
    if s is None:
        raise Undecided("the sign of a value not separated from 0")
    return s


def _sign(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    return UNDEFINED if x is UNDEFINED else Fraction(_certain(x))


def _heaviside(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    if x is UNDEFINED:
        return UNDEFINED
    s = _certain(x)
    if s:
        return Fraction(int(s > 0))
    return _v(e.args[1], c) if len(e.args) > 1 else Fraction(1, 2)


def _piecewise(e: sp.Piecewise, c: _Context) -> Any:
    for val, cond in e.args:
        holds = _v(cond, c)
        if holds is UNDEFINED:
            return UNDEFINED
        if holds:
            return _v(val, c)
    return UNDEFINED


def _relation(test: Callable[[Any, Any], bool]) -> Callable[[sp.Basic, _Context], Any]:
    def rule(e: sp.Basic, c: _Context) -> Any:
        a, b = _v(e.lhs, c), _v(e.rhs, c)
        if a is UNDEFINED or b is UNDEFINED:
            return UNDEFINED
        return test(a, b)

    return rule


def _logic(e: sp.Basic, c: _Context) -> Any:
    vs = _args(e, c)
    if vs is UNDEFINED:
        return UNDEFINED
    if isinstance(e, sp.And):
        return all(vs)
    if isinstance(e, sp.Or):
        return any(vs)
    return not vs[0]


def _exp(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    return UNDEFINED if x is UNDEFINED else enc.exp(x)


def _log(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    if x is UNDEFINED:
        return UNDEFINED
    out = enc.log(x)
    return UNDEFINED if out is None else out


def _constant(e: sp.Basic, c: _Context) -> Any:
    out = enc.constant(str(e))
    if out is None:
        raise EvaluationError(f"cannot evaluate the constant {e}")
    return out


def _matpow(e: sp.MatPow, c: _Context) -> Any:
    base, n = _v(e.base, c), e.exp
    if base is UNDEFINED:
        return UNDEFINED
    if not n.is_Integer:
        raise EvaluationError(f"matrix power with exponent {n}")
    if int(n) < 0:
        base = base.inverse()
        if base is UNDEFINED:
            return UNDEFINED
    out = identity(base.shape[0])
    for _ in range(abs(int(n))):
        out = out @ base
    return out


def _inverse(e: sp.Inverse, c: _Context) -> Any:
    m = _v(e.arg, c)
    return UNDEFINED if m is UNDEFINED else m.inverse()


def _transpose(e: sp.Transpose, c: _Context) -> Any:
    m = _v(e.arg, c)
    return UNDEFINED if m is UNDEFINED else m.T


def _element(e: MatrixElement, c: _Context) -> Any:
    m = _v(e.parent, c)
    return UNDEFINED if m is UNDEFINED else m.rows[int(e.i)][int(e.j)]


def _trace(e: sp.Trace, c: _Context) -> Any:
    m = _v(e.arg, c)
    if m is UNDEFINED:
        return UNDEFINED
    total: Any = Fraction(0)
    for i in range(m.shape[0]):
        total = add(total, m.rows[i][i])
    return total


def dimension(n: sp.Expr, point: Mapping[str, Any]) -> int:
    """A matrix dimension (``d``, ``k`` or a number) at ``point``.

    >>> from derivations.symbols import A
    >>> [dimension(n, {"d": 3, "k": 2}) for n in A.T.shape]
    [2, 3]
    """
    v = _v(sp.sympify(n), _Context(point, False))
    return int(v)


def _identity(e: sp.Identity, c: _Context) -> Any:
    return identity(dimension(e.rows, c.point))


def _zeros(e: sp.ZeroMatrix, c: _Context) -> Any:
    r, k = dimension(e.rows, c.point), dimension(e.cols, c.point)
    return Mat(tuple(tuple(Fraction(0) for _ in range(k)) for _ in range(r)))


def _number(e: sp.Basic, c: _Context) -> Any:
    if isinstance(e, (sp.Integer, sp.Rational)):
        return Fraction(int(e.p), int(e.q))
    if isinstance(e, sp.Float):
        return Fraction(str(e))
    raise EvaluationError(f"cannot evaluate the number {e}")


#: How each node type evaluates (the first class in a node's MRO found here is used).
RULES: dict[type, Callable[[Any, _Context], Any]] = {
    sp.Rational: _number,
    sp.Float: _number,
    sp.NumberSymbol: _constant,
    sp.MatrixSymbol: _symbol,
    sp.Symbol: _symbol,
    sp.Add: _sum,
    sp.Mul: _product,
    sp.Pow: _pow,
    sp.Min: _extreme(smallest=True),
    sp.Max: _extreme(smallest=False),
    sp.Abs: _abs,
    sp.sign: _sign,
    sp.exp: _exp,
    sp.log: _log,
    sp.Heaviside: _heaviside,
    sp.Piecewise: _piecewise,
    sp.MatAdd: _sum,
    sp.MatMul: _product,
    sp.MatPow: _matpow,
    sp.Transpose: _transpose,
    sp.Inverse: _inverse,
    sp.Identity: _identity,
    sp.ZeroMatrix: _zeros,
    sp.Trace: _trace,
    MatrixElement: _element,
    sp.Lt: _relation(lambda a, b: less(a, b)),
    sp.Le: _relation(lambda a, b: not less(b, a)),
    sp.Gt: _relation(lambda a, b: less(b, a)),
    sp.Ge: _relation(lambda a, b: not less(a, b)),
    sp.Eq: _relation(equal),
    sp.Ne: _relation(lambda a, b: not equal(a, b)),
    sp.And: _logic,
    sp.Or: _logic,
    sp.Not: _logic,
    sp.logic.boolalg.BooleanTrue: lambda e, c: True,
    sp.logic.boolalg.BooleanFalse: lambda e, c: False,
}


def _function(e: sp.Basic, c: _Context) -> Any:
    """A node not in :data:`RULES`: ``UNDEFINED`` for a function that declares it has no value
    anywhere (``has_no_value``, e.g. a minimum over no unit), else refused (no value is ever
    guessed by rounding)."""
    if getattr(e.func, "has_no_value", False):
        return UNDEFINED
    kind = e.func.__name__ if isinstance(e, sp.Function) else type(e).__name__
    raise EvaluationError(f"cannot evaluate {kind} with certified bounds")


def value(expr: sp.Basic, point: Mapping[str, Any], zero_over_zero: bool = False,
          bits: int = PRECISIONS[0]) -> Any:
    """The value of ``expr`` at ``point``: a :class:`~fractions.Fraction`, an
    :class:`~.enclosures.Approx` (exact part and a certified interval at ``bits`` bits, only
    where the value is not rational), a :class:`Mat`, a bool, or :data:`UNDEFINED`.

    Raises :class:`EvaluationError` for a node it does not know or a symbol without a value,
    and :class:`~.enclosures.Undecided` where a decision (a case, a sign, a division) needs a
    sign the enclosures do not separate from 0 at ``bits`` bits.
    """
    with precision(bits):
        return _v(expr, _Context(point, zero_over_zero))
