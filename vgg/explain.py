r"""Gradient × Input and LRP for torchvision's VGGs (Exercise 4 of the sheet: VGG-16).

- :func:`gradient_x_input`: ``R = x ⊙ ∇_x f_t(x)``.
- :func:`lrp`: Gradient × Input of the modified network (:mod:`vgg.rules`), with the sheet's
  layer → rule table: the z^B rule in the first convolution (pixel bounds ``l ≤ x ≤ h``, the
  normalized images of pixel values 0 and 1), LRP-γ in the other convolutions with the γ of
  their block (:func:`sheet_gammas`; for VGG-16 the table :data:`SHEET_GAMMAS`), and dense
  layers, ReLUs and poolings left intact. Its relevance is ``R = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h``
  and starts from ``R = f_t(x)`` at the top.

Both work on torchvision's VGG-11, 13, 16 and 19 and on their ``_bn`` variants, whose
batch norms are folded into the convolutions before them (:mod:`vgg.canonize`; the explained
network is the evaluation-mode one); any other network is a :class:`TypeError`. They take a
normalized batch ``x`` of shape ``(N, 3, H, W)`` with ``H, W ≥`` :data:`MIN_SIDE` px, a target
class ``0 ≤ t < C`` (``C`` the outputs of the model's last layer; an int, or one per sample),
and return a tensor shaped like ``x``, on its device and in its dtype (which must be the
model's); a bad input or target is a :class:`ValueError` worded as the command line's. The
caller's model is only read: its parameters, ``requires_grad`` flags, train/eval mode and
hooks stay as they were, no parameter gradient is computed, and dropout is skipped.

>>> import torch
>>> from torchvision.models import vgg16
>>> _ = torch.manual_seed(0)
>>> model = vgg16()                                  # random weights (seeded)
>>> x = torch.randn(2, 3, 32, 32)
>>> r = lrp(model, x, torch.tensor([3, 5]))
>>> r.shape
torch.Size([2, 3, 32, 32])
>>> gradient_x_input(model, x, 3).shape
torch.Size([2, 3, 32, 32])
>>> lrp(model, x, 1000)
Traceback (most recent call last):
...
ValueError: class index 1000 is out of range: choose 0 to 999
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import Tensor, nn

from vgg.canonize import fold_batch_norm
from vgg.rules import Gamma, Layers, Rule, ZBox, relevance

#: ImageNet preprocessing: RGB in [0, 1], then ``(x − mean) / std`` per channel.
MEAN: tuple[float, float, float] = (0.485, 0.456, 0.406)
STD: tuple[float, float, float] = (0.229, 0.224, 0.225)

#: The smallest side of an input: a VGG halves it five times, and below 32 px the last
#: pooling has nothing to pool (the command line's limit too, ``vgg.image.MIN_SIDE``).
MIN_SIDE = 32

#: The sheet's γ of the convolutions of block ``b = 1 … 5`` (``BLOCK_GAMMAS[b − 1]``), a
#: block being the run of convolutions between two max-poolings: ``γ_b = 10^{−(b−1)/2}``.
BLOCK_GAMMAS: tuple[float, ...] = (1.0, 10**-0.5, 10**-1.0, 10**-1.5, 10**-2.0)

#: The sheet's γ by torchvision ``features`` index of each convolution of VGG-16 after the
#: first; :func:`sheet_gammas` of a VGG-16 is this table.
SHEET_GAMMAS: Mapping[int, float] = {
    2: 1.0,
    5: 10**-0.5, 7: 10**-0.5,
    10: 10**-1.0, 12: 10**-1.0, 14: 10**-1.0,
    17: 10**-1.5, 19: 10**-1.5, 21: 10**-1.5,
    24: 10**-2.0, 26: 10**-2.0, 28: 10**-2.0,
}

#: The first convolution, the one reading pixels, takes the z^B rule.
FIRST = "features.0"

#: What each part of a torchvision VGG may hold (a BatchNorm2d only right after a Conv2d).
_PARTS: dict[str, tuple[type[nn.Module], ...]] = {
    "features": (nn.Conv2d, nn.BatchNorm2d, nn.ReLU, nn.MaxPool2d),
    "classifier": (nn.Linear, nn.ReLU, nn.Dropout),
}
_POOLS = (nn.AdaptiveAvgPool2d, nn.AvgPool2d, nn.Identity)


def class_index_message(index: int, classes: int) -> str:
    """The words for a class index outside ``[0, classes)``, shared with the command line
    (:func:`vgg.targets.resolve`).

    >>> class_index_message(1000, 1000)
    'class index 1000 is out of range: choose 0 to 999'
    """
    return f"class index {index} is out of range: choose 0 to {classes - 1}"


def size_message(name: str, width: int, height: int, network: str = "VGG-16") -> str:
    """The words for an input under :data:`MIN_SIDE` px on a side, shared with the command
    line (:func:`vgg.image.fitted_size`), which appends its advice.

    >>> size_message("x", 16, 16)
    'x is 16×16 px; VGG-16 needs at least 32×32 px'
    """
    return f"{name} is {width}×{height} px; {network} needs at least {MIN_SIDE}×{MIN_SIDE} px"


def _not_vgg(model: nn.Module, why: str) -> TypeError:
    return TypeError(f"expected a torchvision VGG (VGG-11, 13, 16 or 19, with or without batch "
                     f"norm), got {type(model).__name__}: {why}")


def _structure(model: nn.Module) -> dict[int, int]:
    """``{features index: block}`` of every convolution of a model laid out as torchvision's
    VGGs, block ``b = 1 +`` the max-poolings before it; anything else is a
    :class:`TypeError`. The layout: ``features`` (convolutions, each optionally followed by a
    BatchNorm2d, ReLUs and max-poolings; the first layer a convolution; at most
    ``len(BLOCK_GAMMAS)`` blocks), ``avgpool`` (a pooling) and ``classifier`` (dense layers,
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
    blocks, pooled = {}, 0
    for i, module in enumerate(features):
        if isinstance(module, nn.BatchNorm2d) and not isinstance(features[i - 1], nn.Conv2d):
            raise _not_vgg(model, f"features.{i}, a BatchNorm2d, does not follow a convolution")
        if isinstance(module, nn.MaxPool2d):
            pooled += 1
        elif isinstance(module, nn.Conv2d):
            if pooled >= len(BLOCK_GAMMAS):
                raise _not_vgg(model, f"features.{i} is a convolution of block {pooled + 1}; "
                                      f"the sheet's γ schedule has {len(BLOCK_GAMMAS)} blocks")
            blocks[i] = pooled + 1
    return blocks


def sheet_gammas(model: nn.Module) -> dict[int, float]:
    """The sheet's γ by ``features`` index for every convolution of a torchvision VGG but the
    first (z^B): ``γ = 10^{−(b−1)/2}`` in block ``b`` (:data:`BLOCK_GAMMAS`). For VGG-16 this
    is :data:`SHEET_GAMMAS`; in a ``_bn`` variant the indices are its convolutions'.

    >>> from torchvision.models import vgg11
    >>> with torch.device("meta"):                  # the structure only, no weights
    ...     gammas = sheet_gammas(vgg11())
    >>> {i: round(g, 4) for i, g in gammas.items()}
    {3: 0.3162, 6: 0.1, 8: 0.1, 11: 0.0316, 13: 0.0316, 16: 0.01, 18: 0.01}
    """
    return {i: BLOCK_GAMMAS[b - 1] for i, b in _structure(model).items() if i != 0}


def vgg_layers(model: nn.Module) -> Layers:
    """A torchvision VGG flattened into its named layers, in the order its ``forward`` runs
    them: ``features.0 … features.30``, ``avgpool``, ``flatten``, ``classifier.0 … 6`` (for
    VGG-16), each batch norm folded into the convolution before it, which keeps its name
    (:func:`vgg.canonize.fold_batch_norm`; only those convolutions are new modules, the
    others are the model's own). Anything but a torchvision VGG is a
    :class:`TypeError`.

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
    _structure(model)
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


def _network(layers: Layers) -> str:
    """``VGG-n``, ``n`` the convolutions and dense layers (the weight layers) in ``layers``."""
    return f"VGG-{sum(isinstance(m, (nn.Conv2d, nn.Linear)) for _, m in layers)}"


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


def lrp_rules(
    low: Tensor,
    high: Tensor,
    gammas: Mapping[int, float] = SHEET_GAMMAS,
    eps: float = 0.0,
) -> dict[str, Rule]:
    """The sheet's layer → rule table: ``{"features.0": ZBox(l, h), "features.k": Gamma(γ_k)}``
    for each ``k`` in ``gammas`` (by default VGG-16's, :data:`SHEET_GAMMAS`; another VGG's is
    :func:`sheet_gammas`); layers not named keep their plain gradient.

    >>> rules = lrp_rules(torch.zeros(1), torch.ones(1))
    >>> rules["features.2"], rules["features.28"]
    (Gamma(gamma=1.0, eps=0.0), Gamma(gamma=0.01, eps=0.0))
    >>> len(rules)
    13
    """
    rules: dict[str, Rule] = {FIRST: ZBox(low, high, eps)}
    for index, gamma in gammas.items():
        if index == 0:
            raise ValueError("features.0 takes the z^B rule; give γ for the later convolutions")
        rules[f"features.{index}"] = Gamma(float(gamma), eps)
    return rules


def _check_input(model: nn.Module, layers: Layers, x: Tensor) -> None:
    if x.ndim != 4 or x.shape[1] != 3:
        raise ValueError(f"x must be a batch of RGB images (N, 3, H, W), got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ValueError(f"x must be floating point, got {x.dtype}")
    height, width = x.shape[2:]
    if min(height, width) < MIN_SIDE:
        raise ValueError(size_message("x", width, height, _network(layers)))
    w = next(model.parameters())
    if w.dtype != x.dtype or w.device != x.device:
        raise ValueError(f"x is {x.dtype} on {x.device} but the model is {w.dtype} on "
                         f"{w.device}; move one of them (model.to(...) or x.to(...))")


def _check_rules(layers: Layers, rules: Mapping[str, Rule]) -> None:
    modules = dict(layers)
    for name in rules:
        module = modules.get(name)
        if not isinstance(module, (nn.Conv2d, nn.Linear)):
            raise ValueError(f"a rule names {name!r}, which is not a convolution or dense "
                             "layer of this model")


def _target(target: int | Tensor, x: Tensor, layers: Layers) -> Tensor:
    """``target`` as a tensor of class indices ``0 ≤ t < C`` (``C`` the outputs of the last
    layer), one or one per sample; anything else is a :class:`ValueError`."""
    classes = layers[-1][1].out_features
    try:
        t = torch.as_tensor(target, device=x.device)
    except (TypeError, ValueError, RuntimeError):
        raise ValueError(f"target must be a class index 0 to {classes - 1} or a tensor of "
                         f"them, got {target!r}") from None
    if t.ndim > 1 or (t.ndim == 1 and t.shape[0] not in (1, x.shape[0])):
        raise ValueError(f"target must be one class index or one per sample ({x.shape[0]}), "
                         f"got shape {tuple(t.shape)}")
    flat = t.reshape(-1)
    if t.dtype == torch.bool or t.is_floating_point() or t.is_complex():
        fractional = flat[flat != flat.trunc()] if t.is_floating_point() else flat
        shown = (fractional if fractional.numel() else flat)[:1].tolist()
        raise ValueError(f"class index {shown[0] if shown else t.dtype} is not an integer: "
                         f"choose 0 to {classes - 1}")
    wrong = flat[(flat < 0) | (flat >= classes)]
    if wrong.numel():
        raise ValueError(class_index_message(int(wrong[0]), classes))
    return t


def gradient_x_input(model: nn.Module, x: Tensor, target: int | Tensor) -> Tensor:
    """``R = x ⊙ ∇_x f_t(x)``, per sample, for the logit ``f_t`` of ``target``."""
    layers = vgg_layers(model)
    _check_input(model, layers, x)
    return relevance(layers, x, _target(target, x, layers))


def lrp(
    model: nn.Module,
    x: Tensor,
    target: int | Tensor,
    *,
    gammas: Mapping[int, float] | None = None,
    low: Tensor | float | None = None,
    high: Tensor | float | None = None,
    eps: float = 0.0,
) -> Tensor:
    """LRP of the logit ``f_t`` (z^B in ``features.0``, LRP-γ in the other convolutions,
    plain gradient elsewhere): ``R = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h`` of the modified network,
    which sums to ``f_t(x)`` minus what the biases absorb.

    ``gammas`` gives γ by ``features`` index (default: the sheet's schedule by block,
    :func:`sheet_gammas`; for VGG-16 :data:`SHEET_GAMMAS`); ``low``/``high``
    (broadcastable to ``x``; default :func:`pixel_bounds`) bound the pixels, ``l ≤ x ≤ h``;
    ``eps`` is the optional stabilizer of :mod:`vgg.rules` (0: none).
    """
    layers = vgg_layers(model)
    _check_input(model, layers, x)
    targets = _target(target, x, layers)
    default_low, default_high = pixel_bounds(x)
    bounds = []
    for given, default in ((low, default_low), (high, default_high)):
        t = default if given is None else torch.as_tensor(given, dtype=x.dtype, device=x.device)
        bounds.append(t.expand_as(x).clone().requires_grad_(True))
    table = sheet_gammas(model) if gammas is None else gammas
    rules = lrp_rules(bounds[0], bounds[1], table, eps)
    _check_rules(layers, rules)
    return relevance(layers, x, targets, rules, bounds)


__all__ = [
    "BLOCK_GAMMAS",
    "FIRST",
    "MEAN",
    "normalized",
    "MIN_SIDE",
    "SHEET_GAMMAS",
    "STD",
    "class_index_message",
    "gradient_x_input",
    "lrp",
    "lrp_rules",
    "pixel_bounds",
    "sheet_gammas",
    "size_message",
    "vgg_layers",
]
