"""User text as the grading outputs show it: control characters escaped, Markdown code and
math that cannot break out, CSV cells a spreadsheet never runs, JSON lines that are UTF-8.

A student's answer, name or a message quoting them may hold anything: ESC (which a terminal
obeys), BEL, NUL, a bidirectional override (U+202E, which reorders what a reader sees), a
lone surrogate from a JSON ``"\\ud800"`` escape. Every output a person reads (the summary on
the terminal and in ``summary.md``, ``feedback/*.md``, ``grades.csv``, Gradescope's text)
shows such a character as a Python-style escape (``\\x1b``, ``\\u202e``, ``\\ud800``);
``grades.jsonl`` keeps it verbatim, as a JSON escape, and stays valid UTF-8.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

#: Bidirectional formatting characters (Unicode's "Trojan source" list): shown escaped.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def _hidden(ch: str, keep: str) -> bool:
    """Whether ``ch`` is shown escaped: a control character (not in ``keep``), a surrogate,
    a bidirectional control."""
    if ch in keep:
        return False
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI


def shown(text: str, keep: str = "") -> str:
    """``text`` with every control character (except those in ``keep``), lone surrogate and
    bidirectional control written as an escape.

    >>> shown("w\\x1b[2J/(2\\x07λ)\\u202e\\ud800")
    'w\\\\x1b[2J/(2\\\\x07λ)\\\\u202e\\\\ud800'
    >>> shown("a\\tb\\nc", keep="\\t\\n")
    'a\\tb\\nc'
    """
    if all(not _hidden(ch, keep) for ch in text):
        return text
    return "".join(_escape(ch) if _hidden(ch, keep) else ch for ch in text)


def one_line(text: str) -> str:
    """``text`` escaped (:func:`shown`), its runs of ordinary whitespace one space.

    >>> one_line(" w /\\n (2\\tλ)\\x00 ")
    'w / (2 λ)\\\\x00'
    """
    return re.sub(r"[ \t\n\r]+", " ", shown(text, keep=" \t\n\r")).strip(" ")


def code(text: str) -> str:
    """``text`` as Markdown inline code, on one line, escaped, safe inside a table.

    >>> code("a`b|c"), code(""), code("w\\x1b")
    ('`` a`b\\\\|c ``', '(empty)', '`w\\\\x1b`')
    """
    flat = one_line(text).replace("|", "\\|")
    if not flat:
        return "(empty)"
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if "`" in flat or flat.startswith(" ") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def math(latex: str) -> str:
    """LaTeX as Markdown inline math ``$…$`` (GitHub, GitLab, Jupyter and VS Code typeset it),
    on one line; a ``$`` or a control character (never in the checker's LaTeX) makes it
    inline code instead.

    >>> math("\\\\frac{1}{2 \\\\lambda} w"), math("a $ b")
    ('$\\\\frac{1}{2 \\\\lambda} w$', '`a $ b`')
    """
    flat = " ".join(latex.split())
    if not flat or "$" in flat or shown(flat) != flat:
        return code(latex)
    return f"${flat}$"


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` as a ``grades.csv`` cell: control characters escaped (a line break kept, a
    CRLF as a line break), and one starting like a formula with a leading ``'`` (OWASP's
    advice against CSV injection), so that a spreadsheet shows it and never runs it.

    >>> print(cell("-w/(2 lambda)"), cell("=1+2"), cell("w/lambda"), cell("w\\x1b"))
    '-w/(2 lambda) '=1+2 w/lambda w\\x1b
    >>> cell("a\\r\\nb")
    'a\\nb'
    """
    text = shown(text.replace("\r\n", "\n"), keep="\n")
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI)) + "]")


def json_text(obj: Any, indent: int | None = None) -> str:
    """``obj`` as JSON, text verbatim (not ``\\u`` escapes) except that every control
    character, lone surrogate and bidirectional control is a JSON escape: valid UTF-8,
    nothing a terminal would obey.

    >>> json_text({"a": "λ\\x07"}, indent=1)
    '{\\n "a": "λ\\\\u0007"\\n}'
    """
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_line(obj: Any) -> str:
    """``obj`` as one JSON line: text verbatim (not ``\\u`` escapes) except that every
    control character, lone surrogate and bidirectional control is a JSON escape, so the
    line is valid UTF-8 and shows nothing a terminal would obey.

    >>> json_line({"answer": "λ\\x1b\\ud800\\u202e"})
    '{"answer": "λ\\\\u001b\\\\ud800\\\\u202e"}\\n'
    """
    return json_text(obj) + "\n"


def points_text(x: float) -> str:
    """Points as written in every output: ``1.0`` → ``1``, ``0.5`` → ``0.5``.

    >>> points_text(1.0), points_text(0.5), points_text(4.25)
    ('1', '0.5', '4.25')
    """
    return f"{x:g}"


def points_word(x: float) -> str:
    """Points with their noun: ``1 point``, ``0.5 points``, ``2 points``.

    >>> points_word(1.0), points_word(0.5), points_word(2)
    ('1 point', '0.5 points', '2 points')
    """
    return f"{points_text(x)} point{'' if x == 1 else 's'}"


def mean_text(x: float) -> str:
    """A mean, to two decimals: ``0.6666`` → ``0.67``.

    >>> mean_text(2 / 3), mean_text(1.0)
    ('0.67', '1.00')
    """
    return f"{x:.2f}"


__all__ = ["BIDI", "FORMULA_STARTS", "cell", "code", "json_line", "json_text", "math", "one_line",
           "mean_text", "points_text", "points_word", "shown"]
