r"""Benchmark: one forward pass, Gradient × Input, LRP and Zennit's LRP on VGG-16.

``python -m vgg.bench [--batch N] [--device auto|cpu|cuda] [--repeats R] [--size S]
[--json FILE]`` times, on a VGG-16 with random (seeded, untrained) weights — the figures
depend on the architecture, not on the weights — and a random float32 batch:

- ``forward``: ``model(x)`` in inference mode, the unit of time;
- ``gradient_x_input`` and ``lrp`` (:mod:`vgg.explain`), in units of that forward pass;
- ``zennit``: the same LRP by Zennit (:func:`vgg.reference.zennit_lrp`, when installed).

Each time is the median of ``R`` runs, the methods taking turns so that a busy machine
slows them alike; the fastest run of each is printed too (on a shared machine, the ratios of
the fastest runs show the cost without the neighbours' load). Peak extra memory is measured
in a separate, untimed run of each method: on CUDA ``torch.cuda.max_memory_allocated`` over
what was allocated before; on CPU the running sum of the allocations and frees torch's CPU
allocator reports to ``torch.profiler`` (``profile_memory=True``), over the start — tensors
only, so memory oneDNN takes for itself is not counted.

Targets (2-core CPU, batch 1 and 8): Gradient × Input ≤ 2.3 forward passes, LRP ≤ 3.3,
LRP ≥ 3× faster than Zennit, LRP's peak extra memory ≤ 2× that of Gradient × Input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import Tensor, nn

from clitools import Staged, UsageError, integer_at_least
from vgg.explain import gradient_x_input, lrp
from vgg.pipeline import pick_device

#: The targets of the issue, as (name, measured key, bound) for the printed verdicts.
TARGETS = (
    ("Gradient × Input ≤ 2.3 forward passes", "gxi_forwards", 2.3),
    ("LRP ≤ 3.3 forward passes", "lrp_forwards", 3.3),
    ("LRP ≥ 3× faster than Zennit (Zennit time / LRP time)", "zennit_over_lrp", 3.0),
    ("LRP peak extra memory ≤ 2× Gradient × Input's", "lrp_memory_over_gxi", 2.0),
)


@dataclass(frozen=True)
class Result:
    """One method's figures: median and fastest seconds, runs, and peak extra memory in bytes."""

    method: str
    median_s: float
    min_s: float
    runs: list[float]
    peak_extra_bytes: int


def synchronize(device: torch.device) -> None:
    """Wait for queued CUDA work (no-op on CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence file descriptor 2 (the profiler's C++ log lines) for the duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def peak_extra_bytes(fn: Callable[[], object], device: torch.device) -> int:
    """Peak memory ``fn`` allocates on ``device`` beyond what was allocated before it ran."""
    if device.type == "cuda":
        synchronize(device)
        before = torch.cuda.memory_allocated(device)
        torch.cuda.reset_peak_memory_stats(device)
        fn()
        synchronize(device)
        return torch.cuda.max_memory_allocated(device) - before
    from torch.profiler import ProfilerActivity, profile

    with quiet_stderr(), profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        fn()
    events = sorted(
        (e.start_ns(), e.nbytes())
        for e in prof.profiler.kineto_results.events()  # type: ignore[union-attr]
        if e.name() == "[memory]" and e.device_type() == torch.autograd.DeviceType.CPU
    )
    total = peak = 0
    for _, nbytes in events:
        total += nbytes
        peak = max(peak, total)
    return peak


def time_methods(methods: dict[str, Callable[[], object]], repeats: int,
                 device: torch.device) -> dict[str, list[float]]:
    """Seconds per run of each method, ``repeats`` rounds after one warm-up round, the
    methods taking turns within each round."""
    runs: dict[str, list[float]] = {name: [] for name in methods}
    for round_ in range(repeats + 1):
        for name, fn in methods.items():
            synchronize(device)
            start = time.perf_counter()
            fn()
            synchronize(device)
            if round_:
                runs[name].append(time.perf_counter() - start)
    return runs


def zennit_available() -> bool:
    """Whether Zennit can be imported."""
    try:
        import zennit  # noqa: F401
    except ImportError:
        return False
    return True


def run(batch: int, device: torch.device, repeats: int, size: int = 224,
        seed: int = 0, with_zennit: bool = True) -> dict[str, object]:
    """All figures of the benchmark, as a JSON-ready dictionary."""
    from torchvision.models import vgg16

    torch.manual_seed(seed)
    model: nn.Module = vgg16().eval().to(device)
    x = torch.randn(batch, 3, size, size, device=device)
    target = torch.randint(0, 1000, (batch,), device=device)

    def forward() -> Tensor:
        with torch.inference_mode():
            return model(x)

    methods: dict[str, Callable[[], object]] = {
        "forward": forward,
        "gradient_x_input": lambda: gradient_x_input(model, x, target),
        "lrp": lambda: lrp(model, x, target),
    }
    zennit = "skipped (--no-zennit)"
    if with_zennit:
        zennit = "compared" if zennit_available() else "not installed (pip install zennit==0.5.1)"
    if zennit == "compared":
        from vgg.reference import zennit_lrp

        methods["zennit"] = lambda: zennit_lrp(model, x, target)

    runs = time_methods(methods, repeats, device)
    results = {
        name: Result(name, statistics.median(runs[name]), min(runs[name]), runs[name],
                     peak_extra_bytes(fn, device))
        for name, fn in methods.items()
    }
    fwd = results["forward"].median_s
    ratios: dict[str, float] = {
        "gxi_forwards": results["gradient_x_input"].median_s / fwd,
        "lrp_forwards": results["lrp"].median_s / fwd,
        "lrp_memory_over_gxi": (results["lrp"].peak_extra_bytes
                                / max(results["gradient_x_input"].peak_extra_bytes, 1)),
    }
    if "zennit" in results:
        ratios["zennit_forwards"] = results["zennit"].median_s / fwd
        ratios["zennit_over_lrp"] = results["zennit"].median_s / results["lrp"].median_s
        ratios["zennit_memory_over_lrp"] = (results["zennit"].peak_extra_bytes
                                            / max(results["lrp"].peak_extra_bytes, 1))
    return {
        "weights": "random (seeded, untrained VGG-16: timing only)",
        "image_size": size,
        "batch": batch,
        "dtype": "float32",
        "device": device.type,
        "device_name": (torch.cuda.get_device_name(device) if device.type == "cuda"
                        else f"cpu ({torch.get_num_threads()} threads)"),
        "repeats": repeats,
        "torch": torch.__version__,
        "results": {name: asdict(r) for name, r in results.items()},
        "ratios": ratios,
        "zennit": zennit,
    }


def report(figures: dict[str, object]) -> str:
    """The figures as the printed table and verdicts."""
    results: dict[str, dict[str, object]] = figures["results"]  # type: ignore[assignment]
    ratios: dict[str, float] = figures["ratios"]  # type: ignore[assignment]
    fwd = float(results["forward"]["median_s"])  # type: ignore[arg-type]
    fwd_min = float(results["forward"]["min_s"])  # type: ignore[arg-type]
    gxi_mem = max(int(results["gradient_x_input"]["peak_extra_bytes"]), 1)  # type: ignore[call-overload]
    lines = [
        f"VGG-16, {figures['weights']}; {figures['image_size']}×{figures['image_size']} "
        f"{figures['dtype']}, batch {figures['batch']}, {figures['device_name']}, "
        f"median of {figures['repeats']} runs",
        f"{'method':<22}{'median s':>10}{'× forward':>11}{'(fastest)':>11}{'peak extra MiB':>16}"
        f"{'× GxI mem':>11}",
    ]
    labels = {"forward": "forward (inference)", "gradient_x_input": "Gradient × Input",
              "lrp": "LRP (z^B + γ)", "zennit": "Zennit LRP (same)"}
    for name, r in results.items():
        t, mem = float(r["median_s"]), int(r["peak_extra_bytes"])  # type: ignore[arg-type, call-overload]
        fastest = float(r["min_s"]) / fwd_min  # type: ignore[arg-type]
        lines.append(f"{labels[name]:<22}{t:>10.4f}{t / fwd:>11.2f}{fastest:>11.2f}"
                     f"{mem / 2**20:>16.1f}{mem / gxi_mem:>11.2f}")
    if "zennit_over_lrp" not in ratios:
        lines.append(f"Zennit: {figures['zennit']}, not compared")
    for text, key, bound in TARGETS:
        if key in ratios:
            value = ratios[key]
            ok = value >= bound if key == "zennit_over_lrp" else value <= bound
            lines.append(f"{'met ' if ok else 'MISSED'} {text}: {value:.2f}")
    return "\n".join(lines)


def write_json(path: Path, figures: dict[str, object]) -> None:
    """Write ``figures`` to ``path`` all or nothing (:class:`clitools.Staged`)."""
    with Staged() as stage:
        stage.path(path).write_text(json.dumps(figures, indent=2))


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m vgg.bench", description=__doc__.split("\n")[0])
    p.add_argument("--batch", type=integer_at_least(1, "--batch"), default=1,
                   help="batch size (default 1)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--repeats", type=integer_at_least(1, "--repeats"), default=5,
                   help="timed runs per method")
    p.add_argument("--size", type=integer_at_least(1, "--size"), default=224,
                   help="image side in px (default 224)")
    p.add_argument("--no-zennit", action="store_true", help="skip the Zennit comparison")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; usage errors print one line on stderr and return 2."""
    args = parser().parse_args(argv)
    try:
        if args.size < 32:
            raise SystemExit(f"error: --size must be at least 32 (VGG-16 halves it five "
                             f"times), got {args.size}")
        if args.json is not None and not args.json.parent.is_dir():
            raise SystemExit(f"error: cannot write {args.json}: no folder {args.json.parent}")
        device = pick_device(args.device)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
    figures = run(args.batch, device, args.repeats, args.size, with_zennit=not args.no_zennit)
    print(report(figures))
    if args.json is not None:
        try:
            write_json(args.json, figures)
        except OSError as error:
            print(f"error: cannot write {args.json}: {error.strerror or error}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
