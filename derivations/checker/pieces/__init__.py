"""Where two answers may differ: every piece of their case structure, settled one by one.

An answer made of ``min``, ``max``, ``|·|``, ``sign``, ``Heaviside`` and cases is one smooth
expression on each *piece*: a set of sign conditions ``c(x) < 0``, ``c(x) = 0`` or
``c(x) > 0`` on smooth expressions ``c`` (``max(0, λ² − 2·10⁸)`` has the pieces
``λ² − 2·10⁸ ≤ 0`` and ``≥ 0``; a nested ``max(0, min(a1, a2) − 10⁵)`` has three). The
difference ``D = yours − expected`` is cut into its pieces (:func:`pieces`); on each, ``D``
is one smooth expression ``D_p``. A piece is *settled* when

- its conditions contradict each other or the symbols' signs (it is empty);
- ``D_p`` cancels to 0 (after substituting the piece's equalities): the answers agree on it;
- points strictly inside it were compared exactly: drawn points
  (:mod:`derivations.checker.sampling`), or points found by :func:`witness`, a search that
  moves one parameter at a time onto the right side of a violated condition — exactly next
  to the roots of a polynomial condition (isolated to 10⁻²⁵, so a window of width 10⁻⁹ next
  to an irrational root is found), else across a sign change on a grid from 10⁻¹² to 10¹²,
  which also scales each matrix. The search is bounded in work (evaluations,
  :data:`SETTLE_EVALUATIONS`), never in time: it ends the same way on every machine.

A piece that is none of these stays *open*, and the checker does not answer "equal"
(:mod:`derivations.checker.verdict`).

Three modules: :mod:`~.structure` — the sign conditions and the pieces (:func:`pieces`,
:func:`reduce`, :func:`zero_on`); :mod:`~.witness` — the search for points inside a piece
(:func:`witness`, :func:`near_points`); :mod:`~.settling` — every piece settled
(:func:`settle`, :class:`Coverage`).

>>> from fractions import Fraction
>>> import sympy as sp
>>> from derivations.symbols import lam, w
>>> [p.label() for p in pieces(sp.Max(0, lam**2 - 2 * 10**8))]
['lambda**2 - 200000000 <= 0', 'lambda**2 - 200000000 >= 0']
>>> found, _ = witness(pieces(sp.Max(0, lam**2 - 2 * 10**8))[1], [{"lambda": Fraction(1)}],
...                    {"lambda": "positive"})
>>> found["lambda"] ** 2 > 2 * 10**8, found["lambda"]
(True, Fraction(14150, 1))
"""

from derivations.checker.pieces.settling import PER_PIECE, SETTLE_EVALUATIONS, Coverage, settle
from derivations.checker.pieces.structure import (
    MAX_PIECES,
    Piece,
    TooManyPieces,
    Unsupported,
    add_condition,
    count_pieces,
    pieces,
    reduce,
    zero_on,
)
from derivations.checker.pieces.witness import (
    around_roots,
    holds,
    inside,
    near_points,
    root_intervals,
    simplest_between,
    witness,
)

__all__ = [
    "MAX_PIECES",
    "PER_PIECE",
    "SETTLE_EVALUATIONS",
    "Coverage",
    "Piece",
    "TooManyPieces",
    "Unsupported",
    "add_condition",
    "around_roots",
    "count_pieces",
    "holds",
    "inside",
    "near_points",
    "pieces",
    "reduce",
    "root_intervals",
    "settle",
    "simplest_between",
    "witness",
    "zero_on",
]
