"""``python -m vgg`` — see :mod:`vgg.cli`. Ctrl-C at any moment, imports included, is one line
and exit status 130."""

import sys

from clitools import interruptible

with interruptible("python -m vgg"):
    from vgg.cli import main

    if __name__ == "__main__":
        sys.exit(main())
