"""Reading a class's submissions: CSV (as spreadsheets and learning platforms export it) or
JSON lines, every row kept — a malformed one with the reason it cannot be checked."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clitools import existing_file
from derivations import answers as sheet
from derivations.checker.grading.errors import SubmissionsError
from derivations.checker.grading.text import shown
from derivations.checker.tokens import MAX_LENGTH

#: The fields of a submission row; ``format`` may be left out.
FIELDS = ("student", "id", "answer")


FORMATS = ("text", "latex")


_ASCII_SPACE = re.compile(r"[ \t\r\n\f\v]+")


@dataclass(frozen=True)
class Submission:
    """One answer as read: its line in the file, who, which id, what, and in which notation.

    ``format`` is ``"text"``, ``"latex"`` or ``None`` (decided by the checker: LaTeX if the
    answer holds a backslash). ``problem`` says why the row cannot be checked (a missing
    field, an unknown id, an answer too long, bytes that are not UTF-8), else ``None``.
    """

    line: int
    student: str
    answer_id: str
    answer: str
    format: str | None = None
    problem: str | None = None

    @property
    def latex(self) -> bool | None:
        """The ``latex`` argument of :func:`~derivations.checker.check`."""
        return {"latex": True, "text": False}.get(self.format or "")

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What makes two answers the same check: id, answer up to whitespace, format.

        >>> Submission(1, "a", "1a", " w /(2\\n lambda)").key
        ('1a', 'w /(2 lambda)', None)
        """
        return self.answer_id, normalized(self.answer), self.format

    @property
    def hash(self) -> str:
        """:func:`answer_hash` of the answer."""
        return answer_hash(self.answer)


def normalized(answer: str) -> str:
    """``answer`` with runs of whitespace as one space, none at the ends — unless the answer
    holds a LaTeX comment (``%``) or an escaped space (``\\ ``), where whitespace may matter.

    >>> normalized("  A A^T\\t w\\r\\n + c ")
    'A A^T w + c'
    """
    if "%" in answer or re.search(r"\\\s", answer):
        return answer
    return _ASCII_SPACE.sub(" ", answer).strip(" ")


def answer_hash(answer: str | None) -> str:
    """Which answer a TA's decision is for (:mod:`~.overrides`): the first 12 hex digits of
    the SHA-256 of the answer up to whitespace (:func:`normalized`, UTF-8, a lone surrogate
    as itself), ``""`` for no answer.

    >>> answer_hash("w/(2 lambda)") == answer_hash(" w/(2  lambda) "), answer_hash(None)
    (True, '')
    >>> len(answer_hash("w")), answer_hash("w") != answer_hash("2w")
    (12, True)
    """
    if answer is None:
        return ""
    data = normalized(answer).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:12]


def _clean(text: str) -> str:
    """Undecodable bytes (kept as surrogates U+DC80…U+DCFF) shown as U+FFFD."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return "".join("\ufffd" if "\udc80" <= ch <= "\udcff" else ch for ch in text)


def _unreadable_text(values: Mapping[str, str | None]) -> str | None:
    """Why the fields cannot be read as text: a byte that is not UTF-8 (decoded with
    surrogateescape as U+DC80…U+DCFF), or a lone surrogate (a JSON ``"\\ud800"`` escape,
    which is no character); None if they can."""
    for name, value in values.items():
        for ch in value or "":
            if "\udc80" <= ch <= "\udcff":
                return f"not UTF-8 text (byte 0x{ord(ch) - 0xDC00:02X}); save the file as UTF-8"
            if "\ud800" <= ch <= "\udfff":
                return (f"the field {name!r} holds a lone surrogate \\u{ord(ch):04x}, which is "
                        f"not a character (a broken \\u escape in the JSON?)")
    return None


def _decode(data: bytes) -> str:
    """The text of the file: UTF-16 with a byte order mark, else UTF-8 (its BOM dropped),
    with bytes that are not UTF-8 kept as surrogates so that only their rows are lost."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SubmissionsError(
                f"the submissions are not valid UTF-16 ({error.reason})") from None
    text = data.decode("utf-8", "surrogateescape")
    return text[1:] if text.startswith("\ufeff") else text


def _is_json(text: str, name: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    if suffix in (".csv", ".tsv", ".txt"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def read_submissions(data: bytes, name: str = "", student: str | None = None
                     ) -> list[Submission]:
    r"""The rows of a CSV or JSON-lines file (decided by ``name``'s extension, else by content).

    Every row comes back, in order; a row that cannot be checked carries its ``problem``.
    A file with no header, no rows, or broken JSON as a whole is a
    :class:`~.errors.SubmissionsError`. With ``student`` (one student's file, as an
    autograder receives it) the ``student`` column may be left out: every row is theirs.

    >>> data = '\ufeffStudent;ID;Answer;Format\r\nzoë;1A;"\\frac{w}\r\n{2λ}";LaTeX\r\n'
    >>> [s] = read_submissions(data.encode())
    >>> s.line, s.student, s.answer_id, s.answer, s.format, s.problem
    (2, 'zoë', '1a', '\\frac{w}\r\n{2λ}', 'latex', None)
    >>> read_submissions(b'{"student": "ada", "id": "9z", "answer": "w"}', "x.jsonl")[0].problem
    "unknown answer id '9z' (the ids: 1a, 1b, ...)"
    """
    text = _decode(data)
    if not text.strip():
        raise SubmissionsError("the submissions are empty")
    rows = list(_json_rows(text, student) if _is_json(text, name)
                else _csv_rows(text, student))
    if not rows:
        raise SubmissionsError("the submissions hold a header but no answers")
    return rows


def load_submissions(source: str) -> list[Submission]:
    """:func:`read_submissions` of the file ``source`` (``-``: standard input)."""
    try:
        if source == "-":
            return read_submissions(sys.stdin.buffer.read())
        data = existing_file(source, "submissions file", error=SubmissionsError).read_bytes()
    except OSError as error:
        raise SubmissionsError(f"cannot read {source}: {error.strerror or error}") from None
    return read_submissions(data, source)


def _needed(student: str | None) -> tuple[str, ...]:
    """The fields a row must have (``student`` not, where the file is one student's)."""
    return FIELDS if student is None else FIELDS[1:]


def _delimiter(text: str, needed: tuple[str, ...]) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    for delimiter in (",", ";", "\t"):
        names = {n.strip().lower() for n in next(csv.reader([first], delimiter=delimiter), [])}
        if set(needed) <= names:
            return delimiter
    raise SubmissionsError(f"the submissions have no header naming the columns "
                           f"{', '.join(needed)} (the first line: {shown(_clean(first)[:80])!r})")


def _csv_rows(text: str, student: str | None) -> Iterator[Submission]:
    delimiter = _delimiter(text, _needed(student))
    old_limit = csv.field_size_limit(2**31 - 1)  # an overlong field is an overlong answer
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        columns: dict[str, int] | None = None
        end = 0
        while True:
            start = end + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if reader.line_num == end:  # no progress: give up on the rest
                    yield Submission(start, "", "", "", None, f"unreadable CSV: {error}")
                    return
                end = reader.line_num
                yield Submission(start, "", "", "", None, f"unreadable CSV: {error}")
                continue
            end = reader.line_num
            if not any(f.strip() for f in record):
                continue
            if columns is None:
                header = names = [f.strip().lower() for f in record]
                columns = {n: names.index(n) for n in (*FIELDS, "format") if n in names}
                continue
            values = {n: record[i] if i < len(record) else None for n, i in columns.items()}
            row = _submission(start, values, len(record), len(header), student)
            if len(record) > len(header) and not (row.problem or "").startswith("not UTF-8"):
                row = replace(row, problem=f"the row has {len(record)} fields, the header "
                              f"{len(header)} (an answer with a comma must be in double quotes)")
            yield row
    finally:
        csv.field_size_limit(old_limit)


def _json_rows(text: str, student: str | None) -> Iterator[Submission]:
    if text.lstrip().startswith("["):
        yield from _json_array(text, student)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield Submission(number, "", "", "", None, f"not valid JSON ({error.msg})")
            continue
        except (ValueError, RecursionError) as error:  # a 5000-digit number, [[[[…]]]]
            yield Submission(number, "", "", "", None,
                             f"not JSON this reader takes ({type(error).__name__})")
            continue
        yield _json_submission(number, obj, student)


def _json_array(text: str, student: str | None) -> Iterator[Submission]:
    decoder = json.JSONDecoder()
    i = text.index("[") + 1
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text):
            raise SubmissionsError("the JSON array of submissions is not closed with ]")
        if text[i] == "]":
            return
        try:
            obj, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as error:
            raise SubmissionsError(f"the submissions are not valid JSON: {error}") from None
        except (ValueError, RecursionError) as error:
            raise SubmissionsError(f"the submissions are not JSON this reader takes "
                                   f"({type(error).__name__})") from None
        yield _json_submission(text.count("\n", 0, i) + 1, obj, student)
        i = end


def _json_submission(line: int, obj: Any, student: str | None) -> Submission:
    if not isinstance(obj, dict):
        return Submission(line, "", "", "", None, "not a JSON object with student, id, answer")
    fields = {str(k).strip().lower(): v for k, v in obj.items()}
    values: dict[str, str | None] = {}
    for name in (*FIELDS, "format"):
        value = fields.get(name)
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            return Submission(line, _text(fields.get("student")), _text(fields.get("id")), "",
                              None, f"the field {name!r} is not a string")
        values[name] = None if value is None else str(value)
    return _submission(line, values, None, None, student)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


_IDS = {i.lower(): i for i in sheet.ANSWER_IDS}


def _submission(line: int, values: Mapping[str, str | None], got: int | None,
                wanted: int | None, student: str | None = None) -> Submission:
    """A row's fields checked: everything needed present, readable text, a known id, a
    known format. With ``student``, the row is theirs whatever its student column says."""
    if student is not None:
        values = {**values, "student": student}
    bad = _unreadable_text(values)
    student = _clean(values.get("student") or "").strip()
    raw_id = _clean(values.get("id") or "").strip()
    answer_id = _IDS.get(raw_id.lower(), raw_id)
    answer = _clean(values.get("answer") or "").strip()
    fmt = _clean(values.get("format") or "").strip().lower() or None

    def row(problem: str | None) -> Submission:
        return Submission(line, student, answer_id, answer, fmt, problem)

    if bad:
        return row(bad)
    missing = [n for n in FIELDS if values.get(n) is None]
    if missing:
        counts = f" (the row has {got} fields, the header {wanted})" if got is not None else ""
        return row(f"missing field{'s' if len(missing) > 1 else ''} "
                   f"{', '.join(missing)}{counts}")
    empty = [n for n in FIELDS if not {"student": student, "id": answer_id,
                                         "answer": answer}[n]]
    if empty:
        return row(f"empty field{'s' if len(empty) > 1 else ''} {', '.join(empty)}")
    if answer_id not in sheet.ANSWER_IDS:
        return row(f"unknown answer id {answer_id!r} (the ids: {', '.join(sheet.ANSWER_IDS)})")
    if fmt is not None and fmt not in FORMATS:
        return row(f"unknown format {fmt!r} (text or latex, or empty to decide by a backslash)")
    if len(answer) > MAX_LENGTH:
        return row(f"the answer is too long ({len(answer)} > {MAX_LENGTH} characters)")
    return row(None)
