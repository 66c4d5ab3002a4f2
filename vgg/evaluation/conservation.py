r"""Conservation: how much of the explained logit a heatmap accounts for.

``share = ΣH / f_t(x) = ΣR / f_t(x)``: 1 for a conservative explanation (LRP without biases,
Gradient × Input of a network without biases); LRP's biases absorb the rest
(:mod:`vgg.engine.ledger` says where). A negative share is a heatmap whose evidence, summed,
speaks against the class the network predicts. For the plain gradient and the random
baseline the number has no such meaning (their relevance is not in the units of the logit);
it is measured alike.

>>> h = torch.tensor([[[1.0, -0.5], [2.0, 0.5]]], dtype=torch.float64)
>>> share(h, torch.tensor([4.0], dtype=torch.float64)).tolist()
[0.75]
"""

from __future__ import annotations

import torch
from torch import Tensor


def share(h: Tensor, logit: Tensor) -> Tensor:
    """``ΣH / f_t(x)`` per map of ``(N, H, W)`` (NaN where ``f_t(x) = 0``)."""
    return h.sum((1, 2)) / logit.where(logit != 0, torch.nan)


__all__ = ["share"]
