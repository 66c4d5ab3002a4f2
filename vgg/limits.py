"""The sizes and classes an input may have, and the words for one that does not.

Shared by the API (:mod:`vgg.engine`, which raises :class:`ValueError` with these words) and
the command lines (which answer with them before torch is imported): nothing here imports
torch.

>>> class_index_message(1000, 1000)
'class index 1000 is out of range: choose 0 to 999'
>>> size_message("x", 16, 16)
'x is 16×16 px; VGG-16 needs at least 32×32 px'
>>> check_resize(8)
Traceback (most recent call last):
...
vgg.errors.ImageError: --resize 8: choose N between 32 and 1024
"""

from __future__ import annotations

from vgg.errors import ImageError

#: The smallest side of an input: a VGG halves it five times, and below 32 px the last
#: pooling has nothing to pool.
MIN_SIDE = 32

#: Larger inputs are refused unless ``--resize`` scales them (memory and time grow with H·W).
MAX_SIDE = 1024


def class_index_message(index: int, classes: int) -> str:
    """The words for a class index outside ``[0, classes)``."""
    return f"class index {index} is out of range: choose 0 to {classes - 1}"


def size_message(name: str, width: int, height: int, network: str = "VGG-16") -> str:
    """The words for an input under :data:`MIN_SIDE` px on a side (the command line appends
    its advice, :func:`vgg.image.fitted_size`)."""
    return f"{name} is {width}×{height} px; {network} needs at least {MIN_SIDE}×{MIN_SIDE} px"


def check_resize(resize: int | None, option: str = "--resize") -> None:
    """``resize`` must be None or an int in [MIN_SIDE, MAX_SIDE], else an :class:`ImageError`;
    ``option`` names it in the message (the command line's option that sets it)."""
    if resize is not None and not MIN_SIDE <= resize <= MAX_SIDE:
        raise ImageError(f"{option} {resize}: choose N between {MIN_SIDE} and {MAX_SIDE}")


__all__ = ["MAX_SIDE", "MIN_SIDE", "check_resize", "class_index_message", "size_message"]
