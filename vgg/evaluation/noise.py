r"""Noise: the total variation of a heatmap relative to its mass.

``noise = (Σ_{i,j} |H_{i+1,j} − H_{i,j}| + |H_{i,j+1} − H_{i,j}|) / Σ|H|``: 0 for a constant
map, 4 for a single isolated pixel, about 2.7 for i.i.d. Gaussian noise; scale-free.

>>> h = torch.tensor([[[1.0, -1.0], [2.0, 0.0]]])
>>> total_variation_share(h).tolist()    # (|−1−1| + |0−2| + |2−1| + |0+1|) / 4
[1.5]
"""

from __future__ import annotations

import torch
from torch import Tensor


def total_variation_share(h: Tensor) -> Tensor:
    """``(Σ |H_{i+1,j} − H_{i,j}| + |H_{i,j+1} − H_{i,j}|) / Σ|H|`` per map (NaN where
    ``Σ|H| = 0``)."""
    tv = (h[:, 1:] - h[:, :-1]).abs().sum((1, 2)) + (h[:, :, 1:] - h[:, :, :-1]).abs().sum((1, 2))
    mass = h.abs().sum((1, 2))
    return tv / mass.where(mass > 0, torch.nan)


__all__ = ["total_variation_share"]
