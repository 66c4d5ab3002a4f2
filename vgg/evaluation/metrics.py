r"""The metrics: each declared once, with its name, label, direction and number format.

A :class:`Metric` (as a Quantus metric class) is one number per image and method, measured
from the method's :class:`~vgg.evaluation.evidence.Evidence` of a batch, with the direction
in which it is better and how its numbers print; the evaluation summarizes each over the
images (a mean with its bootstrap interval) and the tables, the JSON and the report's table
read their columns from :data:`METRICS`, in this order. The families are modules of their
own:

- pixel flipping (:mod:`vgg.evaluation.flipping`): ``aopc_morf``, ``aopc_lerf``;
- negative evidence (:mod:`vgg.evaluation.negative`): ``negative_share``;
- noise, the total variation (:mod:`vgg.evaluation.noise`): ``noise``;
- randomization (:mod:`vgg.evaluation.randomization`): :data:`RANDOMIZATION`, a
  :class:`StepMetric` — one number per image and step of the cascade, comparing the heatmaps
  of the randomized network with the trained one's.

Adding a metric: its measure in its family's module, one entry here, and a test.

>>> [m.name for m in METRICS]
['aopc_morf', 'aopc_lerf', 'negative_share', 'noise']
>>> METRICS[0].label, METRICS[0].direction
('AOPC MoRF (↑)', 'higher')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from torch import Tensor

from vgg.evaluation import flipping, negative, noise, randomization
from vgg.evaluation.evidence import Evidence
from vgg.evaluation.intervals import Interval

#: Which way a metric is better.
Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Metric:
    """A metric: ``name`` (its key in the results and the JSON), ``label`` (table and report
    column; Unicode, the report escapes it), ``direction`` (which way it is better), ``spec``
    (the format of its numbers) and ``measure`` (evidence of a batch → one value per image,
    NaN where undefined)."""

    name: str
    label: str
    direction: Direction
    measure: Callable[[Evidence], Tensor]
    spec: str = ".3f"

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


#: The per-image metrics, in table order.
METRICS: tuple[Metric, ...] = (
    Metric("aopc_morf", "AOPC MoRF (↑)", "higher", flipping.aopc_of("morf")),
    Metric("aopc_lerf", "AOPC LeRF (↓)", "lower", flipping.aopc_of("lerf")),
    Metric("negative_share", "Σ|H⁻|/Σ|H|", "lower", _heatmap_metric(negative.negative_share)),
    Metric("noise", "TV(H)/Σ|H|", "lower", _heatmap_metric(noise.total_variation_share)),
)

#: The randomization check: Spearman's ρ of ``|H|`` with the trained network's heatmaps.
RANDOMIZATION = StepMetric("randomization", "Spearman ρ of |H|", "lower",
                           randomization.abs_rank_correlation)


__all__ = ["METRICS", "RANDOMIZATION", "Direction", "Metric", "StepMetric"]
