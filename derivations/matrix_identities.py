"""Exact identities between matrix expressions with symbolic dimensions.

SymPy does not decide ``E₁ = E₂`` for ``MatrixSymbol`` expressions on its own: it knows neither
that a 1×1 product equals its transpose (``wᵀx = xᵀw``) nor that ``Σᵀ = Σ`` for a symmetric
``Σ``. :func:`normal_form` supplies both facts and reduces an expression to a sum
``Σ_t c_t · P_t`` of scalar coefficients times canonical matrix products; two expressions are
equal (for every dimension) when their normal forms agree term by term.

>>> from derivations.symbols import w, x, Sigma, lam
>>> is_zero(w.T * x - x.T * w)
True
>>> is_zero(Sigma * Sigma.I * w - w)
True
>>> is_zero((x - w).T * (x - w) - (x.T * x - 2 * w.T * x + w.T * w))
True
>>> is_zero(w.T * x - lam * x.T * w)
False

Products that never reduce symbolically can be checked on explicit matrices instead
(:func:`explicit`): a check for one dimension, not a proof for all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations import symbols as S

#: Matrix symbols of the sheet known to be symmetric (``Σ`` is a covariance matrix).
SYMMETRIC: tuple[sp.MatrixSymbol, ...] = (S.Sigma,)


def shape_of(expr: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """The shape of a matrix expression, ``None`` for a scalar.

    >>> from derivations.symbols import A, w, lam
    >>> shape_of(A.T * w), shape_of(lam)
    ((k, 1), None)
    """
    return tuple(expr.shape) if isinstance(expr, MatrixExpr) else None


def _symmetrize(expr: sp.Basic, symmetric: Iterable[sp.MatrixSymbol]) -> sp.Basic:
    """Replace ``Sᵀ`` by ``S`` for every symmetric ``S``."""
    return expr.xreplace({sp.Transpose(m): m for m in symmetric})


def expand_products(
    expr: sp.Basic, symmetric: Iterable[sp.MatrixSymbol] = SYMMETRIC
) -> sp.Basic:
    """Expand products, push transposes down to symbols, apply symmetry; until stable.

    >>> from derivations.symbols import Sigma, w, x
    >>> expand_products((Sigma * (x + w)).T * x)
    w.T*Sigma*x + x.T*Sigma*x
    """
    symmetric = tuple(symmetric)
    for _ in range(6):
        new = _symmetrize(sp.expand(expr).doit(), symmetric)
        if new == expr:
            break
        expr = new
    return expr


def orient(
    product: sp.Basic, symmetric: Iterable[sp.MatrixSymbol] = SYMMETRIC
) -> sp.Basic:
    """A 1×1 product equals its transpose: pick one of the two as the canonical one.

    Canonical for an expanded ``product`` (as :func:`expand_products` leaves it): ``P`` and
    ``Pᵀ`` give the same result. Other values are returned unchanged.

    >>> from derivations.symbols import w, x
    >>> orient(w.T * x), orient(x.T * w)
    (w.T*x, w.T*x)
    """
    if not isinstance(product, MatrixExpr) or product.shape != (1, 1):
        return product
    flipped = expand_products(product.T, symmetric)
    return min(product, flipped, key=sp.default_sort_key)


def normal_form(
    expr: sp.Basic, symmetric: Iterable[sp.MatrixSymbol] = SYMMETRIC
) -> dict[sp.Basic, sp.Expr]:
    """``{P_t: c_t}`` with ``expr = Σ_t c_t P_t``, canonical products ``P_t``, nonzero ``c_t``.

    >>> from derivations.symbols import w, x, lam
    >>> normal_form(2 * lam * w.T * x + x.T * w)
    {w.T*x: 2*lambda + 1}
    """
    simplified = {p: sp.simplify(cf) for p, cf in coefficients(expr, symmetric).items()}
    return {p: cf for p, cf in simplified.items() if cf != 0}


def coefficients(
    expr: sp.Basic, symmetric: Iterable[sp.MatrixSymbol] = SYMMETRIC
) -> dict[sp.Basic, sp.Expr]:
    """``{P_t: c_t}`` with ``expr = Σ_t c_t P_t`` and canonical products ``P_t``, as
    :func:`normal_form` but with the coefficients as collected (not simplified: a caller
    with its own bounded zero test decides them).

    >>> from derivations.symbols import w, x, lam
    >>> coefficients(lam * w.T * x - x.T * w / lam)
    {w.T*x: lambda - 1/lambda}
    """
    symmetric = tuple(symmetric)
    reduced = expand_products(expr, symmetric)
    terms = reduced.args if isinstance(reduced, (sp.MatAdd, sp.Add)) else (reduced,)
    acc: dict[sp.Basic, sp.Expr] = {}
    for term in terms:
        if isinstance(term, sp.ZeroMatrix) or term == 0:
            continue
        if isinstance(term, MatrixExpr):
            coeff, product = term.as_coeff_mmul()
            product = orient(product.doit(), symmetric)
        else:
            coeff, product = term, sp.S.One
        acc[product] = acc.get(product, sp.S.Zero) + coeff
    return acc


def is_zero(expr: sp.Basic, symmetric: Iterable[sp.MatrixSymbol] = SYMMETRIC) -> bool:
    """True when ``expr`` is the zero matrix (or 0) for every value of its symbols and dims."""
    if not isinstance(expr, MatrixExpr):
        return sp.simplify(expr) == 0
    return normal_form(expr, symmetric) == {}


def explicit(expr: sp.Basic, dims: Mapping[sp.Symbol, int]) -> sp.Matrix:
    """``expr`` with every matrix symbol replaced by an explicit matrix of symbolic entries.

    Symmetric symbols get symmetric entries. Dimensions are fixed by ``dims``.

    >>> from derivations.symbols import w, x, d
    >>> explicit(w.T * x, {d: 2})
    Matrix([[w_0*x_0 + w_1*x_1]])
    """
    reps = {}
    for m in expr.atoms(sp.MatrixSymbol):
        rows, cols = (int(sp.sympify(n).subs(dims)) for n in m.shape)
        name = m.name
        if cols == 1:
            cells = [[f"{name}_{i}"] for i in range(rows)]
        elif m in SYMMETRIC:
            cells = [[f"{name}_{min(i, j)}{max(i, j)}" for j in range(cols)] for i in range(rows)]
        else:
            cells = [[f"{name}_{i}{j}" for j in range(cols)] for i in range(rows)]
        entries = sp.Matrix([[sp.Symbol(c, real=True) for c in row] for row in cells])
        reps[m] = sp.ImmutableMatrix(entries)
    concrete = expr.xreplace(reps).subs(dict(dims)).doit()
    if isinstance(concrete, MatrixExpr):
        return sp.Matrix(concrete.as_explicit())
    return sp.Matrix([[concrete]])

