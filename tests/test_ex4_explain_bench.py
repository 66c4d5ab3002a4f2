"""The benchmark command ``python -m vgg.bench``: it runs end to end on a small image and
refuses bad input with one message and exit status 2. (Its speed and memory targets are
figures it prints, not assertions here: timings on a shared machine are no test.) Also the
structural fact behind its memory figure: LRP keeps for the backward pass what Gradient ×
Input keeps, and the bounds."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from torch import nn
from torchvision.models import vgg16

from vgg import gradient_x_input, lrp
from vgg.bench import cli as bench


def test_4_bench_prints_and_writes_every_figure(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A 32×32 run (random weights) prints one row per method and the four verdicts, and
    writes the same figures as JSON; the memory figures are positive; progress (each timing
    round, each memory probe) went to stderr as it ran."""
    out = tmp_path / "bench.json"
    assert bench.main(["--size", "32", "--repeats", "1", "--memory-runs", "1",
                       "--device", "cpu", "--json", str(out)]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    for step in ("warm-up round", "round 1/1", "memory of lrp: fresh process 1/1",
                 "memory of zennit"):
        assert step in captured.err
    assert "random" in printed and "untrained" in printed
    for label in ("forward (inference)", "Gradient × Input", "LRP (z^B + γ)", "Zennit"):
        assert label in printed
    assert printed.count("forward passes") == 2
    figures = json.loads(out.read_text())
    assert set(figures["results"]) == {"forward", "gradient_x_input", "lrp", "zennit"}
    assert all(r["median_s"] > 0 and r["peak_extra_bytes"] > 0
               for r in figures["results"].values())
    assert {"gxi_forwards", "lrp_forwards", "zennit_over_lrp",
            "lrp_memory_over_gxi"} <= set(figures["ratios"])
    assert not [p for p in tmp_path.iterdir() if p.name != "bench.json"]


def test_4_bench_peak_memory_sees_a_known_allocation() -> None:
    """The CPU peak-memory probe (growth of the peak resident set size, VmHWM) reports an
    allocation of a known size (64 MiB of float32, written, freed before the end) to within
    1 %, measured as the bench measures: in a fresh process (a long-lived one may serve even a
    large allocation from memory it already holds), after the first call's one-time costs
    (torch's lazy set-up; in the bench the forward passes come first), from the peak reset to
    what is in use. 64 MiB is above glibc's largest mmap threshold, so the pages are new ones,
    not slack of the heap."""
    code = textwrap.dedent("""
        import torch
        from vgg.bench import measure as bench

        def allocate():
            t = torch.ones(16 * 1024, 1024)
            del t

        cpu = torch.device("cpu")
        allocate()
        bench.reset_peak(cpu)
        print(bench.peak_extra_bytes(allocate, cpu))
    """)
    root = Path(bench.__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, check=True)
    peak = int(done.stdout.split()[-1])
    assert abs(peak - 64 * 2**20) <= 0.01 * 64 * 2**20


@pytest.mark.parametrize("argv", [
    ["--size", "16"],
    ["--batch", "0"],
    ["--repeats", "x"],
    ["--memory-runs", "0"],
    ["--json", "/nonexistent-folder/out.json"],
    *([["--device", "cuda"]] if not torch.cuda.is_available() else []),
])
def test_4_bench_bad_input_exits_2_with_one_message(argv: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    try:
        status = bench.main(argv)
    except SystemExit as exit_:
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_4_bench_help_gives_each_default_and_the_duration(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` names the default of every option and roughly how long a run takes."""
    assert bench.main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--batch", "--device", "--repeats", "--memory-runs", "--size", "--no-zennit",
                   "--json"):
        assert option in out
    assert out.count("(default:") == 7
    assert "minutes" in out


def test_4_bench_says_why_zennit_was_not_compared(capsys: pytest.CaptureFixture[str]) -> None:
    """With --no-zennit the printout says the comparison was skipped (not "not installed")."""
    assert bench.main(["--size", "32", "--repeats", "1", "--memory-runs", "1", "--device", "cpu",
                       "--no-zennit"]) == 0
    printed = capsys.readouterr().out
    assert "Zennit: skipped (--no-zennit), not compared" in printed
    assert "not installed" not in printed


def saved_bytes(method, model: nn.Module, x: torch.Tensor) -> int:
    """Bytes of the distinct storages autograd keeps for ``method``'s backward pass, the
    model's parameters left out."""
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    found: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in params:
            found[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        method(model, x, 3)
    return sum(found.values())


def test_4_lrp_keeps_what_gradient_x_input_keeps_and_the_bounds() -> None:
    """LRP's modified layers keep no ratio, stacked input or weight copy for the backward
    pass: what autograd keeps is Gradient × Input's (one tensor per layer) plus the two
    bounds l, h shaped like x (VGG-16, random weights, 32×32, batch 2)."""
    torch.manual_seed(0)
    model = vgg16().eval()
    x = torch.randn(2, 3, 32, 32)
    gxi = saved_bytes(gradient_x_input, model, x)
    assert gxi > 0
    assert saved_bytes(lrp, model, x) <= gxi + 2 * x.nbytes
