r"""The evaluation: every method's explanations of every image, measured by every metric.

:func:`evaluate` reads a DataLoader of ``(x, label, index)`` batches (:mod:`vgg.evaluation.data`);
for each batch (:func:`evaluate_batch`) it explains the class ``t`` (by default the network's
prediction) by each method (:func:`vgg.methods.relevance_maps`), runs pixel flipping
(:mod:`vgg.evaluation.flipping`), measures each metric of :data:`~vgg.evaluation.metrics.METRICS`
and the randomization check, and keeps one :class:`~vgg.evaluation.table.ImageResult` per
image; the results, gathered over processes under ``torchrun``
(:mod:`vgg.evaluation.distributed`), are summarized in a :class:`~vgg.evaluation.table.Table`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import torch
from torch import Tensor, nn

from vgg.digits.data import unnormalize
from vgg.engine.explain import logits
from vgg.engine.propagate import select
from vgg.evaluation.defaults import (
    BOOTSTRAP,
    CHUNK,
    CONFIDENCE,
    PATCH,
    PERTURBATIONS,
    STEPS,
)
from vgg.evaluation.distributed import gathered
from vgg.evaluation.evidence import Evidence, heatmaps
from vgg.evaluation.flipping import ORDERS, flipping_curves, perturbed
from vgg.evaluation.metrics import METRICS, RANDOMIZATION, Metric
from vgg.evaluation.randomization import cascade, randomization_correlations
from vgg.evaluation.table import ImageResult, Table, summarize
from vgg.methods import DEFAULT, relevance_maps
from vgg.methods import check as check_methods


def evaluate_batch(model: nn.Module, x: Tensor, label: Tensor, indices: Sequence[int], *,
                   methods: Sequence[str] = DEFAULT, perturbation: str = "noise",
                   patch: int = PATCH, steps: int = STEPS, checkpoints: Sequence[str] = (),
                   seed: int = 0, chunk: int = CHUNK, target: str = "predicted",
                   keep_maps: int = 0, metrics: Sequence[Metric] = METRICS) -> list[ImageResult]:
    """The :class:`ImageResult` of each image of one batch (see :func:`evaluate`)."""
    start_logits = logits(model, x)
    predicted = start_logits.argmax(1)
    if target == "predicted":
        t = predicted
    elif target == "label":
        if bool((label < 0).any()):
            raise ValueError("target='label' needs every label")
        t = label.to(torch.int64)
    else:
        raise ValueError(f"target is 'predicted' or 'label', got {target!r}")
    relevance = relevance_maps(model, x, t, indices, methods, seed)
    replacement = perturbed(x, indices, perturbation, patch, seed)
    curves = flipping_curves(model, x, t, select(start_logits, t), relevance, replacement, patch,
                             steps, chunk)
    evidence = {m: Evidence(heatmaps(r), curves[m]) for m, r in relevance.items()}
    values = {m: {k.name: k.measure(evidence[m]) for k in metrics} for m in methods}
    rho = randomization_correlations(model, x, t, indices, relevance, checkpoints, seed,
                                     RANDOMIZATION.compare)
    out = []
    for i, index in enumerate(indices):
        keep = index < keep_maps
        out.append(ImageResult(
            index=int(index), label=int(label[i]), target=int(t[i]),
            predicted=int(predicted[i]),
            values={m: {k: float(v[i]) for k, v in values[m].items()} for m in methods},
            curves={m: {o: curves[m][o][i].tolist() for o in ORDERS} for m in methods},
            randomization={m: rho[m][i].tolist() for m in methods},
            maps={m: evidence[m].heatmaps[i].tolist() for m in methods} if keep else {},
            picture=unnormalize(x[i:i + 1])[0].tolist() if keep else None,
        ))
    return out


def evaluate(model: nn.Module, loader: Iterable[Sequence[Tensor]], *,
             methods: Sequence[str] = DEFAULT, perturbation: str = "noise", patch: int = PATCH,
             steps: int | None = STEPS, checkpoints: Sequence[str] | None = None, seed: int = 0,
             chunk: int = CHUNK, target: str = "predicted", resamples: int = BOOTSTRAP,
             confidence: float = CONFIDENCE, keep_maps: int = 0,
             metrics: Sequence[Metric] = METRICS,
             progress: Callable[[int], None] | None = None) -> Table:
    """Evaluate the explanations of ``model`` (any torchvision VGG) over ``loader``'s batches
    ``(x, label, index)`` (``label`` −1 where unknown; ``index`` a unique image number that
    seeds that image's random draws) and summarize them in a :class:`Table`.

    ``methods`` ⊆ :data:`vgg.methods.METHODS` (default :data:`vgg.methods.DEFAULT`);
    ``perturbation`` ∈ :data:`~vgg.evaluation.flipping.PERTURBATIONS`; ``patch`` the patch side
    in px; ``steps`` the pixel-flipping steps ``L`` (None: all patches); ``checkpoints`` the
    randomization steps (None: every layer of :func:`~vgg.evaluation.randomization.cascade`;
    ``()``: none); ``chunk`` images per forward pass in pixel flipping; ``target``
    ``"predicted"`` or ``"label"``; ``keep_maps`` keeps the heatmaps of images with index below
    it (plots); ``metrics`` the metrics measured (default: the registry's,
    :data:`~vgg.evaluation.metrics.METRICS`). Under ``torch.distributed`` the results of all
    processes are gathered (:mod:`vgg.evaluation.distributed`).
    """
    started = time.perf_counter()
    check_methods(methods)
    if perturbation not in PERTURBATIONS:
        raise ValueError(f"perturbation is one of {', '.join(PERTURBATIONS)}")
    checkpoints = list(cascade(model) if checkpoints is None else checkpoints)
    results: list[ImageResult] = []
    size: tuple[int, int] | None = None
    for batch in loader:
        x, label, index = batch[0], batch[1], batch[2]
        size = size or tuple(x.shape[-2:])
        patches = (size[0] // patch) * (size[1] // patch)
        n_steps = patches if steps is None else min(steps, patches)
        results += evaluate_batch(model, x, label, [int(i) for i in index], methods=methods,
                                  perturbation=perturbation, patch=patch, steps=n_steps,
                                  checkpoints=checkpoints, seed=seed, chunk=chunk,
                                  target=target, keep_maps=keep_maps, metrics=metrics)
        if progress is not None:
            progress(len(results))
    results, processes = gathered(results)
    first = results[0].curves[methods[0]]["morf"] if results and methods else []
    settings: dict[str, object] = {
        "methods": list(methods), "perturbation": perturbation, "patch": patch,
        "steps": max(len(first) - 1, 0), "target": target, "seed": seed,
        "bootstrap": resamples, "confidence": confidence, "checkpoints": checkpoints,
        "curve": "logit of the explained class", "interval": "percentile bootstrap over images",
        "randomization": "Spearman rho of |H| (channel-summed heatmap), cascading from the top",
    }
    return summarize(results, methods, checkpoints, time.perf_counter() - started, processes,
                     settings, seed, resamples, confidence, metrics)


__all__ = ["evaluate", "evaluate_batch"]
