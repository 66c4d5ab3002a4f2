"""``python -m vgg.bench``: see :mod:`vgg.bench.cli`."""

from vgg.bench.cli import COMMAND

if __name__ == "__main__":
    COMMAND.start()
