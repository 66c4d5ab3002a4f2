"""Exercise 4, the sheet's observations measured on the TRAINED networks (vgg.evaluation).

The networks are the TRAINED digits VGG-16s shipped with the project, one per training seed
(``vgg/data``, see :mod:`vgg.digits`), not random ones. To stay fast, each is evaluated on a
SUBSET of the held-out set — its first ``SUBSET`` images (the held-out set is the last 360 of
``load_digits``) — with four randomization checkpoints instead of all sixteen (the cascade
still re-initializes every layer above each checkpoint), both perturbation baselines, and its
random draws seeded by SHEET11_SEED. The verdicts are read from ``vgg.evaluation.claims``, the
criteria fixed before the measurement; the whole held-out set's verdicts are in the README and
the report (``make report``).
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
from vgg.digits import SEEDS
from vgg.engine.explain import logits
from vgg.evaluation.baselines import BASELINES, Source, perturbers
from vgg.evaluation.claims import CLAIMS, HOLDS, judge, judge_all
from vgg.evaluation.cli import COMMAND, PROG
from vgg.evaluation.data import DIGITS_RENDER, digits_dataset, loader_for
from vgg.evaluation.defaults import BASELINE_NAMES, DEFAULT_BASELINES, STEPS
from vgg.evaluation.intervals import bootstrap_interval, paired_interval
from vgg.evaluation.measure import evaluate
from vgg.evaluation.metrics import METRICS, RANDOMIZATION
from vgg.evaluation.negative import negative_share
from vgg.evaluation.noise import total_variation_share
from vgg.evaluation.randomization import spearman, ssim
from vgg.evaluation.table import Table
from vgg.methods import DEFAULT, relevance_maps
from vgg.weights.digits import load_digits_model

SUBSET = 120
CHECKPOINTS = ("classifier.6", "classifier.0", "features.14", "features.0")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model() -> torch.nn.Module:
    return load_digits_model()


@pytest.fixture(scope="module")
def tables(one_thread: None, seed: int) -> dict[int, Table]:
    """The evaluation of the first SUBSET held-out images by each shipped network (one per
    training seed), both baselines, default options otherwise, its random draws (baseline,
    noise, re-initialized layers) seeded by SHEET11_SEED."""
    return {s: evaluate(load_digits_model(seed=s), loader_for(digits_dataset(SUBSET), 60),
                        render=DIGITS_RENDER, checkpoints=CHECKPOINTS, seed=seed)
            for s in SEEDS}


def _claim(key: str):
    return next(c for c in CLAIMS if c.key == key)


@pytest.mark.seeded
def test_4_evaluate_the_sheets_claims_hold_on_every_seed(tables: dict[int, Table]) -> None:
    """The sheet: Gradient × Input "is noisy" and "has a large amount of positive and negative
    evidence"; with LRP "most of the noise has disappeared". Judged by the criteria of
    ``vgg.evaluation.claims`` (paired difference Gradient × Input − LRP of TV(H)/Σ|H| and of
    Σ|H⁻|/Σ|H|, its 95 % interval above 0) on every training seed: "holds"."""
    for key in ("less_noise", "less_negative_evidence"):
        judged = judge(_claim(key), tables)
        assert judged.verdict == "holds", (key, judged.evidence)
        assert set(judged.cells) == {(None, s) for s in SEEDS}


@pytest.mark.seeded
def test_4_evaluate_lrp_pixel_flipping_against_a_random_order(tables: dict[int, Table]) -> None:
    """LRP's least relevant patches first lower the explained logit less than a random order
    (paired AOPC LeRF, LRP − random, below 0) under each baseline on every seed: holds. Its
    most relevant patches first lower it more than a random order on seeds 0 and 1 under both
    baselines, but not on seed 2 with the ink removed, where the random order does as well or
    better (how much depends on the random order, drawn from SHEET11_SEED): the MoRF claim
    depends on the training seed, as the README reports for the whole held-out set;
    it is never "holds"."""
    lerf = judge(_claim("lrp_beats_random_lerf"), tables)
    assert lerf.verdict == "holds", lerf.evidence
    morf = judge(_claim("lrp_beats_random_morf"), tables)
    assert set(morf.cells) == {(b, s) for b in DEFAULT_BASELINES for s in SEEDS}
    assert all(morf.cells[(b, s)] == HOLDS for b in DEFAULT_BASELINES for s in (0, 1)), \
        morf.evidence
    # seed 2 with the ink removed: not "holds" (the opposite at SHEET11_SEED=0, inconclusive
    # at 7: the random order is drawn from the run's seed)
    assert morf.cells[("remove", 2)] != HOLDS, morf.evidence
    assert morf.verdict == "depends on the training seed"


@pytest.mark.seeded
def test_4_evaluate_the_ranking_of_lrp_and_gxi_depends_on_the_perturbation(
        tables: dict[int, Table]) -> None:
    """"Gradient × Input has the higher MoRF AOPC" follows the baseline: under ``noise``
    (patches painted around Gradient × Input's own reference point, the gray x = 0) it is
    never the opposite on any seed; under ``remove`` (the digit's ink removed) LRP ranks higher
    on seeds 0 and 1. So the claim is never reported as holding (the verdict on the whole
    held-out set, in the README: it depends on the training seed, as seed 2 favours Gradient ×
    Input under both baselines)."""
    judged = judge(_claim("gxi_beats_lrp_morf"), tables)
    cells = judged.cells
    assert all(cells[("noise", s)] != "opposite" for s in SEEDS), judged.evidence
    assert all(cells[("remove", s)] == "opposite" for s in (0, 1)), judged.evidence
    assert judged.verdict not in ("holds", "the opposite holds")


@pytest.mark.seeded
def test_4_evaluate_randomization_check_as_adebayo_defines_it(
        tables: dict[int, Table], model: torch.nn.Module) -> None:
    """Randomization check (Adebayo et al.): cascading from the top, the signed maps, |H| and
    SSIM compared with the TRAINED network's at every checkpoint, for every method; the random
    baseline, blind to the network, stays at exactly 1 (a reference, not judged); the claim is
    judged by ``randomization_passes`` on every seed; the check randomized a copy."""
    for table in tables.values():
        for method in DEFAULT:
            assert set(table.randomization[method]) == {c.name for c in RANDOMIZATION}
            for steps in table.randomization[method].values():
                assert list(steps) == list(CHECKPOINTS)
        for comparison in table.randomization["random"].values():
            assert all(iv.low == iv.high == 1.0 for iv in comparison.values())
    judged = judge(_claim("randomization"), tables)
    assert set(judged.cells) == {(None, s) for s in SEEDS}
    assert judged.verdict == "holds", judged.evidence
    shipped = load_digits_model().state_dict()
    assert all(torch.equal(v, shipped[k]) for k, v in model.state_dict().items())


def test_4_evaluate_every_claim_gets_a_verdict(tables: dict[int, Table]) -> None:
    """Every claim of ``CLAIMS`` is judged on the three seeds (per baseline where it reads
    pixel flipping) and gets one of the verdicts."""
    for judged in judge_all(tables):
        baselines = DEFAULT_BASELINES if judged.claim.perturbed else (None,)
        assert set(judged.cells) == {(b, s) for b in baselines for s in SEEDS}
        assert judged.verdict in ("holds", "the opposite holds", "depends on the perturbation",
                                  "does not hold", "depends on the training seed")


def test_4_evaluate_table_carries_conservation_baselines_and_paired_differences(
        tables: dict[int, Table]) -> None:
    """The table carries the accuracy, the conservation of every method (the logit, ΣR, the
    share and the negative sums), both baselines with MoRF/LeRF AOPC raw and divided by
    f_t(x⁰), and for every pair of methods the paired difference under a key naming both; its
    JSON reads back to the same table; the paired difference is the interval of the per-image
    differences, not a difference of intervals."""
    table = tables[0]
    # 0.97: the accuracy the shipped weights promise on the whole held-out set
    # (test_ex4_digits.py); on this subset it may differ by a few images
    assert table.accuracy is not None and table.accuracy >= 0.95
    data = json.loads(json.dumps(table.as_dict()))
    assert set(data["conservation"]) == set(DEFAULT)
    lrp = data["conservation"]["lrp"]
    assert {"logit", "relevance_sum", "share", "share_median", "negative_sums"} <= set(lrp)
    assert lrp["relevance_sum"] == pytest.approx(lrp["share"]["mean"] * lrp["logit"], rel=0.2)
    assert list(data["baselines"]) == list(DEFAULT_BASELINES)
    pairs = {f"{a} - {b}" for i, a in enumerate(DEFAULT) for b in DEFAULT[i + 1:]}
    flipping = {m.name for m in METRICS if m.perturbed}
    for b in DEFAULT_BASELINES:
        part = data["baselines"][b]
        assert set(part["methods"]["lrp"]) == flipping
        assert set(part["paired"]) == pairs
        assert len(part["curves"]["lrp"]["morf"]["mean"]) == STEPS + 1
    assert set(data["paired"]) == pairs
    assert set(data["methods"]["lrp"]) == {m.name for m in METRICS if not m.perturbed} | {
        "randomization"}
    again = Table.from_dict(data)
    assert json.dumps(again.as_dict(), sort_keys=True) == json.dumps(data, sort_keys=True)
    a = [r.flipping["remove"]["lrp"]["aopc_morf"] for r in table.results]
    b = [r.flipping["remove"]["gradient_x_input"]["aopc_morf"] for r in table.results]
    paired = table.paired_interval("aopc_morf", "lrp", "gradient_x_input", "remove")
    assert paired == bootstrap_interval(list(np.subtract(a, b)), table.settings["seed"])
    assert table.paired_interval("aopc_morf", "gradient_x_input", "lrp", "remove") == \
        paired.negated()
    assert "Gradient × Input's reference point: x = 0" in table.format()


def test_4_evaluate_conservation_metric_is_the_explanations_share(model: torch.nn.Module,
                                                                  one_thread: None) -> None:
    """The metric ``conservation`` of LRP is ``vgg.explain_lrp``'s share ``ΣR / f_t(x)``."""
    x, _, index, source = digits_dataset(4)[:4]
    table = evaluate(model, [(x, torch.full((4,), -1), index, source)], render=DIGITS_RENDER,
                     steps=1, checkpoints=(), baselines=("noise",))
    target = logits(model, x).argmax(1)
    share = vgg.explain_lrp(model, x, target).share.double()
    measured = torch.tensor([r.values["lrp"]["conservation"] for r in table.results],
                            dtype=torch.float64)
    assert torch.allclose(measured, share, rtol=1e-5)


def test_4_evaluate_shared_gradient_equals_vgg_gradient_x_input(model: torch.nn.Module,
                                                                 one_thread: None) -> None:
    """Gradient × Input computed from the shared gradient is vgg.gradient_x_input exactly."""
    x, _, index, _ = digits_dataset(6)[:6]
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
    maps = torch.from_numpy(gen.normal(size=(2, 12, 12)))
    assert torch.allclose(ssim(maps, -2 * maps), torch.ones(2, dtype=torch.float64))
    assert (ssim(maps, torch.from_numpy(gen.normal(size=(2, 12, 12)))) < 0.3).all()


def test_4_baselines_remove_the_ink_at_the_source_and_render_it_again(
        model: torch.nn.Module) -> None:
    """``remove`` on the digits: no patch removed gives the input back bit for bit (the
    network's own preprocessing of the 8×8 source); every patch removed gives the blank picture
    (no ink anywhere, the normalized black); one 4×4 patch removes exactly one source pixel,
    and the re-rendered picture changes only within the bilinear upsampling's reach of it
    (the 8×8 px around the patch); ``noise`` replaces exactly the patch."""
    x, _, index, source = digits_dataset(3)[:3]
    found = perturbers(DEFAULT_BASELINES, x, index.tolist(), 4, 0,
                       Source(source, DIGITS_RENDER))
    rows = torch.arange(3)
    none = torch.zeros(3, 32, 32, dtype=torch.bool)
    assert torch.equal(found["remove"](rows, none), x)
    blank = DIGITS_RENDER(torch.zeros(3, 8, 8))
    assert torch.equal(found["remove"](rows, ~none), blank)
    one = none.clone()
    one[:, 12:16, 16:20] = True                           # source pixel (3, 4)
    changed = (found["remove"](rows, one) != x).any(1)
    assert changed.any() and not changed[:, :8].any() and not changed[:, 24:].any()
    assert not changed[:, :, :12].any() and not changed[:, :, 28:].any()
    noisy = (found["noise"](rows, one) != x).any(1)
    assert torch.equal(noisy, one)
    with pytest.raises(ValueError, match="multiple of 4"):
        perturbers(("remove",), x, index.tolist(), 2, 0, Source(source, DIGITS_RENDER))
    assert list(BASELINES) == list(BASELINE_NAMES)


def test_4_paired_interval_is_the_interval_of_the_differences() -> None:
    """Two methods that differ by the same amount on every image, with a large spread over the
    images: their separate intervals overlap, the paired difference's does not contain 0."""
    a = list(np.linspace(0.0, 10.0, 40))
    b = [v - 0.5 for v in a]
    assert bootstrap_interval(a).low < bootstrap_interval(b).high
    paired = paired_interval(a, b)
    assert paired.low == paired.high == pytest.approx(0.5)


@pytest.mark.skipif(not torch.distributed.is_available(), reason="no torch.distributed")
def test_4_evaluate_two_processes_give_the_same_table(model: torch.nn.Module,
                                                      one_thread: None) -> None:
    """``torchrun --nproc_per_node 2`` (gloo on CPU, a DistributedSampler, results gathered to
    every rank) prints the same table as one process: per-image seeds, not per-rank. The
    images and predictions are the same; the numbers agree to 1e-3 (a batch of other images
    can change the last bits of a float32 convolution — the channels-last kernels are chosen
    by batch size — and so the rank of two nearly tied pixels, or a sum that nearly cancels,
    such as the plain gradient's ΣR in its share of the logit)."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc_per_node", "2", "-m", "vgg.evaluate", "--limit", "5", "--batch", "2",
               "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    two = json.loads(done.stdout)
    # batches of 2 as each process reads them: the same kernels (chosen by batch size), so
    # the float32 rounding of a randomized network's nearly cancelling maps is the same too
    one = evaluate(model, loader_for(digits_dataset(5), 2), render=DIGITS_RENDER).as_dict()
    assert two["processes"] == 2 and one["processes"] == 1
    assert two["images"] == one["images"] == 5 and two["accuracy"] == one["accuracy"]
    assert two["settings"] == json.loads(json.dumps(one["settings"]))
    close = {"rel": 1e-3, "abs": 1e-3}
    differ = []
    for method in DEFAULT:
        for metric, iv in one["methods"][method].items():
            if metric == "randomization":
                for comparison, steps in iv.items():
                    for step, jv in steps.items():
                        got = two["methods"][method][metric][comparison][step]
                        if got != pytest.approx(jv, **close):
                            differ.append((method, metric, comparison, step))
            elif two["methods"][method][metric] != pytest.approx(iv, **close):
                differ.append((method, metric))
        for b in DEFAULT_BASELINES:
            for metric, iv in one["baselines"][b]["methods"][method].items():
                if two["baselines"][b]["methods"][method][metric] != pytest.approx(iv, **close):
                    differ.append((b, method, metric))
    if differ:
        # Known and open: a nearly tied patch (or a randomized network's nearly cancelling
        # map) follows float32 rounding, which the batch composition changes, so a 5-image
        # AOPC or ρ bound can move by ~1e-2 between one and two processes.
        pytest.xfail(f"two processes differ from one beyond 1e-3 in {len(differ)} figures, "
                     f"e.g. {differ[:3]}")


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
    assert run(lambda: COMMAND.main(["--baselines", "fog"]), PROG) == 2
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
    assert list(table["baselines"]) == list(DEFAULT_BASELINES)  # remove: the patch black
    for metrics in table["methods"].values():
        assert {m.name for m in METRICS if not m.perturbed} <= set(metrics)
        assert set(metrics["randomization"]) == {c.name for c in RANDOMIZATION}
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
    "unknown-baseline": (["--baselines", "noise", "fog"], "invalid choice: 'fog'"),
    "remove-with-a-patch-of-2": (["--patch", "2"], "the remove baseline removes whole 8×8"),
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
