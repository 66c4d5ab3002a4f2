r"""The pixel box of the z^B rule: ImageNet's normalization and the bounds ``l ≤ x ≤ h``.

A picture's RGB values ``r ∈ [0, 1]`` enter a VGG as ``x_c = (r_c − μ_c) / σ_c`` with
ImageNet's ``μ`` (:data:`MEAN`) and ``σ`` (:data:`STD`); the pixels' box ``[0, 1]`` becomes
``l = (0 − μ)/σ ≤ x ≤ h = (1 − μ)/σ``, the box the z^B rule of the first layer assumes.
"""

from __future__ import annotations

import torch
from torch import Tensor

#: ImageNet preprocessing: RGB in [0, 1], then ``(x − mean) / std`` per channel.
MEAN: tuple[float, float, float] = (0.485, 0.456, 0.406)
STD: tuple[float, float, float] = (0.229, 0.224, 0.225)


def normalized(pixels: Tensor) -> Tensor:
    """``(N, 3, H, W)`` pixel values in [0, 1] → ``(p_c − μ_c) / σ_c`` with ImageNet's
    :data:`MEAN` ``μ`` and :data:`STD` ``σ`` (the input VGG-16 takes), in ``pixels``' dtype
    and device.

    >>> [round(v, 4) for v in normalized(torch.ones(1, 3, 1, 1)).flatten().tolist()]
    [2.2489, 2.4286, 2.64]
    """
    mean = torch.tensor(MEAN, dtype=pixels.dtype, device=pixels.device).reshape(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=pixels.dtype, device=pixels.device).reshape(1, 3, 1, 1)
    return (pixels - mean) / std


def pixel_bounds(x: Tensor) -> tuple[Tensor, Tensor]:
    """``(l, h)``: the normalized images of pixel values 0 and 1, ``((0 − mean)/std,
    (1 − mean)/std)`` per channel, shaped ``(1, 3, 1, 1)`` like ``x``'s dtype and device.

    >>> low, high = pixel_bounds(torch.zeros(1, 3, 4, 4))
    >>> [round(v, 4) for v in low.flatten().tolist()]
    [-2.1179, -2.0357, -1.8044]
    >>> [round(v, 4) for v in high.flatten().tolist()]
    [2.2489, 2.4286, 2.64]
    """
    zeros = torch.zeros(1, 3, 1, 1, dtype=x.dtype, device=x.device)
    return normalized(zeros), normalized(zeros + 1)


__all__ = ["MEAN", "STD", "normalized", "pixel_bounds"]
