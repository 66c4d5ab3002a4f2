"""An answer's value at a point: exact rationals, or certified enclosures — never rounded.

A point gives every scalar symbol a :class:`~fractions.Fraction` and every matrix symbol a
:class:`Mat` of fractions, by name (the dimensions ``d`` and ``k`` are integers). The
evaluator walks the expression tree — it knows exactly the node types an answer can contain
(sums, products, powers, ``Min``, ``Max``, ``Piecewise``, ``Heaviside``, matrix products,
transposes, inverses, ``1×1`` entries) and never executes generated code — in exact rational
arithmetic. Only an operation whose result is not rational (``exp``, ``log``, a root that is
not exact, ``π``) gives an :class:`~.enclosures.Approx`: an exact part plus an interval that
certainly contains the rest, at a working precision of 64 to 4096 bits
(:data:`~.enclosures.PRECISIONS`). So two rational answers are compared for equality, not
closeness (``0.49999999·w/λ``, read as ``49999999/10⁸·w/λ``, differs from ``w/(2λ)`` at
every point), and two values that are not rational are *different* only where the enclosure
of their difference excludes 0 (:func:`compare`) — an enclosure that contains 0 is never
taken for equality.

Where an answer has no value (a division by zero, a singular inverse, the log of a negative
number) the result is :data:`UNDEFINED`, never an exception. With ``zero_over_zero`` (the
sheet's LRP convention, Exercise 2), a quotient whose numerator and denominator both vanish
is 0 instead. A decision the enclosures cannot make (the sign of a value not separated from
0) raises :class:`Undecided`: the caller retries at a higher precision or gives the point up.

Three modules: :mod:`~.enclosures` — the certified numbers that are not rational and their
functions; :mod:`~.values` — the values (fractions, enclosures, :class:`Mat`,
:data:`UNDEFINED`), their arithmetic and :func:`compare`; :mod:`~.walk` — the tree walk, one
rule per node type (:data:`~.walk.RULES`), and :func:`value`.

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
>>> tiny = value(a1 * sp.exp(-a1 * 10**6), {"a1": Fraction(1)})   # e^{-10⁶}: not 0
>>> compare(tiny, Fraction(0)).value
'different'
"""

from derivations.checker.evaluating.enclosures import PRECISIONS, Approx, Undecided
from derivations.checker.evaluating.values import (
    UNDEFINED,
    Mat,
    Relation,
    agree,
    compare,
    identity,
    is_defined,
    is_exact,
    shape,
    sign,
    to_float,
)
from derivations.checker.evaluating.walk import EvaluationError, dimension, value

__all__ = [
    "PRECISIONS",
    "UNDEFINED",
    "Approx",
    "EvaluationError",
    "Mat",
    "Relation",
    "Undecided",
    "agree",
    "compare",
    "dimension",
    "identity",
    "is_defined",
    "is_exact",
    "shape",
    "sign",
    "to_float",
    "value",
]
