"""The digits network's training recipe, in numbers (see :mod:`vgg.digits.train`).

Nothing here imports torch: ``python -m vgg.digits --help`` shows these defaults at once.
"""

from __future__ import annotations

#: Training schedule (see :mod:`vgg.digits.train`).
EPOCHS = 24
#: Training runs on one thread: deterministic (a thread count changes the float sums) and,
#: on a shared 2-core machine, many times faster than two OpenMP threads competing for it.
THREADS = 1
BATCH = 64
PEAK_LR = 0.05
SHIFT = 3
#: Random rotation (degrees, ±) and scaling (±share) of the augmentation.
ROTATION = 10.0
SCALE = 0.1

#: Cross-validation folds: contiguous blocks of the 1,437 training images (288 each, the last
#: 285), so that a fold holds other writers' digits, as the held-out set does.
FOLDS = 5


__all__ = ["BATCH", "EPOCHS", "FOLDS", "PEAK_LR", "ROTATION", "SCALE", "SHIFT", "THREADS"]
