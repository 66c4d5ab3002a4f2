r"""The networks ``--weights`` chooses: a registry, one entry each, loading only.

Like torchvision's weights enums, an entry (:class:`Network`) says what the network is
before anything is loaded — its label, where its weights come from, its classes, the input
side it takes, its part of ``--help`` — and names the module that loads it. Nothing here
imports torch: the command lines read this registry for ``--help`` and for their usage errors
before torch is imported; :func:`build` imports an entry's module only when it is built.

- ``imagenet`` — torchvision's ``VGG16_Weights.IMAGENET1K_V1``, read from the torch hub
  cache, downloaded where online (:mod:`vgg.weights.imagenet`);
- ``random`` — torchvision's own initialization, seeded; labelled *untrained network*
  (:mod:`vgg.weights.untrained`);
- ``digits`` — the network trained here on scikit-learn's handwritten digits and shipped with
  the suite (:mod:`vgg.weights.digits`; trained by :mod:`vgg.digits.train`), training seed 0;
  ``digits:1`` and ``digits:2`` the same recipe from the seeds 1 and 2 (:data:`DIGITS_SEEDS`);
- any other value — a file holding a VGG-16 ``state_dict``, read safely and checked key by
  key and shape by shape (:data:`FILE`, :mod:`vgg.weights.files`).

A module named by an entry has ``check(value, seed, others)`` (the checks before any work;
a file's contents, checked, or None), ``load(value, seed, state, others)`` (the network) and
``class_names()``; ``others`` is how a message offers the other choices. An entry whose
weights may be missing here (``imagenet``: not cached, offline) names a ``fallback`` entry
with the same classes, and its module has ``fetch(value, seed, others)`` (the weights now,
for a command that must fail before any work instead of falling back: ``--strict``).

>>> lookup("random").name, lookup("vgg16.pth").name
('random', 'file')
>>> describe("random", seed=3)  # doctest: +NORMALIZE_WHITESPACE
Weights(label='random weights (untrained network)', trained=False, source='random, seed 3',
        fallback=None)
>>> choice("digit")
Traceback (most recent call last):
...
vgg.errors.WeightsError: unknown weights 'digit' (did you mean digits?); choose one of: ...
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from clitools import did_you_mean, unknown_choice
from vgg.digits import CLASSES, SEEDS, SIZE, weights_file
from vgg.errors import WeightsError, WeightsUnavailable


@dataclass(frozen=True)
class Weights:
    """What the network's weights are: ``label`` for titles and printed text, ``trained`` is
    False for random weights, ``source`` says where they came from, ``fallback`` why they
    stand in for the weights asked for (the reason those cannot be had; None: they are the
    weights asked for)."""

    label: str
    trained: bool
    source: str
    fallback: str | None = None


@dataclass(frozen=True)
class Network:
    """One ``--weights`` choice: ``name`` as typed (``file`` for :data:`FILE`), ``summary``
    for ``--help``, ``label`` and ``source`` for :class:`Weights` (``{name}``, ``{path}`` and
    ``{seed}`` filled in), ``trained``, its number of ``classes`` (and their names where known
    without loading), the one input ``side`` it takes (None: any), ``offer`` (how a message
    offers it when another choice failed; None: never offered) and ``module``, the module
    that loads it; ``fallback`` names the entry a command may use when this one's weights
    cannot be had here (None: never)."""

    name: str
    summary: str
    label: str
    source: str
    trained: bool
    classes: int
    module: str
    offer: str | None = None
    names: tuple[str, ...] | None = None
    side: int | None = None
    fallback: str | None = None
    digits_seed: int | None = None

    @property
    def digits(self) -> bool:
        """Whether this is one of the shipped digits networks (explained at :data:`SIZE` px,
        evaluated on the held-out digits)."""
        return self.digits_seed is not None

    def loader(self) -> ModuleType:
        """The module that loads this network (imported now: torch)."""
        return importlib.import_module(self.module)

    def weights(self, value: str, seed: int = 0) -> Weights:
        """The :class:`Weights` record of ``--weights value`` (nothing is loaded)."""
        fill = {"name": Path(value).name, "path": value, "seed": seed}
        return Weights(self.label.format(**fill), self.trained, self.source.format(**fill))


IMAGENET = Network(
    "imagenet", "torchvision's ImageNet weights (cached or downloaded)",
    "ImageNet weights", "torchvision VGG16_Weights.IMAGENET1K_V1", True, 1000,
    "vgg.weights.imagenet", fallback="random",
    offer="--weights imagenet (torchvision's ImageNet weights: needs the network once, or the "
          "file in the torch hub cache)")
RANDOM = Network(
    "random", "an untrained network, seeded by --seed",
    "random weights (untrained network)", "random, seed {seed}", False, 1000,
    "vgg.weights.untrained",
    offer="--weights random (an untrained network, seeded by --seed)")
DIGITS = Network(
    "digits", "a VGG-16-shaped network trained here on handwritten digits: explain a picture "
              "of a digit, classes 0-9 (digits:1, digits:2: the same trained from the seeds "
              "1 and 2)",
    "digits network (VGG-16 layers, trained on load_digits)",
    f"vgg/data/{weights_file(0)}, shipped with the suite", True, len(CLASSES),
    "vgg.weights.digits", names=CLASSES, side=SIZE, digits_seed=0)


def _digits(seed: int) -> Network:
    """The shipped digits network of training seed ``seed`` (≠ 0), ``--weights digits:N``."""
    return Network(
        f"digits:{seed}", f"the digits network trained from seed {seed}",
        f"digits network, training seed {seed} (VGG-16 layers, trained on load_digits)",
        f"vgg/data/{weights_file(seed)}, shipped with the suite", True, len(CLASSES),
        "vgg.weights.digits", names=CLASSES, side=SIZE, digits_seed=seed)


#: The shipped digits networks by training seed: ``digits`` (0), ``digits:1``, ``digits:2``.
DIGITS_SEEDS: dict[int, Network] = {0: DIGITS, **{s: _digits(s) for s in SEEDS if s}}
#: Any ``--weights`` value that names no other entry: a VGG-16 state_dict file.
FILE = Network(
    "file", "a VGG-16 state_dict file (torch.save(model.state_dict(), FILE))",
    "weights from {name}", "{path}", True, 1000, "vgg.weights.files",
    offer="--weights FILE (a VGG-16 state_dict saved with torch.save)")

#: The named choices, in the order help texts and messages list them.
NETWORKS: dict[str, Network] = {n.name: n for n in (IMAGENET, RANDOM, *DIGITS_SEEDS.values())}

#: ``--weights``' metavar: the names (the digits networks of other seeds as ``digits[:N]``),
#: then FILE.
METAVAR = "|".join([*(n.name + ("[:N]" if n.digits else "") for n in NETWORKS.values()
                      if n.digits_seed in (None, 0)), "FILE"])


def lookup(value: str) -> Network:
    """The entry ``--weights value`` chooses: a named one, else :data:`FILE`."""
    return NETWORKS.get(value, FILE)


def choice(value: str) -> Network:
    """:func:`lookup`, refusing a value that names no file and is close to a name (a typo,
    ``digit``) with a :class:`WeightsError` that suggests the name."""
    network = lookup(value)
    if network is FILE and not os.path.lexists(value) and did_you_mean(value, NETWORKS):
        raise WeightsError(unknown_choice("weights", value, [*NETWORKS, "FILE"]))
    return network


def others(network: Network) -> str:
    """The choices a message offers when ``network`` failed: every other entry's offer,
    joined.

    >>> others(IMAGENET)
    '--weights random (an untrained network, ...) or --weights FILE (a VGG-16 state_dict ...)'
    """
    offers = [n.offer for n in (*NETWORKS.values(), FILE) if n.offer and n is not network]
    return ", ".join(offers[:-1]) + " or " + offers[-1]


def describe(value: str, seed: int = 0) -> Weights:
    """The :class:`Weights` record for a ``--weights`` value (nothing is loaded)."""
    return lookup(value).weights(value, seed)


def help_text(default: str) -> str:
    """``--weights``' help: every entry's summary (the digits networks of other seeds in the
    summary of ``digits``), and the default.

    >>> help_text("imagenet").startswith("imagenet: torchvision's ImageNet weights")
    True
    """
    choices = [f"{n.name}: {n.summary}" for n in NETWORKS.values() if n.digits_seed in (None, 0)]
    return f"{'; '.join(choices)}; or FILE: {FILE.summary} (default: {default})"


def class_names(value: str) -> tuple[str, ...]:
    """The class names of the network ``value`` chooses, by class index: ``"0"``…``"9"``
    for the digits network, the 1000 ImageNet categories else.

    >>> class_names("digits")[:3], class_names("random")[483]
    (('0', '1', '2'), 'castle')
    """
    network = lookup(value)
    return network.names if network.names is not None else network.loader().class_names()


def check_weights(value: str, seed: int = 0, fetch: bool = False) -> Any:
    """Check a ``--weights`` value before any work (a typo, the seed of ``random``, a file
    by reading it; with ``fetch``, weights that may be missing here, fetched now): a
    state_dict, checked (so that :func:`build` need not read it again), else None; a
    :class:`WeightsError` for the first problem."""
    network = choice(value)
    state = network.loader().check(value, seed, others(network))
    if fetch and state is None and network.fallback is not None:
        state = network.loader().fetch(value, seed, others(network))
    return state


def build(value: str = "imagenet", seed: int = 0, state: Any = None,
          fallback: bool = False) -> tuple[Any, Weights]:
    """The network ``--weights value`` chooses, on the CPU in evaluation mode with parameters
    not requiring grad, and its :class:`Weights` (``state``: a file's checked contents, if
    :func:`check_weights` read them already). With ``fallback``, weights that cannot be had
    here (:class:`~vgg.errors.WeightsUnavailable`) give the entry's fallback network instead,
    its :class:`Weights` saying why (``fallback``); without, the error."""
    network = choice(value)
    try:
        model = network.loader().load(value, seed, state, others(network))
        info = network.weights(value, seed)
    except WeightsUnavailable as error:
        if not fallback or network.fallback is None:
            raise
        model, info = build(network.fallback, seed)
        info = dataclasses.replace(info, fallback=str(error).split(". Choose ")[0])
    return model.eval().requires_grad_(False), info


__all__ = ["DIGITS", "DIGITS_SEEDS", "FILE", "IMAGENET", "METAVAR", "NETWORKS", "RANDOM", "Network",
           "Weights", "build", "check_weights", "choice", "class_names", "describe", "help_text",
           "lookup", "others"]
