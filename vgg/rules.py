r"""LRP rules as modified gradients, for any ``nn.Linear`` or ``nn.Conv2d``.

One module serves the small networks of Exercise 2 (``numerics.min_networks``) and VGG-16
(``vgg.explain``), so the proven small case vouches for the big one.

The trick (Montavon et al., *Layer-wise relevance propagation: an overview*, 2019): in a
layer with output ``z``, replace ``z`` by ``p · [z / p]_cst`` where ``[·]_cst`` is detached
from the graph. The forward value stays ``z``; the gradient flows through ``p``. Gradient ×
Input of the modified network is then the LRP relevance.

A rule is a parameter transform ``θ ↦ ρ(θ)`` giving ``p = layer(a; ρ(W), ρ(b))``:

- :class:`Gamma` — LRP-γ, ``ρ(θ) = θ + γ θ⁺``:
  ``p_k = Σ_j a_j (w_jk + γ w_jk⁺) + (b_k + γ b_k⁺)``.
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

How it runs. The rules compute exactly ``p · [z/p]_cst`` (value ``z``, gradient
``∂p/∂a · [z/p]``), not as the composed expression but as three autograd steps per layer,
which keep no more for the backward pass than the plain gradient's ReLU and convolution do.
The forward pass evaluates ``z`` alone, without a graph, and keeps the layer's input ``a`` and
output ``z``: the very tensors the neighbouring layers keep anyway (the next layer reads
``z``), so nothing of the layer's size is added. The modified layer exists only during the
layer's backward steps, which multiply the incoming gradient by ``z`` (:class:`_Times`; then
autograd frees ``z`` and ``g``, as after a ReLU's backward), divide by ``p`` evaluated there,
``p = layer(a; ρ(W), ρ(b))`` (:class:`_Ratio`, which builds ``ρ(W)``), and apply the
transposed modified layer with the ``ρ(W)`` handed over, ``∇_a = ρ(W)ᵀ (g · z / p)``
(:class:`_Layer`, :func:`transposed`). A rule reading several inputs (z^B: ``x``, ``l``,
``h``) runs them stacked along the channels against the stacked weights ``[W, −W⁺, −W⁻]``:
one evaluation of ``p`` and one transposed one, whose result splits into ``∇_x``, ``∇_l``,
``∇_h``. LRP-γ runs with ``ρ(θ)/(1+γ)`` (the relevance does not change when ``p`` and ``ρ(W)``
scale alike), one weight operation instead of two. A rule layer followed by a ReLU runs with
it as one layer (:class:`FusesReLU`, used by :func:`forward`): the kept output is ``ρ(z)``,
which is 0 where the ReLU blocks the gradient. So a rule layer costs one forward evaluation
and, in the backward pass, one more and one transposed one, and never touches parameter
gradients. As for torch's own ``relu`` or ``sigmoid``, whose backward reads the output too,
the output of a rule layer must not be modified in place afterwards (autograd refuses that
with an error; a following ``nn.ReLU`` is fused instead). :func:`modified_gradient` is the
same construction written as the composed expression; layers the fast path does not cover
(a convolution with a non-zero padding mode or string padding, or a grouped one under z^B)
use it.

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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

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


class Rule(Protocol):
    """A rule maps ``(layer, a)`` to the layer's output ``z = layer(a)`` with a modified
    gradient. It may also implement :class:`FusesReLU`."""

    def __call__(self, layer: Affine, a: Tensor) -> Tensor: ...


@runtime_checkable
class FusesReLU(Protocol):
    """A rule that can run its layer and the ``nn.ReLU`` after it as one step:
    ``rule.with_relu(layer, a)`` equals ``torch.relu(rule(layer, a))`` in value and gradient.
    :func:`forward` calls it for every rule layer an ``nn.ReLU`` follows.

    >>> isinstance(Gamma(0.5), FusesReLU), isinstance(Plain(), FusesReLU)
    (True, False)
    """

    def with_relu(self, layer: Affine, a: Tensor) -> Tensor: ...


def _stack(layer: Affine, inputs: Sequence[Tensor]) -> Tensor:
    """The inputs of a rule stacked along the channels (the one input as it is)."""
    return inputs[0] if len(inputs) == 1 else torch.cat(inputs, dim=_channels(layer))


@dataclass
class _Step:
    """One rule layer of one explanation: the rule, the layer, and the modified weight
    ``ρ(W)`` (stacked, :meth:`_RuleBase.stacked`) while the backward pass needs it: built by
    :class:`_Ratio`'s backward step, used and dropped by :class:`_Layer`'s, which runs right
    after."""

    rule: _RuleBase
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


class _RuleBase:
    """A rule ``p = Σ_i c_i · layer(input_i; ρ_i(W))`` plus the rule's bias term, run by
    :class:`_Layer`, :class:`_Ratio` and :class:`_Times` as one layer on the inputs stacked
    along the channels, with the weights ``c_i ρ_i(W)`` stacked alike. Implements
    :class:`Rule` and :class:`FusesReLU`."""

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


@dataclass(frozen=True)
class Plain:
    """No modification: ``z = layer(a)``, the ordinary gradient (parameters detached)."""

    def __call__(self, layer: Affine, a: Tensor) -> Tensor:
        return affine(layer, a, *parameters(layer))


@dataclass(frozen=True)
class Gamma(_RuleBase):
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


def _positive(w: Tensor) -> Tensor:
    return w.clamp(min=0)


def _negative(w: Tensor) -> Tensor:
    return w.clamp(max=0)


def _identity(w: Tensor) -> Tensor:
    return w


@dataclass(frozen=True)
class ZBox(_RuleBase):
    """The z^B rule: ``p_j = Σ_i x_i w_ij − l_i w_ij⁺ − h_i w_ij⁻``, ``z_j = Σ_i x_i w_ij + b_j``.

    ``low`` and ``high`` are tensors shaped like the layer's input (a bound broadcastable to
    it gives the layer's values, but its relevance term needs one entry per pixel);
    to read their relevance, make them require grad and list them in :func:`relevance`'s
    ``extra_inputs`` (``lrp`` in :mod:`vgg.explain` does so).
    """

    low: Tensor
    high: Tensor
    eps: float = 0.0

    def terms(self) -> Sequence[tuple[int, Callable[[Tensor], Tensor]]]:
        return ((1, _identity), (-1, _positive), (-1, _negative))

    def inputs(self, x: Tensor) -> tuple[Tensor, ...]:
        return (x, self.low.expand_as(x), self.high.expand_as(x))


#: A network, flattened: its layers in order, by name.
Layers = Sequence[tuple[str, nn.Module]]

_SKIPPED = (nn.Dropout,)


def forward(layers: Layers, x: Tensor, rules: Mapping[str, Rule] | None = None) -> Tensor:
    """Run ``layers`` on ``x``; layers named in ``rules`` use their rule, other affine layers
    :class:`Plain`, dropout is skipped (the deterministic, evaluation-mode network), and the
    remaining modules (ReLU, pooling, flatten) run as they are — their ``forward``, so hooks a
    caller registered on the modules take no part in the explanation.

    A rule layer followed by an ``nn.ReLU`` runs with it as one step when the rule is a
    :class:`FusesReLU` (same values and gradients, one backward operation fewer)."""
    rules = rules or {}
    fused = -1
    for i, (name, module) in enumerate(layers):
        if i == fused:
            continue
        if name in rules:
            rule = rules[name]
            after = layers[i + 1][1] if i + 1 < len(layers) else None
            if isinstance(rule, FusesReLU) and type(after) is nn.ReLU:
                x, fused = rule.with_relu(module, x), i + 1
            else:
                x = rule(module, x)
        elif isinstance(module, (nn.Linear, nn.Conv2d)):
            x = Plain()(module, x)
        elif isinstance(module, _SKIPPED):
            continue
        elif any(True for _ in module.parameters(recurse=False)):
            raise TypeError(f"layer {name!r} ({type(module).__name__}) has parameters "
                            "and no rule for them")
        else:
            x = module.forward(x)
    return x


def select(logits: Tensor, target: int | Tensor) -> Tensor:
    """The explained output ``f_t(x)`` of each sample: ``logits[n, target[n]]``."""
    t = torch.as_tensor(target, device=logits.device).reshape(-1).expand(logits.shape[0])
    return logits.gather(1, t[:, None])[:, 0]


def gradients(
    layers: Layers,
    x: Tensor,
    target: int | Tensor,
    rules: Mapping[str, Rule] | None = None,
    extra_inputs: Iterable[Tensor] = (),
) -> tuple[Tensor, ...]:
    """``(∂f_target/∂x, ∂f_target/∂t for t in extra_inputs)`` of the (modified) network, per
    sample: the plain gradient with no rules, the rules' modified gradients with them.
    ``extra_inputs`` are further leaves the rules read (the bounds of :class:`ZBox`), each
    shaped like ``x`` (a bound broadcast over pixels would sum the pixels' terms into one
    gradient, so it is refused)."""
    if torch.is_inference_mode_enabled():
        raise RuntimeError("relevance needs autograd: call it outside torch.inference_mode()")
    extra = tuple(extra_inputs)
    for t in extra:
        if t.shape != x.shape:
            raise ValueError(f"an extra input of shape {tuple(t.shape)} is not shaped like x "
                             f"{tuple(x.shape)}: expand it (t.expand_as(x).clone()) so that "
                             "each pixel has its own term")
    x = (x.clone() if x.is_inference() else x.detach()).requires_grad_(True)
    with torch.enable_grad():
        out = select(forward(layers, x, rules), target)
        return torch.autograd.grad(out.sum(), (x, *extra))


def relevance(
    layers: Layers,
    x: Tensor,
    target: int | Tensor,
    rules: Mapping[str, Rule] | None = None,
    extra_inputs: Iterable[Tensor] = (),
) -> Tensor:
    """Gradient × Input of the (modified) network: ``R = Σ_inputs t ⊙ ∂f_target/∂t``
    (:func:`gradients`).

    With no rules this is plain Gradient × Input ``x ⊙ ∇f(x)``; with LRP rules it is the LRP
    relevance, starting from ``R = f_target(x)`` at the top. The terms of ``extra_inputs``
    (the bounds of :class:`ZBox`) are summed into ``R``. The result is shaped like ``x``.
    """
    extra = tuple(extra_inputs)
    grads = gradients(layers, x, target, rules, extra)
    r = x.detach() * grads[0]
    for t, g in zip(extra, grads[1:], strict=True):
        r = r.addcmul_(t.detach(), g)
    return r


__all__ = [
    "Affine",
    "FusesReLU",
    "Gamma",
    "Layers",
    "Plain",
    "Rule",
    "ZBox",
    "affine",
    "forward",
    "gradients",
    "modified_gradient",
    "parameters",
    "ratio",
    "relevance",
    "select",
    "transposed",
]
