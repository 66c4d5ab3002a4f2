"""Figures: matplotlib without a display, at their printed size, saved atomically.

Every figure is drawn :data:`clitools.printed.WIDTH` inches wide with no text under
:data:`clitools.printed.SMALLEST` pt (:func:`printed`), and written as PNG and, beside it, as PDF
(text as text: what the report includes).

>>> import tempfile, pathlib
>>> plt = pyplot()
>>> with printed():
...     fig, ax = plt.subplots(figsize=(WIDTH, 2.0))
...     _ = ax.plot([0, 1], [1, 0])
...     with tempfile.TemporaryDirectory() as tmp:
...         path = save_figure(fig, pathlib.Path(tmp) / "line.png")
...         path.read_bytes()[:4], sorted(p.name for p in pathlib.Path(tmp).iterdir())
(b'\\x89PNG', ['line.pdf', 'line.png'])
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clitools import Staged
from clitools.printed import DPI, RC, WIDTH


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@contextmanager
def printed() -> Iterator[None]:
    """matplotlib's settings for a printed figure (:data:`clitools.printed.RC`) while drawing and
    saving it."""
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def power_label(value: float, _position: object = None) -> str:
    """A tick label of a log axis as plain text at the tick font's size (matplotlib's default
    ``10^{-2}`` sets the exponent at 70 %, under the smallest printed size): ``100``, ``1e−15``.

    >>> [power_label(v) for v in (0.0, 1.0, 100.0, 1e-15, 1e6)]
    ['0', '1', '100', '1e−15', '1e6']
    """
    if value == 0:
        return "0"
    exponent = round(math.log10(abs(value)))
    sign = "−" if value < 0 else ""
    if 0 <= exponent <= 4:
        return f"{sign}{10 ** exponent}"
    return f"{sign}1e{exponent}".replace("e-", "e−")


def plain_log_ticks(*axes: Any) -> None:
    """Label the major ticks of every log axis of ``axes`` with :func:`power_label`."""
    from matplotlib.ticker import FuncFormatter

    for ax in axes:
        for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
            if scale in ("log", "symlog"):
                axis.set_major_formatter(FuncFormatter(power_label))


def save_figure(fig: Any, path: Path, dpi: int = DPI) -> Path:
    """Save ``fig`` as PNG at ``path`` and as PDF beside it (``path`` with ``.pdf``), all or
    nothing (:class:`clitools.Staged`), and close it; the PNG's path. A failure leaves no
    partial file."""
    path = Path(path)
    try:
        with Staged() as stage:
            for target, fmt in ((path, "png"), (path.with_suffix(".pdf"), "pdf")):
                with open(stage.path(target), "wb") as stream:
                    fig.savefig(stream, dpi=dpi, format=fmt)
    finally:
        pyplot().close(fig)
    return path


__all__ = ["WIDTH", "plain_log_ticks", "power_label", "printed", "pyplot", "save_figure"]
