r"""Plots of an evaluation, drawn at their printed size, written all or nothing.

Every figure is :data:`WIDTH` = 6.3 inches wide (a report's text width) and every text in it
is at least :data:`SMALLEST` = 7 pt, so that it reads as printed when included at its own
size (``\includegraphics[width=6.3in]``; :mod:`clitools.printed`). Each is written as PNG and,
for the report, as PDF (``pixel_flipping.pdf``, …).

- ``pixel_flipping.png`` (:func:`flipping_figure`) — one panel per perturbation baseline: the
  mean explained logit ``f_t(x^(k))`` against the number ``k`` of perturbed patches, most
  relevant first (solid) and least relevant first (dashed), per method, each with its 95 %
  bootstrap band;
- ``randomization.png`` (:func:`randomization_figure`) — one panel per comparison (signed ρ,
  ρ of ``|H|``, SSIM) with the trained network's heatmaps, per step of the cascade, with 95 %
  intervals; the pass criterion's limit and the steps it judges marked on the signed ρ; the
  random baseline dotted, a reference;
- ``heatmaps.png`` (:func:`class_figure`, given examples; else :func:`kept_figure`) — held-out
  digits with the heatmaps of the methods ``python -m vgg`` shows, each titled with the
  predicted class and the share ``ΣR/f_t``, one colour scale per method (the
  :data:`vgg.heatmap.PERCENTILE`-th percentile of ``|H|`` over that method's maps) with its
  colour bar.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global state).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from clitools import Staged
from clitools.printed import DPI, RC, SMALLEST, WIDTH
from vgg.evaluation.flipping import ORDERS
from vgg.evaluation.metrics import RANDOMIZATION
from vgg.evaluation.randomization import RHO_LIMIT, judged_steps
from vgg.evaluation.table import Table
from vgg.heatmap import CMAP, PERCENTILE
from vgg.methods import METHODS, SHOWN

#: The formats a plot may be written in: PNG to view (the default), PDF for the report (text
#: as text, :mod:`clitools.printed`).
FORMATS = ("png", "pdf")


def _figure(height: float) -> Figure:
    import matplotlib

    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _style(ax) -> None:  # noqa: ANN001 - a matplotlib Axes
    ax.tick_params(labelsize=7)
    ax.xaxis.label.set_size(8)
    ax.yaxis.label.set_size(8)
    ax.title.set_size(8)


def flipping_figure(table: Table) -> Figure:
    """The flipping curves with their bands, one panel per baseline."""
    fig = _figure(2.9)
    axes = fig.subplots(1, len(table.baselines), sharey=False, squeeze=False)[0]
    s = table.settings
    for ax, b in zip(axes, table.baselines, strict=True):
        for m in table.methods:
            method = METHODS[m]
            for order, style in zip(ORDERS, ("-", "--"), strict=True):
                band = table.curves[b][m][order]
                ks = np.arange(len(band.mean))
                name = {"morf": "MoRF", "lerf": "LeRF"}[order]
                ax.plot(ks, band.mean, style, color=method.colour, lw=1.2,
                        label=f"{method.label} {name}")
                ax.fill_between(ks, band.low, band.high, color=method.colour, alpha=0.18, lw=0)
        ax.set_title(f"baseline: {b}")
        ax.set_xlabel(f"patches perturbed ({s['patch']}×{s['patch']} px)")
        _style(ax)
    axes[0].set_ylabel("mean logit f_t(x^(k))")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4, fontsize=7, frameon=False)
    return fig


def randomization_figure(table: Table) -> Figure | None:
    """The randomization check per comparison; None without steps."""
    first = next(iter(table.randomization.values()), {})
    steps = list(next(iter(first.values()), {}))
    if not steps:
        return None
    fig = _figure(4.3)
    axes = fig.subplots(len(RANDOMIZATION), 1, sharex=True)
    xs = np.arange(len(steps))
    judged = judged_steps(steps)
    for ax, comparison in zip(axes, RANDOMIZATION, strict=True):
        for m in table.methods:
            method = METHODS[m]
            ivs = [table.randomization[m][comparison.name][s] for s in steps]
            reference = m == "random"
            ax.plot(xs, [iv.mean for iv in ivs], ":" if reference else "o-", ms=2.5, lw=1.0,
                    color=method.colour,
                    label=f"{method.label} (reference)" if reference else method.label)
            ax.fill_between(xs, [iv.low for iv in ivs], [iv.high for iv in ivs],
                            color=method.colour, alpha=0.2, lw=0)
        ax.axhline(0, color="gray", lw=0.5)
        ax.set_ylabel(comparison.label)
        ax.set_ylim(-0.6, 1.05)
        ax.set_xlim(-0.5, len(steps) - 0.5)
        if comparison.name == "rho_signed" and judged:
            start = steps.index(judged[0])
            ax.axvspan(start - 0.5, len(steps) - 0.5, color="0.9", zorder=0)
            ax.hlines(RHO_LIMIT, start - 0.5, len(steps) - 0.5, colors="k", linestyles="--",
                      lw=0.8, label=f"criterion: upper bound < {RHO_LIMIT:g} (shaded steps)")
        _style(ax)
    axes[-1].set_xticks(xs, steps, rotation=90)
    axes[-1].set_xlabel("layers re-initialized from the top down to (and including)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    return fig


@dataclass(frozen=True)
class Example:
    """One explained digit for :func:`class_figure`: its ``picture`` (gray, ``H × W``), true
    ``label``, ``predicted`` class, and per method its heatmap ``maps[m]`` and ``share[m]``
    (``ΣR / f_t``)."""

    picture: np.ndarray
    label: int
    predicted: int
    maps: dict[str, np.ndarray]
    share: dict[str, float]


def _limit(maps: Sequence[np.ndarray]) -> float:
    v = float(np.percentile(np.abs(np.stack(maps)), PERCENTILE))
    return v if v > 0 else 1.0


def class_figure(examples: Sequence[Example], methods: Sequence[str] = SHOWN,
                 title: str = "") -> Figure:
    """A row of digits (one per class, as given) and, below, one row of heatmaps per method
    on one colour scale per method (the :data:`~vgg.heatmap.PERCENTILE`-th percentile of
    ``|H|`` over that row, its colour bar at the row's end), each titled with the predicted
    class and its share ``ΣR/f_t``."""
    cols = len(examples)
    fig = _figure(0.95 * (1 + len(methods)) + (0.3 if title else 0.05))
    grid = fig.add_gridspec(1 + len(methods), cols + 1, width_ratios=[1.0] * cols + [0.1])
    for j, e in enumerate(examples):
        ax = fig.add_subplot(grid[0, j])
        ax.imshow(e.picture, cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"digit {e.label}", fontsize=7, pad=2)
        ax.set_xticks([])
        ax.set_yticks([])
    for i, m in enumerate(methods, 1):
        v = _limit([e.maps[m] for e in examples])
        shown = None
        for j, e in enumerate(examples):
            ax = fig.add_subplot(grid[i, j])
            shown = ax.imshow(e.maps[m], cmap=CMAP, vmin=-v, vmax=v)
            ax.set_title(f"pred. {e.predicted}\nshare {e.share[m]:.2f}", fontsize=7, pad=2,
                         linespacing=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
        bar = fig.colorbar(shown, cax=fig.add_subplot(grid[i, cols]))
        bar.ax.tick_params(labelsize=7)
        bar.set_label(METHODS[m].label, fontsize=7)
    if title:
        fig.suptitle(title, fontsize=8)
    return fig


def kept_figure(table: Table, methods: Sequence[str] = SHOWN) -> Figure | None:
    """The digits whose maps the evaluation kept (``keep_maps``) as :func:`class_figure`;
    None if none were kept."""
    kept = [r for r in table.results if r.maps and r.picture is not None][:10]
    methods = [m for m in methods if m in table.methods]
    if not kept or not methods:
        return None
    examples = [Example(np.asarray(r.picture), r.label, r.predicted,
                        {m: np.asarray(r.maps[m]) for m in methods},
                        {m: r.values[m].get("conservation", float("nan")) for m in methods})
                for r in kept]
    return class_figure(examples, methods, "share = ΣR / f_t(x); one colour scale per method")


def write_plots(table: Table, folder: str | os.PathLike[str],
                examples: Sequence[Example] | None = None,
                formats: Sequence[str] = ("png",)) -> list[Path]:
    """Write the plots into ``folder`` (created if missing), all or nothing
    (:class:`clitools.Staged`), each in every one of ``formats`` (of :data:`FORMATS`);
    ``examples`` (one digit per class) for the heatmaps, else the maps the evaluation kept;
    returns the paths written, a plot's formats in a row."""
    import matplotlib

    written = []
    out = Path(folder)
    with matplotlib.rc_context(RC), Staged() as stage:
        figures = {"pixel_flipping.png": flipping_figure(table),
                   "heatmaps.png": (class_figure(examples) if examples else kept_figure(table)),
                   "randomization.png": randomization_figure(table)}
        for name, fig in figures.items():
            if fig is None:
                continue
            for fmt in formats:
                path = (out / name).with_suffix(f".{fmt}")
                with open(stage.path(path), "wb") as stream:
                    fig.savefig(stream, format=fmt, dpi=DPI)
                written.append(path)
    return written


__all__ = ["DPI", "FORMATS", "SMALLEST", "WIDTH", "Example", "class_figure", "flipping_figure",
           "kept_figure", "randomization_figure", "write_plots"]
