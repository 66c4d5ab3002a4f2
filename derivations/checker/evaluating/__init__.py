"""An answer's value at a point, exactly: rationals stay rationals, never floats.

A point gives every scalar symbol a :class:`~fractions.Fraction` and every matrix symbol a
:class:`Mat` of fractions, by name (the dimensions ``d`` and ``k`` are integers). The
evaluator walks the expression tree — it knows exactly the node types an answer can contain
(sums, products, powers, ``Min``, ``Max``, ``Piecewise``, ``Heaviside``, matrix products,
transposes, inverses, ``1×1`` entries) and never executes generated code — in exact rational
arithmetic. Only an operation whose result is not rational (``exp``, ``log``, a root that is
not exact, ``π``) moves to :data:`DIGITS`-digit floating point (mpmath); the value then says
so (:func:`is_exact`). So two rational answers are compared for equality, not closeness:
``0.49999999·w/λ`` (read as ``49999999/10⁸·w/λ``) differs from ``w/(2λ)`` at every point.

Where an answer has no value (a division by zero, a singular inverse, the log of a negative
number) the result is :data:`UNDEFINED`, never an exception. With ``zero_over_zero`` (the
sheet's LRP convention, Exercise 2), a quotient whose numerator and denominator both vanish
is 0 instead.

Two modules: :mod:`~.values` — the values (fractions, mpmath numbers, :class:`Mat`,
:data:`UNDEFINED`), their arithmetic and :func:`agree`; :mod:`~.walk` — the tree walk,
one rule per node type (:data:`~.walk.RULES`), and :func:`value`.

>>> from fractions import Fraction
>>> import sympy as sp
>>> from derivations.symbols import A, w, lam, a1, a2
>>> point = {"d": 2, "k": 1, "A": Mat.of([[1], [2]]), "w": Mat.of([[1], [0]]),
...          "lambda": Fraction(1, 2)}
>>> value(A * A.T * w / (2 * lam), point) == Mat.of([[1], [2]])
True
>>> value(sp.Piecewise((a1, a1 < a2), (a2, True)), {"a1": Fraction(3), "a2": Fraction(1)})
Fraction(1, 1)
>>> value(a1 * (a1 - a2) / (a1 - a2), {"a1": Fraction(2), "a2": Fraction(2)})  # SymPy: a1
Fraction(2, 1)
>>> value(sp.Mul(a1 - a2, sp.Pow(a1 - a2, -1, evaluate=False), evaluate=False),
...       {"a1": Fraction(2), "a2": Fraction(2)}, zero_over_zero=True)
Fraction(0, 1)
"""

from derivations.checker.evaluating.values import (
    AGREE_DIGITS,
    DIGITS,
    PRECISE_AGREE,
    PRECISE_DIGITS,
    UNDEFINED,
    Mat,
    agree,
    identity,
    is_defined,
    is_exact,
    shape,
    to_float,
)
from derivations.checker.evaluating.walk import EvaluationError, dimension, value

__all__ = [
    "AGREE_DIGITS",
    "DIGITS",
    "PRECISE_AGREE",
    "PRECISE_DIGITS",
    "UNDEFINED",
    "EvaluationError",
    "Mat",
    "agree",
    "dimension",
    "identity",
    "is_defined",
    "is_exact",
    "shape",
    "to_float",
    "value",
]
