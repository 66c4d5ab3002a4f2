"""``python -m vgg``: see :mod:`vgg.cli`. Ctrl-C at any moment, imports included, is one line
and exit status 130."""

from vgg.cli import COMMAND

if __name__ == "__main__":
    COMMAND.start()
