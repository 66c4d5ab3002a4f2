"""``python -m derivations.checker ID ANSWER`` — the same as ``python -m derivations check``."""

import sys

from clitools import interruptible

with interruptible("python -m derivations check"):
    from derivations.checker.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
