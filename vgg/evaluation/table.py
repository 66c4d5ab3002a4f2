r"""The evaluation's results: per image (:class:`ImageResult`), and summarized (:class:`Table`).

The table holds, each a mean over the images with its 95 % bootstrap interval
(:mod:`vgg.evaluation.intervals`):

- per method, the metrics that perturb nothing (:data:`~vgg.evaluation.metrics.METRICS` with
  ``perturbed`` False: negative evidence, noise, conservation) — :attr:`Table.metrics`;
- per perturbation baseline and method, the metrics of pixel flipping — :attr:`Table.flipping`
  — and the mean flipping curves with their bands — :attr:`Table.curves`;
- per pair of methods, the **paired** difference of every metric (per baseline for pixel
  flipping) — :attr:`Table.paired`, keyed ``"first - second"``
  (:func:`vgg.evaluation.claims.pair_key`); :meth:`Table.paired_interval` reads any order;
- per method, comparison and step of the cascade, the randomization check —
  :attr:`Table.randomization`;
- per method, the conservation figures — :attr:`Table.conservation`: the mean logit and
  ``ΣR``, the share ``ΣR/f_t`` (mean, median) and how many heatmaps sum to a negative number.

Per-image results are sorted by image index before summarizing, so the table does not depend
on batching or on the number of processes. :meth:`Table.as_dict` is the JSON of ``python -m
vgg.evaluate --json``; :meth:`Table.from_dict` reads it back (without the per-image results).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vgg.evaluation.claims import pair_key
from vgg.evaluation.defaults import BOOTSTRAP, CONFIDENCE
from vgg.evaluation.flipping import ORDERS
from vgg.evaluation.intervals import (
    Band,
    Interval,
    bootstrap_band,
    bootstrap_interval,
    paired_interval,
)
from vgg.evaluation.metrics import METRICS, RANDOMIZATION, Metric

#: The key of the paired differences of the metrics that perturb nothing.
UNPERTURBED = "none"


@dataclass(frozen=True)
class ImageResult:
    """What one image contributes: its ``index`` and ``label`` (−1: unknown), the explained
    class ``target``, ``predicted`` class, the explained ``logit`` ``f_t(x)``,
    ``values[method][metric]`` (the metrics that perturb nothing),
    ``flipping[baseline][method][metric]``, the flipping
    ``curves[baseline][method]["morf"|"lerf"]`` (``L+1`` logits),
    ``randomization[method][comparison]`` (one value per checkpoint) and, for the first few
    images, the heatmaps (``maps[method]``, ``H × W``) and the input's gray picture
    (``picture``) for plots."""

    index: int
    label: int
    target: int
    predicted: int
    logit: float
    values: dict[str, dict[str, float]]
    flipping: dict[str, dict[str, dict[str, float]]]
    curves: dict[str, dict[str, dict[str, list[float]]]]
    randomization: dict[str, dict[str, list[float]]]
    maps: dict[str, list[list[float]]] = field(default_factory=dict)
    picture: list[list[float]] | None = None


@dataclass(frozen=True)
class Table:
    """The evaluation summarized (see the module docstring), and how the run went
    (``images``, ``accuracy``, ``seconds``, ``processes``, ``settings``). ``results`` are the
    per-image results, by index (empty when read back from JSON); ``measures`` the metrics
    measured, in table order."""

    methods: tuple[str, ...]
    baselines: tuple[str, ...]
    metrics: dict[str, dict[str, Interval]]
    flipping: dict[str, dict[str, dict[str, Interval]]]
    paired: dict[str, dict[str, dict[str, Interval]]]
    curves: dict[str, dict[str, dict[str, Band]]]
    randomization: dict[str, dict[str, dict[str, Interval]]]
    conservation: dict[str, dict[str, Any]]
    images: int
    accuracy: float | None
    seconds: float
    processes: int
    settings: dict[str, Any]
    results: list[ImageResult] = field(repr=False, default_factory=list)
    measures: tuple[Metric, ...] = METRICS

    @property
    def images_per_second(self) -> float:
        return self.images / self.seconds if self.seconds > 0 else math.nan

    def interval(self, metric: str, method: str, baseline: str | None = None) -> Interval:
        """One method's interval of ``metric`` (under ``baseline`` for pixel flipping)."""
        if baseline is None:
            return self.metrics[method][metric]
        return self.flipping[baseline][method][metric]

    def paired_interval(self, metric: str, first: str, second: str,
                        baseline: str | None = None) -> Interval:
        """The paired difference ``first − second`` of ``metric`` (under ``baseline`` for
        pixel flipping), whichever order the table keeps the pair in."""
        pairs = self.paired[baseline or UNPERTURBED]
        key = pair_key(first, second)
        if key in pairs:
            return pairs[key][metric]
        return pairs[pair_key(second, first)][metric].negated()

    def as_dict(self) -> dict[str, Any]:
        """The table as JSON-ready data (intervals as ``{mean, low, high, n}``): ``methods``
        (per method its unperturbed metrics and ``randomization[comparison][step]``),
        ``paired`` (per pair the unperturbed metrics), ``baselines`` (per baseline:
        ``methods``, ``paired`` and ``curves``), ``conservation`` (per method), and the run's
        facts."""
        def ivs(d: dict[str, Interval]) -> dict[str, dict[str, float | int]]:
            return {k: iv.as_dict() for k, iv in d.items()}

        return {
            "settings": self.settings,
            "images": self.images,
            "accuracy": self.accuracy,
            "seconds": self.seconds,
            "images_per_second": self.images_per_second,
            "processes": self.processes,
            "conservation": self.conservation,
            "methods": {m: {**ivs(self.metrics[m]),
                            "randomization": {c: ivs(steps) for c, steps
                                              in self.randomization[m].items()}}
                        for m in self.methods},
            "paired": {p: ivs(v) for p, v in self.paired[UNPERTURBED].items()},
            "baselines": {b: {"methods": {m: ivs(self.flipping[b][m]) for m in self.methods},
                              "paired": {p: ivs(v) for p, v in self.paired[b].items()},
                              "curves": {m: {o: band.as_dict() for o, band in c.items()}
                                         for m, c in self.curves[b].items()}}
                          for b in self.baselines},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], measures: Sequence[Metric] = METRICS) -> Table:
        """The table :meth:`as_dict` wrote (no per-image results)."""
        def ivs(d: dict[str, Any]) -> dict[str, Interval]:
            return {k: Interval.from_dict(v) for k, v in d.items()}

        methods = tuple(data["methods"])
        baselines = tuple(data["baselines"])
        metrics = {m: ivs({k: v for k, v in d.items() if k != "randomization"})
                   for m, d in data["methods"].items()}
        randomization = {m: {c: ivs(steps) for c, steps in d["randomization"].items()}
                         for m, d in data["methods"].items()}
        paired = {UNPERTURBED: {p: ivs(v) for p, v in data["paired"].items()},
                  **{b: {p: ivs(v) for p, v in d["paired"].items()}
                     for b, d in data["baselines"].items()}}
        flipping = {b: {m: ivs(v) for m, v in d["methods"].items()}
                    for b, d in data["baselines"].items()}
        curves = {b: {m: {o: Band.from_dict(band) for o, band in c.items()}
                      for m, c in d["curves"].items()} for b, d in data["baselines"].items()}
        return cls(methods, baselines, metrics, flipping, paired, curves, randomization,
                   data["conservation"], data["images"], data["accuracy"], data["seconds"],
                   data["processes"], data["settings"], [], tuple(measures))

    def format(self) -> str:
        """The table as text."""
        s = self.settings
        acc = "n/a" if self.accuracy is None else f"{100 * self.accuracy:.2f} %"
        width = 26
        lines = [
            f"images: {self.images}, accuracy: {acc}, {self.seconds:.1f} s, "
            f"{self.images_per_second:.2f} images/s, {self.processes} process(es)",
            f"explained: the {s['target']} class's logit f_t(x); mean [95 % bootstrap "
            "interval]; differences are paired (same images, same perturbations)",
            "",
            "conservation (ΣR / f_t(x); LRP's biases absorb the rest):",
        ]
        for m in self.methods:
            c = self.conservation.get(m) or {}
            if "share" not in c:
                continue
            lines.append(f"  {m:<18} share {c['share']['mean']:.3f} (median "
                         f"{c['share_median']:.3f}), mean f_t {c['logit']:.3f}, mean ΣR "
                         f"{c['relevance_sum']:.3f}, negative sums {100 * c['negative_sums']:.1f}"
                         f" % (of the correctly classified: "
                         f"{100 * c['negative_sums_correct']:.1f} %)")
        plain = [k for k in self.measures if not k.perturbed]
        flipped = [k for k in self.measures if k.perturbed]
        lines += ["", f"{'method':<18}" + "".join(f"{k.label:>{width}}" for k in plain)]
        for m in self.methods:
            lines.append(f"{m:<18}" + "".join(f"{k.text(self.metrics[m][k.name]):>{width}}"
                                              for k in plain))
        for b in self.baselines:
            lines += ["", f"pixel flipping, baseline {b!r}: {s['patch']}×{s['patch']} patches, "
                          f"{s['steps']} steps (Gradient × Input's reference point: x = 0, the "
                          "ImageNet-mean gray image)",
                      f"{'method':<18}" + "".join(f"{k.label:>{width}}" for k in flipped)]
            for m in self.methods:
                lines.append(f"{m:<18}" + "".join(
                    f"{k.text(self.flipping[b][m][k.name]):>{width}}" for k in flipped))
            lines.append(f"{'paired differences':<36}" + "".join(f"{k.label:>{width}}"
                                                                 for k in flipped))
            for p, v in self.paired[b].items():
                lines.append(f"  {p:<34}" + "".join(f"{k.text(v[k.name]):>{width}}"
                                                    for k in flipped))
        lines += ["", f"{'paired differences':<36}" + "".join(f"{k.label:>{width}}"
                                                             for k in plain)]
        for p, v in self.paired[UNPERTURBED].items():
            lines.append(f"  {p:<34}" + "".join(f"{k.text(v[k.name]):>{width}}" for k in plain))
        steps = list(next(iter(next(iter(self.randomization.values()), {}).values()), {}))
        if steps:
            lines += ["", "randomization check (cascading, layers re-initialized from the top "
                          "down to and including the step), compared with the trained "
                          "network's heatmaps:"]
            for c in RANDOMIZATION:
                lines.append(f"{c.label:<14}" + "".join(f"{m:>{width}}" for m in self.methods))
                for step in steps:
                    lines.append(f"  {step:<12}" + "".join(
                        f"{c.text(self.randomization[m][c.name][step]):>{width}}"
                        for m in self.methods))
        return "\n".join(lines)


def _pairs(methods: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(methods) for b in methods[i + 1:]]


def _conservation(results: Sequence[ImageResult], method: str) -> dict[str, Any]:
    logit = np.array([r.logit for r in results])
    share = np.array([r.values[method]["conservation"] for r in results])
    total = share * logit
    correct = np.array([r.label >= 0 and r.predicted == r.label for r in results])
    negative = total < 0
    return {"logit": float(logit.mean()), "relevance_sum": float(total.mean()),
            "share_median": float(np.median(share)),
            "negative_sums": float(negative.mean()),
            "negative_sums_correct": (float(negative[correct].mean()) if correct.any()
                                      else math.nan)}


def summarize(results: Sequence[ImageResult], methods: Sequence[str], baselines: Sequence[str],
              checkpoints: Sequence[str], seconds: float, processes: int,
              settings: dict[str, Any], seed: int = 0, resamples: int = BOOTSTRAP,
              confidence: float = CONFIDENCE, measures: Sequence[Metric] = METRICS) -> Table:
    """The :class:`Table` of per-image ``results`` (sorted by index first) for the metrics
    ``measures``."""
    results = sorted(results, key=lambda r: r.index)
    plain = [k for k in measures if not k.perturbed]
    flipped = [k for k in measures if k.perturbed]

    def interval(values: Iterable[float]) -> Interval:
        return bootstrap_interval(list(values), seed, resamples, confidence)

    def paired(a: Iterable[float], b: Iterable[float]) -> Interval:
        return paired_interval(list(a), list(b), seed, resamples, confidence)

    metrics = {m: {k.name: interval(r.values[m][k.name] for r in results) for k in plain}
               for m in methods}
    flipping = {b: {m: {k.name: interval(r.flipping[b][m][k.name] for r in results)
                        for k in flipped} for m in methods} for b in baselines}
    pairs = _pairs(methods)
    table_paired = {UNPERTURBED: {pair_key(a, c): {
        k.name: paired((r.values[a][k.name] for r in results),
                       (r.values[c][k.name] for r in results)) for k in plain}
        for a, c in pairs}}
    for b in baselines:
        table_paired[b] = {pair_key(a, c): {
            k.name: paired((r.flipping[b][a][k.name] for r in results),
                           (r.flipping[b][c][k.name] for r in results)) for k in flipped}
            for a, c in pairs}
    curves = {b: {m: {o: bootstrap_band([r.curves[b][m][o] for r in results], seed, resamples,
                                        confidence) for o in ORDERS} for m in methods}
              for b in baselines}
    comparisons = [c.name for c in RANDOMIZATION]
    randomization = {m: {c: {step: interval(r.randomization[m][c][j] for r in results)
                             for j, step in enumerate(checkpoints)} for c in comparisons}
                     for m in methods}
    conservation = ({m: {**_conservation(results, m),
                         "share": metrics[m]["conservation"].as_dict()} for m in methods}
                    if results and any(k.name == "conservation" for k in plain) else
                    {m: {} for m in methods})
    labelled = [r for r in results if r.label >= 0]
    accuracy = (sum(r.predicted == r.label for r in labelled) / len(labelled)
                if labelled else None)
    return Table(tuple(methods), tuple(baselines), metrics, flipping, table_paired, curves,
                 randomization, conservation, len(results), accuracy, seconds, processes,
                 settings, list(results), tuple(measures))


__all__ = ["UNPERTURBED", "ImageResult", "Table", "summarize"]
