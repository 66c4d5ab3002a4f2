"""Exercise 4, the tool's input: images become RGB in [0, 1] and the sheet's normalized tensor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import picture
from PIL import Image

from vgg import MEAN, STD
from vgg.errors import ImageError
from vgg.image import load, normalize
from vgg.limits import MAX_SIDE

TOL = 1e-6  # float32 round trip of values in [0, 1]


def noise(tmp_path: Path, size: tuple[int, int] = (48, 40), name: str = "noise.png") -> Path:
    """An RGB noise PNG of ``size`` = (width, height) (:func:`conftest.picture`)."""
    return picture(tmp_path, "RGB", size, name)


def test_4_image_normalization_is_the_sheets_mean_and_std(tmp_path: Path) -> None:
    image = load(noise(tmp_path))
    assert image.x.shape == (1, 3, 40, 48) and image.x.dtype == torch.float32
    mean = torch.tensor(MEAN)[:, None, None]
    std = torch.tensor(STD)[:, None, None]
    back = (image.x[0] * std + mean).permute(1, 2, 0).numpy()
    pixels = np.asarray(Image.open(tmp_path / "noise.png"), dtype=np.float64) / 255
    np.testing.assert_allclose(back, pixels, atol=TOL)
    np.testing.assert_allclose(image.rgb, pixels, atol=TOL)


def test_4_image_grayscale_becomes_three_equal_channels(tmp_path: Path) -> None:
    gray = np.arange(40 * 48, dtype=np.uint32).reshape(40, 48) % 256
    Image.fromarray(gray.astype(np.uint8), mode="L").save(tmp_path / "g.png")
    rgb = load(tmp_path / "g.png").rgb
    assert rgb.shape == (40, 48, 3)
    for c in range(3):
        np.testing.assert_allclose(rgb[..., c], gray / 255, atol=TOL)


def test_4_image_16_bit_grayscale_keeps_its_range(tmp_path: Path) -> None:
    values = np.full((40, 48), 65535, dtype=np.uint16)
    values[:, :24] = 32768
    Image.fromarray(values).save(tmp_path / "g16.png")
    assert Image.open(tmp_path / "g16.png").mode.startswith("I")
    rgb = load(tmp_path / "g16.png").rgb
    np.testing.assert_allclose(rgb[:, 24:], 1.0, atol=TOL)
    np.testing.assert_allclose(rgb[:, :24], 32768 / 65535, atol=TOL)


def test_4_image_rgba_is_laid_over_white(tmp_path: Path) -> None:
    rgba = np.zeros((40, 48, 4), dtype=np.uint8)
    rgba[:, :24] = (255, 0, 0, 255)  # opaque red
    rgba[:, 24:] = (0, 0, 255, 0)  # fully transparent blue
    Image.fromarray(rgba, mode="RGBA").save(tmp_path / "a.png")
    rgb = load(tmp_path / "a.png").rgb
    np.testing.assert_allclose(rgb[:, :24], np.broadcast_to([1.0, 0.0, 0.0], (40, 24, 3)))
    np.testing.assert_allclose(rgb[:, 24:], 1.0)


def test_4_image_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.fromarray(np.zeros((40, 48, 3), dtype=np.uint8))
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    image.save(tmp_path / "turned.jpg", exif=exif)
    assert load(tmp_path / "turned.jpg").size == (40, 48)


def test_4_image_over_1024_px_is_refused_without_resize(tmp_path: Path) -> None:
    path = noise(tmp_path, (MAX_SIDE + 6, 48))
    with pytest.raises(ImageError, match=r"1030×48 px, over 1024 px.*--resize"):
        load(path)


def test_4_image_size_is_refused_from_the_header_before_decoding(tmp_path: Path) -> None:
    data = noise(tmp_path, (MAX_SIDE + 6, 48)).read_bytes()
    (tmp_path / "cut.png").write_bytes(data[:200])  # header intact, pixels missing
    with pytest.raises(ImageError, match=r"over 1024 px on a side"):
        load(tmp_path / "cut.png")


def test_4_image_resize_scales_the_shorter_side(tmp_path: Path) -> None:
    image = load(noise(tmp_path, (MAX_SIDE + 6, 48)), resize=40)
    assert image.size == (round(1030 * 40 / 48), 40) and image.x.shape == (1, 3, 40, 858)
    assert image.original_size == (1030, 48)
    assert image.rgb.min() >= 0.0 and image.rgb.max() <= 1.0  # bicubic overshoot clipped


def test_4_image_resize_that_overshoots_1024_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match=r"--resize 100 makes .* 2146×100 px.*N from 32 to 47"):
        load(noise(tmp_path, (MAX_SIDE + 6, 48)), resize=100)


@pytest.mark.parametrize("resize", [31, 1025, 0, -5])
def test_4_image_resize_out_of_bounds_is_refused(tmp_path: Path, resize: int) -> None:
    with pytest.raises(ImageError, match=r"--resize .*between 32 and 1024"):
        load(noise(tmp_path), resize=resize)


def test_4_image_below_32_px_is_refused(tmp_path: Path) -> None:
    """The size's own words, with the advice (not wrapped as a decoding failure: the size
    check runs inside the decoder's ``try``)."""
    path = noise(tmp_path, (48, 31))
    with pytest.raises(ImageError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path} is 48×31 px; VGG-16 needs at least 32×32 px; "
                                        "pass --resize N")


def _truncated_png(tmp_path: Path) -> Path:
    data = noise(tmp_path, name="whole.png").read_bytes()
    path = tmp_path / "truncated.png"
    path.write_bytes(data[: len(data) // 2])
    return path


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "absent.png", r"no such image file: .*absent\.png"),
        (_truncated_png, r"truncated\.png is a corrupt or truncated image"),
        (_text_file, r"notes\.png is not an image Pillow can read"),
        (lambda d: d, r"^.+ is not a file \(a folder or special file\)$"),
    ],
    ids=["missing", "corrupt", "not-an-image", "directory"],
)
def test_4_image_unreadable_files_are_refused(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        load(make(tmp_path))


def test_4_image_default_is_matplotlibs_grace_hopper() -> None:
    image = load(None)
    assert Path(image.source).name == "grace_hopper.jpg" and image.size == (512, 600)


def test_4_image_normalize_is_affine_per_channel() -> None:
    rgb = np.zeros((33, 34, 3), dtype=np.float32)
    rgb[..., 1] = 1.0
    x = normalize(rgb)[0]
    expected = [-MEAN[0] / STD[0], (1 - MEAN[1]) / STD[1], -MEAN[2] / STD[2]]
    for c in range(3):
        torch.testing.assert_close(x[c], torch.full((33, 34), expected[c]), atol=1e-6, rtol=0)
