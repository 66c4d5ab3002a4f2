"""Exercise 2: the two bias-free ReLU networks computing ``min(a1, a2)``, as data.

A network is its weight matrices and nothing else. ``weights[l][j, k]`` is the weight
``w_jk`` from unit ``j`` of layer ``l`` to unit ``k`` of layer ``l + 1``; every layer but the
last applies ρ(t) = max(0, t), the last is linear. No biases.

>>> NETWORKS["i"].weights[0]
Matrix([
[1,  1],
[0, -1]])
>>> NETWORKS["ii"].weights[1].T
Matrix([[-1, 1]])

Another reading of the sheet's damaged figure is one line:
``Network("iii", (sp.Matrix([[1, 0], [0, 1]]), sp.Matrix([[1], [1]])))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Network:
    """A bias-free ReLU network: ``a^(l+1) = ρ(W_lᵀ a^(l))``, output ``y = W_Lᵀ a^(L)``."""

    name: str
    weights: tuple[sp.Matrix, ...]


#: Network (i): a3 = ρ(a1), a4 = ρ(a1 − a2), y = a3 − a4.
#: Network (ii): a3 = ρ(a2 − a1), a4 = ρ(a2), y = a4 − a3.
NETWORKS: dict[str, Network] = {
    "i": Network("i", (sp.Matrix([[1, 1], [0, -1]]), sp.Matrix([[1], [-1]]))),
    "ii": Network("ii", (sp.Matrix([[-1, 0], [1, 1]]), sp.Matrix([[-1], [1]]))),
}
