"""Derivations as chains of checked steps.

A :class:`Derivation` is a start expression followed by :class:`Step` s. Each step holds the
next expression, a one-line justification, the relation to the previous expression
(``=``, ``<``, ``≤``, ``>``, ``≥``, ``⟺``, ``≺ 0``) and, where the relation is not
a plain identity, a *certificate* that makes it checkable. :func:`check` verifies every
consecutive pair; the LaTeX document prints the very same objects, so every displayed step is
a checked step.

Symbols such as ``R_3`` or ``J(x)`` may be displayed by name and defined once in
``Derivation.definitions``; the checks substitute the definitions first.

>>> import sympy as sp
>>> t = sp.Symbol("t", positive=True)
>>> chain = Derivation("demo", (t + 1) ** 2, (
...     Step(t**2 + 2 * t + 1, "expand the square"),
...     Step(t**2 + 1, "drop $2t > 0$", Rel.GT),
... ))
>>> [r.ok for r in check(chain)]
[True, True]
>>> bad = Derivation("bad", t, (Step(t + 1, "wrong"),))
>>> check(bad)[0].ok
False
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from derivations import matrix_identities as mi
from derivations import signs
from derivations.regions import Region
from derivations.symbols import MATRIX_ASSUMPTIONS


class Rel(Enum):
    """The relation of a step's expression to the previous one (its LaTeX symbol)."""

    EQ = "="
    LT = "<"
    LE = r"\le"
    GT = ">"
    GE = r"\ge"
    IFF = r"\iff"
    NEG_DEF = r"\prec"  # prev ≺ cur (cur is the zero matrix): prev is negative definite


# --------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Identity:
    """``prev = cur`` (or, for equations, the same equation): ``simplify(prev − cur) = 0``.

    ``param`` substitutes a hypothesis first (e.g. ``h₁ = m``), as in :class:`Sign`.
    """

    param: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        if self.param:
            prev, cur = prev.xreplace(dict(self.param)), cur.xreplace(dict(self.param))
        if isinstance(prev, sp.Equality) and isinstance(cur, sp.Equality):
            return Scaled(sp.S.One, sp.S.One).check(prev, cur, rel)
        return equal(prev, cur)


@dataclass(frozen=True)
class Scaled:
    """Equations ``L₁ = R₁``, ``L₂ = R₂`` with ``L₂ − R₂ = M (L₁ − R₁)``, ``L₁ − R₁ = N (L₂ − R₂)``.

    The forward identity gives ``⟹``, the backward one ``⟸``; both are required, and prove
    ``⟺`` (or ``=``, the same equation) without asking whether ``M`` is invertible (``N`` is
    its inverse on the solution set).
    """

    forward: sp.Basic
    backward: sp.Basic

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        old = prev.lhs - prev.rhs
        new = cur.lhs - cur.rhs
        return equal(new, self.forward * old) and equal(old, self.backward * new)


@dataclass(frozen=True)
class Sign:
    """An order relation proven by the sign of the difference, optionally on parametrized cases.

    ``param`` substitutes a parametrization of the hypotheses (e.g. ``h_i = m + log(1+r_i)/γ``
    with ``r_i ≥ 0`` writes ``h_i ≥ m``); the difference must then be provably signed.
    """

    param: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        diff = {
            Rel.LT: cur - prev,
            Rel.LE: cur - prev,
            Rel.GT: prev - cur,
            Rel.GE: prev - cur,
        }[rel]
        diff = sp.sympify(diff).xreplace(dict(self.param))
        strict = rel in (Rel.LT, Rel.GT)
        prove = signs.positive if strict else signs.nonnegative
        return any(prove(e) for e in (diff, combine_sums(diff)))


@dataclass(frozen=True)
class OnRegions:
    """The relation holds on each region of a case split (``inner`` checks it there)."""

    regions: tuple[Region, ...]
    inner: Identity | Sign | Scaled = field(default_factory=Identity)

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        return all(
            r.is_exact() and self.inner.check(r.substitute(prev), r.substitute(cur), rel)
            for r in self.regions
        )


@dataclass(frozen=True)
class QuadraticForm:
    """``prev = vᵀ Q v`` with ``−Q`` positive definite, hence ``prev < 0 = cur`` for ``v ≠ 0``."""

    Q: sp.Basic
    v: sp.Basic
    facts: sp.Basic = MATRIX_ASSUMPTIONS

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        form = self.v.T * self.Q * self.v
        return (
            rel is Rel.LT
            and equal(cur, sp.S.Zero)
            and equal(prev, form)
            and sp.ask(sp.Q.positive_definite(-self.Q), self.facts) is True
        )


@dataclass(frozen=True)
class NegativeDefinite:
    """``prev ≺ 0``: ``−prev`` is positive definite under the facts (``sympy.ask``)."""

    facts: sp.Basic = MATRIX_ASSUMPTIONS

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        zero = isinstance(cur, sp.ZeroMatrix) or cur == 0
        return zero and sp.ask(sp.Q.positive_definite(-prev), self.facts) is True


@dataclass(frozen=True)
class Monotone:
    """``prev = f(A) rel f(B) = cur`` from a checked chain ``A … B`` and the monotonicity of ``f``.

    ``f`` is a one-argument ``Lambda``; it is increasing (decreasing) where its derivative is
    provably positive (negative) for a positive argument, and ``A, B > 0``. The chain's
    relations (all ``=``/``≤`` or all ``=``/``≥``) give ``A ≤ B`` or ``A ≥ B``; a decreasing
    ``f`` reverses it.
    """

    f: sp.Lambda
    chain: Derivation

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        A, B = self.chain.expand(self.chain.start), self.chain.expand(self.chain.final)
        direction = chain_direction(self.chain)
        if direction is None or not all(r.ok for r in check(self.chain)):
            return False
        t = sp.Dummy("t", positive=True)
        slope = sp.diff(self.f(t), t)
        if signs.positive(slope):
            increasing = True
        elif signs.positive(-slope):
            increasing = False
        else:
            return False
        if not (signs.positive(A) and signs.positive(B)):
            return False
        flips = {Rel.LE: Rel.GE, Rel.GE: Rel.LE, Rel.LT: Rel.GT, Rel.GT: Rel.LT}
        expected = direction if increasing else flips[direction]
        weaker = {Rel.LT: Rel.LE, Rel.GT: Rel.GE}
        return (
            rel in (expected, weaker.get(expected))
            and equal(prev, self.f(A))
            and equal(cur, self.f(B))
        )


@dataclass(frozen=True)
class Squeeze:
    """``lim prev = cur`` by the squeeze theorem: checked chains ``lower ≤ g ≤ upper``.

    ``prev`` is ``Limit(g, var, point)``; both chains start at ``g`` and their end points
    have the limit ``cur`` (``sympy.limit``).
    """

    lower: Derivation
    upper: Derivation

    def check(self, prev: sp.Basic, cur: sp.Basic, rel: Rel) -> bool:
        if not isinstance(prev, sp.Limit):
            return False
        g, var, point = prev.args[0], prev.args[1], prev.args[2]
        ok = (
            chain_direction(self.lower) in (Rel.GE, Rel.GT)
            and chain_direction(self.upper) in (Rel.LE, Rel.LT)
            and all(r.ok for r in check(self.lower) + check(self.upper))
        )
        for chain in (self.lower, self.upper):
            start, end = chain.expand(chain.start), chain.expand(chain.final)
            ok = ok and equal(start, g) and equal(sp.limit(end, var, point), cur)
        return bool(ok) and rel is Rel.EQ


Certificate = (
    Identity | Scaled | Sign | OnRegions | QuadraticForm | NegativeDefinite | Monotone | Squeeze
)


# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    """One line of a chain: ``<rel> expr`` with a one-line justification.

    ``why`` is LaTeX text (math in ``$...$``); ``condition`` (LaTeX text, optional) states
    where the relation holds, e.g. ``"for $x \\neq x^*$"``.
    """

    expr: sp.Basic
    why: str
    rel: Rel = Rel.EQ
    certificate: Certificate | None = None
    condition: str = ""

    def proof(self) -> Certificate:
        """The certificate to check: the given one, else the default for the relation."""
        if self.certificate is not None:
            return self.certificate
        if self.rel in (Rel.LT, Rel.LE, Rel.GT, Rel.GE):
            return Sign()
        if self.rel is Rel.NEG_DEF:
            return NegativeDefinite()
        return Identity()


@dataclass(frozen=True)
class Derivation:
    """``start  rel₁ e₁  rel₂ e₂ …`` where each relation is checked against the previous line."""

    key: str
    start: sp.Basic
    steps: tuple[Step, ...]
    definitions: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    intro: str = ""

    def expand(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with the displayed names replaced by what they stand for."""
        for _ in range(8):
            new = expr.xreplace(dict(self.definitions)) if self.definitions else expr
            if new == expr:
                break
            expr = new
        return expr

    @property
    def final(self) -> sp.Basic:
        """The last expression of the chain."""
        return self.steps[-1].expr if self.steps else self.start


@dataclass(frozen=True)
class StepCheck:
    """The outcome of checking one step of a derivation."""

    key: str
    index: int
    rel: Rel
    why: str
    ok: bool


def check(derivation: Derivation) -> list[StepCheck]:
    """Check every step of ``derivation`` against its predecessor."""
    out = []
    prev = derivation.expand(derivation.start)
    for i, step in enumerate(derivation.steps, start=1):
        cur = derivation.expand(step.expr)
        proof = _expand_certificate(step.proof(), derivation)
        try:
            ok = bool(proof.check(prev, cur, step.rel))
        except (TypeError, ValueError, AttributeError, NotImplementedError):
            ok = False
        out.append(StepCheck(derivation.key, i, step.rel, step.why, ok))
        prev = cur
    return out


# --------------------------------------------------------------------------- helpers


def _expand_certificate(cert: Certificate, derivation: Derivation) -> Certificate:
    """The certificate with the derivation's displayed names expanded in its expressions."""
    if not derivation.definitions:
        return cert
    changes = {
        f.name: derivation.expand(getattr(cert, f.name))
        for f in dataclasses.fields(cert)
        if isinstance(getattr(cert, f.name), sp.Basic)
    }
    return dataclasses.replace(cert, **changes) if changes else cert


def chain_direction(derivation: Derivation) -> Rel | None:
    """``LE``/``LT`` if the chain proves ``start ≤ final`` (``<``), ``GE``/``GT`` for ``≥``
    (``>``), ``EQ`` for ``=``; ``None`` if its relations do not compose."""
    rels = {st.rel for st in derivation.steps} - {Rel.EQ}
    if not rels:
        return Rel.EQ
    for weak, strict in ((Rel.LE, Rel.LT), (Rel.GE, Rel.GT)):
        if rels <= {weak, strict}:
            return strict if strict in rels else weak
    return None


def combine_sums(expr: sp.Basic) -> sp.Basic:
    """Merge ``Σ_i f_i + c·Σ_i g_i`` over the same limits into ``Σ_i (f_i + c g_i)``;
    lower limits are first shifted to a common start (``peel_sums``)."""
    expr = peel_sums(sp.sympify(expr))
    if not isinstance(expr, sp.Add):
        return expr
    groups: dict[tuple, sp.Expr] = {}
    rest = []
    for term in expr.args:
        coeff, sums = term.as_independent(sp.Sum, as_Add=False)
        if isinstance(sums, sp.Sum) and not any(coeff.has(v) for v in sums.variables):
            key = sums.limits
            groups[key] = groups.get(key, sp.S.Zero) + coeff * sums.function
        else:
            rest.append(term)
    merged = [sp.Sum(f, *lims) for lims, f in groups.items()]
    return sp.Add(*rest, *merged)


def peel_sums(expr: sp.Basic, start: int = 1) -> sp.Basic:
    """Rewrite ``Σ_{i=a}^{b} f`` with integer ``a > start`` as ``Σ_{i=start}^{b} f − Σ_{j<a} f(j)``.

    Exact for every ``b`` in SymPy's (Karr's) convention for sums.
    """

    def peel(s: sp.Sum) -> sp.Basic:
        if len(s.limits) != 1:
            return s
        i, lo, hi = s.limits[0]
        if not (lo.is_Integer and lo > start):
            return s
        head = sp.Add(*[s.function.subs(i, j) for j in range(start, int(lo))])
        return sp.Sum(s.function, (i, start, hi)) - head

    return expr.replace(lambda e: isinstance(e, sp.Sum), peel)


def equal(a: sp.Basic, b: sp.Basic) -> bool:
    """``a = b`` identically (matrix expressions via :mod:`derivations.matrix_identities`)."""
    a = a.doit() if isinstance(a, sp.Basic) else sp.sympify(a)
    b = b.doit() if isinstance(b, sp.Basic) else sp.sympify(b)
    if isinstance(a, MatrixExpr) or isinstance(b, MatrixExpr):
        if not isinstance(a, MatrixExpr):
            a = sp.ZeroMatrix(*b.shape) if a == 0 else a
        if not isinstance(b, MatrixExpr):
            b = sp.ZeroMatrix(*a.shape) if b == 0 else b
        return mi.is_zero(a - b)
    diff = sp.sympify(a - b)
    if diff == 0:
        return True
    if diff.has(sp.Sum):
        diff = combine_sums(diff)
    return sp.simplify(diff) == 0 or sp.simplify(sp.expand_log(diff, force=False)) == 0
