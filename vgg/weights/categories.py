"""The 1000 ImageNet class names, by class index: torchvision's metadata, no download.

>>> names = categories()
>>> len(names), names[483]
(1000, 'castle')
"""

from __future__ import annotations

from functools import cache

from torchvision.models import VGG16_Weights


@cache
def categories() -> tuple[str, ...]:
    """The 1000 ImageNet class names, by class index."""
    return tuple(VGG16_Weights.IMAGENET1K_V1.meta["categories"])


__all__ = ["categories"]
