"""Where an answer as written is defined, kept past SymPy's automatic simplification.

SymPy simplifies while it builds an expression: ``a·γ/γ`` becomes ``a``, ``√h²`` with ``h``
real ``|h|`` but ``(√h)²`` becomes ``h``, ``log a − log a`` becomes 0, ``e^{log a}`` becomes
``a``. The answer as written is undefined where ``γ = 0`` (0/0), ``h < 0`` or ``a = 0``; the
expression read is defined there, so a check of it would accept an answer that is wrong (or
undefined) at those admissible points — a part of what was written silently dropped.

The reader therefore records, for every partial operation it builds, a :class:`Requirement`:
a divisor must be nonzero, the argument of a logarithm positive, the base of a root (a
non-integer power) nonnegative. :func:`check_defined` keeps only the requirements that the
symbols' assumptions do not settle (``λ > 0``, ``1 + γ > 0``) and refuses the answer where
such a requirement no longer shows in the expression read — where the operation was
simplified away — naming what was dropped. Where it still shows, the evaluation finds the
points where it fails (the answer is undefined there, or 0/0 under the sheet's convention).

>>> import sympy as sp
>>> g = sp.Symbol("gamma", nonnegative=True)
>>> a = sp.Symbol("a1", nonnegative=True)
>>> check_defined(a * g / g, [Requirement("nonzero", g, 0, 1)], "γ")
Traceback (most recent call last):
...
derivations.checker.tokens.spelling.AnswerSyntaxError: `γ` cancels out of the answer ...
>>> check_defined(a / (1 + g), [Requirement("nonzero", 1 + g, 0, 1)], "x")  # 1 + γ > 0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from derivations import symbols as S
from derivations.checker.reading.limits import degree
from derivations.checker.reading.scalar1x1 import opaque_1x1
from derivations.checker.tokens import AnswerSyntaxError

__all__ = ["KIND_OF_FUNCTION", "Requirement", "check_defined", "divisors", "requirement_of_power",
           "unshared_divisor"]


@dataclass(frozen=True)
class Requirement:
    """A condition for the answer as written to be defined: ``expr ≠ 0`` (``kind`` =
    ``"nonzero"``, a divisor), ``expr > 0`` (``"positive"``, a logarithm's argument) or
    ``expr ≥ 0`` (``"nonnegative"``, a root's base), ``expr`` invertible (``"invertible"``, a
    square matrix raised to a negative power); ``[pos, end)`` is where it was written."""

    kind: str
    expr: sp.Expr
    pos: int
    end: int


#: The scalar functions that are partial, and the requirement on their argument.
KIND_OF_FUNCTION: dict[Callable, str] = {sp.log: "positive", sp.sqrt: "nonnegative"}


def requirement_of_power(exponent: sp.Expr) -> list[str]:
    """The requirements on the base of ``base^exponent`` (a number exponent): nonzero for a
    negative one, nonnegative for one that is not an integer (a root).

    >>> requirement_of_power(sp.Integer(-2)), requirement_of_power(sp.Rational(1, 2))
    (['nonzero'], ['nonnegative'])
    """
    kinds = []
    if exponent.is_number and exponent.is_negative:
        kinds.append("nonzero")
    if exponent.is_number and exponent.is_integer is False:
        kinds.append("nonnegative")
    return kinds


def _settled(kind: str, e: sp.Expr) -> bool:
    """Whether the symbols' assumptions alone make the requirement hold."""
    if kind == "invertible":
        try:
            return sp.ask(sp.Q.invertible(e), S.MATRIX_ASSUMPTIONS) is True
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            return False
    if kind == "nonzero":
        return e.is_zero is False
    if kind == "positive":
        return bool(e.is_positive)
    return bool(e.is_nonnegative)


def _polynomial(*exprs: sp.Expr) -> bool:
    """Whether every expression is a polynomial with rational coefficients in its symbols,
    small enough to factor: SymPy's polynomials are dense, ``(degree + 1)^(symbols)``
    coefficients (the degree bounded as written, :func:`~.limits.degree`) at most
    :data:`DENSE_LIMIT`; and a constant such as ``e^{-10¹²}`` would be taken as a power
    ``(e^{-1})^{10¹²}`` of a generator — so no function or constant symbol is allowed.

    >>> from derivations.symbols import a1, a2
    >>> _polynomial(a1 * (a1 - a2) ** 2), _polynomial(a1 * sp.exp(-10**12) + 1)
    (True, False)
    """
    gens = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    return bool(gens) and all(
        not e.has(sp.Function, sp.NumberSymbol)
        and all(n.is_Rational for n in e.atoms(sp.Number))
        and e.is_polynomial(*gens)
        and (degree(e) + 1) ** len(gens) <= DENSE_LIMIT
        for e in exprs)


#: Most coefficients of a dense polynomial the check builds (a larger divisor is taken whole).
DENSE_LIMIT = 10**5


def _factors(e: sp.Expr) -> list[sp.Expr]:
    """The factors of a divisor that may vanish (numbers and factors the assumptions keep
    from 0 left out); a divisor that is not a small rational polynomial
    (:func:`_polynomial`) is taken whole."""
    try:
        found = [f for f, m in sp.factor_list(e)[1] if m > 0] if _polynomial(e) else [e]
    except (BasePolynomialError, TypeError, ValueError):
        found = [e]
    return [f for f in found if not f.is_number and f.is_zero is not False]


def _divides(f: sp.Expr, b: sp.Expr) -> bool:
    """Whether ``f`` divides ``b`` (``b`` vanishes wherever ``f`` does)."""
    if sp.expand(b - f) == 0 or sp.expand(b + f) == 0:
        return True
    gens = sorted(f.free_symbols | b.free_symbols, key=str)
    if not gens or not _polynomial(f, b):
        return False
    try:
        return sp.rem(b, f, *gens) == 0
    except (BasePolynomialError, TypeError, ValueError):
        return False


def _shows(kind: str, e: sp.Expr, read: sp.Basic) -> bool:
    """Whether the requirement still shows in the expression ``read``: a divisor among its
    denominators, the logarithm or the root itself."""
    if kind == "nonzero":
        bases = [p.base for p in read.atoms(sp.Pow) if p.exp.is_number and p.exp.is_negative]
        # a 1×1 product (wᵀw) as a symbol of its own, the same in the divisor and the bases
        e, *bases = opaque_1x1(e, *bases)
        return all(any(_divides(f, b) for b in bases) for f in _factors(e))
    if kind == "positive":
        return any(g.args[0] == e for g in read.atoms(sp.log))
    if kind == "invertible":
        inverted = [m.arg for m in read.atoms(sp.Inverse)] + [
            m.base for m in read.atoms(sp.MatPow) if m.exp.is_number and m.exp.is_negative]
        return any(b in (e, e.T) for b in inverted)
    return any(p.base == e and p.exp.is_number and p.exp.is_integer is False
               for p in read.atoms(sp.Pow))


_WHERE = {"nonzero": "{} = 0", "invertible": "{} is singular (a matrix inverse)",
          "positive": "{} ≤ 0 (a logarithm)", "nonnegative": "{} < 0 (a root)"}


def check_defined(read: sp.Basic, requirements: Sequence[Requirement], text: str) -> None:
    """Refuse the answer whose expression ``read`` dropped a requirement (see the module
    docstring): :class:`AnswerSyntaxError` at the place it was written in ``text``."""
    for q in requirements:
        if _settled(q.kind, q.expr) or _shows(q.kind, q.expr, read):
            continue
        span = text[q.pos : q.end].strip() or str(q.expr)
        if span.startswith("{") and span.endswith("}"):
            span = span[1:-1].strip()
        raise AnswerSyntaxError(
            f"`{span}` cancels out of the answer as it is read, but the answer as written is "
            f"undefined where {_WHERE[q.kind].format(span)}: the checker would read it as "
            "defined there; simplify it yourself or leave that part out",
            q.pos,
        )


def divisors(e: sp.Basic) -> list[sp.Expr]:
    """The scalar divisors of ``e``: the bases of its negative powers.

    >>> a = sp.Symbol("a1", nonnegative=True)
    >>> divisors(a**2 / (a - 2))
    [a1 - 2]
    """
    return sorted({p.base for p in e.atoms(sp.Pow) if p.exp.is_number and p.exp.is_negative},
                  key=sp.default_sort_key)


def unshared_divisor(yours: Sequence[sp.Expr], expected: Sequence[sp.Expr]) -> sp.Expr | None:
    """Of the divisors ``yours`` of your answer (:func:`divisors`, each taken as written and
    then put under the question's conditions on its own), one that the symbols' assumptions
    do not keep from 0 and that none of the divisors ``expected`` of the expected answer
    shares (a factor of it divides none of them); None if there is none.

    Where such a divisor is 0 your answer is undefined (or 0/0, 0 by the sheet's
    convention) while the expected one is defined, so a proof that ``yours − expected``
    expands to 0 — which cancels it, as a tie ``a2 = a1`` or a case of an ordering does —
    says nothing there, and neither does equality at random points (the set has measure 0).

    >>> a, g = sp.Symbol("a1", nonnegative=True), sp.Symbol("gamma", positive=True)
    >>> unshared_divisor([a - 7], [])  # a1(a1 − 7)/(a2 − 7) under the tie a2 = a1
    a1 - 7
    >>> unshared_divisor([a + g], [2 * a + 2 * g]) is None  # a1 + γ > 0
    True
    >>> b = sp.Symbol("a2", nonnegative=True)
    >>> unshared_divisor([3 * a - 3 * b], [a - b]) is None  # the same divisor
    True
    """
    theirs = sp.Mul(*[sp.Pow(d, -1) for d in expected if not d.is_number])
    for d in yours:
        if d.is_number:
            if d == 0:
                return d
            continue
        if _settled("nonzero", d):
            continue
        if theirs.has(sp.Pow) and _shows("nonzero", d, theirs):
            continue
        return d
    return None
