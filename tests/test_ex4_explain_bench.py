"""The benchmark command ``python -m vgg.bench``: it runs end to end on a small image and
refuses bad input with one message and exit status 2. (Its speed and memory targets are
figures it prints, not assertions here: timings on a shared machine are no test.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from vgg import bench


def test_4_bench_prints_and_writes_every_figure(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A 32×32 run (random weights) prints one row per method and the four verdicts, and
    writes the same figures as JSON; the memory figures are positive."""
    out = tmp_path / "bench.json"
    assert bench.main(["--size", "32", "--repeats", "1", "--device", "cpu",
                       "--json", str(out)]) == 0
    printed = capsys.readouterr().out
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
    """The CPU peak-memory probe reports an allocation of a known size (4 MiB of float32,
    freed before the end) to within 1 %."""
    def allocate() -> None:
        t = torch.ones(1024, 1024)
        del t

    peak = bench.peak_extra_bytes(allocate, torch.device("cpu"))
    assert abs(peak - 4 * 2**20) <= 0.01 * 4 * 2**20


@pytest.mark.parametrize("argv", [
    ["--size", "16"],
    ["--batch", "0"],
    ["--repeats", "x"],
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


def test_4_bench_says_why_zennit_was_not_compared(capsys: pytest.CaptureFixture[str]) -> None:
    """With --no-zennit the printout says the comparison was skipped (not "not installed")."""
    assert bench.main(["--size", "32", "--repeats", "1", "--device", "cpu", "--no-zennit"]) == 0
    printed = capsys.readouterr().out
    assert "Zennit: skipped (--no-zennit), not compared" in printed
    assert "not installed" not in printed
