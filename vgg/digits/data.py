r"""The digits data: ``load_digits``, its split, and one preprocessing for training and files.

**Preprocessing, one function for training data and files** (:func:`pixels`, :func:`normalize`,
:func:`preprocess`): a grayscale picture ``g ∈ [0, 1]^{h×w}`` (light ink) →
padded to a square with background 0 and area-resampled to 8×8 if larger (each output pixel
the mean of the input area it covers, :func:`area_matrix`) → bilinear upsampling to
:data:`SIZE` px (``align_corners=False``: a convex combination, so values stay in [0, 1]) →
three equal channels → ``(r − μ_c)/σ_c`` with ImageNet's ``μ, σ`` (:data:`vgg.engine.pixels.MEAN`,
``STD``). The ``load_digits`` values ``v ∈ {0, …, 16}`` enter as the 8-bit gray levels a PNG
holds, ``g = round(255 v / 16) / 255`` (:func:`gray_levels`), so a digit saved as an 8-bit
grayscale PNG (:func:`save_png`) reads back (:func:`digit_input`) to exactly the training input.

>>> gray_levels(np.array([0, 1, 8, 16])).tolist()
[0, 16, 128, 255]
>>> preprocess(torch.zeros(1, 8, 8)).shape
torch.Size([1, 3, 32, 32])
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from vgg.digits import DIGIT_SIDE, HELD_OUT, SIZE
from vgg.engine.pixels import MEAN, STD, normalized
from vgg.image import levels, open_image


def gray_levels(values: np.ndarray) -> np.ndarray:
    """``load_digits`` values 0–16 as the 8-bit gray levels of a PNG: ``round(255 v / 16)``
    (uint8; 0 = no ink)."""
    v = np.asarray(values, dtype=np.float64)
    return np.clip(np.rint(v * 255.0 / 16.0), 0, 255).astype(np.uint8)


def area_matrix(n_in: int, n_out: int) -> Tensor:
    """The ``(n_out, n_in)`` matrix of area resampling along one axis: entry ``(i, j)`` is the
    share of output cell ``i`` (the interval ``[i n_in/n_out, (i+1) n_in/n_out)`` of input
    units) covered by input pixel ``j``; rows sum to 1. ``A_h G A_wᵀ`` resamples ``G``.

    >>> area_matrix(4, 2).tolist()
    [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]]
    >>> [round(v, 3) for v in area_matrix(3, 2)[0].tolist()]
    [0.667, 0.333, 0.0]
    """
    width = n_in / n_out
    low = torch.arange(n_out, dtype=torch.float64)[:, None] * width
    j = torch.arange(n_in, dtype=torch.float64)[None, :]
    overlap = (torch.minimum(low + width, j + 1) - torch.maximum(low, j)).clamp(min=0)
    return overlap / width


def pixels(gray: Tensor, size: int = SIZE) -> Tensor:
    """Grayscale pictures ``(N, h, w)`` in [0, 1] (light ink on dark) → ``(N, 1, size, size)``
    in [0, 1]: padded to a square with 0 (centered) and area-resampled to 8×8 if larger, then
    bilinearly upsampled to ``size`` (``align_corners=False``). 8×8 input is not resampled."""
    if gray.ndim != 3:
        raise ValueError(f"expected grayscale pictures (N, h, w), got shape {tuple(gray.shape)}")
    g = gray.to(torch.float64)
    n, h, w = g.shape
    if min(h, w) < DIGIT_SIDE:
        raise ValueError(f"a digit picture needs at least {DIGIT_SIDE}×{DIGIT_SIDE} px, "
                         f"got {w}×{h}")
    if (h, w) != (DIGIT_SIDE, DIGIT_SIDE):
        side = max(h, w)
        top, left = (side - h) // 2, (side - w) // 2
        g = nn.functional.pad(g, (left, side - w - left, top, side - h - top))
        a = area_matrix(side, DIGIT_SIDE)
        g = a @ g @ a.T
    g = g.to(torch.float32)[:, None]
    return nn.functional.interpolate(g, size=(size, size), mode="bilinear",
                                     align_corners=False).clamp_(0.0, 1.0)


def normalize(p: Tensor) -> Tensor:
    """``(N, 1, S, S)`` gray in [0, 1] → ``(N, 3, S, S)``: three equal channels, then
    ``(r − μ_c) / σ_c`` with ImageNet's ``μ, σ``."""
    return normalized(p.expand(-1, 3, -1, -1))


def preprocess(gray: Tensor, size: int = SIZE) -> Tensor:
    """The network input of grayscale pictures ``(N, h, w)`` in [0, 1]:
    ``normalize(pixels(gray, size))`` — the one path of training data and files."""
    return normalize(pixels(gray, size))


def unnormalize(x: Tensor) -> Tensor:
    """The gray picture ``(N, S, S)`` in [0, 1] of a network input (channel 0 inverted)."""
    return x[:, 0] * STD[0] + MEAN[0]


@dataclass(frozen=True)
class Digits:
    """``load_digits`` as 8-bit gray levels: ``images`` uint8 ``(N, 8, 8)`` (0 = no ink),
    ``labels`` int64 ``(N,)``, ``indices`` their positions in scikit-learn's order."""

    images: np.ndarray
    labels: np.ndarray
    indices: np.ndarray

    def inputs(self, size: int = SIZE) -> Tensor:
        """The network inputs ``(N, 3, size, size)`` (:func:`preprocess`)."""
        return preprocess(torch.from_numpy(self.images.astype(np.float32) / 255.0), size)

    def targets(self) -> Tensor:
        return torch.from_numpy(self.labels).to(torch.int64)


def all_digits() -> Digits:
    """All 1,797 ``load_digits`` images in scikit-learn's order, as :func:`gray_levels`."""
    from sklearn.datasets import load_digits

    data = load_digits()
    images = gray_levels(data.images)
    return Digits(images, data.target.astype(np.int64), np.arange(len(images)))


def split(part: str) -> Digits:
    """``"train"``: the first 1,437 images; ``"held_out"``: the last :data:`HELD_OUT` = 360
    (indices 1437–1796), never used in training or model selection."""
    d = all_digits()
    cut = len(d.images) - HELD_OUT
    if part == "train":
        s = slice(0, cut)
    elif part == "held_out":
        s = slice(cut, None)
    else:
        raise ValueError(f"part is 'train' or 'held_out', got {part!r}")
    return Digits(d.images[s], d.labels[s], d.indices[s])


def held_out(size: int = SIZE) -> tuple[Tensor, Tensor]:
    """The held-out set as tensors: inputs ``(360, 3, size, size)`` and labels ``(360,)``."""
    d = split("held_out")
    return d.inputs(size), d.targets()


def read_gray(path: str | os.PathLike[str]) -> np.ndarray:
    """A picture file as grayscale float64 ``(h, w)`` in [0, 1] (:func:`vgg.image.levels`:
    8-bit level/255, 16-bit level/65535, color as Pillow's luma ``L``, transparency over
    white), EXIF orientation applied. Problems are a :class:`clitools.UsageError`."""

    return levels(open_image(path), "L")


def dark_ink(gray: np.ndarray) -> bool:
    """Whether a picture shows dark ink on a light background: its outermost ring of pixels
    averages above 0.5 (``load_digits`` pictures: light ink, ring near 0)."""
    g = np.asarray(gray, dtype=np.float64)
    ring = np.concatenate([g[0], g[-1], g[1:-1, 0], g[1:-1, -1]])
    return bool(ring.mean() > 0.5)


def digit_input(path: str | os.PathLike[str], *, ink: str = "auto", size: int = SIZE) -> Tensor:
    """Any picture of a digit as the network input ``(1, 3, size, size)``, exactly as the
    network was trained (:func:`gray_input` of :func:`read_gray`)."""
    return gray_input(read_gray(path), str(path), ink=ink, size=size)


def gray_input(gray: np.ndarray, name: str, *, ink: str = "auto", size: int = SIZE) -> Tensor:
    """A digit's grayscale picture ``(h, w)`` in [0, 1] (read from ``name``) as the network
    input ``(1, 3, size, size)`` (:func:`preprocess`). ``ink``: ``"light"`` (``load_digits``'
    polarity, light ink on dark, used as it is), ``"dark"`` (inverted, ``1 − g``) or
    ``"auto"`` (dark if :func:`dark_ink`). The digit should fill the picture's height, as in
    ``load_digits``."""
    if ink not in ("auto", "light", "dark"):
        raise ValueError(f"ink is 'auto', 'light' or 'dark', got {ink!r}")
    if min(gray.shape) < DIGIT_SIDE:
        from clitools import UsageError

        raise UsageError(f"{name} is {gray.shape[1]}×{gray.shape[0]} px; a digit picture needs "
                         f"at least {DIGIT_SIDE}×{DIGIT_SIDE}")
    if ink == "dark" or (ink == "auto" and dark_ink(gray)):
        gray = 1.0 - gray
    return preprocess(torch.from_numpy(gray)[None], size)


def save_png(image: np.ndarray, path: str | os.PathLike[str]) -> Path:
    """Write 8-bit gray levels ``(h, w)`` (e.g. ``Digits.images[i]``) as a grayscale PNG."""
    from PIL import Image

    path = Path(path)
    Image.fromarray(np.asarray(image, dtype=np.uint8), mode="L").save(path, format="PNG")
    return path


__all__ = ["Digits", "all_digits", "area_matrix", "dark_ink", "digit_input", "gray_input",
           "gray_levels", "held_out", "normalize", "pixels", "preprocess", "read_gray",
           "save_png", "split", "unnormalize"]
