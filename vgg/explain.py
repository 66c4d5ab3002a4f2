r"""Gradient × Input and LRP for torchvision's VGG-16 (Exercise 4 of the sheet).

- :func:`gradient_x_input`: ``R = x ⊙ ∇_x f_t(x)``.
- :func:`lrp`: Gradient × Input of the modified network (:mod:`vgg.rules`), with the sheet's
  layer → rule table: the z^B rule in the first convolution (pixel bounds ``l ≤ x ≤ h``, the
  normalized images of pixel values 0 and 1), LRP-γ in the other convolutions with γ by depth
  (:data:`SHEET_GAMMAS`), and dense layers, ReLUs and poolings left intact. Its relevance is
  ``R = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h`` and starts from ``R = f_t(x)`` at the top.

Both take a normalized batch ``x`` of shape ``(N, 3, H, W)`` (any size VGG-16 accepts, from
32 px up), a target class (an int, or one per sample), and return a tensor shaped like ``x``,
on its device and in its dtype (which must be the model's). The caller's model is only read:
its parameters, ``requires_grad`` flags, train/eval mode and hooks stay as they were, no
parameter gradient is computed, and dropout is skipped (the explained network is the
deterministic, evaluation-mode one).

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
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import Tensor, nn

from vgg.rules import Gamma, Layers, Rule, ZBox, relevance

#: ImageNet preprocessing: RGB in [0, 1], then ``(x − mean) / std`` per channel.
MEAN: tuple[float, float, float] = (0.485, 0.456, 0.406)
STD: tuple[float, float, float] = (0.229, 0.224, 0.225)

#: The sheet's γ by torchvision ``features`` index of each convolution after the first.
SHEET_GAMMAS: Mapping[int, float] = {
    2: 1.0,
    5: 10**-0.5, 7: 10**-0.5,
    10: 10**-1.0, 12: 10**-1.0, 14: 10**-1.0,
    17: 10**-1.5, 19: 10**-1.5, 21: 10**-1.5,
    24: 10**-2.0, 26: 10**-2.0, 28: 10**-2.0,
}

#: The first convolution, the one reading pixels, takes the z^B rule.
FIRST = "features.0"


def vgg_layers(model: nn.Module) -> Layers:
    """A torchvision VGG flattened into its named layers, in the order its ``forward`` runs
    them: ``features.0 … features.30``, ``avgpool``, ``flatten``, ``classifier.0 … 6``.

    >>> from torchvision.models import vgg16
    >>> with torch.device("meta"):                  # the structure only, no weights
    ...     names = [name for name, _ in vgg_layers(vgg16())]
    >>> names[:2], names[30:34], names[-1]
    (['features.0', 'features.1'], ['features.30', 'avgpool', 'flatten', 'classifier.0'],
     'classifier.6')
    """
    for part in ("features", "avgpool", "classifier"):
        if not hasattr(model, part):
            raise TypeError(f"expected a torchvision VGG (with .features, .avgpool, "
                            f".classifier), got {type(model).__name__}")
    return [
        *((f"features.{i}", m) for i, m in enumerate(model.features)),
        ("avgpool", model.avgpool),
        ("flatten", nn.Flatten()),
        *((f"classifier.{i}", m) for i, m in enumerate(model.classifier)),
    ]


def pixel_bounds(x: Tensor) -> tuple[Tensor, Tensor]:
    """``(l, h)``: the normalized images of pixel values 0 and 1, ``((0 − mean)/std,
    (1 − mean)/std)`` per channel, shaped ``(1, 3, 1, 1)`` like ``x``'s dtype and device.

    >>> low, high = pixel_bounds(torch.zeros(1, 3, 4, 4))
    >>> [round(v, 4) for v in low.flatten().tolist()]
    [-2.1179, -2.0357, -1.8044]
    >>> [round(v, 4) for v in high.flatten().tolist()]
    [2.2489, 2.4286, 2.64]
    """
    mean = torch.tensor(MEAN, dtype=x.dtype, device=x.device).reshape(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=x.dtype, device=x.device).reshape(1, 3, 1, 1)
    return (0 - mean) / std, (1 - mean) / std


def lrp_rules(
    low: Tensor,
    high: Tensor,
    gammas: Mapping[int, float] = SHEET_GAMMAS,
    eps: float = 0.0,
) -> dict[str, Rule]:
    """The sheet's layer → rule table: ``{"features.0": ZBox(l, h), "features.k": Gamma(γ_k)}``
    for each ``k`` in ``gammas``; layers not named keep their plain gradient.

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


def _check_input(model: nn.Module, x: Tensor) -> None:
    if x.ndim != 4 or x.shape[1] != 3:
        raise ValueError(f"x must be a batch of RGB images (N, 3, H, W), got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ValueError(f"x must be floating point, got {x.dtype}")
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


def _target(target: int | Tensor, x: Tensor) -> Tensor:
    t = torch.as_tensor(target, device=x.device)
    if t.ndim > 1 or (t.ndim == 1 and t.shape[0] not in (1, x.shape[0])):
        raise ValueError(f"target must be one class index or one per sample ({x.shape[0]}), "
                         f"got shape {tuple(t.shape)}")
    if t.is_floating_point() or t.is_complex():
        raise ValueError("target must hold integer class indices")
    return t


def gradient_x_input(model: nn.Module, x: Tensor, target: int | Tensor) -> Tensor:
    """``R = x ⊙ ∇_x f_t(x)``, per sample, for the logit ``f_t`` of ``target``."""
    layers = vgg_layers(model)
    _check_input(model, x)
    return relevance(layers, x, _target(target, x))


def lrp(
    model: nn.Module,
    x: Tensor,
    target: int | Tensor,
    *,
    gammas: Mapping[int, float] = SHEET_GAMMAS,
    low: Tensor | float | None = None,
    high: Tensor | float | None = None,
    eps: float = 0.0,
) -> Tensor:
    """LRP of the logit ``f_t`` (z^B in ``features.0``, LRP-γ by ``gammas`` in the other
    convolutions, plain gradient elsewhere): ``R = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h`` of the
    modified network, which sums to ``f_t(x)`` minus what the biases absorb.

    ``low``/``high`` (broadcastable to ``x``; default :func:`pixel_bounds`) bound the pixels,
    ``l ≤ x ≤ h``; ``eps`` is the optional stabilizer of :mod:`vgg.rules` (0: none).
    """
    layers = vgg_layers(model)
    _check_input(model, x)
    targets = _target(target, x)
    default_low, default_high = pixel_bounds(x)
    bounds = []
    for given, default in ((low, default_low), (high, default_high)):
        t = default if given is None else torch.as_tensor(given, dtype=x.dtype, device=x.device)
        bounds.append(t.expand_as(x).clone().requires_grad_(True))
    rules = lrp_rules(bounds[0], bounds[1], gammas, eps)
    _check_rules(layers, rules)
    return relevance(layers, x, targets, rules, bounds)


__all__ = [
    "FIRST",
    "MEAN",
    "SHEET_GAMMAS",
    "STD",
    "gradient_x_input",
    "lrp",
    "lrp_rules",
    "pixel_bounds",
    "vgg_layers",
]
