r"""The benchmark's measurements: time per method in forward passes, peak extra memory in a
fresh process per method (see :mod:`vgg.bench`).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import Tensor, nn

from vgg.bench import PROG
from vgg.methods import METHODS, SHOWN

MEMORY = {
    "cpu": "growth of the peak resident set size (VmHWM) over a no-grad forward pass, "
           "one fresh process per method",
    "cuda": "growth of torch.cuda.max_memory_allocated over a no-grad forward pass, "
            "one fresh process per method",
}


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
    """The benchmarked calls, by name: ``forward``, each method of :data:`vgg.methods.SHOWN`,
    and ``zennit`` (only ``with_zennit``)."""

    def forward() -> Tensor:
        with torch.inference_mode():
            return model(x)

    found: dict[str, Callable[[], object]] = {"forward": forward}
    for name in SHOWN:
        found[name] = (lambda relevance=METHODS[name].relevance:
                       relevance(model, x, target, (), 0))
    if with_zennit:
        from vgg.engine.reference import zennit_lrp

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
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])]))
    code = (f"import torch; torch.set_num_threads({torch.get_num_threads()}); "
            f"from vgg.bench.measure import probe; "
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


__all__ = ["MEMORY", "Result", "measure_memory", "methods", "peak_bytes", "peak_extra_bytes",
           "probe", "reset_peak", "run_bench", "say", "setup", "synchronize", "time_methods",
           "zennit_available"]
