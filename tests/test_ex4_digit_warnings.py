"""A picture on the digits path that is blank, uniform, faint, nearly inkless or far from
square is still classified, with a warning (:mod:`vgg.digits.legibility`): one line on stderr
and, with ``--json``, a ``"warnings"`` list. The 1,797 digits of ``load_digits`` raise none."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from vgg.cli import main
from vgg.digits import legibility
from vgg.digits.data import all_digits, pixels


def test_no_digit_of_load_digits_warns() -> None:
    digits = all_digits()
    gray = digits.images.astype(np.float64) / 255.0
    views = pixels(torch.from_numpy(gray)).numpy()[:, 0]
    warned = [i for i, (g, v) in enumerate(zip(gray, views, strict=True))
              if legibility.warnings(g, v, f"digit {i}")]
    assert warned == []


def _png(folder: Path, name: str, gray: np.ndarray) -> Path:
    path = folder / name
    Image.fromarray(np.clip(np.rint(gray * 255), 0, 255).astype(np.uint8), mode="L").save(path)
    return path


def _stroke(height: int = 64, width: int = 48, level: float = 1.0,
            background: float = 0.0) -> np.ndarray:
    """A light vertical bar, a '1', on a dark background."""
    g = np.full((height, width), background)
    g[height // 8: -height // 8, width // 2 - width // 8: width // 2 + width // 8] = level
    return g


#: name → (picture, a piece of its warning); None: no warning.
PICTURES = {
    "one": (_stroke(), None),
    "blank": (np.zeros((64, 48)), "is uniform (every pixel the same gray level)"),
    "gray": (np.full((40, 40), 0.5), "is uniform"),
    "faint": (_stroke(level=0.55, background=0.45), "has very low contrast"),
    "dot": (np.pad(np.ones((2, 2)), 299), "ink where the network reads it (0.0 % of its"),
    "small": (np.pad(np.ones((60, 60)), 120),
              "shows almost no ink where the network reads it (3.1 % of its"),
    "wide": (_stroke(height=8, width=2000), "aspect 250:1, over 4:1"),
}


def test_a_1000_to_1_picture_is_beyond_the_aspect_the_resize_keeps() -> None:
    found = legibility.warnings(np.eye(8, 8000), np.zeros((32, 32)), "strip.png")
    assert any("strip.png is 8000×8 px (aspect 1000:1, over 4:1)" in w for w in found)


@pytest.mark.parametrize("name", list(PICTURES))
def test_the_digits_path_warns_on_a_picture_it_can_hardly_read(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    picture, says = PICTURES[name]
    path = _png(tmp_path, f"{name}.png", picture)
    out = tmp_path / "out"
    assert main(["--weights", "digits", "--image", str(path), "--out", str(out), "--json"]) == 0
    printed = capsys.readouterr()
    result = json.loads(printed.out)
    if says is None:
        assert printed.err == "" and result["warnings"] == []
        return
    lines = printed.err.splitlines()
    assert len(lines) == len(result["warnings"]) >= 1, printed.err  # one line each
    assert all(line.startswith(f"python -m vgg: warning: {path} ") for line in lines)
    assert any(says in warning for warning in result["warnings"]), result["warnings"]
    assert 0 <= result["top1"]["index"] <= 9  # classified all the same
