"""Exercise 4, part 3: heatmaps sum over color channels, red positive, blue negative, on a
symmetric scale, and carry their title."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import derived_seed
from PIL import Image

from vgg import heatmap


def _image_of(fig):
    """The AxesImage of the (first) heatmap drawn in ``fig``."""
    return next(ax.images[0] for ax in fig.axes if ax.images and ax.images[0].norm.vmin < 0)


def test_4_heatmap_sums_over_color_channels() -> None:
    r = torch.randn(1, 3, 5, 7, generator=torch.Generator().manual_seed(derived_seed(0)))
    exact = r[0].double().sum(0).numpy()  # float32 entries, summed in float64: exact here
    np.testing.assert_array_equal(heatmap.channel_sum(r), exact)
    with pytest.raises(ValueError, match="one image at a time"):
        heatmap.channel_sum(torch.zeros(2, 3, 5, 7))


def test_4_heatmap_color_scale_is_symmetric_at_the_percentile() -> None:
    heat = np.random.default_rng(derived_seed(1)).normal(size=(40, 48))
    heat[0, 0] = 1e6  # one outlier does not set the scale
    fig = heatmap.heatmap_figure(heat[None], "title")
    shown = _image_of(fig)
    v = np.percentile(np.abs(heat), heatmap.PERCENTILE)
    assert shown.norm.vmin == pytest.approx(-v) and shown.norm.vmax == pytest.approx(v)
    assert v < 10  # not the outlier


def test_4_heatmap_scale_falls_back_to_max_then_one() -> None:
    sparse = np.zeros((40, 48))
    sparse[3, 4] = -2.5  # the 99.5th percentile of |H| is 0 here
    assert heatmap.color_limit(sparse) == 2.5
    assert heatmap.color_limit(np.zeros((40, 48))) == 1.0


def test_4_heatmap_positive_is_red_negative_is_blue_zero_is_white() -> None:
    fig = heatmap.heatmap_figure(np.array([[[1.0, -1.0], [0.0, 0.5]]]), "title")
    shown = _image_of(fig)
    red, blue, white = (np.array(shown.cmap(shown.norm(v)))[:3] for v in (1.0, -1.0, 0.0))
    assert red[0] > 0.9 and red[1] < 0.1 and red[2] < 0.1
    assert blue[2] > 0.9 and blue[0] < 0.1 and blue[1] < 0.1
    np.testing.assert_allclose(white, 1.0, atol=0.01)


def test_4_heatmap_png_is_valid_and_titled(tmp_path: Path) -> None:
    heading = heatmap.title("castle (483)", "LRP", "random weights (untrained network)")
    fig = heatmap.heatmap_figure(np.ones((3, 40, 48)), heading)
    heatmap.save(fig, tmp_path / "lrp.png", heading)
    assert [p.name for p in tmp_path.iterdir()] == ["lrp.png"]  # no temporary left
    with Image.open(tmp_path / "lrp.png") as png:
        png.verify()  # checksums of every chunk
    with Image.open(tmp_path / "lrp.png") as png:
        assert png.format == "PNG" and png.text["Title"] == heading
    assert heading == "castle (483) — LRP — random weights (untrained network)"


def test_4_heatmap_comparison_shows_image_and_each_method(tmp_path: Path) -> None:
    rgb = np.random.default_rng(derived_seed(2)).random((40, 48, 3)).astype(np.float32)
    panels = [("Gradient×Input", -np.ones((3, 40, 48))), ("LRP", np.ones((3, 40, 48)))]
    fig = heatmap.comparison_figure(rgb, panels, "castle (483) — ImageNet weights")
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["image (48×40 px)", "Gradient×Input", "LRP"]
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), rgb)
