r"""The digits network: torchvision's VGG with VGG-16's layers, narrower, and its training-time
normalization folded away.

**The network** (:func:`build`): ``features`` is VGG-16's configuration "D" — convolutions
3×3 at indices 0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, a ReLU after each, max-pooling
2×2 at 4, 9, 16, 23, 30 — with :data:`CHANNELS` = 8-16-32-64-64 channels per block instead
of 64-128-256-512-512. At :data:`SIZE` = 32 px the last pooling leaves 1×1, so ``avgpool`` is
``AdaptiveAvgPool2d((1, 1))`` (torchvision's ``(7, 7)`` would copy one value 49 times) and the
classifier keeps VGG's structure, narrower: ``Linear(64, 256), ReLU, Dropout(0.5),
Linear(256, 256), ReLU, Dropout(0.5), Linear(256, 10)``.

**The convolutions have no bias.** LRP hands the explained logit down layer by layer and every
bias absorbs its share (:mod:`vgg.engine.ledger`); the earlier network, trained with batch norm
folded into the convolutions (``b' = (b − μ)·γ/√(σ²+ε) + β``), passed a median of 7 % of the
logit to the pixels. So the network is trained with a normalization that scales and does not
centre (:class:`ScaleNorm2d`, after every convolution: ``y_c = w_c z_c / √(E[z_c²] + ε)``, the
mean square over the batch and the pixels, a running estimate in evaluation mode), which
:func:`fold_scale_norm` folds into the convolutions as a pure scale,

    ``W'_c = W_c · w_c / √(m_c + ε)``  (no bias),

so the shipped, explained network is a plain VGG whose convolutions carry no bias and whose
outputs equal the training network's in evaluation mode. The dense layers keep their biases
(they absorb the rest of the logit: a few per cent).

>>> model = build()
>>> [i for i, m in enumerate(model.features) if isinstance(m, nn.Conv2d)]
[0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]
>>> [i for i, m in enumerate(model.features) if isinstance(m, nn.MaxPool2d)]
[4, 9, 16, 23, 30]
>>> any(m.bias is not None for m in model.features if isinstance(m, nn.Conv2d))
False
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn
from torchvision.models import VGG

from vgg.digits import CLASSES

#: Channels of VGG-16's five convolution blocks here (VGG-16 proper: 64-128-256-512-512).
CHANNELS: tuple[int, int, int, int, int] = (8, 16, 32, 64, 64)
#: Width of the two hidden dense layers (VGG-16 proper: 4096).
HIDDEN = 256
DROPOUT = 0.5

#: VGG-16's configuration "D": the convolutions' block numbers (0–4) and "M" for max-pooling.
_D = (0, 0, "M", 1, 1, "M", 2, 2, 2, "M", 3, 3, 3, "M", 4, 4, 4, "M")


class ScaleNorm2d(nn.Module):
    """Batch normalization that scales and does not centre: ``y_c = w_c z_c / √(m_c + ε)``
    with ``m_c = E[z_c²]`` over the batch and the pixels in training (a running estimate,
    momentum 0.1, in evaluation mode) and a learned scale ``w_c`` (initially 1). Folded into
    the convolution before it, it is a scale of that convolution's weights, no bias
    (:func:`fold_scale_norm`).

    >>> norm = ScaleNorm2d(2).train()
    >>> z = torch.tensor([[[[3.0]], [[-4.0]]], [[[4.0]], [[3.0]]]])   # (N, C, 1, 1)
    >>> [round(v, 3) for v in norm(z)[:, :, 0, 0].flatten().tolist()]
    [0.849, -1.131, 1.131, 0.849]
    """

    def __init__(self, channels: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(channels))
        self.register_buffer("running_square", torch.ones(channels))

    def scale(self) -> Tensor:
        """``w / √(m + ε)`` of evaluation mode, per channel."""
        return self.weight / torch.sqrt(self.running_square + self.eps)

    def forward(self, z: Tensor) -> Tensor:
        if self.training:
            square = z.pow(2).mean((0, 2, 3))
            with torch.no_grad():
                self.running_square.lerp_(square.detach(), self.momentum)
            s = self.weight / torch.sqrt(square + self.eps)
        else:
            s = self.scale()
        return z * s[None, :, None, None]


def build(channels: Sequence[int] = CHANNELS, hidden: int = HIDDEN, *, scale_norm: bool = False,
          dropout: float = DROPOUT, classes: int = len(CLASSES)) -> VGG:
    """A torchvision :class:`VGG` with VGG-16's layer sequence, ``channels`` per block,
    convolutions without bias, ``avgpool = AdaptiveAvgPool2d((1, 1))`` and the classifier
    ``Linear(c₅, hidden), ReLU, Dropout, Linear(hidden, hidden), ReLU, Dropout,
    Linear(hidden, classes)``, initialized as torchvision does the convolutions (He-normal,
    fan-out) and as PyTorch does dense layers (torchvision's ``N(0, 0.01)`` for them stalls
    the training of this small network); seed torch first for a reproducible draw.
    ``scale_norm`` inserts a :class:`ScaleNorm2d` after each convolution (the training
    network; see :func:`fold_scale_norm`)."""
    if len(channels) != 5:
        raise ValueError(f"VGG-16 has five blocks; got {len(channels)} channel counts")
    layers: list[nn.Module] = []
    width = 3
    for item in _D:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        out = int(channels[int(item)])
        layers.append(nn.Conv2d(width, out, kernel_size=3, padding=1, bias=False))
        if scale_norm:
            layers.append(ScaleNorm2d(out))
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
    return model


def widths(model: VGG) -> tuple[list[int], int]:
    """``(channels per block, hidden width)`` of a model made by :func:`build`."""
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    blocks = [convs[i].out_channels for i in (0, 2, 4, 7, 10)]
    return blocks, model.classifier[0].out_features


def fold_scale_norm(model: VGG) -> VGG:
    """The plain VGG (no normalization modules, convolutions without bias) computing what
    ``model`` (a :class:`ScaleNorm2d` after each convolution) computes in evaluation mode:
    ``W'_c = W_c · w_c/√(m_c + ε)`` per output channel. ``model`` is not changed; the result is
    in evaluation mode.

    >>> _ = torch.manual_seed(0)
    >>> trained = build((4, 4, 4, 4, 4), 8, scale_norm=True)
    >>> for m in trained.modules():
    ...     if isinstance(m, ScaleNorm2d):
    ...         _ = m.running_square.uniform_(0.5, 2), m.weight.data.uniform_(0.5, 2)
    >>> x = torch.randn(2, 3, 32, 32)
    >>> bool(torch.allclose(fold_scale_norm(trained)(x), trained.eval()(x), atol=1e-5))
    True
    """
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.features if isinstance(m, ScaleNorm2d)]
    if len(norms) != len(convs):
        raise ValueError("expected one ScaleNorm2d after each convolution")
    channels, hidden = widths(model)
    plain = build(channels, hidden, dropout=model.classifier[2].p,
                  classes=model.classifier[6].out_features)
    targets = [m for m in plain.features if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        for conv, norm, target in zip(convs, norms, targets, strict=True):
            target.weight.copy_(conv.weight * norm.scale()[:, None, None, None])
        plain.classifier.load_state_dict(model.classifier.state_dict())
    return plain.eval()


__all__ = ["CHANNELS", "DROPOUT", "HIDDEN", "ScaleNorm2d", "build", "fold_scale_norm", "widths"]
