r"""Exercise 3 numerically: a real one-class SVM, neuralized in PyTorch.

scikit-learn's ``OneClassSVM`` (RBF kernel ``k(x, u) = exp(−γ‖x − u‖²)``) is fitted on
standardized features of ``load_wine``. Its support vectors ``u_i`` and dual coefficients
``α_i > 0`` give the inlier score ``f(x) = Σ_i α_i k(x, u_i)``; scikit-learn's
``decision_function`` is ``f(x) − ρ`` with ``ρ = offset_``, so ``f = decision_function +
offset_``. The sheet's two-layer network (:class:`NeuralizedSVM`)

- layer 1: ``h_i(x) = ‖x − u_i‖² − γ⁻¹ log α_i``,
- layer 2: ``o(x) = −(1/γ) log Σ_i exp(−γ h_i)`` (a soft min-pooling, by ``logsumexp``),

must equal ``−(1/γ) log f(x)`` (3a), and tend to ``min_i h_i`` as ``γ → ∞`` (3b), with
``min_i h_i − (log M)/γ ≤ o(x) ≤ min_i h_i`` at every ``γ``.

>>> net = NeuralizedSVM([[0.0], [2.0]], [1.0, 1.0], gamma=1.0)
>>> round(float(net(torch.tensor([[1.0]], dtype=torch.float64))), 6)   # −log(2e⁻¹) = 1 − log 2
0.306853
>>> NeuralizedSVM([[0.0]], [0.0], gamma=1.0)
Traceback (most recent call last):
...
ValueError: every α_i must be > 0 (log α_i is layer 1's bias); α_1 = 0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp
import torch
from numpy.typing import ArrayLike
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM
from torch import Tensor, nn

from derivations.symbols import h1, h2, h3
from numerics.evaluate import compile_answer
from numerics.plotting import WIDTH, plain_log_ticks, printed, pyplot, save_figure
from numerics.rows import Row

#: 3a: ``|Δ| / max(1, |reference|)`` between the network and scikit-learn's score.
#: scikit-learn returns ``f − ρ``; adding ``ρ`` back loses ``ε·ρ/f`` relatively where
#: ``f ≪ ρ`` (outliers), and ``o = −log f / γ`` inherits it divided by γ ≥ 0.1: for the
#: fits here ``ρ/f`` stays below 1e4, a bound of ~2e-11. (Observed over 12 seeds: ≤ 1.5e-12.)
TOLERANCE = 1e-9
#: 3b: tolerance of the sandwich bound (rounding of logsumexp), relative to max(1, min h).
SANDWICH_TOLERANCE = 1e-12
#: The wine features used (standardized): a few, so that the fit has a clear boundary.
FEATURES: tuple[str, ...] = ("alcohol", "malic_acid", "flavanoids", "color_intensity")
#: Kernel widths of the fits checked against scikit-learn (3a).
KERNEL_GAMMAS: tuple[float, ...] = (0.1, 0.5, 2.0)
#: The fit whose support vectors and weights are swept over γ (3b).
SWEEP_FIT_GAMMA = 0.5
#: γ values of the 3b sweep (the network's γ, with the fit's u_i and α_i).
SWEEP_GAMMAS: tuple[float, ...] = tuple(float(g) for g in np.logspace(-2, 4, 31))
#: ν of the fits (an upper bound on the fraction of outliers).
NU = 0.2
#: Fraction of the samples used for training; the rest are held out.
TRAIN_FRACTION = 0.7


class NeuralizedSVM(nn.Module):
    """``o(x) = −(1/γ) log Σ_i exp(−γ h_i(x))``, ``h_i(x) = ‖x − u_i‖² − γ⁻¹ log α_i``.

    ``support_vectors`` is ``M×d`` (``M ≥ 1``), ``alpha`` has ``M`` entries, all ``> 0``,
    ``gamma > 0``; anything else raises ``ValueError``. Computation in float64.
    """

    def __init__(self, support_vectors: ArrayLike, alpha: ArrayLike, gamma: float) -> None:
        super().__init__()
        u = np.asarray(support_vectors, dtype=np.float64)
        a = np.asarray(alpha, dtype=np.float64)
        if u.ndim != 2 or u.shape[0] == 0:
            raise ValueError(f"no support vectors: need an M×d array with M ≥ 1, got shape "
                             f"{u.shape}")
        if a.ndim == 2 and a.shape[0] == 1:   # scikit-learn's dual_coef_ is 1×M
            a = a[0]
        if a.shape != (u.shape[0],):
            raise ValueError(f"alpha has shape {a.shape}, expected ({u.shape[0]},): one weight "
                             "per support vector")
        if not (np.isfinite(u).all() and np.isfinite(a).all()):
            raise ValueError("support vectors and alpha must be finite")
        if not (a > 0).all():
            i = int(np.argmin(a > 0))
            raise ValueError(f"every α_i must be > 0 (log α_i is layer 1's bias); "
                             f"α_{i + 1} = {a[i]:g}")
        check_gamma(gamma)
        self.gamma = float(gamma)
        self.register_buffer("u", torch.as_tensor(u))
        self.register_buffer("log_alpha", torch.as_tensor(np.log(a)))

    @property
    def units(self) -> int:
        """``M``, the number of support vectors (layer-1 units)."""
        return int(self.u.shape[0])

    def hidden(self, x: Tensor) -> Tensor:
        """Layer 1, ``h_i(x) = ‖x − u_i‖² − γ⁻¹ log α_i``, shape ``n×M``."""
        diff = torch.as_tensor(x, dtype=torch.float64)[:, None, :] - self.u[None, :, :]
        return (diff * diff).sum(-1) - self.log_alpha / self.gamma

    def pool(self, h: Tensor) -> Tensor:
        """Layer 2, the soft min-pooling ``−(1/γ) log Σ_i exp(−γ h_i)`` (logsumexp)."""
        return -torch.logsumexp(-self.gamma * h, dim=-1) / self.gamma

    def forward(self, x: Tensor) -> Tensor:
        """``o(x)``, shape ``n``."""
        return self.pool(self.hidden(x))

    def with_gamma(self, gamma: float) -> NeuralizedSVM:
        """The same ``u_i``, ``α_i`` at another ``γ`` (both layers use it)."""
        return NeuralizedSVM(self.u.numpy(), np.exp(self.log_alpha.numpy()), gamma)

    @classmethod
    def from_sklearn(cls, model: OneClassSVM) -> NeuralizedSVM:
        """The network of a fitted RBF ``OneClassSVM``: ``u_i = support_vectors_``,
        ``α_i = dual_coef_``, ``γ`` the fit's kernel width."""
        if not hasattr(model, "support_vectors_"):
            raise ValueError("the OneClassSVM is not fitted: no support vectors")
        if model.kernel != "rbf":
            raise ValueError(f"neuralization needs the RBF kernel, not {model.kernel!r}")
        gamma = getattr(model, "_gamma", model.gamma)
        return cls(model.support_vectors_, model.dual_coef_, gamma)


def check_gamma(gamma: Any) -> float:
    """``gamma`` as a float if it is a positive finite number; else ``ValueError``.

    >>> check_gamma(-1)
    Traceback (most recent call last):
    ...
    ValueError: gamma must be a positive finite number (the kernel width), got -1
    """
    try:
        value = float(gamma)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError("gamma must be a positive finite number (the kernel width), "
                         f"got {gamma!r}")
    return value


def inlier_score(model: OneClassSVM, x: np.ndarray) -> np.ndarray:
    """``f(x) = Σ_i α_i k(x, u_i)`` from scikit-learn: ``decision_function(x) + offset_``
    (``decision_function`` subtracts ``ρ = offset_``)."""
    return model.decision_function(x) + float(np.ravel(model.offset_)[0])


@dataclass(frozen=True)
class Data:
    """Standardized wine features, split into training and held-out samples."""

    train: np.ndarray
    held_out: np.ndarray


def wine(seed: int) -> Data:
    """:data:`FEATURES` of ``load_wine``, a random split (from ``seed``), standardized with
    the training samples' mean and standard deviation."""
    bunch = load_wine()
    columns = [list(bunch.feature_names).index(f) for f in FEATURES]
    x = bunch.data[:, columns]
    order = np.random.default_rng(seed).permutation(len(x))
    cut = int(round(TRAIN_FRACTION * len(x)))
    scaler = StandardScaler().fit(x[order[:cut]])
    return Data(scaler.transform(x[order[:cut]]), scaler.transform(x[order[cut:]]))


def fit(data: Data, gamma: float, nu: float = NU) -> OneClassSVM:
    """``OneClassSVM(kernel="rbf", gamma=gamma, nu=nu)`` fitted on the training samples."""
    return OneClassSVM(kernel="rbf", gamma=check_gamma(gamma), nu=nu).fit(data.train)


def _o(net: NeuralizedSVM, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return net(torch.as_tensor(x)).numpy()


def identity_rows(data: Data, gammas: Sequence[float] = KERNEL_GAMMAS) -> list[Row]:
    """3a: on training and held-out samples, for fits at each γ, the network's ``o`` against
    ``−(1/γ) log f`` and ``exp(−γ o)`` against ``f`` (scikit-learn's score)."""
    models = {g: fit(data, g) for g in gammas}
    nets = {g: NeuralizedSVM.from_sklearn(model) for g, model in models.items()}
    units = [net.units for net in nets.values()]
    rows = []
    for part, x in (("training", data.train), ("held-out", data.held_out)):
        o_err, f_err = [], []
        for g, model in models.items():
            f = inlier_score(model, x)
            o = _o(nets[g], x)
            o_ref = -np.log(f) / g
            o_err.append(np.abs(o - o_ref) / np.maximum(1.0, np.abs(o_ref)))
            f_err.append(np.abs(np.exp(-g * o) - f) / f)
        where = (f"{len(x)} {part} samples, fits at γ ∈ {{{', '.join(f'{g:g}' for g in gammas)}}}"
                 f" (M = {', '.join(map(str, units))} support vectors)")
        rows.append(Row.of(f"3a network = −(1/γ) log f ({part})",
                           f"o(x) of the torch network vs −(1/γ) log(decision_function + offset_) "
                           f"on {where}: |Δ|/max(1, |o|)", np.concatenate(o_err), TOLERANCE,
                           support_vectors=units))
        rows.append(Row.of(f"3a exp(−γ o) = f ({part})",
                           f"exp(−γ o(x)) vs decision_function + offset_ on {where}: |Δ|/f",
                           np.concatenate(f_err), TOLERANCE))
    return rows


def layer_rows(data: Data) -> list[Row]:
    """3a: the torch layers against the derivation's own layer definitions
    (:func:`derivations.neuralization.layer1`, :func:`~derivations.neuralization.layer2`,
    lambdified), on the fit at :data:`SWEEP_FIT_GAMMA`, every sample."""
    from derivations.neuralization import layer1, layer2
    from derivations.symbols import gamma_kernel

    net = NeuralizedSVM.from_sklearn(fit(data, SWEEP_FIT_GAMMA))
    x = np.concatenate([data.train, data.held_out])
    weight, d2 = sp.Symbol("alpha_i", positive=True), sp.Symbol("d2_i", nonnegative=True)
    h_of = sp.lambdify((weight, d2, gamma_kernel), layer1(weight, d2), "numpy")
    hs = sp.symbols(f"h_1:{net.units + 1}", real=True)
    o_of = sp.lambdify((*hs, gamma_kernel), layer2(hs), "numpy")
    with torch.no_grad():
        h = net.hidden(torch.as_tensor(x)).numpy()
        o = net.pool(torch.as_tensor(h)).numpy()
    u = net.u.numpy()
    d2_values = ((x[:, None, :] - u[None, :, :]) ** 2).sum(-1)
    h_ref = h_of(np.exp(net.log_alpha.numpy())[None, :], d2_values, net.gamma)
    o_ref = o_of(*h.T, net.gamma)
    where = f"{len(x)} samples, M = {net.units}, γ = {net.gamma:g}"
    return [
        Row.of("3a layer 1 = derivation's layer1", f"h_i(x) of the torch network vs "
               f"derivations.neuralization.layer1 (lambdified) on {where}: |Δ|/max(1, |h|)",
               np.abs(h - h_ref) / np.maximum(1.0, np.abs(h_ref)), TOLERANCE),
        Row.of("3a layer 2 = derivation's layer2", f"soft-min by logsumexp vs "
               f"derivations.neuralization.layer2 (lambdified, direct log Σ exp) on {where}: "
               "|Δ|/max(1, |o|)", np.abs(o - o_ref) / np.maximum(1.0, np.abs(o_ref)),
               TOLERANCE),
    ]


@dataclass(frozen=True)
class Sweep:
    """``o`` and ``h`` of one network over :data:`SWEEP_GAMMAS` at the points ``x``."""

    gammas: np.ndarray     # G
    o: np.ndarray          # G×n
    min_h: np.ndarray      # G×n
    units: int

    @property
    def lower(self) -> np.ndarray:
        """The sandwich's lower bound ``min h − (log M)/γ``, G×n."""
        return self.min_h - math.log(self.units) / self.gammas[:, None]


def sweep(net: NeuralizedSVM, x: np.ndarray,
          gammas: Sequence[float] = SWEEP_GAMMAS) -> Sweep:
    """Evaluate ``net.with_gamma(γ)`` at ``x`` for every γ."""
    o, min_h = [], []
    with torch.no_grad():
        for g in gammas:
            at = net.with_gamma(g)
            h = at.hidden(torch.as_tensor(x))
            o.append(at.pool(h).numpy())
            min_h.append(h.min(dim=1).values.numpy())
    return Sweep(np.asarray(gammas, dtype=float), np.array(o), np.array(min_h), net.units)


def limit_rows(data: Data, answers: Mapping[str, sp.Basic]) -> tuple[list[Row], Sweep]:
    """3b: the sandwich bound at every γ, the gap at the largest γ, and the 3-unit network
    against the derived limit ``3b`` (lambdified ``Min(h1, h2, h3)``)."""
    net = NeuralizedSVM.from_sklearn(fit(data, SWEEP_FIT_GAMMA))
    x = np.concatenate([data.train, data.held_out])
    s = sweep(net, x)
    scale = np.maximum(1.0, np.abs(s.min_h))
    violation = np.maximum(np.maximum(s.o - s.min_h, s.lower - s.o), 0.0) / scale
    span = f"γ ∈ [{s.gammas[0]:g}, {s.gammas[-1]:g}] ({len(s.gammas)} values, log-spaced)"
    where = (f"{len(x)} samples (training + held-out), M = {s.units} support vectors of the "
             f"fit at γ = {SWEEP_FIT_GAMMA:g}, {span}")
    rows = [Row.of("3b sandwich bound", f"violation of min h − (log M)/γ ≤ o ≤ min h on "
                   f"{where}: excess / max(1, |min h|)", violation, SANDWICH_TOLERANCE)]
    gap = s.min_h - s.o
    bound = math.log(s.units) / s.gammas[-1]
    rows.append(Row.of("3b min-pooling limit", f"min h − o at γ = {s.gammas[-1]:g} on {where}; "
                       f"tolerance (log M)/γ", gap[-1], bound,
                       max_gap_by_gamma=gap.max(axis=1).tolist(), gammas=s.gammas.tolist()))
    limit = compile_answer(answers["3b"], (h1, h2, h3))
    three = NeuralizedSVM(net.u[:3].numpy(), np.exp(net.log_alpha[:3].numpy()), net.gamma)
    big = three.with_gamma(s.gammas[-1])
    with torch.no_grad():
        h = big.hidden(torch.as_tensor(x))
        o3 = big.pool(h).numpy()
    h = h.numpy()
    rows.append(Row.of("3b derived limit", f"o of the network restricted to 3 support vectors "
                       f"at γ = {s.gammas[-1]:g} vs answer 3b (lambdified) at its h1, h2, h3 on "
                       f"{len(x)} samples; tolerance (log 3)/γ",
                       np.abs(o3 - limit(h[:, 0], h[:, 1], h[:, 2])), math.log(3) / s.gammas[-1]))
    return rows, s


def plot_limit(s: Sweep, points: Sequence[int], path: Path) -> Path:
    """Left: ``o(x)`` and ``min_i h_i(x)`` against γ for a few samples, with the sandwich band
    ``[min h − (log M)/γ, min h]``. Right: the gap ``min h − o`` and the bound ``(log M)/γ``.
    One legend below both (the samples' colours, the line styles), at its printed size
    (:mod:`numerics.plotting`)."""
    from matplotlib.lines import Line2D

    plt = pyplot()
    points = list(points)
    with printed():
        fig, (left, right) = plt.subplots(1, 2, figsize=(WIDTH, 3.0), layout="constrained")
        for n, i in enumerate(points):
            color = f"C{n}"
            left.plot(s.gammas, s.o[:, i], color=color)
            left.plot(s.gammas, s.min_h[:, i], color=color, ls="--")
            left.fill_between(s.gammas, s.lower[:, i], s.min_h[:, i], color=color, alpha=0.12)
            right.loglog(s.gammas, np.maximum(s.min_h[:, i] - s.o[:, i], 1e-17), color=color)
        right.loglog(s.gammas, math.log(s.units) / s.gammas, color="k", ls=":")
        visible = s.gammas >= SWEEP_FIT_GAMMA
        shown = np.concatenate([s.o[visible][:, points], s.min_h[visible][:, points]])
        pad = 0.1 * (shown.max() - shown.min()) + 0.1
        left.set_ylim(shown.min() - pad, shown.max() + pad)
        for ax in (left, right):
            ax.axvline(SWEEP_FIT_GAMMA, color="grey", lw=0.7, ls=":")
            ax.set_xscale("log")
            ax.set_xlabel("γ (u_i, α_i of the fit at the dotted line)")
        left.set_ylabel("outlier score")
        left.set_title("soft-min o(x) (solid) → min-pooling min h(x) (dashed)")
        right.set_title("gap min h − o ≤ (log M)/γ")
        plain_log_ticks(left, right)
        handles = [Line2D([], [], color=f"C{n}", label=f"sample {i}")
                   for n, i in enumerate(points)]
        handles += [Line2D([], [], color="k", label="o(x)"),
                    Line2D([], [], color="k", ls="--", label="min h(x)"),
                    Line2D([], [], color="k", ls=":", label=f"(log M)/γ, M = {s.units}")]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                   frameon=False)
        return save_figure(fig, path)


#: File name of the γ-sweep plot inside ``plots_dir``.
PLOT = "ex3_soft_min_pooling.png"


def check(seed: int, plots_dir: Path | None,
          answers: Mapping[str, sp.Basic]) -> list[Row]:
    """Exercise 3: the rows (and the plot)."""
    data = wine(seed)
    rows = identity_rows(data) + layer_rows(data)
    limit, s = limit_rows(data, answers)
    if plots_dir is not None:
        # three held-out samples: the most inlying, the median and the most outlying one
        at_fit = int(np.argmin(np.abs(s.gammas - SWEEP_FIT_GAMMA)))
        held = len(data.train) + np.argsort(s.o[at_fit, len(data.train):])
        picks = [int(held[0]), int(held[len(held) // 2]), int(held[-1])]
        path = plot_limit(s, picks, Path(plots_dir) / PLOT)
        limit = [r.with_details(plot=str(path)) for r in limit]
    return rows + limit


__all__ = [
    "KERNEL_GAMMAS",
    "PLOT",
    "SWEEP_GAMMAS",
    "TOLERANCE",
    "Data",
    "NeuralizedSVM",
    "Sweep",
    "check",
    "check_gamma",
    "fit",
    "identity_rows",
    "inlier_score",
    "layer_rows",
    "limit_rows",
    "plot_limit",
    "sweep",
    "wine",
]
