r"""A mean over images and its confidence interval: the percentile bootstrap.

The mean of the finite values with a 95 % percentile-bootstrap interval (:data:`BOOTSTRAP` =
2,000 resamples of the images, a NumPy generator seeded with the run's seed); undefined values
(NaN, e.g. where ``Σ|H| = 0``) are left out. Two methods are compared on the same images by
the **paired** difference (:func:`paired_interval`): the interval of the mean of the per-image
differences ``a_i − b_i``, i.e. both methods resampled with the same images. A curve's band
(:func:`bootstrap_band`) is the interval of its mean at each step, from one set of resamples.

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

    @classmethod
    def from_dict(cls, data: dict[str, float | int]) -> Interval:
        """The interval :meth:`as_dict` wrote.

        >>> Interval.from_dict(Interval(0.5, 0.25, 0.75, 10).as_dict())
        Interval(mean=0.5, low=0.25, high=0.75, n=10)
        """
        return cls(float(data["mean"]), float(data["low"]), float(data["high"]), int(data["n"]))

    def negated(self) -> Interval:
        """The interval of ``−mean``: ``[−high, −low]``."""
        return Interval(-self.mean, -self.high, -self.low, self.n)


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


def paired_interval(a: Sequence[float], b: Sequence[float], seed: int = 0,
                    resamples: int = BOOTSTRAP, confidence: float = CONFIDENCE) -> Interval:
    """The paired difference of two methods on the same images: :func:`bootstrap_interval` of
    ``a_i − b_i`` over the images where both are finite.

    >>> paired_interval([1.0, 2.0, 3.0], [0.5, 1.5, 2.5]).text(".2f")
    '0.50 [0.50, 0.50]'
    """
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return bootstrap_interval(d.tolist(), seed, resamples, confidence)


@dataclass(frozen=True)
class Band:
    """A mean curve with its pointwise confidence band: ``mean``, ``low``, ``high`` per step."""

    mean: list[float]
    low: list[float]
    high: list[float]

    def as_dict(self) -> dict[str, list[float]]:
        return {"mean": self.mean, "low": self.low, "high": self.high}

    @classmethod
    def from_dict(cls, data: dict[str, list[float]]) -> Band:
        return cls(list(data["mean"]), list(data["low"]), list(data["high"]))


def bootstrap_band(curves: Sequence[Sequence[float]], seed: int = 0,
                   resamples: int = BOOTSTRAP, confidence: float = CONFIDENCE) -> Band:
    """The mean of curves ``(N, K)`` per step and its percentile-bootstrap interval per step
    (one set of ``resamples`` image resamples for every step).

    >>> band = bootstrap_band([[1.0, 0.0], [3.0, 2.0]])
    >>> band.mean, band.low[0] >= 1.0, band.high[0] <= 3.0
    ([2.0, 1.0], True, True)
    """
    v = np.asarray(curves, dtype=np.float64)
    if v.size == 0:
        return Band([], [], [])
    n = len(v)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(resamples, n))
    counts = np.zeros((resamples, n))
    np.add.at(counts, (np.arange(resamples)[:, None], picks), 1.0)
    means = counts @ v / n
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(means, [tail, 100 - tail], axis=0)
    return Band(v.mean(0).tolist(), low.tolist(), high.tolist())


__all__ = ["Band", "Interval", "bootstrap_band", "bootstrap_interval", "paired_interval"]
