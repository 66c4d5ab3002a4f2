r"""The record a command leaves in a folder it wrote: who wrote it, and each file's SHA-256.

A folder written by :func:`clitools.replaced_folder` holds a :data:`MARKER` file:

.. code-block:: text

    python -m solution
    9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  solution.tex
    60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752  figures/lrp.png

The first line is the command, each further line ``h  path``: the SHA-256 ``h`` of a file
written (a path relative to the folder, ``/``-separated; a path holding ``\`` or a line
break is written as ``sha256sum`` writes it: the line starts with ``\`` and those characters
are escaped), so ``tail -n +2 .sheet11-output | sha256sum -c`` checks a folder by hand.
A record of the first format (the command, then the top-level names written, no hashes) is
still read: each name covers what lies under it, unverified.

:func:`changes` compares a folder with its record: the files that are not the command's
(``foreign``: the user's own, or a file added to an earlier output) and the files the command
wrote that were changed since (``edited``). A folder either may be replaced by the command
(neither) or holds something of the user's.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("mine")
>>> write_record(folder, "python -m demo")
>>> changes(folder, "python -m demo")
Changes(foreign=(), edited=())
>>> _ = (folder / "a.txt").write_text("edited")
>>> _ = (folder / "notes.md").write_text("added")
>>> changes(folder, "python -m demo")
Changes(foreign=('notes.md',), edited=('a.txt',))
>>> changes(folder, "python -m other").foreign
('a.txt', 'notes.md')
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: The file inside a folder written by :func:`clitools.replaced_folder`: its record.
MARKER = ".sheet11-output"

#: How many foreign or edited files :func:`changes` collects before it stops looking.
SHOWN = 4

_HASHED = re.compile(r"(\\?)([0-9a-f]{64})  (.+)")


@dataclass(frozen=True)
class Record:
    """A folder's :data:`MARKER`: the ``owner`` command, the ``files`` it wrote (relative
    path → SHA-256 hex digest) and, in a record of the first format, the top-level ``names``
    it wrote (unhashed)."""

    owner: str
    files: dict[str, str]
    names: frozenset[str] = frozenset()

    def covers(self, path: str) -> bool:
        """Whether ``path`` (relative, ``/``-separated) was written by the owner."""
        return path in self.files or path.split("/", 1)[0] in self.names


@dataclass(frozen=True)
class Changes:
    """What stops a command from replacing a folder: ``foreign`` files (not the command's)
    and ``edited`` ones (the command's, changed since); relative paths, at most
    :data:`SHOWN` of each (then the search stops)."""

    foreign: tuple[str, ...]
    edited: tuple[str, ...]


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
    >>> _ = p.write_bytes(b"test")
    >>> sha256(p)[:16]
    '9f86d081884c7d65'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _escape(path: str) -> tuple[str, str]:
    """``("\\", escaped)`` for a path holding ``\\`` or a line break, as ``sha256sum`` writes
    it, else ``("", path)``."""
    if not any(c in path for c in "\\\n\r"):
        return "", path
    return "\\", path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(path: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), path)


def files_under(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every entry under ``folder`` that is not a folder (files, links, others; links are
    not followed), as (relative ``/``-separated path, path), the :data:`MARKER` left out, in
    sorted order."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        here = Path(root)
        for name in sorted(names + [d for d in dirs if (here / d).is_symlink()]):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if relative != MARKER:
                yield relative, path


def write_record(folder: Path, owner: str) -> None:
    """Write ``folder``'s :data:`MARKER`: ``owner`` and the SHA-256 of every file in it."""
    lines = [owner]
    for relative, path in files_under(folder):
        if stat.S_ISREG(path.lstat().st_mode):
            mark, shown = _escape(relative)
            lines.append(f"{mark}{sha256(path)}  {shown}")
    (folder / MARKER).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_record(folder: Path) -> Record | None:
    """``folder``'s :data:`MARKER` (either format), or None without a readable one.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / MARKER).write_text("python -m old\\nsolution.tex\\nfeedback\\n")
    >>> record = read_record(folder)
    >>> record.covers("feedback/ada.md"), record.covers("notes.md")
    (True, False)
    """
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines:
        return None
    files, names = {}, set()
    for line in lines[1:]:
        hashed = _HASHED.fullmatch(line)
        if hashed:
            escaped, digest, path = hashed.groups()
            files[_unescape(path) if escaped else path] = digest
        elif line:
            names.add(line)
    return Record(lines[0], files, frozenset(names))


def _edited(path: Path, digest: str) -> bool:
    """Whether the file at ``path`` no longer has the SHA-256 ``digest`` (a file replaced by
    a link or a folder counts as edited; a file deleted does not: nothing of it is lost)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    return not stat.S_ISREG(mode) or sha256(path) != digest


def changes(folder: Path, owner: str) -> Changes:
    """What in ``folder`` is not ``owner``'s to replace (see :class:`Changes`): compared with
    the record only if ``owner`` wrote it. Folders themselves are never foreign (an empty
    folder holds nothing to lose). OSError if the folder cannot be read."""
    record = read_record(folder)
    if record is not None and record.owner != owner:
        record = None
    foreign: list[str] = []
    for relative, _ in files_under(folder):
        if record is None or not record.covers(relative):
            foreign.append(relative)
            if len(foreign) >= SHOWN:
                break
    edited: list[str] = []
    for relative, digest in sorted((record.files if record else {}).items()):
        if _edited(folder / relative, digest):
            edited.append(relative)
            if len(edited) >= SHOWN:
                break
    return Changes(tuple(foreign), tuple(edited))


__all__ = ["MARKER", "SHOWN", "Changes", "Record", "changes", "files_under", "read_record",
           "sha256", "write_record"]
