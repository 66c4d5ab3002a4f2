"""``python -m numerics [--json FILE] [--plots DIR] [--seed N] [--wide]``.

Runs every numerical check (:func:`numerics.report.run_all`), prints the table on stdout and a
progress display on stderr. Exit status: 0 all checks passed, 1 some check failed, 2 usage
error (bad seed, unwritable path), with one message on stderr and no output file written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from clitools import (
    Command,
    Parser,
    UsageError,
    argparse_reader,
    check_output_folder,
    integer_at_least,
)

PROG = "python -m numerics"


def parser() -> Parser:
    """The command line's options."""
    p = Parser(prog=PROG, description="Numerical verification of every derivation of "
               "sheet 11 (docs/sheet11.md): gradient ascent vs the closed forms (Ex 1), the min "
               "networks' LRP-γ three ways (Ex 2), a real one-class SVM neuralized (Ex 3).")
    p.add_argument("--json", type=Path, metavar="FILE",
                   help="also write the rows as JSON (its folder is created if missing)")
    p.add_argument("--plots", type=Path, metavar="DIR",
                   help="write the PNG plots into DIR (created if missing)")
    p.add_argument("--seed", type=integer_at_least(0, "seed"), default=0, metavar="N",
                   help="random seed of the instances (integer ≥ 0, default 0)")
    p.add_argument("--wide", action="store_true", help="do not shorten the 'compared' column")
    return p


def check_paths(json_path: Path | None, plots: Path | None) -> None:
    """Validate the output places before any work: the JSON file's folder and the plots folder
    can be created and written (tried for real, nothing left behind), and the JSON path is
    not a folder."""
    if json_path is not None:
        if json_path.is_dir():
            raise UsageError(f"--json {json_path} is a folder; give a file name")
        check_output_folder(json_path.parent, "--json")
    if plots is not None:
        check_output_folder(plots, "--plots")


class ProgressDisplay:
    """``progress(done, total, name)`` on a stream: one rewritten line on a terminal, plain
    lines (with elapsed seconds) otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int, name: str) -> None:
        elapsed = time.perf_counter() - self.start
        step = done if done == total else done + 1
        text = f"[{step}/{total}] {name} ({elapsed:.1f} s)"
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\r\033[K{text}{end}")
        else:
            self.stream.write(f"numerics: {text}\n")
        self.stream.flush()


def body(args: argparse.Namespace) -> int:
    """Run the checks; 0 all passed, 1 a check failed."""
    check_paths(args.json, args.plots)
    from numerics import report

    rows = report.run_all(seed=args.seed, plots_dir=args.plots,
                          progress=ProgressDisplay(sys.stderr))
    print(report.table(rows, wide=args.wide))
    for line in report.notes(rows):
        print(line)
    plots = report.plot_paths(args.plots) if args.plots is not None else None
    if args.json is not None:
        report.write_json(report.to_json(rows, args.seed, plots), args.json)
        print(f"{PROG}: wrote {args.json}", file=sys.stderr)
    for path in (plots or {}).values():
        print(f"{PROG}: wrote {path}", file=sys.stderr)
    return 0 if all(r.passed for r in rows) else 1


#: ``python -m numerics``.
COMMAND = Command(PROG, argparse_reader(parser), body)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 all passed, 1 a check failed, 2 bad input)."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
