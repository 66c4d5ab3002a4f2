"""Text a student controls, as the checker's outputs show it: control characters escaped.

An answer may hold anything a terminal obeys or a reader misreads: ESC (``check 1a
$'w\\e]0;PWNED\\a'`` would retitle the terminal), BEL, NUL, C1 controls, a bidirectional
override (U+202E reorders what a reader sees), a lone surrogate (a byte that was not UTF-8).
The text report shows each as a Python-style escape (``\\x1b``, ``\\u202e``, ``\\udcff``);
the JSON writes them as JSON escapes (``\\u001b``), so it stays valid UTF-8.

>>> shown("w\\x1b]0;PWNED\\x07")
'w\\\\x1b]0;PWNED\\\\x07'
>>> json_text('{"answer": "w\\u202e\\udcff"}')
'{"answer": "w\\\\u202e\\\\udcff"}'
"""

from __future__ import annotations

import unicodedata

__all__ = ["BIDI", "hidden", "json_text", "shown", "shown_width"]

#: Bidirectional formatting characters (Unicode's "Trojan source" list): shown escaped.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hidden(ch: str, keep: str = "") -> bool:
    """Whether ``ch`` is shown escaped: a control character (C0, DEL, C1; not in ``keep``),
    a surrogate, a bidirectional control."""
    if ch in keep:
        return False
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def shown(text: str, keep: str = "") -> str:
    """``text`` with every character :func:`hidden` written as an escape."""
    if not any(hidden(ch, keep) for ch in text):
        return text
    return "".join(_escape(ch) if hidden(ch, keep) else ch for ch in text)


def shown_width(text: str, keep: str = "") -> int:
    """How many characters :func:`shown` makes of ``text`` (to place a caret under it)."""
    return len(shown(text, keep))


def json_text(text: str) -> str:
    """A JSON document (from ``json.dumps(…, ensure_ascii=False)``) with every hidden
    character written as a JSON escape: valid JSON, valid UTF-8, nothing a terminal obeys."""
    if not any(hidden(ch) for ch in text if ch not in "\n"):
        return text
    return "".join(f"\\u{ord(ch):04x}" if ch != "\n" and hidden(ch) else ch for ch in text)
