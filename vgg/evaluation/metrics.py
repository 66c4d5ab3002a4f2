r"""The metrics: each declared once, with its name, label, direction and number format.

A :class:`Metric` (as a Quantus metric class) is one number per image and method, measured
from the method's :class:`~vgg.evaluation.evidence.Evidence` of a batch, with the direction
in which it is better and how its numbers print; the evaluation summarizes each over the
images (a mean with its bootstrap interval) and the tables, the JSON and the report's table
read their columns from :data:`METRICS`, in this order. The families are modules of their
own:

- pixel flipping (:mod:`vgg.evaluation.flipping`): ``aopc_morf``, ``aopc_lerf`` and the same
  divided by ``f_t(x⁰)`` (``…_normalized``) — measured once per perturbation baseline
  (``perturbed``; :mod:`vgg.evaluation.baselines`);
- negative evidence (:mod:`vgg.evaluation.negative`): ``negative_share``;
- noise, the total variation (:mod:`vgg.evaluation.noise`): ``noise``;
- conservation (:mod:`vgg.evaluation.conservation`): ``conservation``, ``ΣR / f_t(x)``;
- randomization (:mod:`vgg.evaluation.randomization`): :data:`RANDOMIZATION`, three
  :class:`StepMetric` — one number per image and step of the cascade, comparing the heatmaps
  of the randomized network with the trained one's.

Adding a metric: its measure in its family's module, one entry here, and a test.

>>> [m.name for m in METRICS]
['aopc_morf', 'aopc_lerf', 'aopc_morf_normalized', 'aopc_lerf_normalized', 'negative_share',
 'noise', 'conservation']
>>> METRICS[0].label, METRICS[0].direction, METRICS[0].perturbed
('AOPC MoRF (↑)', 'higher', True)
>>> [m.name for m in RANDOMIZATION]
['rho_signed', 'rho_abs', 'ssim']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from torch import Tensor

from vgg.evaluation import conservation, flipping, negative, noise, randomization
from vgg.evaluation.evidence import Evidence
from vgg.evaluation.intervals import Interval

#: Which way a metric is better (``"one"``: closer to 1).
Direction = Literal["higher", "lower", "one"]


@dataclass(frozen=True)
class Metric:
    """A metric: ``name`` (its key in the results and the JSON), ``label`` (table and report
    column; Unicode, the report escapes it), ``direction`` (which way it is better), ``spec``
    (the format of its numbers), ``measure`` (evidence of a batch → one value per image,
    NaN where undefined) and ``perturbed``: whether it reads the flipping curves (then it is
    measured once per perturbation baseline)."""

    name: str
    label: str
    direction: Direction
    measure: Callable[[Evidence], Tensor]
    spec: str = ".3f"
    perturbed: bool = False

    def text(self, interval: Interval) -> str:
        """``"mean [low, high]"`` in this metric's number format."""
        return interval.text(self.spec)


@dataclass(frozen=True)
class StepMetric:
    """A metric of the randomization check: ``compare(trained H, randomized H)`` per image,
    after each step of the cascade; otherwise as :class:`Metric`."""

    name: str
    label: str
    direction: Direction
    compare: randomization.Comparison
    spec: str = ".3f"

    def text(self, interval: Interval) -> str:
        """``"mean [low, high]"`` in this metric's number format."""
        return interval.text(self.spec)


def _heatmap_metric(of_heatmaps: Callable[[Tensor], Tensor]) -> Callable[[Evidence], Tensor]:
    """A measure that reads the heatmaps only."""

    def measure(evidence: Evidence) -> Tensor:
        return of_heatmaps(evidence.heatmaps)

    return measure


def _share(evidence: Evidence) -> Tensor:
    return conservation.share(evidence.heatmaps, evidence.logit)


#: The per-image metrics, in table order.
METRICS: tuple[Metric, ...] = (
    Metric("aopc_morf", "AOPC MoRF (↑)", "higher", flipping.aopc_of("morf"), perturbed=True),
    Metric("aopc_lerf", "AOPC LeRF (↓)", "lower", flipping.aopc_of("lerf"), perturbed=True),
    Metric("aopc_morf_normalized", "AOPC MoRF / f_t (↑)", "higher",
           flipping.aopc_of("morf", normalize=True), perturbed=True),
    Metric("aopc_lerf_normalized", "AOPC LeRF / f_t (↓)", "lower",
           flipping.aopc_of("lerf", normalize=True), perturbed=True),
    Metric("negative_share", "Σ|H⁻|/Σ|H|", "lower", _heatmap_metric(negative.negative_share)),
    Metric("noise", "TV(H)/Σ|H|", "lower", _heatmap_metric(noise.total_variation_share)),
    Metric("conservation", "ΣR/f_t(x)", "one", _share),
)

#: The randomization check's comparisons with the trained network's heatmaps: Spearman's ρ of
#: the signed maps (the one the pass criterion judges), of ``|H|``, and SSIM of ``|H|``.
RANDOMIZATION: tuple[StepMetric, ...] = (
    StepMetric("rho_signed", "Spearman ρ of H", "lower", randomization.spearman),
    StepMetric("rho_abs", "Spearman ρ of |H|", "lower", randomization.abs_rank_correlation),
    StepMetric("ssim", "SSIM of |H|", "lower", randomization.ssim),
)


def perturbed(metrics: tuple[Metric, ...] = METRICS) -> tuple[Metric, ...]:
    """The metrics measured per baseline."""
    return tuple(m for m in metrics if m.perturbed)


def unperturbed(metrics: tuple[Metric, ...] = METRICS) -> tuple[Metric, ...]:
    """The metrics measured once (they read the heatmaps and the logit only)."""
    return tuple(m for m in metrics if not m.perturbed)


__all__ = ["METRICS", "RANDOMIZATION", "Direction", "Metric", "StepMetric", "perturbed",
           "unperturbed"]
