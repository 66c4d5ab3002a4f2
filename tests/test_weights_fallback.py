"""ImageNet weights that cannot be had here (not cached, offline): ``python -m vgg`` and
``make report`` fall back to random weights and say so (a warning line, the JSON's
``weights.fallback``, the report's Settings line); ``--strict`` (``make report
WEIGHTS_REQUIRED=1``) fails instead, with one line and exit status 2, before any work.
The network is never reached: the download is replaced by one that fails as offline."""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import picture

from vgg import pipeline
from vgg.cli import main as vgg_main
from vgg.weights import imagenet as imagenet_weights


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No cached ImageNet weights, and no network."""
    def unreachable() -> None:
        raise urllib.error.URLError("simulated: no network")

    (tmp_path / "torch_home").mkdir()
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setattr(imagenet_weights, "_download", unreachable)


def test_vgg_falls_back_to_random_weights_and_says_so(
        offline: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--image", str(picture(tmp_path)), "--device", "cpu", "--out", str(tmp_path / "o")]
    assert vgg_main([*argv, "--json"]) == 0
    printed = capsys.readouterr()
    result = json.loads(printed.out)
    assert result["weights"]["trained"] is False
    assert "not in the torch hub cache" in result["weights"]["fallback"]
    assert printed.err.count("\n") == 1 and printed.err.startswith("python -m vgg: warning: ")
    assert "random weights (untrained network) instead (--strict fails instead)" in printed.err
    assert result["warnings"] == [printed.err.split("warning: ", 1)[1].rstrip("\n")]
    assert vgg_main(argv) == 0
    text = capsys.readouterr().out
    assert "NOTE: the ImageNet weights for VGG-16 are not in the torch hub cache" in text
    assert "pass --strict to fail instead" in text


def test_vgg_strict_fails_before_the_network_is_built(
        offline: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pipeline, "build", lambda *a, **k: pytest.fail("built a network"))
    out = tmp_path / "o"
    assert vgg_main(["--image", str(picture(tmp_path)), "--device", "cpu", "--out", str(out),
                     "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in the torch hub cache" in err
    assert "--weights random" in err and not out.exists()


@pytest.fixture
def report_stages(monkeypatch: pytest.MonkeyPatch) -> dict:
    """The report's stages replaced by stand-ins (the VGG stage's result as offline gives it);
    the dict records the stages run and the Settings the document got."""
    from solution import build

    seen: dict = {"stages": []}

    def stage(name, result):
        def run(*args, **kwargs):
            seen["stages"].append(name)
            return result
        return run

    def document(data) -> str:
        seen["settings"] = dict(data.settings)
        return "% stand-in\n"

    monkeypatch.setattr(build, "derivations_stage", stage("derivations", ("", "", 0)))
    monkeypatch.setattr(build, "numerics_stage", stage("numerics", ([], {})))
    monkeypatch.setattr(build, "vgg_stage", stage("vgg", SimpleNamespace(
        weights_label="random weights (untrained network)",
        fallback_reason="the ImageNet weights for VGG-16 are not in the torch hub cache")))
    monkeypatch.setattr(build, "observations_stage", stage("observations", None))
    monkeypatch.setattr(build, "document", document)
    monkeypatch.setattr(build, "versions", dict)
    return seen


def test_report_settings_say_which_weights_were_used_and_why(
        report_stages: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from solution.__main__ import main

    assert main(["--out", str(tmp_path / "r"), "--no-pdf", "--device", "cpu"]) == 0
    assert report_stages["settings"]["weights"] == "random (imagenet unavailable here)"


def test_report_strict_fails_before_any_stage(
        offline: None, report_stages: dict, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from solution.__main__ import main

    out = tmp_path / "r"
    assert main(["--out", str(out), "--no-pdf", "--device", "cpu", "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("python -m solution: error: ")
    assert "not in the torch hub cache" in err
    assert report_stages["stages"] == [] and not out.exists()


def test_make_report_passes_strict_when_weights_are_required() -> None:
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "$(if $(filter 1 yes true,$(WEIGHTS_REQUIRED)),--strict)" in makefile
