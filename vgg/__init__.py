"""Explaining torchvision's VGG-16: Gradient × Input and LRP (z^B + γ) as modified gradients.

``vgg.gradient_x_input(model, x, target)`` and ``vgg.lrp(model, x, target, ...)`` (see
:mod:`vgg.explain`); the rules themselves are in :mod:`vgg.rules`. Importing the package loads
torch only (no plotting library).
"""

from vgg.explain import MEAN, SHEET_GAMMAS, STD, gradient_x_input, lrp

__all__ = ["MEAN", "SHEET_GAMMAS", "STD", "gradient_x_input", "lrp"]
