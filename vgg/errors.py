"""The one exception type for bad input to the VGG tool.

Everything a user can get wrong (a missing image, an unknown class name, CUDA asked for but
absent, weights that cannot be found) is raised as :class:`UsageError` with a message meant
to be read as is; :func:`vgg.cli.main` prints it on one line and exits with status 2.

>>> str(UsageError("no such image: x.png"))
'no such image: x.png'
"""

from __future__ import annotations


class UsageError(Exception):
    """Bad input to the tool; ``str(error)`` is the complete message for the user."""


__all__ = ["UsageError"]
