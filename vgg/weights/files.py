"""A VGG-16 ``state_dict`` in a file: read safely, checked key by key and shape by shape.

The loader of the registry's :data:`vgg.weights.FILE` entry, and how every weights file of
the suite is read (the cached ImageNet weights, the shipped digits network):
``torch.load(weights_only=True)`` reads tensors only, never code; anything else is a
:class:`~vgg.errors.WeightsError` in the suite's words (no quoted torch text, no torch
warning).

>>> sorted(check_state_dict(skeleton().state_dict(), "x"))[:2]
['classifier.0.bias', 'classifier.0.weight']
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping

import torch
from torch import Tensor, nn
from torchvision.models import vgg16

from clitools import existing_file
from vgg.errors import WeightsError
from vgg.weights.categories import categories


def read_state_dict(path: str | os.PathLike[str], what: str = "the weights file",
                    others: str | None = None) -> dict:
    """The state_dict in the file at ``path``, read safely (``torch.load(weights_only=True)``:
    tensors only, never code); anything else is a :class:`WeightsError` in the suite's words.
    A missing file's message offers ``others`` (the other ``--weights`` choices), if given."""
    hint = f". Choose {others}." if others else ""
    path = existing_file(path, "weights file", hint=hint, error=WeightsError)
    try:
        with warnings.catch_warnings():  # torch's own notes on pickles are not for our user
            warnings.simplefilter("ignore")
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch.load raises many kinds; all mean "not a state_dict of tensors"
        raise WeightsError(
            f"{what} {path} is not a PyTorch state_dict of tensors (save one with "
            "torch.save(model.state_dict(), FILE))."
        ) from None
    if not isinstance(state, Mapping):
        raise WeightsError(
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
    :class:`WeightsError` listing (the first few) missing, unexpected and mis-shaped entries."""
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
        raise WeightsError(
            f"{where} is not a torchvision VGG-16 state_dict ({'; '.join(problems)})."
        )
    nonfloat = [k for k, v in state.items() if not v.is_floating_point()]
    if nonfloat:
        raise WeightsError(f"{where} has non-float weights ({', '.join(nonfloat[:4])}).")
    return {k: v.detach().to(torch.float32) for k, v in state.items()}


def loaded(state: Mapping[str, Tensor]) -> nn.Module:
    """A VGG-16 holding ``state`` (checked by :func:`check_state_dict`)."""
    model = skeleton()
    model.load_state_dict(dict(state), assign=True)
    return model


def check(value: str, seed: int, others: str) -> dict[str, Tensor]:
    """The file ``value``, read and checked before any work."""
    return check_state_dict(read_state_dict(value, others=others), f"the weights file {value}")


def load(value: str, seed: int, state: Mapping[str, Tensor] | None, others: str) -> nn.Module:
    """The VGG-16 of the file ``value`` (``state``: its checked contents, if already read)."""
    return loaded(state if state is not None else check(value, seed, others))


def class_names() -> tuple[str, ...]:
    """A VGG-16 state_dict's classes: ImageNet's."""
    return categories()


__all__ = ["check", "check_state_dict", "class_names", "load", "loaded", "read_state_dict",
           "skeleton"]
