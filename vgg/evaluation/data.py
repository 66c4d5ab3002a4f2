r"""What the evaluation reads: the held-out digits, or the user's pictures, as a DataLoader.

Each item is ``(x, label, index)``: the network input, the label (−1 where unknown: the
predicted class is explained) and a unique image number that seeds the image's random draws;
a held-out digit also carries its ``source``, the 8×8 ``load_digits`` picture in [0, 1] that
the network's preprocessing (:data:`DIGITS_RENDER`) turns into ``x`` (the ``remove`` baseline
removes its ink there, :mod:`vgg.evaluation.baselines`).

>>> digits_dataset(2)[:][2].tolist()
[0, 1]
>>> x, _, _, source = digits_dataset(3)[:]
>>> bool(torch.equal(DIGITS_RENDER(source), x)), tuple(source.shape)
(True, (3, 8, 8))
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import torch
from torch.utils.data import DataLoader, DistributedSampler

from vgg.digits.data import preprocess, split
from vgg.errors import ImageError
from vgg.evaluation.distributed import running
from vgg.image import load

#: How a held-out digit's source picture becomes the network input: the one preprocessing of
#: training data and files (:func:`vgg.digits.data.preprocess`).
DIGITS_RENDER = preprocess


def digits_dataset(limit: int | None = None) -> torch.utils.data.TensorDataset:
    """The held-out digits (the last 360 of ``load_digits``) as ``(x, label, index, source)``
    with ``index`` 0…359 (the first ``limit`` of them) and ``source`` the 8×8 picture in
    [0, 1] (``x = DIGITS_RENDER(source)``)."""
    d = split("held_out")
    source = torch.from_numpy(d.images.astype("float32") / 255.0)
    x, y = d.inputs(), d.targets()
    n = len(x) if limit is None else min(limit, len(x))
    return torch.utils.data.TensorDataset(x[:n], y[:n], torch.arange(n), source[:n])


#: Image file endings read from a folder given to ``--images``.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def image_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files and the images in folders (by name, in sorted order)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(p)
    return out


def images_dataset(paths: Sequence[str | os.PathLike[str]], size: int,
                   target: int | None = None) -> torch.utils.data.TensorDataset:
    """The user's pictures for an ImageNet VGG-16, as ``(x, label, index)``: each read like
    ``python -m vgg`` reads it (:func:`vgg.image.load`, shorter side scaled to ``size``), then
    cropped to the central ``size × size``; ``label`` is ``target`` (−1: unknown, the predicted
    class is explained)."""
    files = image_files(paths)
    if not files:
        raise ImageError("--images: no image files found")
    xs = []
    for f in files:
        x = load(f, size, option="--size").x
        h, w = x.shape[2:]
        top, left = (h - size) // 2, (w - size) // 2
        xs.append(x[:, :, top : top + size, left : left + size])
    n = len(xs)
    label = torch.full((n,), -1 if target is None else target, dtype=torch.int64)
    return torch.utils.data.TensorDataset(torch.cat(xs), label, torch.arange(n))


def loader_for(dataset: torch.utils.data.Dataset, batch: int) -> torch.utils.data.DataLoader:
    """A DataLoader in dataset order; under ``torch.distributed``, this process's share
    (``DistributedSampler`` without shuffling)."""
    on, _ = running()
    sampler = DistributedSampler(dataset, shuffle=False) if on else None
    return DataLoader(dataset, batch_size=batch, shuffle=False, sampler=sampler)


__all__ = ["DIGITS_RENDER", "IMAGE_SUFFIXES", "digits_dataset", "image_files", "images_dataset",
           "loader_for"]
