"""``python -m vgg.bench``: the benchmark's command line (what it measures: :mod:`vgg.bench`).

The reader imports no torch: ``--help`` and every mistake in the arguments answer at once.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from clitools import (
    Command,
    Parser,
    UsageError,
    argparse_reader,
    check_writable_file,
    integer_at_least,
    messages_stream,
    write_output,
)
from vgg.bench import PROG
from vgg.errors import InputError
from vgg.limits import MIN_SIDE

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
    p = Parser(prog=PROG, description="Benchmark: one forward pass, Gradient × Input, LRP and "
                                      "Zennit's LRP on VGG-16.", epilog=DURATION,
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
                   help="also write the figures to FILE, all or nothing; - for standard output "
                        "(the table then goes to standard error) (default: none)")
    return p


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments, with ``--json`` tried: a file that can be written."""
    args = argparse_reader(parser)(argv)
    if args.json is not None:
        check_writable_file(args.json, "--json")
    return args


def run(args: argparse.Namespace) -> int:
    """Measure, print the table, and write the figures (``--json``)."""
    from vgg.bench.measure import run_bench
    from vgg.bench.report import report
    from vgg.devices import pick_device

    device = pick_device(args.device)
    figures = run_bench(args.batch, device, args.repeats, args.size,
                        with_zennit=not args.no_zennit, memory_runs=args.memory_runs)
    print(report(figures), file=messages_stream(args.json))
    if args.json is not None:
        try:
            write_output(args.json, json.dumps(figures, indent=2) + "\n")
        except OSError as error:
            raise UsageError(f"cannot write {args.json}: {error.strerror or error}") from None
    return 0


COMMAND = Command(PROG, read, run, input_errors=(InputError,))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; bad input is one line on stderr and exit status 2."""
    return COMMAND.main(argv)


__all__ = ["COMMAND", "DURATION", "PROG", "main", "parser", "read"]
