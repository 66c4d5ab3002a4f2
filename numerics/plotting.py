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

import os
import tempfile
from pathlib import Path
from typing import Any


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: Path, dpi: int = 120) -> Path:
    """Save ``fig`` as PNG at ``path`` atomically (a temporary name in the same folder, then
    ``os.replace``), and close it. A failure leaves no partial file."""
    plt = pyplot()
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi, format="png")
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


__all__ = ["pyplot", "save_figure"]
