"""How a diagnosis writes: the sheet's letters, short formulas, exact numbers, factors.

>>> pretty(sp.Symbol("lambda") ** 2 / 2), number_text(Fraction(-1, 3)), factor_text(2.0, sp.S.One)
('λ²/2', '-1/3', '2×')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from derivations.checker.evaluating import UNDEFINED, Approx
from derivations.checker.notation import DISPLAY, display, sheet_text

__all__ = [
    "DISPLAY",
    "display",
    "factor_text",
    "fraction_text",
    "number_text",
    "pretty",
    "shown_region",
]

def pretty(expr: sp.Basic) -> str:
    """A short one-line rendering in the sheet's notation (:func:`sheet_text`).

    >>> from derivations.symbols import A, w, lam, Sigma, mu
    >>> pretty(A * A.T * w / (2 * lam)), pretty(mu + Sigma.I * w)
    ('AAᵀw/(2λ)', 'Σ⁻¹w + μ')
    """
    return sheet_text(expr)


def fraction_text(x: float) -> str:
    """``2.0`` → ``"2"``, ``0.5`` → ``"1/2"``, ``-1/3`` → ``"-1/3"``, else 4 digits.

    >>> fraction_text(2.0), fraction_text(0.5), fraction_text(-1 / 3), fraction_text(0.1234567)
    ('2', '1/2', '-1/3', '0.1235')
    """
    f = Fraction(x).limit_denominator(24)
    if abs(float(f) - x) <= 1e-9 * max(1.0, abs(x)):
        return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    return f"{x:.4g}"


def number_text(x: Any) -> str:
    """A number as the sheet writes it: exact ``2``, ``-1/3`` (a rational of more than 30
    digits ``≈ 1.0e+400``); a value that is not rational ``≈ 3.67879e-7`` (6 digits of its
    certified enclosure).

    >>> number_text(Fraction(4, 2)), number_text(Fraction(-1, 3)), number_text(0.1234567)
    ('2', '-1/3', '0.123457')
    >>> number_text(Fraction(10) ** 400)
    '≈ 1.0e+400'
    """
    if x is UNDEFINED:
        return "undefined"
    if isinstance(x, Fraction):
        text = str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
        if len(text) <= 30:
            return text
        return "≈ " + mpmath.nstr(mpmath.mpf(x.numerator) / x.denominator, 6)
    if isinstance(x, Approx):
        mid = mpmath.mp.make_mpf(x.enclosure().mid._mpi_[0])
        return "≈ " + mpmath.nstr(mid, 6)
    try:
        f = float(x)
    except (TypeError, ValueError, OverflowError):
        return str(x)
    return "undefined" if not np.isfinite(f) else f"{f:.6g}"


def factor_text(c: float, f: sp.Expr) -> str:
    """``2×``, ``-1×``, ``2·λ×``: the factor ``c·f`` as text."""
    if f == 1:
        return f"{fraction_text(c)}×"
    frac = Fraction(c).limit_denominator(24)
    exact = abs(float(frac) - c) <= 1e-9 * max(1.0, abs(c))
    coeff = sp.Rational(frac.numerator, frac.denominator) if exact else sp.Float(c, 4)
    return f"{pretty(coeff * f)}×"


def shown_region(label: str) -> str:
    """A region's label with the sheet's letters: ``0 < lambda`` → ``0 < λ``."""
    return " ".join(display(w) for w in label.split(" "))
