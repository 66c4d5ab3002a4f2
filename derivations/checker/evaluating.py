"""Evaluate an answer's SymPy expression at one point, in floating point (NumPy).

A point gives every scalar symbol a float and every matrix symbol an array, by name (the
dimensions ``d`` and ``k`` are names too). The evaluator walks the expression tree, so it
handles exactly the node types an answer can contain (sums, products, powers, ``Min``,
``Max``, ``Piecewise``, matrix products, transposes, inverses, ``1×1`` entries) and never
executes generated code. Undefined values come out as ``nan`` (a singular inverse, a
division by zero, the log of a negative number), never as an exception.

>>> import numpy as np
>>> from derivations.symbols import A, w, lam, a1, a2
>>> point = {"d": 2, "k": 1, "A": np.array([[1.0], [2.0]]), "w": np.array([[1.0], [0.0]]),
...          "lambda": 0.5}
>>> evaluate(A * A.T * w / (2 * lam), point).ravel().tolist()
[1.0, 2.0]
>>> float(evaluate(sp.Piecewise((a1, a1 < a2), (a2, True)), {"a1": 3.0, "a2": 1.0}))
1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

Value = Any  # float | bool | np.ndarray


class EvaluationError(ValueError):
    """A node the evaluator does not know, or a symbol without a value."""


def _symbol(e: sp.Symbol, point: Mapping[str, Value]) -> Value:
    try:
        return point[e.name]
    except KeyError:
        raise EvaluationError(f"no value for the symbol {e.name}") from None


def _matmul(e: sp.MatMul, point: Mapping[str, Value]) -> Value:
    coeff, acc = 1.0, None
    for arg in e.args:
        v = evaluate(arg, point)
        if np.ndim(v) == 0:
            coeff = coeff * v
        else:
            acc = v if acc is None else acc @ v
    return coeff * acc if acc is not None else coeff


def _inverse(m: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(m)
    except np.linalg.LinAlgError:
        return np.full_like(m, np.nan, dtype=float)


def _matpow(e: sp.MatPow, point: Mapping[str, Value]) -> Value:
    base, ex = evaluate(e.base, point), e.exp
    if not ex.is_Integer:
        raise EvaluationError(f"matrix power with exponent {ex}")
    n = int(ex)
    return np.linalg.matrix_power(_inverse(base) if n < 0 else base, abs(n))


def _piecewise(e: sp.Piecewise, point: Mapping[str, Value]) -> Value:
    for value, cond in e.args:
        if bool(evaluate(cond, point)):
            return evaluate(value, point)
    return np.nan


def _heaviside(e: sp.Heaviside, point: Mapping[str, Value]) -> Value:
    x = evaluate(e.args[0], point)
    h0 = evaluate(e.args[1], point) if len(e.args) > 1 else 0.5
    return 1.0 if x > 0 else 0.0 if x < 0 else h0


def _pow(e: sp.Pow, point: Mapping[str, Value]) -> Value:
    b, x = evaluate(e.base, point), evaluate(e.exp, point)
    if b == 0 and x < 0:
        return np.nan
    return np.float_power(b, x)


def dimension(n: sp.Expr, point: Mapping[str, Value]) -> int:
    """A matrix dimension (``d``, ``k`` or a number) at ``point``.

    >>> from derivations.symbols import A
    >>> [dimension(n, {"d": 3, "k": 2}) for n in A.T.shape]
    [2, 3]
    """
    return int(round(float(evaluate(n, point))))


def _fn(f: Callable) -> Callable:
    return lambda e, p: f(*(evaluate(a, p) for a in e.args))


def _rel(f: Callable) -> Callable:
    return lambda e, p: bool(f(evaluate(e.lhs, p), evaluate(e.rhs, p)))


#: How each node type evaluates (the first class in a node's MRO found here is used).
RULES: dict[type, Callable[[Any, Mapping[str, Value]], Value]] = {
    sp.Number: lambda e, p: float(e),
    sp.NumberSymbol: lambda e, p: float(e),
    sp.MatrixSymbol: _symbol,
    sp.Symbol: _symbol,
    sp.Add: lambda e, p: sum((evaluate(a, p) for a in e.args), 0.0),
    sp.Mul: lambda e, p: np.prod([evaluate(a, p) for a in e.args]),
    sp.Pow: _pow,
    sp.Min: lambda e, p: min(evaluate(a, p) for a in e.args),
    sp.Max: lambda e, p: max(evaluate(a, p) for a in e.args),
    sp.Abs: _fn(np.abs),
    sp.sign: _fn(np.sign),
    sp.exp: _fn(np.exp),
    sp.log: _fn(np.log),
    sp.Heaviside: _heaviside,
    sp.Piecewise: _piecewise,
    sp.MatAdd: lambda e, p: sum(evaluate(a, p) for a in e.args),
    sp.MatMul: _matmul,
    sp.MatPow: _matpow,
    sp.Transpose: lambda e, p: np.transpose(evaluate(e.arg, p)),
    sp.Inverse: lambda e, p: _inverse(evaluate(e.arg, p)),
    sp.Identity: lambda e, p: np.eye(dimension(e.rows, p)),
    sp.ZeroMatrix: lambda e, p: np.zeros((dimension(e.rows, p), dimension(e.cols, p))),
    sp.Trace: lambda e, p: np.trace(evaluate(e.arg, p)),
    MatrixElement: lambda e, p: evaluate(e.parent, p)[int(e.i), int(e.j)],
    sp.Lt: _rel(lambda a, b: a < b),
    sp.Le: _rel(lambda a, b: a <= b),
    sp.Gt: _rel(lambda a, b: a > b),
    sp.Ge: _rel(lambda a, b: a >= b),
    sp.Eq: _rel(lambda a, b: a == b),
    sp.Ne: _rel(lambda a, b: a != b),
    sp.And: lambda e, p: all(bool(evaluate(a, p)) for a in e.args),
    sp.Or: lambda e, p: any(bool(evaluate(a, p)) for a in e.args),
    sp.Not: lambda e, p: not bool(evaluate(e.args[0], p)),
    sp.logic.boolalg.BooleanTrue: lambda e, p: True,
    sp.logic.boolalg.BooleanFalse: lambda e, p: False,
}


def _fallback(e: sp.Basic, point: Mapping[str, Value]) -> Value:
    """A scalar function not in :data:`RULES`: evaluate its arguments, then SymPy's evalf."""
    if not isinstance(e, sp.Function):
        raise EvaluationError(f"cannot evaluate {type(e).__name__} nodes")
    args = [evaluate(a, point) for a in e.args]
    if any(np.ndim(a) for a in args):
        raise EvaluationError(f"cannot evaluate {e.func} of a matrix")
    try:
        return complex(e.func(*map(sp.Float, args)).evalf()).real
    except (TypeError, ValueError):
        return np.nan


def evaluate(expr: sp.Basic, point: Mapping[str, Value]) -> Value:
    """The value of ``expr`` at ``point`` (a float, bool or 2-d array; ``nan`` if undefined)."""
    for cls in type(expr).__mro__:
        rule = RULES.get(cls)
        if rule is not None:
            with np.errstate(all="ignore"):
                return rule(expr, point)
    return _fallback(expr, point)


def is_finite(value: Value) -> bool:
    """True when every entry of ``value`` is a finite number."""
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return False


def close(a: Value, b: Value, rtol: float = 1e-7, atol: float = 1e-9) -> bool:
    """``a ≈ b``: same shape, finite, ``|a − b| ≤ atol + rtol·max(|a|, |b|)`` entrywise.

    >>> close(1.0, 1.0 + 1e-12), close(np.ones((2, 1)), np.ones((1, 2))), close(1.0, 1.1)
    (True, False, False)
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not (is_finite(a) and is_finite(b)):
        return False
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.abs(a - b) <= atol + rtol * max(scale, 1.0)))


def _exact(v: Value) -> sp.Basic:
    """A float or array as the exact rational it is (a float is a binary fraction)."""
    if isinstance(v, np.ndarray):
        return sp.ImmutableMatrix(v.shape[0], v.shape[1], [sp.Rational(float(x)) for x in v.flat])
    if isinstance(v, (int, np.integer)):
        return sp.Integer(int(v))
    return sp.Rational(float(v))


def evaluate_exact(expr: sp.Basic, point: Mapping[str, Value]) -> sp.Basic:
    """``expr`` at ``point`` in exact arithmetic (SymPy), explicit matrices for matrix symbols.

    >>> from derivations.symbols import w, lam, d
    >>> evaluate_exact(w / (2 * lam), {"d": 2, "w": np.array([[1.0], [3.0]]), "lambda": 0.5})
    Matrix([
    [1],
    [3]])
    >>> evaluate_exact((sp.Identity(d) + w * w.T) * w, {"d": 2, "w": np.array([[1.0], [0.0]])})
    Matrix([
    [2],
    [0]])
    """
    reps = {  # matrix symbols are free symbols too; d, k too where used outside a shape
        s: _exact(point[s.name])
        for s in expr.free_symbols
        if isinstance(s, (sp.Symbol, sp.MatrixSymbol)) and s.name in point
    }
    value = expr.xreplace(reps)
    value = value.replace(
        lambda n: isinstance(n, MatrixElement), lambda n: sp.Matrix(n.parent.doit())[n.i, n.j]
    )
    value = value.doit()
    return value.as_explicit() if isinstance(value, MatrixExpr) else value  # I_d + M: explicit


def equal_exactly(a: sp.Basic, b: sp.Basic, digits: int = 40) -> bool:
    """``a = b`` for exact values, judged at ``digits`` significant digits."""
    a_m = sp.Matrix(a) if isinstance(a, sp.MatrixBase) else sp.Matrix([[a]])
    b_m = sp.Matrix(b) if isinstance(b, sp.MatrixBase) else sp.Matrix([[b]])
    if a_m.shape != b_m.shape:
        return False
    tolerance = sp.Float(10) ** (5 - digits)
    for x, y in zip(a_m, b_m, strict=True):
        try:
            xv, yv = sp.N(x, digits), sp.N(y, digits)
            if not all(v.is_number and v.is_extended_real and v.is_finite for v in (xv, yv)):
                return False
            if abs(xv - yv) > tolerance * max(abs(xv), abs(yv), 1):
                return False
        except (TypeError, ValueError, AttributeError):
            return False
    return True
