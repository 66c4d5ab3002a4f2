"""Exercise 4.2 against a reference: our LRP equals Zennit 0.5.1's with the same rules stated
layer by layer (:mod:`vgg.engine.reference` explains the composite and the differences that cannot
show on VGG-16).

torchvision's VGG-16 with random weights (seeded) and small random, nonzero biases, float64.
Zennit divides by ``p + ε·sign(p)``; with ``ε = 1e-300`` that is ``p`` itself in float64 (the
smallest ``|p|`` here is many orders above), so the two must agree to rounding: tolerance
1e-10 relative to the largest relevance (observed: about 1e-15).
"""

from __future__ import annotations

import pytest
import torch
import zennit.rules as zennit_rules
from conftest import derived_seed, random_vgg16
from conftest import normalized_images as images
from torch import Tensor, nn

from vgg import lrp
from vgg.engine import Gamma, ZBox, pixel_bounds
from vgg.engine.reference import zennit_lrp

F64 = torch.float64
TINY = 1e-300
RTOL = 1e-10


pytestmark = pytest.mark.seeded


@pytest.fixture(scope="module")
def model() -> nn.Module:
    return random_vgg16(20, bias=0.05)




@pytest.mark.parametrize(("size", "target"), [(32, [483, 7]), (64, [1])])
def test_4_2_lrp_agrees_with_zennit_on_vgg16(model: nn.Module, size: int,
                                             target: list[int]) -> None:
    """Same heatmaps as Zennit (z^B first, LRP-γ by the sheet's schedule, LRP-0 in the dense
    layers and the average pooling), per sample with per-sample targets. At 64 px the adaptive
    average pooling (2×2 → 7×7) mixes units, so its rule matters too."""
    x = images(len(target), size, key=size)
    target = torch.tensor(target)
    ours = lrp(model, x, target)
    theirs = zennit_lrp(model, x, target, stabilizer=TINY)
    assert (ours - theirs).abs().max() <= RTOL * theirs.abs().max()
    assert theirs.abs().max() > 0


def test_4_2_gradient_rules_agree_with_zennit_with_a_stabilizer() -> None:
    """``eps`` is Zennit's stabilizer: one convolution + ReLU, LRP-γ with ε = 0.05 and z^B with
    ε = 0.05 (large enough to change the result), agree with Zennit's ``Gamma`` and ``ZBox``."""
    torch.manual_seed(derived_seed(21))
    conv = nn.Conv2d(3, 4, 3, padding=1).to(F64)
    with torch.no_grad():
        conv.bias.uniform_(-0.2, 0.2)
    net = nn.Sequential(conv, nn.ReLU())
    a = torch.rand(2, 3, 6, 6, dtype=F64)
    r_out = torch.rand(2, 4, 6, 6, dtype=F64)
    low, high = (t.expand_as(a).clone() for t in pixel_bounds(a))
    eps = 0.05
    for ours, theirs in ((Gamma(0.25, eps), zennit_rules.Gamma(gamma=0.25, stabilizer=eps)),
                         (ZBox(low, high, eps), zennit_rules.ZBox(low, high, stabilizer=eps))):
        expected = zennit_single(net, theirs, a, r_out)
        xa = a.clone().requires_grad_(True)
        leaves = [xa]
        if isinstance(ours, ZBox):
            lo, hi = low.clone().requires_grad_(True), high.clone().requires_grad_(True)
            ours = ZBox(lo, hi, eps)
            leaves += [lo, hi]
        out = torch.relu(ours(conv, xa))
        z = out.detach()
        grads = torch.autograd.grad(out, leaves, torch.where(z > 0, r_out / z, 0.0))
        actual = sum(t.detach() * g for t, g in zip(leaves, grads, strict=True))
        assert (actual - expected).abs().max() <= RTOL * expected.abs().max()


def zennit_single(net: nn.Sequential, rule, a: Tensor, r_out: Tensor) -> Tensor:
    """Zennit's relevance of ``a`` for ``net = conv → ReLU`` with ``rule`` on the convolution,
    receiving ``r_out`` at the ReLU output."""
    from zennit.composites import NameMapComposite

    composite = NameMapComposite([(("0",), rule)])
    with composite.context(net) as hooked:
        xa = a.clone().requires_grad_(True)
        (r,) = torch.autograd.grad(hooked(xa), xa, r_out)
    return r


def test_4_2_zennit_gamma_differs_only_on_negative_outputs() -> None:
    """The one semantic difference, precisely: for an output ``z_k < 0`` Zennit's ``Gamma``
    uses ``w + γw⁻``, ``b + γb⁻`` where the sheet's rule uses ``w + γw⁺``, ``b + γb⁺``. Without
    the ReLU, relevance placed on negative outputs is split differently; relevance on positive
    outputs is split the same. (On VGG-16 every convolution feeds a ReLU, which gives negative
    outputs no relevance, hence the agreement above.)"""
    from zennit.composites import NameMapComposite

    torch.manual_seed(derived_seed(22))
    conv = nn.Conv2d(3, 4, 3, padding=1).to(F64)
    with torch.no_grad():
        conv.bias.uniform_(-0.2, 0.2)
    a = torch.rand(1, 3, 6, 6, dtype=F64)
    gamma = 0.5
    z = conv(a).detach()
    assert (z > 0).any() and (z < 0).any()
    net = nn.Sequential(conv)
    composite = NameMapComposite([(("0",), zennit_rules.Gamma(gamma=gamma, stabilizer=TINY))])

    def theirs(r_out: Tensor) -> Tensor:
        with composite.context(net) as hooked:
            xa = a.clone().requires_grad_(True)
            return torch.autograd.grad(hooked(xa), xa, r_out)[0]

    def ours(r_out: Tensor) -> Tensor:
        xa = a.clone().requires_grad_(True)
        return xa.detach() * torch.autograd.grad(Gamma(gamma)(conv, xa), xa, r_out / z)[0]

    def sheet_with_negative_part(r_out: Tensor) -> Tensor:
        w, b = conv.weight.detach(), conv.bias.detach()
        rho_w, rho_b = w + gamma * w.clamp(max=0), b + gamma * b.clamp(max=0)
        xa = a.clone().requires_grad_(True)
        p = conv._conv_forward(xa, rho_w, rho_b)
        return xa.detach() * torch.autograd.grad(p, xa, r_out / p.detach())[0]

    r = torch.rand_like(z)
    positive, negative = torch.where(z > 0, r, 0.0), torch.where(z < 0, r, 0.0)
    assert (ours(positive) - theirs(positive)).abs().max() <= RTOL * theirs(positive).abs().max()
    assert (ours(negative) - theirs(negative)).abs().max() > 1e-3 * theirs(negative).abs().max()
    expected = sheet_with_negative_part(negative)
    assert (theirs(negative) - expected).abs().max() <= RTOL * expected.abs().max()
