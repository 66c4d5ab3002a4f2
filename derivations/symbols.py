"""The names of the exercise sheet, as SymPy objects with their assumptions.

Every other module (derivations, checker, numerics) takes its symbols from here, so that a
name means one thing everywhere.

Vectors and matrices are ``MatrixSymbol`` objects with symbolic dimensions ``d`` and ``k``:

>>> w.shape, A.shape, z.shape
((d, 1), (d, k), (k, 1))
>>> lam.is_positive, gamma.is_nonnegative, a1.is_nonnegative
(True, True, True)
>>> str(lam), str(gamma)
('lambda', 'gamma')

``gamma`` is a plain ``Symbol`` named ``"gamma"`` (the LRP-γ parameter of Exercise 2), never
SymPy's gamma function. The kernel width of Exercise 3 is a different symbol, positive, also
printed as ``gamma``:

>>> gamma_kernel.is_positive, gamma_kernel == gamma
(True, False)
"""

from __future__ import annotations

import sympy as sp

# Dimensions: data space R^d, code space R^k.
d = sp.Symbol("d", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)

# Exercise 1: linear model f(x) = w^T x + b, Gaussian (mu, Sigma), generator x = A z + c.
x = sp.MatrixSymbol("x", d, 1)
w = sp.MatrixSymbol("w", d, 1)
mu = sp.MatrixSymbol("mu", d, 1)
Sigma = sp.MatrixSymbol("Sigma", d, d)
A = sp.MatrixSymbol("A", d, k)
c = sp.MatrixSymbol("c", d, 1)
z = sp.MatrixSymbol("z", k, 1)
b = sp.Symbol("b", real=True)
lam = sp.Symbol("lambda", positive=True)

#: Facts about the matrix symbols, for ``sympy.ask`` / ``sympy.refine``.
MATRIX_ASSUMPTIONS = sp.Q.symmetric(Sigma) & sp.Q.positive_definite(Sigma)

# Exercise 2: inputs of the min networks and the LRP-gamma parameter.
a1 = sp.Symbol("a1", nonnegative=True)
a2 = sp.Symbol("a2", nonnegative=True)
gamma = sp.Symbol("gamma", nonnegative=True)

# Exercise 3: kernel width (positive) and the layer-1 outputs of the neuralized SVM.
gamma_kernel = sp.Symbol("gamma", positive=True)
h1, h2, h3 = sp.symbols("h1 h2 h3", real=True)


def hs(m: int) -> tuple[sp.Symbol, ...]:
    """The layer-1 outputs ``h1, …, hm`` of a neuralized SVM with ``m`` support vectors.

    >>> hs(3) == (h1, h2, h3)
    True
    """
    return tuple(sp.Symbol(f"h{i}", real=True) for i in range(1, m + 1))

#: Every name a user may write in an answer, by the name they write.
BY_NAME: dict[str, sp.Basic] = {
    "d": d,
    "k": k,
    "x": x,
    "w": w,
    "mu": mu,
    "Sigma": Sigma,
    "A": A,
    "c": c,
    "z": z,
    "b": b,
    "lambda": lam,
    "a1": a1,
    "a2": a2,
    "gamma": gamma,
    "h1": h1,
    "h2": h2,
    "h3": h3,
}
