"""LaTeX commands as the tokenizer reads them: one handler per command (:data:`LATEX_HANDLERS`).

A command names a letter (``\\lambda``), an operator (``\\cdot``, ``\\le``, ``\\over``),
a font or text (``\\mathbf{w}``, ``\\text{if}``: the word stays), a size (``\\left``, dropped
with a null delimiter ``.``), a space (dropped), the ``cases`` environment, or a command or
function the parser reads (``\\frac``, ``\\sqrt``; ``\\min``, ``\\exp``).
:func:`read_latex_command` reads one; an unknown command is refused by name.

>>> found = []
>>> read_latex_command(r"\\mathbf{w}", 0, lambda *token: found.append(token)), found
(10, [('name', 'w', 8, 10)])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from derivations.checker.tokens.spelling import (
    INDICATOR,
    REDUCTIONS,
    UNICODE_NAMES,
    AnswerSyntaxError,
    name_with_subscripts,
)

__all__ = [
    "GREEK",
    "LATEX_BOXES",
    "LATEX_COMMANDS",
    "LATEX_FONTS",
    "LATEX_FUNCTIONS",
    "LATEX_HANDLERS",
    "LATEX_OPS",
    "LATEX_SILENT",
    "LATEX_SIZES",
    "LATEX_SPACES",
    "LATEX_SYMBOLS",
    "read_latex_command",
]

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
    "notin": "∉",
    "setminus": "∖",
    "backslash": "∖",
    "colon": ":",
    "mid": ":",
    "leqq": "<=",
    "geqq": ">=",
    "dotsb": "…",
    "dotso": "…",
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
    "scriptstyle",
    "substack",
}

#: LaTeX commands that frame their argument (``\\boxed{…}``, ``\\fbox{…}``): dropped, the
#: argument stays as a group.
LATEX_BOXES = {"boxed", "fbox", "framebox"}

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
    "mathop",
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

_FONT_WORD = re.compile(r"\s*\*?\s*\{\s*([^\W\d_]\w*)\s*\}")
_TEXT_WORDS = re.compile(r"\s*\{([^{}\\]*)\}")
_ONE = re.compile(r"\s*(?:\{\s*1\s*\}|1(?!\d))")
_FONT_CMD = re.compile(r"\s*\*?\s*\{\s*\\([A-Za-z]+)\s*\}")
#: A word in a font in a font: ``\\mathop{\\mathrm{min}}``, ``\\mathbf{\\mathrm{w}}``.
_FONT_IN_FONT = re.compile(r"\s*\*?\s*\{\s*\\(?:mathrm|text|textrm|operatorname|mathit|"
                           r"mathbf|boldsymbol)\s*\{\s*([^\W\d_]\w*)\s*\}\s*\}")
_ENV = re.compile(r"\s*\{\s*([A-Za-z*]+)\s*\}")
_NULL_DELIMITER = re.compile(r"\s*\.")

#: Emits one token: (kind, text, start, end).
Emit = Callable[[str, str, int, int], None]

#: Reads one LaTeX command: (the input, the offset of its backslash, the offset after its
#: name, its name, emit) → the offset after all it reads.
LatexHandler = Callable[[str, int, int, str, Emit], int]

#: Commands of one character that is not a letter: the operator they are.
LATEX_SYMBOLS = {"|": "‖", "\\": "\\\\", "{": "(", "}": ")"}
#: Commands of one character that only space things: dropped.
LATEX_SPACES = set(",;:! ")

_LETTERS = re.compile(r"[A-Za-z]+")


def read_latex_command(text: str, i: int, emit: Emit) -> int:
    """Read the LaTeX command at ``text[i] == '\\\\'`` by :data:`LATEX_HANDLERS`; emit its
    tokens; return the new offset."""
    n = len(text)
    if i + 1 >= n:
        raise AnswerSyntaxError("a lone backslash at the end", i)
    nxt = text[i + 1]
    if not (nxt.isascii() and nxt.isalpha()):  # LaTeX command names are ASCII letters
        if nxt in LATEX_SYMBOLS:
            emit("op", LATEX_SYMBOLS[nxt], i, i + 2)
        elif nxt not in LATEX_SPACES:
            error = AnswerSyntaxError(f"unknown LaTeX command \\{nxt}", i)
            error.end = i + 2
            raise error
        return i + 2
    m = _LETTERS.match(text, i + 1)
    assert m is not None
    name, end = m.group(0), m.end()
    handler = LATEX_HANDLERS.get(name)
    if handler is None:
        error = AnswerSyntaxError(f"unknown LaTeX command \\{name}", i)
        error.end = end
        raise error
    return handler(text, i, end, name, emit)


def _indicator_or_font(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\mathbb{1}``, ``\\mathbf 1``: the indicator function; else a font."""
    one = _ONE.match(text, end)
    if one:
        emit("name", INDICATOR, i, one.end())
        return one.end()
    return _font(text, i, end, name, emit)


def _words_or_font(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\text{if}``, ``\\text{ falls }``, ``\\text{for all}``: the words themselves; else a
    font."""
    words = _TEXT_WORDS.match(text, end)
    if not words:
        return _font(text, i, end, name, emit)
    for w in re.finditer(r"[^\W\d_][\w]*|\S", words.group(1)):
        start = words.start(1) + w.start()
        emit("name" if w.group(0)[0].isalpha() else "op", w.group(0), start,
             start + len(w.group(0)))
    return words.end()


def _greek(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\lambda``, ``\\Sigma``, ``\\gamma_1``: a name, with its subscripts."""
    full, j = name_with_subscripts(text, end, name)
    emit("name", full, i, j)
    return j


def _operator(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\cdot``, ``\\le``, ``\\top``, ``\\over``, …: the operator of :data:`LATEX_OPS`."""
    emit("op", LATEX_OPS[name], i, end)
    return end


def _size(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\left``, ``\\big``, …: dropped, with the null delimiter ``.`` after it."""
    null = _NULL_DELIMITER.match(text, end)
    return null.end() if null else end


def _silent(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\quad``, ``\\displaystyle``, …: dropped."""
    return end


def _font(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\mathbf{w}``, ``\\operatorname{min}``, ``\\operatorname*{min}``,
    ``\\text{otherwise}``: the word itself (with its subscripts, except a reduction's:
    ``\\operatorname{min}_i`` is min with the index i); ``\\boldsymbol{\\mu}``,
    ``\\mathop{\\min}``: the command inside (``\\mathop{\\mathrm{min}}``: the word
    inside); ``\\mathbf w`` or ``\\mathbf{A w}``: the argument stays as it is."""
    word = _FONT_WORD.match(text, end) or _FONT_IN_FONT.match(text, end)
    if word:
        if word.group(1) in REDUCTIONS:
            full, j = word.group(1), word.end()
        else:
            full, j = name_with_subscripts(text, word.end(), word.group(1))
        emit("name", full, word.start(1), j)
        return j
    inner = _FONT_CMD.match(text, end)
    if inner:
        return read_latex_command(text, inner.start(1) - 1, emit) + (inner.end() - inner.end(1))
    return end


def _box(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\boxed{…}``, ``\\fbox{…}``: the frame is dropped, its argument read as a group."""
    return end


#: The environments read, by name: the tokens of their ``\\begin`` and ``\\end`` (an
#: ``array`` is read only as cases after ``\\left\\{``).
ENVIRONMENTS = {
    "cases": ("BEGIN_CASES", "END_CASES"),
    "dcases": ("BEGIN_CASES", "END_CASES"),
    "array": ("BEGIN_ARRAY", "END_ARRAY"),
}
_COLUMNS = re.compile(r"\s*\{[lrc|\s]*\}")


def _environment(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\begin{cases}``, ``\\end{cases}`` (also ``dcases``), ``\\begin{array}{ll}``,
    ``\\end{array}`` (:data:`ENVIRONMENTS`); another environment is refused."""
    env = _ENV.match(text, end)
    if not env or env.group(1) not in ENVIRONMENTS:
        what = env.group(1) if env else "?"
        raise AnswerSyntaxError(f"unsupported LaTeX environment {what!r} (only cases, and "
                                "an array after \\left\\{)", i)
    begin, finish = ENVIRONMENTS[env.group(1)]
    after = env.end()
    if name == "begin" and env.group(1) == "array":
        columns = _COLUMNS.match(text, after)
        after = columns.end() if columns else after
    emit("op", begin if name == "begin" else finish, i, after)
    return after


def _command(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\frac``, ``\\sqrt``: passed to the parser as a ``cmd`` token."""
    emit("cmd", name, i, end)
    return end


def _function(text: str, i: int, end: int, name: str, emit: Emit) -> int:
    """``\\min``, ``\\exp``, ``\\log``: the text function of the same name."""
    emit("name", name, i, end)
    return end


def _by_name(categories: Iterable[tuple[Iterable[str], LatexHandler]]) -> dict[str, LatexHandler]:
    """One handler per command name; where a name is in two categories, the first wins."""
    table: dict[str, LatexHandler] = {}
    for names, handler in categories:
        for name in sorted(names):
            table.setdefault(name, handler)
    return table


#: Every LaTeX command the tokenizer reads, by name (an unknown command is refused).
LATEX_HANDLERS: dict[str, LatexHandler] = _by_name((
    (("mathbb", "mathbf", "mathds", "mathbbm", "bm", "boldsymbol"), _indicator_or_font),
    (("text", "textrm", "mbox", "textit", "textbf"), _words_or_font),
    (GREEK, _greek),
    (LATEX_OPS, _operator),
    (LATEX_SIZES, _size),
    (LATEX_SILENT, _silent),
    (LATEX_BOXES, _box),
    (LATEX_FONTS, _font),
    (("begin", "end"), _environment),
    (LATEX_COMMANDS, _command),
    (LATEX_FUNCTIONS, _function),
))
