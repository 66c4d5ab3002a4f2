r"""Images in, network inputs out: load, convert to RGB, check the size, normalize.

A picture becomes RGB values ``r ∈ [0, 1]^{H×W×3}`` (kept for display) and the network input
``x_c = (r_c − μ_c) / σ_c`` with the sheet's ``μ = (0.485, 0.456, 0.406)``,
``σ = (0.229, 0.224, 0.225)``, shaped ``(1, 3, H, W)``.

- Formats: JPEG and PNG (any still image Pillow reads works; the first frame is used).
  Grayscale becomes three equal channels, a transparent image is laid over white, the EXIF
  orientation of a photo is applied.
- Size: used as it is, like the exercise does, or with the shorter side scaled to
  ``resize`` pixels (aspect ratio kept; bicubic with antialiasing, clipped to [0, 1] — the
  box the z^B rule assumes). The network input must be between
  :data:`~vgg.limits.MIN_SIDE` (VGG-16's five 2×2 poolings need 32 px) and
  :data:`~vgg.limits.MAX_SIDE` px on each side; a larger image without ``resize`` is refused
  with a message suggesting it.
- Every problem (missing, unreadable, corrupt or non-image file, bad size) is an
  :class:`~vgg.errors.ImageError`.

>>> import numpy as np
>>> rgb = np.full((40, 48, 3), 0.5, dtype=np.float32)
>>> x = normalize(rgb)
>>> tuple(x.shape), round(float(x[0, 0, 0, 0]), 4)      # (0.5 - 0.485) / 0.229
((1, 3, 40, 48), 0.0655)
>>> scaled_size((1200, 800), 224)                        # shorter side 800 -> 224
(336, 224)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError
from torch import Tensor

from clitools import existing_file
from vgg.engine.pixels import normalized
from vgg.errors import ImageError
from vgg.limits import MAX_SIDE, MIN_SIDE, check_resize, size_message

SAMPLE = "grace_hopper.jpg"


@dataclass(frozen=True)
class LoadedImage:
    """An image ready for VGG-16: ``rgb`` (H, W, 3) float32 in [0, 1] for display, ``x`` the
    normalized (1, 3, H, W) float32 tensor, ``source`` where it came from, ``original_size``
    its (width, height) in the file."""

    rgb: np.ndarray = field(repr=False)
    x: Tensor = field(repr=False)
    source: str
    original_size: tuple[int, int]

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the network input."""
        return self.rgb.shape[1], self.rgb.shape[0]


def sample_path() -> Path:
    """matplotlib's bundled sample photo (Grace Hopper, 512×600), used when no image is given."""
    import matplotlib.cbook

    return Path(matplotlib.cbook.get_sample_data(SAMPLE, asfileobj=False))


def scaled_size(size: tuple[int, int], shorter: int) -> tuple[int, int]:
    """(width, height) with the shorter side ``shorter`` and the aspect ratio kept (rounded)."""
    w, h = size
    scale = shorter / min(w, h)
    return max(1, round(w * scale)), max(1, round(h * scale))


#: Modes whose transparency is laid over white.
_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")


def levels(image: Image.Image, mode: str = "RGB", dtype: type = np.float64) -> np.ndarray:
    """Any Pillow image as ``mode`` (``"RGB"``: (H, W, 3); ``"L"``: Pillow's luma, (H, W)) in
    [0, 1]: 16-bit and float grayscale keep their range (level/65535, clipped), transparency
    is composited over white, palettes and CMYK are converted, 8 bits are level/255."""
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        scale = 1.0 if image.mode == "F" else 65535.0
        gray = np.clip(np.asarray(image, dtype=np.float64) / scale, 0, 1)
        return (gray if mode == "L" else np.repeat(gray[..., None], 3, axis=2)).astype(dtype)
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return np.asarray(image.convert(mode), dtype=dtype) / 255.0


def to_rgb(image: Image.Image) -> np.ndarray:
    """Any Pillow image as RGB float32 in [0, 1] (:func:`levels`)."""
    return levels(image, "RGB", np.float32)


def read(path: str | os.PathLike[str], resize: int | None = None,
         option: str = "--resize") -> Image.Image:
    """The decoded image for VGG-16: its size is checked against ``resize``
    (:func:`fitted_size`) from the file's header, before the pixels are decoded."""
    return open_image(path, lambda size: fitted_size(size, resize, str(path), option))


def open_image(path: str | os.PathLike[str],
               check_size: Callable[[tuple[int, int]], object] | None = None) -> Image.Image:
    """Any still image Pillow reads, decoded (first frame, EXIF orientation applied), or an
    :class:`ImageError` for a missing, unreadable, corrupt or too large file; ``check_size``
    sees the (width, height) of the header first (a rotation does not change its verdict)."""
    path = existing_file(path, "image file", error=ImageError)
    try:
        with Image.open(path) as opened:
            if check_size is not None:
                check_size(opened.size)
            opened.load()
            image = ImageOps.exif_transpose(opened)
            image.load()
    except ImageError:  # check_size's verdict (a ValueError too), as it is
        raise
    except UnidentifiedImageError:
        raise ImageError(f"{path} is not an image Pillow can read (use JPEG or PNG)") from None
    except Image.DecompressionBombError as error:
        raise ImageError(f"{path} is too large to decode safely ({error})") from None
    except PermissionError:
        raise ImageError(f"cannot read {path}: permission denied") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(f"{path} is a corrupt or truncated image ({error})") from None
    return image


def normalize(rgb: np.ndarray) -> Tensor:
    """``(r − μ) / σ`` per channel, as a (1, 3, H, W) float32 tensor."""
    r = torch.as_tensor(np.ascontiguousarray(rgb), dtype=torch.float32).permute(2, 0, 1)
    return normalized(r[None])


def resize_range(size: tuple[int, int]) -> tuple[int, int] | None:
    """The ``--resize`` values N that fit an image of ``size`` into [MIN_SIDE, MAX_SIDE] on
    both sides, as ``(lowest, highest)``, or None if its aspect ratio allows none.

    >>> resize_range((1200, 800)), resize_range((10000, 10))
    ((32, 683), None)
    """
    low = MIN_SIDE
    while low <= MAX_SIDE and min(scaled_size(size, low)) < MIN_SIDE:
        low += 1
    high = MAX_SIDE
    while high >= low and max(scaled_size(size, high)) > MAX_SIDE:
        high -= 1
    return (low, high) if low <= high else None


def _advice(size: tuple[int, int], option: str = "--resize") -> str:
    fits = resize_range(size)
    if fits is None:
        w, h = size
        return (f"its aspect ratio {max(w, h) / min(w, h):.0f}:1 cannot fit {MIN_SIDE} to "
                f"{MAX_SIDE} px on both sides, so no {option} helps; crop it first")
    low, high = fits
    return (f"pass {option} N with N from {low} to {high} "
            f"(e.g. {option} {min(max(224, low), high)})")


def fitted_size(size: tuple[int, int], resize: int | None, name: str,
                option: str = "--resize") -> tuple[int, int]:
    """(width, height) the network gets for an image of ``size``, or an :class:`ImageError`
    if it is out of bounds (see the module docstring); ``name`` names the file in messages."""
    check_resize(resize, option)
    w, h = size
    if resize is None:
        if max(w, h) > MAX_SIDE:
            raise ImageError(f"{name} is {w}×{h} px, over {MAX_SIDE} px on a side; "
                             f"{_advice(size, option)}")
        if min(w, h) < MIN_SIDE:
            raise ImageError(f"{size_message(name, w, h)}; {_advice(size, option)}")
        return size
    new = scaled_size(size, resize)
    if max(new) > MAX_SIDE or min(new) < MIN_SIDE:
        what = f"over {MAX_SIDE}" if max(new) > MAX_SIDE else f"under {MIN_SIDE}"
        raise ImageError(f"{option} {resize} makes {name} {new[0]}×{new[1]} px, {what} px on a "
                         f"side; {_advice(size, option)}")
    return new


def resample(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``rgb`` (H, W, 3) scaled to ``size`` = (width, height): bicubic with antialiasing (as
    torchvision's ``Resize``), clipped back to [0, 1]."""
    if (rgb.shape[1], rgb.shape[0]) == tuple(size):
        return rgb
    t = torch.as_tensor(rgb).permute(2, 0, 1)[None]
    out = torch.nn.functional.interpolate(
        t, size=(size[1], size[0]), mode="bicubic", antialias=True, align_corners=False
    )
    return out[0].permute(1, 2, 0).clamp(0.0, 1.0).numpy().astype(np.float32)


def load(path: str | os.PathLike[str] | None = None, resize: int | None = None,
         option: str = "--resize") -> LoadedImage:
    """Read, convert to RGB, size-check (and scale), normalize. ``path=None``: the sample."""
    check_resize(resize, option)
    source = sample_path() if path is None else Path(path)
    image = read(source, resize, option)
    size = fitted_size(image.size, resize, str(source), option)
    rgb = resample(to_rgb(image), size)
    return LoadedImage(rgb=rgb, x=normalize(rgb), source=str(source), original_size=image.size)


__all__ = [
    "LoadedImage",
    "fitted_size",
    "load",
    "normalize",
    "open_image",
    "read",
    "resample",
    "resize_range",
    "sample_path",
    "scaled_size",
    "levels",
    "to_rgb",
]
