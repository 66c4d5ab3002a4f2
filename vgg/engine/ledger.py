r"""The conservation ledger: where the explained logit goes, layer by layer.

LRP starts from ``R = f_t(x)`` at the top and hands relevance down layer by layer; what reaches
the pixels, ``ΣR``, is ``f_t(x)`` less what the layers absorb. In a layer with output
relevance ``R_k = a'_k g_k`` (``a'`` the layer's output, through the ReLU after it where the
two run as one step, ``g`` the modified gradient there) and the rule's denominator
``d_k = p_k + ε·sign(p_k)`` (``p = layer(a; ρ(W), ρ(b))``, :mod:`vgg.engine.rules`; the plain
gradient is LRP-0: ``p = z``, ``ρ(b) = b``), the relevance passed down is

    ``Σ_j R_j = Σ_k R_k (p_k − ρ(b)_k) / d_k``,

so the layer absorbs, per unit ``k``, ``R_k ρ(b)_k / d_k`` (the **bias**), ``R_k ε s_k / d_k``
(the **stabilizer**) and, where ``d_k = 0`` (the ratio is taken as 0 there), all of ``R_k``
(**dropped**). ReLUs, poolings and flattening pass relevance on unchanged. So

    ``f_t(x) = ΣR + Σ_layers (bias + stabilizer + dropped)``,

up to rounding (:attr:`Ledger.residual`). :func:`lrp_ledger` and
:func:`gradient_x_input_ledger` measure, per sample, ``ΣR`` at each layer's input and output
(``Σ a ⊙ ∇_a`` of the modified network, from one backward pass; the layers are recorded by
:func:`vgg.engine.propagate.forward`) and compute the three absorbed parts from the rule; the
tests check that they add up. Gradient × Input is the same network with the plain gradient in
every layer (LRP-0 throughout), so it has a ledger too.

>>> import torch
>>> from torchvision.models import vgg11
>>> _ = torch.manual_seed(0)
>>> model = vgg11().double().eval()
>>> with torch.no_grad():
...     for m in model.modules():
...         if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
...             _ = m.bias.uniform_(-0.01, 0.01)
>>> book = lrp_ledger(model, torch.randn(1, 3, 32, 32, dtype=torch.float64), 3)
>>> [entry.name for entry in book.layers][:2], book.layers[0].rule
(['features.0', 'features.3'], 'z^B')
>>> bool(abs(book.residual[0]) <= 1e-12 * abs(book.logit[0]))
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from vgg.engine.canonizers import vgg_layers
from vgg.engine.composites import SHEET, Composite
from vgg.engine.explain import Explanation, check_input, check_target, lrp_setup
from vgg.engine.modified import TransformRule, affine, parameters
from vgg.engine.propagate import Layers, forward, input_relevance, select
from vgg.engine.rules import Epsilon, Gamma, Plain, Rule, ZBox


@dataclass(frozen=True)
class LayerEntry:
    """One dense or convolution layer of the ledger, per sample ``(N,)``: ``relevance_in``
    (``ΣR`` at its input; at the first layer the pixels' and the z^B bounds'),
    ``relevance_out`` (``ΣR`` at its output), and what it absorbed: ``bias``, ``stabilizer``,
    ``dropped`` (NaN for a rule the ledger cannot split). ``rule`` names the rule."""

    name: str
    rule: str
    relevance_in: Tensor
    relevance_out: Tensor
    bias: Tensor
    stabilizer: Tensor
    dropped: Tensor

    @property
    def absorbed(self) -> Tensor:
        """``bias + stabilizer + dropped``."""
        return self.bias + self.stabilizer + self.dropped


@dataclass(frozen=True)
class Ledger(Explanation):
    """Where the explained logit went, per sample: an :class:`~vgg.engine.explain.Explanation`
    (the input ``relevance`` ``(N, C, H, W)``, the ``logit`` ``f_t(x)`` ``(N,)`` of the same
    pass, the ``target``, ``relevance_sum`` and ``share``) with one :class:`LayerEntry` per
    dense or convolution layer, in the order the network runs them."""

    layers: tuple[LayerEntry, ...] = ()

    @property
    def absorbed(self) -> Tensor:
        """What the layers absorbed in all: ``Σ_layers (bias + stabilizer + dropped)``."""
        return torch.stack([entry.absorbed for entry in self.layers]).sum(0)

    def part(self, what: str) -> Tensor:
        """``Σ_layers`` of one absorbed part (``"bias"``, ``"stabilizer"``, ``"dropped"``)."""
        return torch.stack([getattr(entry, what) for entry in self.layers]).sum(0)

    @property
    def residual(self) -> Tensor:
        """``f_t(x) − ΣR − absorbed``: rounding only, where the ledger adds up."""
        return self.logit - self.relevance_sum - self.absorbed

    def rows(self, sample: int = 0) -> list[dict[str, float | str]]:
        """One sample's ledger as plain rows, top layer first (how the relevance flows):
        ``layer``, ``rule``, ``relevance_out``, ``relevance_in``, ``bias``, ``stabilizer``,
        ``dropped``, each absorbed part also as a share of the logit (``absorbed_share``)."""
        f = float(self.logit[sample])
        out: list[dict[str, float | str]] = []
        for entry in reversed(self.layers):
            absorbed = float(entry.absorbed[sample])
            out.append({"layer": entry.name, "rule": entry.rule,
                        "relevance_out": float(entry.relevance_out[sample]),
                        "relevance_in": float(entry.relevance_in[sample]),
                        "bias": float(entry.bias[sample]),
                        "stabilizer": float(entry.stabilizer[sample]),
                        "dropped": float(entry.dropped[sample]),
                        "absorbed_share": absorbed / f if f else float("nan")})
        return out


def rule_label(rule: Rule) -> str:
    """A rule in a few characters: ``z^B``, ``LRP-γ (γ=0.316)``, ``LRP-ε (ε=0.25)``, ``LRP-0``.

    >>> rule_label(Gamma(10**-0.5)), rule_label(Plain()), rule_label(Epsilon(0.25))
    ('LRP-γ (γ=0.316)', 'LRP-0', 'LRP-ε (ε=0.25)')
    """
    if isinstance(rule, ZBox):
        return "z^B" if not rule.eps else f"z^B (ε={rule.eps:g})"
    if isinstance(rule, Gamma):
        eps = f", ε={rule.eps:g}" if rule.eps else ""
        return f"LRP-γ (γ={rule.gamma:.3g}{eps})"
    if isinstance(rule, Epsilon):
        return f"LRP-ε (ε={rule.eps:g})"
    if isinstance(rule, Plain):
        return "LRP-0"
    return type(rule).__name__


def _per_sample(t: Tensor) -> Tensor:
    return t.sum(tuple(range(1, t.ndim)))


def _denominator(rule: Rule, layer: nn.Module, a: Tensor) -> tuple[Tensor, Tensor | None,
                                                                   float] | None:
    """``(p, ρ(b), ε)`` of the rule in ``layer`` at input ``a``; None for a rule the ledger
    does not know (a :class:`Rule` that is neither :class:`Plain` nor a
    :class:`~vgg.engine.modified.TransformRule`)."""
    w, b = parameters(layer)
    if isinstance(rule, Plain):
        return affine(layer, a, w, b), b, 0.0
    if isinstance(rule, TransformRule):
        inputs = rule.inputs(a)
        stacked = inputs[0] if len(inputs) == 1 else torch.cat(
            inputs, dim=1 if isinstance(layer, nn.Conv2d) else -1)
        rho_b = rule.bias(b)
        return affine(layer, stacked, rule.stacked(w), rho_b), rho_b, rule.stabilizer()
    return None


def _absorbed(rule: Rule, layer: nn.Module, a: Tensor, out: Tensor,
              g: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """``(bias, stabilizer, dropped)`` of one layer, per sample (see the module docstring)."""
    with torch.no_grad():
        r = out * g
        found = _denominator(rule, layer, a)
        if found is None:
            nan = torch.full((len(a),), torch.nan, dtype=a.dtype, device=a.device)
            return nan, nan, nan
        p, rho_b, eps = found
        sign = torch.where(p >= 0, 1.0, -1.0).to(p)
        d = p + eps * sign if eps else p
        zero = d == 0
        share = r / d.masked_fill(zero, 1.0)
        shape = (1, -1) + (1,) * (p.ndim - 2)
        bias = (share * rho_b.reshape(shape)).masked_fill(zero, 0.0) if rho_b is not None \
            else torch.zeros_like(r)
        stabilizer = (share * (eps * sign)).masked_fill(zero, 0.0)
        dropped = r.masked_fill(~zero, 0.0)
        return _per_sample(bias), _per_sample(stabilizer), _per_sample(dropped)


def _ledger(layers: Layers, x: Tensor, target: Tensor, rules: Mapping[str, Rule],
            extra: Sequence[Tensor]) -> Ledger:
    """The ledger of the (modified) network: one forward pass recording every dense and
    convolution layer, one backward pass for the gradients at their inputs and outputs."""
    if torch.is_inference_mode_enabled():
        raise RuntimeError("the ledger needs autograd: call it outside torch.inference_mode()")
    steps: list[tuple[str, nn.Module, Rule, Tensor, Tensor]] = []
    leaf = (x.clone() if x.is_inference() else x.detach()).requires_grad_(True)
    with torch.enable_grad():
        out = select(forward(layers, leaf, rules,
                             record=lambda *step: steps.append(step)), target)
        tensors = [leaf, *extra, *(s[3] for s in steps[1:]), *(s[4] for s in steps)]
        grads = torch.autograd.grad(out.sum(), tensors, allow_unused=True,
                                    materialize_grads=True)
    g_inputs = grads[:1 + len(extra)]
    g_hidden = grads[1 + len(extra):len(steps) + len(extra)]
    g_outputs = grads[len(steps) + len(extra):]
    relevance = input_relevance(leaf, tuple(extra), g_inputs)
    entries = []
    for i, (name, layer, rule, a, y) in enumerate(steps):
        r_in = _per_sample(relevance) if i == 0 else _per_sample(a.detach() * g_hidden[i - 1])
        bias, stabilizer, dropped = _absorbed(rule, layer, a.detach(), y.detach(), g_outputs[i])
        entries.append(LayerEntry(name, rule_label(rule), r_in.detach(),
                                  _per_sample(y.detach() * g_outputs[i]), bias, stabilizer,
                                  dropped))
    return Ledger(relevance, out.detach(), target.reshape(-1).expand(len(x)), tuple(entries))


def lrp_ledger(model: nn.Module, x: Tensor, target: int | Tensor, *,
               composite: Composite = SHEET, gammas: Mapping[int, float] | None = None,
               low: Tensor | float | None = None, high: Tensor | float | None = None,
               eps: float = 0.0) -> Ledger:
    """The :class:`Ledger` of :func:`vgg.engine.explain.lrp` with the same arguments; its
    ``relevance`` is that LRP relevance."""
    layers, targets, rules, bounds = lrp_setup(model, x, target, composite, gammas, low, high,
                                               eps)
    return _ledger(layers, x, targets, rules, bounds)


def gradient_x_input_ledger(model: nn.Module, x: Tensor, target: int | Tensor) -> Ledger:
    """The :class:`Ledger` of Gradient × Input (the plain gradient, LRP-0 in every layer);
    its ``relevance`` is ``x ⊙ ∇_x f_t(x)``."""
    layers = vgg_layers(model)
    check_input(model, layers, x)
    return _ledger(layers, x, check_target(target, x, layers), {}, ())


__all__ = ["LayerEntry", "Ledger", "gradient_x_input_ledger", "lrp_ledger", "rule_label"]
