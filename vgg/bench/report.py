"""The benchmark's figures as the printed table and the verdicts on its targets."""

from __future__ import annotations

from vgg.methods import METHODS, SHOWN

#: The targets of the issue, as (name, measured key, bound) for the printed verdicts; the
#: bound is a minimum for ``zennit_over_lrp``, a maximum for the others.
TARGETS = (
    ("Gradient × Input ≤ 2.3 forward passes", "gxi_forwards", 2.3),
    ("LRP ≤ 3.3 forward passes (the target is set at batch 8)", "lrp_forwards", 3.3),
    ("LRP ≥ 3× faster than Zennit (Zennit time / LRP time)", "zennit_over_lrp", 3.0),
    ("LRP peak extra memory ≤ 1.5× Gradient × Input's", "lrp_memory_over_gxi", 1.5),
)

#: The rows' labels, by what was measured.
LABELS = {"forward": "forward (inference)", **{name: METHODS[name].long_label for name in SHOWN},
          "zennit": "Zennit LRP (same)"}


def report(figures: dict[str, object]) -> str:
    """The figures as the printed table and verdicts."""
    results: dict[str, dict[str, object]] = figures["results"]  # type: ignore[assignment]
    ratios: dict[str, float] = figures["ratios"]  # type: ignore[assignment]
    fwd = float(results["forward"]["median_s"])  # type: ignore[arg-type]
    fwd_min = float(results["forward"]["min_s"])  # type: ignore[arg-type]
    gxi_mem = max(int(results["gradient_x_input"]["peak_extra_bytes"]), 1)  # type: ignore[call-overload]
    load = figures.get("load_average")
    lines = [
        f"VGG-16, {figures['weights']}; {figures['image_size']}×{figures['image_size']} "
        f"{figures['dtype']}, batch {figures['batch']}, {figures['device_name']}, "
        f"median of {figures['repeats']} runs"
        + (f", load average {load[0]:.1f} at the end" if isinstance(load, list) else ""),
        f"peak extra memory: {figures['memory']} (median of {figures['memory_runs']})",
        f"{'method':<22}{'median s':>10}{'× forward':>11}{'(fastest)':>11}{'peak extra MiB':>16}"
        f"{'× GxI mem':>11}",
    ]
    for name, r in results.items():
        t, mem = float(r["median_s"]), int(r["peak_extra_bytes"])  # type: ignore[arg-type, call-overload]
        fastest = float(r["min_s"]) / fwd_min  # type: ignore[arg-type]
        vs_gxi = "(own)" if name == "forward" else f"{mem / gxi_mem:.2f}"
        lines.append(f"{LABELS[name]:<22}{t:>10.4f}{t / fwd:>11.2f}{fastest:>11.2f}"
                     f"{mem / 2**20:>16.1f}{vs_gxi:>11}")
    spread = [f"{LABELS[name]} " + "/".join(f"{m / 2**20:.0f}" for m in r["memory_runs"])
              for name, r in results.items() if name != "forward"]  # type: ignore[union-attr]
    lines.append(f"peak extra MiB of each fresh process: {'; '.join(spread)}")
    if "zennit_over_lrp" not in ratios:
        lines.append(f"Zennit: {figures['zennit']}, not compared")
    for text, key, bound in TARGETS:
        if key in ratios:
            value = ratios[key]
            ok = value >= bound if key == "zennit_over_lrp" else value <= bound
            lines.append(f"{'met ' if ok else 'MISSED'} {text}: {value:.2f}")
    return "\n".join(lines)


__all__ = ["LABELS", "TARGETS", "report"]
