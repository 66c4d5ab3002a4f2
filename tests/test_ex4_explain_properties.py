"""Exercise 4.1–4.2 on VGG-16: what Gradient × Input and LRP (:mod:`vgg.engine`) must satisfy.

The network is torchvision's ``vgg16`` with random weights (seeded from ``SHEET11_SEED`` by
conftest.py; ImageNet weights are not
needed to check the algebra) and small random biases (nonzero, so that the bias terms of the
rules matter), in float64 where exactness is asserted; images are 32×32 or 48×48, which VGG-16
accepts thanks to its adaptive average pooling.
"""

from __future__ import annotations

import copy

import pytest
import torch
from conftest import normalized_images as images
from conftest import random_vgg16
from torch import nn
from torchvision.models import vgg16

from vgg import gradient_x_input, lrp
from vgg.engine import (
    MEAN,
    SHEET_GAMMAS,
    STD,
    Gamma,
    Plain,
    lrp_rules,
    pixel_bounds,
    relevance,
    vgg_layers,
)

F64 = torch.float64






@pytest.fixture(scope="module")
def model() -> nn.Module:
    """The module's network, float64."""
    return random_vgg16(0, bias=0.05)


@pytest.fixture(scope="module")
def model32(model: nn.Module) -> nn.Module:
    """The same network in float32 (a copy)."""
    return copy.deepcopy(model).float()


pytestmark = pytest.mark.seeded


def test_4_1_gradient_x_input_is_x_times_autograd_gradient(model: nn.Module) -> None:
    """R = x ⊙ ∇f_t(x), compared with autograd through the model's own forward."""
    x = images(2, 32, key=1)
    target = torch.tensor([7, 420])
    xg = x.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(model(xg)[[0, 1], target].sum(), xg)
    expected = x * grad
    r = gradient_x_input(model, x, target)
    assert (r - expected).abs().max() <= 1e-12 * expected.abs().max()


def test_4_2_lrp_with_gamma_zero_and_plain_first_layer_is_gradient_x_input(
        model: nn.Module) -> None:
    """With every γ = 0 (LRP-0) and the first layer plain, the modified network's gradient is
    the plain one, so LRP = Gradient × Input (tolerance 1e-12 relative, float64)."""
    x = images(2, 32, key=2)
    target = torch.tensor([3, 999])
    low, high = pixel_bounds(x)
    rules = lrp_rules(low, high, gammas=dict.fromkeys(SHEET_GAMMAS, 0.0))
    rules["features.0"] = Plain()
    r_lrp0 = relevance(vgg_layers(model), x, target, rules)
    r_gxi = gradient_x_input(model, x, target)
    assert (r_lrp0 - r_gxi).abs().max() <= 1e-12 * r_gxi.abs().max()
    also_gamma_zero_first = dict(rules, **{"features.0": Gamma(0.0)})
    r_first_gamma0 = relevance(vgg_layers(model), x, target, also_gamma_zero_first)
    assert (r_first_gamma0 - r_gxi).abs().max() <= 1e-12 * r_gxi.abs().max()


def test_4_2_sheet_rules_differ_from_gradient_x_input(model: nn.Module) -> None:
    """The γ and z^B rules change the explanation (so the previous test is not vacuous)."""
    x = images(1, 32, key=3)
    r_lrp, r_gxi = lrp(model, x, 5), gradient_x_input(model, x, 5)
    assert (r_lrp - r_gxi).abs().max() > 1e-3 * r_gxi.abs().max()


def test_4_2_lrp_is_gradient_x_input_of_the_modified_network_with_bounds(
        model: nn.Module) -> None:
    """``lrp`` = x ⊙ ∇_x + l ⊙ ∇_l + h ⊙ ∇_h of the network with the sheet's table
    (:func:`vgg.engine.composites.lrp_rules`), l and h the normalized images of pixel values 0
    and 1."""
    x = images(2, 32, key=4)
    target = torch.tensor([1, 2])
    low, high = (t.expand_as(x).clone().requires_grad_(True) for t in pixel_bounds(x))
    expected = relevance(vgg_layers(model), x, target, lrp_rules(low, high), (low, high))
    assert torch.equal(lrp(model, x, target), expected)
    mean, std = torch.tensor(MEAN, dtype=F64), torch.tensor(STD, dtype=F64)
    assert torch.allclose(low[0, :, 0, 0], -mean / std)
    assert torch.allclose(high[0, :, 0, 0], (1 - mean) / std)


def test_4_2_gamma_schedule_is_the_sheets() -> None:
    """γ by ``features`` index: 2 → 1; 5, 7 → 10^−0.5; 10, 12, 14 → 10^−1; 17, 19, 21 →
    10^−1.5; 24, 26, 28 → 10^−2 — every convolution after the first, and nothing else."""
    expected = {2: 1.0, 5: 10**-0.5, 7: 10**-0.5, 10: 0.1, 12: 0.1, 14: 0.1,
                17: 10**-1.5, 19: 10**-1.5, 21: 10**-1.5, 24: 0.01, 26: 0.01, 28: 0.01}
    assert SHEET_GAMMAS.keys() == expected.keys()
    assert all(abs(SHEET_GAMMAS[k] - v) <= 1e-15 for k, v in expected.items())
    with torch.device("meta"):
        convs = [i for i, m in enumerate(vgg16().features) if isinstance(m, nn.Conv2d)]
    assert convs == [0, *SHEET_GAMMAS]


def test_4_per_sample_targets_explain_each_sample_with_its_own_class(model: nn.Module) -> None:
    """A batch with one target per sample gives each sample's own explanation; an int
    target is used for every sample."""
    x = images(2, 32, key=5)
    targets = [11, 483]
    for method in (gradient_x_input, lrp):
        batch = method(model, x, torch.tensor(targets))
        for n, t in enumerate(targets):
            alone = method(model, x[n:n + 1], t)
            assert (batch[n:n + 1] - alone).abs().max() <= 1e-12 * alone.abs().max()
        same = method(model, x, 483)
        assert torch.equal(same[1], batch[1])
        assert not torch.equal(same[0], batch[0])


@pytest.mark.parametrize("method", [gradient_x_input, lrp])
def test_4_outputs_are_finite_on_an_all_zero_image(model: nn.Module, method) -> None:
    """An all-zero input (the mean colour) and an all-black image (x = l) give finite
    relevances shaped like the input."""
    for x in (torch.zeros(1, 3, 32, 32, dtype=F64), pixel_bounds(torch.zeros(1, 3, 1, 1,
                                                                             dtype=F64))[0]
              .expand(1, 3, 32, 32).clone()):
        r = method(model, x, 483)
        assert r.shape == x.shape
        assert torch.isfinite(r).all()


def test_4_caller_model_is_left_untouched(model32: nn.Module) -> None:
    """Parameters (values and identity), requires_grad flags, train/eval mode and hooks stay as
    they were; no parameter gradient is computed (.grad stays None); dropout is skipped, so a
    model in train mode gets the evaluation-mode explanation, and the caller's hooks (here one
    doubling a ReLU's output) take no part."""
    model = copy.deepcopy(model32).train()
    for p in model.features.parameters():
        p.requires_grad_(False)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    params = {n: (p, p.requires_grad) for n, p in model.named_parameters()}
    calls = []
    model.features[1].register_forward_hook(lambda m, i, o: calls.append(1) or o * 2)
    x = images(2, 32, key=6, dtype=torch.float32)
    for method in (gradient_x_input, lrp):
        r = method(model, x, 9)
        assert torch.equal(r, method(model32, x, 9))
    assert model.training and all(m.training for m in model.modules())
    assert calls == []
    assert len(model.features[1]._forward_hooks) == 1
    for name, (p, flag) in params.items():
        assert dict(model.named_parameters())[name] is p
        assert p.requires_grad == flag
        assert p.grad is None
    after = model.state_dict()
    assert all(torch.equal(after[k], v) for k, v in before.items())


@pytest.mark.parametrize("method", [gradient_x_input, lrp])
def test_4_float32_gives_float32_close_to_float64(model: nn.Module, model32: nn.Module,
                                                  method) -> None:
    """float32 works and returns float32; it agrees with float64 to float32 accuracy
    (1e-4 relative to the largest relevance)."""
    x = images(1, 48, key=7)
    r32 = method(model32, x.float(), 100)
    r64 = method(model, x, 100)
    assert r32.dtype == torch.float32 and r32.shape == x.shape
    assert (r32.double() - r64).abs().max() <= 1e-4 * r64.abs().max()


DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", DEVICES)
def test_4_result_is_on_the_inputs_device(model32: nn.Module, device: str) -> None:
    """The result lives on x's device (CUDA too, where there is one) and matches CPU's
    (1e-4 relative: float32, different kernels; TF32 off, whose 10-bit mantissa would give
    about 5e-4 per product on an Ampere or newer GPU)."""
    x = images(1, 32, key=8, dtype=torch.float32)
    on_device = copy.deepcopy(model32).to(device)
    for method in (gradient_x_input, lrp):
        expected = method(model32, x, 1)
        with torch.backends.cudnn.flags(enabled=True, allow_tf32=False):
            r = method(on_device, x.to(device), 1)
        assert r.device.type == device
        assert (r.cpu() - expected).abs().max() <= 1e-4 * expected.abs().max()


def test_4_bad_inputs_are_refused_clearly(model: nn.Module) -> None:
    """Wrong shape, a dtype other than the model's, a target per sample of the wrong length,
    or a rule on a layer without parameters: one ValueError naming the problem."""
    x = images(2, 32, key=9)
    with pytest.raises(ValueError, match="N, 3, H, W"):
        lrp(model, x[0], 1)
    with pytest.raises(ValueError, match="float32"):
        gradient_x_input(model, x.float(), 1)
    with pytest.raises(ValueError, match="one per sample"):
        lrp(model, x, torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match="features.1"):
        lrp(model, x, 1, gammas={1: 0.5})


def test_4_inputs_made_in_inference_mode_are_explained(model32: nn.Module) -> None:
    """An input created under ``torch.inference_mode()`` (as a classifier step may make it) is
    explained like any other; calling inside inference mode is refused with a clear error."""
    x = images(1, 32, key=10, dtype=torch.float32)
    with torch.inference_mode():
        frozen = x.clone()
    for method in (gradient_x_input, lrp):
        assert torch.equal(method(model32, frozen, 3), method(model32, x, 3))
        with torch.inference_mode(), pytest.raises(RuntimeError, match="inference_mode"):
            method(model32, x, 3)
