"""``python -m solution``: the whole verified solution of the sheet (``make report``).

Every option is checked before the first stage runs (the image read, the class resolved, the
device and a weights file tried, the output folder's parent written to), so a mistake costs
no computation. ``--out`` is replaced as a whole, and only when it is empty or holds a
previous report (its ``.sheet11-output`` marker says so); any other folder is refused unless
``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clitools import Command, Parser, argparse_reader, integer_at_least, integer_between
from solution.build import Options, build
from solution.stages import StageError
from vgg.errors import InputError

PROG = "python -m solution"


def parser() -> Parser:
    """The command line."""
    p = Parser(prog=PROG, description=(
        "Write the verified solution of exercise sheet 11 (docs/sheet11.md: derivations, "
        "numerical checks, VGG-16 explanations, the sheet's observations measured on the "
        "trained digits network) to OUT/solution.tex and, with latexmk, OUT/solution.pdf."))
    p.add_argument("--out", type=Path, default=Path("report"),
                   help="output folder, replaced as a whole; refused if it holds files the "
                        "report did not write or that were changed since, unless --force "
                        "(default report/)")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it holds other files or changed ones (they are "
                        "deleted)")
    p.add_argument("--image", metavar="FILE",
                   help="image for VGG-16 (default: matplotlib's grace_hopper.jpg)")
    p.add_argument("--target", help="class index or ImageNet name; 0-9 with --weights digits "
                                    "(default: the top-1 class)")
    p.add_argument("--weights", default="imagenet",
                   help="imagenet (default; falls back to random, labelled, when unavailable), "
                        "random, digits (the network trained here on handwritten digits), or a "
                        "VGG-16 state_dict file")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit status 2, before any stage runs) if the weights cannot be "
                        "had, instead of falling back to random ones (make report "
                        "WEIGHTS_REQUIRED=1)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"),
                   help="where VGG-16 runs: auto (CUDA if available, else the CPU; default), "
                        "cpu or cuda")
    p.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0,
                   help="seed of the numerics and random weights (default 0)")
    p.add_argument("--resize", type=integer_between(32, 1024, "--resize"), default=None,
                   metavar="N", help="scale the image's shorter side to N px first (default: "
                                     "the image's own size)")
    p.add_argument("--no-pdf", action="store_true",
                   help="write solution.tex only (default: also solution.pdf, with latexmk)")
    return p


def body(args: argparse.Namespace) -> int:
    """Build the report; 0 on success, 1 if a stage failed, 130 on Ctrl-C."""
    options = Options(out=args.out, image=args.image, target=args.target,
                      weights=args.weights, device=args.device, seed=args.seed,
                      resize=args.resize, pdf=not args.no_pdf, force=args.force,
                      strict=args.strict)
    try:
        built = build(options, echo=lambda line: print(line, flush=True))
    except StageError as error:
        print(f"{PROG}: {error}; the previous report (if any) is unchanged",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; the previous report (if any) is unchanged",
              file=sys.stderr)
        return 130
    written = built.pdf or built.tex
    print(f"wrote {written} ({built.rows_passed}/{built.rows_total} numerical checks "
          f"passed; VGG-16 with {built.weights_label})")
    return 0


#: ``python -m solution`` (``make report``); the VGG stage's bad input
#: (:class:`vgg.errors.InputError`, found by the preflight) is the user's mistake too.
COMMAND = Command(PROG, argparse_reader(parser), body, input_errors=(InputError,))


def main(argv: list[str] | None = None) -> int:
    """Run the report; 0 on success, 1 if a stage failed, 2 for bad input, 130 on Ctrl-C."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
