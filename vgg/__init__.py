"""Explaining torchvision's VGG-16: Gradient × Input and LRP (z^B + γ) as modified gradients.

``vgg.gradient_x_input(model, x, target)`` and ``vgg.lrp(model, x, target, ...)`` (tensors:
the relevance), ``vgg.explain_lrp`` and ``vgg.explain_gradient_x_input`` (an
``vgg.Explanation``: the relevance with the explained logit ``f_t(x)``, its sum and share),
``vgg.lrp_ledger`` and ``vgg.gradient_x_input_ledger`` (where the logit went, layer by
layer), with ``vgg.MEAN``, ``vgg.STD`` and ``vgg.SHEET_GAMMAS``, come from the LRP engine
:mod:`vgg.engine`.
Importing the package itself loads nothing heavy: torch is imported on first use of these
names (so that ``python -m vgg`` answers ``--help`` and its usage errors at once, and Ctrl-C
while torch loads).

The rest, by concern: :mod:`vgg.methods` (the explanation methods), :mod:`vgg.weights` (the
networks), :mod:`vgg.digits` (the digits network trained here), :mod:`vgg.evaluation` (the
sheet's observations measured), and the one-image application — :mod:`vgg.cli`,
:mod:`vgg.pipeline`, :mod:`vgg.image`, :mod:`vgg.heatmap`, :mod:`vgg.targets`.
"""

from __future__ import annotations

from typing import Any

from clitools import guard_imports

guard_imports()  # `python -m`: Ctrl-C while heavy modules import is one line, exit 130

__all__ = ["MEAN", "SHEET_GAMMAS", "STD", "Explanation", "explain_gradient_x_input",
           "explain_lrp", "gradient_x_input", "gradient_x_input_ledger", "lrp", "lrp_ledger"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from vgg import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'vgg' has no attribute {name!r}")
