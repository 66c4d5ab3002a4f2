"""``python -m solution``: the whole verified solution of the sheet (``make report``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from solution.build import Options, build
from solution.stages import StageError
from vgg.cli import integer_at_least


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise SystemExit(f"python -m solution: {message} (see --help)")


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = _Parser(prog="python -m solution", description=(
        "Write the verified solution of exercise sheet 11 (derivations, numerical checks, "
        "VGG-16 explanations) to OUT/solution.tex and, with latexmk, OUT/solution.pdf."))
    p.add_argument("--out", type=Path, default=Path("report"), help="output folder (replaced)")
    p.add_argument("--image", help="image for VGG-16 (default: matplotlib's grace_hopper.jpg)")
    p.add_argument("--target", help="class index or ImageNet name (default: the top-1 class)")
    p.add_argument("--weights", default="imagenet",
                   help="imagenet (default; falls back to random, labelled, when unavailable), "
                        "random, or a state_dict file")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0,
                   help="seed of the numerics and random weights")
    p.add_argument("--resize", type=int, default=None,
                   help="scale the image's shorter side to N px first")
    p.add_argument("--no-pdf", action="store_true", help="write solution.tex only")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the report; 0 on success, 1 if a stage failed, 2 for bad input."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        if exit_.code in (0, None):
            return 0
        print(exit_.code, file=sys.stderr)
        return 2
    options = Options(out=args.out, image=args.image, target=args.target,
                      weights=args.weights, device=args.device, seed=args.seed,
                      resize=args.resize, pdf=not args.no_pdf)
    try:
        built = build(options, echo=lambda line: print(line, flush=True))
    except StageError as error:
        from vgg.errors import UsageError

        if isinstance(error.__cause__, UsageError):
            print(f"python -m solution: {error.__cause__}", file=sys.stderr)
            return 2
        print(f"python -m solution: {error}; the previous report (if any) is unchanged",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("python -m solution: interrupted; the previous report (if any) is unchanged",
              file=sys.stderr)
        return 130
    written = built.pdf or built.tex
    print(f"wrote {written} ({built.rows_passed}/{built.rows_total} numerical checks passed; "
          f"VGG-16 with {built.weights_label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
