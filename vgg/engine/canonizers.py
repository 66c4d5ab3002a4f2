r"""Canonizers: a torchvision VGG as the plain layers LRP's rules act on.

:func:`vgg_layers` flattens a VGG into its named layers (:func:`blocks` checks the layout and
numbers its blocks), each ``BatchNorm2d`` after a convolution folded into that convolution
(:func:`fold_batch_norm`), so VGG-11, 13, 16 and 19 and their ``_bn`` variants are one kind
of network to the rules.

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

from vgg.engine.propagate import Layers

#: Blocks of a torchvision VGG (runs of convolutions between two max-poolings); the sheet's
#: γ schedule (:data:`vgg.engine.composites.BLOCK_GAMMAS`) has one γ per block.
MAX_BLOCKS = 5

#: What each part of a torchvision VGG may hold (a BatchNorm2d only right after a Conv2d).
_PARTS: dict[str, tuple[type[nn.Module], ...]] = {
    "features": (nn.Conv2d, nn.BatchNorm2d, nn.ReLU, nn.MaxPool2d),
    "classifier": (nn.Linear, nn.ReLU, nn.Dropout),
}
_POOLS = (nn.AdaptiveAvgPool2d, nn.AvgPool2d, nn.Identity)


def _not_vgg(model: nn.Module, why: str) -> TypeError:
    return TypeError(f"expected a torchvision VGG (VGG-11, 13, 16 or 19, with or without batch "
                     f"norm), got {type(model).__name__}: {why}")


def blocks(model: nn.Module) -> dict[int, int]:
    """``{features index: block}`` of every convolution of a model laid out as torchvision's
    VGGs, block ``b = 1 +`` the max-poolings before it; anything else is a
    :class:`TypeError`. The layout: ``features`` (convolutions, each optionally followed by a
    BatchNorm2d, ReLUs and max-poolings; the first layer a convolution; at most
    :data:`MAX_BLOCKS` blocks), ``avgpool`` (a pooling) and ``classifier`` (dense layers,
    ReLUs, dropout; the last a dense layer)."""
    parts = ("features", "avgpool", "classifier")
    if not all(isinstance(getattr(model, part, None), nn.Module) for part in parts):
        raise _not_vgg(model, "no .features, .avgpool and .classifier")
    for part, kinds in _PARTS.items():
        sequence = getattr(model, part)
        if not isinstance(sequence, nn.Sequential) or len(sequence) == 0:
            raise _not_vgg(model, f".{part} is not a non-empty nn.Sequential")
        for i, module in enumerate(sequence):
            if not isinstance(module, kinds):
                allowed = ", ".join(k.__name__ for k in kinds)
                raise _not_vgg(model, f"{part}.{i} is a {type(module).__name__} (expected "
                                      f"{allowed})")
    if not isinstance(model.avgpool, _POOLS):
        raise _not_vgg(model, f"avgpool is a {type(model.avgpool).__name__}")
    last = model.classifier[-1]
    if not isinstance(last, nn.Linear):
        raise _not_vgg(model, f"classifier.{len(model.classifier) - 1} is a "
                              f"{type(last).__name__}, not the dense layer of the logits")
    features = model.features
    if not isinstance(features[0], nn.Conv2d):
        raise _not_vgg(model, f"features.0 is a {type(features[0]).__name__}, not the "
                              "convolution reading the pixels")
    found, pooled = {}, 0
    for i, module in enumerate(features):
        if isinstance(module, nn.BatchNorm2d) and not isinstance(features[i - 1], nn.Conv2d):
            raise _not_vgg(model, f"features.{i}, a BatchNorm2d, does not follow a convolution")
        if isinstance(module, nn.MaxPool2d):
            pooled += 1
        elif isinstance(module, nn.Conv2d):
            if pooled >= MAX_BLOCKS:
                raise _not_vgg(model, f"features.{i} is a convolution of block {pooled + 1}; "
                                      f"the sheet's γ schedule has {MAX_BLOCKS} blocks")
            found[i] = pooled + 1
    return found


def vgg_layers(model: nn.Module) -> Layers:
    """A torchvision VGG flattened into its named layers, in the order its ``forward`` runs
    them: ``features.0 … features.30``, ``avgpool``, ``flatten``, ``classifier.0 … 6`` (for
    VGG-16), each batch norm folded into the convolution before it, which keeps its name
    (:func:`fold_batch_norm`; only those convolutions are new modules, the others are the
    model's own). Anything but a torchvision VGG is a :class:`TypeError`.

    >>> from torchvision.models import vgg16, vgg16_bn
    >>> with torch.device("meta"):                  # the structure only, no weights
    ...     names = [name for name, _ in vgg_layers(vgg16())]
    ...     bn_names = [name for name, _ in vgg_layers(vgg16_bn())]
    >>> names[:2], names[30:34], names[-1]
    (['features.0', 'features.1'], ['features.30', 'avgpool', 'flatten', 'classifier.0'],
     'classifier.6')
    >>> bn_names[:4], len(bn_names) == len(names)
    (['features.0', 'features.2', 'features.3', 'features.5'], True)
    """
    blocks(model)
    features: list[tuple[str, nn.Module]] = []
    for i, module in enumerate(model.features):
        if isinstance(module, nn.BatchNorm2d):
            name, conv = features[-1]
            features[-1] = (name, fold_batch_norm(conv, module))
        else:
            features.append((f"features.{i}", module))
    return [
        *features,
        ("avgpool", model.avgpool),
        ("flatten", nn.Flatten()),
        *((f"classifier.{i}", m) for i, m in enumerate(model.classifier)),
    ]


def network_name(layers: Layers) -> str:
    """``VGG-n``, ``n`` the convolutions and dense layers (the weight layers) in ``layers``."""
    return f"VGG-{sum(isinstance(m, (nn.Conv2d, nn.Linear)) for _, m in layers)}"


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


__all__ = ["MAX_BLOCKS", "blocks", "fold_batch_norm", "network_name", "vgg_layers"]
