"""``python -m vgg.digits``: see :mod:`vgg.digits.cli`."""

from vgg.digits.cli import COMMAND

if __name__ == "__main__":
    COMMAND.start()
