r"""The LRP engine: torch only; it knows no image file, command line or evaluation.

(A package ``vgg.lrp`` would be shadowed by, and would shadow, the function ``vgg.lrp`` of the
package's API once imported: the engine has its own name.)

- :mod:`vgg.engine.rules` — a rule is a class (:class:`Gamma`, :class:`ZBox`, :class:`Plain`):
  a parameter transform ``θ ↦ ρ(θ)`` that :mod:`vgg.engine.modified` runs as the modified
  gradient ``p · [z/p]_cst``;
- :mod:`vgg.engine.composites` — which layer takes which rule; the sheet's table is
  :data:`SHEET` (z^B on the pixels, LRP-γ by block, :data:`SHEET_GAMMAS` for VGG-16);
- :mod:`vgg.engine.canonizers` — a torchvision VGG (11, 13, 16, 19, with or without batch norm)
  as plain named layers, each batch norm folded into its convolution;
- :mod:`vgg.engine.propagate` — the modified forward pass and its gradients;
- :mod:`vgg.engine.pixels` — ImageNet's normalization (:data:`MEAN`, :data:`STD`) and the pixel
  box of z^B;
- :mod:`vgg.engine.explain` — :func:`lrp`, :func:`gradient_x_input`, :func:`gradient`,
  :func:`logits` on a model; :func:`explain_lrp`, :func:`explain_gradient_x_input` return an
  :class:`Explanation`, the relevance with the explained logit;
- :mod:`vgg.engine.ledger` — the conservation ledger: where the logit went, layer by layer
  (:func:`lrp_ledger`, :func:`gradient_x_input_ledger`);
- :mod:`vgg.engine.reference` — the same LRP stated in Zennit (a test dependency).

>>> import torch
>>> from torch import nn
>>> layers = [("0", nn.Linear(2, 2)), ("1", nn.ReLU()), ("2", nn.Linear(2, 1))]
>>> relevance(layers, torch.randn(4, 2), 0, {"0": Gamma(0.25)}).shape
torch.Size([4, 2])
"""

from vgg.engine.canonizers import fold_batch_norm, vgg_layers
from vgg.engine.composites import (
    BLOCK_GAMMAS,
    FIRST,
    SHEET,
    SHEET_GAMMAS,
    Composite,
    lrp_rules,
    sheet_gammas,
)
from vgg.engine.explain import (
    Explanation,
    explain_gradient_x_input,
    explain_lrp,
    gradient,
    gradient_x_input,
    logits,
    lrp,
)
from vgg.engine.ledger import LayerEntry, Ledger, gradient_x_input_ledger, lrp_ledger
from vgg.engine.pixels import MEAN, STD, normalized, pixel_bounds
from vgg.engine.propagate import Layers, forward, gradients, relevance, relevance_and_output, select
from vgg.engine.rules import FusesReLU, Gamma, Plain, Rule, ZBox

__all__ = [
    "BLOCK_GAMMAS",
    "FIRST",
    "MEAN",
    "SHEET",
    "SHEET_GAMMAS",
    "STD",
    "Composite",
    "Explanation",
    "FusesReLU",
    "Gamma",
    "LayerEntry",
    "Layers",
    "Ledger",
    "Plain",
    "Rule",
    "ZBox",
    "explain_gradient_x_input",
    "explain_lrp",
    "fold_batch_norm",
    "forward",
    "gradient",
    "gradient_x_input",
    "gradient_x_input_ledger",
    "gradients",
    "logits",
    "lrp",
    "lrp_ledger",
    "lrp_rules",
    "normalized",
    "pixel_bounds",
    "relevance",
    "relevance_and_output",
    "select",
    "sheet_gammas",
    "vgg_layers",
]
