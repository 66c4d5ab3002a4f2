"""Shapes: every operation of the reader checks the shapes of what it combines.

Matrix symbols multiply as matrices (non-commutatively, inner dimensions equal); a sum needs
one shape on both sides, except that the number 0 fits any shape (``w + 0``); a ``1×1``
matrix (``wᵀx``) is the scalar it holds (:class:`Scalar1x1`); only square matrices are
raised to powers or inverted; a function of a scalar refuses a matrix. A mismatch is an
:class:`AnswerShapeError` that names both sides and their shapes (:func:`shape_text`).

>>> from derivations.symbols import A, w
>>> shape_text(A.shape), shape_text(w.T.shape)
('d×k matrix', '1×d row vector')
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations.checker.reading.definedness import (
    KIND_OF_FUNCTION,
    Requirement,
    requirement_of_power,
)
from derivations.checker.reading.limits import (
    MAX_EXPONENT,
    bounded,
    check_exponent,
    check_number_power,
)
from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.scalar1x1 import Scalar1x1
from derivations.checker.tokens import AnswerSyntaxError, Token
from derivations.matrix_identities import shape_of

__all__ = [
    "FITTING",
    "AnswerShapeError",
    "Scalar1x1",
    "add",
    "divide",
    "inverse",
    "is_square",
    "multiply",
    "norm",
    "power",
    "scalar_fn",
    "scalar_only",
    "scalarize",
    "shape_text",
    "transpose",
]


class AnswerShapeError(AnswerSyntaxError):
    """An answer whose shapes do not fit (a product, sum or function of the wrong shapes)."""


#: The size of an identity matrix ``I`` written without one: the first sum or product with a
#: value of known shape sets it (:func:`fit`); an answer read to its end must not hold it.
FITTING = sp.Symbol("n_I", integer=True, positive=True)


def shape_text(shape: tuple | None) -> str:
    """``None`` → "scalar", ``(d, 1)`` → "d×1 vector", ``(d, k)`` → "d×k matrix".

    >>> from derivations import symbols as S
    >>> shape_text(None), shape_text((S.d, 1)), shape_text((1, S.d)), shape_text((S.d, S.k))
    ('scalar', 'd×1 vector', '1×d row vector', 'd×k matrix')
    >>> shape_text((FITTING, FITTING))
    'square matrix (with I of the size that fits)'
    """
    if shape is None:
        return "scalar"
    if any(sp.sympify(n).has(FITTING) for n in shape):
        return "square matrix (with I of the size that fits)"
    r, c = shape
    kind = "vector" if c == 1 and r != 1 else "row vector" if r == 1 and c != 1 else "matrix"
    return f"{r}×{c} {kind}"


def scalarize(expr: sp.Basic) -> sp.Basic:
    """A 1×1 matrix as the scalar it is (its only entry); other values unchanged."""
    if shape_of(expr) == (1, 1):
        return Scalar1x1(expr, 0, 0)
    return expr


def is_square(shape: tuple | None) -> bool:
    return shape is not None and shape[0] == shape[1]


def scalar_only(r: Reader, v: Value, what: str) -> sp.Basic:
    """``v`` as a scalar (a 1×1 matrix as its entry); a matrix is refused for ``what``."""
    expr = scalarize(v.expr)
    if isinstance(expr, MatrixExpr):
        raise AnswerShapeError(
            f"{what} needs a scalar, but `{r.span(v)}` is a {shape_text(v.shape)}", v.pos
        )
    return expr


def scalar_fn(r: Reader, v: Value, f: Callable, what: str) -> sp.Basic:
    """``f`` of the scalar ``v`` (a partial ``f``, ``log`` or ``sqrt``, records what it needs
    of ``v``: :mod:`~derivations.checker.reading.definedness`)."""
    arg = scalar_only(r, v, f"`{what}`")
    if f in KIND_OF_FUNCTION:
        _require(r, KIND_OF_FUNCTION[f], arg, v)
    return f(arg)


def _require(r: Reader, kind: str, e: sp.Basic, v: Value) -> None:
    """Record that the answer as written is defined only where ``e`` meets ``kind``."""
    r.requirements.append(Requirement(kind, e, v.pos, max(v.end, v.pos + 1)))


#: How the note on an identity of fitting size ends, until the size is known.
FITTING_NOTE_END = "of the size that fits"


def _sized(r: Reader, v: Value, size: sp.Expr) -> Value:
    """``v`` with its identity of fitting size sized ``size``×``size``; the note on it says
    the size."""
    for k, n in enumerate(r.notes):
        if n.endswith(FITTING_NOTE_END):
            r.notes[k] = f"{n} (here {size}×{size})"
            break
    return Value(v.expr.xreplace({FITTING: size}), v.pos, v.end)


def fit(r: Reader, a: Value, b: Value, product: bool) -> tuple[Value, Value]:
    """``a`` and ``b`` with an identity of fitting size (:data:`FITTING`) on one side sized by
    the other: the inner dimension of a product, the rows of a sum.

    >>> from derivations.symbols import w, d
    >>> r = Reader([], {}, "I w", False)
    >>> a, b = fit(r, Value(sp.Identity(FITTING), 0, 1), Value(w, 2, 3), product=True)
    >>> a.expr.shape
    (d, d)
    """
    sa, sb = a.shape, b.shape
    if sa is None or sb is None or (product and (1, 1) in (sa, sb)):
        return a, b  # a 1×1 factor is a scalar: it sizes nothing
    left, right = (sa[1], sb[0]) if product else (sa[0], sb[0])
    if left == right:
        return a, b
    if left == FITTING:
        return _sized(r, a, right), b
    if right == FITTING:
        return a, _sized(r, b, left)
    return a, b


def add(r: Reader, a: Value, b: Value, op: Token) -> Value:
    """``a + b`` or ``a - b`` (``op``): one shape on both sides, or 0 on one side."""
    a, b = fit(r, a, b, product=False)
    sa, sb = a.shape, b.shape
    ea, eb = a.expr, b.expr
    if sa != sb:
        if sa in (None, (1, 1)) and sb in (None, (1, 1)):
            ea, eb = scalarize(ea), scalarize(eb)
        elif ea == 0 or eb == 0:  # w + 0: the number 0 is the zero of any shape
            result = (eb if op.text == "+" else -eb) if ea == 0 else ea
            return Value(result, a.pos, b.end)
        else:
            raise AnswerShapeError(
                f"cannot {'add' if op.text == '+' else 'subtract'} `{r.span(a)}` "
                f"({shape_text(sa)}) and `{r.span(b)}` ({shape_text(sb)})",
                op.pos,
            )
    return Value(ea + eb if op.text == "+" else ea - eb, a.pos, b.end)


def multiply(r: Reader, a: Value, b: Value, pos: int) -> Value:
    """``a·b``: equal inner dimensions (a 1×1 factor is a scalar), within the limits."""
    a, b = fit(r, a, b, product=True)
    sa, sb = a.shape, b.shape
    ea, eb = a.expr, b.expr
    if sa is not None and sb is not None and sa[1] != sb[0]:
        if sa == (1, 1):
            ea = scalarize(ea)
        elif sb == (1, 1):
            eb = scalarize(eb)
        else:
            raise AnswerShapeError(
                f"cannot multiply `{r.span(a)}` ({shape_text(sa)}) by "
                f"`{r.span(b)}` ({shape_text(sb)}): the inner dimensions "
                f"{sa[1]} and {sb[0]} differ",
                pos,
            )
    return bounded(r, Value(ea * eb, a.pos, b.end), pos)


def divide(r: Reader, a: Value, b: Value, pos: int) -> Value:
    """``a/b`` for a scalar ``b`` other than 0, within the limits."""
    if b.shape not in (None, (1, 1)):
        raise AnswerShapeError(
            f"cannot divide by `{r.span(b)}` ({shape_text(b.shape)}); "
            "for an inverse write inv(...) or ^-1",
            pos,
        )
    eb = scalarize(b.expr)
    if eb == 0:
        raise r.fail("division by zero", pos)
    _require(r, "nonzero", eb, b)
    return bounded(r, Value(a.expr * sp.Pow(eb, -1), a.pos, b.end), pos)


def power(r: Reader, base: Value, exponent: Value, pos: int) -> Value:
    """``base^exponent``, refused before SymPy builds it where the exponent is not a
    number or too large (:func:`~derivations.checker.reading.limits.check_exponent`), or
    where a matrix is not square; ``e^x`` is ``exp(x)``, a matrix to the power -1 its
    inverse."""
    e = scalar_only(r, exponent, "an exponent")
    if base.expr is sp.E and base.shape is None:
        return Value(sp.exp(e), base.pos, exponent.end)
    size = check_exponent(r, base, exponent, e, pos)
    shape = base.shape
    if shape is None or shape == (1, 1):
        b = scalarize(base.expr)
        if b.is_Number and e.is_Number:
            check_number_power(r, b, e, size, pos)
        for kind in requirement_of_power(e):
            _require(r, kind, b, base)
        return bounded(r, Value(sp.Pow(b, e), base.pos, exponent.end), pos)
    if not is_square(shape):
        hint = ""
        if shape[1] == 1 or shape[0] == 1:
            hint = f"; for a squared length write ‖{r.span(base)}‖^2 or a transpose product"
        raise AnswerShapeError(
            f"cannot raise `{r.span(base)}` ({shape_text(shape)}) to a power: "
            f"it is not square{hint}",
            pos,
        )
    if not e.is_Integer or e == 0 or abs(e) > MAX_EXPONENT:
        raise r.fail(f"a matrix power needs a nonzero integer exponent, got {e}", pos)
    if e < 0:
        _require(r, "invertible", base.expr, base)
    if e == -1:
        return Value(sp.Inverse(base.expr), base.pos, exponent.end)
    return bounded(r, Value(sp.MatPow(base.expr, e), base.pos, exponent.end), pos)


def transpose(r: Reader, v: Value) -> Value:
    """``vᵀ`` (a scalar is its own transpose)."""
    if v.shape is None:
        return v
    return Value(v.expr.T, v.pos, max(v.end, r.last_end()))


def inverse(r: Reader, v: Value, pos: int) -> Value:
    """``v⁻¹``: ``1/v`` for a scalar other than 0, the inverse of a square matrix."""
    shape = v.shape
    if shape is None or shape == (1, 1):
        e = scalarize(v.expr)
        if e == 0:
            raise r.fail("division by zero (the inverse of 0)", pos)
        _require(r, "nonzero", e, v)
        return Value(sp.Pow(e, -1), v.pos, max(v.end, r.last_end()))
    if not is_square(shape):
        raise AnswerShapeError(
            f"cannot invert `{r.span(v)}` ({shape_text(shape)}): it is not square", pos
        )
    _require(r, "invertible", v.expr, v)
    return Value(sp.Inverse(v.expr), v.pos, max(v.end, r.last_end()))


def norm(r: Reader, v: Value, pos: int) -> sp.Basic:
    """``‖v‖``: the Euclidean norm of a vector, ``|v|`` of a scalar."""
    shape = v.shape
    if shape is None or shape == (1, 1):
        return sp.Abs(scalarize(v.expr))
    if shape[1] == 1:
        return sp.sqrt(Scalar1x1(v.expr.T * v.expr, 0, 0))
    if shape[0] == 1:
        return sp.sqrt(Scalar1x1(v.expr * v.expr.T, 0, 0))
    raise AnswerShapeError(
        f"the norm of `{r.span(v)}` ({shape_text(shape)}): only vector norms are supported",
        pos,
    )
