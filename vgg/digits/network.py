r"""The digits network: torchvision's VGG with VGG-16's layers, narrower, and its batch-norm fold.

**The network** (:func:`build`): ``features`` is VGG-16's configuration "D" — convolutions
3×3 at indices 0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, a ReLU after each, max-pooling
2×2 at 4, 9, 16, 23, 30 — with :data:`CHANNELS` = 8-16-32-64-64 channels per block instead
of 64-128-256-512-512. At :data:`SIZE` = 32 px the last pooling leaves 1×1, so ``avgpool`` is
``AdaptiveAvgPool2d((1, 1))`` (torchvision's ``(7, 7)`` would copy one value 49 times) and the
classifier keeps VGG's structure, narrower: ``Linear(64, 256), ReLU, Dropout(0.5),
Linear(256, 256), ReLU, Dropout(0.5), Linear(256, 10)``. It is trained with batch norm after
every convolution (:func:`build` with ``batch_norm=True``), which :func:`fold_batch_norm` then
folds into the convolutions: for ``y = γ (W∗x + b − μ) / √(σ² + ε) + β``,

    ``W' = W · γ/√(σ²+ε)``,  ``b' = (b − μ) · γ/√(σ²+ε) + β``,

so the shipped, explained network is a plain VGG without BatchNorm modules whose outputs equal
the batch-norm network's in evaluation mode.

>>> model = build()
>>> [i for i, m in enumerate(model.features) if isinstance(m, nn.Conv2d)]
[0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]
>>> [i for i, m in enumerate(model.features) if isinstance(m, nn.MaxPool2d)]
[4, 9, 16, 23, 30]
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torchvision.models import VGG

from vgg.digits import CLASSES
from vgg.engine.canonizers import fold_batch_norm as fold_convolution

#: Channels of VGG-16's five convolution blocks here (VGG-16 proper: 64-128-256-512-512).
CHANNELS: tuple[int, int, int, int, int] = (8, 16, 32, 64, 64)
#: Width of the two hidden dense layers (VGG-16 proper: 4096).
HIDDEN = 256
DROPOUT = 0.5

#: VGG-16's configuration "D": the convolutions' block numbers (0–4) and "M" for max-pooling.
_D = (0, 0, "M", 1, 1, "M", 2, 2, 2, "M", 3, 3, 3, "M", 4, 4, 4, "M")


def build(channels: Sequence[int] = CHANNELS, hidden: int = HIDDEN, *, batch_norm: bool = False,
          dropout: float = DROPOUT, classes: int = len(CLASSES)) -> VGG:
    """A torchvision :class:`VGG` with VGG-16's layer sequence, ``channels`` per block,
    ``avgpool = AdaptiveAvgPool2d((1, 1))`` and the classifier ``Linear(c₅, hidden), ReLU,
    Dropout, Linear(hidden, hidden), ReLU, Dropout, Linear(hidden, classes)``, initialized
    as torchvision does the convolutions (He-normal, fan-out; zero biases) and as PyTorch does
    dense layers (torchvision's ``N(0, 0.01)`` for them stalls the training of this small
    network); seed torch first for a reproducible draw. ``batch_norm`` inserts a
    BatchNorm2d after each convolution (the training network; see :func:`fold_batch_norm`).
    """
    if len(channels) != 5:
        raise ValueError(f"VGG-16 has five blocks; got {len(channels)} channel counts")
    layers: list[nn.Module] = []
    width = 3
    for item in _D:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        out = int(channels[int(item)])
        layers.append(nn.Conv2d(width, out, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(out))
        layers.append(nn.ReLU(inplace=True))
        width = out
    with torch.device("meta"):  # the stock 25088-4096-4096 classifier, replaced below, costs
        model = VGG(nn.Sequential(), num_classes=classes, init_weights=False, dropout=dropout)
    model.features = nn.Sequential(*layers)
    model.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    model.classifier = nn.Sequential(
        nn.Linear(width, hidden), nn.ReLU(True), nn.Dropout(p=dropout),
        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(p=dropout),
        nn.Linear(hidden, classes),
    )
    if any(t.is_meta for t in (*model.parameters(), *model.buffers())):
        raise AssertionError("a part of the stock VGG was left unreplaced")
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    return model


def widths(model: VGG) -> tuple[list[int], int]:
    """``(channels per block, hidden width)`` of a model made by :func:`build`."""
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    blocks = [convs[i].out_channels for i in (0, 2, 4, 7, 10)]
    return blocks, model.classifier[0].out_features


def fold_batch_norm(model: VGG) -> VGG:
    """The plain VGG (no BatchNorm) computing what ``model`` (with a BatchNorm2d after each
    convolution) computes in evaluation mode: ``W' = W γ/√(σ²+ε)``,
    ``b' = (b − μ) γ/√(σ²+ε) + β`` per output channel. ``model`` is not changed; the result
    is in evaluation mode.

    >>> _ = torch.manual_seed(0)
    >>> bn = build((4, 4, 4, 4, 4), 8, batch_norm=True)
    >>> for m in bn.modules():
    ...     if isinstance(m, nn.BatchNorm2d):
    ...         _ = m.running_mean.uniform_(-1, 1), m.running_var.uniform_(0.5, 2)
    ...         _ = m.weight.data.uniform_(0.5, 2), m.bias.data.uniform_(-1, 1)
    >>> x = torch.randn(2, 3, 32, 32)
    >>> bool(torch.allclose(fold_batch_norm(bn)(x), bn.eval()(x), atol=1e-5))
    True
    """
    blocks = [m for m in model.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    if len(norms) != len(blocks):
        raise ValueError("expected one BatchNorm2d after each convolution")
    channels, hidden = widths(model)
    plain = build(channels, hidden, dropout=model.classifier[2].p,
                  classes=model.classifier[6].out_features)
    convs = [m for m in plain.features if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        for conv, norm, target in zip(blocks, norms, convs, strict=True):
            folded = fold_convolution(conv, norm)  # the one fold of the suite
            target.weight.copy_(folded.weight)
            target.bias.copy_(folded.bias)
        plain.classifier.load_state_dict(model.classifier.state_dict())
    return plain.eval()


__all__ = ["CHANNELS", "DROPOUT", "HIDDEN", "build", "fold_batch_norm", "widths"]
