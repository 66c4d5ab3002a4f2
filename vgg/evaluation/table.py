r"""The evaluation's results: per image (:class:`ImageResult`), and summarized (:class:`Table`).

The table is methods × metrics (:data:`~vgg.evaluation.metrics.METRICS`), each a mean over
the images with its 95 % bootstrap interval (:mod:`vgg.evaluation.intervals`), the
randomization check per step, the mean flipping curves, and how the run went. Per-image
results are sorted by image index before summarizing, so the table does not depend on
batching or on the number of processes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from vgg.evaluation.defaults import BOOTSTRAP, CONFIDENCE
from vgg.evaluation.flipping import ORDERS
from vgg.evaluation.intervals import Interval, bootstrap_interval
from vgg.evaluation.metrics import METRICS, RANDOMIZATION, Metric


@dataclass(frozen=True)
class ImageResult:
    """What one image contributes: its ``index`` and ``label`` (−1: unknown), the explained
    class ``target``, ``predicted`` class, ``values[method][metric]``, the flipping
    ``curves[method]["morf"|"lerf"]`` (``L+1`` logits), ``randomization[method]`` (ρ per
    checkpoint) and, for the first few images, the heatmaps (``maps[method]``, ``H × W``) and
    the input's gray picture (``picture``) for plots."""

    index: int
    label: int
    target: int
    predicted: int
    values: dict[str, dict[str, float]]
    curves: dict[str, dict[str, list[float]]]
    randomization: dict[str, list[float]]
    maps: dict[str, list[list[float]]] = field(default_factory=dict)
    picture: list[list[float]] | None = None


@dataclass(frozen=True)
class Table:
    """Methods × metrics with confidence intervals, the randomization check per step, mean
    flipping curves, and how the run went (``images``, ``accuracy``, ``seconds``,
    ``processes``, ``settings``). ``results`` are the per-image results, by index;
    ``measures`` the metrics measured (:class:`~vgg.evaluation.metrics.Metric`, by default
    the registry's), in table order."""

    methods: tuple[str, ...]
    metrics: dict[str, dict[str, Interval]]
    randomization: dict[str, dict[str, Interval]]
    curves: dict[str, dict[str, list[float]]]
    images: int
    accuracy: float | None
    seconds: float
    processes: int
    settings: dict[str, object]
    results: list[ImageResult] = field(repr=False, default_factory=list)
    measures: tuple[Metric, ...] = METRICS

    @property
    def images_per_second(self) -> float:
        return self.images / self.seconds if self.seconds > 0 else math.nan

    def as_dict(self) -> dict[str, object]:
        """The table as JSON-ready data: ``methods[method][metric]`` → ``{mean, low, high, n}``,
        ``methods[method]["randomization"][layer]`` likewise, plus the run's facts."""
        return {
            "settings": self.settings,
            "images": self.images,
            "accuracy": self.accuracy,
            "seconds": self.seconds,
            "images_per_second": self.images_per_second,
            "processes": self.processes,
            "methods": {m: {**{k: iv.as_dict() for k, iv in self.metrics[m].items()},
                            RANDOMIZATION.name: {s: iv.as_dict()
                                                 for s, iv in self.randomization[m].items()}}
                        for m in self.methods},
            "curves": self.curves,
        }

    def format(self) -> str:
        """The table as text."""
        s = self.settings
        acc = "n/a" if self.accuracy is None else f"{100 * self.accuracy:.2f} %"
        lines = [
            f"images: {self.images}, accuracy: {acc}, {self.seconds:.1f} s, "
            f"{self.images_per_second:.2f} images/s, {self.processes} process(es)",
            f"explained: the {s['target']} class's logit; pixel flipping: {s['patch']}×"
            f"{s['patch']} patches, {s['steps']} steps, perturbation {s['perturbation']}; "
            f"mean [95 % bootstrap interval]",
            "",
        ]
        width = 26
        lines.append(f"{'method':<18}" + "".join(f"{k.label:>{width}}" for k in self.measures))
        for m in self.methods:
            lines.append(f"{m:<18}" + "".join(f"{k.text(self.metrics[m][k.name]):>{width}}"
                                              for k in self.measures))
        steps = list(next(iter(self.randomization.values()), {}))
        if steps:
            lines += ["", f"randomization check: {RANDOMIZATION.label} with the trained "
                          "network's, layers re-initialized from the top down to (and "
                          "including):"]
            lines.append(f"{'layer':<14}" + "".join(f"{m:>{width}}" for m in self.methods))
            for step in steps:
                lines.append(f"{step:<14}" + "".join(
                    f"{RANDOMIZATION.text(self.randomization[m][step]):>{width}}"
                    for m in self.methods))
        return "\n".join(lines)


def summarize(results: Sequence[ImageResult], methods: Sequence[str], checkpoints: Sequence[str],
              seconds: float, processes: int, settings: dict[str, object], seed: int = 0,
              resamples: int = BOOTSTRAP, confidence: float = CONFIDENCE,
              measures: Sequence[Metric] = METRICS) -> Table:
    """The :class:`Table` of per-image ``results`` (sorted by index first) for the metrics
    ``measures``."""
    results = sorted(results, key=lambda r: r.index)

    def interval(values: Iterable[float]) -> Interval:
        return bootstrap_interval(list(values), seed, resamples, confidence)

    metrics = {m: {k.name: interval(r.values[m][k.name] for r in results) for k in measures}
               for m in methods}
    randomization = {m: {c: interval(r.randomization[m][j] for r in results)
                         for j, c in enumerate(checkpoints)} for m in methods}
    curves = {m: {o: np.mean([r.curves[m][o] for r in results], axis=0).tolist()
                  if results else [] for o in ORDERS} for m in methods}
    labelled = [r for r in results if r.label >= 0]
    accuracy = (sum(r.predicted == r.label for r in labelled) / len(labelled)
                if labelled else None)
    return Table(tuple(methods), metrics, randomization, curves, len(results), accuracy,
                 seconds, processes, settings, list(results), tuple(measures))


__all__ = ["ImageResult", "Table", "summarize"]
