"""The journal of a grading run: every check's result appended as it finishes, so that
``--resume`` continues after Ctrl-C, a crash or a killed machine without checking again
what was journaled.

Where: beside the output folder, ``DIR.journal.jsonl`` (``--out grades`` journals to
``grades.journal.jsonl``), never inside ``DIR``, which is replaced as a whole only at the end.

What: JSON lines (:func:`~.text.json_line`: valid UTF-8, control characters as JSON
escapes). The first line says who wrote the file, ``{"journal": "python -m derivations
grade", "version": 1}``; each further line is one check, ``{"id", "answer", "format",
"result"}`` with ``result`` the ``check --json`` object (plus
``right_on_positive_measure``, :mod:`~.measure`), the answer exactly as typed.

Durability: each line is written with one ``os.write`` as its check finishes (no buffer in
this process: a process killed with SIGKILL loses nothing it wrote), and the file is
fsync'd every :data:`SYNC_LINES` lines or :data:`SYNC_SECONDS` seconds and when closed, so
a machine that loses power loses at most the last batch. A line cut short by a crash is
skipped when the journal is read, and the next line starts on a line of its own.

Life: a run without ``--resume`` starts a new journal (replacing an old one of this
command); with ``--resume`` it reads the old one (and ``DIR/grades.jsonl``, the results of
the last finished run) and appends. When the outputs are written the journal is removed:
``DIR/grades.jsonl`` then holds every result. A file at the journal's place that this
command did not write is a :class:`~.errors.JournalError` (exit 2, before any work).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "grades"
>>> journal_path(out).name
'grades.journal.jsonl'
>>> with Journal(journal_path(out)) as j:
...     j.add("1a", "w/(2 lambda)", None, {"verdict": "PROVED"})
>>> done = read_journal(journal_path(out))
>>> done.exact[("1a", "w/(2 lambda)", None)]["verdict"]
'PROVED'
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from derivations.checker.grading.errors import JournalError
from derivations.checker.grading.submissions import normalized
from derivations.checker.grading.text import json_line, shown

#: The first line of a journal: who wrote it, and the format's version.
HEADER = {"journal": "python -m derivations grade", "version": 1}

#: fsync after this many lines …
SYNC_LINES = 256
#: … or this many seconds since the last fsync, whichever comes first.
SYNC_SECONDS = 0.5

#: A check: id, answer exactly as typed, format.
Key = tuple[str, str, "str | None"]


def journal_path(out: str | os.PathLike[str]) -> Path:
    """The journal of the output folder ``out``: ``out.journal.jsonl`` beside it."""
    out = Path(out)
    return out.with_name(f"{out.name}.journal.jsonl")


@dataclass
class Done:
    """Results already known, for ``--resume``: by the answer exactly as typed, and (for the
    answers that were read) by the answer up to whitespace, as :func:`grade` reuses them."""

    exact: dict[Key, dict[str, Any]] = field(default_factory=dict)
    spaced: dict[Key, dict[str, Any]] = field(default_factory=dict)

    def add(self, answer_id: str, answer: str, fmt: str | None,
            result: Mapping[str, Any]) -> None:
        result = dict(result)
        self.exact[(answer_id, answer, fmt)] = result
        if result.get("verdict") != "CANNOT CHECK":  # its message points into the text
            self.spaced[(answer_id, normalized(answer), fmt)] = result

    def find(self, answer_id: str, answer: str, fmt: str | None) -> dict[str, Any] | None:
        """The known result of this answer, or None.

        >>> d = Done(); d.add("1a", "w /lambda", None, {"verdict": "REFUTED"})
        >>> d.find("1a", " w  /lambda", None), d.find("1a", "w", None)
        ({'verdict': 'REFUTED'}, None)
        """
        found = self.exact.get((answer_id, answer, fmt))
        return found if found is not None else self.spaced.get(
            (answer_id, normalized(answer), fmt))

    def update(self, other: Done) -> None:
        self.exact.update(other.exact)
        self.spaced.update(other.spaced)

    def __len__(self) -> int:
        return len(self.exact)


def _lines(path: Path) -> Iterable[dict[str, Any]]:
    """The JSON objects of ``path``, one a line; a line that is not one is skipped."""
    with path.open("rb") as f:
        for raw in f:
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                continue
            if isinstance(obj, dict):
                yield obj


def _ours(path: Path) -> bool:
    """Whether ``path`` starts with :data:`HEADER` (written by this command)."""
    try:
        with path.open("rb") as f:
            first = f.readline(4096)
        return json.loads(first.decode("utf-8")) == HEADER
    except (OSError, UnicodeDecodeError, ValueError):
        return False


def check_journal(path: Path) -> None:
    """A :class:`~.errors.JournalError` unless ``path`` is absent or a journal of this
    command (so that no file of the user's is replaced or read as one)."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise JournalError(f"{shown(str(path))} is where this command keeps its journal, "
                           f"but it is not a plain file; move it away")
    if path.exists() and not _ours(path):
        raise JournalError(f"{shown(str(path))} is where this command keeps its journal, "
                           f"but that file was not written by it; move it away or choose "
                           f"another --out")


def read_journal(path: Path) -> Done:
    """The results journaled at ``path`` (none if it is absent)."""
    done = Done()
    if not path.is_file():
        return done
    check_journal(path)
    for obj in _lines(path):
        key = obj.get("id"), obj.get("answer"), obj.get("format")
        result = obj.get("result")
        if (isinstance(key[0], str) and isinstance(key[1], str)
                and (key[2] is None or isinstance(key[2], str)) and isinstance(result, dict)
                and isinstance(result.get("verdict"), str)):
            done.add(key[0], key[1], key[2], result)
    return done


class Journal:
    """An open journal (see the module docstring); ``resume`` appends to an existing one."""

    def __init__(self, path: Path, resume: bool = False) -> None:
        self.path = Path(path)
        self.lines = 0
        self.failed: str | None = None  # why writing stopped (a full disk), if it did
        check_journal(self.path)
        keep = resume and self.path.is_file()
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if keep else os.O_TRUNC)
        self._fd: int | None = os.open(self.path, flags, 0o666)
        if keep:
            if self.path.stat().st_size and not self._ends_with_newline():
                os.write(self._fd, b"\n")  # a line cut short stays a line of its own
        else:
            os.write(self._fd, json_line(HEADER).encode("utf-8"))
        self._synced, self._unsynced = time.monotonic(), 0

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"

    def add(self, answer_id: str, answer: str, fmt: str | None,
            result: Mapping[str, Any]) -> None:
        """Journal one check's result (written at once; fsync'd in batches). Once a write
        fails (a full disk), journaling stops and :attr:`failed` says why."""
        if self._fd is None:
            return
        line = json_line({"id": answer_id, "answer": answer, "format": fmt,
                          "result": dict(result)})
        try:
            os.write(self._fd, line.encode("utf-8"))
            self.lines += 1
            self._unsynced += 1
            if (self._unsynced >= SYNC_LINES
                    or time.monotonic() - self._synced >= SYNC_SECONDS):
                self.sync()
        except OSError as error:
            self._stop(error)

    def sync(self) -> None:
        if self._fd is not None and self._unsynced:
            try:
                os.fsync(self._fd)
            except OSError as error:
                self._stop(error)
                return
            self._synced, self._unsynced = time.monotonic(), 0

    def _stop(self, error: OSError) -> None:
        """Stop journaling (the grading goes on; its outputs are complete without it)."""
        self.failed = error.strerror or str(error)
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                if self._unsynced:
                    os.fsync(fd)
            except OSError as error:
                self.failed = self.failed or error.strerror or str(error)
            finally:
                os.close(fd)

    def remove(self) -> None:
        """Close and delete the journal (the outputs now hold every result)."""
        self.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


__all__ = ["HEADER", "SYNC_LINES", "SYNC_SECONDS", "Done", "Journal", "check_journal",
           "journal_path", "read_journal"]
