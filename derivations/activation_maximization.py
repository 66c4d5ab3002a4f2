"""Exercise 1: activation maximization of a linear model ``f(x) = wᵀx + b``.

Each part maximizes a concave quadratic ``J(v) = f(·) − Ω(·)`` over a vector ``v``. The
prototype is *derived*: the gradient by matrix calculus, the stationary point by solving the
affine equation ``∇J(v) = H v + g₀ = 0``, and uniqueness from the exact expansion
``J(v) − J(v*) = ½ (v − v*)ᵀ H (v − v*)`` with ``H ≺ 0``.

>>> prototype("1a")
(1/(2*lambda))*w
>>> prototype("1b")
Sigma*w + mu
>>> prototype("1c.z"), prototype("1c.x")
((1/(2*lambda))*A.T*w, (1/(2*lambda))*A*A.T*w + c)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from derivations import matrix_identities as mi
from derivations.matrix_calculus import Gradient, Hessian, gradient, hessian, stationary_point
from derivations.parts import Part
from derivations.printing import latex
from derivations.steps import Derivation, QuadraticForm, Rel, Scaled, Step
from derivations.symbols import A, Sigma, b, c, d, k, lam, mu, w, x, z

ONE = sp.Identity(1)  # scalars inside 1×1 matrix expressions: b·1


def _f(v: sp.Basic) -> sp.Basic:
    """The linear model ``f(v) = wᵀv + b`` as a 1×1 matrix expression."""
    return w.T * v + b * ONE


def log_gaussian_density(v: sp.Basic) -> sp.Basic:
    """``log p(v)`` for ``v ~ N(μ, Σ)``: ``−½ (v − μ)ᵀ Σ⁻¹ (v − μ) − ½ log det(2πΣ)``."""
    quad = (v - mu).T * Sigma.I * (v - mu)
    log_det = sp.log(sp.Determinant(2 * sp.pi * Sigma))
    return -sp.Rational(1, 2) * quad - sp.Rational(1, 2) * log_det * ONE


def _mm(*factors: sp.Basic) -> sp.Basic:
    """An unevaluated matrix product (display form: SymPy would distribute scalars)."""
    return sp.MatMul(*factors)


def _ma(*terms: sp.Basic) -> sp.Basic:
    """An unevaluated matrix sum, terms kept in the given order (display form)."""
    return sp.MatAdd(*terms, evaluate=False)


def _norm2(v: sp.Basic) -> sp.Basic:
    """``‖v‖² = vᵀv``."""
    return _mm(sp.Transpose(v), v)


@dataclass(frozen=True)
class Problem:
    """One part ``max_v J(v)``, all its data in one record: the variable, ``J`` as the sheet
    states it and as written out, the gradient by hand, and the text the document shows."""

    part: str
    var: sp.MatrixSymbol
    stated: tuple[sp.Basic, ...]  # f(·) − Ω(·), then intermediate forms (named pieces)
    objective: sp.Basic  # written out (display form, unevaluated)
    names: dict[sp.Basic, sp.Basic]  # the named pieces f(x), Ω(x), log p(x), ...
    condition: str  # why the Hessian is negative definite
    write_out: str  # why the objective may be written out so
    gradient_by_hand: sp.Basic  # the gradient as one would write it (checked against ∇J)
    gradient_why: str
    title: str
    statement: str
    boxed: tuple[tuple[str, str], ...]  # (answer id, LaTeX left-hand side)


_F = {
    "x": sp.MatrixSymbol("f(x)", 1, 1),
    "Az+c": sp.MatrixSymbol("f(Az + c)", 1, 1),
}
_OMEGA = sp.MatrixSymbol(r"\Omega(x)", 1, 1)
_LOG_P = sp.MatrixSymbol(r"\log p(x)", 1, 1)


def _problems() -> dict[str, Problem]:
    half = sp.Rational(1, 2)
    log_det = -half * sp.log(sp.Determinant(2 * sp.pi * Sigma)) * ONE
    return {
        "1a": Problem(
            "1a", x, (_ma(_F["x"], -_OMEGA),),
            _ma(w.T * x, b * ONE, _mm(-lam, _norm2(x))),
            {_F["x"]: _f(x), _OMEGA: lam * x.T * x}, r"$\lambda > 0$",
            r"$f(x) = w^\top x + b$, $\Omega(x) = \lambda\|x\|^2$",
            _ma(w, _mm(-2 * lam, x)),
            r"$\nabla_x (w^\top x) = w$, $\nabla_x \|x\|^2 = 2x$, $\nabla_x b = 0$",
            r"Exercise 1(a): $\ell_2$ regularizer",
            r"Maximize $f(x) - \Omega(x)$ with $f(x) = w^\top x + b$ and"
            r" $\Omega(x) = \lambda \|x\|^2$, $\lambda > 0$.",
            (("1a", "x^*"),),
        ),
        "1b": Problem(
            "1b", x, (_ma(_F["x"], -_OMEGA), _ma(_F["x"], _LOG_P)),
            _ma(w.T * x, b * ONE, _mm(-half, sp.Transpose(x - mu), Sigma.I, x - mu), log_det),
            {_F["x"]: _f(x), _OMEGA: -log_gaussian_density(x), _LOG_P: log_gaussian_density(x)},
            r"$\Sigma \succ 0 \Rightarrow \Sigma^{-1} \succ 0$",
            r"Gaussian log-density $\log p(x)$",
            _ma(w, _mm(-1, Sigma.I, x - mu)),
            r"$\nabla_x\, (x-\mu)^\top \Sigma^{-1} (x-\mu) = 2\Sigma^{-1}(x-\mu)$"
            r" ($\Sigma$ symmetric)",
            r"Exercise 1(b): Gaussian log-density",
            r"Maximize $f(x) - \Omega(x)$ with $\Omega(x) = -\log p(x)$, $x \sim \mathcal N(\mu,"
            r" \Sigma)$, $\Sigma$ symmetric positive definite.",
            (("1b", "x^*"),),
        ),
        "1c": Problem(
            "1c", z, (_ma(_F["Az+c"], _mm(-lam, _norm2(z))),),
            _ma(_mm(w.T, A * z + c), b * ONE, _mm(-lam, _norm2(z))),
            {_F["Az+c"]: _f(A * z + c)}, r"$\lambda > 0$",
            r"$f(v) = w^\top v + b$ at $v = Az + c$",
            _ma(A.T * w, _mm(-2 * lam, z)),
            r"$\nabla_z (w^\top A z) = A^\top w$, $\nabla_z \|z\|^2 = 2z$",
            r"Exercise 1(c): generative model",
            r"With the generator $x = Az + c$, $z \sim \mathcal N(0, I)$, maximize"
            r" $f(Az + c) - \lambda\|z\|^2$ over the code $z$; the prototype is $x^* = Az^* + c$.",
            (("1c.z", "z^*"), ("1c.x", "x^* = Az^* + c")),
        ),
    }


PROBLEMS: dict[str, Problem] = _problems()

#: Displayed names: ``J(v)``, ``J(v*)``, the stationary point ``v*``.
_J = {v: sp.MatrixSymbol(f"J({v.name})", 1, 1) for v in (x, z)}
_J_STAR = {v: sp.MatrixSymbol(f"J({v.name}^*)", 1, 1) for v in (x, z)}
_STAR = {x: sp.MatrixSymbol("x^*", d, 1), z: sp.MatrixSymbol("z^*", k, 1)}


@cache
def solve(part: str) -> tuple[sp.Basic, sp.Basic, sp.Basic]:
    """``(∇J, ∇²J, v*)`` of part ``1a``/``1b``/``1c``, computed from the objective."""
    p = PROBLEMS[part]
    g = gradient(p.objective, p.var)
    H = hessian(p.objective, p.var)
    return g, H, stationary_point(g, p.var)


def prototype(answer_id: str) -> sp.Basic:
    """The derived maximizer: ``1a``, ``1b``, ``1c.z`` (the code) or ``1c.x`` (``A z* + c``)."""
    if answer_id == "1c.x":
        return mi.expand_products(A * solve("1c")[2] + c, mi.SYMMETRIC)
    return solve(answer_id.removesuffix(".z"))[2]


def derivations(part: str) -> tuple[Derivation, ...]:
    """The checked chains of part ``1a``/``1b``/``1c``: objective, gradient, stationary point,
    Hessian, and the exact expansion proving the unique maximum."""
    p = PROBLEMS[part]
    v, J, J_star, v_star = p.var, _J[p.var], _J_STAR[p.var], _STAR[p.var]
    g, H, sol = solve(part)
    defs = {J: p.objective, J_star: p.objective.subs(v, v_star), v_star: sol}
    zero = sp.ZeroMatrix(*v.shape)
    objective = Derivation(f"{part}.objective", J, (
        Step(p.stated[0], "the objective of the sheet"),
        *(Step(e, r"$\Omega = -\log p$") for e in p.stated[1:]),
        Step(p.objective, p.write_out),
    ), {**defs, **p.names})
    by_hand = Step(p.gradient_by_hand, p.gradient_why)
    expanded = Step(g, "expand")   # shown only where it changes what is printed
    grad = Derivation(f"{part}.gradient", Gradient(J, v),
                      (by_hand,) if latex(g) == latex(p.gradient_by_hand) else (by_hand, expanded),
                      defs)
    stationary = Derivation(f"{part}.stationary", sp.Eq(Gradient(J, v), zero, evaluate=False), (
        Step(sp.Eq(p.gradient_by_hand, zero, evaluate=False), "the gradient above",
             Rel.IFF, Scaled(sp.S.One, sp.S.One)),
        Step(sp.Eq(v, sol, evaluate=False),
             rf"multiply by $({latex(H)})^{{-1}}$, invertible",
             Rel.IFF, Scaled(H.I, H)),
    ), defs)
    curvature = Derivation(f"{part}.hessian", Hessian(J, v), (
        Step(H, "differentiate the gradient"),
        Step(sp.ZeroMatrix(v.shape[0], v.shape[0]), p.condition, Rel.NEG_DEF),
    ), defs)
    dv = v - v_star
    coeff, matrix = H.as_coeff_mmul()
    matrix = matrix.doit()
    quad = (_mm(coeff / 2, sp.Transpose(dv), dv) if isinstance(matrix, sp.Identity)
            else _mm(coeff / 2, sp.Transpose(dv), matrix, dv))
    unique = Derivation(f"{part}.unique", _ma(J, -J_star), (
        Step(quad,
             rf"exact Taylor expansion at ${sp.latex(v_star)}$: $J$ is quadratic,"
             rf" $\nabla J({v.name}^*) = 0$"),
        Step(sp.ZeroMatrix(1, 1), r"$\nabla^2 J \prec 0$", Rel.LT,
             QuadraticForm(H / 2, dv), rf"for ${v.name} \neq {v.name}^*$"),
    ), defs)
    chains = [objective, grad, stationary, curvature, unique]
    if part == "1c":
        x_star = _STAR[x]
        chains.append(Derivation("1c.prototype", x_star, (
            Step(A * v_star + c, r"the generator maps the code to the input space"),
            Step(prototype("1c.x"), r"insert $z^*$"),
        ), {**defs, x_star: prototype("1c.x")}))
    return tuple(chains)


_CONCLUSION = (
    r"$J({v}) < J({v}^*)$ for every ${v} \neq {v}^*$: the stationary point is the unique"
    r" maximizer (the objective is strictly concave)."
)


def parts() -> tuple[Part, ...]:
    """Exercise 1 (a), (b), (c) as document parts."""
    return tuple(
        Part(p.part, p.title, p.statement, derivations(p.part), p.boxed,
             _CONCLUSION.format(v=p.var.name))
        for p in PROBLEMS.values()
    )
