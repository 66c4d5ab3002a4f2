"""How large an answer may be, checked while it is read, before SymPy builds anything large.

Exponents are bounded: at most :data:`MAX_EXPONENT` each, at most :data:`MAX_DEGREE` for the
whole expression as written (:func:`degree`, so ``((λ+1)^100)^100`` is refused too), and
never a variable (``2^λ``); numbers hold at most :data:`MAX_DIGITS` digits, brackets nest at
most :data:`MAX_DEPTH` deep. A refusal says "exponent too large", "number too large" or why.

>>> from derivations.symbols import lam
>>> degree(((lam + 1)**100)**100) > MAX_DEGREE
True
"""

from __future__ import annotations

import sympy as sp

from derivations.checker.reading.reader import Reader, Value

__all__ = [
    "MAX_DEGREE",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "bounded",
    "check_exponent",
    "check_number_power",
    "degree",
    "digits",
    "magnitude",
]

#: Deepest nesting of brackets accepted.
MAX_DEPTH = 60

#: Largest exponent accepted (its absolute value; a number: ``2^100``, or a power of an
#: expression: ``λ^-3``). The sheet's answers need at most squares and inverses; a larger
#: exponent only makes SymPy and the exact comparison slow (``min(1, (λ+1)^1000)`` expands a
#: polynomial of degree 1000 while it is read).
MAX_EXPONENT = 100

#: Largest degree of an answer in the sheet's symbols, counted on the expression as written
#: (:func:`degree`: a product adds its factors' degrees, a power multiplies by the absolute
#: exponent), so that nested or multiplied powers cannot pass :data:`MAX_EXPONENT` one at a
#: time (``((λ+1)^100)^100`` is ``(λ+1)^10000``). The sheet's answers have degree at most 6,
#: the checker's hardest test answer 40 (``(a1 + γ + 1)^40 − ((a1 + γ)^2 + …)^20``); SymPy reads
#: a ``min``/``max`` of a polynomial of degree 40 in one symbol in at most about 0.35 s (it
#: isolates the real roots to compare), of degree 1000 in minutes.
MAX_DEGREE = 40

#: Most decimal digits of a number in an answer as read (numerator or denominator): a number
#: the student wrote (``1e300``) or one reading made (``(1e200·a1)^40`` holds 10⁸⁰⁰⁰). Past
#: it, exact arithmetic and printing slow down (Python refuses to print an integer of more
#: than 4,300 digits); the sheet's answers need a handful.
MAX_DIGITS = 3000


def digits(expr: sp.Basic) -> int:
    """The most decimal digits of a numerator or denominator of a number in ``expr``.

    >>> digits(sp.Rational(10**12, 7) * sp.Symbol("x"))
    13
    """
    sizes = [max(abs(q.p), q.q) for q in expr.atoms(sp.Rational)]
    return max((len(str(n)) if n.bit_length() < 12000 else int(n.bit_length() * 0.30103) + 1
                for n in sizes), default=1)


def degree(expr: sp.Basic, memo: dict[sp.Basic, float] | None = None) -> float:
    """An upper bound of the polynomial degree of ``expr`` in its symbols, as written.

    A symbol (scalar or matrix) has degree 1, a number 0; a product (also of matrices) the sum
    of its factors' degrees; a power ``b^e`` with a number ``e`` the degree of ``b`` times
    ``|e|`` (so a quotient counts its denominator's degree too); a power with a variable
    exponent the sum of both degrees; anything else (a sum, ``min``, ``exp``, a case) the
    largest degree of its arguments. ``memo`` caches the degrees of subexpressions.

    >>> from derivations.symbols import lam, a1, A
    >>> degree((lam + 1)**3 * a1 / (a1 + lam)), degree(sp.Min(a1, lam**2)), degree(A * A.T)
    (5.0, 2.0, 2.0)
    """
    if memo is None:
        memo = {}
    known = memo.get(expr)
    if known is not None:
        return known
    if isinstance(expr, sp.Symbol | sp.MatrixSymbol):
        result = 1.0
    elif not expr.args or expr.is_number:
        result = 0.0
    elif isinstance(expr, sp.Pow | sp.MatPow):
        base, exponent = expr.args
        if exponent.is_number:
            result = degree(base, memo) * magnitude(exponent)
        else:
            result = degree(base, memo) + degree(exponent, memo)
    elif isinstance(expr, sp.Mul | sp.MatMul):
        result = sum(degree(a, memo) for a in expr.args)
    else:
        result = max(degree(a, memo) for a in expr.args)
    memo[expr] = result
    return result


def magnitude(number: sp.Expr) -> float:
    """``|number|`` as a float (``inf`` for one too large for a float).

    >>> magnitude(sp.Integer(-3)), magnitude(sp.Integer(10)**400)
    (3.0, inf)
    """
    try:
        return float(abs(sp.N(number, 15)))
    except (TypeError, ValueError, OverflowError):
        return float("inf")


def bounded(r: Reader, v: Value, pos: int) -> Value:
    """``v`` if its :func:`degree` is at most :data:`MAX_DEGREE` and its numbers have at
    most :data:`MAX_DIGITS` digits; else the refusal."""
    if digits(v.expr) > MAX_DIGITS:
        raise r.fail(f"number too large: `{r.span(v)}` holds a number of more than "
                     f"{MAX_DIGITS} digits", pos)
    deg = degree(v.expr, r.degrees)
    if deg > MAX_DEGREE:
        shown = "more than 10^15" if deg > 1e15 else f"{deg:g}"
        raise r.fail(
            f"exponent too large: `{r.span(v)}` has degree {shown} in the sheet's "
            f"symbols, more than {MAX_DEGREE} (no answer of the sheet needs as much)",
            pos,
        )
    return v


def check_exponent(r: Reader, base: Value, exponent: Value, e: sp.Basic, pos: int) -> float:
    """``|e|``, the exponent of ``base^exponent`` (its value ``e``), if it is a number of at
    most :data:`MAX_EXPONENT` that keeps the degree at most :data:`MAX_DEGREE`; else the
    refusal."""
    if not e.is_number:
        raise r.fail(
            f"an exponent that depends on the variables (`{r.span(exponent)}`) cannot "
            "be checked: its values can be too large to compute exactly; write exp(...) "
            "for an exponential",
            exponent.pos,
        )
    size = magnitude(e)
    if size > MAX_EXPONENT:
        shown = f"|{e}|" if e.is_Rational and len(str(e)) <= 40 else f"|{r.span(exponent)}|"
        raise r.fail(f"exponent too large ({shown} > {MAX_EXPONENT})", pos)
    if degree(base.expr, r.degrees) * size > MAX_DEGREE:
        deg = degree(base.expr, r.degrees) * size
        raise r.fail(
            f"exponent too large: `{r.span(base)}^{r.span(exponent)}` has degree "
            f"{deg:g} in the sheet's symbols, more than {MAX_DEGREE} (no answer of the "
            "sheet needs as much)",
            pos,
        )
    return size


def check_number_power(r: Reader, b: sp.Basic, e: sp.Basic, size: float, pos: int) -> None:
    """Refuse the power ``b^e`` of two numbers (``|e| = size``) before SymPy builds it, where
    it divides by zero or has more than about :data:`MAX_DIGITS` digits."""
    if b == 0 and e.is_negative:
        raise r.fail("division by zero (0 to a negative power)", pos)
    if size * max(1.0, len(str(abs(b)))) > MAX_DIGITS:
        raise r.fail("number too large", pos)
