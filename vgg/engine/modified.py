r"""The modified-gradient machinery every LRP rule of :mod:`vgg.engine.rules` runs on.

A rule replaces a layer's output ``z`` by ``p · [z / p]_cst`` (``[·]_cst`` detached from the
graph; :mod:`vgg.engine.rules` says which ``p``): value ``z``, gradient ``∂p/∂a · [z/p]``. A rule
that is a parameter transform ``θ ↦ ρ(θ)`` is a :class:`TransformRule`: it names its
``ρ_i`` (:meth:`TransformRule.terms`), its bias of ``p`` and its stabilizer, and this module
runs it.

How it runs. The rules compute exactly ``p · [z/p]_cst``, not as the composed expression but as
three autograd steps per layer, which keep no more for the backward pass than the plain
gradient's ReLU and convolution do. The forward pass evaluates ``z`` alone, without a graph, and
keeps the layer's input ``a`` and output ``z``: the very tensors the neighbouring layers keep
anyway (the next layer reads ``z``), so nothing of the layer's size is added. The modified layer
exists only during the layer's backward steps, which multiply the incoming gradient by ``z``
(:class:`_Times`; then autograd frees ``z`` and ``g``, as after a ReLU's backward), divide by
``p`` evaluated there, ``p = layer(a; ρ(W), ρ(b))`` (:class:`_Ratio`, which builds ``ρ(W)``),
and apply the transposed modified layer with the ``ρ(W)`` handed over, ``∇_a = ρ(W)ᵀ (g · z /
p)`` (:class:`_Layer`, :func:`transposed`). A rule reading several inputs (z^B: ``x``, ``l``,
``h``) runs them stacked along the channels against the stacked weights ``[W, −W⁺, −W⁻]``: one
evaluation of ``p`` and one transposed one, whose result splits into ``∇_x``, ``∇_l``, ``∇_h``.
LRP-γ runs with ``ρ(θ)/(1+γ)`` (the relevance does not change when ``p`` and ``ρ(W)`` scale
alike), one weight operation instead of two. A rule layer followed by a ReLU runs with it as one
layer (:class:`vgg.engine.rules.FusesReLU`, used by :func:`vgg.engine.propagate.forward`): the
kept output is ``ρ(z)``, which is 0 where the ReLU blocks the gradient. So a rule layer costs
one forward evaluation and, in the backward pass, one more and one transposed one, and never
touches parameter gradients. As for torch's own ``relu`` or ``sigmoid``, whose backward reads
the output too, the output of a rule layer must not be modified in place afterwards (autograd
refuses that with an error; a following ``nn.ReLU`` is fused instead). :func:`modified_gradient`
is the same construction written as the composed expression; layers the fast path does not cover
(a convolution with a non-zero padding mode or string padding, or a grouped one under z^B) use
it.

>>> import torch
>>> ratio(torch.tensor([6.0, 1.0]), torch.tensor([3.0, 0.0])).tolist()
[2.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor, nn
from torch.autograd.function import once_differentiable

Affine = nn.Linear | nn.Conv2d


def affine(layer: Affine, a: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """``layer`` evaluated on ``a`` with the parameters replaced by ``weight`` and ``bias``."""
    if isinstance(layer, nn.Conv2d):
        return layer._conv_forward(a, weight, bias)
    if isinstance(layer, nn.Linear):
        return nn.functional.linear(a, weight, bias)
    raise TypeError(f"LRP rules apply to nn.Linear and nn.Conv2d, not {type(layer).__name__}")


def parameters(layer: Affine) -> tuple[Tensor, Tensor | None]:
    """The layer's ``(W, b)``, detached: explaining never computes parameter gradients."""
    bias = layer.bias.detach() if layer.bias is not None else None
    return layer.weight.detach(), bias


def ratio(z: Tensor, p: Tensor, eps: float = 0.0) -> Tensor:
    """``z / (p + eps·sign(p))`` with ``sign(0) = 1``; where the denominator is 0, the ratio is 0.

    >>> ratio(torch.tensor([2.0, 0.0, 1.0]), torch.tensor([4.0, 0.0, 0.0])).tolist()
    [0.5, 0.0, 0.0]
    """
    return _ratio_into(z, p.clone(), eps)


def _ratio_into(z: Tensor, p: Tensor, eps: float) -> Tensor:
    """:func:`ratio`, written into ``p``'s storage (``p`` is consumed)."""
    if eps:
        p.add_(torch.where(p >= 0, 1.0, -1.0), alpha=eps)
    zero = p == 0
    torch.div(z, p, out=p)
    return p.masked_fill_(zero, 0.0)


def modified_gradient(z: Tensor, p: Tensor, eps: float = 0.0) -> Tensor:
    """Forward value ``z``, gradient through ``p``: ``p · [z/p]_cst`` (plus a detached fix-up so
    that the value is exactly ``z`` also where ``p = 0``)."""
    s = ratio(z.detach(), p.detach(), eps)
    out = p * s
    return out + (z - out).detach()


def transposed(layer: Affine, weight: Tensor, g: Tensor, a: Tensor) -> Tensor:
    """The adjoint of ``a ↦ layer(a; weight, no bias)`` applied to ``g`` (shaped like the
    output): a tensor shaped like ``a``. Only ``a``'s shape and layout are used; passing the
    input itself spares the convolution a copy of a stand-in.

    >>> conv = nn.Conv2d(2, 3, 3, padding=1, stride=2)
    >>> a = torch.randn(1, 2, 6, 6, requires_grad=True)
    >>> g = torch.randn(1, 3, 3, 3)
    >>> (ref,) = torch.autograd.grad(affine(conv, a, conv.weight, None), a, g)
    >>> bool(torch.allclose(transposed(conv, conv.weight.detach(), g, a), ref, atol=1e-6))
    True
    """
    if isinstance(layer, nn.Conv2d):
        return torch.ops.aten.convolution_backward(
            g, a, weight, None, layer.stride, layer.padding, layer.dilation, False, [0, 0],
            layer.groups, [True, False, False])[0]
    return g @ weight


def _fast(layer: nn.Module, inputs: int) -> bool:
    """Whether the fast path (:class:`_Layer`, :class:`_Ratio`, :class:`_Times`) covers
    ``layer``: dense, or a zero-padded convolution (with one group when the rule reads several
    inputs, which it stacks along the channels)."""
    if isinstance(layer, nn.Linear):
        return True
    return (isinstance(layer, nn.Conv2d) and layer.padding_mode == "zeros"
            and not isinstance(layer.padding, str) and (inputs == 1 or layer.groups == 1))


def _channels(layer: Affine) -> int:
    """The dimension of a layer's inputs along which the weight's input dimension runs."""
    return 1 if isinstance(layer, nn.Conv2d) else -1


def _stack(layer: Affine, inputs: Sequence[Tensor]) -> Tensor:
    """The inputs of a rule stacked along the channels (the one input as it is)."""
    return inputs[0] if len(inputs) == 1 else torch.cat(inputs, dim=_channels(layer))


@dataclass
class _Step:
    """One rule layer of one explanation: the rule, the layer, and the modified weight
    ``ρ(W)`` (stacked, :meth:`TransformRule.stacked`) while the backward pass needs it: built by
    :class:`_Ratio`'s backward step, used and dropped by :class:`_Layer`'s, which runs right
    after."""

    rule: TransformRule
    layer: Affine
    weight: Tensor | None = None

    def modified_weight(self, keep: bool) -> Tensor:
        """``ρ(W)``: the one handed over, else built; kept for the next step if ``keep``."""
        weight = self.weight if self.weight is not None else self.rule.stacked(
            parameters(self.layer)[0])
        self.weight = weight if keep else None
        return weight


class _Layer(torch.autograd.Function):
    """A rule layer's value and its transposed modified layer: value ``z = layer(a)``
    (``ρ(z)`` with ``relu``), evaluated without a graph; backward ``h ↦ ρ(W)ᵀ h``, split into
    one gradient per input. Keeps the inputs (the transposed convolution reads their shape)."""

    @staticmethod
    def forward(ctx: Any, step: _Step, relu: bool,  # type: ignore[override]
                *inputs: Tensor) -> Tensor:
        z = affine(step.layer, inputs[0], *parameters(step.layer))
        ctx.save_for_backward(*inputs)
        ctx.step = step
        return z.relu_() if relu else z

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, h: Tensor) -> tuple[Tensor | None, ...]:  # type: ignore[override]
        inputs, step = ctx.saved_tensors, ctx.step
        layer = step.layer
        grad = transposed(layer, step.modified_weight(keep=False), h, _stack(layer, inputs))
        sizes = [t.shape[_channels(layer)] for t in inputs]
        grads = grad.split(sizes, dim=_channels(layer)) if len(inputs) > 1 else (grad,)
        return (None, None, *(gr if need else None for gr, need
                              in zip(grads, ctx.needs_input_grad[2:], strict=True)))


class _Ratio(torch.autograd.Function):
    """The denominator of a rule layer's ratio: value ``z`` as it is; backward
    ``h ↦ h / p`` (0 where ``p = 0``) with ``p = layer(a; ρ(W), ρ(b))`` evaluated there, in
    the storage that becomes the result. Keeps the inputs ``a`` (which the network keeps
    anyway) and hands ``ρ(W)`` on to the transposed step."""

    @staticmethod
    def forward(ctx: Any, step: _Step, z: Tensor,  # type: ignore[override]
                *inputs: Tensor) -> Tensor:
        ctx.save_for_backward(*inputs)
        ctx.step = step
        return z

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, h: Tensor) -> tuple[Tensor | None, ...]:  # type: ignore[override]
        inputs, step = ctx.saved_tensors, ctx.step
        rule, layer = step.rule, step.layer
        weight = step.modified_weight(keep=True)
        p = affine(layer, _stack(layer, inputs), weight, rule.bias(parameters(layer)[1]))
        return (None, _ratio_into(h, p, rule.stabilizer()), *(None for _ in inputs))


class _Times(torch.autograd.Function):
    """The numerator of a rule layer's ratio: value ``z`` as it is; backward ``g ↦ g · z``.
    Keeps ``z`` (which the next layer keeps anyway); autograd frees ``z`` and ``g`` when this
    step is done, as it frees a ReLU's output and incoming gradient."""

    @staticmethod
    def forward(ctx: Any, z: Tensor) -> Tensor:  # type: ignore[override]
        ctx.save_for_backward(z)
        return z

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, g: Tensor) -> Tensor:  # type: ignore[override]
        (z,) = ctx.saved_tensors
        return g * z


class TransformRule:
    """A rule ``p = Σ_i c_i · layer(input_i; ρ_i(W))`` plus the rule's bias term, run by
    :class:`_Layer`, :class:`_Ratio` and :class:`_Times` as one layer on the inputs stacked
    along the channels, with the weights ``c_i ρ_i(W)`` stacked alike. Implements
    :class:`vgg.engine.rules.Rule` and :class:`vgg.engine.rules.FusesReLU`."""

    eps: float

    def terms(self) -> Sequence[tuple[int, Callable[[Tensor], Tensor]]]:
        """``(c_i, ρ_i)`` for each input of the rule, ``c_i = ±1``."""
        raise NotImplementedError

    def bias(self, b: Tensor | None) -> Tensor | None:
        """The bias of ``p``."""
        return None

    def stabilizer(self) -> float:
        """The ``eps`` of the ratio, for ``p`` as this rule computes it."""
        return self.eps

    def stacked(self, w: Tensor) -> Tensor:
        """``[c_1 ρ_1(W), c_2 ρ_2(W), …]`` along the weight's input dimension."""
        parts = [rho(w) if c > 0 else rho(w).neg() for c, rho in self.terms()]
        return parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)

    def inputs(self, x: Tensor) -> tuple[Tensor, ...]:
        """The tensors the rule reads, ``x`` first."""
        return (x,)

    def __call__(self, layer: Affine, x: Tensor) -> Tensor:
        """The layer's output ``z`` with the rule's gradient."""
        return self._apply(layer, *self.inputs(x), relu=False)

    def with_relu(self, layer: Affine, x: Tensor) -> Tensor:
        """``ρ(z)``: the layer's output through a ReLU, with the rule's gradient followed by
        the ReLU's — the ratio becomes ``[ρ(z)/p]``, 0 where the ReLU passes no gradient."""
        return self._apply(layer, *self.inputs(x), relu=True)

    def _apply(self, layer: Affine, *inputs: Tensor, relu: bool) -> Tensor:
        if not _fast(layer, len(inputs)):
            out = self._slow(layer, *inputs)
            return torch.relu(out) if relu else out
        if not torch.is_grad_enabled() or not any(t.requires_grad for t in inputs):
            with torch.no_grad():
                out = affine(layer, inputs[0], *parameters(layer))
                return out.relu_() if relu else out
        step = _Step(self, layer)
        return _Times.apply(_Ratio.apply(step, _Layer.apply(step, relu, *inputs), *inputs))

    def _slow(self, layer: Affine, *inputs: Tensor) -> Tensor:
        """The composed expression :func:`modified_gradient`, one term per input."""
        w, b = parameters(layer)
        with torch.no_grad():
            z = affine(layer, inputs[0], w, b)
        (_, rho), *rest = self.terms()
        p = affine(layer, inputs[0], rho(w), self.bias(b))
        for t, (c, rho) in zip(inputs[1:], rest, strict=True):
            p = p + c * affine(layer, t, rho(w), None)
        return modified_gradient(z, p, self.stabilizer())


__all__ = [
    "Affine",
    "TransformRule",
    "affine",
    "modified_gradient",
    "parameters",
    "ratio",
    "transposed",
]
