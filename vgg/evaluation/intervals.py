r"""A mean over images and its confidence interval: the percentile bootstrap.

The mean of the finite values with a 95 % percentile-bootstrap interval (:data:`BOOTSTRAP` =
2,000 resamples of the images, a NumPy generator seeded with the run's seed); undefined values
(NaN, e.g. where ``Σ|H| = 0``) are left out.

>>> str(Interval(0.5, 0.25, 0.75, 10))
'0.500 [0.250, 0.750]'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vgg.evaluation.defaults import BOOTSTRAP, CONFIDENCE


@dataclass(frozen=True)
class Interval:
    """A mean over ``n`` images and its confidence interval ``[low, high]``."""

    mean: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        return self.text()

    def text(self, spec: str = ".3f") -> str:
        """``"mean [low, high]"``, each number in the format ``spec``."""
        return f"{self.mean:{spec}} [{self.low:{spec}}, {self.high:{spec}}]"

    def as_dict(self) -> dict[str, float | int]:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}


def bootstrap_interval(values: Sequence[float], seed: int = 0, resamples: int = BOOTSTRAP,
                       confidence: float = CONFIDENCE) -> Interval:
    """The mean of the finite ``values`` and its percentile-bootstrap interval (``resamples``
    resamples with replacement, a NumPy generator seeded with ``seed``).

    >>> iv = bootstrap_interval([1.0, 2.0, 3.0, 4.0, float("nan")])
    >>> iv.mean, iv.n, 1.0 <= iv.low < 2.5 < iv.high <= 4.0
    (2.5, 4, True)
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, v.size, size=(resamples, v.size))].mean(1)
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(v.mean()), float(low), float(high), int(v.size))


__all__ = ["Interval", "bootstrap_interval"]
