"""Independent seeds per image and per layer: no random draw depends on the batching or on the
number of processes.

A draw is named by ``(seed, stream, key)``: the run's seed, what is drawn (:data:`RANDOM_RELEVANCE`,
:data:`NOISE`, :data:`LAYER`), and the image index or layer position it is drawn for.

>>> derived_seed(0, NOISE, 5) == derived_seed(0, NOISE, 5) != derived_seed(0, NOISE, 6)
True
"""

from __future__ import annotations

import numpy as np
import torch

#: What is drawn: the random baseline's relevance of an image, the noise that perturbs an
#: image's patches, a re-initialized layer of the randomization check.
RANDOM_RELEVANCE, NOISE, LAYER = 1, 2, 3


def derived_seed(seed: int, stream: int, key: int) -> int:
    """An independent 63-bit seed for ``(seed, stream, key)`` (NumPy ``SeedSequence``)."""
    state = np.random.SeedSequence([seed, stream, key]).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1


def generator(seed: int, stream: int, key: int) -> torch.Generator:
    """A torch generator seeded with :func:`derived_seed`."""
    return torch.Generator().manual_seed(derived_seed(seed, stream, key))


__all__ = ["LAYER", "NOISE", "RANDOM_RELEVANCE", "derived_seed", "generator"]
