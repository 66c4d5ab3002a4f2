"""What the library raises for input a caller can correct: one :class:`InputError` a kind.

Each is a :class:`ValueError` (a Python caller catches it as one); its text is the whole
message, one line, in the words the command line prints. The commands list
:class:`InputError` as their library input errors (:class:`clitools.Command`), so each is
one line on stderr and exit status 2 there.

>>> issubclass(ImageError, InputError) and issubclass(InputError, ValueError)
True
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: the message says what is wrong and what to do instead."""


class ImageError(InputError):
    """An image that cannot be read, or whose size the network cannot take."""


class WeightsError(InputError):
    """Weights that cannot be had here, or that are not a VGG-16's (or its seed)."""


class WeightsUnavailable(WeightsError):
    """Weights that exist but cannot be had here (not cached, and offline): the one
    :class:`WeightsError` a command may answer by falling back to other weights
    (:func:`vgg.weights.build`, ``fallback=True``)."""


class TargetError(InputError):
    """A class the network does not have."""


class DeviceError(InputError):
    """A device that is not here."""


class OutputError(InputError):
    """A place the outputs cannot be written to."""


__all__ = ["DeviceError", "ImageError", "InputError", "OutputError", "TargetError",
           "WeightsError", "WeightsUnavailable"]
