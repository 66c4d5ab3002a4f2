r"""Exercise 2 numerically: the min networks in PyTorch, LRP-γ three ways.

The networks are built from the weight data of :mod:`derivations.min_networks` (``W_l[j, k]``
is the weight from unit ``j`` to unit ``k``, so ``nn.Linear.weight = W_lᵀ``): ``Linear``,
``ReLU``, …, ``Linear``, bias-free, float64.

LRP-γ (from ``R = y`` at the top down, the sheet's rule in every layer)

    ``R_j = Σ_k a_j (w_jk + γ w_jk⁺) / Σ_j' a_j' (w_j'k + γ w_j'k⁺) · R_k``   (0/0 → 0)

is computed

- by :func:`lrp_torch`: the modified-gradient rules of the LRP engine :mod:`vgg.engine` (the
  code that explains VGG-16), Gradient × Input of the modified network;
- by :func:`lrp_numpy`: the formula above with explicit sums over ``j`` and ``k``;
- symbolically by :mod:`derivations` (answers ``2b.*``), lambdified.

>>> net = torch_network(NETWORKS["i"])
>>> net
Sequential(
  (0): Linear(in_features=2, out_features=2, bias=False)
  (1): ReLU()
  (2): Linear(in_features=2, out_features=1, bias=False)
)
>>> a = np.array([[3.0, 1.0]])
>>> net(torch.as_tensor(a)).item()
1.0
>>> lrp_torch(net, a, gamma=0.0).tolist()      # LRP-0: R1 + R2 = y
[[0.0, 1.0]]
>>> lrp_numpy(weight_arrays(NETWORKS["i"]), a[0], gamma=0.0).tolist()
[0.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp
import torch
from torch import nn

from derivations.answers import spec
from derivations.min_networks import NETWORKS, Network
from derivations.symbols import a1, a2, gamma
from numerics.evaluate import compile_answer
from numerics.rows import Row
from vgg.engine import Gamma, relevance

#: Every comparison of Exercise 2: ``|Δ| / max(1, a1, a2)``. Each relevance is a few sums of
#: at most 2 terms divided by a denominator that is either exactly 0 (the sheet's 0/0) or at
#: least the smaller input times min(1, γ) — no cancellation — so float64 rounding is a few
#: ε per layer, ≤ 1e-14 relative; 1e-12 leaves two orders. (Observed over 12 seeds:
#: ≤ 5.2e-14.)
TOLERANCE = 1e-12

#: Input values of the grid (with random ones drawn from the seed): zeros, ties (every
#: value is paired with itself), and a large spread.
A_VALUES: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 3.25, 10.0, 1e3)
#: LRP-γ values of the grid: γ = 0 (LRP-0), small, moderate, large.
GAMMAS: tuple[float, ...] = (0.0, 1e-3, 0.1, 0.25, 1.0, 2.5, 10.0, 1e3, 1e6)
#: How many random input values the seed adds to :data:`A_VALUES`.
RANDOM_VALUES = 4


def weight_arrays(network: Network) -> list[np.ndarray]:
    """The weight matrices ``W_l`` (``W_l[j, k] = w_jk``) as float64 arrays."""
    return [np.array(W.tolist(), dtype=np.float64) for W in network.weights]


def torch_network(network: Network, dtype: torch.dtype = torch.float64) -> nn.Sequential:
    """``nn.Sequential(Linear, ReLU, …, Linear)``, bias-free, ``Linear.weight = W_lᵀ``."""
    weights = weight_arrays(network)
    modules: list[nn.Module] = []
    for depth, W in enumerate(weights):
        linear = nn.Linear(W.shape[0], W.shape[1], bias=False, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(W.T, dtype=dtype))
        modules.append(linear)
        if depth < len(weights) - 1:
            modules.append(nn.ReLU())
    return nn.Sequential(*modules).eval()


def lrp_torch(module: nn.Sequential, a: np.ndarray, gamma: float) -> np.ndarray:
    """LRP-γ relevance of the inputs, ``R`` shaped like ``a`` (``n×2``), by
    :func:`vgg.engine.relevance` with :class:`vgg.engine.Gamma` on every ``Linear``."""
    layers = list(module.named_children())
    rules = {name: Gamma(float(gamma)) for name, m in layers if isinstance(m, nn.Linear)}
    x = torch.as_tensor(np.asarray(a, dtype=np.float64))
    return relevance(layers, x, target=0, rules=rules).numpy()


def forward_numpy(weights: Sequence[np.ndarray], a: np.ndarray) -> list[np.ndarray]:
    """Activations of every layer, ``[a⁽⁰⁾, a⁽¹⁾, …, y]``: ``a⁽ˡ⁺¹⁾_k = ρ(Σ_j a⁽ˡ⁾_j w_jk)``,
    linear output."""
    layers = [np.asarray(a, dtype=np.float64)]
    for depth, W in enumerate(weights):
        pre = np.array([sum(layers[-1][j] * W[j, k] for j in range(W.shape[0]))
                        for k in range(W.shape[1])])
        layers.append(pre if depth == len(weights) - 1 else np.maximum(pre, 0.0))
    return layers


def lrp_numpy(weights: Sequence[np.ndarray], a: np.ndarray, gamma: float) -> np.ndarray:
    """The sheet's LRP-γ rule with explicit sums, one input ``a`` (shape ``(2,)``):
    ``R_j = Σ_k [a_j (w_jk + γ w_jk⁺) / Σ_j' a_j' (w_j'k + γ w_j'k⁺)] R_k`` from ``R = y``,
    a term with vanishing denominator contributing 0 where its numerator vanishes too (the
    sheet's convention, 0/0); where it does not, the rule is undefined and every ``R_j`` is
    NaN (as :func:`derivations.relu_lrp.lrp_gamma` raises), so a comparison fails there.

    >>> lrp_numpy([np.eye(2), np.array([[1.0], [-2.0]])], np.array([1.0, 1.0]), gamma=1.0)
    array([nan, nan])
    """
    activations = forward_numpy(weights, a)
    R = activations[-1]
    for depth in range(len(weights) - 1, -1, -1):
        W, act = weights[depth], activations[depth]
        lower = np.zeros(W.shape[0])
        for k in range(W.shape[1]):
            z = [act[j] * (W[j, k] + gamma * max(W[j, k], 0.0)) for j in range(W.shape[0])]
            denominator = sum(z)
            if denominator == 0:
                if R[k] != 0 and any(z):
                    return np.full(len(a), np.nan)  # x/0 with relevance to spread: undefined
                continue  # the sheet's convention: 0/0 contributes 0
            for j in range(W.shape[0]):
                lower[j] += z[j] / denominator * R[k]
        R = lower
    return R


@dataclass(frozen=True)
class Grid:
    """All ``(a1, a2, γ)`` of the comparison, flattened (``a1 = a2`` included)."""

    a: np.ndarray       # n×2
    gamma: np.ndarray   # n

    @property
    def scale(self) -> np.ndarray:
        """``max(1, a1, a2)`` per point, the error's denominator."""
        return np.maximum(1.0, self.a.max(axis=1))

    def ties(self) -> Grid:
        """The points with ``a1 = a2``."""
        keep = self.a[:, 0] == self.a[:, 1]
        return Grid(self.a[keep], self.gamma[keep])


def input_values(seed: int) -> np.ndarray:
    """:data:`A_VALUES` and :data:`RANDOM_VALUES` values uniform in (0, 20) from the seed."""
    extra = np.random.default_rng(seed).uniform(0.0, 20.0, RANDOM_VALUES)
    return np.concatenate([np.array(A_VALUES), extra])


def grid(seed: int, gammas: Sequence[float] = GAMMAS) -> Grid:
    """Every pair of :func:`input_values` (ties and zeros included) times every γ."""
    values = input_values(seed)
    v1, v2, g = np.meshgrid(values, values, np.asarray(gammas, dtype=float), indexing="ij")
    return Grid(np.stack([v1.ravel(), v2.ravel()], axis=1), g.ravel())


def torch_relevances(module: nn.Sequential, points: Grid) -> np.ndarray:
    """:func:`lrp_torch` at every grid point (batched per γ), ``n×2``."""
    out = np.empty_like(points.a)
    for g in np.unique(points.gamma):
        sel = points.gamma == g
        out[sel] = lrp_torch(module, points.a[sel], g)
    return out


def numpy_relevances(weights: Sequence[np.ndarray], points: Grid) -> np.ndarray:
    """:func:`lrp_numpy` at every grid point, ``n×2``."""
    return np.array([lrp_numpy(weights, a, g) for a, g in zip(points.a, points.gamma,
                                                               strict=True)])


#: Relations as written in a row's text.
_RELATIONS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def condition_text(condition: sp.Basic) -> str:
    """Where an answer holds, as a row's text says it (not SymPy's ``Eq(a1, a2)``).

    >>> a, b = sp.symbols("a1 a2")
    >>> condition_text(sp.Eq(a, b)), condition_text(sp.And(a > 0, b > 0))
    ('a1 = a2', 'a1 > 0 and a2 > 0')
    """
    if isinstance(condition, sp.And):
        return " and ".join(condition_text(c) for c in condition.args)
    if isinstance(condition, sp.core.relational.Relational):
        return f"{condition.lhs} {_RELATIONS[condition.rel_op]} {condition.rhs}"
    return str(condition)


def restrict(points: Grid, condition: sp.Basic) -> np.ndarray:
    """The mask of the grid points satisfying ``condition`` (in a1, a2, γ).

    >>> bool(restrict(grid(0), a1 > a2).sum() == restrict(grid(0), a2 > a1).sum() > 0)
    True
    """
    holds = compile_answer(sp.sympify(condition), (a1, a2, gamma))
    return np.asarray(holds(points.a[:, 0], points.a[:, 1], points.gamma), dtype=float) != 0


def derived(answers: Mapping[str, sp.Basic], key: str, points: Grid) -> np.ndarray:
    """The lambdified answer ``key`` (an expression in a1, a2, γ) at every grid point."""
    f = compile_answer(answers[key], (a1, a2, gamma))
    return f(points.a[:, 0], points.a[:, 1], points.gamma)


def missing(key: str) -> Row:
    """The failed row of an answer that :mod:`derivations.answers` does not provide."""
    return Row(key, f"answer {key} is missing from derivations.answers", float("inf"),
               TOLERANCE, False)


def worst_points(values: np.ndarray, reference: np.ndarray, points: Grid,
                 count: int = 3) -> list[dict[str, float]]:
    """The ``count`` grid points with the largest ``|Δ|/max(1, a1, a2)`` (NaN first), for
    the row's details: where a disagreement is, not only how large."""
    err = np.abs(values - reference) / points.scale
    err = np.where(np.isnan(err), np.inf, err)
    order = np.argsort(-err, kind="stable")[:count]
    return [{"a1": float(points.a[i, 0]), "a2": float(points.a[i, 1]),
             "gamma": float(points.gamma[i]), "value": float(values[i]),
             "reference": float(reference[i])} for i in order if err[i] > 0]


def _row(check: str, compared: str, values: np.ndarray, reference: np.ndarray,
         points: Grid) -> Row:
    return Row.of(check, compared, np.abs(values - reference) / points.scale, TOLERANCE,
                  worst=worst_points(values, reference, points))


def network_rows(name: str, answers: Mapping[str, sp.Basic], seed: int) -> list[Row]:
    """The rows of one network ``name`` (``"i"`` or ``"ii"``)."""
    network = NETWORKS[name]
    module, weights = torch_network(network), weight_arrays(network)
    points = grid(seed)
    out: list[Row] = []
    gammas = f"{{{', '.join(f'{g:g}' for g in GAMMAS)}}}"
    where = (f"{len(points.a)} points (a1, a2) ∈ {len(input_values(seed))}² values incl. 0 "
             f"and ties, γ ∈ {gammas}")

    # 2a: the network computes min(a1, a2), and the derived output formula.
    inputs = Grid(points.a[points.gamma == GAMMAS[0]], np.zeros(0))
    with torch.no_grad():
        y = module(torch.as_tensor(inputs.a))[:, 0].numpy()
    n_in = f"{len(inputs.a)} points (a1, a2) incl. 0 and ties"
    out.append(Row.of(f"2a ({name}) computes min", f"torch network ({name}) vs "
                      f"numpy.minimum(a1, a2) on {n_in}: |Δ|/max(1, a1, a2)",
                      np.abs(y - inputs.a.min(axis=1)) / inputs.scale, TOLERANCE))
    key = f"2a.{name}"
    if key not in answers:
        out.append(missing(key))
    else:
        ref = compile_answer(answers[key], (a1, a2))(inputs.a[:, 0], inputs.a[:, 1])
        out.append(Row.of(f"2a ({name}) derived output", f"torch network ({name}) vs "
                          f"answer {key} on {n_in}: |Δ|/max(1, a1, a2)",
                          np.abs(y - ref) / inputs.scale, TOLERANCE))

    # 2b: LRP-γ by vgg.engine, by explicit sums, and the derived relevances.
    torch_r = torch_relevances(module, points)
    numpy_r = numpy_relevances(weights, points)
    out.append(Row.of(f"2b ({name}) LRP-γ NumPy vs vgg.engine",
                      f"R1, R2 by explicit sums vs modified gradient (vgg.engine.Gamma) at {where}:"
                      " |Δ|/max(1, a1, a2)",
                      np.abs(numpy_r - torch_r) / points.scale[:, None], TOLERANCE))
    for key, index, what in (
        (f"2b.{name}", 0, "R1"),
        (f"2b.{name}.R2", 1, "R2"),
        (f"2b.{name}.general", 0, "R1"),
    ):
        if key not in answers:
            out.append(missing(key))
            continue
        condition = spec(key).conditions  # where the answer holds, e.g. a1 = a2
        sel = restrict(points, condition)
        pts = Grid(points.a[sel], points.gamma[sel])
        ref = derived(answers, key, pts)
        where_key = (f"{what} at the {sel.sum()} grid points where {condition_text(condition)} "
                     f"({len(input_values(seed))}² values (a1, a2), γ ∈ {gammas})")
        for method, values in (("vgg.engine", torch_r), ("NumPy", numpy_r)):
            out.append(_row(f"{key} {method}", f"{where_key}: LRP-γ by {method} vs answer "
                            f"{key}, |Δ|/max(1, a1, a2)", values[sel, index], ref, pts))
    return out


def check(seed: int, answers: Mapping[str, sp.Basic]) -> list[Row]:
    """Exercise 2: both networks' rows."""
    return [row for name in NETWORKS for row in network_rows(name, answers, seed)]


__all__ = [
    "condition_text",
    "A_VALUES",
    "GAMMAS",
    "TOLERANCE",
    "Grid",
    "check",
    "forward_numpy",
    "grid",
    "lrp_numpy",
    "lrp_torch",
    "network_rows",
    "torch_network",
    "weight_arrays",
]
