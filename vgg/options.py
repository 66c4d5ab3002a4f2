"""The options of one explanation that their words alone decide: no torch, nothing read.

``python -m vgg`` checks them in its reader, before torch is imported (``--help`` and these
mistakes answer at once); :func:`vgg.pipeline.prepare` checks them again for a Python caller,
then the rest (the device, a weights file, the output places, the image).

>>> check_options("7", "digits", None)[1]
7
>>> check_options("11", "digits", None)
Traceback (most recent call last):
...
vgg.errors.TargetError: class index 11 is out of range: choose 0 to 9
"""

from __future__ import annotations

from vgg.errors import ImageError
from vgg.limits import check_resize
from vgg.targets import index_of, resolve
from vgg.weights import Network, choice


def check_options(target: int | str | None, value: str,
                  resize: int | None) -> tuple[Network, int | None]:
    """The network ``--weights value`` chooses (a typo refused) and the class ``target``
    gives where its words decide it (an index, or a name of a network whose names are known
    without loading; None: the top-1 class, or a name resolved once the names are loaded);
    ``resize`` in its range and not given where the network reads one fixed size."""
    network = choice(value)
    wanted = None
    if target is not None:
        wanted = (resolve(target, network.names) if network.names is not None
                  else index_of(target, network.classes))
    check_resize(resize)
    if network.digits and resize is not None:
        raise ImageError("--resize does not apply to --weights digits: a digit is read at the "
                         f"{network.side} px the network was trained on")
    return network, wanted


__all__ = ["check_options"]
