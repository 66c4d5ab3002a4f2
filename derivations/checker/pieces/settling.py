"""Every piece of ``yours − expected`` settled, or left open (never guessed).

A piece is *settled* when its conditions contradict each other or the symbols' signs, when
the difference cancels on it, or when points strictly inside it were compared exactly: drawn
points, or points :func:`~derivations.checker.pieces.witness.witness` found. :func:`settle`
says how every piece was settled (:class:`Coverage`); a piece that is none of these stays
*open*, and the checker does not answer "equal".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derivations.checker.pieces.structure import (
    TooManyPieces,
    Unsupported,
    count_pieces,
    reduce,
    zero_on,
)
from derivations.checker.pieces.witness import WITNESS_EVALUATIONS, holds, near_points, witness

__all__ = ["PER_PIECE", "SETTLE_EVALUATIONS", "Coverage", "settle"]


@dataclass(frozen=True)
class Coverage:
    """How every piece of ``yours − expected`` was settled (see the module docstring)."""

    pieces: int = 0
    empty: int = 0          # contradictory conditions (dropped while cutting)
    zero: int = 0           # the difference cancels to 0 on the piece
    sampled: int = 0        # points strictly inside were compared
    found: tuple[dict[str, Any], ...] = ()   # points the search found (to compare)
    open: tuple[str, ...] = ()               # pieces (or reasons) left unsettled

    def sentence(self) -> str:
        """``"every piece of the case structure settled (4 pieces: 2 contradictory, …)"``."""
        parts = [f"{self.empty} contradictory" if self.empty else "",
                 f"{self.zero} where the difference cancels" if self.zero else "",
                 f"{self.sampled} with compared points strictly inside" if self.sampled else ""]
        found = f"; {len(self.found)} of the points found there by search" if self.found else ""
        return (f"every piece of the case structure settled ({self.pieces + self.empty} pieces: "
                + ", ".join(p for p in parts if p) + found + ")")


#: Interior points a piece needs before it counts as sampled.
PER_PIECE = 2


#: Most evaluations the witness searches of one :func:`settle` spend in all (a budget in
#: work: the pieces past it stay open on every machine alike).
SETTLE_EVALUATIONS = 4_000


def settle(difference: sp.Basic, points: Sequence[Mapping[str, Any]], kinds: Mapping[str, str],
           admissible: Callable[[Mapping[str, Any]], bool], ties: Mapping[str, str],
           budget: int = SETTLE_EVALUATIONS) -> Coverage:
    """Settle every piece of ``difference`` (``yours − expected``, conditions applied):
    ``points`` are the compared points (their values); pieces with fewer than
    :data:`PER_PIECE` of them strictly inside and no cancelling difference get points by
    :func:`witness` and :func:`near_points`, returned in ``found`` for the exact comparison.
    Stops when the searches have spent ``budget`` evaluations, leaving the rest open."""
    spent = 0
    try:
        cut, dropped = count_pieces(difference)
        first_dropped = dropped
    except TooManyPieces as exc:
        return Coverage(open=(str(exc),))
    except Unsupported as exc:
        return Coverage(open=(f"cannot cut into pieces: {exc}",))
    signs: dict[sp.Expr, list[bool]] = {}
    zero = sampled = 0
    found: list[dict[str, Any]] = []
    unsettled: list[str] = []
    for n, piece in enumerate(cut):
        if spent >= budget:
            unsettled += [p.label() for p in cut[n:]]
            break
        hits = [True] * len(points)
        for key, allowed in piece.conds:
            mark = (key, allowed)
            if mark not in signs:
                signs[mark] = [holds(key, allowed, p) for p in points]
            hits = [h and g for h, g in zip(hits, signs[mark], strict=True)]
        if sum(hits) >= PER_PIECE:
            sampled += 1
            continue
        try:
            reduced = reduce(piece)
        except Unsupported:
            reduced = piece
        if reduced is None:
            dropped += 1
            continue
        if zero_on(reduced):
            zero += 1
            continue
        point, used = witness(reduced, list(points), kinds, admissible,
                              min(WITNESS_EVALUATIONS, budget - spent), ties)
        spent += used
        if point is None:
            unsettled.append(piece.label())
            continue
        found += [point, *near_points(reduced, point, kinds, admissible, ties, seed=n)]
        sampled += 1
    return Coverage(len(cut) - (dropped - first_dropped), dropped, zero, sampled, tuple(found),
                    tuple(unsettled))
