"""``python -m derivations``: the table of its commands (:class:`clitools.CommandTable`).

    python -m derivations answers [ID ...] [--json]
    python -m derivations latex -o FILE.tex [--pdf]
    python -m derivations check ...        (see ``python -m derivations check --help``)
    python -m derivations grade ...        (a whole class: ``python -m derivations grade --help``)
    python -m derivations serve [--port 8000] [--workers N]   (the page for a class)

With no command it prints this table. The problem statement is ``docs/sheet11.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from clitools import CommandTable

PROG = "python -m derivations"

TABLE = CommandTable(
    PROG,
    "Exercise sheet 11 (docs/sheet11.md) derived by SymPy, and a checker for students' answers.",
    commands={
        "answers": "derivations.cli:ANSWERS",
        "latex": "derivations.cli:LATEX",
        "check": "derivations.checker.cli:COMMAND",
        "grade": "derivations.checker.grading.cli:COMMAND",
        "serve": "derivations.checker.serve.cli:COMMAND",
    },
    summaries={
        "answers": "print every final answer (or the given ids)",
        "latex": "write the step-checked derivations as LaTeX (and PDF)",
        "check": "check one answer: PROVED, NUMERICALLY EQUAL, REFUTED or CANNOT CHECK",
        "grade": "grade a whole class's answers in one run",
        "serve": "serve the page where students check their answers (a web server)",
    },
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    return TABLE.main(argv)


if __name__ == "__main__":
    TABLE.start()
