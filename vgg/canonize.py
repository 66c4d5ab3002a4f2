r"""Canonization: a ``BatchNorm2d`` after a convolution folded into that convolution.

In evaluation mode a batch norm is an affine map per channel ``c``,
``y_c = γ_c (z_c − μ_c) / √(σ²_c + ε) + β_c`` (``μ, σ²`` its running statistics). With
``s = γ / √(σ² + ε)``, the convolution ``z = W ∗ a + b`` followed by it is one convolution

    ``W' = W · s`` (output channel ``c`` scaled by ``s_c``),  ``b' = (b − μ) · s + β``.

LRP's rules act on a layer's parameters, so the rules must see this one layer, the map the
network computes (Montavon et al., *Layer-wise relevance propagation: an overview*, 2019,
§10.3: "canonization"); a batch norm left on its own has no rule of the sheet.

The folded convolution is new; the given modules are only read (their parameters, flags,
mode and hooks stay as they were). The batch norm's running statistics are used whatever its
mode: the explained network is the evaluation-mode one.

>>> import torch
>>> _ = torch.manual_seed(0)
>>> conv, norm = nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4)
>>> with torch.no_grad():
...     _ = norm.running_mean.uniform_(-1, 1), norm.running_var.uniform_(0.5, 2)
...     _ = norm.weight.uniform_(-2, 2), norm.bias.uniform_(-1, 1)
>>> x = torch.randn(2, 3, 8, 8)
>>> bool(torch.allclose(fold_batch_norm(conv, norm)(x), norm.eval()(conv(x)), atol=1e-6))
True
"""

from __future__ import annotations

import torch
from torch import nn


def fold_batch_norm(conv: nn.Conv2d, norm: nn.BatchNorm2d) -> nn.Conv2d:
    """A new ``nn.Conv2d`` computing ``norm(conv(a))`` of evaluation mode: ``W' = W·s``,
    ``b' = (b − μ)·s + β``, ``s = γ/√(σ² + ε)`` (no bias: ``b = 0``; no affine part:
    ``γ = 1, β = 0``); same hyper-parameters, dtype and device as ``conv``, parameters not
    requiring grad. A batch norm without running statistics (it normalizes by each batch's
    own, which no fixed convolution computes) or of another width is a :class:`TypeError`.

    >>> conv, norm = nn.Conv2d(1, 2, 1, bias=False), nn.BatchNorm2d(2, affine=False)
    >>> with torch.no_grad():
    ...     _ = conv.weight.fill_(2.0), norm.running_mean.fill_(1.0), norm.running_var.fill_(4.0)
    >>> folded = fold_batch_norm(conv, norm)                 # s = 1/√(4 + 1e-5) ≈ 0.5
    >>> [round(v, 4) for v in (folded.weight.flatten()[0].item(), folded.bias[0].item())]
    [1.0, -0.5]
    """
    mean, var = norm.running_mean, norm.running_var
    if mean is None or var is None:
        raise TypeError("a BatchNorm2d without running statistics (track_running_stats=False) "
                        "normalizes each batch by itself and cannot be folded into the "
                        "convolution before it")
    if norm.num_features != conv.out_channels:
        raise TypeError(f"a BatchNorm2d of {norm.num_features} channels follows a convolution "
                        f"of {conv.out_channels}")
    with torch.no_grad():
        w = conv.weight.detach()
        root = torch.sqrt(var + norm.eps)
        scale = root.reciprocal() if norm.weight is None else norm.weight.detach() / root
        bias = (-mean if conv.bias is None else conv.bias.detach() - mean) * scale
        if norm.bias is not None:
            bias = bias + norm.bias.detach()
        weight = w * scale.reshape(-1, *([1] * (w.ndim - 1)))
    folded = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride,
                       conv.padding, conv.dilation, conv.groups, bias=True,
                       padding_mode=conv.padding_mode, device="meta")
    folded.weight = nn.Parameter(weight, requires_grad=False)
    folded.bias = nn.Parameter(bias, requires_grad=False)
    return folded


__all__ = ["fold_batch_norm"]
