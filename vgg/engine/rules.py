r"""LRP rules as modified gradients, for any ``nn.Linear`` or ``nn.Conv2d``.

One module serves the small networks of Exercise 2 (``numerics.min_networks``) and VGG-16
(:mod:`vgg.engine.explain`), so the proven small case vouches for the big one. A rule is a class
here; how the modified gradient runs is :mod:`vgg.engine.modified`, which layer takes which rule
a composite says (:mod:`vgg.engine.composites`).

The trick (Montavon et al., *Layer-wise relevance propagation: an overview*, 2019): in a
layer with output ``z``, replace ``z`` by ``p · [z / p]_cst`` where ``[·]_cst`` is detached
from the graph. The forward value stays ``z``; the gradient flows through ``p``. Gradient ×
Input of the modified network is then the LRP relevance.

A rule is a parameter transform ``θ ↦ ρ(θ)`` giving ``p = layer(a; ρ(W), ρ(b))``:

- :class:`Gamma` — LRP-γ, ``ρ(θ) = θ + γ θ⁺``:
  ``p_k = Σ_j a_j (w_jk + γ w_jk⁺) + (b_k + γ b_k⁺)``.
- :class:`Epsilon` — LRP-ε, ``ρ(θ) = θ`` and the stabilizer ε: ``Gamma(0, ε)``.
- :class:`ZBox` — the z^B rule for pixel inputs in a box ``l ≤ x ≤ h``:
  ``p_j = Σ_i x_i w_ij − l_i w_ij⁺ − h_i w_ij⁻`` (the biases cancel: ``b − b⁺ − b⁻ = 0``);
  ``l`` and ``h`` are inputs of the network too, with relevance ``l ⊙ ∇_l + h ⊙ ∇_h``.

Where ``p = 0`` the ratio ``[z / p]_cst`` is taken as 0 and the forward value is still ``z``.
For ``z = 0`` too this is the sheet's convention (the limit of a vanishing stabilizer; an
inactive unit passes no relevance). For ``z ≠ 0`` the ε → 0 limit diverges and LRP is
undefined there; a tool explaining a real network cannot stop, so such a unit also passes no
relevance (the exact engines, ``derivations.relu_lrp`` and ``numerics.min_networks.lrp_numpy``,
refuse that case instead; the sheet's networks never reach it).
An optional stabilizer ``eps`` divides by ``p + eps · sign(p)`` (``sign(0) = +1``)
instead, the convention of Zennit.

>>> import torch
>>> layer = torch.nn.Linear(2, 1, bias=False)
>>> _ = layer.weight.data.copy_(torch.tensor([[1.0, -1.0]]))
>>> a = torch.tensor([[3.0, 1.0]], requires_grad=True)
>>> out = Gamma(1.0)(layer, a)                      # forward value z = 3 - 1 = 2
>>> out.item()
2.0
>>> (g,) = torch.autograd.grad(out.sum(), a)       # p = 3*2 - 1 = 5, [z/p] = 0.4
>>> (a * g).tolist()                                 # R_j = a_j (w_j + w_j⁺) z / p
[[2.4000000953674316, -0.4000000059604645]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from torch import Tensor, nn

from vgg.engine.modified import Affine, TransformRule, affine, parameters


class Rule(Protocol):
    """A rule maps ``(layer, a)`` to the layer's output ``z = layer(a)`` with a modified
    gradient. It may also implement :class:`FusesReLU`."""

    def __call__(self, layer: Affine, a: Tensor) -> Tensor: ...


@runtime_checkable
class FusesReLU(Protocol):
    """A rule that can run its layer and the ``nn.ReLU`` after it as one step:
    ``rule.with_relu(layer, a)`` equals ``torch.relu(rule(layer, a))`` in value and gradient.
    :func:`vgg.engine.propagate.forward` calls it for every rule layer an ``nn.ReLU`` follows.

    >>> isinstance(Gamma(0.5), FusesReLU), isinstance(Plain(), FusesReLU)
    (True, False)
    """

    def with_relu(self, layer: Affine, a: Tensor) -> Tensor: ...


@dataclass(frozen=True)
class Plain:
    """No modification: ``z = layer(a)``, the ordinary gradient (parameters detached)."""

    def __call__(self, layer: Affine, a: Tensor) -> Tensor:
        return affine(layer, a, *parameters(layer))


@dataclass(frozen=True)
class Gamma(TransformRule):
    """LRP-γ: ``p_k = Σ_j a_j (w_jk + γ w_jk⁺) + b_k + γ b_k⁺``; γ = 0 is LRP-0.

    The rule's relevance is unchanged when ``p`` and the weights in the backward pass are
    scaled by one constant, so the layer runs with ``ρ(θ)/(1+γ)``, which is one operation,
    ``leaky_relu(θ, 1/(1+γ))``, instead of two (the stabilizer scales along:
    ``eps/(1+γ)``).
    """

    gamma: float
    eps: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.gamma < float("inf"):
            raise ValueError(f"LRP-γ needs a finite γ ≥ 0, got {self.gamma}")

    def scaled(self, theta: Tensor) -> Tensor:
        """``(θ + γ θ⁺) / (1 + γ)``: ``θ`` where ``θ > 0``, ``θ / (1 + γ)`` elsewhere."""
        return nn.functional.leaky_relu(theta, 1.0 / (1.0 + self.gamma))

    def terms(self) -> Sequence[tuple[int, Callable[[Tensor], Tensor]]]:
        return ((1, self.scaled),)

    def bias(self, b: Tensor | None) -> Tensor | None:
        return self.scaled(b) if b is not None else None

    def stabilizer(self) -> float:
        return self.eps / (1.0 + self.gamma)


@dataclass(frozen=True)
class Epsilon(TransformRule):
    """LRP-ε: ``p_k = z_k = Σ_j a_j w_jk + b_k``, divided by ``z_k + ε·sign(z_k)``:
    ``R_j = Σ_k a_j w_jk R_k / (z_k + ε sign z_k)``, the same rule as ``Gamma(0, eps)``."""

    eps: float

    def __post_init__(self) -> None:
        if not 0 <= self.eps < float("inf"):
            raise ValueError(f"LRP-ε needs a finite ε ≥ 0, got {self.eps}")

    def terms(self) -> Sequence[tuple[int, Callable[[Tensor], Tensor]]]:
        return ((1, _identity),)

    def bias(self, b: Tensor | None) -> Tensor | None:
        return b


def _positive(w: Tensor) -> Tensor:
    return w.clamp(min=0)


def _negative(w: Tensor) -> Tensor:
    return w.clamp(max=0)


def _identity(w: Tensor) -> Tensor:
    return w


@dataclass(frozen=True)
class ZBox(TransformRule):
    """The z^B rule: ``p_j = Σ_i x_i w_ij − l_i w_ij⁺ − h_i w_ij⁻``, ``z_j = Σ_i x_i w_ij + b_j``.

    ``low`` and ``high`` are tensors shaped like the layer's input (a bound broadcastable to
    it gives the layer's values, but its relevance term needs one entry per pixel);
    to read their relevance, make them require grad and list them in
    :func:`vgg.engine.propagate.relevance`'s ``extra_inputs`` (:func:`vgg.engine.explain.lrp` does
    so).
    """

    low: Tensor
    high: Tensor
    eps: float = 0.0

    def terms(self) -> Sequence[tuple[int, Callable[[Tensor], Tensor]]]:
        return ((1, _identity), (-1, _positive), (-1, _negative))

    def inputs(self, x: Tensor) -> tuple[Tensor, ...]:
        return (x, self.low.expand_as(x), self.high.expand_as(x))


__all__ = ["Epsilon", "FusesReLU", "Gamma", "Plain", "Rule", "ZBox"]
