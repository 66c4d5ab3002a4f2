"""A 1×1 matrix product used as a scalar (``wᵀx``), and the same products as scalar atoms.

:class:`Scalar1x1` is what the reader makes of a 1×1 product; :func:`split_1x1` takes its
scalar factors and terms out, :func:`opaque_1x1` makes each remaining product a real symbol
of its own, so that polynomial algorithms (a zero test, a divisibility test) can work on it.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from derivations.matrix_identities import expand_products, orient


class Scalar1x1(MatrixElement):
    """The only entry of a 1×1 matrix expression (``wᵀx``, ``xᵀx``), used as a scalar.

    Unlike SymPy's ``MatrixElement``, ``doit`` keeps it whole (no ``Sum`` over an index).

    >>> from derivations import symbols as S
    >>> e = Scalar1x1(S.w.T * S.x, 0, 0)
    >>> e, (e * S.w).doit()
    ((w.T*x), (w.T*x)*w)
    """

    def doit(self, **hints):  # noqa: D102 - keep the product whole
        return self

    def _sympystr(self, printer) -> str:
        return "(" + printer._print(self.parent) + ")"

    def _latex(self, printer) -> str:
        return r"\left(" + printer._print(self.parent) + r"\right)"


def split_1x1(expr: sp.Basic) -> sp.Basic:
    """Every 1×1 product with its scalar factors and terms taken out, innermost first:
    ``(c·P + Q) = c·(P) + (Q)`` (the entry of a sum is the sum of the entries, of ``c·P`` is
    ``c`` times the entry of ``P``), and a chain cut where a prefix is 1×1: ``(wᵀw wᵀx) =
    (wᵀw)(wᵀx)`` (a product of 1×1 matrices is the product of their entries).

    >>> from derivations.symbols import w, x, lam
    >>> split_1x1(Scalar1x1(2 * lam * w.T * w, 0, 0))
    2*lambda*(w.T*w)
    >>> split_1x1(Scalar1x1(w.T * w * w.T * x, 0, 0))
    (w.T*w)*(w.T*x)
    """
    if not expr.has(Scalar1x1):
        return expr
    if not isinstance(expr, Scalar1x1):
        return expr.func(*(split_1x1(a) for a in expr.args))
    parent = expand_products(split_1x1(expr.parent))
    total = sp.Integer(0)
    for term in (parent.args if isinstance(parent, sp.MatAdd) else (parent,)):
        factors = term.args if isinstance(term, sp.MatMul) else (term,)
        scalars = [f for f in factors if not isinstance(f, MatrixExpr)]
        matrices = [f for f in factors if isinstance(f, MatrixExpr)]
        entries = [Scalar1x1(orient(p[0] if len(p) == 1 else sp.MatMul(*p)), 0, 0)
                   for p in _cut_at_1x1(matrices)]
        total += sp.Mul(*scalars, *entries)
    return total


def _cut_at_1x1(matrices: list[sp.Basic]) -> list[list[sp.Basic]]:
    """The factors of a 1×1 product in runs whose products are 1×1 each."""
    runs: list[list[sp.Basic]] = [[]]
    for m in matrices:
        runs[-1].append(m)
        if runs[-1][0].shape[0] == 1 and m.shape[1] == 1:
            runs.append([])
    return [r for r in runs if r]


def opaque_1x1(*exprs: sp.Basic) -> tuple[sp.Basic, ...]:
    """``exprs`` with each 1×1 product (scalar factors taken out: :func:`split_1x1`) replaced
    by a real symbol of its own, the same product by the same symbol in all of them — sound
    for a zero test or a divisibility test: what holds for independent values of those
    symbols holds for theirs.

    >>> from derivations.symbols import w, lam
    >>> e = 1 / Scalar1x1(2 * lam * w.T * w, 0, 0) * Scalar1x1(w.T * w, 0, 0) - 1 / (2 * lam)
    >>> sp.simplify(opaque_1x1(e)[0])
    0
    """
    split = [split_1x1(e) for e in exprs]
    atoms: dict[sp.Basic, sp.Dummy] = {}
    for e in split:
        for n in sp.preorder_traversal(e):
            if isinstance(n, Scalar1x1):
                atoms.setdefault(n, sp.Dummy("s", real=True))
    return tuple(e.xreplace(atoms) if atoms else e for e in split)
