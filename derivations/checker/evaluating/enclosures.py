"""Certified enclosures of the values that are not rational: ``q + [lo, hi]``.

A value that is not rational (``e^{-1000}``, ``log 2``, ``√2``, ``π``) is an :class:`Approx`:
an exact rational part ``q`` (a :class:`~fractions.Fraction`) plus an interval ``[lo, hi]``
(mpmath's interval arithmetic, :mod:`mpmath.iv`, rounded outward at :func:`precision` bits)
that contains the rest: the value lies in ``q + [lo, hi]``, always. Keeping the exact part
apart is what lets a tiny term show: ``w/(2λ)·(1 + e^{-10⁶λ})`` is ``1/(2λ)`` exactly plus an
interval around ``e^{-10⁶λ}/(2λ)``, so its difference from ``w/(2λ)`` is that interval, which
excludes 0 however small it is (mpmath's exponents are unbounded: ``e^{-10⁶}`` is a tiny
positive number, never 0). ``exp``, ``log`` and roots near their exact points keep the
structure too: ``e^q = 1 + expm1(q)`` for small ``q``, ``log(q + ε) = log q + log1p(ε/q)``
with the certified bounds ``x ≤ expm1(x) ≤ x·eˣ`` and ``x/(1 + x) ≤ log1p(x) ≤ x``
(``log(1 + e^{-2000})`` is a positive number ≈ ``e^{-2000}``, not ``log 1 = 0``).

A sign is known only when the enclosure excludes 0 (:func:`sign`); a decision that needs an
unknown sign (a ``Piecewise`` condition, a division by a value that may be 0) raises
:class:`Undecided`, and the caller retries at a higher precision or gives the point up —
never guesses.

>>> x = exp(Fraction(-10**6))
>>> sign(x), sign(sub(add(Fraction(1), x), Fraction(1)))
(1, 1)
>>> sign(log(add(Fraction(1), exp(Fraction(-2000)))))
1
>>> sqrt_two = root(Fraction(2), Fraction(1, 2))
>>> sign(sub(mul(sqrt_two, sqrt_two), Fraction(2))) is None  # not separated, not "equal"
True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
from mpmath import iv
from sympy import integer_nthroot

#: The working precisions (bits) a comparison tries in turn, cheapest first.
PRECISIONS: tuple[int, ...] = (64, 256, 1024, 4096)

#: The largest ``|x|`` whose ``e^x`` is computed (``e^{10³⁰}`` has an exponent of 10³⁰ bits
#: in its *size*; past this a point is given up as undecided, never rounded).
EXP_LIMIT = 10**30


class Undecided(ArithmeticError):
    """A decision the enclosures cannot make at this precision (a sign not separated from
    0, an exponent too large to compute)."""


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Interval arithmetic at ``bits`` bits inside the block (then the old precision)."""
    old = iv.prec
    iv.prec = bits
    try:
        yield
    finally:
        iv.prec = old


def interval(q: Fraction | int) -> Any:
    """The tightest interval of the working precision around the rational ``q``."""
    q = Fraction(q)
    if q.denominator == 1:
        return iv.mpf(q.numerator)
    return iv.mpf(q.numerator) / q.denominator


_ZERO = None  # the zero interval, made on first use (iv objects carry no precision)


def _zero() -> Any:
    global _ZERO
    if _ZERO is None:
        _ZERO = iv.mpf(0)
    return _ZERO


def _lo(x: Any) -> mpmath.mpf:
    """The lower end of an interval, exactly (no rounding to mpmath's working precision)."""
    return mpmath.mp.make_mpf(x._mpi_[0])


def _hi(x: Any) -> mpmath.mpf:
    """The upper end of an interval, exactly."""
    return mpmath.mp.make_mpf(x._mpi_[1])


def _between(lo: mpmath.mpf, hi: mpmath.mpf) -> Any:
    return iv.mpf([lo, hi])


@dataclass(frozen=True, slots=True)
class Approx:
    """A value in ``exact + err``: ``exact`` a rational, ``err`` an interval (not ``[0, 0]``)
    of ``bits`` bits. Arithmetic on it belongs inside :func:`precision` (of those bits)."""

    exact: Fraction
    err: Any
    bits: int = 64

    def enclosure(self) -> Any:
        """The interval that contains the value (at the precision it was computed with)."""
        if self.exact == 0:
            return self.err
        if iv.prec >= self.bits:
            return interval(self.exact) + self.err
        with precision(self.bits):
            return interval(self.exact) + self.err

    def __repr__(self) -> str:
        mid = mpmath.mp.make_mpf(self.enclosure().mid._mpi_[0])
        return f"Approx({mpmath.nstr(mid, 12)}, {correct_digits(self)} digits certain)"


Number = Fraction | Approx


def _approx(exact: Fraction, err: Any) -> Number:
    """``exact + err``, a plain rational where ``err`` is exactly 0."""
    lo, hi = err._mpi_
    if lo == hi == mpmath.libmp.fzero:
        return exact
    return Approx(exact, err, iv.prec)


def _parts(x: Number) -> tuple[Fraction, Any]:
    if isinstance(x, Approx):
        return x.exact, x.err
    return Fraction(x), _zero()


def enclosure(x: Number) -> Any:
    """The interval that contains ``x`` (a point interval for a rational)."""
    return x.enclosure() if isinstance(x, Approx) else interval(x)


def sign(x: Number) -> int | None:
    """The sign of ``x`` (-1, 0, 1) where it is certain, else None."""
    if not isinstance(x, Approx):
        return (x > 0) - (x < 0)
    e = x.enclosure()
    if _lo(e) > 0:
        return 1
    if _hi(e) < 0:
        return -1
    return None


def correct_digits(x: Number) -> int:
    """How many significant digits of ``x`` are certain (a large number for a rational)."""
    if not isinstance(x, Approx):
        return 10**6
    e = x.enclosure()
    lo, hi = _lo(e), _hi(e)
    scale = max(abs(lo), abs(hi))
    if scale == 0 or not mpmath.isfinite(scale):
        return 0
    with mpmath.workprec(64):
        width = hi - lo
    if width == 0:
        return 10**6
    return max(0, int(mpmath.floor(mpmath.log10(scale / width))))


def to_float(x: Number) -> float:
    """The nearest float to ``x`` (its enclosure's middle); ``±inf`` past the float range."""
    try:
        if isinstance(x, Approx):
            return float(mpmath.mpf(x.enclosure().mid._mpi_[0]))
        return float(x)
    except OverflowError:
        return float("inf") if sign(x) == 1 else float("-inf")


# -- arithmetic --------------------------------------------------------------------------------
def add(x: Number, y: Number) -> Number:
    if not isinstance(x, Approx) and not isinstance(y, Approx):
        return x + y
    (q1, e1), (q2, e2) = _parts(x), _parts(y)
    return _approx(q1 + q2, e1 + e2)


def sub(x: Number, y: Number) -> Number:
    if not isinstance(x, Approx) and not isinstance(y, Approx):
        return x - y
    (q1, e1), (q2, e2) = _parts(x), _parts(y)
    return _approx(q1 - q2, e1 - e2)


def mul(x: Number, y: Number) -> Number:
    """``(q1 + e1)(q2 + e2) = q1·q2 + (q1·e2 + q2·e1 + e1·e2)``."""
    if not isinstance(x, Approx) and not isinstance(y, Approx):
        return x * y
    (q1, e1), (q2, e2) = _parts(x), _parts(y)
    err = e1 * e2
    if q1:
        err = err + interval(q1) * e2
    if q2:
        err = err + interval(q2) * e1
    return _approx(q1 * q2, err)


def div(x: Number, y: Number) -> Number:
    """``x / y`` for ``y ≠ 0``; raises :class:`Undecided` where ``y`` may be 0 (the caller
    handles an exact 0)."""
    if not isinstance(x, Approx) and not isinstance(y, Approx):
        return x / y
    (q1, e1), (q2, e2) = _parts(x), _parts(y)
    if not isinstance(y, Approx):
        return _approx(q1 / q2, e1 / interval(q2))
    if sign(y) is None:
        raise Undecided("a division by a value not separated from 0")
    if q2 == 0:
        return _approx(Fraction(0), enclosure(x) / e2)
    # q1/q2 + (e1·q2 − q1·e2) / (q2·(q2 + e2))
    den = interval(q2) * y.enclosure()
    return _approx(q1 / q2, (e1 * interval(q2) - interval(q1) * e2) / den)


def power(x: Number, n: int) -> Number:
    """``x`` to the integer power ``n`` (``x ≠ 0`` for ``n < 0``; the caller checks)."""
    if not isinstance(x, Approx):
        return x**n
    out: Number = Fraction(1)
    base: Number = x
    m = abs(n)
    while m:
        if m & 1:
            out = mul(out, base)
        m >>= 1
        if m:
            base = mul(base, base)
    return div(Fraction(1), out) if n < 0 else out


# -- functions ---------------------------------------------------------------------------------
def _expm1(t: Any) -> Any:
    """An interval around ``e^t − 1`` for ``t`` in the interval ``t``: ``x ≤ expm1(x) ≤ x·eˣ``,
    intersected with ``e^t − 1`` in interval arithmetic (tight for tiny and for large ``t``)."""
    a, b = iv.mpf(_lo(t)), iv.mpf(_hi(t))
    direct_a, direct_b = iv.exp(a) - 1, iv.exp(b) - 1
    lo = max(_lo(a), _lo(direct_a))
    hi = min(_hi(b * iv.exp(b)), _hi(direct_b))
    return _between(lo, hi)


def _log1p(t: Any) -> Any:
    """An interval around ``log(1 + t)`` for ``t > −1``: ``x/(1 + x) ≤ log1p(x) ≤ x``,
    intersected with ``log(1 + t)`` in interval arithmetic."""
    a, b = iv.mpf(_lo(t)), iv.mpf(_hi(t))
    lo = max(_lo(a / (1 + a)), _lo(iv.log(1 + a)))
    hi = min(_hi(b), _hi(iv.log(1 + b)))
    return _between(lo, hi)


def _check_exponent(x: Number) -> None:
    if not isinstance(x, Approx):
        if abs(x) > EXP_LIMIT:
            raise Undecided("an exponent too large to compute e^x")
        return
    e = x.enclosure()
    if max(abs(_lo(e)), abs(_hi(e))) > EXP_LIMIT:
        raise Undecided("an exponent too large to compute e^x")


def exp(x: Number) -> Number:
    """``e^x``: exactly 1 at 0; ``1 + expm1(x)`` for ``|x| ≤ 1/2``; for ``x = q + ε``,
    ``e^q · (1 + expm1(ε))``."""
    _check_exponent(x)
    if isinstance(x, Approx):
        return mul(exp(x.exact), _approx(Fraction(1), _expm1(x.err)))
    if x == 0:
        return Fraction(1)
    if abs(x) <= Fraction(1, 2):
        return _approx(Fraction(1), _expm1(interval(x)))
    return _approx(Fraction(0), iv.exp(interval(x)))


def _log_rational(q: Fraction) -> Number:
    if q == 1:
        return Fraction(0)
    if abs(q - 1) <= Fraction(1, 2):
        return _approx(Fraction(0), _log1p(interval(q - 1)))
    return _approx(Fraction(0), iv.log(interval(q)))


def log(x: Number) -> Number | None:
    """``log x``; None where ``x ≤ 0`` for certain (no value); :class:`Undecided` where the
    sign of ``x`` is not known. For ``x = q + ε`` with ``q > 0``: ``log q + log1p(ε/q)``."""
    s = sign(x)
    if s is None:
        if _hi(enclosure(x)) <= 0:
            return None
        raise Undecided("the logarithm of a value not separated from 0")
    if s <= 0:
        return None
    if not isinstance(x, Approx):
        return _log_rational(Fraction(x))
    if x.exact > 0:
        t = x.err / interval(x.exact)
        if _lo(t) > -0.5:
            return add(_log_rational(x.exact), _approx(Fraction(0), _log1p(t)))
    return _approx(Fraction(0), iv.log(x.enclosure()))


def _exact_root(x: Fraction, n: int) -> Fraction | None:
    """The exact ``n``-th root of a nonnegative rational, if it is rational."""
    p, p_exact = integer_nthroot(x.numerator, n)
    q, q_exact = integer_nthroot(x.denominator, n)
    return Fraction(p, q) if p_exact and q_exact else None


def root(x: Number, ex: Fraction) -> Number | None:
    """``x^ex`` for a rational ``ex`` that is not an integer (the principal real root of
    ``x ≥ 0``); None where ``x < 0`` for certain, or ``x = 0`` with ``ex < 0``."""
    s = sign(x)
    if s is None:
        if _hi(enclosure(x)) < 0:
            return None
        raise Undecided("a root of a value not separated from 0")
    if s < 0:
        return None
    if s == 0:
        return Fraction(0) if ex > 0 else None
    n = ex.denominator
    q = x.exact if isinstance(x, Approx) else Fraction(x)
    rho = _exact_root(q, n) if q > 0 else None
    t = x.err / interval(q) if isinstance(x, Approx) and q > 0 else None
    if rho is not None and (t is None or _lo(t) > -0.5):
        top = rho**ex.numerator
        if not isinstance(x, Approx):
            return top
        # (q + ε)^ex = top · (1 + ε/q)^ex = top + top·expm1(ex·log1p(ε/q))
        grow = _expm1(interval(ex) * _log1p(t))
        return _approx(top, interval(top) * grow)
    return _approx(Fraction(0), iv.exp(interval(ex) * iv.log(enclosure(x))))


def extreme(x: Number, y: Number, smallest: bool) -> Number:
    """``min(x, y)`` (``smallest``) or ``max(x, y)``: the one that is smaller (larger) where
    the order is certain, else an interval around both (min and max are monotone)."""
    if type(x) is Fraction and type(y) is Fraction:  # exact: the common case, kept cheap
        return (x if x <= y else y) if smallest else (x if x >= y else y)
    s = sign(sub(x, y))
    if s is not None:
        return (y if s > 0 else x) if smallest else (x if s > 0 else y)
    a, b = enclosure(x), enclosure(y)
    if smallest:
        return _approx(Fraction(0), _between(min(_lo(a), _lo(b)), min(_hi(a), _hi(b))))
    return _approx(Fraction(0), _between(max(_lo(a), _lo(b)), max(_hi(a), _hi(b))))


def approx_abs(x: Number) -> Number:
    """``|x|``: ``±x`` where the sign is certain, else ``[0, max |enclosure|]``."""
    s = sign(x)
    if s is not None:
        return x if s >= 0 else sub(Fraction(0), x)
    e = enclosure(x)
    return _approx(Fraction(0), _between(mpmath.mpf(0), max(abs(_lo(e)), abs(_hi(e)))))


#: The constants an answer may contain, as intervals.
_CONSTANTS = {"pi": lambda: iv.pi, "E": lambda: iv.e}


def constant(name: str) -> Approx | None:
    """The enclosure of a named constant (``pi``, ``E``), or None for one not known here."""
    make = _CONSTANTS.get(name)
    return None if make is None else Approx(Fraction(0), make() + 0, iv.prec)
