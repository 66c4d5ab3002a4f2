r"""Gradient × Input and LRP for torchvision's VGGs (Exercise 4 of the sheet: VGG-16).

- :func:`gradient_x_input`: ``R = x ⊙ ∇_x f_t(x)``.
- :func:`lrp`: Gradient × Input of the modified network (:mod:`vgg.engine.rules`), with a
  composite's layer → rule table, by default the sheet's (:data:`vgg.engine.composites.SHEET`):
  the z^B rule in the first convolution (pixel bounds ``l ≤ x ≤ h``, the normalized images of
  pixel values 0 and 1, :func:`vgg.engine.pixels.pixel_bounds`), LRP-γ in the other
  convolutions with the γ of their block (for VGG-16 the table
  :data:`~vgg.engine.composites.SHEET_GAMMAS`), and dense layers, ReLUs and poolings left
  intact. Its relevance is ``R = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h`` and starts from
  ``R = f_t(x)`` at the top.
- :func:`gradient` (``∇_x f_t(x)``) and :func:`logits`, of the same deterministic network.

Both work on torchvision's VGG-11, 13, 16 and 19 and on their ``_bn`` variants, whose batch
norms are folded into the convolutions before them (:mod:`vgg.engine.canonizers`; the explained
network is the evaluation-mode one); any other network is a :class:`TypeError`. They take a
normalized batch ``x`` of shape ``(N, 3, H, W)`` with ``H, W ≥`` :data:`~vgg.limits.MIN_SIDE`
px, a target class ``0 ≤ t < C`` (``C`` the outputs of the model's last layer; an int, or one
per sample), and return a tensor shaped like ``x``, on its device and in its dtype (which must
be the model's); a bad input or target is a :class:`ValueError` worded as the command line's.
The caller's model is only read: its parameters, ``requires_grad`` flags, train/eval mode and
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
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from vgg.engine.canonizers import network_name, vgg_layers
from vgg.engine.composites import SHEET, Composite, lrp_rules
from vgg.engine.pixels import pixel_bounds
from vgg.engine.propagate import Layers, forward, gradients, relevance_and_output
from vgg.engine.rules import Rule
from vgg.limits import MIN_SIDE, class_index_message, size_message


def check_input(model: nn.Module, layers: Layers, x: Tensor) -> None:
    if x.ndim != 4 or x.shape[1] != 3:
        raise ValueError(f"x must be a batch of RGB images (N, 3, H, W), got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise ValueError(f"x must be floating point, got {x.dtype}")
    height, width = x.shape[2:]
    if min(height, width) < MIN_SIDE:
        raise ValueError(size_message("x", width, height, network_name(layers)))
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


def check_target(target: int | Tensor, x: Tensor, layers: Layers) -> Tensor:
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




def logits(model: nn.Module, x: Tensor) -> Tensor:
    """The deterministic (evaluation-mode, dropout skipped) network's logits, no graph."""
    with torch.no_grad():
        return forward(vgg_layers(model), x)


def gradient(model: nn.Module, x: Tensor, target: int | Tensor) -> Tensor:
    """``∇_x f_t(x)`` per sample (:func:`vgg.engine.propagate.gradients` with no rules)."""
    return gradients(vgg_layers(model), x, target)[0]


def gradient_x_input(model: nn.Module, x: Tensor, target: int | Tensor) -> Tensor:
    """``R = x ⊙ ∇_x f_t(x)``, per sample, for the logit ``f_t`` of ``target``."""
    return explain_gradient_x_input(model, x, target).relevance


@dataclass(frozen=True)
class Explanation:
    """An explanation with what it explains: the ``relevance`` ``R`` (shaped like ``x``), the
    explained ``logit`` ``f_t(x)`` per sample ``(N,)`` and the ``target`` class ``t`` per
    sample. :attr:`relevance_sum` is ``ΣR`` and :attr:`share` ``ΣR / f_t(x)``: the part of the
    logit the heatmap accounts for (1 for a conservative explanation; LRP's biases absorb the
    rest, :mod:`vgg.engine.ledger`)."""

    relevance: Tensor
    logit: Tensor
    target: Tensor

    @property
    def relevance_sum(self) -> Tensor:
        """``ΣR`` per sample."""
        return self.relevance.sum(tuple(range(1, self.relevance.ndim)))

    @property
    def share(self) -> Tensor:
        """``ΣR / f_t(x)`` per sample."""
        return self.relevance_sum / self.logit


def lrp_setup(model: nn.Module, x: Tensor, target: int | Tensor, composite: Composite,
              gammas: Mapping[int, float] | None, low: Tensor | float | None,
              high: Tensor | float | None,
              eps: float) -> tuple[Layers, Tensor, dict[str, Rule], list[Tensor]]:
    """What :func:`lrp` runs: the model's layers, the targets, the rules and the bounds (the
    extra inputs ``l``, ``h``, each shaped like ``x``), every argument checked."""
    layers = vgg_layers(model)
    check_input(model, layers, x)
    targets = check_target(target, x, layers)
    default_low, default_high = pixel_bounds(x)
    bounds = []
    for given, default in ((low, default_low), (high, default_high)):
        t = default if given is None else torch.as_tensor(given, dtype=x.dtype, device=x.device)
        bounds.append(t.expand_as(x).clone().requires_grad_(True))
    if gammas is None:
        rules = composite.rules(model, bounds[0], bounds[1], eps)
    elif composite is SHEET:
        rules = lrp_rules(bounds[0], bounds[1], gammas, eps)
    else:
        raise ValueError(f"gammas sets the γ of the sheet's composite, not of {composite.name!r}")
    _check_rules(layers, rules)
    return layers, targets, rules, bounds


def lrp(
    model: nn.Module,
    x: Tensor,
    target: int | Tensor,
    *,
    composite: Composite = SHEET,
    gammas: Mapping[int, float] | None = None,
    low: Tensor | float | None = None,
    high: Tensor | float | None = None,
    eps: float = 0.0,
) -> Tensor:
    """LRP of the logit ``f_t`` with ``composite``'s rules (the sheet's: z^B in
    ``features.0``, LRP-γ in the other convolutions, plain gradient elsewhere):
    ``R = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h`` of the modified network, which sums to ``f_t(x)``
    minus what the biases absorb (:func:`explain_lrp` returns the logit with it,
    :func:`vgg.engine.ledger.lrp_ledger` says where the rest went).

    ``gammas`` gives the sheet's composite other γ, by ``features`` index (default: the
    sheet's schedule by block, :func:`~vgg.engine.composites.sheet_gammas`; for VGG-16
    :data:`~vgg.engine.composites.SHEET_GAMMAS`); ``low``/``high`` (broadcastable to ``x``;
    default :func:`~vgg.engine.pixels.pixel_bounds`) bound the pixels, ``l ≤ x ≤ h``; ``eps`` is
    the optional stabilizer of :mod:`vgg.engine.modified` (0: none).
    """
    return explain_lrp(model, x, target, composite=composite, gammas=gammas, low=low,
                       high=high, eps=eps).relevance


def explain_lrp(
    model: nn.Module,
    x: Tensor,
    target: int | Tensor,
    *,
    composite: Composite = SHEET,
    gammas: Mapping[int, float] | None = None,
    low: Tensor | float | None = None,
    high: Tensor | float | None = None,
    eps: float = 0.0,
) -> Explanation:
    """:func:`lrp` (same arguments) as an :class:`Explanation`: the relevance with the logit
    ``f_t(x)`` of the same pass."""
    layers, targets, rules, bounds = lrp_setup(model, x, target, composite, gammas, low, high,
                                               eps)
    r, logit = relevance_and_output(layers, x, targets, rules, bounds)
    return Explanation(r, logit, targets.reshape(-1).expand(len(x)))


def explain_gradient_x_input(model: nn.Module, x: Tensor,
                             target: int | Tensor) -> Explanation:
    """:func:`gradient_x_input` as an :class:`Explanation`: ``x ⊙ ∇_x f_t(x)`` with the
    logit ``f_t(x)``."""
    layers = vgg_layers(model)
    check_input(model, layers, x)
    targets = check_target(target, x, layers)
    r, logit = relevance_and_output(layers, x, targets)
    return Explanation(r, logit, targets.reshape(-1).expand(len(x)))


__all__ = ["Explanation", "check_input", "check_target", "explain_gradient_x_input", "explain_lrp",
           "gradient", "gradient_x_input", "logits", "lrp", "lrp_setup"]
