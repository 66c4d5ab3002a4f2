r"""Exercise 1 numerically: maximize the sheet's objectives, compare with the derived optima.

The objectives are the sheet's definitions, in PyTorch (float64), with ``f(x) = wᵀx + b``:

- 1a: ``F(x) = f(x) − λ‖x‖²``;
- 1b: ``F(x) = f(x) + log p(x)``, ``p = N(μ, Σ)``:
  ``log p(x) = −½ (x − μ)ᵀ Σ⁻¹ (x − μ) − ½ log det(2πΣ)`` (the definition of the Gaussian
  density; checked against ``scipy.stats.multivariate_normal.logpdf``, row "1b log p");
- 1c: ``F(z) = f(Az + c) − λ‖z‖²`` over the code ``z``; the prototype is ``x = Az + c``.

Two independent maximizers:

- :func:`gradient_ascent` — autograd gradients, Nesterov-accelerated ascent with step ``1/L``
  and momentum ``(√κ − 1)/(√κ + 1)``, where ``−m ≥ eig(∇²F) ≥ −L`` is read off the Hessian
  spectrum (autograd); it stops when the certified distance ``‖∇F(v)‖/m`` to the maximizer of
  the ``m``-strongly concave ``F`` is below ``tol · max(1, ‖v‖)``.
- :func:`scipy_maximize` — ``scipy.optimize.minimize(method="trust-exact")``, a trust-region
  Newton method, on ``−F`` with the autograd gradient and Hessian and a gradient tolerance far
  below the comparison tolerance. (Quasi-Newton methods driven by function values, BFGS and
  L-BFGS-B, stall near ``‖Δx‖/‖x‖ ≈ √ε · √κ`` on the ill-conditioned instances: the objective's
  rounding hides further progress from their line searches.)

The optima they are compared with are the answers of :mod:`derivations.answers`, lambdified
(:mod:`numerics.evaluate`), never re-typed.

>>> inst = make_instance("1a", np.random.default_rng(0), d=3)
>>> run = gradient_ascent(inst.objective, inst.start)
>>> run.iterations                  # F has Hessian −2λI: one step of size 1/L is exact
1
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.optimize
import scipy.stats
import sympy as sp
import torch
from torch import Tensor

from derivations.symbols import A, Sigma, b, c, lam, mu, w
from numerics.evaluate import compile_answer
from numerics.plotting import WIDTH, plain_log_ticks, printed, pyplot, save_figure
from numerics.rows import Row, relative_error

Objective = Callable[[Tensor], Tensor]

#: Comparison tolerance: ``‖v − v*‖ / ‖v*‖`` for every instance. Both maximizers stop at a
#: certified distance ≤ STOP·max(1, ‖v‖) (the ascent's ‖∇F‖/m; SciPy's gtol = STOP·m·‖v₀‖),
#: and the closed form's own rounding is ≤ κ·ε ≈ 2e-11 (κ ≤ 1e5): 1e-6 leaves four orders of
#: magnitude for ‖v‖ ≫ ‖v*‖ and for another BLAS. (Observed over 12 seeds: ≤ 1e-10.)
TOLERANCE = 1e-6
#: Tolerance of the Gaussian log-density against SciPy's (relative, floor 1): both solve with
#: Σ (Cholesky vs eigendecomposition), so each is off by ≤ n·κ·ε·|quadratic form| ≈ 3e-10
#: relative for n = 50, κ = 1e5. (Observed over 12 seeds: ≤ 2.2e-12.)
LOG_DENSITY_TOLERANCE = 1e-9
#: Stopping tolerance of both maximizers (certified distance / size), far below TOLERANCE.
STOP = 1e-10

#: The random instances, as data: (part, sizes, Hessian condition number where it varies).
#: 1b covers well- and ill-conditioned Σ (κ(Σ) = κ(∇²F) ≥ 1e4); 1c has k < d, k = d, k > d.
CASES: tuple[tuple[str, dict[str, float]], ...] = (
    ("1a", {"d": 1}),
    ("1a", {"d": 7}),
    ("1a", {"d": 50}),
    ("1b", {"d": 3, "cond": 10.0}),
    ("1b", {"d": 20, "cond": 100.0}),
    ("1b", {"d": 10, "cond": 1e4}),
    ("1b", {"d": 50, "cond": 1e4}),
    ("1b", {"d": 30, "cond": 1e5}),
    ("1c", {"d": 10, "k": 3}),
    ("1c", {"d": 50, "k": 20}),
    ("1c", {"d": 30, "k": 30}),
    ("1c", {"d": 4, "k": 12}),
    ("1c", {"d": 20, "k": 50}),
)

#: Requested condition numbers from which an instance counts as ill-conditioned. Instances
#: are grouped by the κ they were built with, never by a κ measured in floating point (a
#: measured 9999.9999997 must not move a κ = 1e4 instance to the other group).
ILL_CONDITIONED = 1e4


@dataclass(frozen=True)
class Instance:
    """One random problem: the objective in the variable (``x`` or ``z``), the start point,
    and the parameters by sheet symbol (column vectors as ``n×1`` arrays)."""

    part: str
    label: str
    objective: Objective
    start: np.ndarray
    params: Mapping[sp.Basic, Any]
    cond: float                   # κ(∇²F) by construction (the requested κ(Σ) in 1b, else 1)
    curvature: tuple[float, float]  # (m, L): the extreme eigenvalues of −∇²F by construction
    log_density: Objective | None = None

    def to_prototype(self, v: np.ndarray) -> np.ndarray:
        """The prototype ``x`` for the variable ``v`` (``Az + c`` in 1c)."""
        if self.part == "1c":
            return self.params[A] @ v[:, None] + self.params[c]
        return v[:, None]


def spd_matrix(rng: np.random.Generator, n: int, cond: float) -> np.ndarray:
    """A random symmetric positive definite ``n×n`` matrix with condition number ``cond``:
    ``Q diag(λ) Qᵀ``, ``Q`` a random orthogonal matrix, ``λ`` log-spaced in
    ``[cond^{-1/2}, cond^{1/2}]``.

    >>> S = spd_matrix(np.random.default_rng(1), 6, 1e4)
    >>> bool(np.allclose(S, S.T)), f"{np.linalg.cond(S):.6g}"    # 6 digits: rounding is ~1e-12
    (True, '10000')
    """
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    q = q * np.sign(np.diag(r))
    s = (q * spd_eigenvalues(n, cond)) @ q.T
    return (s + s.T) / 2


def spd_eigenvalues(n: int, cond: float) -> np.ndarray:
    """The eigenvalues :func:`spd_matrix` gives its matrix: log-spaced in
    ``[cond^{-1/2}, cond^{1/2}]`` (all 1 for ``n = 1``).

    >>> [round(float(v), 12) for v in spd_eigenvalues(3, 100.0)]
    [0.1, 1.0, 10.0]
    """
    return np.logspace(-0.5, 0.5, n) ** math.log10(cond) if n > 1 else np.ones(1)


def gaussian_log_density(mean: np.ndarray, cov: np.ndarray) -> Objective:
    """``x ↦ log N(x; μ, Σ) = −½ (x − μ)ᵀ Σ⁻¹ (x − μ) − ½ log det(2πΣ)`` in torch, with
    ``Σ = LLᵀ`` (Cholesky) giving ``Σ⁻¹`` and ``½ log det Σ = Σ_i log L_ii``.

    >>> import scipy.stats
    >>> S = spd_matrix(np.random.default_rng(2), 4, 1e3); m = np.arange(4.0)
    >>> x = np.ones(4)
    >>> lp = float(gaussian_log_density(m, S)(torch.as_tensor(x)))
    >>> bool(abs(lp - scipy.stats.multivariate_normal(m, S).logpdf(x)) < 1e-10 * abs(lp))
    True
    """
    chol = torch.linalg.cholesky(torch.as_tensor(np.asarray(cov, dtype=np.float64)))
    precision = torch.cholesky_inverse(chol)
    mean_t = _col(mean)
    half_log_det = float(torch.log(torch.diagonal(chol)).sum())
    constant = half_log_det + 0.5 * len(mean_t) * math.log(2 * math.pi)

    def log_density(x: Tensor) -> Tensor:
        e = x - mean_t
        return -0.5 * (e @ (precision @ e)) - constant

    return log_density


def _col(v: np.ndarray) -> Tensor:
    return torch.as_tensor(np.asarray(v, dtype=np.float64).ravel())


def make_instance(part: str, rng: np.random.Generator, d: int, k: int = 0,
                  cond: float = 1.0) -> Instance:
    """A random instance of part ``1a``, ``1b`` or ``1c`` (``λ`` log-uniform in [0.1, 10])."""
    wv = rng.standard_normal((d, 1))
    bv = float(rng.standard_normal())
    lv = float(10 ** rng.uniform(-1, 1))
    wt = _col(wv)
    if part == "1a":
        def objective(x: Tensor) -> Tensor:
            return wt @ x + bv - lv * (x @ x)
        params: dict[sp.Basic, Any] = {w: wv, b: bv, lam: lv}
        label, n, cond, curv = f"d={d}", d, 1.0, (2 * lv, 2 * lv)
    elif part == "1b":
        muv = rng.standard_normal((d, 1))
        sv = spd_matrix(rng, d, cond)
        log_density = gaussian_log_density(muv, sv)

        def objective(x: Tensor) -> Tensor:
            return wt @ x + bv + log_density(x)
        params = {w: wv, b: bv, mu: muv, Sigma: sv}
        eig = spd_eigenvalues(d, cond)  # −∇²F = Σ⁻¹, whose eigenvalues are 1/eig
        label, n, curv = f"d={d}, κ(Σ)={cond:.0e}", d, (1 / eig.max(), 1 / eig.min())
    elif part == "1c":
        av, cv = rng.standard_normal((d, k)), rng.standard_normal((d, 1))
        at, ct = torch.as_tensor(av), _col(cv)

        def objective(z: Tensor) -> Tensor:
            return wt @ (at @ z + ct) + bv - lv * (z @ z)
        params = {w: wv, b: bv, lam: lv, A: av, c: cv}
        label, n, cond, curv = f"d={d}, k={k}", k, 1.0, (2 * lv, 2 * lv)
    else:
        raise ValueError(f"unknown part {part!r}; expected 1a, 1b or 1c")
    start = rng.standard_normal(n)
    return Instance(part, label, objective, start, params, cond, curv,
                    log_density if part == "1b" else None)


def instances(seed: int) -> list[Instance]:
    """The instances of :data:`CASES`, drawn from ``numpy.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    return [make_instance(part, rng, **{key: (float(v) if key == "cond" else int(v))
                                        for key, v in sizes.items()})
            for part, sizes in CASES]


def value_and_gradient(objective: Objective, v: np.ndarray | Tensor) -> tuple[float, np.ndarray]:
    """``F(v)`` and ``∇F(v)`` by autograd."""
    t = torch.as_tensor(np.asarray(v, dtype=np.float64)).requires_grad_(True)
    value = objective(t)
    (grad,) = torch.autograd.grad(value, t)
    return float(value.detach()), grad.numpy()


def hessian(objective: Objective, v: np.ndarray) -> np.ndarray:
    """``∇²F(v)`` by autograd."""
    return torch.autograd.functional.hessian(
        objective, torch.as_tensor(np.asarray(v, dtype=np.float64))).numpy()


def curvature(objective: Objective, v: np.ndarray) -> tuple[float, float]:
    """``(m, L)`` with ``−L ≤ eig(∇²F(v)) ≤ −m`` (autograd Hessian); ``m > 0`` iff ``F`` is
    strongly concave near ``v`` (everywhere, for the sheet's quadratic objectives)."""
    eig = np.linalg.eigvalsh(-hessian(objective, v))
    return float(eig[0]), float(eig[-1])


@dataclass(frozen=True)
class Ascent:
    """A maximizer's result: the point, the steps taken, ``F`` along the way, and the
    certified distance bound ``‖∇F(v)‖ / m`` at the point."""

    point: np.ndarray
    iterations: int
    values: np.ndarray
    bound: float
    curvature: tuple[float, float] = field(default=(math.nan, math.nan))


def _strongly_concave(objective: Objective, start: np.ndarray) -> tuple[float, float]:
    m, big_l = curvature(objective, start)
    if not m > 0:  # not a threshold the data sits on: sheet instances have m ≥ 1e-3 by design
        raise ValueError(f"the objective is not strongly concave (largest Hessian eigenvalue "
                         f"{-m:.3g} ≥ 0): no unique maximizer")
    return m, big_l


def gradient_ascent(objective: Objective, start: np.ndarray, tol: float = STOP,
                    max_iter: int = 100_000) -> Ascent:
    """Nesterov-accelerated gradient ascent with step ``1/L``, momentum
    ``β = (√κ − 1)/(√κ + 1)``, ``κ = L/m``: ``y_t = x_t + β(x_t − x_{t−1})``,
    ``x_{t+1} = y_t + ∇F(y_t)/L``; returns the first ``y_t`` with
    ``‖∇F(y_t)‖/m ≤ tol · max(1, ‖y_t‖)`` (then ``‖y_t − v*‖ ≤ tol · max(1, ‖y_t‖)``).

    Raises ``ValueError`` if ``F`` is not strongly concave (``m ≤ 0``), and
    ``RuntimeError`` if it does not converge within ``max_iter`` steps.

    >>> run = gradient_ascent(lambda v: -(v - 3.0) @ (v - 3.0), np.zeros(2))
    >>> run.point.tolist(), run.iterations
    ([3.0, 3.0], 1)
    >>> gradient_ascent(lambda v: v @ v, np.ones(2))
    Traceback (most recent call last):
    ...
    ValueError: the objective is not strongly concave (largest Hessian eigenvalue 2 ≥ 0): ...
    """
    m, big_l = _strongly_concave(objective, start)
    root = math.sqrt(big_l / m)
    beta = (root - 1) / (root + 1)
    x_prev = x = torch.as_tensor(np.asarray(start, dtype=np.float64))
    values = torch.empty(max_iter + 1, dtype=torch.float64)
    for step in range(max_iter + 1):
        y = (x + beta * (x - x_prev)).requires_grad_(True)
        value = objective(y)
        (grad,) = torch.autograd.grad(value, y)
        y = y.detach()
        values[step] = value.detach()
        bound = float(torch.linalg.vector_norm(grad)) / m
        if bound <= tol * max(1.0, float(torch.linalg.vector_norm(y))):
            return Ascent(y.numpy(), step, values[: step + 1].numpy(), bound, (m, big_l))
        x_prev, x = x, y + grad / big_l
    raise RuntimeError(f"gradient ascent did not converge in {max_iter} steps "
                       f"(distance bound {bound:.3g})")


def scipy_maximize(objective: Objective, start: np.ndarray, tol: float = STOP) -> Ascent:
    """``scipy.optimize.minimize(−F, method="trust-exact")`` with the autograd gradient and
    Hessian, ``gtol = tol · m · max(1, ‖v₀‖)``."""
    m, big_l = _strongly_concave(objective, start)
    values: list[float] = []

    def negative(v: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = value_and_gradient(objective, v)
        values.append(value)
        return -value, -grad

    def negative_hessian(v: np.ndarray) -> np.ndarray:
        return -hessian(objective, v)

    scale = max(1.0, float(np.linalg.norm(start)))
    with warnings.catch_warnings():
        # "A bad approximation caused failure to predict improvement": the trust region
        # stalls at the rounding floor, after convergence; the bound below tells how close.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = scipy.optimize.minimize(
            negative, start, jac=True, hess=negative_hessian, method="trust-exact",
            options={"gtol": tol * m * scale, "maxiter": 1000},
        )
    value, grad = value_and_gradient(objective, result.x)
    values.append(value)  # the last entry is F at the returned point
    bound = float(np.linalg.norm(grad)) / m
    return Ascent(np.asarray(result.x), int(result.nit), np.array(values), bound, (m, big_l))


def closed_forms(answers: Mapping[str, sp.Basic]) -> dict[str, Callable[[Instance], np.ndarray]]:
    """The derived optima as functions of an instance: ``"1a"``, ``"1b"``, ``"1c.z"``,
    ``"1c.x"`` → the lambdified answer evaluated at the instance's parameters."""
    out: dict[str, Callable[[Instance], np.ndarray]] = {}
    for key in ("1a", "1b", "1c.z", "1c.x"):
        expr = answers[key]

        def evaluate(inst: Instance, expr: sp.Basic = expr) -> np.ndarray:
            args = tuple(inst.params)
            return compile_answer(expr, args)(*inst.params.values())

        out[key] = evaluate
    return out


@dataclass(frozen=True)
class Solved:
    """One instance solved both ways, with the closed-form optimum."""

    instance: Instance
    ascent: Ascent
    scipy: Ascent
    variable: np.ndarray          # the closed-form optimum of the maximized variable
    prototype: np.ndarray         # the closed-form prototype x* (n×1)
    optimum: float                # F at the closed-form optimum


def solve(inst: Instance, forms: Mapping[str, Callable[[Instance], np.ndarray]]) -> Solved:
    """Maximize ``inst`` both ways and evaluate the closed forms."""
    if inst.part == "1c":
        variable, prototype = forms["1c.z"](inst), forms["1c.x"](inst)
    else:
        variable = prototype = forms[inst.part](inst)
    optimum, _ = value_and_gradient(inst.objective, variable.ravel())
    return Solved(inst, gradient_ascent(inst.objective, inst.start),
                  scipy_maximize(inst.objective, inst.start), variable, prototype, optimum)


def relative_gap(solved: Solved, values: np.ndarray) -> np.ndarray:
    """``(F(v*) − F(v_t)) / max(1, |F(v*)|)`` along a run."""
    return (solved.optimum - values) / max(1.0, abs(solved.optimum))


# Rows: (check name, which instances, the compared variable, the answer it is compared with).
_GROUPS: tuple[tuple[str, Callable[[Instance], bool], str, str], ...] = (
    ("1a", lambda i: i.part == "1a", "x", "1a"),
    ("1b well-conditioned", lambda i: i.part == "1b" and i.cond < ILL_CONDITIONED, "x", "1b"),
    ("1b ill-conditioned", lambda i: i.part == "1b" and i.cond >= ILL_CONDITIONED, "x", "1b"),
    # (i.cond is the requested κ: see ILL_CONDITIONED)
    ("1c z*", lambda i: i.part == "1c", "z", "1c.z"),
    ("1c x* = Az* + c", lambda i: i.part == "1c", "x", "1c.x"),
)

_METHODS = {
    "gradient ascent": ("ascent", "torch autograd, Nesterov step 1/L"),
    "scipy": ("scipy", "scipy trust-exact, autograd gradient + Hessian"),
}


def rows(solved: Sequence[Solved]) -> list[Row]:
    """The table rows of Exercise 1: per part and method, the largest relative distance
    ``‖v − v*‖/‖v*‖`` to the lambdified answer, with iterations and final gaps; and one row
    for strong concavity (largest Hessian eigenvalue ``−m`` over all instances, must be < 0)."""
    out: list[Row] = []
    for name, selected, variable, key in _GROUPS:
        group = [s for s in solved if selected(s.instance)]
        if not group:
            continue
        for method, (attr, how) in _METHODS.items():
            errors, iterations, gaps, labels = [], [], [], []
            for s in group:
                run: Ascent = getattr(s, attr)
                if variable == "x":
                    value, ref = s.instance.to_prototype(run.point), s.prototype
                else:
                    value, ref = run.point[:, None], s.variable
                errors.append(relative_error(value, ref))
                iterations.append(run.iterations)
                gaps.append(float(relative_gap(s, run.values[-1:])[0]))
                labels.append(s.instance.label)
            out.append(Row.of(
                f"{name} {method}",
                f"{variable} ({how}) vs answer {key}: ‖Δ{variable}‖/‖{variable}*‖ on "
                f"{len(group)} instances ({'; '.join(labels)})",
                errors, TOLERANCE, method=method, instances=labels, iterations=iterations,
                final_relative_gap=gaps, relative_errors=errors,
            ))
    density = [s for s in solved if s.instance.log_density is not None]
    if density:
        errors = []
        for s in density:
            inst = s.instance
            reference = scipy.stats.multivariate_normal(inst.params[mu].ravel(),
                                                        inst.params[Sigma])
            for point in (inst.start, s.prototype.ravel(), s.ascent.point):
                mine = float(inst.log_density(torch.as_tensor(point)))
                theirs = float(reference.logpdf(point))
                errors.append(abs(mine - theirs) / max(1.0, abs(theirs)))
        out.append(Row.of(
            "1b log p(x)", "the Gaussian log-density in the objective vs "
            "scipy.stats.multivariate_normal.logpdf at start, x* and x_T of "
            f"{len(density)} instances: |Δ| / max(1, |log p|)", errors, LOG_DENSITY_TOLERANCE))
    # Strong concavity, compared with the construction: the extreme eigenvalues (m, L) of
    # −∇²F from the autograd Hessian vs those the instance was built with (2λ; Σ⁻¹'s). Both
    # are > 0 by construction, so a small relative error proves F strongly concave.
    # Tolerance: eigvalsh is backward stable (|Δ| ≤ n·ε·L) and Σ⁻¹ comes from a Cholesky
    # factor (relative error ≤ n·κ·ε in norm), so |Δm|/m ≤ 2n·κ²·ε; κ ≤ 1e5, n ≤ 50 here.
    errors, bounds = [], []
    for s in solved:
        inst = s.instance
        n = len(inst.start)
        got, want = np.array(s.ascent.curvature), np.array(inst.curvature)
        errors.append(float(np.max(np.abs(got - want) / want)))
        bounds.append(2 * n * inst.cond**2 * np.finfo(float).eps)
    margin = [e / b for e, b in zip(errors, bounds, strict=True)]
    out.append(Row.of(
        "1 strong concavity", "extreme eigenvalues m, L of −∇²F (autograd Hessian) vs the "
        f"construction's (2λ, or Σ⁻¹'s; all > 0) on {len(solved)} instances: |Δ|/value in "
        "units of the rounding bound 2n·κ²·ε", margin, 1.0,
        smallest_curvature=[s.ascent.curvature[0] for s in solved], relative_errors=errors))
    return out


def plot_convergence(solved: Sequence[Solved], path: Path) -> Path:
    """Relative objective gap ``(F* − F(y_t))/max(1,|F*|)`` against the iteration ``t`` of
    gradient ascent, log scale, one line per instance (a marker on every iterate of a run
    shorter than 5 steps, so that one converged at once is seen), the legend beside the axes;
    written to ``path`` (PNG, and PDF beside it) at its printed size
    (:mod:`numerics.plotting`)."""
    plt = pyplot()
    floor = 1e-17
    with printed():
        fig, ax = plt.subplots(figsize=(WIDTH, 3.0), layout="constrained")
        markers = "os^Dv<>ph*"
        for n, s in enumerate(solved):
            gap = np.maximum(np.abs(relative_gap(s, s.ascent.values)), floor)
            short = len(gap) < 5
            ax.semilogy(np.arange(len(gap)), gap, marker=markers[n % len(markers)] if short
                        else None, ms=4, lw=1.0, label=f"{s.instance.part} {s.instance.label}")
        ax.set_xscale("symlog", linthresh=10)
        ax.set_xlim(left=-0.5)
        ax.set_xlabel("iteration t (Nesterov gradient ascent, step 1/L)")
        ax.set_ylabel("(F(x*) − F(x_t)) / max(1, |F(x*)|)")
        ax.axhline(floor, color="grey", lw=0.5)
        plain_log_ticks(ax)
        fig.legend(loc="outside right center", title="part, instance", frameon=False)
        return save_figure(fig, path)


def check(seed: int, plots_dir: Path | None,
          answers: Mapping[str, sp.Basic]) -> list[Row]:
    """Exercise 1: solve every instance of :data:`CASES` both ways; rows (+ the plot)."""
    forms = closed_forms(answers)
    solved = [solve(inst, forms) for inst in instances(seed)]
    out = rows(solved)
    if plots_dir is not None:
        path = plot_convergence(solved, Path(plots_dir) / PLOT)
        out = [r.with_details(plot=str(path)) if "gradient ascent" in r.check else r
               for r in out]
    return out


#: File name of the convergence plot inside ``plots_dir``.
PLOT = "ex1_gradient_ascent_convergence.png"

__all__ = [
    "CASES",
    "PLOT",
    "TOLERANCE",
    "Ascent",
    "Instance",
    "Solved",
    "check",
    "closed_forms",
    "curvature",
    "gradient_ascent",
    "instances",
    "make_instance",
    "plot_convergence",
    "rows",
    "scipy_maximize",
    "solve",
    "spd_eigenvalues",
    "spd_matrix",
]
