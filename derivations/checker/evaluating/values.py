"""The values an answer takes at a point, and their arithmetic: exact, or certified.

A value is a :class:`~fractions.Fraction` (exact), an :class:`~.enclosures.Approx` (a value
that is not rational, held as an exact part plus a certified interval: ``exp``, ``log``, a
root that is not exact, ``π``), a :class:`Mat` of such numbers, a bool (a condition), or
:data:`UNDEFINED`. The arithmetic here (:func:`add`, :func:`mul`, :func:`less`, …) stays in
rationals while both sides are rational. :func:`compare` says whether two values are
``EQUAL`` (exactly: rationals only), ``DIFFERENT`` (exact rationals that differ, or an
enclosure of the difference that excludes 0 — a certified difference) or ``UNSEPARATED``
(an enclosure that contains 0: no evidence of equality, only no difference shown).

>>> add(Fraction(1, 3), Fraction(1, 6)), is_exact(add(Fraction(1), exp(Fraction(2))))
(Fraction(1, 2), False)
>>> Mat.of([[1, 2]]) @ Mat.of([[3], [4]]) == Mat.of([[11]])
True
>>> compare(Fraction(1, 2), Fraction(49999999, 10**8)), compare(exp(Fraction(1)), Fraction(3))
(<Relation.DIFFERENT: 'different'>, <Relation.DIFFERENT: 'different'>)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Any

import numpy as np

from derivations.checker.evaluating import enclosures as enc
from derivations.checker.evaluating.enclosures import Undecided, exp  # noqa: F401 - doctests


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


class Relation(Enum):
    """How two values compare: exactly equal, certainly different, or not separated."""

    EQUAL = "equal"
    DIFFERENT = "different"
    UNSEPARATED = "unseparated"


@dataclass(frozen=True)
class Mat:
    """A small matrix of exact (or enclosed) numbers, as a tuple of rows."""

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
        """Gauss–Jordan elimination; :data:`UNDEFINED` for a singular matrix (an exact one;
        :class:`~.enclosures.Undecided` where no pivot is certainly nonzero)."""
        n = len(self.rows)
        a = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(self.rows)]
        for col in range(n):
            pivot = _pivot(a, col, n)
            if pivot is None:
                if any(not is_zero(a[i][col]) for i in range(col, n)):
                    raise Undecided("no pivot certainly nonzero")
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
        return np.array([[to_float(x) for x in r] for r in self.rows], dtype=float)


def _pivot(a: list[list[Any]], col: int, n: int) -> int | None:
    """The row (from ``col``) whose entry is certainly nonzero and largest, exact ones first."""
    best, key = None, None
    for i in range(col, n):
        x = a[i][col]
        if sign(x) in (None, 0):
            continue
        k = (isinstance(x, Fraction), abs(to_float(x)))
        if key is None or k > key:
            best, key = i, k
    return best


def identity(n: int) -> Mat:
    return Mat(tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n)))


# -- numbers: exact where possible ------------------------------------------------------------
def to_float(v: Any) -> Any:
    """``v`` in floating point: a float (``±inf`` beyond the float range), a 2-d array, or
    NaN where undefined."""
    if v is UNDEFINED:
        return float("nan")
    if isinstance(v, Mat):
        return v.to_numpy()
    if isinstance(v, bool):
        return v
    return enc.to_float(v)


def add(x: Any, y: Any) -> Any:
    return enc.add(x, y)


def sub(x: Any, y: Any) -> Any:
    return enc.sub(x, y)


def mul(x: Any, y: Any) -> Any:
    return enc.mul(x, y)


def div(x: Any, y: Any) -> Any:
    return enc.div(x, y)


def _dot(r: tuple, c: tuple) -> Any:
    total: Any = Fraction(0)
    for x, y in zip(r, c, strict=True):
        total = add(total, mul(x, y))
    return total


def is_zero(x: Any) -> bool:
    """Whether ``x`` is exactly 0 (an enclosure never is)."""
    return isinstance(x, Fraction) and x == 0


def sign(x: Any) -> int | None:
    """The sign of a number where it is certain, else None."""
    return enc.sign(x)


def _certain_sign(x: Any) -> int:
    s = enc.sign(x)
    if s is None:
        raise Undecided("a comparison of values not separated")
    return s


def less(x: Any, y: Any) -> bool:
    """``x < y``, certainly; :class:`~.enclosures.Undecided` where it is not known."""
    return _certain_sign(sub(y, x)) > 0


def equal(x: Any, y: Any) -> bool:
    """``x = y``: exactly for rationals; False for a certain difference;
    :class:`~.enclosures.Undecided` otherwise."""
    return _certain_sign(sub(x, y)) == 0


# -- reading values ---------------------------------------------------------------------------
def is_defined(v: Any) -> bool:
    """Whether ``v`` is a value (not :data:`UNDEFINED`)."""
    if v is UNDEFINED:
        return False
    if isinstance(v, Mat):
        return all(is_defined(x) for r in v.rows for x in r)
    return True


def is_exact(v: Any) -> bool:
    """Whether ``v`` is exact (rational entries only)."""
    if isinstance(v, Mat):
        return all(isinstance(x, Fraction) for r in v.rows for x in r)
    return isinstance(v, (Fraction, bool))


def shape(v: Any) -> tuple[int, int] | None:
    return v.shape if isinstance(v, Mat) else None


def compare(a: Any, b: Any) -> Relation:
    """Two defined values of one shape: ``EQUAL`` exactly, certainly ``DIFFERENT``, or
    ``UNSEPARATED``; values of other shapes, or one undefined and one not, are
    ``DIFFERENT``; two undefined values are ``UNSEPARATED`` (nothing to compare).

    >>> compare(Mat.of([[1], [2]]), Mat.of([[1], [2]])).value
    'equal'
    >>> two = add(exp(Fraction(1, 10)), exp(Fraction(-1, 10)))
    >>> compare(two, add(exp(Fraction(-1, 10)), exp(Fraction(1, 10)))).value
    'unseparated'
    """
    if a is UNDEFINED or b is UNDEFINED:
        return Relation.UNSEPARATED if a is b else Relation.DIFFERENT
    if shape(a) != shape(b):
        return Relation.DIFFERENT
    if isinstance(a, Mat):
        found = [compare(x, y) for r, s in zip(a.rows, b.rows, strict=True)
                 for x, y in zip(r, s, strict=True)]
        if Relation.DIFFERENT in found:
            return Relation.DIFFERENT
        return Relation.UNSEPARATED if Relation.UNSEPARATED in found else Relation.EQUAL
    s = enc.sign(sub(a, b))
    if s is None:
        return Relation.UNSEPARATED
    return Relation.EQUAL if s == 0 else Relation.DIFFERENT


def agree(a: Any, b: Any) -> bool:
    """Both defined, of one shape, and not certainly different (exactly equal rationals, or
    enclosures not separated) — what the diagnosis rules use to *name* a mistake; a verdict
    reads :func:`compare` instead.

    >>> agree(Fraction(1, 2), Fraction(49999999, 10**8)), agree(UNDEFINED, UNDEFINED)
    (False, False)
    """
    if not (is_defined(a) and is_defined(b)):
        return False
    return compare(a, b) is not Relation.DIFFERENT

