"""The digits network trained here and shipped with the suite: loading only.

The architecture is :func:`vgg.digits.network.build`'s; the weights of training seed ``N`` are
``vgg/data/digits_vgg16_seedN.pt`` (:func:`vgg.digits.weights_path`), read as every weights
file is (:func:`vgg.weights.files.read_state_dict`). Training it is :mod:`vgg.digits.train`'s.
"""

from __future__ import annotations

from collections.abc import Mapping

from torch import Tensor
from torchvision.models import VGG

from vgg.digits import CLASSES, weights_path
from vgg.digits.network import CHANNELS, HIDDEN, build
from vgg.weights.files import read_state_dict


def load_digits_model(others: str | None = None, seed: int = 0) -> VGG:
    """The shipped trained digits network of training seed ``seed``
    (:data:`~vgg.digits.network.CHANNELS`, :data:`~vgg.digits.network.HIDDEN`), a plain VGG in
    evaluation mode with ``requires_grad`` off; a missing file's message offers ``others``, if
    given."""
    model = build(CHANNELS, HIDDEN)
    model.load_state_dict(read_state_dict(weights_path(seed), "the shipped digits weights",
                                          others))
    return model.eval().requires_grad_(False)


def check(value: str, seed: int, others: str) -> None:
    """Nothing to check before any work: the weights are shipped."""


def load(value: str, seed: int, state: Mapping[str, Tensor] | None, others: str) -> VGG:
    """The shipped digits network ``value`` names (``digits``, ``digits:1``, …; the training
    seed is the name's, ``seed`` is not used)."""
    from vgg.weights import NETWORKS

    return load_digits_model(others, NETWORKS[value].digits_seed or 0)


def class_names() -> tuple[str, ...]:
    """``("0", …, "9")``."""
    return CLASSES


__all__ = ["check", "class_names", "load", "load_digits_model"]
