"""Names: the sheet's symbols, function calls, and runs of names written together.

Every name comes from :mod:`derivations.symbols` (``lam`` and ``lmbda`` are ``lambda``,
:data:`ALIASES`). ``lambda`` is the symbol λ (not Python's keyword), ``gamma`` the LRP
parameter γ (not the gamma function: ``gamma(a1)`` is read as γ·a1, with a note). A name
followed by ``(`` is a call of :data:`~derivations.checker.reading.functions.FUNCTIONS`;
``\\log x`` and ``\\exp x`` take the next factor without parentheses. A run of names that
is no name (``AA``, ``a2a1``) is their product, if it splits into known names in exactly one
shortest way, with a note; an unknown name is refused with the closest known one.

Some names are read by a handler of their own (:data:`SPECIAL_NAMES`, tried in order):
a unit with its argument (``h_i(x)``) and the sheet's functions of x that are no answer's
names (``o(x)``, :mod:`~derivations.checker.reading.applications`), ``h_j`` inside
``\\min_j``, ``h_M`` in ``min(h_1, …, h_M)``, the indicator ``𝟙``, ``\\min_j``, ``e^…``
(Euler's number to a power is the exponential), and the identity ``I``, ``I_d``, ``I_k``
(:mod:`~derivations.checker.reading.identity`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import sympy as sp

from derivations import symbols as S
from derivations.checker.notation import display, sheet_text
from derivations.checker.reading.applications import (
    is_sheet_function_call,
    is_unit_call,
    read_unit_call,
    refuse_sheet_function_call,
)
from derivations.checker.reading.cases import read_indicator
from derivations.checker.reading.functions import FUNCTIONS, call
from derivations.checker.reading.identity import is_identity, read_identity
from derivations.checker.reading.reader import Reader, UnknownSymbolError, Value
from derivations.checker.reading.units import (
    is_index_unit,
    is_last_unit,
    read_index_unit,
    read_last_unit,
    read_reduction,
    starts_reduction,
)
from derivations.checker.tokens import INDICATOR, Token

__all__ = ["ALIASES", "SPECIAL_NAMES", "read_name", "resolvable", "shown"]

#: Other spellings of the sheet's names.
ALIASES = {"lam": "lambda", "lmbda": "lambda"}


def _is_euler_power(r: Reader, name: str) -> bool:
    return name == "e" and name not in r.env and r.is_op("^", tok=r.peek())


def _read_euler(r: Reader) -> Value:
    t = r.advance()  # e^{…}: Euler's number to a power is the exponential
    r.note("read `e^…` as exp(…)")
    return Value(sp.E, t.pos, t.end)


#: Names read by a handler of their own: (whether the handler reads this name here, the
#: handler), tried in order before the sheet's symbols and functions.
SPECIAL_NAMES: tuple[tuple[Callable[[Reader, str], bool], Callable[[Reader], Value]], ...] = (
    (is_unit_call, read_unit_call),
    (is_sheet_function_call, refuse_sheet_function_call),
    (is_index_unit, read_index_unit),
    (is_last_unit, read_last_unit),
    (lambda r, name: name == INDICATOR, read_indicator),
    (starts_reduction, read_reduction),
    (_is_euler_power, _read_euler),
    (is_identity, read_identity),
)


def read_name(r: Reader) -> Value:
    """The name at the current token: a special name, a run of names, a call, a symbol."""
    t = r.tok
    name = ALIASES.get(t.text, t.text)
    for applies, read in SPECIAL_NAMES:
        if applies(r, name):
            return read(r)
    if name not in r.env and name not in FUNCTIONS:
        return _read_run(r, t, name)
    r.advance()
    if r.is_op("(") and name in FUNCTIONS:
        return call(r, name, t)
    if name in r.env:
        if name == "gamma" and r.is_op("(") and r.text[t.pos] == "g":
            r.note(
                "read `gamma(...)` as γ·(...): gamma is the LRP parameter γ, "
                "not the gamma function"
            )
        return Value(r.env[name], t.pos, t.end)
    if r.tok.kind != "end" and name in ("log", "ln", "exp", "sqrt"):
        arg = r.parse_power()  # \log x, \exp x without parentheses
        return Value(FUNCTIONS[name](r, [arg], t), t.pos, arg.end)
    raise r.fail(f"`{t.text}` is a function: write {t.text}(...)", t.pos)


def _read_run(r: Reader, t: Token, name: str) -> Value:
    """A run of names that is no name: split into its atoms (or refused as unknown)."""
    parts = segment(r, name)
    if not parts:
        raise _unknown(r, t)
    # A run of names is a product of separate atoms: `AA^T` is A·Aᵀ, `a2a1^2` is
    # a2·a1² (a superscript binds to the last atom only). The note names the atoms;
    # the grammar's parse_power rewrites it once the last atom's superscripts are read.
    plain = f"read `{r.text[t.pos:t.end]}` as {'·'.join(display(p) for p in parts)}"
    r.note(plain)
    at, split = t.pos, []
    for part in parts:
        split.append(Token("name", part, at, min(at + len(part), t.end)))
        at += len(part)
    split[-1] = Token("name", parts[-1], split[-1].pos, t.end)
    r.toks[r.i : r.i + 1] = split
    r.runs[split[-1].pos] = (t.pos, t.end, parts, plain)
    return read_name(r)


def segment(r: Reader, word: str) -> list[str] | None:
    """The unique shortest split of ``word`` into known names, or None."""
    names = sorted(r.env, key=len, reverse=True)
    best: dict[int, list[list[str]]] = {0: [[]]}
    for i in range(1, len(word) + 1):
        cands = [
            prev + [n]
            for n in names
            if word[:i].endswith(n) and (i - len(n)) in best
            for prev in best[i - len(n)]
        ]
        if cands:
            shortest = min(len(c) for c in cands)
            best[i] = [c for c in cands if len(c) == shortest][:2]
    found = best.get(len(word), [])
    return found[0] if len(found) == 1 and len(found[0]) > 1 else None


def resolvable(r: Reader, word: str) -> bool:
    """Whether ``word`` is a known name or a run of known names."""
    word = ALIASES.get(word, word)
    return bool(word) and (word in r.env or segment(r, word) is not None)


def _unknown(r: Reader, t: Token) -> UnknownSymbolError:
    known = sorted(set(r.env) | set(FUNCTIONS))
    typed = r.text[t.pos : t.end]
    near = difflib.get_close_matches(t.text, known, n=1)
    hint = f"; did you mean `{near[0]}`?" if near else ""
    same = [n for n in r.env if n.lower() == t.text.lower() and n != t.text]
    if same:
        hint = f"; did you mean `{same[0]}`? (`{typed}` is a different letter)"
    if t.text in ("T", "t"):
        hint = "; for a transpose write A^T, A.T or A'"
    if t.text == "e":
        hint = "; for the exponential write exp(...)"
    names = ", ".join(n for n in S.BY_NAME if n not in ("d", "k"))
    return UnknownSymbolError(
        f"unknown symbol `{r.text[t.pos : t.end]}`{hint} (the sheet's names: {names})",
        t.pos,
    )


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def shown(expr: sp.Basic) -> str:
    """A factor as a note shows it: ``A.T`` → ``Aᵀ``, ``a1**2`` → ``a1²``, ``Sigma**-1`` →
    ``Σ⁻¹``; another expression in parentheses.

    >>> shown(S.A.T), shown(S.a1**2), shown(sp.Inverse(S.Sigma)), shown(S.a1 + 1)
    ('Aᵀ', 'a1²', 'Σ⁻¹', '(a1 + 1)')
    """
    if isinstance(expr, sp.Symbol | sp.MatrixSymbol):
        return display(expr.name)
    if isinstance(expr, sp.Transpose):
        return shown(expr.arg) + "ᵀ"
    if isinstance(expr, sp.Inverse):
        return shown(expr.arg) + "⁻¹"
    if isinstance(expr, sp.Pow | sp.MatPow) and expr.args[1].is_Integer:
        return shown(expr.args[0]) + str(expr.args[1]).translate(_SUPERSCRIPTS)
    return f"({sheet_text(expr)})"
