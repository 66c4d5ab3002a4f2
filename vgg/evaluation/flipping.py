r"""Pixel flipping (region perturbation, Samek et al. 2017): do the most relevant patches
carry the logit?

``H`` is summed over non-overlapping ``p × p`` patches (:func:`patch_sums`); the patches are
perturbed one after another, most relevant first (MoRF, descending patch sums) or least
relevant first (LeRF, ascending; ties keep row-major order, :func:`flip_ranks`), giving
``x^(0) = x, x^(1), …, x^(L)``, and

    ``AOPC = 1/(L+1) Σ_{k=0}^{L} (f_t(x^(0)) − f_t(x^(k)))``

(:func:`aopc`; MoRF: higher is better, the order finds what the logit needs; LeRF: lower is
better), also divided by ``f_t(x^(0))`` (:func:`normalized_aopc`: the share of the logit lost on
average, comparable across images). What a perturbed patch becomes is the baseline's
(:mod:`vgg.evaluation.baselines`); the same perturbation serves every method and both orders,
so differences between methods are paired. All ``L`` perturbed images of all baselines,
methods and orders are stacked and run through the network in chunks, one forward pass a chunk
(:func:`flipping_curves`).

>>> aopc(torch.tensor([[3.0, 2.0, 0.0]])).tolist()   # ((3−3) + (3−2) + (3−0)) / 3
[1.3333333333333333]
>>> normalized_aopc(torch.tensor([[3.0, 2.0, 0.0]])).tolist()
[0.4444444444444444]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import torch
from torch import Tensor, nn

from vgg.engine.explain import logits
from vgg.engine.propagate import select
from vgg.evaluation.baselines import Perturber
from vgg.evaluation.evidence import Evidence, heatmaps

#: The orders: most relevant first, least relevant first.
ORDERS: tuple[str, ...] = ("morf", "lerf")


def aopc(curve: Tensor) -> Tensor:
    """``1/(L+1) Σ_{k=0}^{L} (f(x^(0)) − f(x^(k)))`` of curves ``(N, L+1)``."""
    c = curve.to(torch.float64)
    return (c[:, :1] - c).mean(1)


def normalized_aopc(curve: Tensor) -> Tensor:
    """:func:`aopc` divided by ``f(x^(0))``: the mean share of the logit lost."""
    c = curve.to(torch.float64)
    return aopc(c) / c[:, 0]


def aopc_of(order: str, normalize: bool = False) -> Callable[[Evidence], Tensor]:
    """The AOPC of the ``order`` (``"morf"`` or ``"lerf"``) curves of :class:`Evidence`, per
    image (divided by ``f_t(x^(0))`` with ``normalize``): a metric's measure."""

    def measure(evidence: Evidence) -> Tensor:
        curve = evidence.curves[order]
        return normalized_aopc(curve) if normalize else aopc(curve)

    return measure


def patch_sums(h: Tensor, patch: int) -> Tensor:
    """``H`` summed over non-overlapping ``patch × patch`` squares: ``(N, H/p, W/p)``.

    >>> patch_sums(torch.arange(16.0).reshape(1, 4, 4), 2).tolist()
    [[[10.0, 18.0], [42.0, 50.0]]]
    """
    n, rows, cols = h.shape
    if rows % patch or cols % patch:
        raise ValueError(f"the {rows}×{cols} heatmap does not split into {patch}×{patch} patches")
    return h.reshape(n, rows // patch, patch, cols // patch, patch).sum((2, 4))


def flip_ranks(scores: Tensor, patch: int, most_relevant_first: bool) -> Tensor:
    """Each pixel's patch rank ``(N, H, W)`` in the perturbation order: descending (MoRF) or
    ascending (LeRF) patch scores ``(N, H/p, W/p)``, ties in row-major order (a stable sort).
    ``x^(k)`` perturbs the pixels of rank ``< k``.

    >>> s = torch.tensor([[[1.0, 3.0], [2.0, 0.0]]])
    >>> flip_ranks(s, 1, True).tolist(), flip_ranks(s, 1, False).tolist()
    ([[[2, 0], [1, 3]]], [[[1, 3], [2, 0]]])
    """
    n, rows, cols = scores.shape
    flat = scores.reshape(n, -1)
    order = torch.sort(-flat if most_relevant_first else flat, dim=1, stable=True).indices
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(flat.shape[1]).expand(n, -1).contiguous())
    return rank.reshape(n, rows, cols).repeat_interleave(patch, 1).repeat_interleave(patch, 2)


def flipping_curves(model: nn.Module, x: Tensor, target: Tensor, start: Tensor,
                    relevance: Mapping[str, Tensor], perturbers: Mapping[str, Perturber],
                    patch: int, steps: int,
                    chunk: int) -> dict[str, dict[str, dict[str, Tensor]]]:
    """``{baseline: {method: {"morf"|"lerf": f_t(x^(k)), k = 0…L}}}``, curves ``(N, L+1)``
    (float64); ``start`` is ``f_t(x)``. The perturbed images ``x^(1…L)`` of every baseline,
    method and order form one stack, generated ``chunk`` images at a time, each chunk one
    forward pass."""
    n = len(x)
    orders = [(m, order) for m in relevance for order in ORDERS]
    ranks = torch.stack([flip_ranks(patch_sums(heatmaps(relevance[m]), patch), patch,
                                    order == "morf") for m, order in orders])
    names = list(perturbers)
    jobs = [(b, k) for b in range(len(names)) for k in range(len(orders))]
    total = len(jobs) * n * steps
    values = torch.empty(total, dtype=torch.float64)
    for begin in range(0, total, chunk):
        j = torch.arange(begin, min(begin + chunk, total))
        job, i, k = j // (n * steps), (j // steps) % n, j % steps + 1
        baseline, order = job // len(orders), job % len(orders)
        mask = ranks[order, i] < k[:, None, None]
        batch = torch.empty((len(j), *x.shape[1:]), dtype=x.dtype, device=x.device,
                            memory_format=torch.channels_last)
        for b in baseline.unique().tolist():
            where = baseline == b
            batch[where] = perturbers[names[b]](i[where], mask[where])
        values[j] = select(logits(model, batch), target[i]).double()
    values = values.reshape(len(names), len(orders), n, steps)
    first = start.double()[:, None]
    curves: dict[str, dict[str, dict[str, Tensor]]] = {
        b: {m: {} for m in relevance} for b in names}
    for b, name in enumerate(names):
        for o, (m, order) in enumerate(orders):
            curves[name][m][order] = torch.cat([first, values[b, o]], 1)
    return curves


__all__ = ["ORDERS", "aopc", "aopc_of", "flip_ranks", "flipping_curves", "normalized_aopc",
           "patch_sums"]
