r"""Running a network layer by layer with rules: the modified forward pass and its gradients.

A network is given flattened (:data:`Layers`, e.g. :func:`vgg.engine.canonizers.vgg_layers`);
:func:`forward` runs it with a rule on the layers a table names (:mod:`vgg.engine.composites`),
and :func:`relevance` is Gradient × Input of that modified network — the LRP relevance, or
plain Gradient × Input with no rules.

>>> import torch
>>> from torch import nn
>>> from vgg.engine.rules import Gamma
>>> layers = [("0", nn.Linear(2, 2)), ("1", nn.ReLU()), ("2", nn.Linear(2, 1))]
>>> x = torch.randn(3, 2)
>>> bool(torch.equal(forward(layers, x, {"0": Gamma(0.5)}), forward(layers, x)))
True
>>> relevance(layers, x, 0).shape
torch.Size([3, 2])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import torch
from torch import Tensor, nn

from vgg.engine.rules import FusesReLU, Plain, Rule

#: A network, flattened: its layers in order, by name.
Layers = Sequence[tuple[str, nn.Module]]

#: ``record(name, layer, rule, a, out)``: called by :func:`forward` after each dense or
#: convolution layer with its rule, its input ``a`` and its output ``out`` (through the ReLU
#: after it where the two run as one step; :mod:`vgg.engine.ledger` reads them).
Record = Callable[[str, nn.Module, Rule, Tensor, Tensor], None]

_SKIPPED = (nn.Dropout,)


def forward(layers: Layers, x: Tensor, rules: Mapping[str, Rule] | None = None,
            record: Record | None = None) -> Tensor:
    """Run ``layers`` on ``x``; layers named in ``rules`` use their rule, other affine layers
    :class:`Plain`, dropout is skipped (the deterministic, evaluation-mode network), and the
    remaining modules (ReLU, pooling, flatten) run as they are — their ``forward``, so hooks a
    caller registered on the modules take no part in the explanation.

    A rule layer followed by an ``nn.ReLU`` runs with it as one step when the rule is a
    :class:`FusesReLU` (same values and gradients, one backward operation fewer). ``record``
    (:data:`Record`), if given, sees every affine layer's input and output."""
    rules = rules or {}
    fused = -1
    for i, (name, module) in enumerate(layers):
        if i == fused:
            continue
        a = x
        if name in rules:
            rule = rules[name]
            after = layers[i + 1][1] if i + 1 < len(layers) else None
            if isinstance(rule, FusesReLU) and type(after) is nn.ReLU:
                x, fused = rule.with_relu(module, x), i + 1
            else:
                x = rule(module, x)
            if record is not None:
                record(name, module, rule, a, x)
        elif isinstance(module, (nn.Linear, nn.Conv2d)):
            plain = Plain()
            x = plain(module, x)
            if record is not None:
                record(name, module, plain, a, x)
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


def gradients(layers: Layers, x: Tensor, target: int | Tensor,
              rules: Mapping[str, Rule] | None = None,
              extra_inputs: Iterable[Tensor] = ()) -> tuple[Tensor, ...]:
    """``(∂f_target/∂x, ∂f_target/∂t for t in extra_inputs)`` of the (modified) network, per
    sample: the plain gradient with no rules, the rules' modified gradients with them.
    ``extra_inputs`` are further leaves the rules read (the bounds of :class:`ZBox`), each
    shaped like ``x`` (a bound broadcast over pixels would sum the pixels' terms into one
    gradient, so it is refused)."""
    extra = tuple(extra_inputs)
    return _gradients_and_output(layers, x, target, rules, extra)[0]


def _gradients_and_output(layers: Layers, x: Tensor, target: int | Tensor,
                          rules: Mapping[str, Rule] | None,
                          extra: tuple[Tensor, ...]) -> tuple[tuple[Tensor, ...], Tensor]:
    """:func:`gradients` and the explained output ``f_target(x)`` of the same pass."""
    if torch.is_inference_mode_enabled():
        raise RuntimeError("relevance needs autograd: call it outside torch.inference_mode()")
    for t in extra:
        if t.shape != x.shape:
            raise ValueError(f"an extra input of shape {tuple(t.shape)} is not shaped like x "
                             f"{tuple(x.shape)}: expand it (t.expand_as(x).clone()) so that "
                             "each pixel has its own term")
    x = (x.clone() if x.is_inference() else x.detach()).requires_grad_(True)
    with torch.enable_grad():
        out = select(forward(layers, x, rules), target)
        return torch.autograd.grad(out.sum(), (x, *extra)), out.detach()


def input_relevance(x: Tensor, extra: Sequence[Tensor], grads: Sequence[Tensor]) -> Tensor:
    """``R = x ⊙ g_x + Σ_extra t ⊙ g_t``: the relevance of the input and the extra inputs
    (the z^B bounds), summed, shaped like ``x``."""
    r = x.detach() * grads[0]
    for t, g in zip(extra, grads[1:], strict=True):
        r = r.addcmul_(t.detach(), g)
    return r


def relevance_and_output(layers: Layers, x: Tensor, target: int | Tensor,
                         rules: Mapping[str, Rule] | None = None,
                         extra_inputs: Iterable[Tensor] = ()) -> tuple[Tensor, Tensor]:
    """``(R, f_target(x))``: :func:`relevance` and the explained output of the same pass
    (the modified network's forward value is the network's, ``z`` in every layer)."""
    extra = tuple(extra_inputs)
    grads, out = _gradients_and_output(layers, x, target, rules, extra)
    return input_relevance(x, extra, grads), out


def relevance(layers: Layers, x: Tensor, target: int | Tensor,
              rules: Mapping[str, Rule] | None = None,
              extra_inputs: Iterable[Tensor] = ()) -> Tensor:
    """Gradient × Input of the (modified) network: ``R = Σ_inputs t ⊙ ∂f_target/∂t``
    (:func:`gradients`).

    With no rules this is plain Gradient × Input ``x ⊙ ∇f(x)``; with LRP rules it is the LRP
    relevance, starting from ``R = f_target(x)`` at the top. The terms of ``extra_inputs``
    (the bounds of :class:`ZBox`) are summed into ``R``. The result is shaped like ``x``.
    """
    return relevance_and_output(layers, x, target, rules, extra_inputs)[0]


__all__ = ["Layers", "Record", "forward", "gradients", "input_relevance", "relevance",
           "relevance_and_output", "select"]
