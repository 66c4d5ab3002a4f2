"""Timing of the answer checker: ``python -m derivations.checker.bench``.

Checks every answer of :mod:`derivations.answers` as SymPy prints it (text and LaTeX),
``repeat`` times, and prints the median and the slowest time of one check per id and overall.
A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import sympy as sp

from clitools import Command, Parser, argparse_reader, integer_at_least
from derivations.answers import answers
from derivations.checker import check


def measure(repeat: int = 3) -> dict[str, list[float]]:
    """Seconds per check, by id, for the text and LaTeX forms of every answer."""
    out: dict[str, list[float]] = {}
    for answer_id, expr in answers().items():
        for text, latex in ((sp.sstr(expr), False), (sp.latex(expr), True)):
            for _ in range(repeat):
                start = time.perf_counter()
                result = check(answer_id, text, latex=latex)
                out.setdefault(answer_id, []).append(time.perf_counter() - start)
                if result.verdict.exit_status != 0:
                    print(f"{answer_id}: {result.verdict.value} for {text!r}", file=sys.stderr)
    return out


def _parser() -> Parser:
    parser = Parser(prog="python -m derivations.checker.bench",
                    description="Time the answer checker on every answer of the sheet.")
    parser.add_argument("--repeat", type=integer_at_least(1, "--repeat"), default=3,
                        help="checks per answer and form (default 3)")
    return parser


def body(args: argparse.Namespace) -> int:
    """Print the median and slowest time of one check, per id and overall."""
    times = measure(args.repeat)
    every = [t for ts in times.values() for t in ts]
    print(f"{'id':16} {'median s':>9} {'max s':>7}")
    for answer_id, ts in times.items():
        print(f"{answer_id:16} {statistics.median(ts):9.3f} {max(ts):7.3f}")
    print(f"{'all':16} {statistics.median(every):9.3f} {max(every):7.3f}  ({len(every)} checks)")
    return 0


COMMAND = Command("python -m derivations.checker.bench", argparse_reader(_parser), body)


def main(argv: list[str] | None = None) -> int:
    """The benchmark on ``argv``; the exit status."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
