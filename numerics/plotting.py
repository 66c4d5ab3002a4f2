"""Figures: matplotlib without a display, saved atomically.

>>> import tempfile, pathlib
>>> plt = pyplot()
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1], [1, 0])
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = save_figure(fig, pathlib.Path(tmp) / "line.png")
...     path.read_bytes()[:4], sorted(p.name for p in pathlib.Path(tmp).iterdir())
(b'\\x89PNG', ['line.png'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clitools import Staged


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: Path, dpi: int = 120) -> Path:
    """Save ``fig`` as PNG at ``path`` all or nothing (:class:`clitools.Staged`), and close
    it. A failure leaves no partial file."""
    path = Path(path)
    try:
        with Staged() as stage:
            with open(stage.path(path), "wb") as stream:
                fig.savefig(stream, dpi=dpi, format="png")
    finally:
        pyplot().close(fig)
    return path


__all__ = ["pyplot", "save_figure"]
