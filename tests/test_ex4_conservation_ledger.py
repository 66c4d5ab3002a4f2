"""Exercise 4, conservation shown: the explained logit, the relevance sum, and the ledger of what
each layer absorbed (``vgg.engine.ledger``, ``vgg.explain_lrp``).

With every bias zero and no stabilizer, each rule of the sheet sends down exactly what it
receives, so LRP conserves: ``ΣR = f_t(x)``. With biases, the ledger says where the rest went:
``f_t(x) − ΣR = Σ_layers (bias + stabilizer + dropped)``, each part computed from the rule's
denominator, not as the difference. Random weights (torchvision's initialization, seeded from
``SHEET11_SEED``), 32 px inputs, float64.

Tolerance 1e-12 relative to the logit (``RTOL``). Where it comes from: the a-priori bound of
``tests/test_ex4_vgg_family.py`` (a float64 sum of N terms is off by at most N·u·Σ|terms|; for
VGG-19 ≲ 1.7e-11 of the summed magnitudes) is a worst case that rounding errors of random sign
do not approach: they grow like √N·u, about 3e-14 here; measured ≤ 7.9e-14 (conservation, seeds
0, 1, 7). A class whose logit is not a near-cancellation is explained
(``well_scaled_target``), so the bound relative to the logit is not relative to almost nothing.
"""

from __future__ import annotations

import pytest
import torch
from conftest import normalized_images as images
from test_ex4_vgg_family import logits_of, random_vgg, well_scaled_target
from torch import nn

import vgg
from vgg.engine import Explanation, gradient_x_input_ledger, lrp_ledger

RTOL = 1e-12
ALL_VGGS = ("vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn")

pytestmark = pytest.mark.seeded


def _sample(name: str, key: int, **kw: object) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    model = random_vgg(name, key, **kw)
    x = images(2, 32, key=key + 1)
    target = torch.tensor([well_scaled_target(model, x[i:i + 1], key + 2 + i) for i in range(2)])
    return model, x, target


@pytest.mark.parametrize("name", ALL_VGGS)
def test_4_lrp_without_biases_conserves_the_logit_on_every_vgg(name: str) -> None:
    """Every bias zero (a batch norm's folded bias ``(0 − μ)·s + β`` too), ε = 0: the LRP
    relevance sums to the logit of the model's own forward, ``|ΣR − f_t| ≤ 1e-12 |f_t|``, per
    sample; the ledger finds nothing absorbed (no bias, no stabilizer, no unit with a zero
    denominator passing relevance) and its relevance is ``vgg.lrp``'s, bit for bit."""
    model, x, target = _sample(name, 200 + ALL_VGGS.index(name) * 10, zero_shift=True)
    logits = logits_of(model, x, target)
    book = lrp_ledger(model, x, target)
    assert torch.equal(book.relevance, vgg.lrp(model, x, target))
    assert ((book.relevance_sum - logits).abs() <= RTOL * logits.abs()).all(), (
        book.relevance_sum, logits)
    assert torch.equal(book.part("bias"), torch.zeros_like(logits))
    assert torch.equal(book.part("stabilizer"), torch.zeros_like(logits))
    assert torch.equal(book.part("dropped"), torch.zeros_like(logits))
    assert (book.relevance != 0).sum() > book.relevance.numel() // 2  # spread, not 0 = 0


@pytest.mark.parametrize("name", ["vgg11", "vgg16_bn"])
@pytest.mark.parametrize("method", ["lrp", "gradient_x_input"])
def test_4_the_ledger_accounts_for_what_the_biases_absorb(name: str, method: str) -> None:
    """Nonzero biases (and, for ``_bn``, random batch norms): ``ΣR ≠ f_t``, and the absorbed
    parts the ledger computes from each rule's denominator add up to the difference:
    ``|f_t − ΣR − Σ_layers absorbed| ≤ 1e-12 |f_t|``; layer by layer, what leaves a layer
    minus what enters it is what the ledger says it absorbed (1e-12 of the logit); the top
    layer's output relevance is the logit, the first layer's input relevance is ``ΣR``."""
    model, x, target = _sample(name, 300 + 5 * ("bn" in name), bias=0.05)
    book = (lrp_ledger if method == "lrp" else gradient_x_input_ledger)(model, x, target)
    logits = logits_of(model, x, target)
    assert torch.allclose(book.logit, logits, rtol=RTOL, atol=0)
    gap = logits - book.relevance_sum
    assert (gap.abs() > 1e-6 * logits.abs()).all(), "the biases should absorb something here"
    assert (book.residual.abs() <= RTOL * logits.abs()).all(), (book.residual, logits)
    for entry in book.layers:
        step = entry.relevance_out - entry.relevance_in - entry.absorbed
        assert (step.abs() <= RTOL * logits.abs()).all(), entry.name
    assert torch.allclose(book.layers[-1].relevance_out, logits, rtol=RTOL, atol=0)
    assert torch.equal(book.layers[0].relevance_in, book.relevance_sum)
    assert torch.equal(book.part("stabilizer"), torch.zeros_like(logits))


def test_4_the_ledger_counts_what_the_stabilizer_absorbs() -> None:
    """No biases but a stabilizer ε = 0.1 in every rule: ``ΣR`` falls short of ``f_t`` by what
    ε absorbs, ``Σ R_k ε sign(p_k) / (p_k + ε sign(p_k))`` per layer, and the ledger's
    stabilizer part makes up the difference to 1e-12 of the logit."""
    model, x, target = _sample("vgg11", 320, zero_shift=True)
    book = lrp_ledger(model, x, target, eps=0.1)
    logits = logits_of(model, x, target)
    assert torch.equal(book.relevance, vgg.lrp(model, x, target, eps=0.1))
    stabilizer = book.part("stabilizer")
    assert (stabilizer.abs() > 1e-6 * logits.abs()).all()
    assert torch.equal(book.part("bias"), torch.zeros_like(logits))
    assert ((logits - book.relevance_sum - stabilizer).abs() <= RTOL * logits.abs()).all()


def test_4_explain_returns_the_logit_with_the_relevance() -> None:
    """``vgg.explain_lrp`` and ``vgg.explain_gradient_x_input`` return an :class:`Explanation`:
    the relevance of ``vgg.lrp`` / ``vgg.gradient_x_input`` bit for bit, the logit of the
    model's forward (RTOL), the target per sample, and ``share = ΣR / f_t``."""
    model, x, target = _sample("vgg11", 330, bias=0.05)
    logits = logits_of(model, x, target)
    for explain, plain in ((vgg.explain_lrp, vgg.lrp),
                           (vgg.explain_gradient_x_input, vgg.gradient_x_input)):
        e = explain(model, x, target)
        assert isinstance(e, Explanation)
        assert torch.equal(e.relevance, plain(model, x, target))
        assert torch.allclose(e.logit, logits, rtol=RTOL, atol=0)
        assert e.target.tolist() == target.tolist()
        assert torch.equal(e.share, e.relevance.sum((1, 2, 3)) / e.logit)
    one = vgg.explain_lrp(model, x, 7)
    assert one.target.tolist() == [7, 7]


def test_4_ledger_rows_run_from_the_top() -> None:
    """``Ledger.rows`` lists one sample's layers from the logit down, each with the relevance
    it received and passed on and what it absorbed, also as a share of the logit."""
    model, x, target = _sample("vgg11", 340, bias=0.05)
    book = lrp_ledger(model, x, target)
    rows = book.rows(1)
    assert rows[0]["layer"] == "classifier.6" and rows[-1]["layer"] == "features.0"
    assert rows[-1]["rule"] == "z^B" and rows[0]["rule"] == "LRP-0"
    f = float(book.logit[1])
    assert rows[0]["relevance_out"] == pytest.approx(f, rel=1e-13)
    total = sum(float(r["absorbed_share"]) for r in rows)
    assert total == pytest.approx(float(book.absorbed[1]) / f, rel=1e-12)
