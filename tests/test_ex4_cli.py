"""Exercise 4 as a tool: ``python -m vgg`` end to end with random weights on a small image, and
every bad input answered by one message, exit status 2 and no files."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import urllib.error
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import picture
from PIL import Image

import vgg
from clitools import MARKER
from vgg import pipeline
from vgg.cli import main
from vgg.image import load
from vgg.weights import build
from vgg.weights import imagenet as imagenet_weights

ROOT = Path(__file__).resolve().parents[1]
PNGS = ("gradient_x_input.png", "lrp.png", "comparison.png")
SIZE = (48, 40)  # width, height: small, and above VGG-16's 32 px minimum



def titles(folder: Path) -> dict[str, str]:
    """The Title of each PNG written, after checking that it is a complete PNG."""
    found = {}
    for name in PNGS:
        with Image.open(folder / name) as png:
            png.verify()
        with Image.open(folder / name) as png:
            assert png.format == "PNG"
            found[name] = png.text["Title"]
    return found


def files_in(folder: Path) -> list[str]:
    """The names under ``folder``, the record of what was written (:data:`clitools.MARKER`)
    left out."""
    return sorted(p.name for p in folder.rglob("*") if p.name != MARKER) if folder.exists() else []


def test_4_cli_entry_point_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "vgg", "--image", str(picture(tmp_path)), "--weights", "random",
         "--device", "cpu", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert files_in(out) == sorted(PNGS)
    assert all("untrained network" in t for t in titles(out).values())
    lines = done.stdout.splitlines()
    assert any("untrained network" in line for line in lines)
    ranked = [line.split() for line in lines if line.startswith(("  1.", "  2.", "  5."))]
    assert len(ranked) == 3
    top1 = " ".join(ranked[0][1:-1])  # "name (index)"
    assert f"explained: {top1}" in lines  # without --target: the top-1 class


def test_4_cli_writes_titled_heatmaps_and_the_relevances(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, npz = tmp_path / "out", tmp_path / "saved" / "relevance.npz"
    image = picture(tmp_path)
    code = main(["--image", str(image), "--target", "castle", "--weights", "random",
                 "--seed", "3", "--out", str(out), "--save-relevance", str(npz)])
    printed = capsys.readouterr()
    assert code == 0 and printed.err == ""
    assert "explained: castle (483)" in printed.out and "untrained network" in printed.out
    probabilities = [float(line.split()[-1]) for line in printed.out.splitlines()
                     if line[:5] in ("  1. ", "  2. ", "  3. ", "  4. ", "  5. ")]
    assert len(probabilities) == 5 and probabilities == sorted(probabilities, reverse=True)
    assert 0 < sum(probabilities) <= 1 + 1e-3

    assert titles(out) == {
        "gradient_x_input.png":
            "castle (483) — Gradient×Input — random weights (untrained network)",
        "lrp.png": "castle (483) — LRP — random weights (untrained network)",
        "comparison.png": "castle (483) — random weights (untrained network)",
    }

    with np.load(npz, allow_pickle=False) as saved:
        assert set(saved.files) == {"gradient_x_input", "lrp", "image", "target", "class_name",
                                    "weights", "trained", "logit", "layout"}
        assert int(saved["target"]) == 483 and str(saved["class_name"]) == "castle"
        assert "untrained network" in str(saved["weights"]) and not bool(saved["trained"])
        net, _ = build("random", seed=3)
        loaded = load(image)
        # one layout for the image and the maps: (channel, row, column)
        assert str(saved["layout"]).startswith("CHW")
        assert saved["image"].shape == saved["lrp"].shape == (3, SIZE[1], SIZE[0])
        np.testing.assert_allclose(saved["image"], np.moveaxis(loaded.rgb, -1, 0))
        with torch.no_grad():
            logit = float(net(loaded.x)[0, 483])
        assert float(saved["logit"]) == pytest.approx(logit, rel=1e-6)
        for key, method in (("gradient_x_input", vgg.gradient_x_input), ("lrp", vgg.lrp)):
            assert saved[key].shape == (3, SIZE[1], SIZE[0]) and saved[key].dtype == np.float32
            expected = method(net, loaded.x, 483)[0].numpy()
            scale = np.abs(expected).max()
            np.testing.assert_allclose(saved[key], expected, rtol=0, atol=1e-6 * scale)


@pytest.mark.parametrize(
    ("mode", "size", "extra"),
    [("L", SIZE, []), ("RGBA", SIZE, []), ("RGB", (1030, 40), ["--resize", "32"])],
    ids=["grayscale", "rgba", "oversized-with-resize"],
)
def test_4_cli_accepts_grayscale_rgba_and_resized_images(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str, size: tuple[int, int],
    extra: list[str],
) -> None:
    out = tmp_path / "out"
    argv = ["--image", str(picture(tmp_path, mode, size)), "--weights", "random", "--out",
            str(out), *extra]
    assert main(argv) == 0, capsys.readouterr().err
    assert files_in(out) == sorted(PNGS)
    if extra:
        assert f"({round(1030 * 32 / 40)}×32 px as input)" in capsys.readouterr().out


def _offline() -> None:
    raise urllib.error.URLError("simulated: no network")


def _junk_weights(d: Path) -> Path:
    (d / "junk.pth").write_bytes(b"not a checkpoint")
    return d / "junk.pth"


def _no_cuda(monkeypatch: pytest.MonkeyPatch, d: Path) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


def _empty_hub(monkeypatch: pytest.MonkeyPatch, d: Path) -> None:
    (d / "torch_home").mkdir()
    monkeypatch.setenv("TORCH_HOME", str(d / "torch_home"))
    monkeypatch.setattr(imagenet_weights, "_download", _offline)


def _corrupt(d: Path) -> Path:
    data = picture(d, name="whole.png").read_bytes()
    (d / "corrupt.png").write_bytes(data[: len(data) // 2])
    return d / "corrupt.png"


def _text(d: Path) -> Path:
    (d / "notes.txt").write_text("just words")
    return d / "notes.txt"


Argv = Callable[[Path], list[str]]
Setup = Callable[[pytest.MonkeyPatch, Path], None] | None

BAD: dict[str, tuple[Argv, Setup, str]] = {
    "missing-image": (lambda d: ["--image", str(d / "absent.jpg")], None, "no such image file"),
    "corrupt-image": (lambda d: ["--image", str(_corrupt(d))], None, "corrupt or truncated"),
    "not-an-image": (lambda d: ["--image", str(_text(d))], None, "not an image Pillow can read"),
    "oversized": (lambda d: ["--image", str(picture(d, size=(1030, 40)))], None,
                  "over 1024 px on a side; pass --resize N with N from 32 to"),
    "resize-too-small": (lambda d: ["--image", str(picture(d)), "--resize", "8"], None,
                         "--resize 8: choose N between 32 and 1024"),
    "unknown-class": (lambda d: ["--image", str(picture(d)), "--target", "castel"], None,
                      "unknown class name 'castel' (closest: castle (483)"),
    "index-too-large": (lambda d: ["--image", str(picture(d)), "--target", "1000"], None,
                        "class index 1000 is out of range: choose 0 to 999"),
    "index-negative": (lambda d: ["--image", str(picture(d)), "--target=-3"], None,
                       "class index -3 is out of range"),
    "cuda-absent": (lambda d: ["--image", str(picture(d)), "--device", "cuda"], _no_cuda,
                    "--device cuda: CUDA is not available here"),
    "imagenet-offline-strict": (lambda d: ["--image", str(picture(d)), "--weights", "imagenet",
                                           "--strict"],
                                _empty_hub, "--weights random (an untrained network"),
    "bad-weights-file": (lambda d: ["--image", str(picture(d)), "--weights",
                                    str(_junk_weights(d))], None,
                         "is not a PyTorch state_dict of tensors"),
    "seed-not-a-number": (lambda d: ["--seed", "abc"], None,
                          "argument --seed: invalid int value: 'abc'"),
    "seed-negative": (lambda d: ["--image", str(picture(d)), "--weights", "random",
                                 "--seed=-1"], None, "--seed -1: choose an integer from 0"),
    "seed-too-large": (lambda d: ["--image", str(picture(d)), "--weights", "random", "--seed",
                                  str(2**64)], None, "choose an integer from 0 to 2^64 − 1"),
    "unknown-device": (lambda d: ["--device", "tpu"], None, "argument --device: invalid choice"),
    "out-is-a-file": (lambda d: ["--image", str(picture(d)), "--weights", "random", "--out",
                                 str(_text(d) / "out")], None, "is a file, not a folder"),
    "relevance-is-a-folder": (lambda d: ["--image", str(picture(d)), "--weights", "random",
                                         "--save-relevance", str(d)], None,
                              "is a folder; give a file name"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_4_cli_bad_input_is_one_message_exit_2_and_no_files(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv, setup, message = BAD[case]
    inputs = tmp_path / "in"
    inputs.mkdir()
    if setup is not None:
        setup(monkeypatch, inputs)
    args = argv(inputs)
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    before = files_in(inputs)
    assert main(args) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.count("\n") == 1 and printed.err.startswith("python -m vgg: error: ")
    assert message in printed.err and "Traceback" not in printed.err
    assert not (tmp_path / "out").exists()
    assert files_in(inputs) == before  # nothing written next to the inputs either


def test_4_cli_failed_write_leaves_no_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "r.npz"))

    monkeypatch.setattr(pipeline.np, "savez", disk_full)  # fails after the three PNGs
    out = tmp_path / "new" / "out"
    code = main(["--image", str(picture(tmp_path)), "--weights", "random", "--out", str(out),
                 "--save-relevance", str(tmp_path / "r.npz")])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write the outputs" in err and "No space left" in err
    assert files_in(tmp_path) == ["small.png"]  # no PNG, no temporary, no new folder


def test_4_cli_states_conservation_and_warns_below_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text report says in one line the explained logit and each method's ΣR with its
    share of the logit; it warns for every method whose share is below 0.5 or negative and
    for no other; ``--ledger`` adds LRP's ledger, one row per layer from the logit down, whose
    absorbed shares add up to 1 − share; ``--json`` carries both."""
    from vgg.cli import LOW_SHARE, as_json, conservation_lines
    from vgg.pipeline import explain_image

    result = explain_image(image=str(picture(tmp_path)), weights="random", seed=3,
                           out_dir=tmp_path / "out", ledger=True)
    lines = conservation_lines(result)
    assert lines[0].startswith(f"conservation: f_t(x) = {result.logit:.4g};")
    assert "LRP ΣR = " in lines[0] and "Gradient×Input ΣR = " in lines[0]
    low = [m for m, c in result.conservation.items() if not c["share"] >= LOW_SHARE]
    assert len(lines) == 1 + len(low)
    assert result.ledger is not None and len(result.ledger) == 16
    assert result.ledger[0]["layer"] == "classifier.6" and result.ledger[-1]["rule"] == "z^B"
    share = result.conservation["lrp"]["share"]
    absorbed = sum(float(r["absorbed_share"]) for r in result.ledger)
    assert absorbed == pytest.approx(1 - share, abs=1e-4)  # float32 network
    data = json.loads(as_json(result))
    assert data["conservation"] == json.loads(json.dumps(result.conservation))
    assert len(data["ledger"]) == 16

    fake = dataclasses.replace(result, conservation={
        "lrp": {"logit": 2.0, "relevance_sum": 0.2, "share": 0.1},
        "gradient_x_input": {"logit": 2.0, "relevance_sum": -0.4, "share": -0.2}},
        logit=2.0)
    warned = conservation_lines(fake)[1:]
    assert len(warned) == 2
    assert "accounts for only 10.0 % of the logit" in warned[1]
    assert "sums to a negative number" in warned[0]
    fine = dataclasses.replace(fake, conservation={
        m: {"logit": 2.0, "relevance_sum": 1.9, "share": 0.95} for m in fake.conservation})
    assert conservation_lines(fine)[1:] == []
    assert main(["--image", str(picture(tmp_path)), "--weights", "random", "--out",
                 str(tmp_path / "o2"), "--ledger"]) == 0
    printed = capsys.readouterr().out
    assert "conservation: f_t(x) = " in printed and "LRP ledger" in printed


def test_4_cli_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    usage = capsys.readouterr().out
    for option in ("--image", "--target", "--weights", "--seed", "--device", "--resize",
                   "--out", "--save-relevance", "--ledger"):
        assert option in usage

