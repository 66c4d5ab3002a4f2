"""The one exception type for bad input to the VGG tool, and the file check every input shares.

Everything a user can get wrong (a missing image, an unknown class name, CUDA asked for but
absent, weights that cannot be found) is raised as :class:`UsageError` with a message meant
to be read as is; :func:`vgg.cli.main` prints it on one line and exits with status 2.

>>> str(UsageError("no such image: x.png"))
'no such image: x.png'
>>> existing_file("/nonexistent/x.png", "image file")
Traceback (most recent call last):
...
vgg.errors.UsageError: no such image file: /nonexistent/x.png
>>> existing_file("/", "weights file", hint=". Choose another.")
Traceback (most recent call last):
...
vgg.errors.UsageError: / is not a file (a directory or special file). Choose another.
"""

from __future__ import annotations

import os
from pathlib import Path


class UsageError(Exception):
    """Bad input to the tool; ``str(error)`` is the complete message for the user."""


def existing_file(path: str | os.PathLike[str], noun: str, hint: str = "") -> Path:
    """``path`` as a :class:`~pathlib.Path` if it names a regular file; else a
    :class:`UsageError`, ``no such {noun}: {path}`` or ``{path} is not a file``, followed by
    ``hint``."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"no such {noun}: {path}{hint}")
    if not path.is_file():
        raise UsageError(f"{path} is not a file (a directory or special file){hint}")
    return path


__all__ = ["UsageError", "existing_file"]
