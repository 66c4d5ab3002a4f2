"""The benchmark's figures as the printed table and the verdicts on its targets.

A target is judged only at the batch it is set for (:attr:`Target.batch`); at another batch
its figure is printed without a verdict:

>>> lrp = Target("LRP", " forward passes", "lrp_forwards", 3.3, batch=8)
>>> lrp.verdict(2.91, batch=8), lrp.verdict(3.5, batch=8)
('met LRP ≤ 3.3 forward passes: 2.91', 'MISSED LRP ≤ 3.3 forward passes: 3.50')
>>> lrp.verdict(2.91, batch=1)
'LRP: 2.91 forward passes (no verdict: the target, ≤ 3.3, is set at batch 8)'
"""

from __future__ import annotations

from dataclasses import dataclass

from vgg.methods import METHODS, SHOWN


@dataclass(frozen=True)
class Target:
    """``what`` (the thing measured) is at most ``bound`` ``unit`` (at least, where
    ``at_least``), the figure ``key`` of the bench's ratios; ``batch``: the one batch size
    the target is set for (None: any)."""

    what: str
    unit: str
    key: str
    bound: float
    at_least: bool = False
    batch: int | None = None

    @property
    def text(self) -> str:
        """``LRP ≤ 3.3 forward passes``."""
        return f"{self.what} {'≥' if self.at_least else '≤'} {self.bound:g}{self.unit}"

    def verdict(self, value: float, batch: int) -> str:
        """The printed line: ``met``/``MISSED`` and the figure, or the figure alone at a batch
        the target is not set for."""
        if self.batch is not None and batch != self.batch:
            return (f"{self.what}: {value:.2f}{self.unit} (no verdict: the target, "
                    f"{'≥' if self.at_least else '≤'} {self.bound:g}, is set at batch "
                    f"{self.batch})")
        ok = value >= self.bound if self.at_least else value <= self.bound
        return f"{'met' if ok else 'MISSED'} {self.text}: {value:.2f}"


#: The targets of the issue, for the printed verdicts.
TARGETS = (
    Target("Gradient × Input", " forward passes", "gxi_forwards", 2.3),
    Target("LRP", " forward passes", "lrp_forwards", 3.3, batch=8),
    Target("LRP's speed-up over Zennit (Zennit time / LRP time)", "×", "zennit_over_lrp", 3.0,
           at_least=True),
    Target("LRP's peak extra memory over Gradient × Input's", "×", "lrp_memory_over_gxi", 1.5),
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
    lines += [t.verdict(ratios[t.key], int(figures["batch"]))  # type: ignore[call-overload]
              for t in TARGETS if t.key in ratios]
    return "\n".join(lines)


__all__ = ["LABELS", "TARGETS", "Target", "report"]
