r"""One held-out digit per class, explained: the examples the report's heatmap figure shows.

For each class ``c = 0 … 9`` the first held-out digit labelled ``c`` (in ``load_digits``
order) is explained for the class the network predicts, by each method ``python -m vgg``
shows (:data:`vgg.methods.SHOWN`), with its share ``ΣR / f_t(x)``
(:class:`vgg.evaluation.plots.Example`).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from vgg.digits import CLASSES
from vgg.digits.data import held_out, unnormalize
from vgg.engine.explain import logits
from vgg.engine.propagate import select
from vgg.evaluation.evidence import heatmaps
from vgg.evaluation.plots import Example
from vgg.methods import SHOWN, relevance_maps


def first_of_each_class(labels: torch.Tensor, classes: int = len(CLASSES)) -> list[int]:
    """The index of the first occurrence of each class ``0 … classes − 1`` in ``labels``.

    >>> first_of_each_class(torch.tensor([1, 0, 1, 2, 0]), 3)
    [1, 0, 3]
    """
    return [int((labels == c).nonzero()[0]) for c in range(classes)]


def class_examples(model: nn.Module, methods: Sequence[str] = SHOWN) -> list[Example]:
    """The first held-out digit of each class, explained (see the module docstring)."""
    x, y = held_out()
    rows = first_of_each_class(y)
    x, y = x[rows], y[rows]
    start = logits(model, x)
    t = start.argmax(1)
    f = select(start, t).double()
    maps = {m: heatmaps(r) for m, r in relevance_maps(model, x, t, rows, methods).items()}
    pictures = unnormalize(x).numpy()
    return [Example(pictures[i], int(y[i]), int(t[i]),
                    {m: maps[m][i].numpy() for m in methods},
                    {m: float(maps[m][i].sum() / f[i]) for m in methods})
            for i in range(len(rows))]


__all__ = ["class_examples", "first_of_each_class"]
