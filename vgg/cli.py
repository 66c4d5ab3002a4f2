"""``python -m vgg``: explain VGG-16's decision on an image by Gradient × Input and LRP.

Prints the top-5 classes (softmax probabilities) and the files written; any bad input gets
one line on stderr and exit status 2, with no output files left behind. The reader imports no
torch: ``--help`` and the mistakes the words alone show (:func:`vgg.options.check_options`)
and a ``--out`` folder holding the user's files (:func:`clitools.check_replaceable`) answer at
once. ``--out`` is replaced as a whole (:func:`clitools.replaced_folder`). Offline without
cached ImageNet weights, random weights stand in (labelled, with a warning on stderr) unless
``--strict``.

>>> parser().parse_args(["--target", "castle", "--weights", "random"]).target
'castle'
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clitools import (
    Command,
    Parser,
    argparse_reader,
    check_replaceable,
    check_writable_file,
    inside,
    is_stdout,
    replaced_folder,
)
from vgg import weights
from vgg.errors import InputError
from vgg.options import check_options

if TYPE_CHECKING:
    from vgg.pipeline import ExplainResult

PROG = "python -m vgg"

EPILOG = """examples:
  python -m vgg                                    # grace_hopper.jpg, ImageNet weights, top-1
  python -m vgg --image castle.jpg --target castle --out out/castle
  python -m vgg --image photo.png --resize 224 --target 483 --save-relevance out/r.npz
  python -m vgg --weights random --seed 1          # untrained network, no download
  python -m vgg --weights vgg16.pth --device cuda  # a state_dict saved with torch.save
  python -m vgg --weights digits --image 7.png --json   # the digits network trained here
  python -m vgg --weights digits:1 --ledger        # training seed 1, LRP's ledger per layer
"""


def parser() -> Parser:
    """The command line's options."""
    p = Parser(
        prog=PROG,
        description="Explain VGG-16's output for one class on an image: Gradient × Input and "
        "LRP (z^B rule on the pixels, LRP-γ in the convolutions), as heatmaps.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--image", metavar="FILE",
                   help="JPEG or PNG (default: matplotlib's sample grace_hopper.jpg)")
    p.add_argument("--target", metavar="N|NAME",
                   help="class index (0-999; 0-9 with --weights digits) or ImageNet class "
                   "name, e.g. castle (default: the top-1 class)")
    p.add_argument("--weights", default="imagenet", metavar=weights.METAVAR,
                   help=weights.help_text("imagenet") + "; imagenet falls back to random "
                   "weights, labelled, where it cannot be had (not cached, offline)")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit status 2, before any work) instead of falling back to "
                        "random weights")
    p.add_argument("--seed", type=int, default=0, help="seed of --weights random (default 0)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                   help="auto: cuda if available, else cpu (default auto)")
    p.add_argument("--resize", type=int, metavar="N",
                   help="scale the shorter side to N px (needed above 1024 px on a side; "
                        "default: the image's own size)")
    p.add_argument("--out", default="out", metavar="DIR",
                   help="folder for one heatmap per method (METHOD.png) and comparison.png, "
                   "the image beside them; replaced as a whole, and refused if it holds "
                   "files this command did not write or that were changed since (default out/)")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it holds other files or changed ones (they are "
                        "deleted)")
    p.add_argument("--save-relevance", metavar="FILE.npz",
                   help="also save the raw relevance of each method (.npz; default: not saved)")
    p.add_argument("--ledger", action="store_true",
                   help="also show LRP's conservation ledger: per layer, the relevance it "
                   "received and passed on and what its bias (and stabilizer) absorbed (default: "
                   "not shown)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (top-1 class and probability, the explained "
                   "target, the conservation of each method, the files written, warnings) "
                   "instead of the text report")
    return p


#: Below this share ``ΣR / f_t(x)`` the text report warns that the heatmap shows little of
#: what the prediction rests on.
LOW_SHARE = 0.5


def conservation_lines(result: ExplainResult) -> list[str]:
    """One line with the explained logit and each method's ``ΣR`` and share, and a warning
    per method whose share is negative or below :data:`LOW_SHARE`."""
    from vgg.methods import METHODS, SHOWN  # the body's: torch is loaded by now

    parts = [f"{METHODS[m].title} ΣR = {result.conservation[m]['relevance_sum']:.4g} "
             f"({100 * result.conservation[m]['share']:.1f} %)" for m in SHOWN]
    lines = [f"conservation: f_t(x) = {result.logit:.4g}; " + ", ".join(parts)]
    for m in SHOWN:
        share = result.conservation[m]["share"]
        if share < LOW_SHARE or share != share:
            what = "sums to a negative number" if share < 0 else (
                f"accounts for only {100 * share:.1f} % of the logit")
            lines.append(f"WARNING: the {METHODS[m].title} heatmap {what}: it shows little of "
                         "what the prediction rests on (biases absorb the rest; --ledger says "
                         "where)")
    return lines


def ledger_lines(rows: list[dict[str, float | str]]) -> list[str]:
    """LRP's ledger as a table, from the logit down."""
    out = ["LRP ledger (from the logit down): relevance received and passed on, and what the "
           "layer absorbed",
           f"  {'layer':<13} {'rule':<17} {'ΣR out':>10} {'ΣR in':>10} {'bias':>10} "
           f"{'stabilizer':>10} {'dropped':>10} {'% of f_t':>9}"]
    for r in rows:
        out.append(f"  {r['layer']!s:<13} {r['rule']!s:<17} {r['relevance_out']:>10.4g} "
                   f"{r['relevance_in']:>10.4g} {r['bias']:>10.4g} {r['stabilizer']:>10.4g} "
                   f"{r['dropped']:>10.4g} {100 * float(r['absorbed_share']):>8.1f}%")
    return out


def as_json(result: ExplainResult) -> str:
    """The result as one JSON object, for scripts."""
    top = [{"index": i, "name": name, "probability": p} for i, name, p in result.top5]
    files = [str(p) for p in result.figures.values()]
    if result.relevance_file is not None:
        files.append(str(result.relevance_file))
    return json.dumps({
        "image": result.image,
        "image_size": list(result.image_size),
        "weights": {"label": result.weights.label, "trained": result.weights.trained,
                    "source": result.weights.source, "fallback": result.weights.fallback},
        "device": result.device,
        "top1": top[0],
        "top5": top,
        "target": {"index": result.target, "name": result.class_name},
        "conservation": result.conservation,
        **({"ledger": result.ledger} if result.ledger is not None else {}),
        "files": files,
        "timings": result.timings,
        "warnings": warnings(result),
    }, ensure_ascii=False, indent=2)


def warnings(result: ExplainResult) -> list[str]:
    """Why the result may not be what was asked for: weights that stood in for others, a
    digit picture that is hard to read."""
    found = list(result.warnings)
    if result.weights.fallback is not None:
        found.insert(0, f"{result.weights.fallback}; explained with {result.weights.label} "
                        "instead (--strict fails instead)")
    return found


def summary(result: ExplainResult) -> str:
    """The printed report of an :class:`~vgg.pipeline.ExplainResult`."""
    w, h = result.image_size
    lines = [f"image: {result.image} ({w}×{h} px as input), device: {result.device}",
             f"weights: {result.weights.label} [{result.weights.source}]"]
    if result.weights.fallback is not None:
        lines.append(f"NOTE: {result.weights.fallback}; random weights stand in for them "
                     "(pass --strict to fail instead).")
    if not result.weights.trained:
        lines.append("NOTE: untrained network — random weights; the classes and heatmaps below "
                     "show the architecture, not learned evidence.")
    lines.append("top-5 classes (softmax probability):")
    width = max(len(f"{name} ({i})") for i, name, _ in result.top5)
    for rank, (i, name, p) in enumerate(result.top5, 1):
        lines.append(f"  {rank}. {f'{name} ({i})':<{width}}  {p:.4f}")
    lines.append(f"explained: {result.class_label}")
    lines += conservation_lines(result)
    if result.ledger is not None:
        lines += ledger_lines(result.ledger)
    t = result.timings
    from vgg.methods import METHODS, SHOWN  # the body's: torch is loaded by now

    lines.append(f"time: forward {t['forward']:.3f} s, " + ", ".join(
        f"{METHODS[name].title} {t[name]:.3f} s" for name in SHOWN))
    lines.append("wrote: " + ", ".join(str(p) for p in result.figures.values()))
    if result.relevance_file is not None:
        lines.append(f"wrote: {result.relevance_file}")
    return "\n".join(lines)


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments, with every mistake their words show refused (before torch loads)."""
    args = argparse_reader(parser)(argv)
    check_options(args.target, args.weights, args.resize)
    check_replaceable(args.out, PROG, args.force)
    if is_stdout(args.save_relevance):  # a binary file: not for standard output
        check_writable_file(args.save_relevance, "--save-relevance", stdout=False)
    return args


def explain(args: argparse.Namespace) -> int:
    """Explain into a new ``--out`` folder that replaces the old one, and print the report (or
    its JSON); each warning is one line on stderr."""
    from vgg.pipeline import explain_image

    final = Path(args.out)
    with replaced_folder(final, PROG, args.force) as folder:
        relevance = args.save_relevance
        result = explain_image(
            image=args.image,
            target=args.target,
            weights=args.weights,
            seed=args.seed,
            device=args.device,
            resize=args.resize,
            out_dir=folder,
            save_relevance=None if relevance is None else inside(relevance, final, folder),
            fallback=not args.strict,
            ledger=args.ledger,
        )
    result = dataclasses.replace(
        result, figures={k: final / p.name for k, p in result.figures.items()},
        relevance_file=None if relevance is None else Path(relevance))
    for line in warnings(result):
        print(f"{PROG}: warning: {line}", file=sys.stderr)
    print(as_json(result) if args.json else summary(result))
    return 0


COMMAND = Command(PROG, read, explain, input_errors=(InputError,))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 done, 2 bad input, 130 interrupted)."""
    return COMMAND.main(argv)


__all__ = ["COMMAND", "LOW_SHARE", "as_json", "conservation_lines", "ledger_lines", "main",
           "parser", "read", "summary"]
