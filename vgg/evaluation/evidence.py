r"""What the metrics read of one method's explanations of a batch: :class:`Evidence`.

Every metric reads the channel-summed heatmap ``H = Σ_c R_c`` (``H × W``, :func:`heatmaps`), the
explained logit ``f_t(x)``, or the pixel-flipping curves of the explained logit under one
baseline (:mod:`vgg.evaluation.flipping`).

>>> heatmaps(torch.ones(1, 3, 2, 2)).tolist()
[[[3.0, 3.0], [3.0, 3.0]]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch import Tensor


def heatmaps(relevance: Tensor) -> Tensor:
    """``H = Σ_c R_c``: ``(N, C, H, W)`` → ``(N, H, W)``, float64."""
    return relevance.detach().to(torch.float64).sum(1)


@dataclass(frozen=True)
class Evidence:
    """One method's explanations of a batch as the metrics read them: ``heatmaps``
    ``(N, H, W)`` (float64), the explained ``logit`` ``f_t(x)`` ``(N,)`` (float64) and the
    flipping ``curves`` of one baseline (``"morf"``, ``"lerf"``: the explained logit
    ``f_t(x^(k))``, ``(N, L+1)``; empty for the metrics that perturb nothing)."""

    heatmaps: Tensor
    logit: Tensor
    curves: Mapping[str, Tensor]


__all__ = ["Evidence", "heatmaps"]
