r"""Plots of an evaluation's :class:`~vgg.evaluation.table.Table`, written all or nothing.

- ``pixel_flipping.png`` — the mean MoRF and LeRF curves of the explained logit per method,
  ``f_t(x^(k))`` against the number ``k`` of perturbed patches;
- ``heatmaps.png`` — the first digits kept by ``evaluate(..., keep_maps=K)``, each with the
  heatmaps ``H = Σ_c R_c`` of the methods ``python -m vgg`` shows (:data:`vgg.methods.SHOWN`)
  (symmetric color scale per map, ``[−v, v]`` with ``v = max |H|``; red positive, blue
  negative);
- ``randomization.png`` — the mean of the randomization metric (Spearman ρ of ``|H|``) per
  step with its 95 % interval, per method.

Methods are labelled and coloured as :data:`vgg.methods.METHODS` says.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global state).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from clitools import Staged
from vgg.evaluation.metrics import RANDOMIZATION
from vgg.evaluation.table import Table
from vgg.heatmap import CMAP, DPI, color_limit
from vgg.methods import METHODS, SHOWN


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def flipping_figure(table: Table) -> Figure:
    """Mean MoRF (solid) and LeRF (dashed) curves per method."""
    fig = _figure(7.0, 4.5)
    ax = fig.add_subplot()
    for m in table.methods:
        method = METHODS[m]
        for order, style in (("morf", "-"), ("lerf", "--")):
            curve = table.curves[m][order]
            ax.plot(range(len(curve)), curve, style, color=method.colour,
                    label=f"{method.label} {order.upper()}")
    s = table.settings
    ax.set_xlabel(f"patches perturbed ({s['patch']}×{s['patch']} px, {s['perturbation']})")
    ax.set_ylabel("logit of the explained class (mean over images)")
    ax.set_title(f"pixel flipping, {table.images} images")
    ax.legend(fontsize=8, ncols=2)
    return fig


def heatmap_figure(table: Table, methods: tuple[str, ...] = SHOWN) -> Figure | None:
    """Digits (rows) with their heatmaps (columns); None if no maps were kept."""
    kept = [r for r in table.results if r.maps and r.picture is not None]
    methods = tuple(m for m in methods if m in table.methods)
    if not kept:
        return None
    fig = _figure(1.9 * (1 + len(methods)), 1.9 * len(kept))
    axes = np.atleast_2d(fig.subplots(len(kept), 1 + len(methods), squeeze=False))
    for row, r in zip(axes, kept, strict=True):
        row[0].imshow(np.asarray(r.picture), cmap="gray", vmin=0, vmax=1)
        row[0].set_title(f"#{r.index}: label {r.label}, t = {r.target}", fontsize=8)
        for ax, m in zip(row[1:], methods, strict=True):
            h = np.asarray(r.maps[m])
            v = color_limit(h)  # the scale of every heatmap the suite draws
            ax.imshow(h, cmap=CMAP, vmin=-v, vmax=v)
            ax.set_title(METHODS[m].label, fontsize=8)
        for ax in row:
            ax.set_axis_off()
    return fig


def randomization_figure(table: Table) -> Figure | None:
    """Mean ρ per cascade step with 95 % intervals; None without steps."""
    steps = list(next(iter(table.randomization.values()), {}))
    if not steps:
        return None
    fig = _figure(max(6.0, 0.45 * len(steps) + 2), 4.5)
    ax = fig.add_subplot()
    xs = np.arange(len(steps))
    for m in table.methods:
        method = METHODS[m]
        ivs = [table.randomization[m][s] for s in steps]
        mean = [iv.mean for iv in ivs]
        ax.plot(xs, mean, "o-", color=method.colour, label=method.label)
        ax.fill_between(xs, [iv.low for iv in ivs], [iv.high for iv in ivs],
                        color=method.colour, alpha=0.2)
    ax.set_xticks(xs, steps, rotation=60, ha="right", fontsize=8)
    ax.set_xlabel("layers re-initialized from the top down to")
    ax.set_ylabel(f"{RANDOMIZATION.label} with the trained network's")
    ax.set_ylim(-0.2, 1.05)
    ax.axhline(0, color="gray", lw=0.5)
    ax.legend(fontsize=8)
    ax.set_title("randomization sanity check (cascading)")
    return fig


def write_plots(table: Table, folder: str | os.PathLike[str]) -> list[Path]:
    """Write the plots into ``folder`` (created if missing), all or nothing
    (:class:`clitools.Staged`); returns the paths written."""
    figures = {"pixel_flipping.png": flipping_figure(table),
               "heatmaps.png": heatmap_figure(table),
               "randomization.png": randomization_figure(table)}
    written = []
    out = Path(folder)
    with Staged() as stage:
        for name, fig in figures.items():
            if fig is None:
                continue
            with open(stage.path(out / name), "wb") as stream:
                fig.savefig(stream, format="png", dpi=DPI)
            written.append(out / name)
    return written


__all__ = ["flipping_figure", "heatmap_figure", "randomization_figure", "write_plots"]
