"""The evaluation's settings and their defaults, in numbers: nothing here imports torch, so
that ``python -m vgg.evaluate --help`` shows them at once.
"""

from __future__ import annotations

#: What a flipped patch becomes: the baselines of :mod:`vgg.evaluation.baselines`, by name
#: (a test holds the two lists equal), and those measured by default.
BASELINE_NAMES: tuple[str, ...] = ("noise", "remove", "blur", "mean")
DEFAULT_BASELINES: tuple[str, ...] = ("noise", "remove")
#: Patch side (px) and pixel-flipping steps of the defaults (16 of the 64 patches of 32 px).
PATCH = 4
STEPS = 16
#: Patch side (px) and picture side of the evaluation on the user's pictures.
PICTURE_PATCH = 16
PICTURE_SIZE = 224
#: Images per batch, and perturbed images per forward pass in pixel flipping.
BATCH = 32
CHUNK = 256
#: Bootstrap resamples and the confidence of the intervals.
BOOTSTRAP = 2000
CONFIDENCE = 0.95
#: Images whose heatmaps the plots show.
KEPT_MAPS = 8


__all__ = ["BASELINE_NAMES", "BATCH", "BOOTSTRAP", "CHUNK", "CONFIDENCE", "DEFAULT_BASELINES",
           "KEPT_MAPS", "PATCH", "PICTURE_PATCH", "PICTURE_SIZE", "STEPS"]
