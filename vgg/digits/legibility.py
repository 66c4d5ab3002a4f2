r"""When a picture on the digits path is unlikely to show a digit the network can read.

The digits network reads a picture as :func:`vgg.digits.data.pixels` does: padded to a square,
area-resampled to 8×8, upsampled to the 32 px view ``v ∈ [0, 1]^{32×32}`` (light ink on
dark). It classifies anything; these criteria, in one place, say when its answer is a guess
(each a one-line warning, :func:`warnings`):

- **uniform**: every pixel of the picture ``g`` has the same gray level (``max g = min g``):
  a blank picture;
- **low contrast**: ``max g − min g <`` :data:`MIN_CONTRAST` (the training digits span at
  least 0.87 of the range);
- **no ink**: the share of the view at least half bright, ``|{v ≥ ½}| / 32²``, is below
  :data:`MIN_INK` (the held-out digits' least share is 0.20, the training digits' 0.18): a
  stroke too thin, too faint or too small to survive the 8×8 resampling;
- **aspect**: ``max(h, w) / min(h, w) >`` :data:`MAX_ASPECT`: padded to a square, the picture
  covers under a quarter of the 8×8 grid across its short side.

NumPy only; the thresholds are module constants, so that a test can name them.

>>> import numpy as np
>>> warnings(np.zeros((8, 8)), np.zeros((32, 32)), "blank.png")
['blank.png is uniform (every pixel the same gray level): there is no digit to read']
>>> picture, view = np.zeros((8, 8)), np.zeros((32, 32))
>>> picture[1:7, 3:5], view[4:28, 12:20] = 1.0, 1.0   # a stroke: 19 % of the view is ink
>>> warnings(picture, view, "one.png")
[]
>>> warnings(picture[:, 3:4].repeat(64, axis=1), view, "wide.png")
['wide.png is 64×8 px (aspect 8:1, over 4:1): padded to a square, it covers under a ...']
"""

from __future__ import annotations

import numpy as np

#: Least ``max g − min g`` of a legible picture (gray levels in [0, 1]).
MIN_CONTRAST = 0.25
#: A view pixel at least this bright counts as ink.
INK_LEVEL = 0.5
#: Least share of ink in the 32 px view.
MIN_INK = 0.05
#: Largest ratio of the long side to the short side.
MAX_ASPECT = 4.0


def warnings(gray: np.ndarray, view: np.ndarray, name: str) -> list[str]:
    """The criteria of the module docstring that ``gray`` (the picture ``(h, w)`` in [0, 1])
    and ``view`` (the network's ``(S, S)`` view in [0, 1], light ink) meet, one sentence
    each, naming the picture ``name``; empty for a legible digit."""
    g = np.asarray(gray, dtype=np.float64)
    v = np.asarray(view, dtype=np.float64)
    contrast = float(g.max() - g.min()) if g.size else 0.0
    if contrast == 0.0:
        return [f"{name} is uniform (every pixel the same gray level): there is no digit to "
                "read"]
    found = []
    if contrast < MIN_CONTRAST:
        found.append(f"{name} has very low contrast (its gray levels span {contrast:.3f} of "
                     f"the range, under {MIN_CONTRAST}): the digit may not be read as drawn")
    ink = float((v >= INK_LEVEL).mean())
    if ink < MIN_INK:
        found.append(f"{name} shows {'no' if ink == 0 else 'almost no'} ink where the network "
                     f"reads it ({100 * ink:.1f} % of its {v.shape[-1]} px view at least half "
                     f"bright, under {100 * MIN_INK:.0f} %): a digit too thin, too faint or too "
                     "small for the 8×8 grid it is resampled to")
    h, w = g.shape[-2:]
    aspect = max(h, w) / min(h, w)
    if aspect > MAX_ASPECT:
        found.append(f"{name} is {w}×{h} px (aspect {aspect:.0f}:1, over {MAX_ASPECT:.0f}:1): "
                     "padded to a square, it covers under a quarter of the 8×8 grid the "
                     "network reads")
    return found


__all__ = ["INK_LEVEL", "MAX_ASPECT", "MIN_CONTRAST", "MIN_INK", "warnings"]
