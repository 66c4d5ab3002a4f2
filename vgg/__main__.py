"""``python -m vgg`` — see :mod:`vgg.cli`."""

import sys

from vgg.cli import main

if __name__ == "__main__":
    sys.exit(main())
