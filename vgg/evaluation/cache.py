r"""Evaluations cached by the network's file hash: a second report does not evaluate again.

An evaluation of a network file is stored as the JSON of its table
(:meth:`vgg.evaluation.table.Table.as_dict`) in ``folder/<sha256 of the weights>-<digest of the
settings>.json``: the key changes when the network's bytes change (another training) or when
the evaluation's settings do (:data:`VERSION` is part of them: it changes when the evaluation
measures differently). A file that cannot be read as a table is evaluated again and replaced.
Written through a temporary file and renamed, so a half-written cache is never read.

>>> key_of("ab" * 32, {"steps": 16})
'abababababababababababababababababababababababababababababababab-...'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from vgg.evaluation.table import Table

#: Part of every key: raise it when the evaluation measures differently.
VERSION = 1


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of the file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def key_of(sha: str, settings: Mapping[str, Any]) -> str:
    """``<sha>-<first 12 hex of the SHA-256 of the settings and VERSION as sorted JSON>``."""
    text = json.dumps({"version": VERSION, **settings}, sort_keys=True, default=str)
    return f"{sha}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def cached_table(weights: str | os.PathLike[str], settings: Mapping[str, Any],
                 evaluate: Callable[[], Table], folder: str | os.PathLike[str]
                 ) -> tuple[Table, bool]:
    """``(table, from_cache)``: the cached evaluation of the network file ``weights`` under
    ``settings``, else ``evaluate()``, stored in ``folder`` (created if missing)."""
    path = Path(folder) / f"{key_of(file_sha256(weights), settings)}.json"
    if path.is_file():
        try:
            return Table.from_dict(json.loads(path.read_text(encoding="utf-8"))), True
        except (ValueError, KeyError, TypeError):
            pass  # unreadable: evaluated again below, and replaced
    table = evaluate()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(table.as_dict()), encoding="utf-8")
    os.replace(partial, path)
    return table, False


__all__ = ["VERSION", "cached_table", "file_sha256", "key_of"]
