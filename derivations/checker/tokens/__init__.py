"""Tokens of a typed answer, in text (SymPy-like) or LaTeX notation.

The tokenizer reads both notations into one token stream and keeps, for every token, its
offset in the original input, so that a message can point at the place. It decides nothing
about meaning beyond spelling: ``\\lambda``, ``λ`` and ``lambda`` all become the name
``lambda``; ``\\cdot``, ``·``, ``@`` and ``*`` all become ``*``; ``**`` becomes ``^``;
``\\|``, ``\\lVert``, ``‖`` and ``||`` become a norm bar; ``ᵀ`` and ``\\top`` become transpose
marks; ``÷``, ``\\div`` and the fraction slashes ``⁄``, ``∕`` become ``/``. Font commands
(``\\mathbf{w}``, ``\\operatorname{min}``) vanish around their content, and so do the size
commands with their delimiter where it is the null one (``\\left.``, ``\\right.``), and
frames (``\\boxed{…}``, ``\\fbox{…}``) around their argument. ``...``, ``..`` (``j = 1..M``),
``\\dots`` and ``…`` are one ellipsis token; ``:``, ``;`` are operators the parser may read
(``j = 1:M``, a final ``;``); ``\\in``, ``\\notin``, ``\\setminus`` the set operators.

Unicode shorthands become the tokens they abbreviate: a vulgar fraction ``½`` the five tokens
``( 1 / 2 )``; a run of superscript digits, with an optional sign, an exponent in braces
(``λ³`` → ``λ ^ { 3 }``, ``10⁻¹²`` → ``10 ^ { - 12 }``) — except a bare ``⁻¹``, the inverse
mark, and a bare ``⁺`` or ``⁻``, the positive and negative parts. TeX's ``\\over`` is the
token ``OVER``: it divides everything before it in its group by everything after it.

>>> [t.text for t in tokenize(r"\\frac{\\mathbf{w}}{2\\lambda}")]
['frac', '{', 'w', '}', '{', '2', 'lambda', '}', '<end>']
>>> [(t.text, t.pos) for t in tokenize("A.T**-1")]
[('A', 0), ('.', 1), ('T', 2), ('^', 3), ('-', 5), ('1', 6), ('<end>', 7)]
>>> [t.text for t in tokenize("a_1 + a_{2} + Σᵀ")]
['a1', '+', 'a2', '+', 'Sigma', 'ᵀ', '<end>']
>>> [t.text for t in tokenize("½w ÷ λ⁻²")]
['(', '1', '/', '2', ')', 'w', '/', 'lambda', '^', '{', '-', '2', '}', '<end>']
"""

from __future__ import annotations

import re

from derivations.checker.tokens.latex import (
    GREEK,
    LATEX_COMMANDS,
    LATEX_FONTS,
    LATEX_FUNCTIONS,
    LATEX_OPS,
    LATEX_SILENT,
    LATEX_SIZES,
    read_latex_command,
)
from derivations.checker.tokens.spelling import (
    INDICATOR,
    REDUCTIONS,
    SUBSCRIPT_DIGITS,
    SUPERSCRIPT_DIGITS,
    SUPERSCRIPT_RUN,
    SUPERSCRIPT_SIGNS,
    UNICODE_NAMES,
    UNICODE_OPS,
    AnswerSyntaxError,
    Token,
    name_with_subscripts,
    vulgar_fraction,
)

__all__ = [
    "GREEK",
    "INDICATOR",
    "LATEX_COMMANDS",
    "LATEX_FONTS",
    "LATEX_FUNCTIONS",
    "LATEX_OPS",
    "LATEX_SILENT",
    "LATEX_SIZES",
    "MAX_DIGITS",
    "MAX_EXPONENT10",
    "MAX_LENGTH",
    "REDUCTIONS",
    "SUBSCRIPT_DIGITS",
    "SUPERSCRIPT_DIGITS",
    "UNICODE_NAMES",
    "UNICODE_OPS",
    "AnswerSyntaxError",
    "Token",
    "looks_like_latex",
    "tokenize",
    "vulgar_fraction",
]

#: Longest answer accepted (characters); longer input is refused, not parsed.
MAX_LENGTH = 2000

#: Longest numeric literal accepted (digits), so that no number is absurdly large.
MAX_DIGITS = 30

#: Largest power of ten in scientific notation (``1e-300`` is fine, ``1e99999`` is not).
MAX_EXPONENT10 = 1000

#: A number: ``2``, ``0.5``, ``2.``, ``.5``, ``5e-1`` (a dot before another dot is not its
#: decimal point: ``1..M`` is 1 … M).
_NUMBER = re.compile(r"(?:\d+(?:\.(?!\.)\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def looks_like_latex(text: str) -> bool:
    """True when ``text`` contains a backslash (LaTeX commands start with one).

    >>> looks_like_latex(r"\\frac{w}{2}"), looks_like_latex("w/2")
    (True, False)
    """
    return "\\" in text


def tokenize(text: str, latex: bool = True) -> list[Token]:
    """Split ``text`` into tokens; LaTeX commands are an error unless ``latex`` is True.

    Raises :class:`AnswerSyntaxError` with the offset of the first unreadable character.
    """
    if len(text) > MAX_LENGTH:
        raise AnswerSyntaxError(f"the answer is too long ({len(text)} > {MAX_LENGTH} characters)")
    out: list[Token] = []
    i, n = 0, len(text)

    def emit(kind: str, tok: str, start: int, end: int) -> None:
        out.append(Token(kind, tok, start, end))

    while i < n:
        ch = text[i]
        if ch.isspace() or ch == "~":
            i += 1
            continue
        if text.startswith("..", i):  # `...` and `..` (in `j = 1..M`): an ellipsis
            dots = 3 if text.startswith("...", i) else 2
            emit("op", "…", i, i + dots)
            i += dots
            continue
        m = _NUMBER.match(text, i)
        if m:
            digits = m.group(0)
            mantissa, _, exponent = digits.lower().partition("e")
            if len(mantissa.replace(".", "")) > MAX_DIGITS:
                raise AnswerSyntaxError(f"number too long ({len(mantissa)} digits)", i)
            if exponent and abs(int(exponent)) > MAX_EXPONENT10:
                raise AnswerSyntaxError(f"number too large ({digits})", i)
            emit("num", digits, i, m.end())
            i = m.end()
            continue
        m = _NAME.match(text, i)
        if m:
            if m.group(0) in REDUCTIONS:
                name, j = m.group(0), m.end()
            else:
                name, j = name_with_subscripts(text, m.end(), m.group(0))
            emit("name", name, i, j)
            i = j
            continue
        if ch == "𝟙":
            emit("name", INDICATOR, i, i + 1)
            i += 1
            continue
        if ch in UNICODE_NAMES:
            name, j = name_with_subscripts(text, i + 1, UNICODE_NAMES[ch])
            emit("name", name, i, j)
            i = j
            continue
        fraction = vulgar_fraction(ch)
        if fraction is not None:
            if out and out[-1].kind == "num" and not text[out[-1].end : i].strip():
                emit("error", f"a number right before `{ch}` (a mixed number?): write "
                     f"{out[-1].text} + {ch} for the sum or {out[-1].text}·{ch} for the product",
                     out[-1].pos, i + 1)
                i += 1
                continue
            num, den = fraction
            if den:  # ½ → ( 1 / 2 )
                for kind, tok in (("op", "("), ("num", num), ("op", "/"), ("num", den),
                                  ("op", ")")):
                    emit(kind, tok, i, i + 1)
            else:  # ⅟ → 1 /
                emit("num", num, i, i + 1)
                emit("op", "/", i, i + 1)
            i += 1
            continue
        m = SUPERSCRIPT_RUN.match(text, i)
        if m and m.group(0) != "⁻¹":  # λ³ → λ ^ { 3 }, 10⁻¹² → 10 ^ { - 12 }
            run, end = m.group(0), m.end()
            if len(run.lstrip("⁺⁻")) > MAX_DIGITS:
                raise AnswerSyntaxError(f"number too long ({len(run)} digits)", i)
            emit("op", "^", i, end)
            emit("op", "{", i, end)
            if run[0] in SUPERSCRIPT_SIGNS:
                emit("op", SUPERSCRIPT_SIGNS[run[0]], i, i + 1)
                run, i = run[1:], i + 1
            emit("num", run.translate(SUPERSCRIPT_DIGITS), i, end)
            emit("op", "}", end - 1, end)
            i = end
            continue
        if ch == "⁻" and text.startswith("⁻¹", i):
            emit("op", "⁻¹", i, i + 2)
            i += 2
            continue
        if ch == "⁻":  # (t)⁻: the negative part
            emit("op", "⁻", i, i + 1)
            i += 1
            continue
        if ch in UNICODE_OPS:
            tok = UNICODE_OPS[ch]
            emit("cmd" if tok == "sqrt" else "op", tok, i, i + 1)
            i += 1
            continue
        if ch == "\\":
            if not latex:
                raise AnswerSyntaxError(
                    "a LaTeX command (backslash) in text input; use LaTeX mode for LaTeX", i
                )
            try:
                i = read_latex_command(text, i, emit)
            except AnswerSyntaxError as error:
                end = error.end if getattr(error, "end", None) else i + 1
                emit("error", error.message, i, end)
                i = end
            continue
        two = text[i : i + 2]
        if two in ("**", "<=", ">=", "!=", "==", "||"):
            emit("op", {"**": "^", "==": "=", "||": "‖"}.get(two, two), i, i + 2)
            i += 2
            continue
        if ch in "+-*/^()[]{},=<>|'.&_@:;":
            emit("op", "*" if ch == "@" else ch, i, i + 1)
            i += 1
            continue
        emit("error", f"unexpected character {ch!r}", i, i + 1)
        i += 1
    out.append(Token("end", "<end>", n, n))
    return out
