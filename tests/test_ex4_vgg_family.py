"""Exercise 4 on the whole VGG family: ``vgg.lrp`` on torchvision's VGG-11, 13, 16 and 19 and on
the ``_bn`` variants, as a user calls it.

The sheet sets the rules per block (z^B on the first convolution; LRP-γ in the others with
``γ = 10^{−(b−1)/2}`` in block ``b``, the run of convolutions between two max-poolings), so
they carry over to every VGG; a batch norm is folded into the convolution before it
(``W' = W·s``, ``b' = (b − μ)·s + β``, ``s = γ_bn/√(σ² + ε)``) on a copy of that convolution.

Every network here has **random weights** (torchvision's initialization, seeded by
``derived_seed`` from ``SHEET11_SEED``): ImageNet weights cannot be downloaded in the test
environment, and the algebra checked does not depend on training. Batch norms get random
running statistics and affine parameters (training would set them). Exactness is asserted in
float64 on 32 px images, tolerance 1e-10 relative (``RTOL``: where it comes from).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
import torchvision.models as tvm
from conftest import derived_seed
from conftest import normalized_images as images
from torch import Tensor, nn

from vgg import gradient_x_input, lrp
from vgg.engine import SHEET_GAMMAS, lrp_rules, pixel_bounds, relevance, sheet_gammas, vgg_layers
from vgg.errors import ImageError, TargetError
from vgg.image import fitted_size
from vgg.limits import MIN_SIDE, size_message
from vgg.targets import resolve
from vgg.weights.categories import categories

F64 = torch.float64
#: Relative tolerance of the float64 comparisons (conservation Σ R = f_t, and lrp / Gradient ×
#: Input of a _bn VGG against the hand-folded network). Where it comes from: a sum of N float64
#: terms is off by at most N·u·Σ|terms| (u = 2⁻⁵³ ≈ 1.1e-16) in ANY summation order, so for
#: whatever BLAS, thread count or convolution algorithm. The fan-ins of VGG-19, the largest
#: network here (16 layers, 25,088 into classifier.0), add up to 78,235: the forward pass and
#: the relevance pass together are off by ≲ 2 · 78,235 · u ≈ 1.7e-11 of the summed magnitudes;
#: 1e-10 is 6× that, room for the cancellation between positive and negative contributions.
#: Measured (SHEET11_SEED 0, 1, 7; MKL + oneDNN, AVX-512; one and two threads): ≤ 7.9e-14 for
#: conservation, exactly 0 for the fold (both sides then run the same kernels).
RTOL = 1e-10

#: Convolutions per block of torchvision's configurations (Simonyan & Zisserman, Table 1).
PER_BLOCK = {"vgg11": (1, 1, 2, 2, 2), "vgg13": (2, 2, 2, 2, 2), "vgg16": (2, 2, 3, 3, 3),
             "vgg19": (2, 2, 4, 4, 4)}
#: γ of block b = 1 … 5 as the sheet gives it for VGG-16 (read off SHEET_GAMMAS).
GAMMA_OF_BLOCK = {1: SHEET_GAMMAS[2], 2: SHEET_GAMMAS[5], 3: SHEET_GAMMAS[10],
                  4: SHEET_GAMMAS[17], 5: SHEET_GAMMAS[24]}

#: The networks checked in float64, each with its own seed (``derived_seed(100 + i)``, …).
KEYS = ("vgg11", "vgg13", "vgg19", "vgg11_bn", "vgg16_bn")

pytestmark = pytest.mark.seeded


def random_vgg(name: str, key: int, *, bias: float = 0.0, zero_shift: bool = False,
               dtype: torch.dtype = F64) -> nn.Module:
    """torchvision's ``name`` with random weights (seeded by ``derived_seed(key)``), biases
    uniform in ``[−bias, bias]``, and for ``_bn`` random batch norms: ``μ ~ U(−1, 1)``,
    ``σ² ~ U(0.5, 2)``, ``γ ~ U(−2, 2)`` and ``β ~ U(−1, 1)``, or with ``zero_shift``
    ``β = μ·γ/√(σ² + ε)``, which makes the folded bias ``(0 − μ)·s + β`` zero. Evaluation
    mode, ``dtype``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(derived_seed(key))
        model = getattr(tvm, name)()
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    m.bias.uniform_(-bias, bias)
                elif isinstance(m, nn.BatchNorm2d):
                    m.running_mean.uniform_(-1, 1)
                    m.running_var.uniform_(0.5, 2)
                    m.weight.uniform_(-2, 2)
                    m.bias.uniform_(-1, 1)
    model = model.eval().to(dtype)
    if zero_shift:
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.bias.copy_(m.running_mean * (m.weight / torch.sqrt(m.running_var + m.eps)))
    return model


def folded_by_hand(model_bn: nn.Module, plain_name: str) -> nn.Module:
    """The plain torchvision VGG ``plain_name`` carrying ``model_bn``'s weights with each batch
    norm folded into the convolution before it, written out here independently of
    :mod:`vgg.engine.canonizers`: ``W' = W·s``, ``b' = (b − μ)·s + β``, ``s = γ/√(σ² + ε)``."""
    with torch.device("meta"):
        plain = getattr(tvm, plain_name)()
    features = list(model_bn.features)
    pairs = [(m, features[i + 1]) for i, m in enumerate(features) if isinstance(m, nn.Conv2d)]
    convs = [m for m in plain.features if isinstance(m, nn.Conv2d)]
    assert len(pairs) == len(convs)
    for (conv, bn), target in zip(pairs, convs, strict=True):
        assert isinstance(bn, nn.BatchNorm2d)
        s = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
        target.weight = nn.Parameter(conv.weight.detach() * s[:, None, None, None])
        target.bias = nn.Parameter((conv.bias.detach() - bn.running_mean) * s + bn.bias.detach())
    plain.classifier = model_bn.classifier          # shared: read only, no 800 MB copy
    return plain.eval()


def logits_of(model: nn.Module, x: Tensor, target: Tensor) -> Tensor:
    """``f_t(x)`` per sample, by the model's own ``forward`` (evaluation mode, no grad)."""
    with torch.no_grad():
        return model(x)[torch.arange(len(x)), target]


def well_scaled_target(model: nn.Module, x: Tensor, key: int) -> int:
    """A seeded class whose logit is not a near-cancellation: ``|f_t| ≥ 0.1 · median_c |f_c|``
    (the first of ``derived_seed(key), derived_seed(key + 2), …`` mod 1000). RTOL bounds the
    error relative to the summed magnitudes; a logit drawn near 0 would measure it relative
    to almost nothing."""
    with torch.no_grad():
        f = model(x)[0].abs()
    for k in range(100):
        t = derived_seed(key + 2 * k) % 1000
        if f[t] >= 0.1 * f.median():
            return t
    raise AssertionError("no class with a logit of the usual size")


@pytest.mark.parametrize("name", KEYS)
def test_4_lrp_conserves_the_logit_on_every_vgg(name: str) -> None:
    """With zero biases (and batch norms whose folded bias ``(0 − μ)·s + β`` is zero), every
    rule sends down what it receives, so ``Σ_i R_i = f_t(x)`` per sample, ``f_t`` computed by
    the model's own forward (batch norm included, evaluation mode): 1e-10 relative. A fold
    that dropped or misplaced ``μ``, ``β`` or ``s`` would leave a bias that absorbs relevance,
    or explain another function, and fail this."""
    model = random_vgg(name, 100 + list(KEYS).index(name), zero_shift=True)
    x = images(2, 32, key=101)
    target = torch.tensor([well_scaled_target(model, x[i:i + 1], 102 + i) for i in range(2)])
    logits = logits_of(model, x, target)
    r = lrp(model, x, target)
    totals = r.sum(dim=(1, 2, 3))
    assert ((totals - logits).abs() <= RTOL * logits.abs()).all(), (totals, logits)
    assert (logits != 0).all() and (r != 0).sum() > r.numel() // 2  # not 0 = 0, spread out


@pytest.mark.parametrize(("name", "plain_name"), [("vgg11_bn", "vgg11"), ("vgg16_bn", "vgg16")])
def test_4_lrp_of_a_bn_vgg_is_lrp_of_the_folded_network_and_leaves_the_model_alone(
        name: str, plain_name: str) -> None:
    """``lrp(model_bn)`` equals ``lrp`` of the plain VGG with the batch norms folded in by hand
    (nonzero biases, random statistics; 1e-10 relative, float64); Gradient × Input too. The
    user's model is in training mode, with some parameters frozen and a forward hook on a
    batch norm: afterwards its state_dict (running statistics and batch counters included),
    mode, requires_grad flags and gradients are as before, and the hook never ran."""
    model = random_vgg(name, 110 + list(KEYS).index(name), bias=0.05)
    x = images(2, 32, key=111)
    target = torch.tensor([7, 483])
    plain = folded_by_hand(model, plain_name)
    # the fold is right: measured ≤ 2.1e-15 of the largest logit (seeds 0, 1, 7), as folding
    # rounds each weight once (≤ u relative); 1e-12 keeps 500× room for other kernels
    assert torch.allclose(plain(x), model(x), rtol=1e-12, atol=1e-12)

    model.train()
    for p in model.features[:3].parameters():
        p.requires_grad_(False)
    flags = {n: p.requires_grad for n, p in model.named_parameters()}
    before = {k: v.clone() for k, v in model.state_dict().items()}
    calls: list[int] = []
    model.features[1].register_forward_hook(lambda *args: calls.append(1))

    for method in (lrp, gradient_x_input):
        ours, by_hand = method(model, x, target), method(plain, x, target)
        assert (ours - by_hand).abs().max() <= RTOL * by_hand.abs().max(), method.__name__

    after = model.state_dict()
    assert after.keys() == before.keys()
    assert all(torch.equal(after[k], v) for k, v in before.items())
    assert all(m.training for m in model.modules())
    assert {n: p.requires_grad for n, p in model.named_parameters()} == flags
    assert all(p.grad is None for p in model.parameters())
    assert calls == []


def test_4_vgg16_schedule_by_blocks_is_the_sheets_table() -> None:
    """The block rule gives VGG-16 exactly the sheet's table by ``features`` index
    (:data:`SHEET_GAMMAS`, equal as floats), and ``lrp`` on VGG-16 with the default schedule
    is bit for bit ``lrp`` with ``gammas=SHEET_GAMMAS`` (the by-index keyword still works)."""
    with torch.device("meta"):
        assert sheet_gammas(tvm.vgg16()) == dict(SHEET_GAMMAS)
    model = random_vgg("vgg16", 120, bias=0.05, dtype=torch.float32)
    x = images(1, 32, key=121, dtype=torch.float32)
    assert torch.equal(lrp(model, x, 3), lrp(model, x, 3, gammas=SHEET_GAMMAS))


@pytest.mark.parametrize("name", ["vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn",
                                  "vgg16_bn", "vgg19_bn"])
def test_4_every_vgg_gets_the_gamma_of_its_block(name: str) -> None:
    """Every convolution after the first gets the γ VGG-16's table gives its block (blocks
    counted from the max-poolings, convolutions per block from torchvision's
    configurations), keyed by its own ``features`` index; nothing else gets a γ."""
    with torch.device("meta"):
        model = getattr(tvm, name)()
    expected, index = {}, 0
    step = 3 if name.endswith("_bn") else 2          # conv (+ bn) + relu
    for block, count in enumerate(PER_BLOCK[name.removesuffix("_bn")], start=1):
        for _ in range(count):
            expected[index] = GAMMA_OF_BLOCK[block]
            assert isinstance(model.features[index], nn.Conv2d)
            index += step
        index += 1                                     # the max-pooling
    del expected[0]                                    # z^B
    assert sheet_gammas(model) == expected


def test_4_lrp_applies_the_block_schedule() -> None:
    """On VGG-11, ``lrp`` is Gradient × Input of the network modified by z^B on features.0 and
    the block schedule (:func:`sheet_gammas`), bounds included: bit for bit."""
    model = random_vgg("vgg11", 130, bias=0.05)
    x = images(1, 32, key=131)
    low, high = (t.expand_as(x).clone().requires_grad_(True) for t in pixel_bounds(x))
    rules = lrp_rules(low, high, sheet_gammas(model))
    assert torch.equal(lrp(model, x, 5), relevance(vgg_layers(model), x, 5, rules, (low, high)))


def test_4_folding_copies_only_the_convolutions_before_a_batch_norm() -> None:
    """Without batch norm the explained layers are the model's own modules (no copy of the
    weights); with it only the convolutions followed by a batch norm are new, and the batch
    norms are gone from the layer list."""
    with torch.device("meta"):
        plain, bn = tvm.vgg16(), tvm.vgg16_bn()
    own = {id(m) for m in plain.modules()}
    assert all(id(m) in own for name, m in vgg_layers(plain) if name != "flatten")
    layers = vgg_layers(bn)
    own_bn = {id(m) for m in bn.modules()}
    new = [name for name, m in layers if id(m) not in own_bn and name != "flatten"]
    convs = [f"features.{i}" for i, m in enumerate(bn.features) if isinstance(m, nn.Conv2d)]
    assert new == convs
    assert not any(isinstance(m, nn.BatchNorm2d) for _, m in layers)


def _with(features: list[nn.Module]) -> nn.Module:
    """A torchvision VGG-11 (meta device: structure only) whose features are replaced."""
    with torch.device("meta"):
        model = tvm.vgg11()
        model.features = nn.Sequential(*features)
    return model


def _unexpected_features() -> dict[str, tuple[Callable[[], nn.Module], str]]:
    def edit(change: Callable[[list[nn.Module]], None]) -> Callable[[], nn.Module]:
        def make() -> nn.Module:
            with torch.device("meta"):
                features = list(tvm.vgg11().features)
                change(features)
            return _with(features)
        return make

    def leaky(f: list[nn.Module]) -> None:
        f[1] = nn.LeakyReLU()

    def stray_bn(f: list[nn.Module]) -> None:
        f.insert(2, nn.BatchNorm2d(64))

    def sixth_block(f: list[nn.Module]) -> None:
        f.extend([nn.Conv2d(512, 512, 3, padding=1), nn.ReLU()])

    def pool_first(f: list[nn.Module]) -> None:
        f.insert(0, nn.MaxPool2d(2))

    def batch_statistics(f: list[nn.Module]) -> None:
        f.insert(1, nn.BatchNorm2d(64, track_running_stats=False))

    return {
        "leaky relu": (edit(leaky), r"features\.1 is a LeakyReLU"),
        "batch norm after a relu": (edit(stray_bn), r"features\.2, a BatchNorm2d, does not "
                                                    r"follow a convolution"),
        "sixth block": (edit(sixth_block), r"block 6"),
        "pooling first": (edit(pool_first), r"features\.0 is a MaxPool2d"),
        "batch norm without running statistics": (edit(batch_statistics),
                                                  r"running statistics"),
        "resnet": (tvm.resnet18, r"expected a torchvision VGG .* got ResNet"),
    }


@pytest.mark.parametrize("case", list(_unexpected_features()))
@pytest.mark.parametrize("method", [lrp, gradient_x_input])
def test_4_other_networks_get_a_clear_type_error(case: str, method) -> None:
    """A ResNet, or a VGG whose features hold something the rules do not cover, is refused
    with a TypeError naming what was found, before any computation (structure-only models)."""
    make, message = _unexpected_features()[case]
    with torch.device("meta"):
        model = make()
    with pytest.raises(TypeError, match=message):
        method(model, torch.zeros(1, 3, 32, 32), 0)


@pytest.fixture(scope="module")
def vgg16_32() -> nn.Module:
    """VGG-16, random weights (seeded), float32: the wording checks need no precision."""
    return random_vgg("vgg16", 140, dtype=torch.float32)


@pytest.mark.parametrize("target", [1000, -1, torch.tensor([3, 1000])])
@pytest.mark.parametrize("method", [lrp, gradient_x_input])
def test_4_target_out_of_range_is_the_cli_message(vgg16_32: nn.Module, method,
                                                  target: int | Tensor) -> None:
    """A class index outside 0 … 999 is a ValueError with the command line's words (the same
    string :func:`vgg.targets.resolve` gives ``--target``), naming the wrong index."""
    x = images(2, 32, key=141, dtype=torch.float32)
    wrong = 1000 if isinstance(target, Tensor) else target
    with pytest.raises(TargetError) as cli:
        resolve(str(wrong), categories())
    with pytest.raises(ValueError) as api:
        method(vgg16_32, x, target)
    assert str(api.value) == str(cli.value) == (
        f"class index {wrong} is out of range: choose 0 to 999")


@pytest.mark.parametrize("target", [2.5, torch.tensor([1.0, 2.5]), True])
def test_4_target_must_be_an_integer(vgg16_32: nn.Module, target: object) -> None:
    """A non-integer class (a float, a float tensor, a bool) is a ValueError in the same
    words: ``class index 2.5 is not an integer: choose 0 to 999``."""
    x = images(2, 32, key=142, dtype=torch.float32)
    shown = "True" if target is True else "2.5"
    with pytest.raises(ValueError, match=rf"^class index {shown} is not an integer: choose 0 "
                                         r"to 999$"):
        lrp(vgg16_32, x, target)


def test_4_class_count_is_the_models(vgg16_32: nn.Module) -> None:
    """The range is the model's own: a VGG-16 with 10 outputs accepts 9 and refuses 10."""
    with torch.device("meta"):
        model = tvm.VGG(nn.Sequential(), num_classes=10, init_weights=False)
    model.features = vgg16_32.features               # shared with the fixture, read only
    model.classifier = nn.Sequential(*list(vgg16_32.classifier)[:-1], nn.Linear(4096, 10))
    x = images(1, 32, key=143, dtype=torch.float32)
    assert lrp(model, x, 9).shape == x.shape
    with pytest.raises(ValueError, match=r"^class index 10 is out of range: choose 0 to 9$"):
        lrp(model, x, 10)


@pytest.mark.parametrize(("height", "width"), [(16, 16), (48, 31)])
@pytest.mark.parametrize("method", [lrp, gradient_x_input])
def test_4_input_under_32_px_is_the_cli_message(vgg16_32: nn.Module, method, height: int,
                                                width: int) -> None:
    """An input under 32 px on a side is a ValueError worded as the command line's refusal of
    such an image (which goes on with its --resize advice): ``x is 16×16 px; VGG-16 needs at
    least 32×32 px``."""
    assert MIN_SIDE == 32
    x = torch.zeros(1, 3, height, width)
    with pytest.raises(ValueError) as api:
        method(vgg16_32, x, 0)
    assert str(api.value) == size_message("x", width, height)
    assert str(api.value) == f"x is {width}×{height} px; VGG-16 needs at least 32×32 px"
    with pytest.raises(ImageError) as cli:
        fitted_size((width, height), None, "x")
    assert str(cli.value).startswith(str(api.value) + "; ")
