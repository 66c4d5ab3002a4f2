"""A TA's decisions on top of the checker's verdicts (``--overrides FILE``).

The file is the TA's: it lives outside the output folder (one inside it is refused, since
that folder is replaced on every run), and every run applies it again. CSV, with the columns

    student,id,points,answer_hash,comment

(in any order and case; ``comment`` may be left out; ``;`` or tab separators as for the
submissions), or TOML, a list of tables:

    [[override]]
    student = "bob"
    id = "2a.i"
    points = 1
    answer_hash = "3f9a0c41d2b7"
    comment = "max(0, a1 - 5) is the network's bias; accepted"

``answer_hash`` is the answer the decision was made for: the ``answer_hash`` column of
``grades.csv`` (:func:`~.submissions.answer_hash`, the first 12 hex digits of the SHA-256
of the answer up to whitespace), or empty for an id the student did not answer. A
decision is applied only while the student's standing answer (their last for the id) has
that hash; once the answer has changed, the decision is flagged in the summary and the
feedback and the checker's points stand. ``points`` go from 0 to the id's points; the id
must count in the assignment; one decision per student and id.

>>> [o] = parse_overrides(b"student,id,points,answer_hash\\nbob,1a,0.5,\\n", "o.csv",
...                       {"1a": 1.0})
>>> o.student, o.answer_id, o.points, o.answer_hash, o.place
('bob', '1a', 0.5, '', 'line 2')
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clitools import existing_file
from derivations.checker.grading.errors import OverridesError
from derivations.checker.grading.text import shown

#: The columns of a CSV overrides file (``comment`` may be left out).
COLUMNS = ("student", "id", "points", "answer_hash", "comment")

_HASH = re.compile(r"[0-9a-f]{12}")


@dataclass(frozen=True)
class Override:
    """One decision: who, which id, the points, for which answer (its hash, ``""``: no
    answer), why, and where in the file (``line 4``, ``override 2``)."""

    student: str
    answer_id: str
    points: float
    answer_hash: str
    comment: str = ""
    place: str = ""


def _fail(where: str, what: str) -> OverridesError:
    return OverridesError(f"--overrides {where}: {what}")


def _row(where: str, place: str, fields: Mapping[str, Any],
         points_of: Mapping[str, float]) -> Override:
    """One decision checked: a student, an id that counts, points in range, a hash."""
    at = f"{where}, {place}"
    student = fields.get("student")
    if not isinstance(student, str) or not student.strip():
        raise _fail(at, "no student")
    answer_id = fields.get("id")
    if not isinstance(answer_id, str) or answer_id.strip() not in points_of:
        raise _fail(at, f"the id {shown(str(answer_id))!r} does not count in the assignment "
                        f"(the ids that count: {', '.join(points_of)})")
    answer_id = answer_id.strip()
    raw = fields.get("points")
    try:
        points = float(raw) if not isinstance(raw, bool) else math.nan
    except (TypeError, ValueError):
        points = math.nan
    top = points_of[answer_id]
    if not (math.isfinite(points) and 0 <= points <= top):
        raise _fail(at, f"points must be a number from 0 to {top:g} (the points of "
                        f"{answer_id}), got {shown(str(raw))!r}")
    digest = fields.get("answer_hash")
    digest = "" if digest is None else str(digest).strip().lower()
    if "answer_hash" not in fields:
        raise _fail(at, "no answer_hash (copy it from grades.csv; empty for an id the "
                        "student did not answer)")
    if digest and not _HASH.fullmatch(digest):
        raise _fail(at, f"answer_hash must be the 12 hex digits of grades.csv's "
                        f"answer_hash column, got {shown(digest)!r}")
    comment = fields.get("comment") or ""
    if not isinstance(comment, str):
        raise _fail(at, "comment must be text")
    return Override(student.strip(), answer_id, points, digest, comment.strip(), place)


def _csv(text: str, where: str) -> list[tuple[str, dict[str, Any]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next((d for d in (",", ";", "\t")
                      if {"student", "id", "points"} <= {n.strip().lower() for n in next(
                          csv.reader([first], delimiter=d), [])}), None)
    if delimiter is None:
        raise _fail(where, f"no header naming the columns {', '.join(COLUMNS)} (the first "
                           f"line: {shown(first[:80])!r})")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[str, dict[str, Any]]] = []
    names: list[str] | None = None
    try:
        for record in reader:
            if not any(f.strip() for f in record):
                continue
            if names is None:
                names = [f.strip().lower() for f in record]
                continue
            fields = {n: v for n, v in zip(names, record, strict=False) if n in COLUMNS}
            rows.append((f"line {reader.line_num}", fields))
    except csv.Error as error:
        raise _fail(where, f"unreadable CSV on line {reader.line_num}: {error}") from None
    return rows


def _toml(text: str, where: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        raise _fail(where, "TOML needs Python 3.11 or later; write the file as CSV") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _fail(where, f"not valid TOML ({error})") from None
    unknown = sorted(set(data) - {"override"})
    entries = data.get("override", [])
    if unknown or not isinstance(entries, list):
        raise _fail(where, "expected [[override]] tables only")
    rows = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _fail(where, f"override {n}: not a table")
        extra = sorted(set(entry) - set(COLUMNS))
        if extra:
            raise _fail(where, f"override {n}: unknown key {extra[0]!r} (the keys: "
                               f"{', '.join(COLUMNS)})")
        rows.append((f"override {n}", entry))
    return rows


def parse_overrides(data: bytes, name: str, points_of: Mapping[str, float]) -> list[Override]:
    """The decisions of an overrides file's bytes (CSV, or TOML by a ``.toml`` name), for an
    assignment whose counted ids have the points ``points_of``."""
    where = shown(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _fail(where, f"not UTF-8 text (byte {error.start + 1})") from None
    rows = (_toml(text, where) if Path(name).suffix.lower() == ".toml"
            else _csv(text, where))
    out: list[Override] = []
    seen: dict[tuple[str, str], str] = {}
    for place, fields in rows:
        o = _row(where, place, fields, points_of)
        key = (o.student, o.answer_id)
        if key in seen:
            raise _fail(f"{where}, {place}", f"a second decision for {shown(o.student)!r}, "
                                             f"{o.answer_id} (the first: {seen[key]})")
        seen[key] = place
        out.append(o)
    return out


def load_overrides(path: str | os.PathLike[str] | None, points_of: Mapping[str, float],
                   out: str | os.PathLike[str] | None = None) -> list[Override]:
    """The decisions of the file at ``path`` (none without one); refused if the file lies
    inside the output folder ``out``, which every run replaces."""
    if path is None:
        return []
    file = existing_file(path, "overrides file", error=OverridesError)
    if out is not None:
        folder = Path(out).resolve()
        if folder == file.resolve().parent or folder in file.resolve().parents:
            raise OverridesError(f"--overrides {shown(str(file))} is inside the output folder "
                                 f"{shown(str(out))}, which every run replaces; keep it "
                                 f"outside")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise OverridesError(f"--overrides {shown(str(file))}: cannot read it "
                             f"({error.strerror or error})") from None
    return parse_overrides(data, str(file), points_of)


__all__ = ["COLUMNS", "Override", "load_overrides", "parse_overrides"]
