"""All-or-nothing output: files are written under temporary names next to their final place
and renamed (``os.replace``, atomic on one file system) only when every one of them is done.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with Staged() as stage:
...     _ = stage.path(folder / "a.txt").write_text("a")
...     sorted(p.name.startswith(".a.txt.") for p in folder.iterdir())
[True]
>>> sorted(p.name for p in folder.iterdir())
['a.txt']
>>> try:
...     with Staged() as stage:
...         _ = stage.path(folder / "b.txt").write_text("b")
...         raise KeyError("something failed")
... except KeyError:
...     pass
>>> sorted(p.name for p in folder.iterdir())
['a.txt']
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from types import TracebackType


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
        """A fresh temporary name in ``final``'s folder (not created: the writer creates it, with
        the usual permissions), to be renamed to ``final``."""
        final = Path(final)
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

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            try:
                self.commit()
            except BaseException:
                self.discard()
                raise
        else:
            self.discard()


__all__ = ["Staged"]
