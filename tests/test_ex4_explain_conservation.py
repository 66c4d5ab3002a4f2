"""Exercise 4.2: with zero biases, LRP is conservative — the relevance of the input pixels and
of the bounds sums to the explained logit, ``Σ_i R_i = f_t(x)``, per sample.

Each rule of the sheet sends down exactly what it receives when ``p`` has no bias term
(``Σ_j a_j ρ(w)_jk / p_k = 1``; for z^B, ``Σ_i (x_i w_ij − l_i w_ij⁺ − h_i w_ij⁻) / p_j = 1``),
and the layers left intact (ReLU, pooling, dense layers without bias) pass relevance
``a ⊙ ∇`` on unchanged. Gradient × Input is conservative too here (the network is then
positively homogeneous). torchvision's VGG-16, random weights (seeded); torchvision
initializes every bias to zero. float64; tolerance 1e-10 relative to the logit.
"""

from __future__ import annotations

import pytest
import torch
from conftest import normalized_images as images
from conftest import random_vgg16
from torch import nn

from vgg import gradient_x_input, lrp

F64 = torch.float64


pytestmark = pytest.mark.seeded


@pytest.fixture(scope="module")
def model() -> nn.Module:
    m = random_vgg16(10)
    assert all(bool((mod.bias == 0).all()) for mod in m.modules()
               if isinstance(mod, (nn.Conv2d, nn.Linear)))
    return m




@pytest.mark.parametrize("size", [32, 64])
def test_4_2_lrp_relevance_sums_to_the_logit_with_zero_biases(model: nn.Module,
                                                              size: int) -> None:
    x = images(2, size, key=size)
    target = torch.tensor([483, 17])
    logits = model(x).detach()[[0, 1], target]
    r = lrp(model, x, target)
    totals = r.sum(dim=(1, 2, 3))
    assert ((totals - logits).abs() <= 1e-10 * logits.abs()).all()
    # not trivially: the relevance is spread, with both signs
    assert (r > 0).any() and (r < 0).any()


def test_4_1_gradient_x_input_sums_to_the_logit_with_zero_biases(model: nn.Module) -> None:
    x = images(2, 32, key=1)
    target = torch.tensor([5, 6])
    logits = model(x).detach()[[0, 1], target]
    totals = gradient_x_input(model, x, target).sum(dim=(1, 2, 3))
    assert ((totals - logits).abs() <= 1e-10 * logits.abs()).all()
