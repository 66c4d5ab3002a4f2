"""torchvision's ImageNet weights for VGG-16, from the torch hub cache or downloaded.

Read from ``$TORCH_HOME/hub/checkpoints`` (:func:`imagenet_cache_path`), else downloaded with
a progress bar where online (hash-checked). Offline and not cached: one
:class:`~vgg.errors.WeightsUnavailable` naming the other choices (a command may fall back to
random weights then, :data:`vgg.weights.IMAGENET`'s ``fallback``). :func:`fetch` gets them
before any work, for a command that must not fall back (``--strict``).
"""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import Tensor, nn
from torchvision.models import VGG16_Weights

from vgg.errors import WeightsUnavailable
from vgg.weights.categories import categories
from vgg.weights.files import check_state_dict, loaded, read_state_dict

IMAGENET = VGG16_Weights.IMAGENET1K_V1

#: Seconds a stalled download may wait for the network before it counts as offline.
DOWNLOAD_TIMEOUT_S = 30.0


def imagenet_cache_path() -> Path:
    """Where torchvision keeps (or will download) the ImageNet VGG-16 weights."""
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(IMAGENET.url)


def _download() -> Mapping[str, Tensor]:
    """torchvision's download into the hub cache (progress on stderr), hash-checked. A HEAD
    request first, so that offline the user reads one error, not a "Downloading" line too."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        urllib.request.urlopen(urllib.request.Request(IMAGENET.url, method="HEAD")).close()
        return IMAGENET.get_state_dict(progress=True, check_hash=True)
    finally:
        socket.setdefaulttimeout(previous)


def imagenet_state_dict(others: str) -> Mapping[str, Tensor]:
    """The ImageNet state_dict from the cache, else downloaded; if neither works, a
    :class:`WeightsUnavailable` offering ``others`` (the other ``--weights`` choices)."""
    path = imagenet_cache_path()
    if path.is_file():
        return read_state_dict(path, what="the cached ImageNet weights")
    try:
        return _download()
    except (urllib.error.URLError, OSError, RuntimeError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise WeightsUnavailable(
            f"the ImageNet weights for VGG-16 are not in the torch hub cache ({path}) and "
            f"could not be downloaded ({reason}). Choose {others}."
        ) from None


def check(value: str, seed: int, others: str) -> None:
    """Nothing to check before any work: the weights are fetched when the network is
    built."""


def fetch(value: str, seed: int, others: str) -> Mapping[str, Tensor]:
    """The weights now, checked (read from the cache, or downloaded): for a command that must
    fail before any work rather than fall back (``--strict``)."""
    return check_state_dict(imagenet_state_dict(others), "the ImageNet weights file")


def load(value: str, seed: int, state: Mapping[str, Tensor] | None, others: str) -> nn.Module:
    """VGG-16 with the ImageNet weights."""
    if state is None:
        state = check_state_dict(imagenet_state_dict(others), "the ImageNet weights file")
    return loaded(state)


def class_names() -> tuple[str, ...]:
    """ImageNet's classes."""
    return categories()


__all__ = ["DOWNLOAD_TIMEOUT_S", "IMAGENET", "check", "class_names", "fetch",
           "imagenet_cache_path", "imagenet_state_dict", "load"]
