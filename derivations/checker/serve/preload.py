"""Imported once by the process that forks the workers (multiprocessing's fork server):
importing this module loads the checker and derives the sheet's answers, so that every
worker forked afterwards starts with them in memory (about 1 s saved per new worker).

It has no names of its own; :func:`warm` is what the import runs.

>>> warm()
"""

from __future__ import annotations


def warm() -> None:
    """Load the checker, derive every answer and read one answer of each kind."""
    from derivations import answers
    from derivations.checker.serve.preview import preview
    from derivations.checker.verdict import check

    answers.answers()
    preview("w/(2*lambda)")
    check("1a", "w/(2*lambda)")


warm()
