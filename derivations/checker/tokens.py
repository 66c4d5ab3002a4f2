"""Tokens of a typed answer, in text (SymPy-like) or LaTeX notation.

The tokenizer reads both notations into one token stream and keeps, for every token, its
offset in the original input, so that a message can point at the place. It decides nothing
about meaning beyond spelling: ``\\lambda``, ``λ`` and ``lambda`` all become the name
``lambda``; ``\\cdot``, ``·``, ``@`` and ``*`` all become ``*``; ``**`` becomes ``^``;
``\\|``, ``\\lVert``, ``‖`` and ``||`` become a norm bar; ``ᵀ`` and ``\\top`` become transpose
marks; ``÷``, ``\\div`` and the fraction slashes ``⁄``, ``∕`` become ``/``. Font commands
(``\\mathbf{w}``, ``\\operatorname{min}``) vanish around their content, and so do the size
commands with their delimiter where it is the null one (``\\left.``, ``\\right.``).

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
import unicodedata
from dataclasses import dataclass

#: Longest answer accepted (characters); longer input is refused, not parsed.
MAX_LENGTH = 2000

#: Longest numeric literal accepted (digits), so that no number is absurdly large.
MAX_DIGITS = 30

#: Largest power of ten in scientific notation (``1e-300`` is fine, ``1e99999`` is not).
MAX_EXPONENT10 = 1000


class AnswerSyntaxError(ValueError):
    """An answer that cannot be read; ``position`` is the offset in the input (or None)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.end: int | None = None


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` in {num, name, cmd, op, end, error}; ``text`` its canonical
    spelling (for ``error``: the message, raised by the parser only if it reads the token —
    so that a label such as ``\\lim_{\\gamma\\to\\infty} o(x) =`` before the answer may
    hold anything)."""

    kind: str
    text: str
    pos: int
    end: int


#: Unicode letters and their names: the Greek letters as their LaTeX commands name them, so
#: that ``Λ`` and ``\\Lambda`` read alike (both are ``Lambda``, not the sheet's ``lambda``).
UNICODE_NAMES = {
    "λ": "lambda",
    "μ": "mu",
    "µ": "mu",
    "Σ": "Sigma",
    "γ": "gamma",
    "ρ": "rho",
    "σ": "sigma",
    "α": "alpha",
    "β": "beta",
    "δ": "delta",
    "ε": "epsilon",
    "θ": "theta",
    "ω": "omega",
    "π": "pi",
    "τ": "tau",
    "η": "eta",
    "ξ": "xi",
    "ν": "nu",
    "κ": "kappa",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ζ": "zeta",
    "ι": "iota",
    "Λ": "Lambda",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Ω": "Omega",
    "Π": "Pi",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ξ": "Xi",
}

#: The name of the indicator function ``𝟙[…]`` (``\\mathbb{1}``, ``\\mathbf 1``).
INDICATOR = "𝟙"

#: Unicode operators and their canonical token.
UNICODE_OPS = {
    "·": "*",
    "⋅": "*",
    "×": "*",
    "∗": "*",
    "−": "-",
    "–": "-",
    "‖": "‖",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "ᵀ": "ᵀ",
    "⊤": "ᵀ",
    "√": "sqrt",
    "…": "…",
    "⋯": "…",
    "⁺": "⁺",
    "→": "→",
    "∞": "∞",
    "∑": "∑",
    "÷": "/",
    "∕": "/",
    "⁄": "/",
}

#: Superscript digits and signs (``λ³``, ``10⁻¹²``): an exponent written in place.
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPT_SIGNS = {"⁺": "+", "⁻": "-"}
_SUPERSCRIPT = re.compile(r"[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")

SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")

#: LaTeX commands that are names of the sheet or Greek letters (kept as names).
GREEK = set(UNICODE_NAMES.values()) | {
    "lambda",
    "mu",
    "Sigma",
    "gamma",
    "sigma",
    "rho",
    "alpha",
    "beta",
    "delta",
    "epsilon",
    "varepsilon",
    "theta",
    "omega",
    "Lambda",
    "Gamma",
    "pi",
    "tau",
    "eta",
    "xi",
    "nu",
}

#: LaTeX commands that are operators.
LATEX_OPS = {
    "cdot": "*",
    "times": "*",
    "ast": "*",
    "star": "*",
    "top": "ᵀ",
    "intercal": "ᵀ",
    "le": "<=",
    "leq": "<=",
    "leqslant": "<=",
    "ge": ">=",
    "geq": ">=",
    "geqslant": ">=",
    "lt": "<",
    "gt": ">",
    "ne": "!=",
    "neq": "!=",
    "lVert": "‖",
    "rVert": "‖",
    "Vert": "‖",
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "land": "AND",
    "lor": "OR",
    "vee": "OR",
    "neg": "NOT",
    "lnot": "NOT",
    "wedge": "AND",
    "prime": "'",
    "ldots": "…",
    "dots": "…",
    "cdots": "…",
    "dotsc": "…",
    "to": "→",
    "rightarrow": "→",
    "infty": "∞",
    "in": "∈",
    "sum": "∑",
    "div": "/",
    "over": "OVER",
    "lbrace": "(",
    "rbrace": ")",
    "lbrack": "[",
    "rbrack": "]",
}

#: LaTeX commands that size the delimiter after them: dropped, and with them the null
#: delimiter ``.`` (``\\left.\\frac{w}{2\\lambda}\\right.``); another delimiter stays.
LATEX_SIZES = {
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "Biggl",
    "Biggr",
    "bigm",
    "Bigm",
    "biggm",
    "Biggm",
    "middle",
}

#: LaTeX commands that only space or size things: dropped.
LATEX_SILENT = LATEX_SIZES | {
    "quad",
    "qquad",
    "displaystyle",
    "textstyle",
    "limits",
    "nolimits",
}

#: LaTeX font and text commands: they vanish, their argument stays.
LATEX_FONTS = {
    "mathbf",
    "boldsymbol",
    "bm",
    "vec",
    "mathrm",
    "mathit",
    "mathsf",
    "mathbb",
    "mathcal",
    "operatorname",
    "text",
    "textrm",
    "textit",
    "textbf",
    "mbox",
    "mathnormal",
    "pmb",
    "mathds",
    "mathbbm",
}

#: LaTeX commands that are functions, passed to the parser as ``cmd`` tokens.
LATEX_COMMANDS = {"frac", "dfrac", "tfrac", "cfrac", "sqrt"}

#: LaTeX functions read as the text function of the same name.
LATEX_FUNCTIONS = {"min", "max", "exp", "log", "ln", "lim"}

#: Names whose subscript is not part of the name: ``min_j h_j``, ``\\min_{j=1,\\dots,M}``.
REDUCTIONS = {"min", "max", "Min", "Max", "lim"}

_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SUB = re.compile(r"_(?:\{\s*([A-Za-z0-9]+)\s*\}|([0-9]+)|([A-Za-z]))")
_SUB_UNICODE = re.compile(r"[₀-₉]+")
_FONT_WORD = re.compile(r"\s*\{\s*([^\W\d_]\w*)\s*\}")
_TEXT_WORDS = re.compile(r"\s*\{([^{}\\]*)\}")
_ONE = re.compile(r"\s*(?:\{\s*1\s*\}|1(?!\d))")
_FONT_CMD = re.compile(r"\s*\{\s*\\([A-Za-z]+)\s*\}")
_ENV = re.compile(r"\s*\{\s*([A-Za-z*]+)\s*\}")
_NULL_DELIMITER = re.compile(r"\s*\.")


def vulgar_fraction(ch: str) -> tuple[str, str] | None:
    """The numerator and denominator of a Unicode vulgar fraction (``½`` → ("1", "2"),
    ``⅞`` → ("7", "8"); ``⅟``, "one over", → ("1", "")); None for another character.

    >>> vulgar_fraction("¾"), vulgar_fraction("⅒"), vulgar_fraction("/")
    (('3', '4'), ('1', '10'), None)
    """
    parts = unicodedata.decomposition(ch).split()
    if not parts or parts[0] != "<fraction>" or "2044" not in parts:
        return None
    slash = parts.index("2044")
    digits = ["".join(chr(int(c, 16)) for c in parts[1:slash]),
              "".join(chr(int(c, 16)) for c in parts[slash + 1 :])]
    if not all(d.isdigit() or d == "" for d in digits) or not digits[0]:
        return None
    return digits[0], digits[1]


def looks_like_latex(text: str) -> bool:
    """True when ``text`` contains a backslash (LaTeX commands start with one).

    >>> looks_like_latex(r"\\frac{w}{2}"), looks_like_latex("w/2")
    (True, False)
    """
    return "\\" in text


def _subscript(text: str, i: int) -> tuple[str, int]:
    """A subscript ``_1``, ``_{12}``, ``₁`` right at ``text[i]``: its characters and end."""
    m = _SUB.match(text, i)
    if m:
        return next(g for g in m.groups() if g), m.end()
    m = _SUB_UNICODE.match(text, i)
    if m:
        return m.group(0).translate(SUBSCRIPT_DIGITS), m.end()
    return "", i


def _name_with_subscripts(text: str, i: int, name: str) -> tuple[str, int]:
    """Join subscripts onto a name: ``a_1`` → ``a1``, ``h_{3}`` → ``h3``."""
    while True:
        sub, j = _subscript(text, i)
        if not sub:
            return name, i
        name, i = name + sub, j


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
        if text.startswith("...", i):
            emit("op", "…", i, i + 3)
            i += 3
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
                name, j = _name_with_subscripts(text, m.end(), m.group(0))
            emit("name", name, i, j)
            i = j
            continue
        if ch == "𝟙":
            emit("name", INDICATOR, i, i + 1)
            i += 1
            continue
        if ch in UNICODE_NAMES:
            name, j = _name_with_subscripts(text, i + 1, UNICODE_NAMES[ch])
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
        m = _SUPERSCRIPT.match(text, i)
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
                i = _latex_command(text, i, emit)
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
        if ch in "+-*/^()[]{},=<>|'.&_@":
            emit("op", "*" if ch == "@" else ch, i, i + 1)
            i += 1
            continue
        emit("error", f"unexpected character {ch!r}", i, i + 1)
        i += 1
    out.append(Token("end", "<end>", n, n))
    return out


def _latex_command(text: str, i: int, emit) -> int:
    """Read the LaTeX command at ``text[i] == '\\\\'``; emit its tokens; return the new offset."""
    n = len(text)
    if i + 1 >= n:
        raise AnswerSyntaxError("a lone backslash at the end", i)
    nxt = text[i + 1]
    if not (nxt.isascii() and nxt.isalpha()):  # LaTeX command names are ASCII letters
        if nxt == "|":
            emit("op", "‖", i, i + 2)
        elif nxt == "\\":
            emit("op", "\\\\", i, i + 2)
        elif nxt == "{":
            emit("op", "(", i, i + 2)
        elif nxt == "}":
            emit("op", ")", i, i + 2)
        elif nxt not in ",;:! ":
            error = AnswerSyntaxError(f"unknown LaTeX command \\{nxt}", i)
            error.end = i + 2
            raise error
        return i + 2
    m = re.compile(r"[A-Za-z]+").match(text, i + 1)
    assert m is not None
    name, end = m.group(0), m.end()
    if name in ("mathbb", "mathbf", "mathds", "mathbbm", "bm", "boldsymbol"):
        one = _ONE.match(text, end)
        if one:  # \mathbb{1}: the indicator function
            emit("name", INDICATOR, i, one.end())
            return one.end()
    if name in ("text", "textrm", "mbox", "textit", "textbf"):
        words = _TEXT_WORDS.match(text, end)
        if words:  # \text{if}, \text{ falls }, \text{for all}: the words themselves
            for w in re.finditer(r"[^\W\d_][\w]*|\S", words.group(1)):
                start = words.start(1) + w.start()
                emit("name" if w.group(0)[0].isalpha() else "op", w.group(0), start,
                     start + len(w.group(0)))
            return words.end()
    if name in GREEK:
        full, j = _name_with_subscripts(text, end, name)
        emit("name", full, i, j)
        return j
    if name in LATEX_OPS:
        emit("op", LATEX_OPS[name], i, end)
        return end
    if name in LATEX_SIZES:
        null = _NULL_DELIMITER.match(text, end)
        return null.end() if null else end
    if name in LATEX_SILENT:
        return end
    if name in LATEX_FONTS:
        word = _FONT_WORD.match(text, end)
        if word:  # \mathbf{w}, \operatorname{min}, \text{otherwise}: the word itself
            full, j = _name_with_subscripts(text, word.end(), word.group(1))
            emit("name", full, word.start(1), j)
            return j
        inner = _FONT_CMD.match(text, end)
        if inner:  # \boldsymbol{\mu}: the command inside
            return _latex_command(text, inner.start(1) - 1, emit) + (inner.end() - inner.end(1))
        return end  # \mathbf w or \mathbf{A w}: the argument stays as it is
    if name in ("begin", "end"):
        env = _ENV.match(text, end)
        if not env or env.group(1) not in ("cases", "dcases"):
            what = env.group(1) if env else "?"
            raise AnswerSyntaxError(f"unsupported LaTeX environment {what!r} (only cases)", i)
        emit("op", "BEGIN_CASES" if name == "begin" else "END_CASES", i, env.end())
        return env.end()
    if name in LATEX_COMMANDS:
        emit("cmd", name, i, end)
        return end
    if name in LATEX_FUNCTIONS:
        emit("name", name, i, end)
        return end
    error = AnswerSyntaxError(f"unknown LaTeX command \\{name}", i)
    error.end = end
    raise error
