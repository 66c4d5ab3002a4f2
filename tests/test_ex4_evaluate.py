"""Exercise 4, the sheet's observations measured on a TRAINED network (vgg.evaluation).

The network is the TRAINED digits VGG-16 shipped with the project (``vgg/data``, see
:mod:`vgg.digits`), not a random one. To stay fast, the claims are checked on a SUBSET of the
held-out set: its first 180 images (the held-out set is the last 360 of ``load_digits``), with
four randomization checkpoints instead of all sixteen (the cascade still re-initializes every
layer above each checkpoint). Every claim compares 95 % bootstrap intervals over those images,
never single images.

Measured, not assumed (and so not asserted here): on this network Gradient × Input has the
*higher* MoRF AOPC (pixel flipping with noise: 1.54 [1.42, 1.65] against LRP's 1.00 [0.91,
1.10] on the whole held-out set; LRP has the lowest LeRF AOPC), and LRP's heatmaps stay closer
to the trained ones under randomization than Gradient × Input's do (ρ 0.74 against 0.51 after
re-initializing classifier.6, 0.44 against 0.20 with every layer re-initialized).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

import vgg
from clitools import MARKER
from vgg.engine.explain import logits
from vgg.evaluation.cli import COMMAND, PROG
from vgg.evaluation.data import digits_dataset, loader_for
from vgg.evaluation.defaults import STEPS
from vgg.evaluation.measure import evaluate
from vgg.evaluation.metrics import METRICS, RANDOMIZATION
from vgg.evaluation.negative import negative_share
from vgg.evaluation.noise import total_variation_share
from vgg.evaluation.randomization import (
    RHO_DROPPED,
    RHO_RANDOMIZED,
    randomization_drops,
    spearman,
)
from vgg.evaluation.table import Table
from vgg.methods import DEFAULT, relevance_maps
from vgg.weights.digits import load_digits_model

SUBSET = 180
CHECKPOINTS = ("classifier.6", "classifier.0", "features.14", "features.0")
ROOT = Path(__file__).resolve().parents[1]



@pytest.fixture(scope="module")
def model() -> torch.nn.Module:
    return load_digits_model()


@pytest.fixture(scope="module")
def table(model: torch.nn.Module, one_thread: None, seed: int) -> Table:
    """The evaluation of the first 180 held-out images, default options otherwise, its random
    draws (baseline, noise, re-initialized layers) seeded by SHEET11_SEED."""
    loader = loader_for(digits_dataset(SUBSET), 60)
    return evaluate(model, loader, checkpoints=CHECKPOINTS, seed=seed)


@pytest.mark.seeded
def test_4_evaluate_lrp_is_less_noisy_than_gradient_x_input(table: Table) -> None:
    """The sheet: Gradient × Input "is noisy"; with LRP "most of the noise has disappeared".
    Noise = TV(H)/Σ|H| of the channel-summed heatmap; LRP's upper bound lies below Gradient ×
    Input's lower bound (TRAINED network, 180 held-out images)."""
    lrp, gxi = table.metrics["lrp"]["noise"], table.metrics["gradient_x_input"]["noise"]
    assert table.images == SUBSET
    assert lrp.high < gxi.low
    assert gxi.high < table.metrics["random"]["noise"].low  # noisy, but not pure noise


@pytest.mark.seeded
def test_4_evaluate_lrp_has_less_negative_evidence_than_gradient_x_input(
        table: Table) -> None:
    """The sheet: Gradient × Input "has a large amount of positive and negative evidence".
    Share Σ|H⁻|/Σ|H|: LRP's interval lies below Gradient × Input's (TRAINED network)."""
    lrp = table.metrics["lrp"]["negative_share"]
    gxi = table.metrics["gradient_x_input"]["negative_share"]
    assert lrp.high < gxi.low
    # "a large amount": close to the 0.5 of sign-symmetric noise. Measured lower bound 0.466
    # (mean 0.477; SHEET11_SEED 0, 1, 2, 7; the whole held-out set: 0.479); 0.4 leaves 0.066,
    # six times the interval's half-width of 0.011, and is still most of the way to 0.5
    assert gxi.low > 0.4


@pytest.mark.seeded
def test_4_evaluate_lrp_pixel_flipping_beats_random_order(table: Table) -> None:
    """Perturbing patches in LRP's most-relevant-first order lowers the explained logit more
    than a random order: AOPC (MoRF) intervals separated (TRAINED network, noise
    perturbation); and LRP's LeRF order lowers it less than its MoRF order."""
    lrp, rand = table.metrics["lrp"], table.metrics["random"]
    assert lrp["aopc_morf"].low > rand["aopc_morf"].high
    assert lrp["aopc_lerf"].high < lrp["aopc_morf"].low


@pytest.mark.seeded
def test_4_evaluate_heatmaps_change_when_the_network_is_randomized(
        table: Table, model: torch.nn.Module) -> None:
    """Randomization check (Adebayo et al.): with the layers re-initialized from the top,
    Spearman's ρ of |H| with the TRAINED network's heatmaps drops for LRP and Gradient × Input:
    :func:`vgg.evaluation.randomization.randomization_drops`, the criterion the report's claim
    uses too (upper bounds below ``RHO_DROPPED`` = 0.9 at every step, below ``RHO_RANDOMIZED`` =
    0.7 once every layer is random; measured values and margins beside those constants); the
    random baseline, blind to the network, stays at exactly 1."""
    # the criterion is no looser than this docstring states (0.9, 0.7), whatever the code says
    assert RHO_DROPPED <= 0.9 and RHO_RANDOMIZED <= 0.7
    for method in ("lrp", "gradient_x_input"):
        steps = table.randomization[method]
        assert list(steps) == list(CHECKPOINTS)  # the last step re-initialized features.0
        assert randomization_drops(steps), (method, {k: str(v) for k, v in steps.items()})
        assert all(iv.high < 0.9 for iv in steps.values()), method
        assert list(steps.values())[-1].high < 0.7, method
    assert all(iv.low == iv.high == 1.0 for iv in table.randomization["random"].values())
    shipped = load_digits_model().state_dict()  # the check randomized a copy
    assert all(torch.equal(v, shipped[k]) for k, v in model.state_dict().items())


def test_4_evaluate_table_reports_accuracy_and_speed(table: Table) -> None:
    """The table carries the accuracy on the evaluated images, the count and the speed, and its
    JSON form is keyed by method and metric."""
    # 0.97: the accuracy the shipped weights promise on the whole held-out set
    # (test_ex4_digits.py). Measured on these 180 images: 179 right, 0.994; 0.97 allows 5 errors
    assert table.accuracy is not None and table.accuracy >= 0.97
    assert table.images_per_second > 0
    data = json.loads(json.dumps(table.as_dict()))
    assert set(data["methods"]) == set(DEFAULT)
    assert set(data["methods"]["lrp"]) == {*(m.name for m in METRICS), RANDOMIZATION.name}
    assert len(data["curves"]["lrp"]["morf"]) == STEPS + 1
    assert "AOPC MoRF" in table.format()


def test_4_evaluate_shared_gradient_equals_vgg_gradient_x_input(model: torch.nn.Module,
                                                                 one_thread: None) -> None:
    """Gradient × Input computed from the shared gradient is vgg.gradient_x_input exactly."""
    x, _, index = digits_dataset(6)[:6]
    target = logits(model, x).argmax(1)
    r = relevance_maps(model, x, target, index.tolist())
    assert torch.equal(r["gradient_x_input"], vgg.gradient_x_input(model, x, target))
    assert torch.equal(r["lrp"], vgg.lrp(model, x, target))


def test_4_evaluate_metrics_on_known_maps() -> None:
    """The metrics on hand-made maps: a single pixel, a checkerboard, a ramp."""
    single = torch.zeros(1, 5, 5, dtype=torch.float64)
    single[0, 2, 2] = -3.0
    assert total_variation_share(single).item() == 4.0
    assert negative_share(single).item() == 1.0
    ramp = torch.arange(16.0, dtype=torch.float64).reshape(1, 4, 4) + 1
    assert negative_share(ramp).item() == 0.0
    assert total_variation_share(ramp).item() == pytest.approx((3 * 4 + 12 * 4) / 136)
    assert torch.isnan(negative_share(torch.zeros(1, 3, 3))).item()
    gen = np.random.default_rng(0)
    a, b = gen.normal(size=(3, 64)), gen.normal(size=(3, 64))
    b[1] = np.round(b[1])  # ties
    rho = spearman(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    assert np.allclose(rho, [spearmanr(u, v).statistic for u, v in zip(a, b, strict=True)])


@pytest.mark.skipif(not torch.distributed.is_available(), reason="no torch.distributed")
def test_4_evaluate_two_processes_give_the_same_table(model: torch.nn.Module,
                                                      one_thread: None) -> None:
    """``torchrun --nproc_per_node 2`` (gloo on CPU, a DistributedSampler, results gathered to
    every rank) prints the same table as one process: per-image seeds, not per-rank. The
    images and predictions are the same; the numbers agree to 1e-4 (a batch of other images
    can change the last bits of a convolution, and so the rank of two nearly tied pixels)."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc_per_node", "2", "-m", "vgg.evaluate", "--limit", "5", "--batch", "2",
               "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    two = json.loads(done.stdout)
    one = evaluate(model, loader_for(digits_dataset(5), 5)).as_dict()
    assert two["processes"] == 2 and one["processes"] == 1
    assert two["images"] == one["images"] == 5 and two["accuracy"] == one["accuracy"]
    assert two["settings"] == json.loads(json.dumps(one["settings"]))
    close = {"rel": 1e-4, "abs": 1e-4}
    for method in DEFAULT:
        for metric, iv in one["methods"][method].items():
            if metric == "randomization":
                for step, jv in iv.items():
                    assert two["methods"][method][metric][step] == pytest.approx(jv, **close)
            else:
                assert two["methods"][method][metric] == pytest.approx(iv, **close)
        for order in ("morf", "lerf"):
            assert np.allclose(two["curves"][method][order], one["curves"][method][order],
                               rtol=1e-4, atol=1e-4)


def test_4_evaluate_cli_writes_plots_all_or_nothing(tmp_path: Path, one_thread: None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m vgg.evaluate --limit 3 --json --out DIR``: one JSON object on stdout and the
    three PNG plots; a bad option is one line and exit status 2."""
    from clitools import run

    out = tmp_path / "plots"
    assert run(lambda: COMMAND.main(["--limit", "3", "--batch", "2", "--json", "--out", str(out)]),
               PROG) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["images"] == 3
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "heatmaps.png",
                                                     "pixel_flipping.png", "randomization.png"]
    assert run(lambda: COMMAND.main(["--perturbation", "fog"]), PROG) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_4_evaluate_takes_your_pictures_with_an_imagenet_vgg16(
        tmp_path: Path, one_thread: None, capsys: pytest.CaptureFixture[str]) -> None:
    """The same command on pictures with a VGG-16 (here random weights, seeded: the ImageNet
    weights cannot be downloaded in CI; ``--weights imagenet`` reads them where they are):
    the same table, as one JSON object keyed by method and metric."""
    from conftest import picture

    pictures = tmp_path / "pictures"
    pictures.mkdir()
    for n in range(2):
        picture(pictures, size=(40 + 8 * n, 36), name=f"p{n}.png")
    assert COMMAND.main(["--weights", "random", "--images", str(pictures), "--size", "32",
                    "--steps", "2", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["images"] == 2 and table["accuracy"] is None  # no labels: top-1 explained
    assert set(table["methods"]) == set(DEFAULT)
    for metrics in table["methods"].values():
        assert {m.name for m in METRICS} <= set(metrics) and RANDOMIZATION.name in metrics
    assert COMMAND.main(["--weights", "digits", "--images", str(pictures)]) == 2
    assert "--images goes with --weights imagenet" in capsys.readouterr().err


#: Commands ``python -m vgg.evaluate`` refuses, with a piece of the one line it answers.
#: PICTURES, EMPTY and NO_FILE stand for a folder with one picture, an empty folder and a
#: missing file (made per test).
REFUSED = {
    "patch-not-dividing-32": (["--patch", "5"], "--patch 5 must divide the 32 px input"),
    "patch-0": (["--patch", "0"], "--patch must be an integer ≥ 1"),
    "size-with-digits": (["--size", "64"], "--size goes with --images"),
    "target-with-digits": (["--target", "3"], "--target goes with --images"),
    "images-with-digits": (["--images", "PICTURES"], "--images goes with --weights imagenet"),
    "random-without-images": (["--weights", "random"], "--weights random needs --images"),
    "patch-not-dividing-size": (["--weights", "random", "--images", "PICTURES", "--size", "64",
                                 "--patch", "48"], "--patch 48 must divide the 64 px input"),
    "unknown-perturbation": (["--perturbation", "fog"], "invalid choice: 'fog'"),
    "unknown-class": (["--weights", "random", "--images", "PICTURES", "--target", "no-such"],
                      "unknown class name 'no-such'"),
    "missing-weights-file": (["--weights", "NO_FILE", "--images", "PICTURES"],
                             "no such weights file"),
    "missing-picture": (["--weights", "random", "--images", "NO_FILE"], "no such image file"),
    "folder-without-pictures": (["--weights", "random", "--images", "EMPTY"],
                                "--images: no image files found"),
}


def _listing(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (hidden ones too) with a file's bytes (None: a folder)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("out_state", ["absent", "holding-a-file"])
@pytest.mark.parametrize("case", list(REFUSED))
def test_4_evaluate_cli_refuses_a_bad_command_and_writes_nothing(
        tmp_path: Path, case: str, out_state: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A refused ``python -m vgg.evaluate … --out DIR``: exit status 2, one line on stderr
    (``python -m vgg.evaluate: error: …`` naming the mistake, no traceback), nothing on
    stdout, and ``DIR`` as it was: not created (nor its missing parents) where it was
    absent, every file byte for byte the same where it held the user's file — also for the
    mistakes found only after the output folder was tried (the pictures, the weights file): a
    folder holding the user's file is refused first then, before any work."""
    from conftest import picture

    work = tmp_path / "work"
    (work / "pictures").mkdir(parents=True)
    (work / "empty").mkdir()
    picture(work / "pictures")
    places = {"PICTURES": str(work / "pictures"), "EMPTY": str(work / "empty"),
              "NO_FILE": str(work / "missing.png")}
    argv, says = REFUSED[case]
    argv = [places.get(a, a) for a in argv]
    if out_state == "absent":
        out = tmp_path / "parent" / "plots"
    else:
        out = tmp_path / "plots"
        out.mkdir()
        (out / "thesis.txt").write_text("my own work\n")
    before = _listing(tmp_path)

    assert COMMAND.main([*argv, "--out", str(out)]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.endswith("\n") and printed.err.count("\n") == 1, printed.err
    folder_refused = "holds files this command did not write (thesis.txt)" in printed.err
    assert printed.err.startswith(f"{PROG}: error: "), printed.err
    assert says in printed.err or (out_state == "holding-a-file" and folder_refused), printed.err
    assert "Traceback" not in printed.err
    assert _listing(tmp_path) == before


def test_4_evaluate_refused_as_a_process_exits_2(tmp_path: Path) -> None:
    """The same as a real process: ``python -m vgg.evaluate --size 64 --out DIR`` (``--size``
    does not go with the digits network) exits with status 2, prints one line on stderr and
    nothing on stdout, and creates no ``DIR``."""
    out = tmp_path / "plots"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "vgg.evaluate", "--size", "64", "--out",
                           str(out)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"{PROG}: error: --size goes with --images")
    assert done.stderr.count("\n") == 1 and done.stderr.endswith("\n"), done.stderr
    assert list(tmp_path.iterdir()) == []
