r"""Benchmark: one forward pass, Gradient × Input, LRP and Zennit's LRP on VGG-16.

``python -m vgg.bench [--batch N] [--device auto|cpu|cuda] [--repeats R] [--memory-runs M]
[--size S] [--no-zennit] [--json FILE]`` measures, on a VGG-16 with random (seeded,
untrained) weights — the figures depend on the architecture, not on the weights — and a
random float32 batch:

- time: ``forward`` is ``model(x)`` in inference mode, the unit; ``gradient_x_input`` and
  ``lrp`` (:mod:`vgg.explain`) and ``zennit`` (the same LRP by Zennit,
  :func:`vgg.reference.zennit_lrp`, when installed) are given in forward passes. Each time is
  the median of ``R`` runs after one warm-up round, the methods taking turns so that a busy
  machine slows them alike; the fastest run of each is printed too (on a shared machine, the
  ratios of the fastest runs show the cost without the neighbours' load).
- memory: each method's peak extra memory, the growth of the process's peak memory over that
  of a plain no-grad forward pass, each method in a fresh process (:func:`probe`: build the
  network, run the no-grad forward twice, then the method once), the median of ``M`` such
  processes. On the CPU the peak is the peak resident set size (``VmHWM`` in
  ``/proc/self/status``: tensors, oneDNN's buffers and the allocator's slack alike), which
  moves between identical processes (where glibc's heap ends up: a few MiB on a quiet
  machine, up to some 30 MiB on a busy one, hence the median); on CUDA it is
  ``torch.cuda.max_memory_allocated``. The forward's own row is its peak over the loaded
  network and batch (the median over all those processes).

Targets (2-core CPU): LRP ≤ 3.3 forward passes at batch 8, LRP's peak extra memory ≤ 1.5×
that of Gradient × Input (at any batch), LRP ≥ 3× faster than Zennit; Gradient × Input
≤ 2.3 forward passes. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import Tensor, nn

from clitools import Parser, UsageError, check_writable_file, integer_at_least, run, write_file
from vgg.explain import MIN_SIDE, gradient_x_input, lrp
from vgg.model import pick_device

PROG = "python -m vgg.bench"

#: The targets of the issue, as (name, measured key, bound) for the printed verdicts; the
#: bound is a minimum for ``zennit_over_lrp``, a maximum for the others.
TARGETS = (
    ("Gradient × Input ≤ 2.3 forward passes", "gxi_forwards", 2.3),
    ("LRP ≤ 3.3 forward passes (the target is set at batch 8)", "lrp_forwards", 3.3),
    ("LRP ≥ 3× faster than Zennit (Zennit time / LRP time)", "zennit_over_lrp", 3.0),
    ("LRP peak extra memory ≤ 1.5× Gradient × Input's", "lrp_memory_over_gxi", 1.5),
)

#: How the memory figures are measured, for the printout and the JSON file.
MEMORY = {
    "cpu": "growth of the peak resident set size (VmHWM) over a no-grad forward pass, "
           "one fresh process per method",
    "cuda": "growth of torch.cuda.max_memory_allocated over a no-grad forward pass, "
            "one fresh process per method",
}

LABELS = {"forward": "forward (inference)", "gradient_x_input": "Gradient × Input",
          "lrp": "LRP (z^B + γ)", "zennit": "Zennit LRP (same)"}


@dataclass(frozen=True)
class Result:
    """One method's figures: median and fastest seconds, runs, and peak extra memory in bytes
    (the median of the fresh processes, and each one's)."""

    method: str
    median_s: float
    min_s: float
    runs: list[float]
    peak_extra_bytes: int
    memory_runs: list[int]


def say(message: str) -> None:
    """One line of progress on stderr."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def synchronize(device: torch.device) -> None:
    """Wait for queued CUDA work (no-op on CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def peak_bytes(device: torch.device) -> int:
    """The process's peak memory so far: ``VmHWM`` on the CPU, the peak of allocated tensor
    memory on CUDA."""
    if device.type == "cuda":
        synchronize(device)
        return torch.cuda.max_memory_allocated(device)
    with open("/proc/self/status") as status:
        found = re.search(r"^VmHWM:\s*(\d+) kB", status.read(), re.MULTILINE)
    if found is None:
        raise RuntimeError("no VmHWM in /proc/self/status: the CPU memory probe needs Linux")
    return int(found.group(1)) * 1024


def reset_peak(device: torch.device) -> None:
    """Forget the peak: from now on it starts at what is in use (on the CPU by writing ``5``
    to ``/proc/self/clear_refs``, Linux ≥ 4.0)."""
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
        return
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def peak_extra_bytes(fn: Callable[[], object], device: torch.device) -> int:
    """How far running ``fn`` raises the process's peak memory (:func:`peak_bytes`) above the
    peak before it."""
    before = peak_bytes(device)
    fn()
    return peak_bytes(device) - before


def setup(batch: int, device: torch.device, size: int = 224,
          seed: int = 0) -> tuple[nn.Module, Tensor, Tensor]:
    """The random-weight VGG-16 (seeded), a random batch and one random target per sample."""
    from torchvision.models import vgg16

    torch.manual_seed(seed)
    model: nn.Module = vgg16().eval().to(device)
    x = torch.randn(batch, 3, size, size, device=device)
    target = torch.randint(0, 1000, (batch,), device=device)
    return model, x, target


def methods(model: nn.Module, x: Tensor, target: Tensor,
            with_zennit: bool) -> dict[str, Callable[[], object]]:
    """The benchmarked calls, by name (those of :data:`LABELS`; Zennit only ``with_zennit``)."""

    def forward() -> Tensor:
        with torch.inference_mode():
            return model(x)

    found: dict[str, Callable[[], object]] = {
        "forward": forward,
        "gradient_x_input": lambda: gradient_x_input(model, x, target),
        "lrp": lambda: lrp(model, x, target),
    }
    if with_zennit:
        from vgg.reference import zennit_lrp

        found["zennit"] = lambda: zennit_lrp(model, x, target)
    return found


def probe(method: str, batch: int, device: str, size: int = 224,
          seed: int = 0) -> tuple[int, int]:
    """``(forward, method)``: peak extra memory measured in this process, which should be
    fresh. The network and batch of :func:`setup` are made, a no-grad forward pass runs twice
    (the second one reaches the steady peak, first-call buffers and the allocator's layout
    included) and then ``method`` once. ``forward`` is the forward's peak over the loaded
    network and batch (the peak reset to what is in use once they are made, so that setting
    them up does not count), ``method`` the method's growth of the peak over the forward's."""
    dev = torch.device(device)
    model, x, target = setup(batch, dev, size, seed)
    call = methods(model, x, target, with_zennit=method == "zennit")[method]
    reset_peak(dev)

    def forward_twice() -> None:
        with torch.no_grad():
            model(x)
            model(x)

    return peak_extra_bytes(forward_twice, dev), peak_extra_bytes(call, dev)


def measure_memory(method: str, batch: int, device: torch.device, size: int = 224,
                   seed: int = 0) -> tuple[int, int]:
    """:func:`probe` in a fresh Python process (same interpreter, same torch thread count)."""
    root = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])]))
    code = (f"import torch; torch.set_num_threads({torch.get_num_threads()}); "
            f"from vgg.bench import probe; "
            f"print(*probe({method!r}, {batch}, {device.type!r}, {size}, {seed}))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the memory probe of {method} failed:\n{done.stderr[-2000:]}")
    forward, extra = done.stdout.split()[-2:]
    return int(forward), int(extra)


def time_methods(calls: dict[str, Callable[[], object]], repeats: int,
                 device: torch.device) -> dict[str, list[float]]:
    """Seconds per run of each method, ``repeats`` rounds after one warm-up round, the
    methods taking turns within each round; each round is reported on stderr."""
    runs: dict[str, list[float]] = {name: [] for name in calls}
    for round_ in range(repeats + 1):
        start_round = time.perf_counter()
        took = []
        for name, fn in calls.items():
            synchronize(device)
            start = time.perf_counter()
            fn()
            synchronize(device)
            seconds = time.perf_counter() - start
            took.append(f"{name} {seconds:.2f} s")
            if round_:
                runs[name].append(seconds)
        which = "warm-up round" if round_ == 0 else f"round {round_}/{repeats}"
        left = (repeats - round_) * (time.perf_counter() - start_round)
        say(f"{which}: {', '.join(took)}" + (f"; about {left:.0f} s of timing left" if left
                                             else ""))
    return runs


def zennit_available() -> bool:
    """Whether Zennit can be imported."""
    try:
        import zennit  # noqa: F401
    except ImportError:
        return False
    return True


def run_bench(batch: int, device: torch.device, repeats: int, size: int = 224,
              seed: int = 0, with_zennit: bool = True,
              memory_runs: int = 3) -> dict[str, object]:
    """All figures of the benchmark, as a JSON-ready dictionary (progress on stderr)."""
    zennit = "skipped (--no-zennit)"
    if with_zennit:
        zennit = "compared" if zennit_available() else "not installed (pip install zennit==0.5.1)"
    say(f"VGG-16, batch {batch}, {size}×{size}, {device.type}: building the network")
    model, x, target = setup(batch, device, size, seed)
    calls = methods(model, x, target, with_zennit=zennit == "compared")
    say(f"timing {', '.join(calls)}: {repeats} rounds after a warm-up round")
    runs = time_methods(calls, repeats, device)
    del model, x, target, calls
    memory: dict[str, list[int]] = {name: [] for name in runs}
    for name in [m for m in runs if m != "forward"]:
        for k in range(memory_runs):
            say(f"memory of {name}: fresh process {k + 1}/{memory_runs}")
            forward, extra = measure_memory(name, batch, device, size, seed)
            memory["forward"].append(forward)
            memory[name].append(extra)
            say(f"memory of {name}: {extra / 2**20:.1f} MiB over the forward's "
                f"{forward / 2**20:.1f} MiB")
    results = {name: Result(name, statistics.median(runs[name]), min(runs[name]), runs[name],
                            int(statistics.median(memory[name])), memory[name])
               for name in runs}
    fwd = results["forward"].median_s
    gxi_mem = max(results["gradient_x_input"].peak_extra_bytes, 1)
    ratios: dict[str, float] = {
        "gxi_forwards": results["gradient_x_input"].median_s / fwd,
        "lrp_forwards": results["lrp"].median_s / fwd,
        "lrp_memory_over_gxi": results["lrp"].peak_extra_bytes / gxi_mem,
    }
    if "zennit" in results:
        ratios["zennit_forwards"] = results["zennit"].median_s / fwd
        ratios["zennit_over_lrp"] = results["zennit"].median_s / results["lrp"].median_s
        ratios["zennit_memory_over_gxi"] = results["zennit"].peak_extra_bytes / gxi_mem
    return {
        "weights": "random (seeded, untrained VGG-16: timing only)",
        "image_size": size,
        "batch": batch,
        "dtype": "float32",
        "device": device.type,
        "device_name": (torch.cuda.get_device_name(device) if device.type == "cuda"
                        else f"cpu ({torch.get_num_threads()} threads)"),
        "load_average": list(os.getloadavg()),
        "repeats": repeats,
        "memory_runs": memory_runs,
        "torch": torch.__version__,
        "memory": MEMORY[device.type],
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


DURATION = """\
how long: a run times (repeats + 1) rounds of forward + Gradient × Input + LRP + Zennit,
about 21 forward passes a round (7 without Zennit), then measures the memory of each method
in memory-runs fresh processes (each about 10 s of start-up, two forward passes and the
method). On a 2-core CPU a 224-px forward pass takes 0.15 to 0.3 s per image: with the
defaults a run takes about 1 to 4 minutes at --batch 1 and 5 to 10 minutes at --batch 8
(more on a busy machine); --no-zennit takes about a third of that, --memory-runs 1 about
30 % less."""


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = Parser(prog=PROG, description=(__doc__ or "").split("\n")[0], epilog=DURATION,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=integer_at_least(1, "--batch"), default=1,
                   help="images per batch (default: 1)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                   help="auto: CUDA if there is one, else the CPU (default: auto)")
    p.add_argument("--repeats", type=integer_at_least(1, "--repeats"), default=5,
                   help="timed runs per method, after one warm-up run (default: 5)")
    p.add_argument("--memory-runs", type=integer_at_least(1, "--memory-runs"), default=3,
                   help="fresh processes per method for the memory figure, whose median is "
                        "reported (default: 3)")
    p.add_argument("--size", type=integer_at_least(MIN_SIDE, "--size"), default=224,
                   help=f"image side in px, at least {MIN_SIDE} (default: 224)")
    p.add_argument("--no-zennit", action="store_true",
                   help="skip the Zennit comparison (default: compare when Zennit is installed)")
    p.add_argument("--json", type=Path, metavar="FILE",
                   help="also write the figures to FILE, all or nothing (default: none)")
    return p


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    if args.json is not None:
        check_writable_file(args.json, "--json")
    device = pick_device(args.device)
    figures = run_bench(args.batch, device, args.repeats, args.size,
                        with_zennit=not args.no_zennit, memory_runs=args.memory_runs)
    print(report(figures))
    if args.json is not None:
        try:
            write_file(args.json, json.dumps(figures, indent=2))
        except OSError as error:
            raise UsageError(f"cannot write {args.json}: {error.strerror or error}") from None
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; bad input is one line on stderr and exit status 2
    (:func:`clitools.run`)."""
    return run(lambda: _main(argv), PROG)


if __name__ == "__main__":
    from clitools import interruptible

    with interruptible(PROG):
        sys.exit(main())
