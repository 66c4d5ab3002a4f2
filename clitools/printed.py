r"""The printed size of every figure the report includes (``numerics``' plots, ``vgg``'s
comparison and the evaluation's plots): drawn at the width it is printed at, so that its fonts
are the sizes they were drawn at. Plain constants (no matplotlib import).

Every figure is :data:`WIDTH` inches wide (within the text width of the report's A4 page) and
every text in it is at least :data:`SMALLEST` pt; the report includes it at exactly that
width (``\includegraphics[width=6.3in]``), never scaled down. Figures are written as PDF
(text stays text, TrueType fonts: the report's tests read each character's printed size) and
as PNG at :data:`DPI` for viewing.

>>> include_width()
'6.3in'
>>> min(v for k, v in RC.items() if k.endswith("size")) >= SMALLEST
True
"""

from __future__ import annotations

#: The printed width (inches), the smallest font (pt) and the PNG resolution of every figure.
WIDTH = 6.3
SMALLEST = 7.0
DPI = 200

#: matplotlib settings of a printed figure: no text under :data:`SMALLEST`, TrueType fonts
#: in PDF (``pdf.fonttype`` 42).
RC: dict[str, float] = {
    "font.size": 8.0, "axes.titlesize": 8.0, "axes.labelsize": 8.0, "xtick.labelsize": 7.0,
    "ytick.labelsize": 7.0, "legend.fontsize": 7.0, "legend.title_fontsize": 7.0,
    "figure.titlesize": 8.0, "pdf.fonttype": 42,
}


def include_width() -> str:
    """The ``\\includegraphics`` width of every figure: :data:`WIDTH` inches."""
    return f"{WIDTH:g}in"


__all__ = ["DPI", "RC", "SMALLEST", "WIDTH", "include_width"]
