"""``python -m vgg.evaluate``: the command of :mod:`vgg.evaluation.cli` (the evaluation itself
is the package :mod:`vgg.evaluation`)."""

from vgg.evaluation.cli import COMMAND

if __name__ == "__main__":
    COMMAND.start()
