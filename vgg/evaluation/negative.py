r"""Negative evidence: the share of a heatmap's mass that speaks against the class.

``negative_share = Σ|H⁻| / Σ|H|`` with ``H⁻ = min(H, 0)`` (0: all evidence positive; 0.5 for
symmetric noise).

>>> h = torch.tensor([[[1.0, -1.0], [2.0, 0.0]]])
>>> negative_share(h).tolist()
[0.25]
"""

from __future__ import annotations

import torch
from torch import Tensor


def negative_share(h: Tensor) -> Tensor:
    """``Σ|H⁻| / Σ|H|`` per map of ``(N, H, W)`` (NaN where ``Σ|H| = 0``)."""
    mass = h.abs().sum((1, 2))
    return (-h.clamp(max=0)).sum((1, 2)) / mass.where(mass > 0, torch.nan)


__all__ = ["negative_share"]
