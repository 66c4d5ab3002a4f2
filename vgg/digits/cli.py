"""``python -m vgg.digits train|crossval``: train the digits network, or select its recipe.

The reader (:func:`parser`) imports no torch: ``--help`` and every mistake in the arguments
answer at once; the body imports the training (:mod:`vgg.digits.train`).
"""

from __future__ import annotations

import argparse
import time

from clitools import (
    Command,
    Parser,
    argparse_reader,
    check_writable_file,
    integer_at_least,
    integer_between,
)
from vgg.digits import HELD_OUT, SIZE, weights_path
from vgg.digits.recipe import EPOCHS, FOLDS
from vgg.errors import InputError

PROG = "python -m vgg.digits"


def parser() -> Parser:
    """The command line: ``train [--out FILE] [--seed N] [--epochs N]`` and ``crossval
    [--seed N] [--epochs N] [--fold K]``."""
    p = Parser(prog=PROG, description="Train the digits VGG-16 on the first 1,437 images of "
                                      "scikit-learn's load_digits (the last 360 are held "
                                      "out), or cross-validate its training recipe.")
    commands = p.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("train", help="train on all 1,437 training images, fold the "
                                            "normalization, report the held-out accuracy and "
                                            "LRP's conservation figures, write weights")
    cmd.add_argument("--out", default=None,
                     help="weights file (a .json record is written beside it; default: the "
                          "shipped vgg/data/digits_vgg16_seed{SEED}.pt)")
    cv = commands.add_parser("crossval", help="blocked 5-fold cross-validation on the training "
                                              "images (model selection); writes nothing and "
                                              "never reads the held-out images")
    cv.add_argument("--fold", type=integer_between(0, FOLDS - 1, "--fold"), default=None,
                    help="run this fold only (default: all five)")
    for sub in (cmd, cv):
        sub.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0,
                         help="seed of the initialization, the batches and the augmentation "
                              "(default 0)")
        sub.add_argument("--epochs", type=integer_at_least(1, "--epochs"), default=EPOCHS,
                         help=f"epochs of training (default {EPOCHS})")
    return p


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments, with ``train --out`` tried: a file that can be written."""
    args = argparse_reader(parser)(argv)
    if args.command == "train":
        if args.out is None:
            args.out = str(weights_path(args.seed))
        check_writable_file(args.out, "--out", stdout=False)
    return args


def run(args: argparse.Namespace) -> int:
    """Train (and write the weights) or cross-validate, printing the progress."""
    from vgg.digits.data import held_out
    from vgg.digits.figures import figures
    from vgg.digits.network import CHANNELS
    from vgg.digits.train import accuracy, save, train

    print(f"digits VGG-16 (channels {'-'.join(map(str, CHANNELS))}, {SIZE} px), seed "
          f"{args.seed}, {args.epochs} epochs", flush=True)
    if args.command == "crossval":
        folds = range(FOLDS) if args.fold is None else [args.fold]
        right = total = 0
        started = time.perf_counter()
        for k in folds:
            hits, n = train(args.seed, args.epochs, fold=k).validation or (0, 0)
            right, total = right + hits, total + n
            print(f"fold {k}: {hits}/{n} = {100 * hits / n:.2f} %", flush=True)
        print(f"cross-validation accuracy: {right}/{total} = {100 * right / total:.2f} % "
              f"({time.perf_counter() - started:.0f} s)")
        return 0
    trained = train(args.seed, args.epochs, progress=lambda line: print(line, flush=True))
    x, y = held_out()
    acc = accuracy(trained.model, x, y)
    print(f"held-out accuracy (last {HELD_OUT} images): {100 * acc:.2f} %")
    print(f"training time: {trained.seconds:.1f} s")
    found = figures(trained.model)
    print(f"LRP share ΣR/f_t over the held-out digits: mean {found.share_mean:.3f}, median "
          f"{found.share_median:.3f}; negative sums: {100 * found.negative:.1f} % (of the "
          f"correctly classified: {100 * found.negative_correct:.1f} %)")
    weights, meta = save(trained, args.out, args.seed, args.epochs, acc, found.as_dict())
    print(f"wrote {weights} and {meta}")
    return 0


COMMAND = Command(PROG, read, run, input_errors=(InputError,))

__all__ = ["COMMAND", "PROG", "parser"]
