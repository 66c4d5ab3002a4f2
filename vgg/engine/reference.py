r"""The same LRP stated in Zennit (0.5.x), the reference the tests and the benchmark compare to.

Zennit propagates relevance with per-layer backward hooks; layers without a hook pass on the
plain gradient. Our LRP (:func:`vgg.engine.explain.lrp`) is Gradient × Input of a modified
network: layers "left intact" keep their plain gradient, which in relevance terms is LRP-0,
``R_j = a_j Σ_k w_jk R_k / z_k`` (bias included in ``z_k``). So the composite that states the
same rules layer by layer is:

================  =========================================  ==============================
layer             ours (:mod:`vgg.engine.rules`)                Zennit
================  =========================================  ==============================
``features.0``    ``ZBox(l, h)``                              ``ZBox(l, h)``
``features.k``    ``Gamma(γ_k)``, ``b + γb⁺``                 ``Gamma(γ_k)``
dense layers      plain gradient (= LRP-0)                    ``Epsilon(ε → 0)``
``avgpool``       plain gradient (= LRP-0)                    ``Norm`` (LRP-0 without params)
ReLU, max-pool    plain gradient                              no hook (plain gradient)
top               ``R = f_t(x)``                              ``attr_output = f_t(x)·e_t``
================  =========================================  ==============================

Zennit divides by ``p + ε·sign(p)`` (``sign(0) = +1``), as ``eps`` does in
:mod:`vgg.engine.modified`; ``stabilizer`` sets that ε for every hook. Two differences in Zennit
0.5.1's ``Gamma`` do not show on VGG-16: it splits the input into ``a⁺`` and ``a⁻`` (the inputs
of every γ layer are ReLU or max-pool outputs, ``a ≥ 0``, so ``a⁻ = 0``), and for outputs ``z_k
< 0`` it uses ``w + γw⁻``, ``b + γb⁻`` instead of ``w + γw⁺``, ``b + γb⁺`` (the ReLU after every
convolution gives those outputs zero gradient, so they carry no relevance either way; ``z_k =
0`` gets none in both). Its ``ZBox`` keeps the biases in each of its three terms; they cancel,
as in :class:`vgg.engine.rules.ZBox`.

Zennit is a test dependency: it is imported when a function here is called, not before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import Tensor, nn

from vgg.engine.composites import FIRST, SHEET_GAMMAS
from vgg.engine.pixels import pixel_bounds
from vgg.engine.propagate import select


def zennit_composite(
    low: Tensor,
    high: Tensor,
    gammas: Mapping[int, float] = SHEET_GAMMAS,
    stabilizer: float = 1e-6,
    dense: tuple[str, ...] = ("classifier.0", "classifier.3", "classifier.6"),
) -> Any:
    """A ``zennit.composites.NameMapComposite`` stating the sheet's rules for VGG-16 (see the
    table above); ``stabilizer`` is Zennit's ε in every hook."""
    from zennit.composites import NameMapComposite
    from zennit.rules import Epsilon, Gamma, Norm, ZBox

    name_map: list[tuple[tuple[str, ...], Any]] = [
        ((FIRST,), ZBox(low, high, stabilizer=stabilizer)),
        *(((f"features.{k}",), Gamma(gamma=float(g), stabilizer=stabilizer))
          for k, g in gammas.items()),
        (dense, Epsilon(epsilon=stabilizer)),
        (("avgpool",), Norm(stabilizer=stabilizer)),
    ]
    return NameMapComposite(name_map=name_map)


def zennit_lrp(
    model: nn.Module,
    x: Tensor,
    target: int | Tensor,
    *,
    gammas: Mapping[int, float] = SHEET_GAMMAS,
    stabilizer: float = 1e-6,
) -> Tensor:
    """Zennit's LRP of ``f_t`` with :func:`zennit_composite` (bounds :func:`pixel_bounds`),
    starting from ``R = f_t(x)``; ``model`` must be in eval mode (Zennit runs it as it is)."""
    from zennit.attribution import Gradient

    low, high = pixel_bounds(x)
    composite = zennit_composite(low, high, gammas, stabilizer)
    t = torch.as_tensor(target, device=x.device).reshape(-1).expand(x.shape[0])

    def top(logits: Tensor) -> Tensor:
        return torch.zeros_like(logits).scatter_(1, t[:, None], select(logits.detach(), t)[:, None])

    with Gradient(model=model, composite=composite) as attributor:
        _, r = attributor(x.detach().clone(), top)
    return r


__all__ = ["zennit_composite", "zennit_lrp"]
