"""Sets of ordering regions ("cells") named in the fewest words that read one way.

The checker draws its points in the ordering regions of the symbols an answer compares: a
cell is a chain such as ``h1 < h2 = h3`` or ``0 < a2 < a1``. A union of cells is named by
the simplest description that holds on exactly those cells among all of them
(:func:`describe`): the cell itself, one relation (``a1 < a2`` or ``a2 < a1`` is
``a1 ≠ a2``; ``a1 < a2`` or ``a1 = a2`` is ``a1 ≤ a2``), two relations joined by "and", or
else the cells listed. A cell with ``=`` in it is a tie, a set of measure zero.

>>> cells = ["a1 < a2", "a2 < a1", "a1 = a2"]
>>> describe(["a1 < a2", "a2 < a1"], cells), describe(["a1 < a2", "a1 = a2"], cells)
(['a1 ≠ a2'], ['a1 ≤ a2'])
>>> describe(["h1 = h2 = h3"], ["h1 < h2 < h3", "h1 = h2 = h3"]), is_tie("h1 = h2 < h3")
(['h1 = h2 = h3'], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, permutations

__all__ = ["describe", "is_tie", "ranks"]

#: The relations tried, with how each reads two ranks.
_RELATIONS = {
    "≠": lambda a, b: a != b,
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "≤": lambda a, b: a <= b,
}


def is_tie(cell: str) -> bool:
    """Whether the cell ties two of its terms (a set of measure zero)."""
    return "=" in cell.split()


def ranks(cell: str) -> dict[str, int]:
    """Each term of a chain and its place: ``h1 < h2 = h3`` → h1: 0, h2: 1, h3: 1.

    >>> ranks("0 < a2 < a1")
    {'0': 0, 'a2': 1, 'a1': 2}
    """
    words = cell.split()
    out = {words[0]: 0} if words else {}
    rank = 0
    for op, term in zip(words[1::2], words[2::2], strict=False):
        rank += op != "="
        out[term] = rank
    return out


def _atoms(cells: Sequence[str]) -> list[tuple[str, set[str]]]:
    """Every relation between two terms present in every cell, with the cells it holds on."""
    places = {c: ranks(c) for c in cells}
    terms = [t for t in dict.fromkeys(t for c in cells for t in places[c])
             if all(t in places[c] for c in cells)]
    named = sorted(terms, key=lambda t: t[:1].isdigit())  # names before numbers
    out = []
    for x, y in permutations(named, 2):
        for op, holds in _RELATIONS.items():
            if op in "≠=" and named.index(x) > named.index(y):
                continue  # symmetric: one direction is enough
            out.append((f"{x} {op} {y}", {c for c in cells if holds(places[c][x], places[c][y])}))
    return out


def describe(chosen: Sequence[str], cells: Sequence[str], most: int = 4) -> list[str] | None:
    """Names for the union of the cells ``chosen`` among ``cells``, as few as read one way:
    one item (a cell, a relation, two relations joined by "and") or the cells listed (at
    most ``most``); None where none fits."""
    want, every = set(chosen), list(dict.fromkeys(cells))
    if len(want) == 1:
        return [next(iter(want))]
    atoms = _atoms(every)
    for text, holds in atoms:
        if holds == want:
            return [text]
    for (t1, h1), (t2, h2) in combinations(atoms, 2):
        if h1 & h2 == want:
            return [f"{t1} and {t2}"]
    return sorted(want, key=every.index) if len(want) <= most else None
