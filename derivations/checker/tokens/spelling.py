"""How a token is spelled: the token itself, Unicode letters and operators, sub- and
superscripts, vulgar fractions.

>>> name_with_subscripts("a_1 + h_{3}", 1, "a"), UNICODE_NAMES["λ"], UNICODE_OPS["·"]
(('a1', 3), 'lambda', '*')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "INDICATOR",
    "REDUCTIONS",
    "SUBSCRIPT_DIGITS",
    "SUPERSCRIPT_DIGITS",
    "SUPERSCRIPT_RUN",
    "SUPERSCRIPT_SIGNS",
    "UNICODE_NAMES",
    "UNICODE_OPS",
    "AnswerSyntaxError",
    "Token",
    "name_with_subscripts",
    "subscript",
    "vulgar_fraction",
]


class AnswerSyntaxError(ValueError):
    """An answer that cannot be read; ``position`` is the offset in the input, counted from 0
    (or None); :attr:`column` the same place counted from 1, as messages show it.

    >>> e = AnswerSyntaxError("unknown symbol `lamda`", 5)
    >>> e.position, e.column, e.located("w/(2*lamda)")
    (5, 6, 'unknown symbol `lamda` at position 6\\n    w/(2*lamda)\\n         ^')
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.end: int | None = None

    @property
    def column(self) -> int | None:
        """The place of the problem counted from 1 (the first character is 1), or None."""
        return None if self.position is None else self.position + 1

    def located(self, text: str) -> str:
        """The message, the place counted from 1 and a caret line under ``text`` (the input
        as typed, line breaks shown as spaces)."""
        if self.position is None:
            return self.message
        line = text.replace("\n", " ")
        return (f"{self.message} at position {self.column}\n    {line}\n"
                f"    {' ' * self.position}^")


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

#: Names whose subscript is not part of the name: ``min_j h_j``, ``\min_{j=1,\dots,M}``,
#: ``\operatorname{min}_i``.
REDUCTIONS = frozenset({"min", "max", "Min", "Max", "lim"})

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
    "∈": "∈",
    "∉": "∉",
    "∖": "∖",
    "∣": ":",
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
SUPERSCRIPT_RUN = re.compile(r"[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")

SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUB = re.compile(r"_(?:\{\s*([A-Za-z0-9]+)\s*\}|([0-9]+)|([A-Za-z]))")
_SUB_UNICODE = re.compile(r"[₀-₉]+")


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


def subscript(text: str, i: int) -> tuple[str, int]:
    """A subscript ``_1``, ``_{12}``, ``₁`` right at ``text[i]``: its characters and end."""
    m = _SUB.match(text, i)
    if m:
        return next(g for g in m.groups() if g), m.end()
    m = _SUB_UNICODE.match(text, i)
    if m:
        return m.group(0).translate(SUBSCRIPT_DIGITS), m.end()
    return "", i


def name_with_subscripts(text: str, i: int, name: str) -> tuple[str, int]:
    """Join subscripts onto a name: ``a_1`` → ``a1``, ``h_{3}`` → ``h3``."""
    while True:
        sub, j = subscript(text, i)
        if not sub:
            return name, i
        name, i = name + sub, j
