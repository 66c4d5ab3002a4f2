r"""The randomization sanity check (Adebayo et al. 2018): do the heatmaps depend on the
trained weights?

On a copy of the model, the dense and convolution layers are re-initialized cascading from
the top (:func:`cascade`: ``classifier.6``, ``classifier.3``, ``classifier.0``,
``features.28``, …, ``features.0``; He-normal convolutions, ``N(0, 0.01)`` dense weights,
zero biases, as torchvision initializes VGG, :func:`randomize_layer`; seeded by
``(seed, layer)``), and after each step the heatmaps of the same class ``t`` are compared with
the trained network's (:func:`randomization_correlations`) by each comparison the metrics'
registry declares (:data:`vgg.evaluation.metrics.RANDOMIZATION`): Spearman's rank correlation
of the **signed** maps (:func:`spearman`), of their absolute values ``|H|``
(:func:`abs_rank_correlation`; 0 where either map is constant) and the structural similarity
of the maps (:func:`ssim`). A method that explains the network drops; the random baseline,
blind to the network, stays at 1. :func:`randomization_passes` is the pass criterion the tests
and the report's claim use, fixed before it was measured (:data:`RHO_LIMIT`).

>>> a = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
>>> spearman(a, torch.tensor([[10.0, 20.0, 30.0, 5.0]])).tolist()
[-0.2]
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from vgg import seeds
from vgg.engine.canonizers import vgg_layers
from vgg.evaluation.evidence import heatmaps
from vgg.evaluation.intervals import Interval
from vgg.methods import relevance_maps

#: How two batches of heatmaps ``(N, H, W)`` compare, per image.
Comparison = Callable[[Tensor, Tensor], Tensor]


def spearman(a: Tensor, b: Tensor) -> Tensor:
    """Spearman's rank correlation of each pair of maps ``(N, …)`` over their pixels (ties get
    their average rank); 0 where either map is constant.

    >>> spearman(torch.tensor([[1.0, 2.0, 3.0, 4.0]]), torch.ones(1, 4)).tolist()
    [0.0]
    """
    from scipy.stats import rankdata

    ra = rankdata(a.reshape(len(a), -1).double().numpy(), axis=1)
    rb = rankdata(b.reshape(len(b), -1).double().numpy(), axis=1)
    ra -= ra.mean(1, keepdims=True)
    rb -= rb.mean(1, keepdims=True)
    denominator = np.sqrt((ra * ra).sum(1) * (rb * rb).sum(1))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(denominator > 0, (ra * rb).sum(1) / denominator, 0.0)
    return torch.from_numpy(rho)


def abs_rank_correlation(trained: Tensor, randomized: Tensor) -> Tensor:
    """Spearman's ρ of ``|H|`` of the trained and the randomized network's heatmaps."""
    return spearman(trained.abs(), randomized.abs())


#: SSIM's window: a Gaussian of σ = 1.5 px on a 7 × 7 support (Wang et al. 2004 use σ = 1.5 on
#: 11 × 11; 7 × 7 leaves a 26 × 26 region of a 32 px map), constants ``(0.01 L)²`` and
#: ``(0.03 L)²`` for the data range ``L = 1`` of maps scaled to [0, 1].
SSIM_SIGMA, SSIM_WINDOW = 1.5, 7


def ssim(a: Tensor, b: Tensor) -> Tensor:
    """The mean structural similarity (Wang et al. 2004) of each pair of maps ``(N, H, W)``,
    on their absolute values, each divided by its largest ``|H|`` (so in [0, 1], as SSIM's
    images are; a zero map stays 0): local means, variances and covariance under a Gaussian
    window (:data:`SSIM_SIGMA`, :data:`SSIM_WINDOW`; only where the window fits),
    ``((2μ_aμ_b + C₁)(2σ_ab + C₂)) / ((μ_a² + μ_b² + C₁)(σ_a² + σ_b² + C₂))`` averaged. 1
    for maps equal up to scale and sign; the sign of the evidence is the signed ρ's to judge
    (:func:`spearman`).

    >>> g = torch.Generator().manual_seed(0)
    >>> h = torch.rand(2, 16, 16, dtype=torch.float64, generator=g)
    >>> [round(v, 6) for v in ssim(h, -3 * h).tolist()]
    [1.0, 1.0]
    >>> other = torch.rand(2, 16, 16, dtype=torch.float64, generator=g)
    >>> bool((ssim(h, other) < 0.2).all())
    True
    """
    def scaled(h: Tensor) -> Tensor:
        h = h.to(torch.float64).abs()
        top = h.amax((1, 2), keepdim=True)
        return h / top.where(top > 0, 1.0)

    x, y = scaled(a), scaled(b)
    r = torch.arange(SSIM_WINDOW, dtype=torch.float64) - (SSIM_WINDOW - 1) / 2
    g = torch.exp(-r**2 / (2 * SSIM_SIGMA**2))
    g = (g / g.sum()).to(x)
    # the five local moments at once: one separable (rows, then columns) Gaussian filter of
    # the stacked maps x, y, x², y², xy
    stack = torch.stack([x, y, x * x, y * y, x * y], 1)
    n, k = len(x), len(g)
    rows = nn.functional.conv2d(stack.reshape(n * 5, 1, *x.shape[1:]), g.reshape(1, 1, k, 1))
    both = nn.functional.conv2d(rows, g.reshape(1, 1, 1, k))
    moments = both.reshape(n, 5, *both.shape[2:])
    mx, my, xx, yy, xy = moments.unbind(1)
    vx, vy, cxy = xx - mx**2, yy - my**2, xy - mx * my
    c1, c2 = 0.01**2, 0.03**2
    value = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
    return value.mean((1, 2))


def cascade(model: nn.Module) -> list[str]:
    """The dense and convolution layers of a VGG from the top: ``classifier.6, classifier.3,
    classifier.0, features.28, …, features.0``.

    >>> from torchvision.models import vgg16
    >>> with torch.device("meta"):
    ...     steps = cascade(vgg16())
    >>> len(steps), steps[:4], steps[-1]
    (16, ['classifier.6', 'classifier.3', 'classifier.0', 'features.28'], 'features.0')
    """
    return [name for name, m in reversed(vgg_layers(model)) if isinstance(m, (nn.Linear,
                                                                              nn.Conv2d))]


def randomize_layer(layer: nn.Module, generator: torch.Generator) -> None:
    """Re-initialize ``layer`` in place as torchvision initializes VGG: He-normal (fan-out)
    convolutions, ``N(0, 0.01)`` dense weights, zero biases."""
    w = layer.weight
    with torch.no_grad():
        if isinstance(layer, nn.Conv2d):
            fan_out = w.shape[0] * w[0, 0].numel()
            std = math.sqrt(2.0 / fan_out)
        else:
            std = 0.01
        w.copy_(torch.randn(w.shape, generator=generator, dtype=torch.float32).to(w) * std)
        if layer.bias is not None:
            layer.bias.zero_()


def randomization_correlations(model: nn.Module, x: Tensor, target: Tensor,
                               indices: Sequence[int], trained: Mapping[str, Tensor],
                               checkpoints: Sequence[str], seed: int,
                               comparisons: Mapping[str, Comparison]
                               ) -> dict[str, dict[str, Tensor]]:
    """``{method: {comparison: (N, len(checkpoints))}}``: each of ``comparisons`` of the
    heatmaps after randomizing the layers cascading from the top down to each checkpoint (on a
    copy of ``model``) with those of the ``trained`` relevances. Layer ``k`` of
    :func:`cascade` is re-drawn from the seed ``(seed, k)`` whatever the checkpoints."""
    steps = cascade(model)
    unknown = [c for c in checkpoints if c not in steps]
    if unknown:
        raise ValueError(f"not a dense or convolution layer of the model: {unknown}")
    if not checkpoints:
        return {m: {c: torch.empty(len(x), 0, dtype=torch.float64) for c in comparisons}
                for m in trained}
    deepest = max(steps.index(c) for c in checkpoints)
    twin = copy.deepcopy(model)
    layers = dict(twin.named_modules())
    reference = {m: heatmaps(r) for m, r in trained.items()}
    found: dict[str, dict[str, list[Tensor]]] = {m: {c: [] for c in comparisons}
                                                 for m in trained}
    for position, name in enumerate(steps[:deepest + 1]):
        randomize_layer(layers[name], seeds.generator(seed, seeds.LAYER, position))
        if name in checkpoints:
            after = relevance_maps(twin, x, target, indices, tuple(trained), seed)
            for m in trained:
                h = heatmaps(after[m])
                for c, compare in comparisons.items():
                    found[m][c].append(compare(reference[m], h))
    return {m: {c: torch.stack(v, 1) for c, v in found[m].items()} for m in trained}


#: The randomization check's pass criterion, fixed before it was measured (Adebayo et al. 2018,
#: cascading from the top): once the top block is re-initialized — the dense layers of the
#: classifier, down to :data:`TOP_BLOCK_END` — at that step and at every later step of the
#: cascade, the upper end of the 95 % bootstrap interval of the mean Spearman ρ between the
#: SIGNED heatmaps of the randomized and the trained network lies below :data:`RHO_LIMIT`.
#: ρ of ``|H|`` and SSIM are reported beside it, not judged (``|H|`` follows the digit's ink
#: whatever the weights). The random baseline, blind to the network, is a reference: its ρ is
#: 1 by construction and is never judged.
RHO_LIMIT = 0.5
#: The last layer of the top block in the cascade: the lowest dense layer of a torchvision VGG.
TOP_BLOCK_END = "classifier.0"


def judged_steps(steps: Sequence[str]) -> list[str]:
    """The steps the criterion judges: from :data:`TOP_BLOCK_END` on, in cascade order (the
    convolutions' steps where the checkpoints skip it).

    >>> judged_steps(["classifier.6", "classifier.0", "features.14", "features.0"])
    ['classifier.0', 'features.14', 'features.0']
    >>> judged_steps(["classifier.6", "features.28"])
    ['features.28']
    """
    if TOP_BLOCK_END in steps:
        return list(steps[list(steps).index(TOP_BLOCK_END):])
    return [s for s in steps if s.startswith("features.")]


def randomization_passes(steps: Mapping[str, Interval]) -> bool:
    """Whether a method passes the randomization check: ``steps`` (layer →
    :class:`~vgg.evaluation.intervals.Interval` of the signed ρ, in cascade order, as
    :attr:`vgg.evaluation.table.Table.randomization` holds them) has, at every judged step
    (:func:`judged_steps`; at least one), an upper bound below :data:`RHO_LIMIT`.
    The tests and the report's claim (:mod:`vgg.evaluation.claims`) use this one test.

    >>> randomization_passes({"classifier.6": Interval(0.9, 0.8, 0.95, 9),
    ...                       "classifier.0": Interval(0.3, 0.2, 0.4, 9),
    ...                       "features.0": Interval(0.1, 0.0, 0.2, 9)})
    True
    >>> randomization_passes({"classifier.0": Interval(0.45, 0.4, 0.52, 9)})
    False
    >>> randomization_passes({"classifier.6": Interval(0.1, 0.0, 0.2, 9)})
    False
    """
    judged = judged_steps(list(steps))
    return bool(judged) and all(steps[s].high < RHO_LIMIT for s in judged)


__all__ = ["RHO_LIMIT", "SSIM_SIGMA", "SSIM_WINDOW", "TOP_BLOCK_END", "Comparison",
           "abs_rank_correlation", "cascade", "judged_steps", "randomization_correlations",
           "randomization_passes", "randomize_layer", "spearman", "ssim"]
