"""The sheet's questions, read from its Markdown (``docs/sheet11.md``) and keyed by the
checker's answer ids.

The problem statement marks each answer with its id in bold brackets, ``**[1a]**`` or
``**[2a.i, 2a.ii]**``. :func:`read_sheet` keeps the statement's ``## Exercise`` sections
that hold at least one id (the programming exercise has none) with all their text:
paragraphs, tables and list items, where a list item or paragraph holding ids is a
:class:`Question` with those ids. The ``**Notation.**`` paragraph before the exercises is
kept too. Every id of :data:`derivations.answers.ANSWER_IDS` must appear exactly once and
no other id may: otherwise :class:`~derivations.checker.serve.errors.SheetError` says which.

>>> sheet = read_sheet(DEFAULT_SHEET.read_text(encoding="utf-8"))
>>> [e.title.split(" — ")[0] for e in sheet.exercises]
['Exercise 1', 'Exercise 2', 'Exercise 3']
>>> sheet.questions()["1c.x"].ids
('1c.z', '1c.x')
>>> read_sheet("## Exercise 1\\n\\n- **(a)** Find x. **[1z]**")
Traceback (most recent call last):
...
derivations.checker.serve.errors.SheetError: the sheet names an unknown answer id '1z' ...
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from derivations.checker.serve.errors import SheetError

#: The problem statement of the repository (``docs/sheet11.md``).
DEFAULT_SHEET = Path(__file__).resolve().parents[3] / "docs" / "sheet11.md"

#: ``**[1a]**``, ``**[2a.i, 2a.ii]**``: the ids a question asks for.
ID_MARK = re.compile(r"\*\*\[([^\]]+)\]\*\*")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of Markdown text (inline markup kept)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A Markdown table: the header row first, then the body rows."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Question:
    """A list item or paragraph that asks for the answers ``ids`` (its paragraphs as
    Markdown); ``listed`` when it is a list item."""

    ids: tuple[str, ...]
    paragraphs: tuple[str, ...]
    listed: bool = True


@dataclass(frozen=True)
class Item:
    """A list item that asks for no checked answer (a proof, say)."""

    paragraphs: tuple[str, ...]


Block = Paragraph | Table | Question | Item


@dataclass(frozen=True)
class Exercise:
    """An ``## Exercise`` section: its title and its blocks in order."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Sheet:
    """The page's content: a title, the notation paragraph (or ``""``) and the exercises
    that ask for checked answers."""

    title: str
    notation: str
    exercises: tuple[Exercise, ...]

    def questions(self) -> dict[str, Question]:
        """``{answer id: the question that asks for it}``."""
        return {i: b for e in self.exercises for b in e.blocks if isinstance(b, Question)
                for i in b.ids}


def _ids(text: str) -> tuple[str, ...]:
    return tuple(i.strip() for mark in ID_MARK.findall(text) for i in mark.split(","))


def _table_row(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def _is_rule(row: tuple[str, ...]) -> bool:
    return all(re.fullmatch(r":?-{3,}:?", cell) for cell in row)


def _item(lines: list[str], i: int) -> tuple[list[str], int]:
    """The paragraphs of the list item starting at ``lines[i]`` and the index after it:
    lines up to a blank line, then paragraphs indented by at least two spaces."""
    paragraphs, current = [], [lines[i][2:].strip()]
    i += 1
    while i < len(lines):
        line = lines[i]
        if line.strip() and not line.startswith("- ") and not line.startswith("|"):
            if current or line.startswith("  "):
                current.append(line.strip())
                i += 1
                continue
        if not line.strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].startswith("  ") and not lines[j].startswith("- "):
                paragraphs.append(" ".join(current))
                current, i = [], j
                continue
        break
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, i


def _blocks(lines: list[str]) -> tuple[Block, ...]:
    """The Markdown blocks of a section's lines."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_table_row(lines[i]))
                i += 1
            blocks.append(Table(tuple(r for r in rows if not _is_rule(r))))
        elif line.startswith("- "):
            paragraphs, i = _item(lines, i)
            ids = _ids(" ".join(paragraphs))
            blocks.append(Question(ids, tuple(paragraphs)) if ids else Item(tuple(paragraphs)))
        else:
            text = []
            while i < len(lines) and lines[i].strip() and not lines[i].startswith(("|", "- ")):
                text.append(lines[i].strip())
                i += 1
            joined = " ".join(text)
            ids = _ids(joined)
            blocks.append(Question(ids, (joined,), listed=False) if ids else Paragraph(joined))
    return tuple(blocks)


def _sections(text: str) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    """The title, the lines before the first ``##`` and each ``##`` section."""
    title, preamble, sections = "", [], []
    for line in text.splitlines():
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return title, preamble, sections


def _check_ids(exercises: list[Exercise], known: tuple[str, ...]) -> None:
    found = Counter(i for e in exercises for b in e.blocks if isinstance(b, Question)
                    for i in b.ids)
    unknown = [i for i in found if i not in known]
    if unknown:
        raise SheetError(f"the sheet names an unknown answer id {unknown[0]!r} (the checker's "
                         f"ids: {', '.join(known)})")
    twice = [i for i, n in found.items() if n > 1]
    if twice:
        raise SheetError(f"the sheet asks for the answer id {twice[0]!r} {found[twice[0]]} "
                         "times; each id belongs to one question")
    missing = [i for i in known if i not in found]
    if missing:
        raise SheetError(f"the sheet asks for no answer with the id(s) {', '.join(missing)}; "
                         "mark each as **[id]** in its question")


def read_sheet(text: str, known: tuple[str, ...] | None = None) -> Sheet:
    """The :class:`Sheet` of the Markdown ``text``, every id of ``known`` (default: the
    checker's) asked for exactly once (module docstring)."""
    if known is None:
        from derivations.answers import ANSWER_IDS

        known = ANSWER_IDS
    title, preamble, sections = _sections(text)
    paragraphs = " ".join(line.strip() or "\n" for line in preamble).split("\n")
    notation = next((p.strip() for p in paragraphs if p.strip().startswith("**Notation.**")),
                    "")
    exercises = [Exercise(name, blocks) for name, lines in sections
                 if name.startswith("Exercise") for blocks in [_blocks(lines)]
                 if any(isinstance(b, Question) for b in blocks)]
    _check_ids(exercises, known)
    return Sheet(title or "Exercise sheet", notation, tuple(exercises))


def load_sheet(path: str | Path | None = None) -> Sheet:
    """The sheet at ``path`` (default :data:`DEFAULT_SHEET`); a :class:`SheetError` if it
    cannot be read or does not ask for the checker's ids."""
    where = Path(path) if path is not None else DEFAULT_SHEET
    try:
        text = where.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SheetError(f"the sheet {where} is not UTF-8 text") from None
    except OSError as error:
        raise SheetError(f"cannot read the sheet {where}: {error.strerror or error}") from None
    try:
        return read_sheet(text)
    except SheetError as error:
        raise SheetError(f"{where}: {error}") from None


__all__ = ["DEFAULT_SHEET", "ID_MARK", "Block", "Exercise", "Item", "Paragraph", "Question",
           "Sheet", "Table", "load_sheet", "read_sheet"]
