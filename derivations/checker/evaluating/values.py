"""The values an answer takes at a point, and their arithmetic: exact where possible.

A value is a :class:`~fractions.Fraction` (exact), an mpmath number of :data:`DIGITS`
digits (only where a result is not rational: ``exp``, ``log``, a root that is not exact), a
:class:`Mat` of such numbers, a bool (a condition), or :data:`UNDEFINED`. The arithmetic here
(:func:`add`, :func:`mul`, :func:`less`, …) stays in rationals while both sides are rational
and moves to mpmath otherwise; :func:`agree` compares two values — exactly for rationals, to
:data:`AGREE_DIGITS` significant digits where a value is not rational.

>>> add(Fraction(1, 3), Fraction(1, 6)), is_exact(add(Fraction(1), mpmath.mpf(2)))
(Fraction(1, 2), False)
>>> Mat.of([[1, 2]]) @ Mat.of([[3], [4]]) == Mat.of([[11]])
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

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
        return Mat(tuple(tuple(add(x, y) for x, y in zip(r, s, strict=True))
                         for r, s in zip(self.rows, other.rows, strict=True)))

    def scale(self, c: Any) -> Mat:
        return Mat(tuple(tuple(mul(c, x) for x in r) for r in self.rows))

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
            if is_zero(a[pivot][col]):
                return UNDEFINED
            a[col], a[pivot] = a[pivot], a[col]
            p = a[col][col]
            a[col] = [div(x, p) for x in a[col]]
            for i in range(n):
                if i != col and not is_zero(a[i][col]):
                    f = a[i][col]
                    a[i] = [sub(x, mul(f, y)) for x, y in zip(a[i], a[col], strict=True)]
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


def to_mpf(x: Any) -> mpmath.mpf:
    """``x`` as an mpmath number (at the working precision)."""
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return mpmath.mpf(x)


def _both(x: Any, y: Any) -> tuple[Any, Any]:
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return x, y
    return to_mpf(x), to_mpf(y)


def add(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x + y


def sub(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x - y


def mul(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x * y


def div(x: Any, y: Any) -> Any:
    x, y = _both(x, y)
    return x / y


def _dot(r: tuple, c: tuple) -> Any:
    total: Any = Fraction(0)
    for x, y in zip(r, c, strict=True):
        total = add(total, mul(x, y))
    return total


def is_zero(x: Any) -> bool:
    return x == 0


def less(x: Any, y: Any) -> bool:
    x, y = _both(x, y)
    return bool(x < y)


def equal(x: Any, y: Any) -> bool:
    x, y = _both(x, y)
    return bool(x == y)


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
    >>> agree(mpmath.mpf(2) * mpmath.log(2), mpmath.log(4)), agree(UNDEFINED, UNDEFINED)
    (True, False)
    """
    if not (is_defined(a) and is_defined(b)) or shape(a) != shape(b):
        return False
    if isinstance(a, Mat):
        return all(agree(x, y, digits) for r, s in zip(a.rows, b.rows, strict=True)
                   for x, y in zip(r, s, strict=True))
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    with mpmath.workdps(digits + 15):
        x, y = to_mpf(a), to_mpf(b)
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
