"""``python -m numerics [--json FILE] [--plots DIR] [--seed N] [--wide]``.

Runs every numerical check (:func:`numerics.report.run_all`), prints the table on stdout and a
progress display on stderr. Exit status: 0 all checks passed, 1 some check failed, 2 usage
error (bad seed, unwritable path), with one message on stderr and no output file written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from vgg.cli import integer_at_least

PROG = "python -m numerics"


class UsageError(Exception):
    """Bad command-line input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {PROG} --help)")


def parser() -> argparse.ArgumentParser:
    """The command line's options."""
    p = _Parser(prog=PROG, description="Numerical verification of every derivation of "
                "sheet 11: gradient ascent vs the closed forms (Ex 1), the min networks' LRP-γ "
                "three ways (Ex 2), a real one-class SVM neuralized (Ex 3).")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    p.add_argument("--plots", type=Path, metavar="DIR",
                   help="write the PNG plots into DIR (created if missing)")
    p.add_argument("--seed", type=integer_at_least(0, "seed"), default=0, metavar="N",
                   help="random seed of the instances (integer ≥ 0, default 0)")
    p.add_argument("--wide", action="store_true", help="do not shorten the 'compared' column")
    return p


def _probe(folder: Path, what: str) -> None:
    """Fail with a UsageError unless a file can be created in ``folder``."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".numerics-probe.", dir=folder)
    except OSError as e:
        raise UsageError(f"cannot write {what} into {folder}: {e.strerror or e}") from None
    os.close(fd)
    os.unlink(tmp)


def check_paths(json_path: Path | None, plots: Path | None) -> None:
    """Validate the output paths before any work: JSON's folder exists and is writable and
    the path is not a folder; the plots folder exists (or is created) and is writable."""
    if json_path is not None:
        if json_path.is_dir():
            raise UsageError(f"--json {json_path} is a folder, expected a file name")
        parent = json_path.parent
        if not parent.is_dir():
            raise UsageError(f"--json {json_path}: folder {parent} does not exist")
        _probe(parent, "the JSON file")
    if plots is not None:
        if plots.exists() and not plots.is_dir():
            raise UsageError(f"--plots {plots} exists and is not a folder")
        try:
            plots.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UsageError(f"--plots {plots}: cannot create the folder: "
                             f"{e.strerror or e}") from None
        _probe(plots, "plots")


class ProgressDisplay:
    """``progress(done, total, name)`` on a stream: one rewritten line on a terminal, plain
    lines (with elapsed seconds) otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int, name: str) -> None:
        elapsed = time.perf_counter() - self.start
        text = f"[{done}/{total}] {name} ({elapsed:.1f} s)"
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\r\033[K{text}{end}")
        else:
            self.stream.write(f"numerics: {text}\n")
        self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    try:
        args = parser().parse_args(argv)
        check_paths(args.json, args.plots)
    except UsageError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2

    from numerics import report

    rows = report.run_all(seed=args.seed, plots_dir=args.plots,
                          progress=ProgressDisplay(sys.stderr))
    print(report.table(rows, wide=args.wide))
    for line in report.notes(rows):
        print(line)
    plots = report.plot_paths(args.plots) if args.plots is not None else None
    if plots is not None:
        for path in plots.values():
            print(f"plot: {path}")
    if args.json is not None:
        report.write_json(report.to_json(rows, args.seed, plots), args.json)
        print(f"{PROG}: wrote {args.json}", file=sys.stderr)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
