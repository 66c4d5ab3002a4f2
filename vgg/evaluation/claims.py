r"""The sheet's claims about Exercise 4, each stated as a criterion before it is measured.

A claim compares two methods on the same images: the **paired difference** ``first − second``
of a per-image metric, its mean over the images with a 95 % percentile-bootstrap interval (the
same resampled images for both methods, :func:`vgg.evaluation.intervals.paired_interval`). A
claim **holds in a cell** — one training seed of the digits network and, for a metric of pixel
flipping, one perturbation baseline — when that interval excludes 0 on the claimed side; it is
**the opposite** when the interval excludes 0 on the other side, and **inconclusive** when it
contains 0. The randomization check (Adebayo et al. 2018) is a claim about one method at a
time: :func:`vgg.evaluation.randomization.randomization_passes` in each seed.

The verdict over all cells (:func:`verdict`): a claim **holds** only if it holds in every cell
(every seed, every baseline); **the opposite holds** if the opposite holds in every cell;
**depends on the perturbation** if it holds on every seed under one baseline but not under
another; **does not hold** if it holds in no cell; anything else (the seeds disagree under a
baseline) **depends on the training seed**. A claim that holds under one baseline only is never
reported as holding. Each cell is one 95 % interval; requiring every cell makes "holds" the
conjunction of 3 (or 6) such statements, stricter than any one of them.

These criteria were written down, and committed, before the networks they judge were
evaluated with them; :data:`CLAIMS` is the one list that the report's section and the tests
read the verdicts from.

>>> [c.key for c in CLAIMS]
['less_noise', 'less_negative_evidence', 'lrp_beats_random_morf', 'lrp_beats_random_lerf',
 'gxi_beats_lrp_morf', 'randomization']
>>> verdict({("noise", 0): HOLDS, ("noise", 1): HOLDS, ("remove", 0): OPPOSITE,
...          ("remove", 1): OPPOSITE})
'depends on the perturbation'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vgg.evaluation.intervals import Interval

#: The status of a claim in one cell (one training seed, one baseline).
HOLDS, OPPOSITE, INCONCLUSIVE = "holds", "opposite", "inconclusive"
#: The verdicts over all cells.
VERDICTS = ("holds", "the opposite holds", "depends on the perturbation", "does not hold",
            "depends on the training seed")

#: The key of a paired difference: ``"first - second"``.
Side = Literal["above", "below"]


def pair_key(first: str, second: str) -> str:
    """``"lrp - gradient_x_input"``: how the JSON and the tables name a paired difference."""
    return f"{first} - {second}"


@dataclass(frozen=True)
class Claim:
    """One claim: ``text`` (the sheet's words or the report's statement), the per-image
    ``metric`` compared, the difference ``first − second`` whose 95 % interval must lie
    ``side`` 0 (``"above"``: ``low > 0``; ``"below"``: ``high < 0``), whether the metric is
    one of pixel flipping (``perturbed``: judged per baseline), and a ``note`` the report
    prints with it. A claim with ``metric = "randomization"`` judges ``first`` alone by
    :func:`vgg.evaluation.randomization.randomization_passes` (``second`` is unused)."""

    key: str
    text: str
    metric: str
    first: str
    second: str
    side: Side
    perturbed: bool
    note: str = ""

    @property
    def pair(self) -> str:
        return pair_key(self.first, self.second)

    def status(self, interval: Interval) -> str:
        """:data:`HOLDS`, :data:`OPPOSITE` or :data:`INCONCLUSIVE` for the interval of
        ``first − second`` (an undefined interval, ``n = 0``, is inconclusive).

        >>> c = CLAIMS[0]
        >>> c.status(Interval(0.3, 0.1, 0.5, 9)), c.status(Interval(-0.3, -0.5, -0.1, 9))
        ('holds', 'opposite')
        >>> c.status(Interval(0.1, -0.1, 0.3, 9))
        'inconclusive'
        """
        if not interval.n or interval.low != interval.low:  # NaN
            return INCONCLUSIVE
        above, below = interval.low > 0, interval.high < 0
        if self.side == "above":
            return HOLDS if above else OPPOSITE if below else INCONCLUSIVE
        return HOLDS if below else OPPOSITE if above else INCONCLUSIVE


CLAIMS: tuple[Claim, ...] = (
    Claim("less_noise",
          "Gradient × Input is noisy; with LRP most of the noise has disappeared",
          "noise", "gradient_x_input", "lrp", "above", False,
          "noise = total variation of the channel-summed heatmap over Σ|H|"),
    Claim("less_negative_evidence",
          "Gradient × Input has a large amount of positive and negative evidence; LRP less",
          "negative_share", "gradient_x_input", "lrp", "above", False,
          "LRP-γ favours positive contributions by construction (γ w⁺): a lower negative "
          "share is close to built into the rule; z^B + LRP-0 on the previous network gave "
          "0.478 against Gradient × Input's 0.487"),
    Claim("lrp_beats_random_morf",
          "flipping LRP's most relevant patches first lowers the logit more than a random "
          "order (AOPC, most relevant first)",
          "aopc_morf", "lrp", "random", "above", True),
    Claim("lrp_beats_random_lerf",
          "flipping LRP's least relevant patches first lowers the logit less than a random "
          "order (AOPC, least relevant first)",
          "aopc_lerf", "lrp", "random", "below", True),
    Claim("gxi_beats_lrp_morf",
          "Gradient × Input has the higher AOPC (most relevant first) than LRP",
          "aopc_morf", "gradient_x_input", "lrp", "above", True,
          "Gradient × Input is the Taylor expansion at x = 0 in normalized coordinates, the "
          "ImageNet-mean gray image; the noise baseline paints patches with values around it"),
    Claim("randomization",
          "both explanations depend on the trained weights (cascading randomization, "
          "Adebayo et al. 2018)",
          "randomization", "lrp", "gradient_x_input", "above", False,
          "each of LRP and Gradient × Input must pass; the random baseline is shown as a "
          "reference, not judged"),
)


def verdict(cells: Mapping[tuple[str | None, int], str]) -> str:
    """The verdict (:data:`VERDICTS`) of a claim from its status in each cell
    ``(baseline or None, seed)``, by the rule of the module docstring.

    >>> verdict({(None, 0): HOLDS, (None, 1): HOLDS, (None, 2): HOLDS})
    'holds'
    >>> verdict({("noise", 0): HOLDS, ("noise", 1): INCONCLUSIVE, ("remove", 0): HOLDS,
    ...          ("remove", 1): HOLDS})
    'depends on the training seed'
    >>> verdict({(None, 0): INCONCLUSIVE, (None, 1): OPPOSITE})
    'does not hold'
    """
    if not cells:
        raise ValueError("a verdict needs at least one cell")
    statuses = set(cells.values())
    if statuses == {HOLDS}:
        return "holds"
    if statuses == {OPPOSITE}:
        return "the opposite holds"
    if HOLDS not in statuses:
        return "does not hold"
    baselines = {b for b, _ in cells}
    whole = {b for b in baselines
             if all(s == HOLDS for (c, _), s in cells.items() if c == b)}
    if whole and len(baselines) > 1 and all(
            all(s != HOLDS for (c, _), s in cells.items() if c == b)
            for b in baselines - whole):
        return "depends on the perturbation"
    return "depends on the training seed"


@dataclass(frozen=True)
class Judged:
    """A claim judged: its ``verdict``, the status and interval (or the randomization
    intervals' summary) of each cell ``(baseline or None, seed)``."""

    claim: Claim
    verdict: str
    cells: dict[tuple[str | None, int], str]
    evidence: dict[tuple[str | None, int], str]


def _randomization_cell(claim: Claim, table: Any) -> tuple[str, str]:
    from vgg.evaluation.randomization import randomization_passes

    texts, passed = [], []
    for method in (claim.first, claim.second):
        steps = table.randomization[method]["rho_signed"]
        ok = randomization_passes(steps)
        passed.append(ok)
        last = list(steps)[-1]
        texts.append(f"{method}: signed ρ after {last} {steps[last]}")
    return (HOLDS if all(passed) else INCONCLUSIVE), "; ".join(texts)


def judge(claim: Claim, tables: Mapping[int, Any],
          baselines: Sequence[str] | None = None) -> Judged:
    """``claim`` judged on the evaluation tables of each training seed
    (:class:`vgg.evaluation.table.Table`, by seed), under each of ``baselines`` (default: the
    tables' own) for a claim of pixel flipping."""
    cells: dict[tuple[str | None, int], str] = {}
    evidence: dict[tuple[str | None, int], str] = {}
    for seed, table in tables.items():
        if claim.metric == "randomization":
            cells[(None, seed)], evidence[(None, seed)] = _randomization_cell(claim, table)
            continue
        for baseline in (baselines or table.baselines) if claim.perturbed else (None,):
            interval = table.paired_interval(claim.metric, claim.first, claim.second, baseline)
            cells[(baseline, seed)] = claim.status(interval)
            evidence[(baseline, seed)] = str(interval)
    return Judged(claim, verdict(cells), cells, evidence)


def judge_all(tables: Mapping[int, Any]) -> list[Judged]:
    """Every claim of :data:`CLAIMS` judged on the tables of each training seed."""
    return [judge(c, tables) for c in CLAIMS]


__all__ = ["CLAIMS", "HOLDS", "INCONCLUSIVE", "OPPOSITE", "VERDICTS", "Claim", "Judged", "judge",
           "judge_all", "pair_key", "verdict"]
