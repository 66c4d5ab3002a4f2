"""Exercise 4 on a TRAINED network: the digits VGG-16 shipped with the project (vgg.digits).

These tests read TRAINED weights shipped with the project (``vgg/data/digits_vgg16_seedN.pt``
for the training seeds N = 0, 1, 2, made by ``python -m vgg.digits train --seed N``), not
random ones: a VGG-16-shaped torchvision VGG trained on scikit-learn's ``load_digits``. The
held-out set is the LAST 360 images of ``load_digits()`` in scikit-learn's order (indices
1437–1796), never used in training.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn
from torchvision.models import VGG

import vgg
from vgg import digits
from vgg.digits import data, figures, network, train
from vgg.digits.cli import COMMAND
from vgg.engine import SHEET_GAMMAS, vgg_layers
from vgg.weights.digits import load_digits_model

CONVS = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]
POOLS = [4, 9, 16, 23, 30]


@pytest.fixture(scope="module", autouse=True)
def _one_thread_here(one_thread: None) -> None:
    """Every test of this module with one torch thread (conftest.one_thread)."""


@pytest.fixture(scope="module")
def model() -> VGG:
    return load_digits_model()


@pytest.fixture(scope="module")
def held() -> tuple[torch.Tensor, torch.Tensor]:
    return data.held_out()


@pytest.fixture(scope="module")
def found() -> dict[int, figures.Figures]:
    """Every shipped network's held-out figures, computed here (float64 LRP)."""
    return {seed: figures.figures(load_digits_model(seed=seed)) for seed in digits.SEEDS}


@pytest.mark.parametrize("seed", digits.SEEDS)
def test_4_digits_every_shipped_network_keeps_its_promise(
        seed: int, found: dict[int, figures.Figures],
        held: tuple[torch.Tensor, torch.Tensor]) -> None:
    """Each shipped TRAINED network (one per training seed), over the 360 held-out digits
    (the last 360 of load_digits, never seen in training): accuracy ≥ 97 %; the median share
    of the explained logit that LRP's heatmap accounts for, ΣR/f_t, ≥ 0.5; fewer than 5 % of
    the correctly classified digits with a negative LRP sum. Computed here, and the record
    beside the weights states the same figures."""
    x, y = held
    assert x.shape == (360, 3, 32, 32) and y.shape == (360,)
    assert data.split("held_out").indices.tolist() == list(range(1437, 1797))
    f = found[seed]
    assert f.accuracy >= figures.MIN_ACCURACY == 0.97
    assert f.share_median >= figures.MIN_MEDIAN_SHARE == 0.5
    assert f.negative_correct < figures.MAX_NEGATIVE_CORRECT == 0.05
    assert figures.promise_kept(f)
    assert train.accuracy(load_digits_model(seed=seed), x, y) == pytest.approx(f.accuracy)
    record = digits.metadata(seed)
    assert record["held_out_accuracy"] == pytest.approx(f.accuracy)
    assert record["training"]["seed"] == seed
    for key, value in f.as_dict().items():
        assert record["conservation"][key] == pytest.approx(value, rel=1e-6, abs=1e-9), key


@pytest.mark.parametrize("seed", digits.SEEDS)
def test_4_digits_shipped_weights_are_the_recorded_ones(seed: int) -> None:
    """``vgg/data/digits_vgg16_seedN.pt`` is, byte for byte, the file its record describes:
    the SHA-256 of the file's bytes equals the ``sha256`` field, which ``python -m vgg.digits
    train`` computes over the very bytes it writes (:func:`vgg.digits.train.save`). A
    retrained, truncated or Git-LFS-pointer file fails here."""
    import hashlib

    record = digits.metadata(seed)
    assert digits.metadata_path(seed).name == f"digits_vgg16_seed{seed}.json"
    assert len(record["sha256"]) == 64 and set(record["sha256"]) <= set("0123456789abcdef")
    assert hashlib.sha256(digits.weights_path(seed).read_bytes()).hexdigest() == \
        record["sha256"]


def test_4_digits_the_previous_network_would_break_the_promise() -> None:
    """The promise can fail: the figures of the previous network (batch norm folded into
    biased convolutions: a median of 7 % of the logit reached the pixels, 24 % of the LRP sums
    negative) break it, and each threshold alone breaks it."""
    assert not figures.promise_kept(figures.Figures(0.9833, 0.055, 0.072, 0.24, 0.24))
    good = figures.Figures(0.98, 0.9, 0.95, 0.0, 0.0)
    assert figures.promise_kept(good)
    for change in ({"accuracy": 0.965}, {"share_median": 0.49}, {"negative_correct": 0.05}):
        assert not figures.promise_kept(figures.Figures(**{**good.as_dict(), **change}))


def test_4_digits_model_is_a_plain_vgg16(model: VGG) -> None:
    """The TRAINED network is torchvision's VGG class with VGG-16's feature layer sequence
    (the sheet's layer → rule table applies by index), no BatchNorm, a VGG classifier, in
    evaluation mode with frozen parameters."""
    assert type(model) is VGG
    kinds = [type(m) for m in model.features]
    assert len(kinds) == 31
    assert [i for i, k in enumerate(kinds) if k is nn.Conv2d] == CONVS
    assert [i for i, k in enumerate(kinds) if k is nn.MaxPool2d] == POOLS
    assert all(kinds[i + 1] is nn.ReLU for i in CONVS)
    assert set(SHEET_GAMMAS) == set(CONVS[1:])
    assert not any(isinstance(m, (nn.modules.batchnorm._BatchNorm, network.ScaleNorm2d))
                   for m in model.modules())
    assert all(model.features[i].bias is None for i in CONVS)  # convolutions without bias
    assert [type(m) for m in model.classifier] == [nn.Linear, nn.ReLU, nn.Dropout, nn.Linear,
                                                   nn.ReLU, nn.Dropout, nn.Linear]
    assert model.classifier[6].out_features == len(digits.class_names()) == 10
    assert digits.class_names() == tuple("0123456789")
    assert not model.training and not any(p.requires_grad for p in model.parameters())
    assert [name for name, _ in vgg_layers(model)][-1] == "classifier.6"


def test_4_digits_scale_norm_fold_preserves_outputs() -> None:
    """Folding the scale-only normalization into the convolutions (on a tiny untrained network
    with random statistics and scales) gives a plain VGG, convolutions without bias, with the
    training network's evaluation-mode outputs (to 1e-5); the training network is unchanged."""
    gen = torch.Generator().manual_seed(3)
    torch.manual_seed(3)
    trained = network.build((4, 6, 8, 8, 8), 16, scale_norm=True)
    for m in trained.modules():
        if isinstance(m, network.ScaleNorm2d):
            m.running_square.copy_(torch.rand(m.running_square.shape[0], generator=gen) * 2
                                   + 0.2)
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape[0], generator=gen) * 2 - 0.5)
    trained.eval()
    before = {k: v.clone() for k, v in trained.state_dict().items()}
    plain = network.fold_scale_norm(trained)
    assert not any(isinstance(m, network.ScaleNorm2d) for m in plain.modules())
    assert [type(m) for m in plain.features] == [type(m) for m in network.build().features]
    assert all(m.bias is None for m in plain.features if isinstance(m, nn.Conv2d))
    x = torch.randn(4, 3, 32, 32, generator=gen)
    with torch.no_grad():
        assert torch.allclose(plain(x), trained(x), atol=1e-5, rtol=0)
    assert all(torch.equal(v, trained.state_dict()[k]) for k, v in before.items())


def test_4_digits_scale_norm_normalizes_by_the_mean_square_in_training() -> None:
    """In training, ScaleNorm2d divides each channel by the root of its mean square over the
    batch and the pixels (no centring: a constant channel keeps its sign) and updates the
    running mean square with momentum 0.1; in evaluation it uses the running value."""
    norm = network.ScaleNorm2d(2).train()
    z = torch.stack([torch.full((3, 3), 2.0), torch.full((3, 3), -4.0)])[None]
    y = norm(z)
    assert torch.allclose(y, torch.sign(z), atol=1e-5)
    assert torch.allclose(norm.running_square, torch.tensor([0.9 + 0.4, 0.9 + 1.6]))
    norm.eval()
    assert torch.allclose(norm(z), z / torch.sqrt(norm.running_square + 1e-5)[None, :, None,
                                                                                   None])


def test_4_digits_lrp_and_gradient_x_input_run_on_the_trained_network(
        model: VGG, held: tuple[torch.Tensor, torch.Tensor]) -> None:
    """vgg.lrp and vgg.gradient_x_input run unchanged on the TRAINED digits network and give
    finite relevances shaped like the input."""
    x = held[0][:8]
    with torch.no_grad():
        target = model(x).argmax(1)
    for r in (vgg.lrp(model, x, target), vgg.gradient_x_input(model, x, target)):
        assert r.shape == x.shape and r.dtype == x.dtype
        assert bool(torch.isfinite(r).all()) and bool((r != 0).any())


def test_4_digits_png_reads_back_to_the_training_input(
        model: VGG, held: tuple[torch.Tensor, torch.Tensor], tmp_path: Path) -> None:
    """A held-out digit saved as an 8-bit grayscale PNG (0–16 scaled to 0–255) reads back to
    exactly the input the TRAINED network was evaluated on, with the same prediction; so do a
    4× larger picture of it (area-resampled back to 8×8) and a dark-ink-on-white version."""
    x, _ = held
    images = data.split("held_out").images
    chosen = range(0, 360, 36)
    for i in chosen:
        path = data.save_png(images[i], tmp_path / f"digit{i}.png")
        with Image.open(path) as png:
            assert png.mode == "L" and png.size == (8, 8)
        assert torch.equal(data.digit_input(path), x[i:i + 1])
        big = np.kron(images[i], np.ones((4, 4), dtype=np.uint8))
        large = data.digit_input(data.save_png(big, tmp_path / f"big{i}.png"))
        dark = data.digit_input(data.save_png(255 - big, tmp_path / f"dark{i}.png"))
        for other in (large, dark):
            assert torch.allclose(other, x[i:i + 1], atol=1e-5, rtol=0)
    files = torch.cat([data.digit_input(tmp_path / f"digit{i}.png") for i in chosen])
    with torch.no_grad():
        assert torch.equal(model(files).argmax(1), model(x[list(chosen)]).argmax(1))


def test_4_digits_preprocessing_keeps_the_pixel_box() -> None:
    """The upsampled pictures stay in [0, 1] (the z^B rule's box) and area resampling keeps
    the mean of any picture."""
    gray = torch.rand(3, 19, 13, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    p = data.pixels(gray)
    assert p.shape == (3, 1, 32, 32) and float(p.min()) >= 0 and float(p.max()) <= 1
    a = data.area_matrix(19, 8)
    assert torch.allclose(a.sum(1), torch.ones(8, dtype=torch.float64))
    assert torch.allclose((a @ gray[0] @ data.area_matrix(13, 8).T).mean(), gray[0].mean())


def test_4_digits_cli_refuses_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m vgg.digits train --seed -1`` is one line and exit status 2."""
    assert COMMAND.main(["train", "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--seed" in err


def test_4_digits_explained_by_the_cli_as_json(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m vgg --weights digits --image D.png --json``: one JSON object on stdout with
    the top-1 class (the digit's label, for a held-out digit the network gets right), its
    probability, the explained target, the files written, which exist, and the conservation
    of each method shown: the logit f_t(x) (the network's), ΣR and the share ΣR/f_t;
    ``digits:1`` explains with the network of training seed 1."""
    from vgg.cli import main

    held = data.split("held_out")
    x, labels = held.inputs(), held.targets()
    with torch.no_grad():
        right = int((load_digits_model()(x).argmax(1) == labels).nonzero()[0])
    png = data.save_png(held.images[right], tmp_path / "digit.png")
    assert main(["--weights", "digits", "--image", str(png), "--out", str(tmp_path / "out"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["top1"]["index"] == int(labels[right]) == out["target"]["index"]
    assert 0 < out["top1"]["probability"] <= 1 and out["weights"]["trained"] is True
    assert out["files"] and all(Path(f).is_file() for f in out["files"])
    with torch.no_grad():
        logit = float(load_digits_model()(x[right:right + 1])[0, labels[right]])
    for method in ("lrp", "gradient_x_input"):
        c = out["conservation"][method]
        assert c["logit"] == pytest.approx(logit, rel=1e-5)
        assert c["share"] == pytest.approx(c["relevance_sum"] / c["logit"], rel=1e-12)
    assert main(["--weights", "digits:1", "--image", str(png), "--out",
                 str(tmp_path / "seed1"), "--json"]) == 0
    other = json.loads(capsys.readouterr().out)
    assert "training seed 1" in other["weights"]["label"]
    assert other["conservation"]["lrp"]["logit"] != out["conservation"]["lrp"]["logit"]
    assert main(["--weights", "digits", "--image", str(png), "--resize", "64", "--out",
                 str(tmp_path / "other")]) == 2
    assert "--resize does not apply to --weights digits" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()
