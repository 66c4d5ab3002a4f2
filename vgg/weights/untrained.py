"""VGG-16 with torchvision's own initialization, seeded: an untrained network, no download.

>>> check_seed(2**64)
Traceback (most recent call last):
...
vgg.errors.WeightsError: --seed 18446744073709551616: choose an integer from 0 to 2^64 − 1
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import Tensor, nn
from torchvision.models import vgg16

from vgg.errors import WeightsError
from vgg.weights.categories import categories


def check_seed(seed: int) -> None:
    """A :class:`WeightsError` unless ``0 ≤ seed < 2⁶⁴`` (the seeds ``torch.manual_seed``
    takes)."""
    if not 0 <= seed < 2**64:
        raise WeightsError(f"--seed {seed}: choose an integer from 0 to 2^64 − 1")


def check(value: str, seed: int, others: str) -> None:
    """The seed, checked before any work."""
    check_seed(seed)


def load(value: str, seed: int, state: Mapping[str, Tensor] | None, others: str) -> nn.Module:
    """torchvision's VGG-16 initialized from ``seed`` (the caller's random state untouched)."""
    check_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return vgg16()


def class_names() -> tuple[str, ...]:
    """VGG-16's classes: ImageNet's (untrained, they name outputs, not what they detect)."""
    return categories()


__all__ = ["check", "check_seed", "class_names", "load"]
