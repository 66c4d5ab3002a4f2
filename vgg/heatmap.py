r"""Heatmaps of a relevance tensor: ``H_{ij} = Σ_c R_{cij}``, red positive, blue negative.

The color scale is symmetric, ``[−v, v]`` with ``v`` the :data:`PERCENTILE`-th percentile of
``|H|`` (the 99.5th: a handful of extreme pixels does not wash the rest out; the few beyond
``v`` are shown saturated). Where that percentile is 0, ``v = max |H|``, and 1 for an all-zero
map. Zero is white (matplotlib's ``bwr`` colormap).

Figures are drawn with matplotlib's object API on the Agg canvas (no pyplot, no global
backend state), each image at about its own pixel size (antialiased where it must shrink),
and carry their title in the PNG metadata (``Title``) as well.

>>> import numpy as np
>>> r = np.zeros((3, 2, 2)); r[0, 0, 0], r[2, 0, 0], r[1, 1, 1] = 2.0, 1.0, -4.0
>>> channel_sum(r).tolist()
[[3.0, 0.0], [0.0, -4.0]]
>>> color_limit(np.array([[0.0, 1.0], [-2.0, 0.5]]), percentile=100)
2.0
>>> title("castle (483)", "LRP", "ImageNet weights")
'castle (483) — LRP — ImageNet weights'
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from vgg.limits import MAX_SIDE

#: Percentile of |H| that sets the symmetric color limit.
PERCENTILE = 99.5
CMAP = "bwr"
DPI = 100


def channel_sum(relevance: Any) -> np.ndarray:
    """``Σ_c R_c`` of a (3, H, W) or (1, 3, H, W) relevance (NumPy or torch), as float64 (H, W)."""
    r = relevance.detach().cpu().numpy() if hasattr(relevance, "detach") else relevance
    r = np.asarray(r, dtype=np.float64)
    if r.ndim == 4:
        if r.shape[0] != 1:
            raise ValueError(f"one image at a time, got a batch of {r.shape[0]}")
        r = r[0]
    if r.ndim != 3:
        raise ValueError(f"expected (3, H, W) or (1, 3, H, W), got shape {r.shape}")
    return r.sum(axis=0)


def color_limit(heat: np.ndarray, percentile: float = PERCENTILE) -> float:
    """``v`` of the symmetric scale ``[−v, v]``: the percentile of ``|H|``, else ``max |H|``,
    else 1."""
    magnitude = np.abs(np.asarray(heat, dtype=np.float64))
    finite = magnitude[np.isfinite(magnitude)]
    if finite.size == 0:
        return 1.0
    v = float(np.percentile(finite, percentile))
    if v == 0.0:
        v = float(finite.max())
    return v if v > 0.0 else 1.0


def title(class_label: str, method: str, weights_label: str) -> str:
    """``"class — method — weights"``, the title of every heatmap."""
    return f"{class_label} — {method} — {weights_label}"


def _figure(width_px: int, height_px: int, panels: int) -> Figure:
    """A figure ``panels`` images wide, each shown at about its own pixel size (4 to 10.24
    inches at :data:`DPI`), plus room for the color bars and the title."""
    aspect = min(max(height_px / width_px, 0.25), 4.0)
    panel = min(max(4.0, width_px / DPI), MAX_SIDE / DPI)
    width = panel * panels + 1.5 * (panels if panels == 1 else panels - 1)
    fig = Figure(figsize=(width, panel * aspect + 1.0), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _draw(ax: Any, heat: np.ndarray, fig: Figure, percentile: float,
          printed: bool = False) -> None:
    v = color_limit(heat, percentile)
    shown = ax.imshow(heat, cmap=CMAP, vmin=-v, vmax=v, interpolation="antialiased")
    ax.set_axis_off()
    bar = fig.colorbar(shown, ax=ax, shrink=0.8)
    if printed:  # the percentile is in the report's caption; the label fits the bar
        bar.ax.tick_params(labelsize=PRINTED_FONT)
        bar.set_label("relevance summed over RGB", fontsize=PRINTED_FONT)
    else:
        bar.set_label(f"relevance summed over RGB (±{percentile:g}th percentile of |·|)",
                      fontsize=8)


def heatmap_figure(relevance: Any, heading: str, percentile: float = PERCENTILE) -> Figure:
    """One heatmap of ``Σ_c R_c``, titled ``heading``."""
    heat = channel_sum(relevance)
    fig = _figure(heat.shape[1], heat.shape[0], 1)
    ax = fig.add_subplot()
    _draw(ax, heat, fig, percentile)
    fig.suptitle(heading, fontsize=10, wrap=True)
    return fig


#: The font size (pt) of a comparison figure drawn at its printed width.
PRINTED_FONT = 7.0


def _printed_figure(width: float, rgb: np.ndarray, panels: int) -> Figure:
    """A figure ``width`` inches wide for ``panels`` images of ``rgb``'s aspect, each with
    room for a colour bar, plus a line of titles."""
    aspect = min(max(rgb.shape[0] / rgb.shape[1], 0.25), 4.0)
    panel = width / panels - 0.45   # a colour bar with its ticks and label beside each
    fig = Figure(figsize=(width, panel * aspect + 0.35), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def comparison_figure(
    rgb: np.ndarray,
    panels: list[tuple[str, Any]],
    heading: str,
    percentile: float = PERCENTILE,
    width: float | None = None,
) -> Figure:
    """The image and one heatmap per ``(method, relevance)`` side by side, under ``heading``
    (none if empty). Each heatmap has its own symmetric scale. With ``width`` (inches) the
    figure is drawn that wide with every text :data:`PRINTED_FONT` pt (to be printed at that
    width, as the report does); else each image at about its own pixel size."""
    printed = width is not None
    count = 1 + len(panels)
    fig = (_printed_figure(width, rgb, count) if width is not None
           else _figure(rgb.shape[1], rgb.shape[0], count))
    title = PRINTED_FONT if printed else 9
    axes = fig.subplots(1, count)
    axes[0].imshow(np.clip(rgb, 0.0, 1.0), interpolation="antialiased")
    axes[0].set_title(f"image ({rgb.shape[1]}×{rgb.shape[0]} px)", fontsize=title)
    axes[0].set_axis_off()
    for ax, (method, relevance) in zip(axes[1:], panels, strict=True):
        _draw(ax, channel_sum(relevance), fig, percentile, printed)
        ax.set_title(method, fontsize=title)
    if heading:
        fig.suptitle(heading, fontsize=PRINTED_FONT + 1 if printed else 10)
    return fig


def save(fig: Figure, path: str | os.PathLike[str], heading: str) -> None:
    """Write ``fig`` as PNG to ``path`` (exactly that name), with ``heading`` as its Title.
    Callers stage the path (:class:`clitools.Staged`, as :func:`vgg.pipeline.write` does)
    so that no half-written PNG is left."""
    with open(path, "wb") as stream:
        fig.savefig(stream, format="png", dpi=DPI, metadata={"Title": heading})


__all__ = [
    "CMAP",
    "PERCENTILE",
    "PRINTED_FONT",
    "channel_sum",
    "color_limit",
    "comparison_figure",
    "heatmap_figure",
    "save",
    "title",
]
