r"""The explanation methods: the one list every part of the suite reads.

A :class:`Method` is a name (the key in JSON, file names and tables), how tables and plots
label it, how figure titles name it, its colour in plots, and the function that computes its
relevance ``R`` (shaped like the input ``x``) for a batch:

- ``lrp`` — :func:`vgg.lrp` with the sheet's rules (z^B on ``features.0``, LRP-γ by depth);
- ``gradient_x_input`` — ``x ⊙ ∇_x f_t(x)`` (:func:`vgg.gradient_x_input`);
- ``gradient`` — the plain gradient ``∇_x f_t(x)``;
- ``random`` — ``R ~ N(0, 1)`` i.i.d., seeded by ``(seed, image index)``: a baseline that
  knows nothing about the network or the image;
- ``lrp_epsilon`` — LRP with LRP-ε (ε = :data:`EPSILON`) in the convolutions after the first
  (z^B there, as in the sheet's table); not in the default set.

``f_t`` is the logit of the explained class ``t``. The command line (``python -m vgg``), the
report's figures and the benchmark show :data:`SHOWN`; the evaluation and the report's table
compare :data:`DEFAULT`, in this order. A method computed from the plain gradient says so
(``from_gradient``): :func:`relevance_maps` then computes that gradient once for all of them,
which gives the same numbers.

Adding a method: one entry here (with ``default=False`` it is offered without changing the
default outputs), and a test.

>>> [m.label for m in METHODS.values() if m.default]
['LRP', 'Gradient × Input', 'gradient', 'random']
>>> SHOWN
('gradient_x_input', 'lrp')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from vgg import seeds
from vgg.engine.composites import Composite
from vgg.engine.explain import gradient, gradient_x_input, lrp
from vgg.engine.rules import Epsilon, ZBox

#: ``relevance(model, x, target, indices, seed)``: the relevance of a batch ``x`` for the
#: classes ``target``; ``indices`` number its images (for per-image seeds).
Relevance = Callable[[nn.Module, Tensor, Tensor, Sequence[int], int], Tensor]


@dataclass(frozen=True)
class Method:
    """One explanation method: ``name``; ``label`` in tables and plots; ``title`` in figure
    titles; ``colour`` in plots (a matplotlib colour); ``relevance`` (:data:`Relevance`);
    ``from_gradient(x, ∇f)``, if it is a function of the plain gradient; ``rules``, the LRP
    rules it applies, for labels that name them; ``default``: compared by default."""

    name: str
    label: str
    title: str
    colour: str
    relevance: Relevance
    from_gradient: Callable[[Tensor, Tensor], Tensor] | None = None
    rules: str = ""
    default: bool = True

    @property
    def long_label(self) -> str:
        """The label with the rules: ``"LRP (z^B + γ)"``."""
        return f"{self.label} ({self.rules})" if self.rules else self.label


def random_relevance(shape: Sequence[int], indices: Sequence[int], seed: int) -> Tensor:
    """``N(0, 1)`` relevance per image, seeded by ``(seed, index)``: ``(N, *shape[1:])``."""
    return torch.stack([torch.randn(tuple(shape[1:]),
                                    generator=seeds.generator(seed, seeds.RANDOM_RELEVANCE, i))
                        for i in indices])


#: The ε of ``lrp_epsilon``'s convolutions: a fixed stabilizer in the units of ``z``, set for
#: the method to be offered, not tuned on any network.
EPSILON = 0.25
#: ``lrp_epsilon``'s layer → rule table: z^B on the pixels, LRP-ε in every later convolution.
EPSILON_RULES = Composite("epsilon", ZBox, lambda block, eps: Epsilon(EPSILON))

METHODS: dict[str, Method] = {m.name: m for m in (
    Method("lrp", "LRP", "LRP", "C0",
           lambda model, x, target, indices, seed: lrp(model, x, target), rules="z^B + γ"),
    Method("gradient_x_input", "Gradient × Input", "Gradient×Input", "C1",
           lambda model, x, target, indices, seed: gradient_x_input(model, x, target),
           from_gradient=lambda x, grad: x.detach() * grad),
    Method("gradient", "gradient", "gradient", "C2",
           lambda model, x, target, indices, seed: gradient(model, x, target),
           from_gradient=lambda x, grad: grad),
    Method("random", "random", "random", "C3",
           lambda model, x, target, indices, seed: random_relevance(x.shape, indices,
                                                                    seed).to(x)),
    Method("lrp_epsilon", "LRP-ε", "LRP-ε", "C4",
           lambda model, x, target, indices, seed: lrp(model, x, target,
                                                       composite=EPSILON_RULES),
           rules="z^B + ε", default=False),
)}

#: The methods compared by default (the evaluation, the report's table), in table order.
DEFAULT: tuple[str, ...] = tuple(name for name, m in METHODS.items() if m.default)
#: The methods whose heatmaps ``python -m vgg`` draws, in the order of its figure's panels.
SHOWN: tuple[str, ...] = ("gradient_x_input", "lrp")


def check(methods: Sequence[str]) -> None:
    """A :class:`ValueError` for a name that is not in :data:`METHODS`."""
    for name in methods:
        if name not in METHODS:
            raise ValueError(f"unknown method {name!r}; choose from {', '.join(METHODS)}")


def relevance_maps(model: nn.Module, x: Tensor, target: Tensor, indices: Sequence[int],
                   methods: Sequence[str] = DEFAULT, seed: int = 0) -> dict[str, Tensor]:
    """The relevance of each of ``methods`` for the batch ``x`` and classes ``target``; the
    plain gradient is computed once for all methods that are a function of it."""
    check(methods)
    chosen = [METHODS[name] for name in methods]
    shared = any(m.from_gradient is not None for m in chosen)
    grad = gradient(model, x, target) if shared else None
    out: dict[str, Tensor] = {}
    for m in chosen:
        if m.from_gradient is not None and grad is not None:
            out[m.name] = m.from_gradient(x, grad)
        else:
            out[m.name] = m.relevance(model, x, target, indices, seed)
    return out


__all__ = ["DEFAULT", "EPSILON", "EPSILON_RULES", "METHODS", "SHOWN", "Method", "Relevance",
           "check", "random_relevance", "relevance_maps"]
