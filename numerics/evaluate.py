"""Numbers from the derived SymPy answers: ``lambdify``, never a re-typed formula.

An answer of :mod:`derivations.answers` is a SymPy expression in the sheet's names
(:mod:`derivations.symbols`). Matrix answers are built from ``MatrixSymbol`` objects with
symbolic dimensions ``d`` and ``k``; :func:`compile_answer` substitutes the dimensions of the
arrays at hand and lambdifies with the substituted matrix symbols as arguments, so that
``Inverse``, ``Transpose`` and ``MatMul`` become ``inv``, ``.T`` and ``.dot``:

>>> import numpy as np, sympy as sp
>>> from derivations.symbols import Sigma, w, mu, lam
>>> f = compile_answer(sp.Inverse(Sigma) * w + mu / (2 * lam), (Sigma, w, mu, lam))
>>> S = np.array([[2.0, 0.0], [0.0, 4.0]])
>>> f(S, np.array([[2.0], [4.0]]), np.array([[4.0], [8.0]]), 2.0).ravel().tolist()
[2.0, 3.0]

Scalar answers (Exercise 2, 3) evaluate elementwise on arrays, ``Piecewise`` included:

>>> from derivations.symbols import a1, a2
>>> g = compile_answer(sp.Piecewise((a1, a1 < a2), (a2, True)), (a1, a2))
>>> g(np.array([1.0, 3.0]), np.array([2.0, 2.0])).tolist()
[1.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from derivations.symbols import d, k

#: The symbolic dimensions of the sheet's matrices.
DIMENSIONS: tuple[sp.Symbol, ...] = (d, k)


def dimensions(args: Sequence[sp.Basic], values: Sequence[ArrayLike]) -> dict[sp.Symbol, int]:
    """The sizes ``{d: n, k: m}`` that the arrays ``values`` give the matrix symbols ``args``.

    >>> from derivations.symbols import A, w
    >>> dimensions((A, w), (np.zeros((5, 3)), np.zeros((5, 1))))
    {d: 5, k: 3}
    >>> dimensions((A, w), (np.zeros((5, 3)), np.zeros((4, 1))))
    Traceback (most recent call last):
    ...
    ValueError: w is 4×1 but d = 5 from another argument
    """
    sizes: dict[sp.Symbol, int] = {}
    for symbol, value in zip(args, values, strict=True):
        if not isinstance(symbol, sp.MatrixSymbol):
            continue
        shape = np.shape(value)
        if len(shape) != 2:
            raise ValueError(f"{symbol} needs a 2-d array, got shape {shape}")
        for dim, size in zip(symbol.shape, shape, strict=True):
            if dim.is_Integer:
                if int(dim) != size:
                    raise ValueError(f"{symbol} is {shape[0]}×{shape[1]}, expected {symbol.shape}")
            elif dim in sizes and sizes[dim] != size:
                raise ValueError(f"{symbol} is {shape[0]}×{shape[1]} but {dim} = {sizes[dim]} "
                                 "from another argument")
            else:
                sizes[dim] = size
    return sizes


def compile_answer(
    expr: sp.Basic,
    args: Sequence[sp.Basic],
    sizes: Mapping[sp.Symbol, int] | None = None,
) -> Callable[..., np.ndarray]:
    """``expr`` as a NumPy function of ``args`` (in that order).

    With ``sizes`` (e.g. ``{d: 5, k: 3}``) the function is compiled once for those dimensions;
    without, the dimensions are read from the arrays at each call (and compiled each time).
    Every free symbol of ``expr`` other than the dimensions must be among ``args``.
    Scalar results broadcast to the shape of the scalar arguments.
    """
    missing = expr.free_symbols - set(args) - set(DIMENSIONS)
    if missing:
        names = ", ".join(sorted(map(str, missing)))
        raise ValueError(f"{expr} depends on {names}, which are not among the arguments")
    if sizes is not None:
        return _compile(expr, tuple(args), dict(sizes))

    def evaluate(*values: ArrayLike) -> np.ndarray:
        return _compile(expr, tuple(args), dimensions(args, values))(*values)

    return evaluate


def _compile(expr: sp.Basic, args: tuple[sp.Basic, ...],
             sizes: dict[sp.Symbol, int]) -> Callable[..., np.ndarray]:
    substituted_expr = expr.subs(sizes) if sizes else expr
    substituted_args = [a.subs(sizes) if sizes else a for a in args]
    function = sp.lambdify(substituted_args, substituted_expr, modules="numpy")
    scalar = not isinstance(substituted_expr, sp.MatrixExpr | sp.MatrixBase)

    def evaluate(*values: ArrayLike) -> np.ndarray:
        arrays = [np.asarray(v, dtype=float) for v in values]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.asarray(function(*arrays), dtype=float)
        if scalar:
            shapes = [a.shape for a, s in zip(arrays, args, strict=True)
                      if not isinstance(s, sp.MatrixSymbol)]
            out = np.broadcast_to(out, np.broadcast_shapes(out.shape, *shapes)).copy()
        return out

    return evaluate


__all__ = ["DIMENSIONS", "compile_answer", "dimensions"]
