r"""LaTeX in the notation a reader of the sheet expects.

SymPy's default printer writes ``x^{T}``, ``\mathbb{I}`` and ``\max(0, t)``; this printer
writes ``x^\top``, ``\|x\|^2``, ``I_d``, ``\rho(t)``, ``\nabla_x J(x)`` and keeps a
1×1 constant ``b·I₁`` as ``b``.

>>> from derivations.symbols import w, x, lam, Sigma, mu, b
>>> latex(w.T * x + b * sp.Identity(1) - lam * x.T * x)
'w^\\top x + b - \\lambda \\|x\\|^{2}'
>>> latex(Sigma.I * (x - mu))
'\\Sigma^{-1} \\left(x - \\mu\\right)'
>>> t = sp.Symbol('t', real=True)
>>> latex(sp.Max(0, t - 1))
'\\rho\\left(t - 1\\right)'
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.latex import LatexPrinter

from derivations.matrix_calculus import Gradient, Hessian


class Frac(sp.Function):
    """``num / den`` kept unevaluated for display (``\\frac{num}{den}``); ``doit()`` divides."""

    nargs = 2

    @classmethod
    def eval(cls, num: sp.Expr, den: sp.Expr) -> None:
        return None

    def doit(self, **hints: object) -> sp.Expr:
        num, den = (a.doit(**hints) for a in self.args)
        return num / den


class SheetLatexPrinter(LatexPrinter):
    """:class:`sympy.printing.latex.LatexPrinter` with the sheet's vector notation."""

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        arg = expr.arg
        base = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            base = rf"\left({base}\right)"
        elif "^" in base:
            base = f"{{{base}}}"
        return rf"{base}^\top"

    def _print_Identity(self, expr: sp.Identity) -> str:
        n = expr.shape[0]
        return "1" if n == 1 else rf"I_{{{self._print(n)}}}"

    def _print_ZeroMatrix(self, expr: sp.ZeroMatrix) -> str:
        return "0"

    def _print_Determinant(self, expr: sp.Determinant) -> str:
        return rf"\det {self._print(expr.arg)}"

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        if "(" in expr.name:
            return expr.name
        return self._print_Symbol(expr)

    def _print_Max(self, expr: sp.Max, exp: str | None = None) -> str:
        args = list(expr.args)
        if len(args) == 2 and sp.S.Zero in args:
            args.remove(sp.S.Zero)
            out = rf"\rho\left({self._print(args[0])}\right)"
        else:
            out = r"\max\left(" + ", ".join(self._print(a) for a in args) + r"\right)"
        return f"{out}^{{{exp}}}" if exp else out

    def _print_Min(self, expr: sp.Min, exp: str | None = None) -> str:
        out = r"\min\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"
        return f"{out}^{{{exp}}}" if exp else out

    def _print_Frac(self, expr: Frac, exp: str | None = None) -> str:
        num, den = (self._print(a) for a in expr.args)
        out = rf"\frac{{{num}}}{{{den}}}"
        return rf"\left({out}\right)^{{{exp}}}" if exp else out

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        label = str(expr.base.label)
        idx = ",".join(self._print(i) for i in expr.indices)
        if label == "dist2":
            return rf"\|x - u_{{{idx}}}\|^{{2}}"
        return rf"{self._print(sp.Symbol(label))}_{{{idx}}}"

    def _print_Mul(self, expr: sp.Mul) -> str:
        fracs = [a for a in expr.args if isinstance(a, Frac)]
        if not fracs:
            return super()._print_Mul(expr)
        shown = " ".join(self._print(f) for f in fracs)
        rest = sp.Mul(*[a for a in expr.args if not isinstance(a, Frac)])
        if rest == 1:
            return shown
        if rest == -1:
            return "-" + shown
        return f"{shown} {self._print(rest)}"

    def _print_Gradient(self, expr: Gradient) -> str:
        f, v = expr.args
        return rf"\nabla_{{{self._print(v)}}} {self._print(f)}"

    def _print_Hessian(self, expr: Hessian) -> str:
        f, v = expr.args
        return rf"\nabla^2_{{{self._print(v)}}} {self._print(f)}"

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        coeff, factors = _flatten(expr)
        factors = [f for f in factors if not (isinstance(f, sp.Identity) and f.shape[0] == 1)]
        if len(factors) > 1:
            factors = [f for f in factors if not isinstance(f, sp.Identity)]
        # v^T v -> ||v||^2
        if len(factors) == 2 and isinstance(factors[0], sp.Transpose):
            if factors[0].arg == factors[1]:
                factors = [SquaredNorm(factors[1])]
        parts = []
        for f in factors:
            s = self._print(f)
            if isinstance(f, sp.MatAdd):
                s = rf"\left({s}\right)"
            parts.append(s)
        body = " ".join(parts)
        if coeff == 1:
            return body or "1"
        if coeff == -1:
            return "-" + (body or "1")
        c = self._print(coeff)
        if isinstance(coeff, sp.Add):
            c = rf"\left({c}\right)"
        return f"{c} {body}" if body else c

    def _print_SquaredNorm(self, expr: SquaredNorm) -> str:
        return rf"\|{self._print(expr.args[0])}\|^{{2}}"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        terms = list(expr.args)
        # Display order: terms with a positive sign first (SymPy's order within each group),
        # constants b·I₁ after the linear terms, quadratic terms last.
        def key(t: sp.Basic) -> tuple[int, int]:
            coeff, factors = _flatten(t) if isinstance(t, MatrixExpr) else (t, [])
            negative = int(bool(sp.sympify(coeff).could_extract_minus_sign()))
            constant = int(all(isinstance(f, sp.Identity) for f in factors))
            return (negative, constant)

        terms.sort(key=key)
        out = ""
        for i, t in enumerate(terms):
            s = self._print(t)
            if i == 0:
                out = s
            elif s.startswith("-"):
                out += " - " + s[1:].lstrip()
            else:
                out += " + " + s
        return out


class SquaredNorm(sp.Basic):
    """``‖v‖²`` (display only)."""


def _flatten(expr: sp.Basic) -> tuple[sp.Expr, list[sp.Basic]]:
    """``(scalar coefficient, matrix factors)`` of a possibly nested product."""
    if not isinstance(expr, sp.MatMul):
        return sp.S.One, [expr]
    coeff, factors = sp.S.One, []
    for a in expr.args:
        if isinstance(a, sp.MatMul):
            c, f = _flatten(a)
            coeff, factors = coeff * c, factors + f
        elif isinstance(a, MatrixExpr):
            factors.append(a)
        else:
            coeff *= a
    return coeff, factors


def latex(expr: sp.Basic) -> str:
    """``expr`` in the sheet's notation."""
    return SheetLatexPrinter({"mat_symbol_style": "plain", "long_frac_ratio": 2}).doprint(expr)
