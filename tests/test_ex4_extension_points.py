"""Exercise 4's extension points, each shown by using it: a rule, a method, a metric.

- **A rule** is a class in ``vgg/engine/rules.py``: LRP-ε (``Epsilon``) is a parameter
  transform with ``ρ(θ) = θ`` and the stabilizer ε, the same rule as ``Gamma(0, ε)``.
- **A method** is one entry of ``vgg/methods.py``: ``lrp_epsilon`` (LRP with LRP-ε in the
  convolutions) is offered with ``default=False``, so the default outputs stay as they were.
- **A metric** is one entry of the registry ``vgg/evaluation/metrics.py`` with its measure in
  its family's module: here a sparseness metric declared in this test runs through the
  evaluation, its table and its JSON, and the report's table still fits the page. The width
  is measured with a stated font metric: Computer Modern Roman (``cmr10.ttf`` and the ``cm``
  math fonts that matplotlib ships), at the sizes the report sets the table in (``\\small``:
  10 pt, ``\\scriptsize``: 8 pt, of an 11 pt article), against the text width its page leaves.
  No LaTeX is run (none is installed everywhere the tests run).

The networks are random (seeded) or the TRAINED digits network shipped with the project.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import matplotlib
import pytest
import torch
from conftest import derived_seed
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from torch import Tensor, nn

from solution.document import DOCUMENT_CLASS, GEOMETRY
from solution.observations import evaluation_table
from solution.tex import escape
from vgg.engine.composites import SHEET
from vgg.engine.explain import lrp
from vgg.engine.propagate import relevance
from vgg.engine.rules import Epsilon, Gamma
from vgg.evaluation.data import DIGITS_RENDER, digits_dataset, loader_for
from vgg.evaluation.evidence import Evidence
from vgg.evaluation.intervals import Interval
from vgg.evaluation.measure import evaluate
from vgg.evaluation.metrics import METRICS, Metric
from vgg.methods import DEFAULT, EPSILON_RULES, METHODS, relevance_maps
from vgg.weights.digits import load_digits_model

F64 = torch.float64


# --- a rule ----------------------------------------------------------------------------------

def _layers() -> list[nn.Module]:
    """A dense layer, a zero-padded convolution (the fast path) and a reflect-padded one (the
    composed expression), float64, seeded, with biases."""
    torch.manual_seed(derived_seed(301))
    return [nn.Linear(6, 4).double(), nn.Conv2d(3, 4, 3, padding=1).double(),
            nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect").double()]


@pytest.mark.parametrize("eps", [0.0, 1e-3, 0.25])
@pytest.mark.parametrize("index", [0, 1, 2], ids=["dense", "conv", "conv-reflect"])
def test_4_extension_lrp_epsilon_is_gamma_zero(index: int, eps: float) -> None:
    """``Epsilon(ε)`` gives exactly the relevance of ``Gamma(0, ε)`` (the same parameter
    transform and stabilizer), on both paths of the engine."""
    layer = _layers()[index]
    g = torch.Generator().manual_seed(derived_seed(302, index))
    shape = (3, 6) if isinstance(layer, nn.Linear) else (2, 3, 5, 5)
    x = torch.randn(shape, generator=g, dtype=F64)
    if isinstance(layer, nn.Conv2d):
        layers = [("0", layer), ("1", nn.Flatten()), ("2", nn.Linear(100, 3).double())]
    else:
        layers = [("0", layer)]
    ours = relevance(layers, x, 1, {"0": Epsilon(eps)})
    gamma = relevance(layers, x, 1, {"0": Gamma(0.0, eps)})
    assert torch.equal(ours, gamma)
    plain = relevance(layers, x, 1)  # Gradient × Input: LRP-0, the rule at ε = 0
    assert torch.allclose(ours, plain, rtol=1e-10, atol=1e-12) == (eps == 0)


def test_4_extension_lrp_epsilon_is_the_equation() -> None:
    """LRP-ε on one dense layer, written out: ``R_j = a_j w_jt z_t / (z_t + ε sign z_t)``
    for the explained output ``t`` (``R_t = z_t`` at the top), to 1e-12 (float64)."""
    layer, eps = _layers()[0], 0.25
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(derived_seed(303)), dtype=F64)
    r = relevance([("0", layer)], x, 2, {"0": Epsilon(eps)})
    w, b = layer.weight.detach(), layer.bias.detach()
    z = x @ w.T + b
    zt = z[:, 2:3]
    expected = x * w[2] * zt / (zt + eps * torch.where(zt >= 0, 1.0, -1.0))
    assert torch.allclose(r, expected, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="finite ε ≥ 0"):
        Epsilon(-1.0)


# --- a method --------------------------------------------------------------------------------

def test_4_extension_lrp_epsilon_method_is_offered_not_default() -> None:
    """``lrp_epsilon`` is in the method list but not in the default set (the evaluation's and
    the report's default outputs are unchanged); it is LRP with z^B on the pixels and LRP-ε in
    every later convolution, and it differs from the sheet's LRP-γ."""
    assert DEFAULT == ("lrp", "gradient_x_input", "gradient", "random")
    assert "lrp_epsilon" in METHODS and not METHODS["lrp_epsilon"].default
    model = load_digits_model()
    x, _, index, _ = digits_dataset(3)[:3]
    target = torch.tensor([0, 1, 2])
    maps = relevance_maps(model, x, target, index.tolist(), ("lrp", "lrp_epsilon"))
    assert torch.equal(maps["lrp_epsilon"], lrp(model, x, target, composite=EPSILON_RULES))
    assert torch.equal(maps["lrp"], lrp(model, x, target, composite=SHEET))
    assert not torch.allclose(maps["lrp_epsilon"], maps["lrp"])


# --- a metric --------------------------------------------------------------------------------

def gini(h: Tensor) -> Tensor:
    """The Gini index of ``|H|`` per map (0: uniform, → 1: one pixel), as a family module
    would write a new metric's measure (Chalasani et al. 2020's sparseness)."""
    v = h.abs().reshape(len(h), -1).sort(1).values
    n = v.shape[1]
    k = torch.arange(1, n + 1, dtype=v.dtype)
    return ((2 * k - n - 1) * v).sum(1) / (n * v.sum(1))


SPARSENESS = Metric("sparseness", "Gini(|H|) (↑)", "higher",
                    lambda evidence: gini(evidence.heatmaps))


def test_4_extension_a_metric_is_one_registry_entry(one_thread: None) -> None:
    """A metric added to the registry's list runs through the evaluation: measured per image
    from the evidence, summarized with its interval, in the text table, the JSON and the
    report's table (as a row, in the registry's order)."""
    h = torch.zeros(2, 4, 4, dtype=F64)
    h[0] = 1.0
    h[1, 0, 0] = -3.0
    logit = torch.ones(2, dtype=F64)
    assert SPARSENESS.measure(Evidence(h, logit, {})).tolist() == pytest.approx([0.0, 15 / 16])
    metrics = (*METRICS, SPARSENESS)
    table = evaluate(load_digits_model(), loader_for(digits_dataset(3), 3), steps=2,
                     render=DIGITS_RENDER, checkpoints=(), metrics=metrics)
    data = table.as_dict()
    assert [k for k in data["methods"]["lrp"] if k != "randomization"] == [
        m.name for m in metrics if not m.perturbed]
    assert data["methods"]["lrp"]["sparseness"]["n"] == 3
    assert "Gini(|H|) (↑)" in table.format()
    rows = [line.split(" & ")[0] for line in evaluation_table(table).splitlines()[1:-1]
            if " & " in line]
    plain = [escape(m.label) for m in metrics if not m.perturbed]
    flipped = [escape(m.label) for m in metrics if m.perturbed]
    assert rows == plain + flipped * len(table.baselines)


# --- the report's table on the page ----------------------------------------------------------

#: The sizes of an 11 pt article: \small and \scriptsize (LaTeX's size11.clo).
SMALL, SCRIPTSIZE = 10.0, 8.0
#: Space between two columns: 2 × \tabcolsep (6 pt); the table has none outside (@{}).
COLUMN_GAP = 12.0
#: TeX points per inch and per centimetre.
PT_PER_IN, PT_PER_CM = 72.27, 72.27 / 2.54


def text_width_pt() -> float:
    """The text width the report's page leaves: letter paper (article's default) or A4, less
    the two margins of its geometry."""
    paper = 210 / 10 * PT_PER_CM if "a4paper" in DOCUMENT_CLASS else 8.5 * PT_PER_IN
    margin = re.search(r"margin=([\d.]+)cm", GEOMETRY)
    assert margin is not None, GEOMETRY
    return paper - 2 * float(margin.group(1)) * PT_PER_CM


def width_pt(latex: str, size: float) -> float:
    """The natural width of a cell: its text in Computer Modern at ``size`` pt, each
    ``{\\scriptsize …}`` group at 8 pt, math (``$…$``) in matplotlib's ``cm`` math fonts."""
    parts = re.split(r"\{\\scriptsize ([^}]*)\}", latex)
    total = 0.0
    with matplotlib.rc_context({"mathtext.fontset": "cm"}):
        for i, part in enumerate(parts):
            if part:
                prop = FontProperties(family="cmr10", size=SCRIPTSIZE if i % 2 else size)
                total += TextToPath().get_text_width_height_descent(
                    part, prop, ismath="$" in part)[0]
    return total


def table_width_pt(latex: str) -> float:
    """The width of a ``tabular`` of one line per row (``a & b & … \\\\``): the widest cell
    of each column, plus the gaps between columns."""
    rows = []
    for line in latex.splitlines():
        if " & " in line:
            line = line.split("\\toprule ")[-1]
            rows.append(line.split(" \\\\")[0].split(" & "))
    columns = list(zip(*rows, strict=True))
    return sum(max(width_pt(cell, SMALL) for cell in column) for column in columns) + \
        COLUMN_GAP * (len(columns) - 1)


def fake_table(methods: tuple[str, ...], metrics: tuple[Metric, ...]) -> SimpleNamespace:
    """A table whose every cell holds the widest values the evaluation prints: negative,
    with an integer digit (``-1.535 [-1.645, -1.423]``), under both baselines."""
    wide = Interval(-1.535, -1.645, -1.423, 360)
    return SimpleNamespace(methods=methods, measures=metrics, baselines=("noise", "remove"),
                           interval=lambda metric, method, baseline=None: wide)


def test_4_extension_report_table_fits_the_page_with_a_metric_more() -> None:
    """The report's evaluation table, built from the registry plus one metric, is narrower than
    the text width (489 pt on letter paper with 2.2 cm margins); adding the metric adds a row,
    not width. The measure itself is checked: 1.002 is 22.8 pt in cmr10 at 10 pt (four digits
    of 0.5 em and a period of 0.278 em), and a table of eight method columns does not fit."""
    assert width_pt("1.002", SMALL) == pytest.approx(4 * 5.0 + 2.78, abs=0.05)
    page = text_width_pt()
    registry = table_width_pt(evaluation_table(fake_table(DEFAULT, METRICS)))
    extended = table_width_pt(evaluation_table(fake_table(DEFAULT, (*METRICS, SPARSENESS))))
    assert extended == pytest.approx(registry) and extended < page, (extended, page)
    too_wide = fake_table(DEFAULT * 2, METRICS)
    assert table_width_pt(evaluation_table(too_wide)) > page
