"""``python -m derivations.checker ID ANSWER`` — the same as ``python -m derivations check``."""

from derivations.checker.cli import COMMAND

if __name__ == "__main__":
    COMMAND.start()
