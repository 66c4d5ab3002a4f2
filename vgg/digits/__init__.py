r"""A trained VGG-16-shaped network that needs no download: handwritten digits (Exercise 4).

ImageNet weights cannot be had offline, so the suite ships a network *trained here*, on
scikit-learn's ``load_digits`` (1,797 images of 8×8 pixels, values 0–16, classes 0–9), with
torchvision's own :class:`~torchvision.models.VGG` class and VGG-16's layer sequence, so that
:func:`vgg.lrp` and :func:`vgg.gradient_x_input` and the sheet's layer → rule table apply
unchanged.

- :mod:`vgg.digits.network` — the architecture (:func:`~vgg.digits.network.build`) and the
  batch-norm fold of the trained network;
- :mod:`vgg.digits.data` — the data, its split and the one preprocessing of training data and
  picture files;
- :mod:`vgg.digits.train` — training and model selection (``python -m vgg.digits train``,
  ``crossval``; :mod:`vgg.digits.cli`);
- loading the shipped weights is the registry's: :func:`vgg.weights.digits.load_digits_model`.

**The data.** ``load_digits()`` in scikit-learn's order; the **held-out set is the last
:data:`HELD_OUT` = 360 images** (indices 1437–1796), never used in training or model selection;
training uses the first 1,437. Polarity as in ``load_digits``: 0 = no ink (black), 16 = full
ink (white): light ink on a dark background.

The shipped weights are ``vgg/data/digits_vgg16.pt`` (a float32 ``state_dict``,
:func:`weights_path`) with ``digits_vgg16.json`` beside it (architecture, training settings,
held-out accuracy, SHA-256; :func:`metadata`). Nothing here imports torch.

>>> class_names()[:3], SIZE, HELD_OUT
(('0', '1', '2'), 32, 360)
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

#: Side of the network input in pixels (the smallest VGG-16 accepts).
SIZE = 32
#: Side of the ``load_digits`` images; larger pictures are area-resampled to it.
DIGIT_SIDE = 8
#: The held-out images: the last 360 of ``load_digits()`` in scikit-learn's order.
HELD_OUT = 360
#: Images of ``load_digits``.
TOTAL = 1797
#: Class names, by class index.
CLASSES: tuple[str, ...] = tuple(str(d) for d in range(10))

WEIGHTS_FILE = "digits_vgg16.pt"
METADATA_FILE = "digits_vgg16.json"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("vgg").joinpath("data", name)))


def weights_path() -> Path:
    """The shipped weights, ``vgg/data/digits_vgg16.pt``."""
    return _data_path(WEIGHTS_FILE)


def metadata_path() -> Path:
    """The shipped weights' training record, ``vgg/data/digits_vgg16.json``."""
    return _data_path(METADATA_FILE)


def metadata() -> dict:
    """The training record of the shipped weights (:func:`save` writes it)."""
    return json.loads(metadata_path().read_text(encoding="utf-8"))


def class_names() -> tuple[str, ...]:
    """``("0", …, "9")``."""
    return CLASSES


__all__ = ["CLASSES", "DIGIT_SIDE", "HELD_OUT", "METADATA_FILE", "SIZE", "TOTAL", "WEIGHTS_FILE",
           "class_names", "metadata", "metadata_path", "weights_path"]
