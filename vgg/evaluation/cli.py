"""``python -m vgg.evaluate``: the sheet's observations measured, as a table (or JSON, and
plots).

On the held-out digits with the shipped digits network (the default), or on the user's
pictures with an ImageNet VGG-16 (``--weights imagenet|random|FILE --images PATH…``); also
under ``torchrun --nproc_per_node N -m vgg.evaluate`` (:mod:`vgg.evaluation.distributed`).
The reader imports no torch: ``--help`` and every mistake the arguments alone show (the
network's name, options that do not go together, a patch that does not divide the input, an
output folder that cannot be written) answer at once.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from clitools import Command, argparse_reader
from clitools.files import check_replaceable, replaced_folder
from clitools.progress import Progress
from clitools.usage import Parser, UsageError, integer_at_least, integer_between
from vgg import weights
from vgg.digits import DIGIT_SIDE, HELD_OUT, SIZE
from vgg.errors import InputError
from vgg.evaluation.defaults import (
    BASELINE_NAMES,
    BATCH,
    CHUNK,
    DEFAULT_BASELINES,
    KEPT_MAPS,
    PATCH,
    PICTURE_PATCH,
    PICTURE_SIZE,
    STEPS,
)
from vgg.limits import MAX_SIDE, MIN_SIDE

PROG = "python -m vgg.evaluate"


def parser() -> Parser:
    """The command line's options, each with its default."""
    p = Parser(prog=PROG, description=(
        "Measure explanation quality — conservation (the share of the explained logit the "
        "heatmap accounts for), pixel flipping under each perturbation baseline (AOPC of the "
        "explained logit, most and least relevant patches first), the share of negative "
        "evidence, the noise of the heatmaps (total variation) and the randomization check — "
        "for every explanation method, with 95 % bootstrap intervals and paired differences "
        f"of every pair of methods, on the {HELD_OUT} held-out digits, or on your pictures "
        "with an ImageNet VGG-16."))
    p.add_argument("--weights", default=weights.DIGITS.name, metavar=weights.METAVAR,
                   help="the network: digits (the shipped trained digits network, evaluated on "
                        f"its {HELD_OUT} held-out digits; the default; digits:1 and digits:2 "
                        "the same trained from the seeds 1 and 2), or imagenet, random or a "
                        "VGG-16 state_dict FILE with --images")
    p.add_argument("--images", nargs="+", metavar="PATH", default=None,
                   help="pictures (files or folders) for a VGG-16 other than digits; needed "
                        "with --weights imagenet, random or FILE (default: none, the digits "
                        "network's held-out digits)")
    p.add_argument("--target", default=None,
                   help="the class explained in every picture, an index or an ImageNet name "
                        "(default: each picture's top-1 class)")
    p.add_argument("--size", type=integer_between(MIN_SIDE, MAX_SIDE, "--size"), default=None,
                   help=f"pictures are scaled and center-cropped to SIZE px (default "
                        f"{PICTURE_SIZE})")
    p.add_argument("--limit", type=integer_at_least(1, "--limit"), default=None,
                   help="evaluate only the first N images (default: all)")
    p.add_argument("--batch", type=integer_at_least(1, "--batch"), default=BATCH,
                   help=f"images explained together (default {BATCH})")
    p.add_argument("--chunk", type=integer_at_least(1, "--chunk"), default=CHUNK,
                   help=f"perturbed images per forward pass in pixel flipping (default {CHUNK})")
    p.add_argument("--baselines", nargs="+", choices=BASELINE_NAMES,
                   default=list(DEFAULT_BASELINES), metavar="NAME",
                   help="what a flipped patch becomes, one or more of: noise (uniform random "
                        "pixel values, seeded per image), remove (the digit's ink removed at "
                        f"its {DIGIT_SIDE}×{DIGIT_SIDE} source resolution and rendered again; "
                        "pictures: the patch black), blur (a Gaussian blur, σ = the patch "
                        "side), mean (the ImageNet mean pixel, x = 0) (default: "
                        f"{' '.join(DEFAULT_BASELINES)})")
    p.add_argument("--patch", type=integer_at_least(1, "--patch"), default=None,
                   help=f"side of a flipped patch in px (default {PATCH} for digits, "
                        f"{PICTURE_PATCH} for pictures)")
    p.add_argument("--steps", type=integer_at_least(1, "--steps"), default=STEPS,
                   help=f"patches flipped in each order, at most all (default {STEPS})")
    p.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0,
                   help="seed of every random draw: the random baseline, the noise, the "
                        "re-initialized layers, the bootstrap (default 0)")
    p.add_argument("--json", action="store_true",
                   help="print the table as one JSON object (default: text)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="also write the plots (PNG) into this folder, replaced as a whole; "
                        "refused if it holds files this command did not write or that were "
                        "changed since (default: no plots)")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it holds other files or changed ones (they are "
                        "deleted)")
    p.add_argument("--threads", type=integer_at_least(1, "--threads"), default=1,
                   help="torch threads per process (default 1: small convolutions gain "
                        "little from more, and two OpenMP threads on a busy 2-core machine "
                        "run many times slower; scale out with torchrun instead)")
    return p


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments, every mistake they show refused, and the defaults that depend on the
    network filled in."""
    args = argparse_reader(parser)(argv)
    network = weights.choice(args.weights)
    digits = network.digits
    if digits and args.images is not None:
        raise UsageError("--images goes with --weights imagenet, random or FILE; the digits "
                         "network (the default) is evaluated on its held-out digits")
    if not digits and args.images is None:
        raise UsageError(f"--weights {args.weights} needs --images PATH...: the pictures to "
                         "evaluate it on (only the digits network, the default, brings its "
                         "own: the held-out digits)")
    given = [o for o, v in (("--target", args.target), ("--size", args.size)) if v is not None]
    if digits and given:
        raise UsageError(f"{given[0]} goes with --images: the digits network explains the "
                         f"class it predicts for each held-out digit, at {SIZE} px")
    if args.size is None:
        args.size = PICTURE_SIZE
    if args.patch is None:
        args.patch = PATCH if digits else PICTURE_PATCH
    side = SIZE if digits else args.size
    if side % args.patch:
        raise UsageError(f"--patch {args.patch} must divide the {side} px input")
    if not digits and args.target is not None:
        check_target(args.target, args.weights)
    scale = SIZE // DIGIT_SIDE
    if digits and "remove" in args.baselines and args.patch % scale:
        raise UsageError(f"--patch {args.patch}: the remove baseline removes whole "
                         f"{DIGIT_SIDE}×{DIGIT_SIDE} source pixels ({scale}×{scale} px of the "
                         f"{SIZE} px input); choose a multiple of {scale}")
    args.baselines = list(dict.fromkeys(args.baselines))
    if args.out is not None:
        check_replaceable(args.out, PROG, args.force)
    return args


def check_target(target: str, value: str) -> None:
    """``--target`` is a class of the network ``value`` chooses, where its words decide it
    (an index in range; a name is resolved once the names are read)."""
    from vgg.targets import index_of

    index_of(target, weights.lookup(value).classes)


def run(args: argparse.Namespace) -> int:
    """Evaluate (under ``torchrun``, in this process's share) and print the table, with
    ``--threads`` torch threads (the caller's count restored afterwards)."""
    import torch

    from vgg.evaluation.distributed import process_group

    threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    try:
        with process_group():
            return _evaluate(args)
    finally:
        torch.set_num_threads(threads)


def _evaluate(args: argparse.Namespace) -> int:
    import torch

    from vgg.evaluation.data import DIGITS_RENDER, digits_dataset, images_dataset, loader_for
    from vgg.evaluation.distributed import rank
    from vgg.evaluation.measure import evaluate
    from vgg.targets import resolve

    first = rank() == 0
    state = weights.check_weights(args.weights, args.seed)
    digits = weights.lookup(args.weights).digits
    if digits:
        dataset = digits_dataset(args.limit)
    else:
        target = (resolve(args.target, weights.class_names(args.weights))
                  if args.target is not None else None)
        dataset = images_dataset(args.images, args.size, target)
        if args.limit is not None:
            dataset = torch.utils.data.Subset(dataset, range(min(args.limit, len(dataset))))
    model = weights.build(args.weights, args.seed, state)[0]
    loader = loader_for(dataset, args.batch)
    total = len(dataset)
    shown = first and not args.json
    progress = Progress(len(loader.sampler), "images", PROG) if shown else None
    if progress is not None:
        progress.update(0)
    table = evaluate(model, loader, baselines=args.baselines,
                     render=DIGITS_RENDER if digits else None, patch=args.patch,
                     steps=args.steps, seed=args.seed, chunk=args.chunk,
                     keep_maps=KEPT_MAPS if args.out else 0,
                     progress=None if progress is None else progress.update,
                     target="label" if args.target else "predicted")  # none with digits
    if progress is not None:
        progress.finish()
    if not first:
        return 0
    if table.images != total:
        raise RuntimeError(f"evaluated {table.images} of {total} images")
    if args.json:
        print(json.dumps(table.as_dict(), indent=1))
    else:
        print(table.format())
    if args.out is not None:
        from vgg.evaluation.examples import class_examples
        from vgg.evaluation.plots import write_plots

        with replaced_folder(args.out, PROG, args.force) as folder:
            written = [p.name for p in write_plots(
                table, folder, class_examples(model) if digits else None)]
        if not args.json:
            print("wrote " + ", ".join(str(Path(args.out) / name) for name in written))
    return 0


COMMAND = Command(PROG, read, run, input_errors=(InputError,))

__all__ = ["COMMAND", "PROG", "parser", "read"]
