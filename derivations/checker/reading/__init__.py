"""Read a typed answer (text or LaTeX) into a shape-checked SymPy expression.

A recursive-descent parser over :mod:`derivations.checker.tokens`, written for the sheet's
notation rather than borrowed from SymPy's parsers, so that nothing is silently misread:

* ``lambda`` is the symbol λ (not Python's keyword), ``gamma`` the LRP parameter γ (not the
  gamma function: ``gamma(a1)`` is read as γ·a1, with a note);
* ``A^T``, ``A^\\top``, ``A.T``, ``A'`` and ``Aᵀ`` are transposes, never powers;
  ``Sigma^-1``, ``\\Sigma^{-1}``, ``inv(Sigma)`` are inverses; ``(t)^+`` is max(0, t);
* matrix symbols multiply as matrices: non-commutatively, with their shapes checked;
* implicit multiplication (``2 lambda``, ``A A^T w``) has the precedence of ``*``, and a
  ``/`` followed by an implicit product gets a note on how it was read;
* ``x^* = ...`` or ``R_1 = ...``: the part after the last ``=`` is the answer;
* TeX's ``{a \\over b}`` is a/b (the whole group on each side); ``\\min_{j=1}^{3} h_j`` is
  min(h1, h2, h3), ``\\min_j h_j`` the minimum over any number of units, and a condition
  under ``\\min`` is read whole (``\\min_{i \\ne 1} h_i`` is the minimum over i = 2, …, M)
  or refused by name (``\\min_{i \\in S}``); a ``+ 0`` fits any shape;
* ``h_i(x)`` is the unit h_i (the sheet writes its units as functions of x), ``I``, ``I_d``,
  ``I_k`` the identity; ``\\boxed``, ``\\operatorname{min}``, a final period are read;
* exponents are bounded as the answer is read, before SymPy builds anything large: at most
  :data:`MAX_EXPONENT` each, at most :data:`MAX_DEGREE` for the whole expression as written
  (:func:`degree`, so ``((λ+1)^100)^100`` is refused too), and never a variable (``2^λ``) —
  the refusal says "exponent too large" or why.

Every name comes from :mod:`derivations.symbols`. Errors carry the offset in the input.

The grammar is apart from the handlers, one module per concern:

- :mod:`~.reader` — the cursor over the tokens and the state of one reading;
- :mod:`~.grammar` — the precedence levels (sums, products, implicit products, powers,
  postfix marks, atoms), with tables of the atoms, marks and exponents;
- :mod:`~.names` — the sheet's symbols, calls, runs of names (``AA``), special names;
- :mod:`~.latex_commands` — ``\\frac``, ``\\sqrt``, ``\\over``: one handler per command;
- :mod:`~.functions` — ``min``, ``exp``, ``inv``, ``norm``, … (a table), ``‖x‖``, ``|t|``;
- :mod:`~.cases` — ``cases``, ``Piecewise``, the indicator ``𝟙[…]`` and conditions;
- :mod:`~.units` — ``\\min_j h_j`` and ``min(h_1, …, h_M)`` over the units of 3b;
- :mod:`~.index_sets` — the condition under ``\\min_{…}``: one handler per relation;
- :mod:`~.applications` — ``h_i(x)``, and the sheet's functions of x that are no names;
- :mod:`~.identity` — ``I``, ``I_d``, ``I_k`` (``I`` of the size that fits);
- :mod:`~.shapes` — every operation's shape check, :class:`AnswerShapeError`;
- :mod:`~.limits` — exponent, degree, digit and depth bounds;
- :mod:`~.answer` — :func:`parse_answer`: delimiters, labels, a final period, the d = k
  fallback.

Errors carry the offset of the problem (``position``, counted from 0) and say it in their
message counted from 1 (:meth:`AnswerSyntaxError.located`).

>>> str(parse_answer("w/(2*lambda)").expr)
'(1/(2*lambda))*w'
>>> str(parse_answer(r"\\frac{1}{2\\lambda} A A^\\top w + c").expr)
'(1/(2*lambda))*A*A.T*w + c'
>>> parse_answer("gamma(a1 + a2)").notes[0]
'read `gamma(...)` as γ·(...): gamma is the LRP parameter γ, not the gamma function'
>>> parse_answer("w w")
Traceback (most recent call last):
...
derivations.checker.reading.shapes.AnswerShapeError: cannot multiply `w` (d×1 vector) by `w` ...
"""

from derivations.checker.reading.answer import Parsed, parse_answer
from derivations.checker.reading.limits import MAX_DEGREE, MAX_DIGITS, MAX_EXPONENT, degree
from derivations.checker.reading.reader import UnknownSymbolError
from derivations.checker.reading.scalar1x1 import Scalar1x1, opaque_1x1
from derivations.checker.reading.shapes import AnswerShapeError, shape_text
from derivations.checker.reading.units import IndexedMax, IndexedMin, NoUnits, instantiate
from derivations.checker.tokens import AnswerSyntaxError

__all__ = [
    "MAX_DEGREE",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "AnswerShapeError",
    "AnswerSyntaxError",
    "IndexedMax",
    "IndexedMin",
    "NoUnits",
    "Parsed",
    "Scalar1x1",
    "opaque_1x1",
    "UnknownSymbolError",
    "degree",
    "instantiate",
    "parse_answer",
    "shape_text",
]
