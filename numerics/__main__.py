"""``python -m numerics [--json FILE|-] [--plots DIR [--force]] [--seed N] [--wide]``.

Runs every numerical check (:func:`numerics.report.run_all`), prints the table on stdout (on
stderr when ``--json -`` puts the JSON there) and the progress on stderr
(:class:`clitools.Progress`). ``--plots DIR`` is replaced as a whole, and refused when it
holds anything but an earlier run's plots, unchanged (:func:`clitools.replaced_folder`).
Exit status: 0 all checks passed, 1 some check failed, 2 usage error (bad seed, unwritable
path, a folder of the user's), with one message on stderr and no output file written.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from clitools import (
    Command,
    Parser,
    Progress,
    UsageError,
    argparse_reader,
    check_output_folder,
    check_replaceable,
    inside,
    integer_at_least,
    is_stdout,
    messages_stream,
    replaced_folder,
    write_output,
)

PROG = "python -m numerics"


def parser() -> Parser:
    """The command line's options."""
    p = Parser(prog=PROG, description="Numerical verification of every derivation of "
               "sheet 11 (docs/sheet11.md): gradient ascent vs the closed forms (Ex 1), the min "
               "networks' LRP-γ three ways (Ex 2), a real one-class SVM neuralized (Ex 3).")
    p.add_argument("--json", type=Path, metavar="FILE",
                   help="also write the rows as JSON (its folder is created if missing); - "
                        "for standard output, the table then going to standard error "
                        "(default: no JSON)")
    p.add_argument("--plots", type=Path, metavar="DIR",
                   help="write the PNG plots into DIR, replaced as a whole (created if "
                        "missing); refused if it holds files this command did not write or "
                        "that were changed since (default: no plots)")
    p.add_argument("--force", action="store_true",
                   help="replace --plots even if it holds other files or changed ones (they "
                        "are deleted)")
    p.add_argument("--seed", type=integer_at_least(0, "seed"), default=0, metavar="N",
                   help="random seed of the instances (integer ≥ 0, default 0)")
    p.add_argument("--wide", action="store_true", help="do not shorten the 'compared' column")
    return p


def check_paths(json_path: Path | None, plots: Path | None, force: bool = False) -> None:
    """Validate the output places before any work: the JSON file's folder can be created and
    written (tried for real, nothing left behind) and the JSON path is not a folder (``-``:
    standard output); the plots folder may be replaced (:func:`clitools.check_replaceable`)."""
    if json_path is not None and not is_stdout(json_path):
        if json_path.is_dir():
            raise UsageError(f"--json {json_path} is a folder; give a file name")
        check_output_folder(json_path.parent, "--json")
    if plots is not None:
        check_replaceable(plots, PROG, force, "--plots")


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments, with the output places checked (nothing heavy imported)."""
    args = argparse_reader(parser)(argv)
    check_paths(args.json, args.plots, args.force)
    return args


@contextlib.contextmanager
def plots_folder(plots: Path | None, force: bool) -> Iterator[Path | None]:
    """The folder the plots are written into: a new one that replaces ``plots`` on success
    (:func:`clitools.replaced_folder`), or None without ``--plots``."""
    if plots is None:
        yield None
        return
    with replaced_folder(plots, PROG, force, "--plots") as folder:
        yield folder


def body(args: argparse.Namespace) -> int:
    """Run the checks; 0 all passed, 1 a check failed."""
    from numerics import report

    out = messages_stream(args.json)
    display = Progress(len(report.CHECKS), "exercises", PROG)

    def progress(done: int, total: int, name: str) -> None:
        display.update(done, name if done < total else "")

    with plots_folder(args.plots, args.force) as folder:
        rows = report.run_all(seed=args.seed, plots_dir=folder, progress=progress)
        display.finish()
        print(report.table(rows, wide=args.wide), file=out)
        for line in report.notes(rows):
            print(line, file=out)
        plots = report.plot_paths(args.plots) if args.plots is not None else None
        if args.json is not None:
            path = args.json if folder is None else inside(args.json, args.plots, folder)
            document = report.to_json(rows, args.seed, plots)
            write_output(path, report.json_text(document))
    if args.json is not None and not is_stdout(args.json):
        print(f"{PROG}: wrote {args.json}", file=sys.stderr)
    for path in (plots or {}).values():
        print(f"{PROG}: wrote {path}", file=sys.stderr)
    return 0 if all(r.passed for r in rows) else 1


#: ``python -m numerics``.
COMMAND = Command(PROG, read, body)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 all passed, 1 a check failed, 2 bad input)."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
