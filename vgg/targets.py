"""Which output neuron to explain: a class index or a class name (ImageNet's, or the digits
network's ``0``-``9``).

Names are matched case-insensitively, with ``_`` read as a space, against the network's class
names (:func:`vgg.weights.class_names`). A name that is not there gets the closest names suggested
(those containing it, then :func:`difflib.get_close_matches`); a name that two classes share
asks for the index (torchvision's list has none: it calls the bird ``crane bird``).

>>> from vgg.weights import class_names
>>> names = class_names("imagenet")
>>> resolve("castle", names), resolve("CASTLE", names), resolve("483", names), resolve(7, names)
(483, 483, 483, 7)
>>> resolve("tiger_cat", names) == names.index("tiger cat")
True
>>> label(483, names)
'castle (483)'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from vgg.errors import TargetError
from vgg.limits import class_index_message

_INTEGER = re.compile(r"[+-]?\d+")


def _key(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def label(index: int, names: Sequence[str]) -> str:
    """``"name (index)"``."""
    return f"{names[index]} ({index})"


def suggestions(name: str, names: Sequence[str], n: int = 5) -> list[str]:
    """Up to ``n`` labels of classes whose names contain ``name`` or are close to it."""
    key = _key(name)
    keys = [_key(k) for k in names]
    found = [i for i, k in enumerate(keys) if key and key in k]
    close = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
    for k in close:
        found.extend(i for i, other in enumerate(keys) if other == k and i not in found)
    return [label(i, names) for i in found[:n]]


def index_of(spec: int | str, classes: int) -> int | None:
    """The class index ``spec`` gives if it is an int (or a string of digits), checked to lie
    in ``[0, classes)`` (else a :class:`TargetError`); None if it is a name.

    >>> index_of("7", 10), index_of("seven", 10)
    (7, None)
    """
    if isinstance(spec, int) or _INTEGER.fullmatch(str(spec).strip()):
        index = int(spec)
        if not 0 <= index < classes:
            raise TargetError(class_index_message(index, classes))
        return index
    return None


def resolve(spec: int | str, names: Sequence[str]) -> int:
    """The class index ``spec`` denotes: an int (or a string of digits) in ``[0, len(names))``,
    or a class name; anything else is a :class:`TargetError`."""
    count = len(names)
    index = index_of(spec, count)
    if index is not None:
        return index
    key = _key(spec)
    matches = [i for i, name in enumerate(names) if _key(name) == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = ", ".join(label(i, names) for i in matches)
        raise TargetError(f"class name {spec!r} names {len(matches)} classes: {options}; "
                         "pass the index with --target N")
    close = suggestions(spec, names)
    hint = f"closest: {', '.join(close)}" if close else "no class name is close to it"
    raise TargetError(f"unknown class name {spec!r} ({hint}); pass one of the network's "
                     f"{count} class names or an index 0 to {count - 1}")


__all__ = ["index_of", "label", "resolve", "suggestions"]
