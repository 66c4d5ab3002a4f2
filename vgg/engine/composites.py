r"""Composites: which layer of a VGG takes which rule. The sheet's table is :data:`SHEET`.

A :class:`Composite` names the rule of each kind of layer of a torchvision VGG, as Zennit's
composites do: the first convolution reads the pixels (a rule given the pixel box
``l ≤ x ≤ h``), every later convolution gets a rule by its block ``b = 1 … 5`` (the runs of
convolutions between two max-poolings, :func:`vgg.engine.canonizers.blocks`), and the dense
layers, ReLUs and poolings keep their plain gradient (LRP-0 in relevance terms). So one
composite serves VGG-11, 13, 16 and 19 and, canonized, their ``_bn`` variants.

The sheet's composite (:data:`SHEET`): the z^B rule on ``features.0``, LRP-γ with
``γ_b = 10^{−(b−1)/2}`` (:data:`BLOCK_GAMMAS`) in block ``b``; for VGG-16 the table
:data:`SHEET_GAMMAS`.

>>> import torch
>>> from torchvision.models import vgg11
>>> with torch.device("meta"):                  # the structure only, no weights
...     rules = SHEET.rules(vgg11(), torch.zeros(1), torch.ones(1))
>>> list(rules)[:3], rules["features.18"]
(['features.0', 'features.3', 'features.6'], Gamma(gamma=0.01, eps=0.0))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from torch import Tensor, nn

from vgg.engine.canonizers import blocks
from vgg.engine.rules import Gamma, Rule, ZBox

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

#: The first convolution, the one reading pixels.
FIRST = "features.0"


@dataclass(frozen=True)
class Composite:
    """A layer → rule table for any torchvision VGG: ``pixels(l, h, eps)`` builds the rule of
    :data:`FIRST` from the pixel bounds, ``convolution(b, eps)`` the rule of a later
    convolution in block ``b``; ``eps`` is the stabilizer every rule divides with (0: none).
    Layers it names no rule for keep their plain gradient."""

    name: str
    pixels: Callable[[Tensor, Tensor, float], Rule]
    convolution: Callable[[int, float], Rule]

    def rules(self, model: nn.Module, low: Tensor, high: Tensor,
              eps: float = 0.0) -> dict[str, Rule]:
        """``{layer name: rule}`` for ``model``'s convolutions (a :class:`TypeError` for
        anything but a torchvision VGG)."""
        table = {FIRST: self.pixels(low, high, eps)}
        for index, block in blocks(model).items():
            if index != 0:
                table[f"features.{index}"] = self.convolution(block, eps)
        return table


def sheet_gammas(model: nn.Module) -> dict[int, float]:
    """The sheet's γ by ``features`` index for every convolution of a torchvision VGG but the
    first (z^B): ``γ = 10^{−(b−1)/2}`` in block ``b`` (:data:`BLOCK_GAMMAS`). For VGG-16 this
    is :data:`SHEET_GAMMAS`; in a ``_bn`` variant the indices are its convolutions'.

    >>> import torch
    >>> from torchvision.models import vgg11
    >>> with torch.device("meta"):                  # the structure only, no weights
    ...     gammas = sheet_gammas(vgg11())
    >>> {i: round(g, 4) for i, g in gammas.items()}
    {3: 0.3162, 6: 0.1, 8: 0.1, 11: 0.0316, 13: 0.0316, 16: 0.01, 18: 0.01}
    """
    return {i: BLOCK_GAMMAS[b - 1] for i, b in blocks(model).items() if i != 0}


def _block_gamma(block: int, eps: float) -> Rule:
    """LRP-γ with the sheet's γ of ``block``."""
    return Gamma(BLOCK_GAMMAS[block - 1], eps)


#: The sheet's layer → rule table: z^B on the pixels, LRP-γ by block.
SHEET = Composite("sheet", pixels=ZBox, convolution=_block_gamma)


def lrp_rules(
    low: Tensor,
    high: Tensor,
    gammas: Mapping[int, float] = SHEET_GAMMAS,
    eps: float = 0.0,
) -> dict[str, Rule]:
    """The sheet's table with the γ given by ``features`` index: ``{"features.0": ZBox(l, h),
    "features.k": Gamma(γ_k)}`` for each ``k`` in ``gammas`` (by default VGG-16's,
    :data:`SHEET_GAMMAS`; another VGG's is :func:`sheet_gammas`); layers not named keep
    their plain gradient.

    >>> import torch
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


__all__ = ["BLOCK_GAMMAS", "FIRST", "SHEET", "SHEET_GAMMAS", "Composite", "lrp_rules",
           "sheet_gammas"]
