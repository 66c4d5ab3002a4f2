"""Explaining torchvision's VGG-16: Gradient × Input and LRP (z^B + γ) as modified gradients.

``vgg.gradient_x_input(model, x, target)`` and ``vgg.lrp(model, x, target, ...)`` (see
:mod:`vgg.explain`); the rules themselves are in :mod:`vgg.rules`. Importing the package
itself loads nothing heavy: torch is imported on first use of these names (so that
``python -m vgg`` can answer Ctrl-C while torch loads).
"""

from __future__ import annotations

from typing import Any

from clitools import guard_imports

guard_imports()  # `python -m`: Ctrl-C while heavy modules import is one line, exit 130

__all__ = ["MEAN", "SHEET_GAMMAS", "STD", "gradient_x_input", "lrp"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from vgg import explain

        return getattr(explain, name)
    raise AttributeError(f"module 'vgg' has no attribute {name!r}")
