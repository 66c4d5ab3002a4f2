r"""A trained VGG-16-shaped network that needs no download: handwritten digits (Exercise 4).

ImageNet weights cannot be had offline, so the suite ships a network *trained here*, on
scikit-learn's ``load_digits`` (1,797 images of 8×8 pixels, values 0–16, classes 0–9), with
torchvision's own :class:`~torchvision.models.VGG` class and VGG-16's layer sequence, so that
:func:`vgg.lrp` and :func:`vgg.gradient_x_input` and the sheet's layer → rule table apply
unchanged.

- :mod:`vgg.digits.network` — the architecture (:func:`~vgg.digits.network.build`:
  convolutions without bias) and the fold of the training-time normalization;
- :mod:`vgg.digits.data` — the data, its split and the one preprocessing of training data and
  picture files;
- :mod:`vgg.digits.train` — training and model selection (``python -m vgg.digits train``,
  ``crossval``; :mod:`vgg.digits.cli`);
- :mod:`vgg.digits.figures` — what a shipped network promises, measured: held-out accuracy,
  the share of the logit its LRP heatmaps account for, negative sums;
- loading the shipped weights is the registry's: :func:`vgg.weights.digits.load_digits_model`.

**The data.** ``load_digits()`` in scikit-learn's order; the **held-out set is the last
:data:`HELD_OUT` = 360 images** (indices 1437–1796), never used in training or model selection;
training uses the first 1,437. Polarity as in ``load_digits``: 0 = no ink (black), 16 = full
ink (white): light ink on a dark background.

Three networks are shipped, trained alike from the seeds :data:`SEEDS` = 0, 1, 2 (so that every
claim can be checked across training seeds): ``vgg/data/digits_vgg16_seed{N}.pt`` (a float32
``state_dict``, :func:`weights_path`) with ``digits_vgg16_seed{N}.json`` beside it
(architecture, training settings, held-out accuracy, conservation figures, SHA-256;
:func:`metadata`). Nothing here imports torch.

>>> class_names()[:3], SIZE, HELD_OUT, SEEDS
(('0', '1', '2'), 32, 360, (0, 1, 2))
>>> weights_path(1).name
'digits_vgg16_seed1.pt'

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

#: The training seeds of the shipped networks; ``--weights digits`` is seed 0.
SEEDS: tuple[int, ...] = (0, 1, 2)


def weights_file(seed: int = 0) -> str:
    """``digits_vgg16_seed{seed}.pt``."""
    return f"digits_vgg16_seed{seed}.pt"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("vgg").joinpath("data", name)))


def weights_path(seed: int = 0) -> Path:
    """The shipped weights of ``seed``, ``vgg/data/digits_vgg16_seed{seed}.pt``."""
    return _data_path(weights_file(seed))


def metadata_path(seed: int = 0) -> Path:
    """The training record beside the weights of ``seed``, ``….json``."""
    return weights_path(seed).with_suffix(".json")


def metadata(seed: int = 0) -> dict:
    """The training record of the shipped weights of ``seed``
    (:func:`vgg.digits.train.save` writes it)."""
    return json.loads(metadata_path(seed).read_text(encoding="utf-8"))


def class_names() -> tuple[str, ...]:
    """``("0", …, "9")``."""
    return CLASSES


__all__ = ["CLASSES", "DIGIT_SIDE", "HELD_OUT", "SEEDS", "SIZE", "TOTAL", "class_names", "metadata",
           "metadata_path", "weights_file", "weights_path"]
