"""All-or-nothing output that never deletes what the suite did not write.

- :class:`Staged` writes files under temporary names next to their final places and renames
  them (``os.replace``, atomic on one file system) only when every one of them is done;
- :func:`write_file` is one staged file;
- :func:`replaced_folder` builds a whole folder beside its final place and swaps it in on
  success: **the one rule of every command that writes a folder**. It replaces a folder only
  when it is absent, empty, or holds nothing but what the same command wrote there before,
  unchanged (a :data:`MARKER` file inside lists each file with its SHA-256,
  :mod:`clitools.record`); a folder with the user's own files, or with a file the user
  edited since, is refused with a :class:`~clitools.usage.UsageError` naming ``--force``;
- :func:`write_output` writes a file option's text, to standard output for ``-``
  (:data:`STDOUT`); :func:`check_writable_file` checks such an option before any work.

Files and folders get the usual permissions (the process's umask), as any other program's.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with Staged() as stage:
...     _ = stage.path(root / "a.txt").write_text("a")
...     sorted(p.name.startswith(".a.txt.") for p in root.iterdir())
[True]
>>> sorted(p.name for p in root.iterdir())
['a.txt']
>>> with replaced_folder(root / "report", "python -m demo") as tmp:
...     _ = (tmp / "out.txt").write_text("new")
>>> sorted(p.name for p in (root / "report").iterdir())
['.sheet11-output', 'out.txt']
>>> _ = (root / "mine").mkdir(); _ = (root / "mine" / "thesis.txt").write_text("years of work")
>>> with replaced_folder(root / "mine", "python -m demo") as tmp:
...     pass
Traceback (most recent call last):
...
clitools.usage.UsageError: --out ... holds files this command did not write (thesis.txt); ...
>>> (root / "mine" / "thesis.txt").read_text()
'years of work'
>>> _ = (root / "report" / "out.txt").write_text("new, and my note")
>>> with replaced_folder(root / "report", "python -m demo") as tmp:
...     pass
Traceback (most recent call last):
...
clitools.usage.UsageError: .../report/out.txt was changed after python -m demo wrote it; ...
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TextIO

from clitools.record import MARKER, changes, write_record
from clitools.usage import UsageError

#: The file name that means standard output (for a file option that writes; standard input
#: for ``check`` and ``grade``, which read).
STDOUT = "-"


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def usual_mode(directory: bool) -> int:
    """The mode a newly created file (``0o666``) or folder (``0o777``) gets under the umask."""
    return (0o777 if directory else 0o666) & ~_umask()


class Staged:
    """Collects ``(temporary, final)`` pairs; on a clean exit renames each temporary file to
    its final name, on an exception deletes them all. Folders it created for the outputs and
    left empty are removed again on failure."""

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []
        self._created: list[Path] = []

    def folder(self, folder: str | os.PathLike[str]) -> Path:
        """Make ``folder`` (and missing parents), remembering which ones were new."""
        folder = Path(folder)
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        self._created.extend(missing)  # innermost first
        return folder

    def path(self, final: str | os.PathLike[str]) -> Path:
        """A fresh temporary name in ``final``'s folder (made if missing, :meth:`folder`; the
        file is not created: the writer creates it, with the usual permissions), to be renamed
        to ``final``."""
        final = Path(final)
        self.folder(final.parent)
        temporary = final.with_name(f".{final.name}.{secrets.token_hex(6)}.tmp")
        self._pairs.append((temporary, final))
        return temporary

    def commit(self) -> None:
        for temporary, final in self._pairs:
            os.replace(temporary, final)
        self._pairs.clear()

    def discard(self) -> None:
        for temporary, _ in self._pairs:
            with contextlib.suppress(OSError):
                temporary.unlink()
        self._pairs.clear()
        for folder in self._created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        self._created.clear()

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            try:
                self.commit()
            except BaseException:
                self.discard()
                raise
        else:
            self.discard()


def write_file(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` all or nothing (text as UTF-8).

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_file(p, "x").read_text(), oct(p.stat().st_mode & 0o777) == oct(usual_mode(False))
    ('x', True)
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with Staged() as stage:
        stage.path(path).write_bytes(raw)
    return path


def existing_file(path: str | os.PathLike[str], noun: str, hint: str = "",
                  error: type[Exception] = UsageError) -> Path:
    """``path`` if it names a regular file, else ``error`` (a :class:`UsageError` unless a
    library passes its own exception) saying ``no such {noun}: {path}`` or ``{path} is not a
    file``, followed by ``hint``.

    >>> existing_file("/nonexistent/x.png", "image file")
    Traceback (most recent call last):
    ...
    clitools.usage.UsageError: no such image file: /nonexistent/x.png
    """
    path = Path(path)
    if not path.exists():
        raise error(f"no such {noun}: {path}{hint}")
    if not path.is_file():
        raise error(f"{path} is not a file (a folder or special file){hint}")
    return path


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def check_output_folder(folder: str | os.PathLike[str], what: str,
                        error: type[Exception] = UsageError) -> Path:
    """``folder`` is, or can be created as, a folder this process can write files into: tried
    for real (created, a file made and removed there; what was created is removed again);
    else an ``error`` (a library passes its own class).

    >>> check_output_folder("/proc/x", "--out")
    Traceback (most recent call last):
    ...
    clitools.usage.UsageError: --out /proc/x: cannot create the folder (No such file or directory)
    """
    folder = Path(folder)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        raise error(f"{what} {folder}: {existing} is a file, not a folder")
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as reason:
        raise error(f"{what} {folder}: cannot create the folder ({_reason(reason)})") from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as reason:
        raise error(f"{what} {folder}: cannot write there ({_reason(reason)})") from None
    finally:
        for p in created:  # innermost first; only empty folders go
            with contextlib.suppress(OSError):
                p.rmdir()
    return folder


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    """Whether a file option's value is ``-``, standard output (``./-`` is a file)."""
    return path is not None and os.fspath(path) == STDOUT


def check_writable_file(path: str | os.PathLike[str], what: str,
                        stdout: bool = True) -> Path:
    """``path`` can be written as a file: not a folder, in a folder that exists and is
    writable, and not a read-only file; or ``-`` (standard output) where ``stdout`` allows it
    (binary files do not go to a terminal: ``stdout=False`` refuses ``-``).

    >>> check_writable_file("-", "--json")
    PosixPath('-')
    >>> check_writable_file("-", "--save-relevance", stdout=False)
    Traceback (most recent call last):
    ...
    clitools.usage.UsageError: --save-relevance -: this file is binary and does not go to ...
    """
    path = Path(path)
    if is_stdout(path):
        if not stdout:
            raise UsageError(f"{what} -: this file is binary and does not go to standard "
                             "output; give a file name (./- names a file called -)")
        return path
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"{what} {path} is a folder; give a file name")
    if not folder.is_dir():
        raise UsageError(f"{what} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {path}: the folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{what} {path}: the file is not writable")
    return path


def write_output(path: str | os.PathLike[str], text: str) -> str:
    """Write ``text`` to the file ``path`` all or nothing (:func:`write_file`), or to standard
    output for ``-``; where it went, for a message (``standard output`` or the path)."""
    if is_stdout(path):
        sys.stdout.write(text)
        sys.stdout.flush()
        return "standard output"
    return str(write_file(path, text))


def messages_stream(*outputs: str | os.PathLike[str] | None) -> TextIO:
    """Where a command prints what it would print on standard output: standard error when
    one of its file ``outputs`` is ``-`` (standard output then carries that file alone),
    else standard output."""
    return sys.stderr if any(is_stdout(p) for p in outputs) else sys.stdout


def _listed(paths: Sequence[str | Path]) -> str:
    """``a, b, c and more``: at most three of ``paths``."""
    return ", ".join(map(str, paths[:3])) + (" and more" if len(paths) > 3 else "")


def check_replaceable(folder: str | os.PathLike[str], owner: str, force: bool = False,
                      what: str = "--out") -> Path:
    """``folder`` (resolved) may be replaced by ``owner``'s output: it is absent, or empty, or
    holds nothing but what ``owner`` wrote there before, unchanged (its :data:`MARKER` lists
    each file with its SHA-256, :mod:`clitools.record`), or ``force``; it is not ``-`` (a
    folder cannot go to standard output), not the current folder or one above it; and its
    parent can take a new folder. Else a :class:`UsageError` naming a way out: another folder,
    or ``--force``."""
    asked = Path(folder)
    if str(folder) == STDOUT:
        raise UsageError(f"{what} -: this option names a folder, and - (standard output) "
                         "takes one file, not a folder of them; give a folder (./- names a "
                         "folder called -)")
    folder = asked.resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{what} {asked} is a file, not a folder")
    if folder == Path.cwd().resolve() or folder in Path.cwd().resolve().parents:
        raise UsageError(f"{what} {asked} is the current folder or holds it; this command "
                         "replaces its output folder as a whole: choose a folder of its own, "
                         "such as report")
    if folder.is_dir() and not force:
        try:
            found = changes(folder, owner)
        except OSError as error:
            raise UsageError(
                f"{what} {asked}: cannot read the folder ({_reason(error)})") from None
        if found.foreign:
            raise UsageError(
                f"{what} {asked} holds files this command did not write "
                f"({_listed(found.foreign)}); it replaces its output folder as a whole, "
                f"so choose another folder, or pass --force to replace {asked} and everything "
                "in it")
        if found.edited:
            one = len(found.edited) == 1
            raise UsageError(
                f"{_listed([asked / p for p in found.edited])} {'was' if one else 'were'} "
                f"changed after {owner} wrote {'it' if one else 'them'}; "
                f"{what} {asked} is replaced as a whole, so copy your changes elsewhere or "
                f"choose another folder, or pass --force to replace {asked} and lose them")
    try:  # a new folder is tried where it will be; an existing one's parent takes the new
        check_output_folder(folder.parent if folder.exists() else folder, what)
    except UsageError as error:  # name the folder the user asked for, not its parent
        reason = str(error).split(": ", 1)[-1]
        raise UsageError(f"{what} {asked}: {reason}") from None
    return folder


@contextlib.contextmanager
def replaced_folder(final: str | os.PathLike[str], owner: str, force: bool = False,
                    what: str = "--out") -> Iterator[Path]:
    """Yield a new folder beside ``final``; on success it gets ``owner``'s :data:`MARKER`
    (each file written, with its SHA-256: :func:`clitools.record.write_record`) and replaces
    ``final``. ``final`` is checked by :func:`check_replaceable` before and again just before
    the swap (a file the user edited meanwhile is not lost: the new output is not kept); on
    failure the new folder is removed, with any parent folder made for it, and ``final`` is
    left as it was."""
    final = check_replaceable(final, owner, force, what)
    made = [p for p in (final.parent, *final.parent.parents) if not p.exists()]
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        os.chmod(tmp, usual_mode(True))
        yield tmp
        write_record(tmp, owner)
        try:
            check_replaceable(final, owner, force, what)
        except UsageError as error:
            raise UsageError(f"{error} (while this command ran; its new output was not "
                             "kept)") from None
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{secrets.token_hex(3)}")
        if final.exists():
            os.replace(final, old)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for p in made:  # innermost first; only if still empty
            with contextlib.suppress(OSError):
                p.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def inside(path: str | os.PathLike[str], folder: Path, written: Path) -> Path:
    """Where ``path`` is written while :func:`replaced_folder` builds ``folder`` in
    ``written``: in ``written`` if ``path`` lies in ``folder`` (so that it is part of the new
    folder), else ``path`` itself.

    >>> inside("report/r.npz", Path("report").resolve(), Path("/tmp/new"))
    PosixPath('/tmp/new/r.npz')
    >>> inside("elsewhere/r.npz", Path("report").resolve(), Path("/tmp/new"))
    PosixPath('elsewhere/r.npz')
    """
    resolved = Path(path).resolve()
    if resolved.is_relative_to(folder.resolve()):
        return written / resolved.relative_to(folder.resolve())
    return Path(path)


__all__ = [
    "MARKER",
    "STDOUT",
    "Staged",
    "check_output_folder",
    "check_replaceable",
    "check_writable_file",
    "existing_file",
    "inside",
    "is_stdout",
    "messages_stream",
    "replaced_folder",
    "usual_mode",
    "write_file",
    "write_output",
]
