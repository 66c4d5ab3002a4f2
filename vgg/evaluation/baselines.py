r"""What a perturbed patch becomes: the baselines of pixel flipping, one entry each.

Pixel flipping measures how well a heatmap predicts what perturbing a patch does to the logit,
so the perturbation decides what is measured. Gradient × Input in the network's input
coordinates is the first-order Taylor expansion at ``x = 0``, the ImageNet-mean gray image, and
a patch painted with values around that gray is what it predicts best by construction; a
protocol that favours no method measures with more than one baseline
(:data:`~vgg.evaluation.defaults.DEFAULT_BASELINES`):

- ``noise`` — uniform random pixel values in [0, 1] per pixel and channel, then normalized
  (seeded by ``(seed, image index)``, the same for every method and both orders); their mean is
  the gray of ``x = 0`` give or take the ImageNet mean;
- ``remove`` — the content removed: for a picture with a **source** (the digits: the 8×8
  ``load_digits`` image, :class:`Source`), the source pixels under the patch set to 0 (no ink)
  and the picture rendered again by the network's own preprocessing (8 → 32 px bilinear,
  normalized; Quantus's "black" baseline at the data's own resolution), so a removed stroke
  fades at its edges exactly as a stroke that was never drawn; without a source (ImageNet-sized
  pictures), the patch set to black in pixel space (the normalized image of pixel value 0);
- ``blur`` — a Gaussian blur of ``x`` (σ = the patch side, reflected at the borders);
- ``mean`` — 0 in normalized space, the ImageNet mean pixel (the reference point of Gradient ×
  Input itself).

A baseline makes a :data:`Perturber` for a batch: ``perturb(rows, mask)`` gives the images
``rows`` of the batch with the pixels of ``mask`` ``(B, H, W)`` perturbed, for every method and
order alike.

>>> list(BASELINES)
['noise', 'remove', 'blur', 'mean']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from vgg import seeds
from vgg.engine.pixels import normalized

#: ``perturb(rows, mask)``: the batch's images ``rows`` ``(B,)`` with the pixels where ``mask``
#: ``(B, H, W)`` is True perturbed, ``(B, C, H, W)``.
Perturber = Callable[[Tensor, Tensor], Tensor]


@dataclass(frozen=True)
class Source:
    """The pictures a batch was rendered from: ``images`` ``(N, h, w)`` in [0, 1] (0: no ink)
    and ``render``, the network's own preprocessing (``(B, h, w) → (B, C, H, W)``, with ``H``
    and ``W`` whole multiples of ``h`` and ``w``)."""

    images: Tensor
    render: Callable[[Tensor], Tensor]


def _replacing(x: Tensor, replacement: Tensor) -> Perturber:
    """Perturbed pixels take the values of ``replacement`` (shaped like ``x``)."""

    def perturb(rows: Tensor, mask: Tensor) -> Tensor:
        return torch.where(mask[:, None], replacement[rows], x[rows])

    return perturb


def noise(x: Tensor, indices: Sequence[int], patch: int, seed: int,
          source: Source | None) -> Perturber:
    """Uniform pixel values in [0, 1], normalized, seeded per image."""
    u = torch.stack([torch.rand(tuple(x.shape[1:]), generator=seeds.generator(seed, seeds.NOISE, i))
                     for i in indices])
    return _replacing(x, normalized(u).to(x))


def blur(x: Tensor, indices: Sequence[int], patch: int, seed: int,
         source: Source | None) -> Perturber:
    """A Gaussian blur of ``x``, σ = ``patch`` px."""
    from torchvision.transforms.functional import gaussian_blur

    sigma = float(patch)
    size = min(2 * math.ceil(3 * sigma) + 1, 2 * (min(x.shape[-2:]) // 2) - 1)
    return _replacing(x, gaussian_blur(x, [size, size], [sigma, sigma]))


def mean(x: Tensor, indices: Sequence[int], patch: int, seed: int,
         source: Source | None) -> Perturber:
    """0 in normalized space: the ImageNet mean pixel."""
    return _replacing(x, torch.zeros_like(x))


def source_scale(x: Tensor, source: Source, patch: int) -> int:
    """Pixels of ``x`` per source pixel (along each side); a :class:`ValueError` unless the
    sides divide and a patch covers whole source pixels.

    >>> s = Source(torch.zeros(1, 8, 8), lambda g: g)
    >>> source_scale(torch.zeros(1, 3, 32, 32), s, 4)
    4
    >>> source_scale(torch.zeros(1, 3, 32, 32), s, 2)
    Traceback (most recent call last):
    ...
    ValueError: the remove baseline removes whole 8×8 source pixels ...: the patch side must be
    a multiple of 4, got 2
    """
    (h, w), (rows, cols) = source.images.shape[-2:], x.shape[-2:]
    if rows % h or cols % w or rows // h != cols // w:
        raise ValueError(f"a {rows}×{cols} input is not a whole multiple of its {h}×{w} source")
    scale = rows // h
    if patch % scale:
        raise ValueError(f"the remove baseline removes whole {h}×{w} source pixels ({scale}×"
                         f"{scale} px of the {rows}×{cols} input): the patch side must be a "
                         f"multiple of {scale}, got {patch}")
    return scale


def remove(x: Tensor, indices: Sequence[int], patch: int, seed: int,
           source: Source | None) -> Perturber:
    """The content removed: the source's pixels under the patch set to 0 and rendered again
    (with a :class:`Source`), else the patch black in pixel space."""
    if source is None:
        return _replacing(x, normalized(torch.zeros_like(x)))
    scale = source_scale(x, source, patch)
    h, w = source.images.shape[-2:]

    def perturb(rows: Tensor, mask: Tensor) -> Tensor:
        cells = mask.reshape(len(rows), h, scale, w, scale).all(4).all(2)
        return source.render(source.images[rows].masked_fill(cells, 0.0)).to(x)

    return perturb


@dataclass(frozen=True)
class Baseline:
    """One baseline: ``name`` (in the JSON and on the command line), ``description`` (help
    and reports) and ``make(x, indices, patch, seed, source)``, the batch's :data:`Perturber`."""

    name: str
    description: str
    make: Callable[[Tensor, Sequence[int], int, int, Source | None], Perturber]


BASELINES: dict[str, Baseline] = {b.name: b for b in (
    Baseline("noise", "uniform random pixel values, seeded per image", noise),
    Baseline("remove", "the digit's ink removed at the 8×8 source resolution and rendered "
                       "again (pictures: the patch black)", remove),
    Baseline("blur", "a Gaussian blur, σ = the patch side", blur),
    Baseline("mean", "the ImageNet mean pixel (x = 0)", mean),
)}


def perturbers(names: Sequence[str], x: Tensor, indices: Sequence[int], patch: int, seed: int,
               source: Source | None = None) -> dict[str, Perturber]:
    """``{name: perturber}`` of the baselines ``names`` for one batch."""
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise ValueError(f"unknown baseline {unknown[0]!r}; choose from {', '.join(BASELINES)}")
    return {n: BASELINES[n].make(x, indices, patch, seed, source) for n in names}


__all__ = ["BASELINES", "Baseline", "Perturber", "Source", "blur", "mean", "noise",
           "perturbers", "remove", "source_scale"]
