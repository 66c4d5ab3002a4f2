"""``python -m vgg.bench`` judges a target only at the batch it is set for: at another batch
its figure is printed without a verdict (no "MISSED LRP ≤ 3.3 forward passes" at batch 1)."""

from __future__ import annotations

import pytest

from vgg.bench.report import TARGETS, report


def figures(batch: int) -> dict:
    return {
        "weights": "random weights (untrained network)", "image_size": 224, "dtype": "float32",
        "batch": batch, "device_name": "cpu", "repeats": 5, "memory": "peak RSS",
        "memory_runs": 3, "zennit": "zennit 0.5.1",
        "results": {name: {"median_s": 0.1, "min_s": 0.1, "peak_extra_bytes": 2**20,
                           "memory_runs": [2**20]}
                    for name in ("forward", "gradient_x_input", "lrp", "zennit")},
        "ratios": {"gxi_forwards": 2.0, "lrp_forwards": 3.6, "zennit_over_lrp": 4.0,
                   "lrp_memory_over_gxi": 1.2},
    }


def test_at_batch_1_the_batch_8_target_gets_no_verdict() -> None:
    text = report(figures(1))
    assert "MISSED" not in text and "LRP ≤ 3.3" not in text
    assert "LRP: 3.60 forward passes (no verdict: the target, ≤ 3.3, is set at batch 8)" in text
    assert "met Gradient × Input ≤ 2.3 forward passes: 2.00" in text  # set at any batch


@pytest.mark.parametrize(("lrp", "verdict"), [(3.6, "MISSED"), (3.1, "met")])
def test_at_batch_8_the_target_is_judged(lrp: float, verdict: str) -> None:
    data = figures(8)
    data["ratios"]["lrp_forwards"] = lrp
    assert f"{verdict} LRP ≤ 3.3 forward passes: {lrp:.2f}" in report(data)


def test_every_target_prints_one_line() -> None:
    lines = report(figures(8)).splitlines()
    assert sum(line.startswith(("met ", "MISSED ")) for line in lines) == len(TARGETS)
    assert "met LRP's speed-up over Zennit (Zennit time / LRP time) ≥ 3×: 4.00" in lines
