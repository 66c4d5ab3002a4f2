"""Gradient, Hessian and the stationary point of a quadratic objective, in vector form.

The objective is a 1×1 matrix expression in a vector ``v`` (``MatrixSymbol`` of shape
``(n, 1)`` with symbolic ``n``); constants are written ``b * Identity(1)``.

>>> from derivations.symbols import w, x, lam, b
>>> J = w.T * x + b * sp.Identity(1) - lam * x.T * x
>>> gradient(J, x)
(-2*lambda)*x + w
>>> hessian(J, x)
(-2*lambda)*I
>>> stationary_point(gradient(J, x), x)
(1/(2*lambda))*w

:class:`Gradient` and :class:`Hessian` are the same operations left unevaluated, for display
(``∇_x J``); ``doit()`` evaluates them.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations import matrix_identities as mi


def gradient(expr: sp.Basic, v: sp.MatrixSymbol) -> sp.Basic:
    """``∇_v expr`` (shape of ``v``) of a 1×1 matrix expression, symmetric symbols applied."""
    expr = expr.doit()
    terms = expr.args if isinstance(expr, sp.MatAdd) else (expr,)
    parts = [t.diff(v) for t in terms if t.has(v)]
    if not parts:
        return sp.ZeroMatrix(*v.shape)
    return mi.expand_products(sp.MatAdd(*parts), mi.SYMMETRIC)


def hessian(expr: sp.Basic, v: sp.MatrixSymbol) -> sp.Basic:
    """``∇²_v expr``: the derivative of the gradient (an ``n × n`` matrix expression)."""
    g = gradient(expr, v)
    if isinstance(g, sp.ZeroMatrix) or not g.has(v):
        return sp.ZeroMatrix(v.shape[0], v.shape[0])
    return mi.expand_products(g.diff(v), mi.SYMMETRIC)


def stationary_point(grad: sp.Basic, v: sp.MatrixSymbol) -> sp.Basic:
    """The solution of ``grad(v) = 0`` for an affine gradient ``grad = H v + g₀``.

    Solves the linear equation ``H v + g₀ = 0`` as ``v* = −H⁻¹ g₀`` (``H`` is invertible for
    the objectives of the sheet: it is negative definite). Raises ``ValueError`` when the
    gradient is not affine in ``v``.
    """
    H = mi.expand_products(grad.diff(v), mi.SYMMETRIC)
    g0 = mi.expand_products(grad.subs(v, sp.ZeroMatrix(*v.shape)), mi.SYMMETRIC)
    if not mi.is_zero(grad - (H * v + g0)) or H.has(v):
        raise ValueError(f"gradient {grad} is not affine in {v}")
    return mi.expand_products(-H.I * g0, mi.SYMMETRIC)


class Gradient(MatrixExpr):
    """Unevaluated ``∇_v expr``; ``doit()`` gives :func:`gradient`."""

    def __new__(cls, expr: sp.Basic, v: sp.MatrixSymbol) -> Gradient:
        return sp.Basic.__new__(cls, expr, v)

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        return self.args[1].shape

    def doit(self, **hints: object) -> sp.Basic:
        return gradient(self.args[0].doit(**hints), self.args[1])


class Hessian(MatrixExpr):
    """Unevaluated ``∇²_v expr``; ``doit()`` gives :func:`hessian`."""

    def __new__(cls, expr: sp.Basic, v: sp.MatrixSymbol) -> Hessian:
        return sp.Basic.__new__(cls, expr, v)

    @property
    def shape(self) -> tuple[sp.Expr, sp.Expr]:
        n = self.args[1].shape[0]
        return (n, n)

    def doit(self, **hints: object) -> sp.Basic:
        return hessian(self.args[0].doit(**hints), self.args[1])
