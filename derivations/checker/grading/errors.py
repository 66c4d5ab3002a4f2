"""What a grading run refuses to start with: the library's own exceptions.

They are ``ValueError`` subclasses, so a Python caller can catch them; ``python -m derivations
grade`` (:mod:`derivations.checker.grading.cli`) reports each as one line and exit status 2,
before any answer is checked and before any output is written.
A single answer that cannot be read is not an error: it becomes a CANNOT CHECK row.
"""

from __future__ import annotations


class GradingInputError(ValueError):
    """The input of a grading run cannot be used as a whole; the text is the whole message."""


class SubmissionsError(GradingInputError):
    """The submissions file is missing, empty, has no header, or is not JSON/CSV at all."""


class AssignmentError(GradingInputError):
    """The assignment (points) file cannot be read or names unknown ids, keys or values."""


class OverridesError(GradingInputError):
    """The overrides file cannot be read, or a row names no student, an unknown id, points
    outside the id's range, or the same answer twice."""


class JournalError(GradingInputError):
    """The place of the journal beside the output folder holds a file this command did not
    write."""


class GradescopeError(GradingInputError):
    """``--gradescope`` was asked for a file holding several students, or the autograder
    bundle cannot be written where asked."""


__all__ = ["AssignmentError", "GradescopeError", "GradingInputError", "JournalError",
           "OverridesError", "SubmissionsError"]
