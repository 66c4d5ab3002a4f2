"""Exercise 4.2: each modified-gradient rule of :mod:`vgg.engine.rules` equals the sheet's equation,
written out with explicit matrices, on random small layers (float64).

A layer is written as a matrix ``M`` with ``M[k, j] = w_jk`` (output ``k``, input ``j``): for a
dense layer ``M = W``; for a convolution, ``M`` is the Jacobian of the bias-free convolution on
the flattened input (each entry is a single kernel weight or 0, so ``M⁺`` is the matrix of the
convolution with ``W⁺``). The rule's relevance is read as Gradient × Input with the upstream
gradient ``R_k / z_k``, so that the layer receives the relevance ``R_k``:
``R_j = a_j Σ_k ρ(w)_jk (z_k/p_k) (R_k/z_k) = Σ_k a_j ρ(w)_jk R_k / p_k``.

Weights, inputs and relevances are random, drawn from ``SHEET11_SEED`` (conftest.py). The
tolerance is derived from the computation, not fixed: a random ``p_k`` can come close to 0,
and then its rounding error is amplified by ``S_k/|p_k|`` (``S_k`` the sum of the absolute
terms of ``p_k``). :func:`rounding_bound` bounds the float64 error of
``R_j = Σ_k c_jk R_k / p_k`` by ``Σ_k |c_jk R_k / p_k| · 8n·ε·(1 + S_k/|p_k|)`` (``n`` the
number of summed terms), for either implementation; the two may differ by twice that.
"""

from __future__ import annotations

import pytest
import torch
from conftest import derived_seed
from torch import Tensor, nn

from vgg.engine.modified import ratio
from vgg.engine.propagate import forward, relevance
from vgg.engine.rules import Gamma, Plain, ZBox

F64 = torch.float64
EPS = torch.finfo(F64).eps

pytestmark = pytest.mark.seeded


def rounding_bound(parts: list[tuple[Tensor, Tensor]], p: Tensor, scale: Tensor,
                   r_out: Tensor) -> Tensor:
    """For ``R = Σ_i t_i ⊙ (C_iᵀ (r/p))`` with ``p = Σ_i C_i t_i + bias`` (``parts`` the pairs
    ``(C_i, t_i)``, ``scale`` the absolute sum ``S`` of ``p``'s terms): the bound above."""
    n = sum(c.shape[1] for c, _ in parts) + p.shape[0] + 3
    per_unit = (r_out / p).abs() * 8 * n * EPS * (1 + scale / p.abs())
    return sum(t.abs() * (c.abs().T @ per_unit) for c, t in parts)


def close(actual: Tensor, expected: Tensor, bound: Tensor) -> bool:
    """``|actual − expected| ≤ 2·bound`` entrywise (both carry rounding errors ≤ bound)."""
    return bool(((actual - expected).abs() <= 2 * bound).all())


def close_relative(actual: Tensor, expected: Tensor, rtol: float = 1e-12) -> bool:
    """``max |actual − expected| ≤ rtol · max |expected|``: for computations without a division
    by a random ``p`` (or the same division on both sides)."""
    return bool((actual - expected).abs().max() <= rtol * expected.abs().max())


def as_matrix(layer: nn.Module, shape: tuple[int, ...]) -> Tensor:
    """``M`` with ``M[k, j] = ∂(layer without bias)_k / ∂a_j`` on inputs of ``shape``."""
    w = layer.weight.detach()
    if isinstance(layer, nn.Linear):
        return w.clone()

    def bias_free(a: Tensor) -> Tensor:
        return layer._conv_forward(a.reshape(1, *shape), w, None).reshape(-1)

    n = 1
    for d in shape:
        n *= d
    return torch.autograd.functional.jacobian(bias_free, torch.zeros(n, dtype=w.dtype))


def layer_bias(layer: nn.Module, out_shape: tuple[int, ...]) -> Tensor:
    """The bias of every flattened output unit."""
    b = layer.bias.detach()
    if isinstance(layer, nn.Conv2d):
        return b[:, None, None].expand(out_shape).reshape(-1)
    return b


def rule_relevance(rule, layer: nn.Module, inputs: list[Tensor], r_out: Tensor) -> Tensor:
    """Σ over the rule's inputs of ``t ⊙ ∂⟨out, R/z⟩/∂t``: the relevance the rule sends down."""
    leaves = [t.detach().clone().requires_grad_(True) for t in inputs]
    if isinstance(rule, ZBox):
        rule = ZBox(leaves[1], leaves[2], rule.eps)
    out = rule(layer, leaves[0])
    grads = torch.autograd.grad(out, leaves, r_out / out.detach())
    return sum(t.detach() * g for t, g in zip(leaves, grads, strict=True))


def layers(seed: int) -> list[tuple[nn.Module, tuple[int, ...]]]:
    """Random layers (seeded) with nonzero biases and the shape of one input sample."""
    torch.manual_seed(derived_seed(seed))
    found = [
        (nn.Linear(6, 5), (6,)),
        (nn.Conv2d(3, 4, 3, padding=1), (3, 6, 6)),
        (nn.Conv2d(2, 3, 3, stride=2, padding=1), (2, 7, 7)),
        (nn.Conv2d(2, 3, 3, padding="same", dilation=2), (2, 6, 6)),
    ]
    for layer, _ in found:
        nn.init.uniform_(layer.bias, -0.3, 0.3)
        layer.double()
    return found


CASES = [(i, seed) for i in range(4) for seed in (0, 1)]


def gamma_case(i: int, seed: int) -> tuple[nn.Module, Tensor, Tensor, Tensor]:
    layer, shape = layers(seed)[i]
    torch.manual_seed(derived_seed(100 + seed))
    a = torch.rand(1, *shape, dtype=F64)      # ReLU outputs: a ≥ 0
    M = as_matrix(layer, shape)
    r_out = torch.randn(M.shape[0], dtype=F64)
    return layer, a, M, r_out


@pytest.mark.parametrize("gamma", [0.0, 0.25, 1.0])
@pytest.mark.parametrize(("i", "seed"), CASES)
def test_4_gamma_rule_is_the_sheets_equation(i: int, seed: int, gamma: float) -> None:
    """R_j = Σ_k a_j (w_jk + γw_jk⁺) / (Σ_j' a_j' (w_j'k + γw_j'k⁺) + b_k + γb_k⁺) · R_k."""
    layer, a, M, r_out = gamma_case(i, seed)
    b = layer_bias(layer, tuple(layer(a).shape[1:]))
    rho = M + gamma * M.clamp(min=0)
    bias = b + gamma * b.clamp(min=0)
    p = rho @ a.reshape(-1) + bias
    expected = a.reshape(-1) * (rho.T @ (r_out / p))
    actual = rule_relevance(Gamma(gamma), layer, [a], r_out.reshape(layer(a).shape))
    scale = rho.abs() @ a.reshape(-1) + bias.abs()
    bound = rounding_bound([(rho, a.reshape(-1))], p, scale, r_out)
    assert close(actual.reshape(-1), expected, bound)


@pytest.mark.parametrize(("i", "seed"), CASES)
def test_4_gamma_rule_keeps_the_forward_value(i: int, seed: int) -> None:
    """The modified layer outputs ``z = layer(a)`` itself: ``p · [z/p]_cst = z``."""
    layer, a, _, _ = gamma_case(i, seed)
    out = Gamma(0.5)(layer, a.requires_grad_(True))
    assert torch.equal(out.detach(), layer(a).detach())


@pytest.mark.parametrize(("i", "seed"), CASES)
def test_4_zbox_rule_is_the_sheets_equation(i: int, seed: int) -> None:
    """R_i = Σ_j (x_i w_ij − l_i w_ij⁺ − h_i w_ij⁻) / Σ_i' (x_i' w_i'j − l_i' w_i'j⁺ − h_i' w_i'j⁻)
    · R_j, with the relevance of x, l and h summed; the biases cancel out of p (z keeps them)."""
    layer, shape = layers(seed)[i]
    torch.manual_seed(derived_seed(200 + seed))
    low = -torch.rand(1, *shape, dtype=F64) - 0.5
    high = torch.rand(1, *shape, dtype=F64) + 0.5
    x = low + (high - low) * torch.rand(1, *shape, dtype=F64)      # inside the box
    M = as_matrix(layer, shape)
    r_out = torch.randn(M.shape[0], dtype=F64)
    xf, lf, hf = x.reshape(-1), low.reshape(-1), high.reshape(-1)
    Mp, Mn = M.clamp(min=0), M.clamp(max=0)
    p = M @ xf - Mp @ lf - Mn @ hf
    s = r_out / p
    expected = xf * (M.T @ s) - lf * (Mp.T @ s) - hf * (Mn.T @ s)
    out_shape = layer(x).shape
    actual = rule_relevance(ZBox(low, high), layer, [x, low, high], r_out.reshape(out_shape))
    parts = [(M, xf), (Mp, lf), (Mn, hf)]
    scale = sum(c.abs() @ t.abs() for c, t in parts)
    assert close(actual.reshape(-1), expected, rounding_bound(parts, p, scale, r_out))


@pytest.mark.parametrize(("i", "seed"), CASES)
def test_4_stabilizer_divides_by_p_plus_eps_sign_p(i: int, seed: int) -> None:
    """With ``eps``: ``R_j = Σ_k a_j ρ(w)_jk R_k / (p_k + eps·sign(p_k))``, ``sign(0) = +1``."""
    layer, a, M, r_out = gamma_case(i, seed)
    gamma, eps = 0.5, 0.3
    b = layer_bias(layer, tuple(layer(a).shape[1:]))
    rho = M + gamma * M.clamp(min=0)
    bias = b + gamma * b.clamp(min=0)
    p = rho @ a.reshape(-1) + bias
    p = p + eps * torch.where(p >= 0, 1.0, -1.0).to(F64)
    expected = a.reshape(-1) * (rho.T @ (r_out / p))
    actual = rule_relevance(Gamma(gamma, eps), layer, [a], r_out.reshape(layer(a).shape))
    scale = rho.abs() @ a.reshape(-1) + bias.abs() + eps
    bound = rounding_bound([(rho, a.reshape(-1))], p, scale, r_out)
    assert close(actual.reshape(-1), expected, bound)


def test_4_vanishing_denominator_passes_no_relevance() -> None:
    """Where ``p_k = 0`` the unit passes no relevance (the sheet's convention), and the
    forward value is still ``z_k``: a = (1, 1), w = (1, −2), γ = 1 gives z = −1, p = 0."""
    layer = nn.Linear(2, 2, bias=False).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, -2.0], [1.0, 1.0]]))
    a = torch.tensor([[1.0, 1.0]], dtype=F64, requires_grad=True)
    out = Gamma(1.0)(layer, a)
    assert out.detach().tolist() == [[-1.0, 2.0]]
    (g,) = torch.autograd.grad(out[0, 0], a)
    assert g.tolist() == [[0.0, 0.0]]
    assert ratio(torch.tensor([-1.0]), torch.tensor([0.0])).tolist() == [0.0]


def test_4_plain_is_the_ordinary_gradient() -> None:
    """:class:`Plain` leaves the layer as it is: value and input gradient of ``layer(a)``."""
    torch.manual_seed(derived_seed(3))
    layer = nn.Conv2d(2, 3, 3, padding=1).double()
    a = torch.randn(2, 2, 5, 5, dtype=F64, requires_grad=True)
    g = torch.randn(2, 3, 5, 5, dtype=F64)
    (expected,) = torch.autograd.grad(layer(a), a, g)
    out = Plain()(layer, a)
    (actual,) = torch.autograd.grad(out, a, g)
    assert torch.equal(out.detach(), layer(a).detach())
    assert close_relative(actual, expected)


def test_4_rules_relevance_is_gradient_times_input_of_the_network() -> None:
    """On a small ReLU network, :func:`relevance` with γ rules equals the layer-by-layer LRP-γ
    recursion written with matrices, starting from ``R = f_t(x)`` at the top.

    The random network is redrawn until every denominator is well away from 0 (``|p_k| ≥
    S_k/100``, ``S_k`` the absolute sum of its terms): then three layers of rounding stay
    below ``3·7·100·ε ≈ 5e-13`` relative, and 1e-11 holds for any seed."""
    rules = {"l1": Gamma(0.0), "l2": Gamma(0.7), "l3": Gamma(0.2)}
    target = 1
    for attempt in range(100):
        torch.manual_seed(derived_seed(4, attempt))
        net = [("l1", nn.Linear(5, 7)), ("r1", nn.ReLU()), ("l2", nn.Linear(7, 6)),
               ("r2", nn.ReLU()), ("l3", nn.Linear(6, 3))]
        for _, m in net:
            if isinstance(m, nn.Linear):
                nn.init.uniform_(m.bias, -0.2, 0.2)
                m.double()
        x = torch.rand(1, 5, dtype=F64)
        acts = [x[0]]
        for _, m in net:
            acts.append(m(acts[-1]).detach())
        a0, a1, a2 = acts[0], acts[2], acts[4]
        r = torch.zeros(3, dtype=F64)
        r[target] = acts[-1][target]
        conditioned = True
        for (name, m), a in zip(reversed(net[::2]), (a2, a1, a0), strict=True):
            gamma = rules[name].gamma
            w, b = m.weight.detach(), m.bias.detach()
            rho, bias = w + gamma * w.clamp(min=0), b + gamma * b.clamp(min=0)
            p = rho @ a + bias
            conditioned &= bool((p.abs() * 100 >= rho.abs() @ a + bias.abs()).all())
            r = a * (rho.T @ (r / p))
        if conditioned:
            break
    assert conditioned
    actual = relevance(net, x, target, rules)
    assert close_relative(actual[0], r, rtol=1e-11)
    assert torch.equal(forward(net, x, rules).detach(), net[-1][1](acts[-2]).detach()[None])


@pytest.mark.parametrize("rule_name", ["gamma", "zbox"])
def test_4_rule_run_with_its_relu_is_the_rule_then_the_relu(rule_name: str) -> None:
    """:func:`forward` runs a rule layer and the ``nn.ReLU`` after it as one step; values and
    relevance equal those of the rule followed by a separate ReLU (float64, 1e-12)."""
    torch.manual_seed(derived_seed(5))
    conv = nn.Conv2d(3, 4, 3, padding=1).double()
    nn.init.uniform_(conv.bias, -0.3, 0.3)
    x = torch.randn(2, 3, 5, 5, dtype=F64)
    low = torch.full_like(x, -3.0).requires_grad_(True)
    high = torch.full_like(x, 3.0).requires_grad_(True)
    rule = Gamma(0.3) if rule_name == "gamma" else ZBox(low, high)
    extra = (low, high) if rule_name == "zbox" else ()
    head = nn.Linear(4 * 25, 3).double()
    net = [("conv", conv), ("relu", nn.ReLU()), ("flat", nn.Flatten()), ("head", head)]
    fused = relevance(net, x, 2, {"conv": rule}, extra)

    class Separate(nn.Module):
        def forward(self, a: Tensor) -> Tensor:
            return torch.relu(rule(conv, a))

    apart = relevance([("conv+relu", Separate()), *net[2:]], x, 2, {}, extra)
    assert close_relative(fused, apart)  # the same division by p on both sides
    assert torch.equal(forward(net, x, {"conv": rule}), head(torch.relu(conv(x)).flatten(1)))


@pytest.mark.parametrize("gamma", [-0.5, float("inf"), float("nan")])
def test_4_gamma_must_be_finite_and_nonnegative(gamma: float) -> None:
    with pytest.raises(ValueError, match="γ"):
        Gamma(gamma)


def test_4_relevance_refuses_bounds_broadcast_over_pixels() -> None:
    """A z^B bound shaped (1, C, 1, 1) would get one gradient summed over all pixels, and every
    pixel the whole channel's term: refused with a clear message, not a wrong relevance."""
    torch.manual_seed(derived_seed(6))
    conv = nn.Conv2d(3, 2, 3, padding=1).double()
    net = [("conv", conv), ("relu", nn.ReLU()), ("flat", nn.Flatten()),
           ("head", nn.Linear(2 * 25, 2).double())]
    x = torch.randn(1, 3, 5, 5, dtype=F64)
    low = torch.full((1, 3, 1, 1), -3.0, dtype=F64, requires_grad=True)
    high = torch.full((1, 3, 1, 1), 3.0, dtype=F64, requires_grad=True)
    with pytest.raises(ValueError, match="not shaped like x"):
        relevance(net, x, 0, {"conv": ZBox(low, high)}, (low, high))
