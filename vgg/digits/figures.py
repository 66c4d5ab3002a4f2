r"""What a shipped digits network promises, measured: its held-out accuracy and how much of
its logit the LRP heatmaps account for.

Over the :data:`~vgg.digits.HELD_OUT` = 360 held-out digits, explaining each digit's predicted
class ``t`` with the sheet's LRP in float64 (:func:`vgg.engine.explain_lrp`):

- ``accuracy`` — the share classified right; at least :data:`MIN_ACCURACY`;
- ``share_mean``, ``share_median`` — of ``ΣR / f_t(x)``, the part of the logit that reaches
  the pixels; the median at least :data:`MIN_MEDIAN_SHARE`;
- ``negative_correct`` — the share of the correctly classified digits whose LRP heatmap sums
  to a negative number (evidence, summed, against the predicted class); below
  :data:`MAX_NEGATIVE_CORRECT`.

``python -m vgg.digits train`` writes these figures into the weights' record, and the tests
compute them again for every shipped seed (:func:`promise_kept`).

>>> promise_kept(Figures(0.98, 0.9, 0.95, 0.0, 0.0))
True
>>> promise_kept(Figures(0.98, 0.055, 0.072, 0.243, 0.242))
False
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

#: The promises (issue 22): held-out accuracy, median LRP share, negative sums among the correct.
MIN_ACCURACY = 0.97
MIN_MEDIAN_SHARE = 0.5
MAX_NEGATIVE_CORRECT = 0.05


@dataclass(frozen=True)
class Figures:
    """A network's figures over the held-out digits (see the module docstring)."""

    accuracy: float
    share_mean: float
    share_median: float
    negative: float
    negative_correct: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def figures(model: nn.Module, batch: int = 120) -> Figures:
    """The :class:`Figures` of ``model`` (a digits VGG; evaluated on a float64 copy, the
    caller's model untouched) over the held-out digits."""
    import copy

    from vgg.digits.data import held_out
    from vgg.engine import explain_lrp

    wide = copy.deepcopy(model).double().eval()
    x, y = held_out()
    x = x.double()
    parts = []
    for i in range(0, len(x), batch):
        xb = x[i:i + batch]
        with torch.no_grad():
            t = wide(xb).argmax(1)
        parts.append(explain_lrp(wide, xb, t))
    target = torch.cat([p.target for p in parts])
    share = torch.cat([p.share for p in parts])
    total = torch.cat([p.relevance_sum for p in parts])
    correct = target == y
    negative = total < 0
    return Figures(accuracy=float(correct.double().mean()),
                   share_mean=float(share.mean()), share_median=float(share.quantile(0.5)),
                   negative=float(negative.double().mean()),
                   negative_correct=float(negative[correct].double().mean()))


def promise_kept(f: Figures) -> bool:
    """Accuracy ≥ :data:`MIN_ACCURACY`, median share ≥ :data:`MIN_MEDIAN_SHARE`, negative
    sums among the correctly classified < :data:`MAX_NEGATIVE_CORRECT`."""
    return (f.accuracy >= MIN_ACCURACY and f.share_median >= MIN_MEDIAN_SHARE
            and f.negative_correct < MAX_NEGATIVE_CORRECT)


__all__ = ["MAX_NEGATIVE_CORRECT", "MIN_ACCURACY", "MIN_MEDIAN_SHARE", "Figures", "figures",
           "promise_kept"]
