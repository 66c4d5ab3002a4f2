"""VGG-16 with one of four kinds of weights, labelled for every output that shows them.

``--weights`` chooses:

- ``imagenet`` — torchvision's ``VGG16_Weights.IMAGENET1K_V1``, read from the torch hub cache
  (``$TORCH_HOME/hub/checkpoints``), downloaded with a progress bar where online. Offline and
  not cached: one :class:`~clitools.UsageError` naming ``random`` and ``FILE``
  (:data:`CHOICE_TEXT`).
- ``random`` — torchvision's own initialization, seeded; the label says *untrained network*.
- ``digits`` (:data:`DIGITS`) — the network trained here on scikit-learn's handwritten digits
  and shipped with the suite (:mod:`vgg.digits`, ``vgg/data/digits_vgg16.pt``; no download):
  torchvision's ``VGG`` class with VGG-16's layer sequence but narrower channels, 32 px
  inputs and the 10 classes ``"0"``…``"9"``.
- any other value — a file holding a VGG-16 ``state_dict`` (``torch.save(model.state_dict())``),
  read with ``torch.load(weights_only=True)`` and checked key by key and shape by shape.

The class names are the ImageNet categories shipped with torchvision (offline):

>>> names = categories()
>>> len(names), names[483]
(1000, 'castle')
>>> describe("random", seed=3)
Weights(label='random weights (untrained network)', trained=False, source='random, seed 3')
"""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.request
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
from torch import Tensor, nn
from torchvision.models import VGG16_Weights, vgg16

from clitools import UsageError, existing_file

IMAGENET = VGG16_Weights.IMAGENET1K_V1

#: Seconds a stalled download may wait for the network before it counts as offline.
DOWNLOAD_TIMEOUT_S = 30.0

#: What each ``--weights`` choice is, for messages that name the alternatives.
CHOICE_TEXT = {
    "imagenet": "--weights imagenet (torchvision's ImageNet weights: needs the network once, or "
    "the file in the torch hub cache)",
    "random": "--weights random (an untrained network, seeded by --seed)",
    "file": "--weights FILE (a VGG-16 state_dict saved with torch.save)",
}


def choices(failed: str) -> str:
    """The ``--weights`` choices other than the one that just ``failed`` (a key of
    :data:`CHOICE_TEXT`), joined for a message.

    >>> choices("imagenet")
    '--weights random (an untrained network, ...) or --weights FILE (a VGG-16 state_dict ...)'
    """
    others = [text for key, text in CHOICE_TEXT.items() if key != failed]
    return ", ".join(others[:-1]) + " or " + others[-1]


@dataclass(frozen=True)
class Weights:
    """What the network's weights are: ``label`` for titles and printed text, ``trained`` is
    False for random weights, ``source`` says where they came from."""

    label: str
    trained: bool
    source: str


@cache
def categories() -> tuple[str, ...]:
    """The 1000 ImageNet class names, by class index (torchvision's metadata; no download)."""
    return tuple(IMAGENET.meta["categories"])


#: The ``--weights`` value of the digits network trained here (:mod:`vgg.digits`).
DIGITS = "digits"


def describe(weights: str, seed: int = 0) -> Weights:
    """The :class:`Weights` record for a ``--weights`` value (nothing is loaded)."""
    if weights == "imagenet":
        return Weights("ImageNet weights", True, "torchvision VGG16_Weights.IMAGENET1K_V1")
    if weights == "random":
        return Weights("random weights (untrained network)", False, f"random, seed {seed}")
    if weights == DIGITS:
        return Weights("digits network (VGG-16 layers, trained on load_digits)", True,
                       "vgg/data/digits_vgg16.pt, shipped with the suite")
    return Weights(f"weights from {Path(weights).name}", True, str(weights))


def class_names(weights: str) -> tuple[str, ...]:
    """The class names of the network ``weights`` chooses: ``"0"``…``"9"`` for the digits
    network, else the 1000 ImageNet categories.

    >>> class_names("digits")[:3], class_names("random")[483]
    (('0', '1', '2'), 'castle')
    """
    if weights == DIGITS:
        from vgg import digits

        return digits.class_names()
    return categories()


def imagenet_cache_path() -> Path:
    """Where torchvision keeps (or will download) the ImageNet VGG-16 weights."""
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(IMAGENET.url)


def _download() -> Mapping[str, Tensor]:
    """torchvision's download into the hub cache (progress on stderr), hash-checked. A HEAD
    request first, so that offline the user reads one error, not a "Downloading" line too."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        urllib.request.urlopen(urllib.request.Request(IMAGENET.url, method="HEAD")).close()
        return IMAGENET.get_state_dict(progress=True, check_hash=True)
    finally:
        socket.setdefaulttimeout(previous)


def imagenet_state_dict() -> Mapping[str, Tensor]:
    """The ImageNet state_dict from the cache, else downloaded; if neither works, a
    :class:`UsageError` naming the other ``--weights`` choices of :data:`CHOICE_TEXT`
    (``random``, ``FILE``)."""
    path = imagenet_cache_path()
    if path.is_file():
        return read_state_dict(path, what="the cached ImageNet weights")
    try:
        return _download()
    except (urllib.error.URLError, OSError, RuntimeError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise UsageError(
            f"the ImageNet weights for VGG-16 are not in the torch hub cache ({path}) and "
            f"could not be downloaded ({reason}). Choose {choices('imagenet')}."
        ) from None


def read_state_dict(path: str | os.PathLike[str], what: str = "the weights file") -> dict:
    """The state_dict in the file at ``path``, read safely (``torch.load(weights_only=True)``:
    tensors only, never code); anything else is a :class:`UsageError` in the suite's words."""
    path = existing_file(path, "weights file", hint=f". Choose {choices('file')}.")
    try:
        with warnings.catch_warnings():  # torch's own notes on pickles are not for our user
            warnings.simplefilter("ignore")
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch.load raises many kinds; all mean "not a state_dict of tensors"
        raise UsageError(
            f"{what} {path} is not a PyTorch state_dict of tensors (save one with "
            "torch.save(model.state_dict(), FILE))."
        ) from None
    if not isinstance(state, Mapping):
        raise UsageError(
            f"{what} {path} holds a {type(state).__name__}, not a state_dict "
            "(save one with torch.save(model.state_dict(), FILE))."
        )
    return dict(state)


def skeleton() -> nn.Module:
    """A VGG-16 without storage (on the ``meta`` device): the shapes, at no cost."""
    with torch.device("meta"):
        return vgg16()


def check_state_dict(state: Mapping[str, object], where: str) -> dict[str, Tensor]:
    """The state_dict as float32 tensors if its keys and shapes are exactly VGG-16's, else a
    :class:`UsageError` listing (the first few) missing, unexpected and mis-shaped entries."""
    expected = skeleton().state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    wrong = [
        f"{k} {tuple(v.shape) if isinstance(v, Tensor) else type(v).__name__} "
        f"(VGG-16: {tuple(expected[k].shape)})"
        for k, v in state.items()
        if k in expected and not (isinstance(v, Tensor) and v.shape == expected[k].shape)
    ]
    problems = [
        f"{label}: {', '.join(items[:4])}{' …' if len(items) > 4 else ''}"
        for label, items in (("missing", missing), ("unexpected", unexpected), ("shape", wrong))
        if items
    ]
    if problems:
        raise UsageError(
            f"{where} is not a torchvision VGG-16 state_dict ({'; '.join(problems)})."
        )
    nonfloat = [k for k, v in state.items() if not v.is_floating_point()]
    if nonfloat:
        raise UsageError(f"{where} has non-float weights ({', '.join(nonfloat[:4])}).")
    return {k: v.detach().to(torch.float32) for k, v in state.items()}


def check_seed(seed: int) -> None:
    """A :class:`UsageError` unless ``0 ≤ seed < 2⁶⁴`` (the seeds ``torch.manual_seed`` takes).

    >>> check_seed(2**64)
    Traceback (most recent call last):
    ...
    clitools.usage.UsageError: --seed 18446744073709551616: choose an integer from 0 to 2^64 − 1
    """
    if not 0 <= seed < 2**64:
        raise UsageError(f"--seed {seed}: choose an integer from 0 to 2^64 − 1")


def check_weights(weights: str, seed: int = 0) -> dict[str, Tensor] | None:
    """Check a ``--weights`` value before any work: ``random`` its seed, a file by reading it
    (returned, checked, so that :func:`build` need not read it again); ``imagenet`` is fetched
    only by :func:`build`, and ``digits`` (shipped) needs no check: both return None."""
    if weights == "random":
        check_seed(seed)
        return None
    if weights in ("imagenet", DIGITS):
        return None
    return check_state_dict(read_state_dict(weights), f"the weights file {weights}")


def build(weights: str = "imagenet", seed: int = 0,
          state: Mapping[str, Tensor] | None = None) -> tuple[nn.Module, Weights]:
    """The network ``weights`` chooses, on the CPU in evaluation mode with parameters not
    requiring grad, and its label (:func:`describe`).

    ``weights`` is ``"imagenet"`` (torchvision's VGG-16 with the ImageNet weights, from the
    cache or downloaded), ``"random"`` (torchvision's VGG-16 initialization, seeded by
    ``seed``, see :func:`check_seed`), ``"digits"`` (the shipped trained digits network,
    :func:`vgg.digits.load_digits_model`: VGG-16's layers, narrower, 10 classes) or a path to a
    VGG-16 state_dict file (``state``: its checked contents, if already read).
    """
    info = describe(weights, seed)
    if weights == DIGITS:
        from vgg import digits

        return digits.load_digits_model(), info
    if weights == "random":
        check_seed(seed)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = vgg16()
    else:
        if state is None and weights == "imagenet":
            state = check_state_dict(imagenet_state_dict(), "the ImageNet weights file")
        elif state is None:
            state = check_weights(weights, seed)
        model = skeleton()
        model.load_state_dict(dict(state), assign=True)
    return model.eval().requires_grad_(False), info


def pick_device(device: str) -> torch.device:
    """``auto`` → CUDA if available, else the CPU; ``cuda`` without CUDA is a UsageError."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cpu":
        return torch.device("cpu")
    if device == "cuda":
        if not torch.cuda.is_available():
            raise UsageError("--device cuda: CUDA is not available here (no GPU, or a CPU-only "
                             "PyTorch); use --device cpu or --device auto")
        return torch.device("cuda")
    raise UsageError(f"--device {device}: choose auto, cpu or cuda")


__all__ = [
    "CHOICE_TEXT",
    "DIGITS",
    "IMAGENET",
    "Weights",
    "build",
    "categories",
    "check_seed",
    "check_state_dict",
    "check_weights",
    "class_names",
    "choices",
    "describe",
    "imagenet_cache_path",
    "imagenet_state_dict",
    "pick_device",
    "read_state_dict",
    "skeleton",
]
