"""An answer's value at a point, exactly: rationals stay rationals, never floats.

A point gives every scalar symbol a :class:`~fractions.Fraction` and every matrix symbol a
:class:`Mat` of fractions, by name (the dimensions ``d`` and ``k`` are integers). The
evaluator walks the expression tree — it knows exactly the node types an answer can contain
(sums, products, powers, ``Min``, ``Max``, ``Piecewise``, ``Heaviside``, matrix products,
transposes, inverses, ``1×1`` entries) and never executes generated code — in exact rational
arithmetic. Only an operation whose result is not rational (``exp``, ``log``, a root that is
not exact, ``π``) moves to :data:`DIGITS`-digit floating point (mpmath); the value then says
so (:func:`is_exact`). So two rational answers are compared for equality, not closeness:
``0.49999999·w/λ`` (read as ``49999999/10⁸·w/λ``) differs from ``w/(2λ)`` at every point.

Where an answer has no value (a division by zero, a singular inverse, the log of a negative
number) the result is :data:`UNDEFINED`, never an exception. With ``zero_over_zero`` (the
sheet's LRP convention, Exercise 2), a quotient whose numerator and denominator both vanish
is 0 instead.

>>> from derivations.symbols import A, w, lam, a1, a2
>>> point = {"d": 2, "k": 1, "A": Mat.of([[1], [2]]), "w": Mat.of([[1], [0]]),
...          "lambda": Fraction(1, 2)}
>>> value(A * A.T * w / (2 * lam), point) == Mat.of([[1], [2]])
True
>>> value(sp.Piecewise((a1, a1 < a2), (a2, True)), {"a1": Fraction(3), "a2": Fraction(1)})
Fraction(1, 1)
>>> value(a1 * (a1 - a2) / (a1 - a2), {"a1": Fraction(2), "a2": Fraction(2)})  # SymPy: a1
Fraction(2, 1)
>>> value(sp.Mul(a1 - a2, sp.Pow(a1 - a2, -1, evaluate=False), evaluate=False),
...       {"a1": Fraction(2), "a2": Fraction(2)}, zero_over_zero=True)
Fraction(0, 1)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

#: Significant digits of the floating point used where a value is not rational.
DIGITS = 60

#: Two inexact values count as equal when they agree to this many significant digits (the
#: evaluation carries :data:`DIGITS`; the difference allows for the loss of a few digits).
AGREE_DIGITS = 45

#: The second look at inexact values that agreed: :data:`PRECISE_DIGITS`-digit arithmetic,
#: agreement to :data:`PRECISE_AGREE` digits (``w/(2λ)·(1 + e^-200)`` differs from ``w/(2λ)``
#: in the 87th digit; only a difference below 10^-380 relative would pass both looks).
PRECISE_DIGITS = 400
PRECISE_AGREE = 380


class Undefined:
    """The value of an expression that has none at the point (one shared instance)."""

    _instance: Undefined | None = None

    def __new__(cls) -> Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED = Undefined()


class EvaluationError(ValueError):
    """A node the evaluator does not know, or a symbol without a value."""


@dataclass(frozen=True)
class Mat:
    """A small matrix of exact (or :data:`DIGITS`-digit) numbers, as a tuple of rows."""

    rows: tuple[tuple[Any, ...], ...]

    @staticmethod
    def of(rows: Any) -> Mat:
        """From nested lists of ints, fractions or strings (``"1/2"``).

        >>> Mat.of([[1, "1/2"]]).shape
        (1, 2)
        """
        return Mat(tuple(tuple(Fraction(x) for x in row) for row in rows))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0]) if self.rows else 0

    def __add__(self, other: Mat) -> Mat:
        return Mat(tuple(tuple(_add(x, y) for x, y in zip(r, s, strict=True))
                         for r, s in zip(self.rows, other.rows, strict=True)))

    def scale(self, c: Any) -> Mat:
        return Mat(tuple(tuple(_mul(c, x) for x in r) for r in self.rows))

    def __matmul__(self, other: Mat) -> Mat:
        cols = list(zip(*other.rows, strict=True))
        return Mat(tuple(tuple(_dot(r, c) for c in cols) for r in self.rows))

    @property
    def T(self) -> Mat:  # noqa: N802 - the matrix transpose
        return Mat(tuple(zip(*self.rows, strict=True)))

    def inverse(self) -> Mat | Undefined:
        """Gauss–Jordan elimination; :data:`UNDEFINED` for a singular matrix."""
        n = len(self.rows)
        a = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(self.rows)]
        for col in range(n):
            pivot = max(range(col, n), key=lambda i: abs(a[i][col]))
            if _is_zero(a[pivot][col]):
                return UNDEFINED
            a[col], a[pivot] = a[pivot], a[col]
            p = a[col][col]
            a[col] = [_div(x, p) for x in a[col]]
            for i in range(n):
                if i != col and not _is_zero(a[i][col]):
                    f = a[i][col]
                    a[i] = [_sub(x, _mul(f, y)) for x, y in zip(a[i], a[col], strict=True)]
        return Mat(tuple(tuple(r[n:]) for r in a))

    def to_numpy(self) -> np.ndarray:
        return np.array([[_float(x) for x in r] for r in self.rows], dtype=float)


def identity(n: int) -> Mat:
    return Mat(tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n)))


# -- numbers: exact where possible ------------------------------------------------------------
def _float(x: Any) -> float:
    """``x`` as the nearest float; ``±inf`` beyond the float range (``1e300 · 7²⁰``)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _mp(x: Any) -> mpmath.mpf:
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return mpmath.mpf(x)


def _both(x: Any, y: Any) -> tuple[Any, Any]:
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return x, y
    return _mp(x), _mp(y)


def _add(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x + y


def _sub(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x - y


def _mul(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x * y


def _div(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x / y


def _dot(r: tuple, c: tuple) -> Any:
    total: Any = Fraction(0)
    for x, y in zip(r, c, strict=True):
        total = _add(total, _mul(x, y))
    return total


def _is_zero(x: Any) -> bool:
    return x == 0


def _less(x: Any, y: Any) -> bool:
    x, y = _both(x, y)
    return bool(x < y)


def _equal(x: Any, y: Any) -> bool:
    x, y = _both(x, y)
    return bool(x == y)


def _root(x: Fraction, n: int) -> Fraction | None:
    """The exact ``n``-th root of a nonnegative rational, if it is rational."""
    def iroot(m: int) -> int | None:
        r = round(m ** (1.0 / n)) if m < 2**1000 else int(mpmath.root(m, n))
        for c in (r - 1, r, r + 1):
            if c >= 0 and c**n == m:
                return c
        return None

    p, q = iroot(x.numerator), iroot(x.denominator)
    return Fraction(p, q) if p is not None and q is not None else None


def _power(base: Any, ex: Any) -> Any:
    if base is UNDEFINED or ex is UNDEFINED:
        return UNDEFINED
    if isinstance(base, Mat):
        raise EvaluationError("a matrix to a scalar power")
    if isinstance(ex, Fraction) and ex.denominator == 1:
        n = ex.numerator
        if n < 0 and _is_zero(base):
            return UNDEFINED
        if isinstance(base, Fraction):
            return base**n
        return _mp(base) ** n
    if _less(base, Fraction(0)):
        return UNDEFINED  # a real answer: no even roots of negative numbers
    if isinstance(base, Fraction) and isinstance(ex, Fraction):
        r = _root(base, ex.denominator)
        if r is not None:
            return r**ex.numerator if ex.numerator >= 0 or r != 0 else UNDEFINED
    if _is_zero(base):
        return Fraction(0) if _less(Fraction(0), ex) else UNDEFINED
    return _mp(base) ** _mp(ex)


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
            total = _add(total, v)
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
            den = _mul(den, v)
            continue
        v = _v(arg, c)
        if v is UNDEFINED:
            return UNDEFINED
        if isinstance(v, Mat):
            acc = v if acc is None else acc @ v
        else:
            num = _mul(num, v)
    if _is_zero(den):
        if c.zero_over_zero and _is_zero(num) and acc is None:
            return Fraction(0)
        return UNDEFINED
    scalar = _div(num, den)
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
            if _less(v, best) if smallest else _less(best, v):
                best = v
        return best

    return rule


def _abs(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    if x is UNDEFINED:
        return UNDEFINED
    return -x if _less(x, Fraction(0)) else x


def _sign(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    if x is UNDEFINED:
        return UNDEFINED
    return Fraction(1) if _less(Fraction(0), x) else Fraction(-1) if _less(x, Fraction(0)) \
        else Fraction(0)


def _heaviside(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    if x is UNDEFINED:
        return UNDEFINED
    if _less(Fraction(0), x):
        return Fraction(1)
    if _less(x, Fraction(0)):
        return Fraction(0)
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
    if x is UNDEFINED:
        return UNDEFINED
    return Fraction(1) if _is_zero(x) else mpmath.exp(_mp(x))


def _log(e: sp.Basic, c: _Context) -> Any:
    x = _v(e.args[0], c)
    if x is UNDEFINED or not _less(Fraction(0), x):
        return UNDEFINED
    return Fraction(0) if x == 1 else mpmath.log(_mp(x))


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
        total = _add(total, m.rows[i][i])
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
    sp.NumberSymbol: lambda e, c: _mp(e.evalf(mpmath.mp.dps + 5)),
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
    sp.Lt: _relation(lambda a, b: _less(a, b)),
    sp.Le: _relation(lambda a, b: not _less(b, a)),
    sp.Gt: _relation(lambda a, b: _less(b, a)),
    sp.Ge: _relation(lambda a, b: not _less(a, b)),
    sp.Eq: _relation(_equal),
    sp.Ne: _relation(lambda a, b: not _equal(a, b)),
    sp.And: _logic,
    sp.Or: _logic,
    sp.Not: _logic,
    sp.logic.boolalg.BooleanTrue: lambda e, c: True,
    sp.logic.boolalg.BooleanFalse: lambda e, c: False,
}


def _function(e: sp.Basic, c: _Context) -> Any:
    """A scalar function not in :data:`RULES`: its arguments' values, then SymPy at
    :data:`DIGITS` digits (real results only)."""
    if not isinstance(e, sp.Function):
        raise EvaluationError(f"cannot evaluate {type(e).__name__} nodes")
    args = _args(e, c)
    if args is UNDEFINED:
        return UNDEFINED
    if any(isinstance(a, Mat) for a in args):
        raise EvaluationError(f"cannot evaluate {e.func} of a matrix")
    digits = mpmath.mp.dps
    exact = [sp.Rational(a.numerator, a.denominator) if isinstance(a, Fraction)
             else sp.Float(a, digits) for a in args]
    out = e.func(*exact)
    if out.is_Rational:
        return Fraction(int(out.p), int(out.q))
    num = out.evalf(digits)
    if not (num.is_real and num.is_finite):
        return UNDEFINED
    return _mp(num)


def value(expr: sp.Basic, point: Mapping[str, Any], zero_over_zero: bool = False,
          digits: int = DIGITS) -> Any:
    """The value of ``expr`` at ``point``: a :class:`~fractions.Fraction`, an mpmath number
    of ``digits`` digits (only where the value is not rational), a :class:`Mat`, a bool, or
    :data:`UNDEFINED`.

    Raises :class:`EvaluationError` for a node it does not know or a symbol without a value.
    """
    with mpmath.workdps(digits):
        return _v(expr, _Context(point, zero_over_zero))


# -- reading values ---------------------------------------------------------------------------
def is_defined(v: Any) -> bool:
    """Whether ``v`` is a value (not :data:`UNDEFINED`, every entry finite)."""
    if v is UNDEFINED:
        return False
    if isinstance(v, Mat):
        return all(is_defined(x) for r in v.rows for x in r)
    if isinstance(v, mpmath.mpf):
        return bool(mpmath.isfinite(v))
    return True


def is_exact(v: Any) -> bool:
    """Whether ``v`` is exact (rational entries only)."""
    if isinstance(v, Mat):
        return all(isinstance(x, Fraction) for r in v.rows for x in r)
    return isinstance(v, (Fraction, bool))


def shape(v: Any) -> tuple[int, int] | None:
    return v.shape if isinstance(v, Mat) else None


def agree(a: Any, b: Any, digits: int = AGREE_DIGITS) -> bool:
    """``a = b``: exactly for rationals; to ``digits`` significant digits where a value is
    not rational. Undefined values agree with nothing; shapes must match.

    >>> agree(Fraction(1, 2), Fraction(49999999, 10**8))
    False
    >>> agree(mpmath.mpf(2) * mpmath.log(2), _log(sp.log(4), _Context({}, False)))
    True
    """
    if not (is_defined(a) and is_defined(b)) or shape(a) != shape(b):
        return False
    if isinstance(a, Mat):
        return all(agree(x, y, digits) for r, s in zip(a.rows, b.rows, strict=True)
                   for x, y in zip(r, s, strict=True))
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    with mpmath.workdps(digits + 15):
        x, y = _mp(a), _mp(b)
        scale = max(abs(x), abs(y), mpmath.mpf(1))
        return bool(abs(x - y) <= scale * mpmath.mpf(10) ** (-digits))


def to_float(v: Any) -> Any:
    """``v`` in floating point: a float, a 2-d array, or NaN where undefined."""
    if v is UNDEFINED:
        return float("nan")
    if isinstance(v, Mat):
        return v.to_numpy()
    if isinstance(v, bool):
        return v
    return _float(v)


__all__ = [
    "AGREE_DIGITS",
    "DIGITS",
    "PRECISE_AGREE",
    "PRECISE_DIGITS",
    "UNDEFINED",
    "EvaluationError",
    "Mat",
    "agree",
    "dimension",
    "identity",
    "is_defined",
    "is_exact",
    "shape",
    "to_float",
    "value",
]
