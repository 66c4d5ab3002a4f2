"""Exercise 4, the network: VGG-16 with ImageNet, random (labelled untrained) or file weights;
every way of getting the weights wrong is one clear WeightsError (vgg.weights)."""

from __future__ import annotations

import os
import pickle
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from conftest import derived_seed

from vgg.errors import WeightsError
from vgg.weights import build
from vgg.weights import imagenet as imagenet_weights
from vgg.weights.categories import categories
from vgg.weights.files import check_state_dict, skeleton
from vgg.weights.imagenet import imagenet_cache_path

State = dict[str, torch.Tensor]


def _offline() -> None:
    raise urllib.error.URLError("simulated: no network")


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[State, Path]]:
    """A VGG-16 state_dict (every key and shape of torchvision's) saved with torch.save.

    Each tensor is a strided view of one small random storage, at its own offset, with the
    strides 1, 3, 5, 7 from the last dimension on: no two tensors are equal, nor is a square
    one its transpose, so a swapped key or a transposed weight shows; and torch.save writes
    the shared storage once (~1 MB instead of VGG-16's 550 MB).
    """
    shapes = {k: v.shape for k, v in skeleton().state_dict().items()}
    spans = [sum((n - 1) * (2 * d + 1) for d, n in enumerate(reversed(s))) for s in shapes.values()]
    storage = torch.randn(101 * len(shapes) + max(spans) + 1,
                          generator=torch.Generator().manual_seed(derived_seed(5)))
    state = {
        k: storage.as_strided(s, [2 * d + 1 for d in reversed(range(len(s)))], 101 * n)
        for n, (k, s) in enumerate(shapes.items())
    }
    path = tmp_path_factory.mktemp("weights") / "vgg16.pth"
    torch.save(state, path)
    yield state, path
    path.unlink()


def _same(model: torch.nn.Module, state: State) -> bool:
    loaded = model.state_dict()
    return loaded.keys() == state.keys() and all(torch.equal(loaded[k], v)
                                                  for k, v in state.items())


def test_4_model_categories_are_imagenets() -> None:
    names = categories()
    assert len(names) == 1000 and names[483] == "castle" and names[0] == "tench"


def test_4_model_random_weights_are_seeded_and_labelled_untrained() -> None:
    state = torch.random.get_rng_state()
    a, info = build("random", seed=0)
    b, _ = build("random", seed=0)
    c, _ = build("random", seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)  # the caller's RNG is untouched
    assert _same(a, b.state_dict()) and not torch.equal(a.features[0].weight,
                                                         c.features[0].weight)
    assert not info.trained and "untrained network" in info.label
    assert not a.training and not any(p.requires_grad for p in a.parameters())


def test_4_model_state_dict_file_loads_exactly(saved: tuple[State, Path]) -> None:
    state, path = saved
    assert path.stat().st_size < 2**21  # the small file of the fixture, not 550 MB
    loaded, info = build(str(path))
    assert _same(loaded, state) and info.trained and info.label == "weights from vgg16.pth"
    assert not loaded.training and not any(p.requires_grad for p in loaded.parameters())
    logits = loaded(torch.zeros(1, 3, 32, 32))  # a working VGG-16
    assert logits.shape == (1, 1000) and torch.isfinite(logits).all()


def test_4_model_imagenet_weights_come_from_the_hub_cache(
    saved: tuple[State, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, path = saved
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_weights, "_download", _offline)  # a pass proves the cache was read
    cached = imagenet_cache_path()
    assert cached == tmp_path / "hub" / "checkpoints" / "vgg16-397923af.pth"
    cached.parent.mkdir(parents=True)
    os.symlink(path, cached)
    loaded, info = build("imagenet")
    assert _same(loaded, state) and info.trained and info.label == "ImageNet weights"


def test_4_model_imagenet_absent_offline_names_the_other_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_weights, "_download", _offline)
    with pytest.raises(WeightsError) as caught:
        build("imagenet")
    message = str(caught.value)
    for part in ("not in the torch hub cache", str(imagenet_cache_path()), "no network",
                 "--weights random", "--weights FILE"):
        assert part in message
    assert "--weights imagenet" not in message  # never offer the choice that just failed
    assert list(tmp_path.iterdir()) == []  # nothing half-downloaded


def test_4_model_offline_download_fails_before_announcing_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("simulated: name or service not known")

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(urllib.request, "urlopen", unreachable)  # the reachability probe
    with pytest.raises(WeightsError, match="could not be downloaded .simulated: name or service"):
        build("imagenet")
    assert capfd.readouterr().err == ""  # no "Downloading: ..." line before the one message
    assert list(tmp_path.iterdir()) == []


def _junk(path: Path) -> Path:
    path.write_bytes(b"\x00junk" * 100)
    return path


def _pickle(path: Path) -> Path:
    with open(path, "wb") as stream:
        pickle.dump({"weights": [1.0, 2.0]}, stream, protocol=4)
    return path


def _write(path: Path, obj: object) -> Path:
    torch.save(obj, path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "absent.pth", r"no such weights file"),
        (lambda d: d,
         r"is not a file \(a folder or special file\)\. Choose --weights imagenet"),
        (lambda d: _junk(d / "junk.pth"), r"is not a PyTorch state_dict of tensors \(save one"),
        (lambda d: _write(d / "code.pth", {"f": os.getcwd}),  # not loadable weights_only
         r"is not a PyTorch state_dict of tensors \(save one"),
        (lambda d: _pickle(d / "plain.pkl"), r"is not a PyTorch state_dict of tensors"),
        (lambda d: _write(d / "list.pth", [1, 2, 3]), r"holds a list, not a state_dict"),
        (lambda d: _write(d / "keys.pth", {"fc.weight": torch.zeros(2, 2)}),
         r"not a torchvision VGG-16 state_dict \(missing: features\.0\.weight, .*"
         r"unexpected: fc\.weight\)"),
    ],
    ids=["missing", "directory", "junk", "pickled-code", "plain-pickle", "not-a-mapping",
         "wrong-keys"],
)
def test_4_model_bad_weights_files_are_refused(
    tmp_path: Path, make, message: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(WeightsError, match=message) as caught:
        build(str(make(tmp_path)))
    # the suite's own words: no quoted torch text (that reads as advice to load unsafely)
    assert "weights_only" not in str(caught.value) and "\n" not in str(caught.value)
    assert capfd.readouterr().err == ""  # and no torch warning printed before it


def test_4_model_state_dict_shapes_and_types_are_checked() -> None:
    state = skeleton().state_dict()  # meta tensors: shapes without memory
    assert set(check_state_dict(state, "x")) == set(state)
    wrong = dict(state, **{"classifier.6.weight": torch.empty(10, 4096, device="meta")})
    with pytest.raises(WeightsError, match=r"shape: classifier\.6\.weight \(10, 4096\) "
                                         r"\(VGG-16: \(1000, 4096\)\)"):
        check_state_dict(wrong, "x")
    integer = dict(state, **{"features.0.bias": torch.zeros(64, dtype=torch.int64)})
    with pytest.raises(WeightsError, match=r"non-float weights \(features\.0\.bias\)"):
        check_state_dict(integer, "x")


@pytest.mark.parametrize("seed", [-1, 2**64])
def test_4_model_random_seed_outside_torchs_range_is_refused(seed: int) -> None:
    message = rf"^--seed {seed}: choose an integer from 0 to 2\^64 − 1$"
    with pytest.raises(WeightsError, match=message):
        build("random", seed=seed)
