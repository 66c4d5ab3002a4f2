"""Is an expression identically 0? Exact, sound tests whose work is bounded before it starts.

Every test here answers True only with a proof; False means "not shown" (never "nonzero").
Each is deterministic and bounded in *work*, not time:

- :func:`identically_zero` — an expression without ``min``/``max``/cases: sound rewrites of
  the transcendental parts (``e^{a+b} = e^a e^b``, after which SymPy's own rules give
  ``e^{log x} = x``; ``log(ab) = log a + log b`` and ``log xⁿ = n log x`` only where the
  symbols' signs allow it — SymPy's ``expand_log(force=False)``),
  then every remaining ``exp``, ``log``, root or constant replaced by a fresh variable
  (``e^{c·m}`` by a power of one variable per monomial ``m``): if the result is the zero
  rational function, so is the expression. The rational function is decided exactly by
  expanding the numerator of its common-denominator form as a polynomial — only when the
  number of its terms, bounded from the expression's structure *before* expanding
  (:func:`term_bound`), is at most :data:`TERM_BUDGET`.
- :func:`minmax_normal_form` — negation and positive factors pushed through ``min``/``max``
  (``−max(−x₁, …, −x_M) = min(x₁, …, x_M)``, ``c·max(x, y) = max(cx, cy)`` for ``c > 0``),
  nested ones flattened and arguments sorted (SymPy's ``Min``/``Max``): two answers equal
  after it are equal, for every ``M``, in milliseconds.

>>> from derivations.symbols import lam, a1, h1, h2, h3
>>> identically_zero((lam**2 - 1) / (lam - 1) - lam - 1)
True
>>> identically_zero(sp.log(4 * lam) - 2 * sp.log(2) - sp.log(lam))
True
>>> identically_zero(sp.exp(a1 + 1) - sp.E * sp.exp(a1)), identically_zero(sp.exp(-10**6 * a1))
(True, False)
>>> identically_zero(1 / sp.exp(sp.log(2) + sp.log(lam)) - 1 / (2 * lam))
True
>>> minmax_normal_form(-sp.Max(-h1, -h2, -h3)) == sp.Min(h1, h2, h3)
True
>>> term_bound((h1 + h2 + h3 + 1) ** 60) > TERM_BUDGET
True
"""

from __future__ import annotations

from fractions import Fraction
from math import comb, lcm

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = [
    "DECISIONS",
    "TERM_BUDGET",
    "identically_zero",
    "is_rational",
    "minmax_normal_form",
    "term_bound",
    "transcendental_atoms",
]

#: The nodes that decide between cases (the tests here take expressions without them).
DECISIONS = (sp.Min, sp.Max, sp.Abs, sp.sign, sp.Heaviside, sp.Piecewise)

#: Most terms the expanded numerator may have (bounded before expanding, :func:`term_bound`):
#: ``(a1 + γ + 1)⁴⁰`` has 861 (a tenth of a second), a sheet answer's difference a few dozen.
TERM_BUDGET = 3_000

#: A cap on the bounds computed (past it the size is "too large" anyway).
_CAP = 10**9


def _cap(n: int) -> int:
    return min(n, _CAP)


def _bound(e: sp.Basic) -> tuple[int, int]:
    """(terms of the numerator, terms of the denominator) of ``e`` over a common
    denominator, expanded: an upper bound from the structure."""
    if isinstance(e, sp.Add):
        parts = [_bound(a) for a in e.args]
        before = [1]  # products of the denominators before / after each term
        for _, d in parts:
            before.append(_cap(before[-1] * d))
        after = [1]
        for _, d in reversed(parts):
            after.append(_cap(after[-1] * d))
        after.reverse()
        num = 0
        for i, (n, _) in enumerate(parts):
            num = _cap(num + n * _cap(before[i] * after[i + 1]))
        return num, before[-1]
    if isinstance(e, sp.Mul):
        num = den = 1
        for a in e.args:
            n, d = _bound(a)
            num, den = _cap(num * n), _cap(den * d)
        return num, den
    if isinstance(e, sp.Pow) and e.exp.is_Integer:
        n, d = _bound(e.base)
        k = abs(int(e.exp))
        if k > 10**4:
            return _CAP, _CAP
        up = _cap(comb(n + k - 1, k)) if n > 1 else 1
        down = _cap(comb(d + k - 1, k)) if d > 1 else 1
        return (up, down) if e.exp > 0 else (down, up)
    return 1, 1


def degree_bound(expr: sp.Basic) -> tuple[int, int]:
    """(degree of the numerator, degree of the denominator) of ``expr`` over a common
    denominator, in all its symbols together: an upper bound from the structure (a node that
    is not a sum, product, integer power or number counts as a variable).

    >>> from derivations.symbols import a1, a2
    >>> degree_bound(a1**2 / (a1 - a2) + 1 / a2)
    (3, 2)
    """
    if isinstance(expr, sp.Add):
        parts = [degree_bound(a) for a in expr.args]
        den = sum(d for _, d in parts)
        return max(n + den - d for n, d in parts), den
    if isinstance(expr, sp.Mul):
        parts = [degree_bound(a) for a in expr.args]
        return sum(n for n, _ in parts), sum(d for _, d in parts)
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        n, d = degree_bound(expr.base)
        k = int(expr.exp)
        return (k * n, k * d) if k >= 0 else (-k * d, -k * n)
    if expr.is_number and not expr.has(sp.NumberSymbol, sp.Function):
        return 0, 0
    return 1, 0


def term_bound(expr: sp.Basic) -> int:
    """An upper bound on the number of terms of ``expr``'s numerator, expanded over a common
    denominator (counted from the structure, nothing expanded): the smaller of a count of
    the products of sums and the number of monomials of its degree in its variables.

    >>> from derivations.symbols import a1, a2
    >>> term_bound((a1 + a2) ** 2), term_bound(1 / a1 + 1 / a2), term_bound((a1 + a2 + 1)**40)
    (3, 2, 861)
    """
    variables = len(expr.free_symbols) + len(transcendental_atoms(expr))
    degree = degree_bound(expr)[0]
    monomials = _cap(comb(variables + degree, variables)) if degree < 10**4 else _CAP
    return min(_bound(expr)[0], monomials)


def transcendental_atoms(expr: sp.Basic) -> set[sp.Basic]:
    """The nodes of ``expr`` that make it not rational: ``exp``, ``log``, non-integer powers,
    constants such as ``π`` and ``e``, other functions.

    >>> from derivations.symbols import lam
    >>> sorted(map(str, transcendental_atoms(sp.sqrt(lam) + sp.exp(lam) + lam**2)))
    ['exp(lambda)', 'sqrt(lambda)']
    """
    out: set[sp.Basic] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and not node.exp.is_Integer:
            out.add(node)
        elif isinstance(node, sp.NumberSymbol):
            out.add(node)
        elif isinstance(node, sp.Function) and not isinstance(node, DECISIONS):
            out.add(node)
    return out


def is_rational(expr: sp.Basic) -> bool:
    """Whether ``expr`` is a rational function with rational coefficients (no transcendental
    node, no ``min``/``max``/case): the only input given to SymPy's polynomial routines,
    which would take ``e^{-10¹²}`` for a power of ``e^{-1}`` of degree 10¹².

    >>> from derivations.symbols import lam
    >>> is_rational((lam**2 - 1) / lam), is_rational(lam * sp.exp(-10**12) + 1)
    (True, False)
    """
    return not transcendental_atoms(expr) and not expr.has(*DECISIONS)


# -- the rewrites ------------------------------------------------------------------------------
def _exp_terms(arg: sp.Expr) -> list[tuple[Fraction, sp.Expr]]:
    """``arg`` as ``Σ c·m``: rational coefficients ``c`` times the rest ``m`` of each term."""
    out = []
    for t in sp.Add.make_args(sp.expand(arg)):
        c, m = t.as_coeff_Mul()
        if not c.is_Rational:
            c, m = sp.S.One, t
        out.append((Fraction(int(c.p), int(c.q)), m))
    return out


def _as_polynomial(expr: sp.Expr) -> sp.Expr | None:
    """``expr`` with every transcendental node replaced by a fresh variable (``e^{c·m}`` by a
    power of one variable per monomial ``m``), or None where a rewrite is too large."""
    expr = sp.expand_log(sp.expand_power_exp(expr), force=False)
    exps = [n for n in sp.preorder_traversal(expr) if isinstance(n, (sp.exp, type(sp.E)))]
    terms = {e: _exp_terms(e.args[0]) if e.args else [(Fraction(1), sp.S.One)] for e in exps}
    denominators: dict[sp.Expr, int] = {}
    for parts in terms.values():
        for c, m in parts:
            denominators[m] = lcm(denominators.get(m, 1), c.denominator)
    base = {m: sp.Dummy("E") for m in sorted(denominators, key=sp.default_sort_key)}
    reps: dict[sp.Basic, sp.Expr] = {}
    for e, parts in terms.items():
        value = sp.S.One
        for c, m in parts:
            power = c * denominators[m]
            if abs(power) > 10**4:
                return None
            value *= base[m] ** int(power)
        reps[e] = value
    expr = expr.xreplace(reps) if reps else expr
    others = sorted(transcendental_atoms(expr), key=sp.default_sort_key)
    if others:
        expr = expr.xreplace({a: sp.Dummy("T") for a in others})
    return expr


def identically_zero(expr: sp.Basic, budget: int = TERM_BUDGET) -> bool:
    """Whether ``expr`` (a scalar without ``min``/``max``/cases) is the zero function,
    proved by the rewrites of the module docstring within ``budget`` terms."""
    if expr == 0:
        return True
    if isinstance(expr, MatrixExpr) or expr.has(*DECISIONS):
        return False
    if term_bound(expr) > budget:
        return False
    poly_form = _as_polynomial(expr)
    if poly_form is None or term_bound(poly_form) > budget:
        return False
    gens = sorted(poly_form.free_symbols, key=sp.default_sort_key)
    if not gens:
        return bool(poly_form == 0)
    ring, *variables = sp.ring(gens, sp.QQ)
    try:
        num, _ = _fraction(poly_form, ring, dict(zip(gens, variables, strict=True)))
    except _NotRational:
        return False
    return not num


def _monomial(e: sp.Mul, ring, variables: dict):
    """A product of a rational and powers of variables, built as one term (fast)."""
    coeff = sp.QQ(1)
    exps = [0] * ring.ngens
    index = {v: i for i, v in enumerate(variables)}
    for f in e.args:
        if f.is_Rational:
            coeff *= sp.QQ(int(f.p), int(f.q))
        elif isinstance(f, sp.Symbol):
            exps[index[f]] += 1
        elif isinstance(f, sp.Pow) and isinstance(f.base, sp.Symbol) and f.exp.is_Integer \
                and f.exp > 0:
            exps[index[f.base]] += int(f.exp)
        else:
            return None
    return ring.from_dict({tuple(exps): coeff})


class _NotRational(Exception):
    """A node that is not a sum, product, integer power, number or variable."""


def _fraction(e: sp.Basic, ring, variables: dict) -> tuple:
    """``e`` as (numerator, denominator), polynomials of ``ring`` (no common factor removed:
    the work is that of :func:`term_bound`)."""
    if isinstance(e, sp.Symbol):
        return variables[e], ring.one
    if e.is_Rational:
        return ring(sp.QQ(int(e.p), int(e.q))), ring.one
    if isinstance(e, sp.Add):
        polynomial: dict = {}  # the terms without a denominator, summed in place
        fractions = []
        for a in e.args:
            n, d = _fraction(a, ring, variables)
            if d == ring.one:
                for monom, c in n.items():
                    polynomial[monom] = polynomial.get(monom, 0) + c
            else:
                fractions.append((n, d))
        num = ring.from_dict({m: c for m, c in polynomial.items() if c})
        den = ring.one
        for n, d in fractions:
            num, den = num * d + n * den, den * d
        return num, den
    if isinstance(e, sp.Mul):
        monomial = _monomial(e, ring, variables)
        if monomial is not None:
            return monomial, ring.one
        num, den = ring.one, ring.one
        for a in e.args:
            n, d = _fraction(a, ring, variables)
            num, den = num * n, den * d
        return num, den
    if isinstance(e, sp.Pow) and e.exp.is_Integer:
        n, d = _fraction(e.base, ring, variables)
        k = int(e.exp)
        return (n**k, d**k) if k >= 0 else (d**-k, n**-k)
    raise _NotRational(type(e).__name__)


# -- min/max ----------------------------------------------------------------------------------
def _push(coeff: sp.Expr, node: sp.Basic) -> sp.Basic | None:
    """``coeff·min(…)`` / ``coeff·max(…)`` with the rational ``coeff`` pushed inside."""
    if not coeff.is_Rational or coeff == 0:
        return None
    flip = coeff < 0
    kind = type(node)
    if flip:
        kind = sp.Max if kind is sp.Min else sp.Min
    return kind(*(minmax_normal_form(coeff * a) for a in node.args))


def minmax_normal_form(expr: sp.Basic) -> sp.Basic:
    """``expr`` with rational factors pushed into every ``min``/``max`` (a negative one
    swapping them), nested ones flattened, arguments sorted (see the module docstring)."""
    if not isinstance(expr, sp.Expr) or isinstance(expr, MatrixExpr) or not expr.args \
            or not expr.has(sp.Min, sp.Max):
        return expr
    if isinstance(expr, (sp.Add, sp.Min, sp.Max)):
        return expr.func(*(minmax_normal_form(a) for a in expr.args))
    if isinstance(expr, sp.Mul):
        coeff, rest = expr.as_coeff_Mul()
        if isinstance(rest, (sp.Min, sp.Max)):
            pushed = _push(coeff, rest)
            if pushed is not None:
                return pushed
        return sp.Mul(*(minmax_normal_form(a) for a in expr.args))
    return expr
