"""Wrong answers built from right ones with a transcendental term that sampling cannot see.

For every id of the sheet, its derived answer (as SymPy prints it, so the reader reads it)
with a *decoy* — a term that is tiny on the usual sample range, or large only near one point:
``e^{-K·x}``, ``e^{-K}``, ``log(1 + e^{-K})``, ``x·e^{-K·x}``, ``e^{-K·x²}``,
``√(x² + 1/K) − |x|``, ``e^{-K}·x`` — at the scales ``K = 10³, 10⁶, 10¹²``, used three ways:

* ``added``: right answer + decoy (times a vector of the answer's shape);
* ``multiplied``: right answer · (1 + decoy);
* ``replaced``: a parameter ``x`` of the answer replaced by ``x·(1 + decoy)``.

``x`` is a scalar the id's answer or its question uses (``λ``, ``a1``, ``h1``; ``wᵀw`` for 1b,
whose answer has none). A decoy that SymPy cancels on reading (``0·(1 + …)``) is left out:
what remains differs from the right answer somewhere, so the checker must never accept it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import sympy as sp

from derivations import answers
from derivations import symbols as S

#: The scales of the decoys.
SCALES = (10**3, 10**6, 10**12)


def _wtw() -> sp.Expr:
    return sp.Symbol("WTW")  # stands for wᵀw in the text (replaced when printed)


#: A scalar to hang the decoy on, per id (a symbol of the answer or its question).
PARAMETER: dict[str, sp.Expr] = {
    "1a": S.lam, "1b": _wtw(), "1c.z": S.lam, "1c.x": S.lam,
    "2a.i": S.a1, "2a.ii": S.a1, "2b.i": S.a1, "2b.ii": S.a1, "2b.i.R2": S.a1,
    "2b.ii.R2": S.a1, "2b.i.general": S.a1, "2b.ii.general": S.a1, "3b": S.h1,
}

#: A vector of the answer's shape, to add a scalar decoy to a vector answer.
UNIT: dict[str, str] = {"1a": "w", "1b": "w", "1c.z": "A^T w", "1c.x": "c"}

#: The decoys, by name: a function of the parameter ``x`` and the scale ``K``.
DECOYS: dict[str, Callable[[sp.Expr, int], sp.Expr]] = {
    "exp(-K x)": lambda x, k: sp.exp(-k * x),
    "exp(-K)": lambda x, k: sp.exp(-k),
    "log(1 + exp(-K))": lambda x, k: sp.log(1 + sp.exp(-k)),
    "x exp(-K x)": lambda x, k: x * sp.exp(-k * x),
    "exp(-K x^2)": lambda x, k: sp.exp(-k * x**2),
    "sqrt(x^2 + 1/K) - |x|": lambda x, k: sp.sqrt(x**2 + sp.Rational(1, k)) - sp.Abs(x),
    "exp(-K) x": lambda x, k: sp.exp(-k) * x,
}


class Decoy(NamedTuple):
    answer_id: str
    answer: str
    how: str


def _text(expr: sp.Basic) -> str:
    return sp.sstr(expr).replace("WTW", "(w.T*w)")


def decoys() -> Iterator[Decoy]:
    """Every decoy of the module docstring, for every id; each scale once per (decoy, use)
    in turn, so that every id meets every decoy, every use and every scale."""
    for answer_id in answers.ANSWER_IDS:
        right = answers.spec(answer_id).expr
        x = PARAMETER[answer_id]
        for i, (name, make) in enumerate(DECOYS.items()):
            for j, use in enumerate(("added", "multiplied", "replaced")):
                k = SCALES[(i + j) % len(SCALES)]
                term = make(x, k)
                if use == "added":
                    unit = UNIT.get(answer_id)
                    text = f"{_text(right)} + ({_text(term)})" + (f"*{unit}" if unit else "")
                elif use == "multiplied":
                    changed = right * (1 + term)
                    if sp.simplify(changed - right) == 0:
                        continue
                    text = f"({_text(right)})*(1 + {_text(term)})"
                else:
                    if x not in right.free_symbols:
                        continue
                    text = _text(right.xreplace({x: x * (1 + term)}))
                yield Decoy(answer_id, text, f"{name}, K = 10^{len(str(k)) - 1}, {use}")
