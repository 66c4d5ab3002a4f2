"""LaTeX commands that build a value: one handler per command, in :data:`COMMANDS`.

``\\frac{a}{b}`` (and ``\\dfrac``, ``\\tfrac``, ``\\cfrac``; ``\\frac12`` with one-token
arguments) is a/b; ``\\sqrt{x}`` the square root, ``\\sqrt[n]{x}`` the n-th root; TeX's
``{a \\over b}`` divides everything before ``\\over`` in its group by everything after it
(:func:`read_over`). The commands that only spell a name, an operator, a font or a size
(``\\lambda``, ``\\cdot``, ``\\mathbf``, ``\\left``) are read by the tokenizer
(:mod:`derivations.checker.tokens.latex`).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.shapes import divide, power, scalar_fn, scalar_only
from derivations.checker.tokens import Token

__all__ = ["COMMANDS", "latex_argument", "read_command", "read_over"]


def latex_argument(r: Reader) -> Value:
    """A LaTeX argument: a braced group, or one token (``\\frac12``)."""
    if r.is_op("{"):
        return r.parse_atom()
    t = r.tok
    if t.kind == "num" and len(t.text) > 1:
        r.split(1)
    return r.parse_postfix()


def _fraction(r: Reader, t: Token) -> Value:
    """``\\frac{num}{den}``."""
    num = latex_argument(r)
    den = latex_argument(r)
    return Value(divide(r, num, den, t.pos).expr, t.pos, r.last_end())


def _root(r: Reader, t: Token) -> Value:
    """``\\sqrt{x}`` or ``\\sqrt[n]{x}``."""
    index = None
    if r.is_op("["):
        r.advance()
        r.closers.append("]")
        index = r.parse_sum()
        r.closers.pop()
        r.expect("]", "to close the root's index")
    arg = latex_argument(r) if r.tok.kind != "end" else None
    if arg is None:
        raise r.fail("`sqrt` needs an argument", t.pos)
    if index is None:
        return Value(scalar_fn(r, arg, sp.sqrt, "sqrt"), t.pos, r.last_end())
    scalar_only(r, arg, "`sqrt`")
    n = scalar_only(r, index, "a root's index")
    if n == 0:
        raise r.fail("a root of index 0", index.pos)
    root = power(r, arg, Value(sp.Pow(n, -1), index.pos, index.end), t.pos)
    return Value(root.expr, t.pos, r.last_end())


#: The commands that build a value (the tokenizer passes them as ``cmd`` tokens), each read
#: from after its name.
COMMANDS: dict[str, Callable[[Reader, Token], Value]] = {
    "frac": _fraction,
    "dfrac": _fraction,
    "tfrac": _fraction,
    "cfrac": _fraction,
    "sqrt": _root,
}


def read_command(r: Reader) -> Value:
    """The command at the current ``cmd`` token, by :data:`COMMANDS`."""
    t = r.advance()
    handler = COMMANDS.get(t.text)
    if handler is None:
        raise r.fail(f"unexpected `\\{t.text}`", t.pos)
    return handler(r, t)


def read_over(r: Reader, numerator: Value) -> Value:
    """``numerator \\over denominator``, from the ``\\over``: the rest of the group is the
    denominator."""
    op = r.advance()
    if r.tok.kind == "end" or any(r.is_op(c) for c in r.closers[-1:]):
        raise r.fail("`\\over` needs a denominator after it", op.pos)
    denominator = r.parse_sum()
    if r.is_op("OVER"):
        raise r.fail("two `\\over` in one group are ambiguous: put each fraction in "
                     "its own braces")
    return divide(r, numerator, denominator, op.pos)
