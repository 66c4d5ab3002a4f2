"""A reviewer's corpus: answers written the way students write them, for every answer id.

Written by a reviewer who had not seen the other checker tests (issue 21): for each id of
sheet 11 (docs/sheet11.md; ``python -m derivations answers``) right answers in varied notation
and wrong answers that are hard to see by sampling — tiny terms, terms that peak off the
sampled grid, wrong only far away, on a tie or at a boundary, for d ≥ 3, and parts of an
answer that a reader might drop (text, comments, units, conditions under ``\\min``, equation
chains, factors that SymPy cancels although they vanish on the domain).

Each row is ``(id, answer, exit status)``. The standard: a wrong answer never exits 0 (REFUTED,
1, or CANNOT CHECK, 2); a right one exits 0 (proved) or, where its notation is not read and a
proof is out of reach, 2 — the groups below say which.
"""

from __future__ import annotations

import pytest

from derivations.checker import check

Row = tuple[str, str, int]

#: R1 of network (i) for a1 > a2, and expanded in its denominator; R1 of network (ii) for
#: a1 < a2 (worked out on paper from the LRP-γ rule of the sheet).
FI = r"\frac{\gamma(1+\gamma) a_1^2 a_2}{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)}"
FI_EXPANDED = (
    r"\frac{\gamma(1+\gamma) a_1^2 a_2}{a_1^2\gamma^2 + a_1^2\gamm"
    r"a + a_1 a_2 - a_2^2}"
)
FII = r"\frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)((1+\gamma)a_2 - a_1)}"

# Right answers in the notations students use (text and LaTeX, \frac, \cdot, \left(…\right),
# \mathbf, \top, labels x^* = / R_1 = / \lim … o(x) =, \boxed, a final period, cases with commas,
# indicators, relu/(t)^+, \min_j with every index notation, removable factors the assumptions keep
# from 0): a proof exists, exit 0.
RIGHT_PROVED: list[Row] = [
    ('1a', r"w/(2*lambda)", 0),
    ('1a', r"\frac{w}{2\lambda}", 0),
    ('1a', r"\frac{1}{2\lambda}\mathbf{w}", 0),
    ('1a', r"x^* = \frac{\mathbf{w}}{2\lambda}", 0),
    ('1a', r"0.5 w/λ", 0),
    ('1a', r"(2λ)^{-1} w", 0),
    ('1a', r"\left(\frac{1}{2\lambda}\right) w", 0),
    ('1a', r"\frac{w}{\lambda + \lambda}", 0),
    ('1a', r"\frac{\lambda w}{2\lambda^2}", 0),
    ('1a', r"\frac{1}{2}\lambda^{-1}\mathbf{w}", 0),
    ('1a', r"(2\lambda I)^{-1} w", 0),
    ('1a', r"\frac{w}{2\lambda}.", 0),
    ('1a', r"\boxed{\frac{w}{2\lambda}}", 0),
    ('1a', r"\mathbf{x}^\star = \frac{1}{2\lambda}\mathbf{w}", 0),
    ('1a', r"\frac{w}{2\lambda}\cdot e^{0}", 0),
    ('1a', r"w\, e^{-\log(2\lambda)}", 0),
    ('1a', r"\frac{w}{2\lambda}\frac{\sqrt{\lambda^2}}{\lambda}", 0),
    ('1a', r"\frac{w \ln 2}{2\lambda\ln 2}", 0),
    ('1a', r"\frac{w}{2\lambda}\sqrt{2}\sqrt{2}/2", 0),
    ('1a', r"\frac{w}{2\lambda}(e^{\ln 2} - 1)", 0),
    ('1a', r"(2\lambda)^{-1}\,w", 0),
    ('1a', r"\frac{\mathbf{w}}{2 \cdot \lambda}", 0),
    ('1a', r"\dfrac{w}{2\lambda}", 0),
    ('1a', r"{w \over 2\lambda}", 0),
    ('1a', r"w/2/λ", 0),
    ('1a', r"½ w/λ", 0),
    ('1a', r"w \cdot \frac{1}{2 \lambda}", 0),
    ('1a', r"\frac{1}{2\lambda}\left(w\right)", 0),
    ('1b', r"\mu + \Sigma w", 0),
    ('1b', r"\boldsymbol\mu + \boldsymbol\Sigma\mathbf w", 0),
    ('1b', r"Sigma @ w + mu", 0),
    ('1b', r"(\Sigma^{-1})^{-1} w + \mu", 0),
    ('1b', r"\Sigma(w + \Sigma^{-1}\mu)", 0),
    ('1b', r"\Sigma^\top w + \mu", 0),
    ('1b', r"\frac{1}{2}(\Sigma + \Sigma^T) w + \mu", 0),
    ('1b', r"\Sigma^2\Sigma^{-1}w + \mu", 0),
    ('1b', r"\Sigma w + \mu + (\Sigma - \Sigma^\top)w", 0),
    ('1b', r"x^* = \mu + \Sigma w", 0),
    ('1b', r"\mu + \Sigma\, w\, e^{0}", 0),
    ('1b', r"\boxed{\Sigma w + \mu}", 0),
    ('1b', r"(w^\top\Sigma)^\top + \mu", 0),
    ('1b', r"\mu+\Sigma\cdot w", 0),
    ('1b', r"\Sigma\left(w\right) + \mu", 0),
    ('1b', r"μ + Σw", 0),
    ('1b', r"\mu + (\Sigma^{-1})^{-1}w", 0),
    ('1b', r"\Sigma(\Sigma^{-1}\Sigma) w + \mu", 0),
    ('1c.z', r"\frac{1}{2\lambda}A^\top w", 0),
    ('1c.z', r"(2\lambda I_k)^{-1}A^T w", 0),
    ('1c.z', r"A' w / (2 lambda)", 0),
    ('1c.z', r"\frac{A^T\mathbf w}{2\lambda}", 0),
    ('1c.z', r"(w^T A)^T/(2λ)", 0),
    ('1c.z', r"z^* = \frac{1}{2\lambda}A^{\top}\mathbf{w}", 0),
    ('1c.z', r"\frac{1}{2\lambda}\mathbf{A}^\top\mathbf{w}", 0),
    ('1c.z', r"A.T @ w / (2*lambda)", 0),
    ('1c.z', r"\left(2\lambda\right)^{-1} A^\top w", 0),
    ('1c.z', r"(2\lambda I)^{-1}A^\top w", 0),
    ('1c.x', r"c + \frac{1}{2\lambda} A A^\top w", 0),
    ('1c.x', r"A(A^T w/(2λ)) + c", 0),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} + c", 0),
    ('1c.x', r"A\frac{A^\top w}{2\lambda}+c", 0),
    ('1c.x', r"\frac{1}{2\lambda}AA^Tw + c", 0),
    ('1c.x', r"\mathbf{A}\mathbf{A}^\top\mathbf{w}/(2\lambda) + \mathbf{c}", 0),
    ('1c.x', r"A @ A.T @ w/(2*lambda) + c", 0),
    ('1c.x', r"\frac{1}{2\lambda}(A A^\top w + 2\lambda c)", 0),
    ('2a.i', r"min(a1,a2)", 0),
    ('2a.i', r"\min(a_1,a_2)", 0),
    ('2a.i', r"\min\{a_1, a_2\}", 0),
    ('2a.i', r"a1 - max(0, a1-a2)", 0),
    ('2a.i', r"relu(a1) - relu(a1-a2)", 0),
    ('2a.i', r"relu(a2) - relu(a2-a1)", 0),
    ('2a.i', r"\frac{a_1 + a_2 - |a_1 - a_2|}{2}", 0),
    ('2a.i', r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & \text{otherwise}\end{cases}", 0),
    ('2a.i', r"\begin{cases} a_1, & a_1 \le a_2, \\ a_2, & \text{otherwise.}\end{cases}", 0),
    ('2a.i', r"a_1 \mathbb{1}[a_1 \le a_2] + a_2 \mathbb{1}[a_1 > a_2]", 0),
    ('2a.i', r"-max(-a1,-a2)", 0),
    ('2a.i', r"a_2 - (a_2 - a_1)^+", 0),
    ('2a.i', r"(a_1)^+ - (a_1 - a_2)^+", 0),
    ('2a.i', r"a_1 + (a_2 - a_1)^-", 0),
    ('2a.i', r"y = \min(a_1,a_2)", 0),
    ('2a.i', r"min(a1, a2, a1+a2)", 0),
    ('2a.i', r"\min(a_1,a_2) + \min(0, a_1)", 0),
    ('2a.i', r"\min(|a_1|, a_2)", 0),
    ('2a.i', r"\log(e^{\min(a_1,a_2)})", 0),
    ('2a.i', r"\frac{1}{2}(a_1 + a_2) - \frac{1}{2}\sqrt{(a_1-a_2)^2}", 0),
    ('2a.i', r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & a_1 \ge a_2 \end{cases}", 0),
    ('2a.i', r"\rho(a_1) - \rho(a_1 - a_2)", 0),
    ('2a.i', r"\max(0,a_1) - \max(0, a_1 - a_2)", 0),
    ('2a.i', r"\min(a_1, a_2) + (a_1a_2)^{1/2} - \sqrt{a_1}\sqrt{a_2}", 0),
    ('2a.i', r"\begin{cases} a_1 & \text{if } a_1 \leq a_2 \\ a_2 & \text{else} \end{cases}", 0),
    ('2a.ii', r"min(a1,a2)", 0),
    ('2a.ii', r"\min(a_1,a_2)", 0),
    ('2a.ii', r"\min\{a_1, a_2\}", 0),
    ('2a.ii', r"a1 - max(0, a1-a2)", 0),
    ('2a.ii', r"relu(a1) - relu(a1-a2)", 0),
    ('2a.ii', r"relu(a2) - relu(a2-a1)", 0),
    ('2a.ii', r"\frac{a_1 + a_2 - |a_1 - a_2|}{2}", 0),
    ('2a.ii', r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & \text{otherwise}\end{cases}", 0),
    ('2a.ii', r"\begin{cases} a_1, & a_1 \le a_2, \\ a_2, & \text{otherwise.}\end{cases}", 0),
    ('2a.ii', r"a_1 \mathbb{1}[a_1 \le a_2] + a_2 \mathbb{1}[a_1 > a_2]", 0),
    ('2a.ii', r"-max(-a1,-a2)", 0),
    ('2a.ii', r"a_2 - (a_2 - a_1)^+", 0),
    ('2a.ii', r"(a_1)^+ - (a_1 - a_2)^+", 0),
    ('2a.ii', r"a_1 + (a_2 - a_1)^-", 0),
    ('2a.ii', r"y = \min(a_1,a_2)", 0),
    ('2a.ii', r"min(a1, a2, a1+a2)", 0),
    ('2a.ii', r"\min(a_1,a_2) + \min(0, a_1)", 0),
    ('2a.ii', r"\min(|a_1|, a_2)", 0),
    ('2a.ii', r"\log(e^{\min(a_1,a_2)})", 0),
    ('2a.ii', r"\frac{1}{2}(a_1 + a_2) - \frac{1}{2}\sqrt{(a_1-a_2)^2}", 0),
    ('2a.ii', r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & a_1 \ge a_2 \end{cases}", 0),
    ('2a.ii', r"\rho(a_1) - \rho(a_1 - a_2)", 0),
    ('2a.ii', r"\max(0,a_1) - \max(0, a_1 - a_2)", 0),
    ('2a.ii', r"\min(a_1, a_2) + (a_1a_2)^{1/2} - \sqrt{a_1}\sqrt{a_2}", 0),
    ('2a.ii', r"\begin{cases} a_1 & \text{if } a_1 \leq a_2 \\ a_2 & \text{else} \end{cases}", 0),
    ('2b.i', r"a1", 0),
    ('2b.i', r"a_2", 0),
    ('2b.i', r"\frac{a_1+a_2}{2}", 0),
    ('2b.i', r"R_1 = a_1", 0),
    ('2b.i', r"\min(a_1,a_2)", 0),
    ('2b.i', r"\frac{a_1(1+\gamma)}{1+\gamma}", 0),
    ('2b.i', r"a_1 + (a_1 - a_2)", 0),
    ('2b.i', r"a_1 + 10^{6}(a_1 - a_2)^2", 0),
    ('2b.i', r"\boxed{a_1}", 0),
    ('2b.i', r"\max(a_1,a_2)", 0),
    # a1 = a2 = 0: 0/0, right only by the convention there: not proved
    ('2b.i', r"\frac{a_1^2}{a_2}", 2),
    ('2b.i', r"\sqrt{a_1 a_2}", 0),
    ('2b.i', r"a_1\,e^{a_1 - a_2}", 0),
    ('2b.i', r"R_1 = a_1.", 0),
    ('2b.ii', r"0", 0),
    ('2b.ii', r"R_1 = 0", 0),
    ('2b.ii', r"0 \cdot a_1", 0),
    ('2b.ii', r"a_1 - a_2", 0),
    # a1 = a2 = 0: 0/0, right only by the convention there: not proved
    ('2b.ii', r"\frac{a_1 - a_2}{a_1+a_2}", 2),
    ('2b.ii', r"\min(a_1,a_2) - a_1", 0),
    ('2b.ii', r"0.", 0),
    ('2b.ii', r"\boxed{0}", 0),
    ('2b.ii', r"\log(1)", 0),
    ('2b.ii', r"a_1^{1/2} - \sqrt{a_1}", 0),
    ('2b.ii', r"\gamma(a_1 - a_2)", 0),
    ('2b.ii', r"(a_1-a_2)^+", 0),
    ('2b.ii', r"e^{a_1} - e^{a_2}", 0),
    ('2b.i.R2', r"0", 0),
    ('2b.i.R2', r"R_2 = 0", 0),
    ('2b.i.R2', r"a_2 - a_1", 0),
    ('2b.i.R2', r"0\cdot\gamma", 0),
    ('2b.ii.R2', r"a_2", 0),
    ('2b.ii.R2', r"a_1", 0),
    ('2b.ii.R2', r"R_2 = a_2", 0),
    ('2b.ii.R2', r"\min(a_1,a_2)", 0),
    ('2b.ii.R2', r"\frac{a_2(1+\gamma)}{1+\gamma}", 0),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" & a_1 > a_2 \end{cases}",
        0),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI_EXPANDED
        + r" & \text{otherwise} \end{cases}",
        0),
    ('2b.i.general',
        r"\begin{cases} a_1, & a_1 \le a_2, \\ "
        + FI
        + r", & \text{otherwise.} \end{cases}",
        0),
    ('2b.i.general',
        r"a_1 \mathbb{1}[a_1 \le a_2] + "
        + FI
        + r" \mathbb{1}[a_1 > a_2]",
        0),
    ('2b.i.general',
        r"Piecewise((a1, a1 <= a2), (a1**2*a2*gamma*(gamma + 1)/((a1*gamma +"
        + r" a2)*(a1*gamma + a1 - a2)), True))",
        0),
    ('2b.i.general',
        r"\begin{cases} "
        + FI
        + r" & a_1 > a_2 \\ a_1 & \text{else} \end{cases}",
        0),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ a_1 \cdot \frac{\gamma(1+\gamma)"
        + r" a_1 a_2}{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)} & a_1 > a_2"
        + r" \end{cases}",
        0),
    ('2b.i.general',
        r"\begin{cases} a_1 & \text{if } a_1 \leq a_2 \\ "
        + FI
        + r" & \text{if } a_1 > a_2 \end{cases}",
        0),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}",
        0),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 \le a_2 \\ 0 & a_1 > a_2 \end{cases}",
        0),
    ('2b.ii.general',
        FII
        + r"\,\mathbb{1}[a_1 < a_2]",
        0),
    ('2b.ii.general', r"\frac{a_1^2 (a_2 - a_1)^+}{(a_1 + \gamma a_2)((1+\gamma)a_2 - a_1)}", 0),
    ('2b.ii.general',
        r"Piecewise((a1**2*(-a1 + a2)/((a1 + a2*gamma)*(-a1 + a2*gamma + a2)),"
        + r" a1 < a2), (0, True))",
        0),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r", & a_1 < a_2, \\ 0, & \text{otherwise.} \end{cases}",
        0),
    ('3b', r"min(h1,h2,h3)", 0),
    ('3b', r"\min_j h_j", 0),
    ('3b', r"\min_{i} h_i", 0),
    ('3b', r"\min_{i=1,\dots,M} h_i", 0),
    ('3b', r"\min_{1\le i\le M} h_i(x)", 0),
    ('3b', r"\min_i h_i(\mathbf{x})", 0),
    ('3b', r"\min(h_1, h_2, h_3)", 0),
    ('3b', r"-\max_j(-h_j)", 0),
    ('3b', r"\min\{h_1,h_2,h_3\}", 0),
    ('3b', r"\lim_{\gamma\to\infty} o(x) = \min_j h_j", 0),
    ('3b', r"\min_{i \in \{1,\dots,M\}} h_i", 0),
    ('3b', r"\operatorname{min}_i h_i", 0),
    ('3b', r"\boxed{\min_j h_j}", 0),
    ('3b', r"\min_{j=1}^M h_j", 0),
    ('3b', r"min(min(h1,h2),h3)", 0),
    ('3b', r"min(h1, h2, h3, max(h1,h2,h3))", 0),
    ('3b', r"\min_j\{h_j\}", 0),
    ('3b', r"\min\limits_{j} h_j", 0),
    ('3b', r"\min_{j}(h_j)", 0),
    ('3b', r"\min_{\substack{j=1,\dots,M}} h_j", 0),
    ('3b', r"\min_{j=1}^{3} h_j", 0),
    ('3b', r"\min(h_{1}, h_{2}, h_{3})", 0),
    ('3b',
        r"\begin{cases} h_1 & h_1 \le h_2, h_1 \le h_3 \\ h_2 & h_2 \le h_1,"
        + r" h_2 \le h_3 \\ h_3 & \text{otherwise}\end{cases}",
        0),
    ('3b', r"\min_{i=1..M} h_i", 0),
    ('3b', r"\min_{i\in[M]} h_i", 0),
    ('3b', r"\min_{j=1,\ldots,M}h_j", 0),
    ('3b', r"-\max(-h_1,-h_2,-h_3)", 0),
    ('2b.i', r"R_1^{(\gamma)}(\mathbf{a}) = a_1", 0),
    ('1a', r"x_i^{*} = w/(2λ)", 0),
    ('1a', r"\frac{w}{2\lambda}\frac{\lambda+1}{\lambda+1}", 0),
    ('2a.i', r"y(a_1, a_2) = \min(a_1,a_2)", 0),
]

# Right answers whose notation the checker does not read (\sin, \pi, \cosh, \forall, \underset,
# \wedge, English after the formula, `for λ > 0`, o(x) →, a factor that cancels but can be 0 as
# written): no proof is within reach, so CANNOT CHECK, exit 2 — never a guess.
RIGHT_REFUSED: list[Row] = [
    ('1a', r"\frac{w}{2\lambda}(\sin^2\lambda + \cos^2\lambda)", 2),
    ('1a', r"\frac{w}{2\lambda}\cdot\frac{\pi}{\pi}", 2),
    ('1a', r"\frac{w}{2\lambda}(1 + \sin(\pi))", 2),
    ('1a', r"\frac{w}{2\lambda}(\cosh^2\lambda - \sinh^2\lambda)", 2),
    ('1a', r"\frac{w}{2\lambda}\quad\text{(the unique maximizer)}", 2),
    ('1a', r"\frac{w}{2\lambda}, \lambda > 0", 2),
    ('1a', r"\frac{w}{2\lambda}\frac{\|w\|^2}{w^\top w}", 2),
    ('1a', r"\frac{w}{2\lambda}\,\log(e)", 2),
    ('1a', r"x^*=\frac{1}{2\lambda} w \text{ for } \lambda > 0", 2),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} \text{ (the prototype) } + c", 2),
    ('2a.i', r"\min(a_1,a_2)\quad\forall a_1, a_2 \ge 0", 2),
    ('2a.i', r"a1 if a1 <= a2 else a2", 2),
    ('2a.ii', r"\min(a_1,a_2)\quad\forall a_1, a_2 \ge 0", 2),
    ('2a.ii', r"a1 if a1 <= a2 else a2", 2),
    ('2b.i', r"a_1 \text{ for all } \gamma \ge 0", 2),
    ('2b.ii', r"\sin(\pi)", 2),
    ('2b.ii', r"R_1 = 0\quad\text{(no relevance)}", 2),
    ('3b', r"o(x) \to \min_i h_i", 2),
    ('3b', r"\min_{i}\, h_i \text{ as } \gamma\to\infty", 2),
    ('3b', r"\underset{j}{\min}\, h_j", 2),
    ('3b', r"h_{1} \wedge h_2 \wedge h_3", 2),
]

# Wrong by a tiny amount that sampling in floating point would miss: 10^-30·a, e^{-1000},
# log(1 + e^{-2000}), (a1 − a2)²·10^-20, constants close to right (0.4999999, 1.0000000000000001,
# 1 − 10^-15): certified REFUTED, exit 1.
TINY: list[Row] = [
    ('1a', r"\frac{w}{2\lambda} + 10^{-30} w", 1),
    ('1a', r"0.4999999 w/\lambda", 1),
    ('1a', r"\frac{w}{2\lambda} + e^{-1000} w", 1),
    ('1a', r"\frac{w}{2\lambda} + 10^{-20}(\lambda-1)^2 w", 1),
    ('1a', r"\frac{w}{2\lambda + 10^{-15}}", 1),
    ('1a', r"\frac{w}{2\lambda}\cdot 1.0000000000000001", 1),
    ('1a', r"\frac{w}{2\lambda}\log(1 + e^{-2000})^0 + w\log(1+e^{-2000})", 1),
    ('1a', r"\frac{w}{2\lambda} + \frac{w}{10^{12}}", 1),
    ('1a', r"\frac{w}{2\lambda} + w\sqrt{\lambda}e^{-\lambda}\cdot 10^{-40}", 1),
    ('1b', r"\Sigma w + \mu + 10^{-30}w", 1),
    ('1b', r"\Sigma w + \mu + e^{-1000}\mu", 1),
    ('1b', r"(\Sigma + 10^{-20}I)w + \mu", 1),
    ('1b', r"\Sigma w + \mu + 10^{-40}\Sigma^{3}w", 1),
    ('1b', r"\Sigma w + 0.99999999999\mu", 1),
    ('1c.z', r"\frac{A^\top w}{2\lambda}(1 + 10^{-30})", 1),
    ('1c.z', r"\frac{A^\top w}{2\lambda} + 10^{-20}A^\top A A^\top w", 1),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} + c + 10^{-20}c", 1),
    ('2a.i', r"\min(a_1,a_2) + (a_1-a_2)^2\cdot 10^{-20}", 1),
    ('2a.i', r"\min(a_1,a_2) + (a_1 - a_2)\cdot 10^{-20}", 1),
    ('2a.i', r"\min(a_1,a_2) + 10^{-9}\mathbb{1}[a_1 = a_2]", 1),
    ('2a.i', r"0.99999999999\min(a_1,a_2)", 1),
    ('2a.i', r"\min(a_1,a_2) + \log(1 + e^{-2000})", 1),
    ('2a.i', r"\min(a_1,a_2) + 10^{-30}", 1),
    ('2a.i', r"(a_1 + a_2 - \sqrt{(a_1 - a_2)^2 + 10^{-30}})/2", 1),
    ('2a.i', r"\min(a_1,a_2) + a_1 a_2 (a_1-a_2)^2 10^{-30}", 1),
    ('2a.i', r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & a_1 > a_2 + 10^{-9} \end{cases}", 1),
    ('2a.i', r"\min(a_1,a_2) + (a_1 - a_2)^{+}\cdot 10^{-25}", 1),
    ('2a.i', r"\min(a_1 + 10^{-30}, a_2)", 1),
    ('2a.i', r"\min(a_1,a_2) + (a_1 a_2)^{1/2} - \sqrt{a_1 a_2 + 10^{-40}}", 1),
    ('2a.ii', r"\min(a_1,a_2) + (a_1-a_2)^2\cdot 10^{-20}", 1),
    ('2a.ii', r"\min(a_1,a_2) + (a_1 - a_2)\cdot 10^{-20}", 1),
    ('2a.ii', r"\min(a_1,a_2) + 10^{-9}\mathbb{1}[a_1 = a_2]", 1),
    ('2a.ii', r"0.99999999999\min(a_1,a_2)", 1),
    ('2a.ii', r"\min(a_1,a_2) + \log(1 + e^{-2000})", 1),
    ('2a.ii', r"\min(a_1,a_2) + 10^{-30}", 1),
    ('2a.ii', r"(a_1 + a_2 - \sqrt{(a_1 - a_2)^2 + 10^{-30}})/2", 1),
    ('2a.ii', r"\min(a_1,a_2) + a_1 a_2 (a_1-a_2)^2 10^{-30}", 1),
    ('2a.ii', r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & a_1 > a_2 + 10^{-9} \end{cases}", 1),
    ('2a.ii', r"\min(a_1,a_2) + (a_1 - a_2)^{+}\cdot 10^{-25}", 1),
    ('2a.ii', r"\min(a_1 + 10^{-30}, a_2)", 1),
    ('2a.ii', r"\min(a_1,a_2) + (a_1 a_2)^{1/2} - \sqrt{a_1 a_2 + 10^{-40}}", 1),
    ('2b.i', r"a_1 + 10^{-7}\gamma", 1),
    ('2b.i', r"a_1(1+10^{-30}\gamma)", 1),
    ('2b.i', r"a_1 \frac{1+\gamma}{1+\gamma+10^{-12}}", 1),
    ('2b.i', r"a_1 + e^{-1000}", 1),
    ('2b.i', r"a_1 (1 + 10^{-20}(\gamma - 1)^2)", 1),
    ('2b.i', r"a_1 + \log(1+e^{-2000})", 1),
    ('2b.ii', r"10^{-30}", 1),
    ('2b.ii', r"e^{-1000}", 1),
    ('2b.ii', r"\gamma \cdot 10^{-20}", 1),
    ('2b.ii', r"\frac{a_1\gamma}{1 + 10^{12}\gamma}", 1),
    ('2b.ii', r"\log(1 + e^{-2000})", 1),
    ('2b.ii', r"10^{-20}(a_1 - 1)^2", 1),
    ('2b.ii', r"a_1^2 \cdot 10^{-40}", 1),
    ('2b.ii', r"\frac{\gamma a_1}{\gamma + 10^{15}}", 1),
    ('2b.i.R2', r"10^{-30}a_2", 1),
    ('2b.i.R2', r"\frac{a_2\gamma}{10^{20}}", 1),
    ('2b.ii.R2', r"a_2(1 + 10^{-30})", 1),
    ('2b.ii.R2', r"a_2 + 10^{-25}\gamma^2", 1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" + 10^{-30} & a_1 > a_2 \end{cases}",
        1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" & a_1 > a_2 + 10^{-9} \end{cases}",
        1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{\gamma(1+\gamma) a_1^2"
        + r" a_2}{(\gamma a_1 + a_2)((1+\gamma)a_1 + 10^{-12} - a_2)} & a_1 > a_2"
        + r" \end{cases}",
        1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" & a_1 > a_2 \end{cases}\cdot(1 + 10^{-20}(a_1-a_2)^2)",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases} + 10^{-30}\gamma",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 < a_2 \\ 10^{-20} a_1 & \text{otherwise} \end{cases}",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 < a_2 - 10^{-12} \\ 0 & \text{otherwise} \end{cases}",
        1),
    ('3b', r"\min_j h_j + 10^{-30}", 1),
    ('3b', r"\min(h_1,h_2,h_3)\cdot(1 - 10^{-15})", 1),
    ('3b', r"\min_j h_j + \log(1+e^{-2000})", 1),
    ('3b', r"\min_j h_j + e^{-1000}", 1),
    ('3b', r"\min(h_1,h_2,h_3) + 10^{-20}(h_1-h_2)^2", 1),
    ('3b', r"\min_j h_j - \frac{\log 3}{10^{6}}", 1),
    ('3b', r"\min_i (h_i + 10^{-30})", 1),
    ('3b', r"\min_{i=1}^{M} h_i - 10^{-25}h_1^2", 1),
]

# Wrong only where a transcendental term is large: e^{-10^6 λ}, e^{-10^6 (λ−1)^2} (peak at an
# off-grid value), e^{-(10^6 λ − 3)^2}, e^{-10^12 (λ² − 2)^2} (irrational peak),
# softmin at scale 10^6, e^{-1/λ}: REFUTED with a certified point, exit 1.
PEAKS: list[Row] = [
    ('1a', r"\frac{w}{2\lambda}(1+e^{-10^6\lambda})", 1),
    ('1a', r"\frac{w}{2\lambda} + w e^{-10^6(\lambda-1)^2}", 1),
    ('1a', r"\frac{w}{2\lambda} + w e^{-10^{6}(\lambda-1234.5678)^2}", 1),
    ('1a', r"\frac{w}{2\lambda} + w e^{-(10^6\lambda - 3)^2}", 1),
    ('1a', r"\frac{w}{2\lambda} + w\exp(-10^{12}(\lambda^2-2)^2)", 1),
    ('1a', r"\frac{w}{2\lambda} + w e^{-1/\lambda}", 1),
    ('1a', r"\frac{w}{2\lambda} - 10^{-9}w e^{-10^{-9}\lambda}", 1),
    ('1a', r"-10^{-6}\log(e^{-10^6/(2\lambda)})w + 10^{-9}w", 1),
    ('1b', r"\Sigma w e^{-10^{-12}} + \mu", 1),
    ('1c.z', r"\frac{A^\top w}{2\lambda} + A^\top c\,e^{-10^6\lambda}", 1),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} + c(1 + e^{-10^6\lambda})", 1),
    ('2a.i', r"\min(a_1,a_2)(1 + e^{-10^6 a_1})", 1),
    ('2a.i', r"\min(a_1,a_2) + e^{-10^6 (a_1^2+a_2^2)}", 1),
    ('2a.i', r"-10^{-6}\log(e^{-10^6 a_1} + e^{-10^6 a_2})", 1),
    ('2a.i', r"\min(a_1,a_2)\,e^{-e^{-10^{3}}}", 1),
    ('2a.ii', r"\min(a_1,a_2)(1 + e^{-10^6 a_1})", 1),
    ('2a.ii', r"\min(a_1,a_2) + e^{-10^6 (a_1^2+a_2^2)}", 1),
    ('2a.ii', r"-10^{-6}\log(e^{-10^6 a_1} + e^{-10^6 a_2})", 1),
    ('2a.ii', r"\min(a_1,a_2)\,e^{-e^{-10^{3}}}", 1),
    ('2b.i', r"a_1 e^{-10^6\gamma}", 1),
    ('2b.i', r"a_1 + a_1 e^{-10^6 a_1}", 1),
    ('2b.ii', r"a1*exp(-a1*10^6)", 1),
    ('2b.ii', r"a_1 e^{-1/a_1}", 1),
    ('2b.ii', r"10^{-6}\log(1+e^{-10^6 a_1})", 1),
    ('2b.ii', r"a_1 e^{-10^{6}\gamma}", 1),
    ('2b.i.R2', r"a_2 e^{-10^6 a_2}", 1),
    ('2b.ii.R2', r"a_2 + e^{-10^6 a_2}", 1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r"(1 + e^{-10^6\gamma}) & a_1 > a_2 \end{cases}",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" e^{-10^{-9}\gamma} & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}",
        1),
    ('3b', r"min(h1,h2,h3) + exp(-10^6*(h1^2+h2^2+h3^2))", 1),
    ('3b', r"-\frac{1}{10^6}\log(e^{-10^6 h_1}+e^{-10^6 h_2}+e^{-10^6 h_3})", 1),
]

# Wrong only in a far region (a1 > 10^8, γ > 10^9, min > 10^9, λ > 10^10) or only near 0
# (min(0, a1 − 10^-12)): REFUTED, exit 1.
FAR: list[Row] = [
    ('1a', r"\frac{w}{2\lambda} + \max(0, \lambda - 10^8) w", 1),
    ('1a', r"\frac{w}{2\lambda} + w\,\mathbb{1}[\lambda > 10^{10}]", 1),
    ('2a.i', r"\min(a_1,a_2) + \max(0, a_1 - 10^8)", 1),
    ('2a.i', r"\min(a_1,a_2) + \max(0, \min(a_1,a_2) - 10^9)", 1),
    ('2a.i', r"\min(a_1,a_2) + \mathbb{1}[a_1 > 10^{10}]", 1),
    ('2a.i', r"\min(a_1,a_2)\cdot\mathbb{1}[a_1 + a_2 < 10^{12}]", 1),
    ('2a.i', r"\min(a_1, a_2) + \min(0, a_1 - 10^{-12})", 1),
    ('2a.ii', r"\min(a_1,a_2) + \max(0, a_1 - 10^8)", 1),
    ('2a.ii', r"\min(a_1,a_2) + \max(0, \min(a_1,a_2) - 10^9)", 1),
    ('2a.ii', r"\min(a_1,a_2) + \mathbb{1}[a_1 > 10^{10}]", 1),
    ('2a.ii', r"\min(a_1,a_2)\cdot\mathbb{1}[a_1 + a_2 < 10^{12}]", 1),
    ('2a.ii', r"\min(a_1, a_2) + \min(0, a_1 - 10^{-12})", 1),
    ('2b.i', r"a_1\mathbb{1}[\gamma < 10^8]", 1),
    ('2b.i', r"a_1 + \max(0, \gamma - 10^9)", 1),
    ('2b.i', r"a_1\,\mathbb{1}[a_1 < 10^{9}]", 1),
    ('2b.ii', r"a_1 \mathbb{1}[a_1 > 10^8]", 1),
    ('2b.ii', r"\max(0, \gamma - 10^{10})", 1),
    ('2b.i.R2', r"\max(0, a_2 - 10^{9})", 1),
    ('2b.ii.R2', r"a_2\mathbb{1}[a_2 < 10^{8}]", 1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" + \max(0,\gamma - 10^8) & a_1 > a_2 \end{cases}",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}\,\mathbb{1}[\gamma <"
        + r" 10^{9}]",
        1),
    ('3b', r"\min(h_1,h_2,h_3) + \max(0, h_1 - 10^9)", 1),
    ('3b', r"\min(h_1,h_2,h_3)\,\mathbb{1}[h_1 < 10^{9}]", 1),
]

# Wrong only on a tie or a boundary of the domain, or in one branch of a case structure:
# cases with < on both sides (undefined on the tie), a different value at a1 = a2,
# at a1 = 0, at γ = 0, the LRP formula extended to the tie (0/0 at γ = 0), a min over fewer
# units at M = 1 (the min over no unit): REFUTED, exit 1.
TIES: list[Row] = [
    ('2a.i', r"\begin{cases} a_1 & a_1 < a_2 \\ a_2 & a_1 > a_2 \end{cases}", 1),
    ('2a.i', r"\begin{cases} a_1 & a_1 < a_2 \\ a_2 & a_1 > a_2 \\ 0 & a_1 = a_2\end{cases}", 1),
    ('2a.i',
        r"\begin{cases} a_1 & a_1 < a_2 \\ a_1+1 & a_1 = a_2 \\ a_2 &"
        + r" \text{otherwise} \end{cases}",
        1),
    ('2a.i', r"\min(a_1,a_2) + \mathbb{1}[a_1 = 0]", 1),
    ('2a.i', r"\min(a_1,a_2) + \mathbb{1}[a_1 = a_2 = 0]", 1),
    ('2a.ii', r"\begin{cases} a_1 & a_1 < a_2 \\ a_2 & a_1 > a_2 \end{cases}", 1),
    ('2a.ii', r"\begin{cases} a_1 & a_1 < a_2 \\ a_2 & a_1 > a_2 \\ 0 & a_1 = a_2\end{cases}", 1),
    ('2a.ii',
        r"\begin{cases} a_1 & a_1 < a_2 \\ a_1+1 & a_1 = a_2 \\ a_2 &"
        + r" \text{otherwise} \end{cases}",
        1),
    ('2a.ii', r"\min(a_1,a_2) + \mathbb{1}[a_1 = 0]", 1),
    ('2a.ii', r"\min(a_1,a_2) + \mathbb{1}[a_1 = a_2 = 0]", 1),
    ('2b.i', r"a_1(1 - \mathbb{1}[\gamma = 0])", 1),
    ('2b.ii', r"a_1 \mathbb{1}[\gamma = 0]", 1),
    ('2b.i.R2', r"a_2\,\mathbb{1}[\gamma = 0]", 1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 < a_2 \\ "
        + FI
        + r" & a_1 \ge a_2 \end{cases}",
        1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \ge a_2 \\ "
        + FI
        + r" & a_1 < a_2 \end{cases}",
        1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{\gamma a_1^2 a_2}{(\gamma"
        + r" a_1 + a_2)((1+\gamma)a_1 - a_2)} & a_1 > a_2 \end{cases}",
        1),
    ('2b.i.general', r"\begin{cases} a_1 & a_1 \le a_2 \\ 0 & a_1 > a_2 \end{cases}", 1),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" & a_1 > 2 a_2 \end{cases}",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 > a_2 \\ 0 & \text{otherwise} \end{cases}",
        1),
    ('2b.ii.general',
        r"\begin{cases} \frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)(\gamma a_2"
        + r" - a_1)} & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}",
        1),
    ('2b.ii.general',
        r"\begin{cases} "
        + FII
        + r" & a_1 < a_2 \\ 0 & a_1 > a_2 \end{cases}",
        1),
    ('3b', r"\min(h_1,h_2,h_3) + \mathbb{1}[h_1 = h_2]", 1),
    ('3b',
        r"\begin{cases} h_1 & h_1 < h_2, h_1 < h_3 \\ h_2 & h_2 < h_1, h_2 <"
        + r" h_3 \\ h_3 & \text{otherwise}\end{cases}",
        1),
]

# Wrong only for d ≥ 3 or k ≥ 3 ((d−1)(d−2)·μ) or with the shapes of another product (AᵀA for
# AAᵀ, A w for Aᵀw): REFUTED, exit 1.
DIMENSIONS: list[Row] = [
    ('1a', r"\frac{w}{2\lambda} + (d-1)(d-2) w", 1),
    ('1b', r"\Sigma w + \mu + (d-1)(d-2)\mu", 1),
    ('1c.z', r"\frac{1}{2\lambda}A w", 1),
    ('1c.z', r"\frac{A^\top w}{2\lambda} + (k-1)(k-2)A^\top w", 1),
    ('1c.x', r"\frac{A^\top A w}{2\lambda} + c", 1),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} + (k-1)(k-2)c", 1),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} + (d-1)(d-2)c", 1),
]

# A condition under \min read whole, never dropped: a min over a subset of the units
# (i ≠ 1, i > 1, i < M, 2 ≤ i ≤ M, i ∉ {1}, j ≤ 2, {1, 3}) is REFUTED, exit 1.
INDEX_SETS: list[Row] = [
    ('3b', r"\min_{i \ne 1} h_i", 1),
    ('3b', r"\min_{i>1} h_i", 1),
    ('3b', r"\min_{i<M} h_i", 1),
    ('3b', r"\min_{i \le M-1} h_i", 1),
    ('3b', r"\min_{j=2}^{M} h_j", 1),
    ('3b', r"\min_{j=1}^{M-1} h_j", 1),
    ('3b', r"\min_{j\le 2} h_j", 1),
    ('3b', r"\min_{j \in \{1, 3\}} h_j", 1),
    ('3b', r"\min_{i \ge 2} h_i", 1),
    ('3b', r"\min_{i = 2, \dots, M} h_i", 1),
    ('3b', r"\min_{2 \le i \le M} h_i", 1),
    ('3b', r"\min_{i \in [M] \setminus \{1\}} h_i", 1),
    ('3b', r"\min_{i \notin \{1\}} h_i", 1),
    ('3b', r"\min_{i \neq M} h_i", 1),
    ('3b', r"\min_{i < 3} h_i", 1),
    ('3b', r"\min_{i \le 3} h_i + \min_{i>3} h_i", 1),
]

# Ordinary wrong answers (wrong factor, sign, missing term, Σ⁻¹ for Σ, max for min, √(a1 a2),
# swapped branches): REFUTED, exit 1.
PLAIN: list[Row] = [
    ('1a', r"w/lambda", 1),
    ('1a', r"\frac{w}{2\lambda} \quad + w", 1),
    ('1b', r"\Sigma^{-1}w + \mu", 1),
    ('1b', r"\Sigma w - \mu", 1),
    ('1b', r"\Sigma\Sigma w + \mu", 1),
    ('1b', r"\mu + w", 1),
    ('1b', r"\Sigma w", 1),
    ('1b', r"\Sigma^T\Sigma^{-1}\Sigma^{-1} w+\mu", 1),
    ('1c.z', r"A^T w/\lambda", 1),
    ('1c.z', r"(A^TA)^{-1}A^T w", 1),
    ('1c.z', r"\frac{A^\top (w + c)}{2\lambda}", 1),
    ('1c.z', r"\frac{1}{2\lambda}A^\top A A^\top w", 1),
    ('1c.z', r"\frac{1}{2\lambda}A^\top w + c", 1),
    ('1c.x', r"\frac{AA^\top w}{2\lambda}", 1),
    ('1c.x', r"\frac{AA^\top w}{\lambda} + c", 1),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} - c", 1),
    ('1c.x', r"\frac{AA^\top (w+c)}{2\lambda} + c", 1),
    ('1c.x', r"\frac{w}{2\lambda} + c", 1),
    ('2a.i', r"max(a1,a2)", 1),
    ('2a.i', r"\sqrt{a_1 a_2}", 1),
    ('2a.i', r"a_1 a_2/\max(a_1,a_2)", 1),
    ('2a.ii', r"max(a1,a2)", 1),
    ('2a.ii', r"\sqrt{a_1 a_2}", 1),
    ('2a.ii', r"a_1 a_2/\max(a_1,a_2)", 1),
    ('2b.i', r"a1/2", 1),
    ('2b.i', r"0", 1),
    ('2b.i', r"a_1\frac{\gamma}{1+\gamma}", 1),
    ('2b.i.R2', r"a_2", 1),
    ('2b.ii.R2', r"0", 1),
    ('2b.ii.R2', r"a_2\frac{1+\gamma}{1+2\gamma}", 1),
    ('2b.i.general', r"a_1", 1),
    ('2b.ii.general', r"0", 1),
    ('3b', r"\max_j h_j", 1),
    ('3b', r"\min(h_1,h_2)", 1),
    ('3b', r"\min_j h_j x", 1),
    ('3b', r"\min_j h_j^2", 1),
    ('3b', r"\min(h_1, h_1, h_3)", 1),
    ('3b', r"\frac{h_1+h_2 - |h_1-h_2|}{2}", 1),
    ('3b', r"\min_i h_i + \min_i h_i", 1),
    ('3b', r"\min_i |h_i|", 1),
    ('3b', r"\min_i h_i^+", 1),
]

# Wrong answers with a part the reader might drop — text such as `(unique) + w`, `plus 1`, a
# `%` comment, units (\mathrm{m}, m/s), `for λ > 1`, `for j ≠ 2`, `for all i > 1`, \sum, a
# subscripted component (w_1, Σ_11, μ_1), an index set it cannot read (i ∈ S, 0 ≤ j ≤ M, j ≠ i,
# j ≠ 7), an equation chain (x^* = w/λ = w/(2λ), R_1 = a_1, R_2 = a_2), a factor that SymPy cancels
# but that is 0 somewhere on the domain (a1·γ/γ, (√h1)², log a1 − log a1, e^{log a2}) — or
# built with a function the checker does not read (\sin(π a1) vanishing on integer samples,
# \lfloor, round, \tanh): CANNOT CHECK, exit 2, never exit 0.
WRONG_REFUSED: list[Row] = [
    ('1a', r"\frac{w}{2\lambda} + \sin(\pi\lambda) w", 2),
    ('1a', r"\frac{w}{2\lambda} + w e^{-10^6(\lambda-\pi)^2}", 2),
    ('1a', r"\frac{w}{2\lambda}(e^{\pi\sqrt{163}} - 262537412640768743)", 2),
    ('1a', r"\frac{w}{2\lambda}\tanh(10^6)", 2),
    ('1a', r"\frac{w}{2\lambda}\cdot\frac{355}{113\pi}", 2),
    ('1a', r"\frac{w_1}{2\lambda}", 2),
    ('1a', r"\frac{w}{2\lambda} \text{ (unique) } + w", 2),
    ('1a', r"\frac{w}{2\lambda} % + w", 2),
    ('1a', r"\frac{w}{2\lambda} + w \sin(\pi\lambda)^2", 2),
    ('1a', r"\frac{w}{2\lambda}\cos(2\pi\lambda)", 2),
    ('1a', r"\frac{w}{2\lambda} + w\lambda^{-50}", 2),
    ('1a', r"\frac{w}{2\lambda} + w(\lambda - \lfloor\lambda\rfloor)", 2),
    ('1a', r"\frac{w}{2\lambda} + w (\lambda - \mathrm{round}(\lambda))", 2),
    ('1a', r"\frac{w}{2\lambda}\text{ for } \lambda > 1", 2),
    ('1a', r"\frac{w}{2\lambda}\,\mathrm{m}", 2),
    ('1a', r"\frac{w}{2\lambda}\,\text{m/s}", 2),
    ('1b', r"\Sigma_{11} w + \mu", 2),
    ('1b', r"\mu_1 + \Sigma w", 2),
    ('1b', r"\Sigma w + \mu\,(1 + \sin(\pi d))", 2),
    ('1b', r"\Sigma w + \mu\text{ (mean) } + w", 2),
    ('1b', r"\Sigma^{1/2} w + \mu", 2),
    ('1b', r"\Sigma w + \mu \text{ for } d \le 2", 2),
    ('1c.z', r"\frac{A^\top w}{2\lambda}\text{ if } k \le d", 2),
    ('1c.z', r"\frac{A^\top w}{2\lambda}\,\text{(only for } k < 3)", 2),
    ('1c.x', r"\frac{AA^\top w}{2\lambda} + c\quad\text{(}+ w\text{)}", 2),
    ('1c.x', r"A z^* + c", 2),
    ('2a.i', r"\min(a_1,a_2) + \sin(\pi a_1)", 2),
    ('2a.i', r"\min(a_1,a_2) + (a_1 - \lfloor a_1\rfloor)", 2),
    ('2a.i', r"\min(a_1,a_2)\frac{a_1}{a_1}", 2),
    ('2a.i', r"\min(a_1, a_2)\text{ for } a_1 < a_2", 2),
    ('2a.i', r"a_1 [a_1 \le a_2] + a_2 [a_1 > a_2]", 2),
    ('2a.i', r"a_1 \cdot 1_{a_1 \le a_2} + a_2 \cdot 1_{a_1 > a_2}", 2),
    ('2a.i', r"\min(a_1,a_2) + \sin(\pi a_1)\sin(\pi a_2)", 2),
    ('2a.i', r"\min(a_1, a_2) + \cos(\pi a_1)^2 - 1", 2),
    ('2a.i', r"\min_i a_i + a_3", 2),
    ('2a.ii', r"\min(a_1,a_2) + \sin(\pi a_1)", 2),
    ('2a.ii', r"\min(a_1,a_2) + (a_1 - \lfloor a_1\rfloor)", 2),
    ('2a.ii', r"\min(a_1,a_2)\frac{a_1}{a_1}", 2),
    ('2a.ii', r"\min(a_1, a_2)\text{ for } a_1 < a_2", 2),
    ('2a.ii', r"a_1 [a_1 \le a_2] + a_2 [a_1 > a_2]", 2),
    ('2a.ii', r"a_1 \cdot 1_{a_1 \le a_2} + a_2 \cdot 1_{a_1 > a_2}", 2),
    ('2a.ii', r"\min(a_1,a_2) + \sin(\pi a_1)\sin(\pi a_2)", 2),
    ('2a.ii', r"\min(a_1, a_2) + \cos(\pi a_1)^2 - 1", 2),
    ('2a.ii', r"\min_i a_i + a_3", 2),
    ('2b.i', r"a_1 + \sin(\pi\gamma)", 2),
    ('2b.i', r"a_1\cos(2\pi\gamma)", 2),
    ('2b.i', r"a_1 + \gamma\sin(\pi a_1)", 2),
    ('2b.i', r"\frac{a_1 \gamma}{\gamma}", 2),
    ('2b.i', r"R_1 = a_1, R_2 = a_2", 2),
    ('2b.i', r"a_1 + a_2 \text{ (for } \gamma = 0)", 2),
    ('2b.ii', r"\sin(\pi a_1)", 2),
    ('2b.ii', r"\sin(\pi \gamma) a_1", 2),
    ('2b.ii', r"e^{\pi\sqrt{163}} - 262537412640768744", 2),
    ('2b.ii', r"\tanh(10^6) - 1", 2),
    ('2b.ii', r"a_1 (\gamma - \lfloor\gamma\rfloor)", 2),
    ('2b.ii', r"0\text{ (plus } a_1)", 2),
    ('2b.ii', r"0 + a_1 % nothing", 2),
    ('2b.i.R2', r"a_2\sin(\pi\gamma)", 2),
    ('2b.ii.R2', r"a_2 + \sin(\pi a_2)", 2),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{(1+\gamma) a_1^2 a_2}{(a_1 +"
        + r" a_2/\gamma)((1+\gamma)a_1 - a_2)} & a_1 > a_2 \end{cases}",
        2),
    ('2b.i.general',
        r"\begin{cases} a_1 & a_1 \le a_2 \\ "
        + FI
        + r" & a_1 > a_2 \end{cases} + \sin(\pi\gamma)",
        2),
    ('3b', r"\min_{i \in S} h_i", 2),
    ('3b', r"\min_j h_j \text{ for } j \ne 2", 2),
    ('3b', r"\min_{j} h_j + \sin(\pi h_1)", 2),
    ('3b', r"\sum_j h_j", 2),
    ('3b', r"-\log\sum_j e^{-h_j}", 2),
    ('3b', r"\min_{0 \le j \le M} h_j", 2),
    ('3b', r"\min_{j=1}^{4} h_j", 2),
    ('3b', r"\min_{j \ne i} h_j", 2),
    ('3b', r"h_{\min}", 2),
    ('3b', r"\min_j h_j + c", 2),
    ('3b', r"min(h1, h2, h3) % + 1", 2),
    ('3b', r"\min_j h_j \text{ (the smallest distance) } + 1", 2),
    ('3b', r"\min_j h_j\quad\text{plus } 1", 2),
    ('3b', r"\min(h_1,h_2,h_3,h_4)", 2),
    ('3b', r"\min_j h_j \,\mathrm{m}", 2),
    ('3b', r"\min_j h_j\; m", 2),
    ('3b', r"\min_{j \ne 7} h_j", 2),
    ('3b', r"\min_{j} h_j + (M-1)(M-2)(M-3)", 2),
    ('3b', r"\min_j h_j + \max(0, M - 3)\cdot h_1", 2),
    ('3b', r"\min_{i} h_{i+1}", 2),
    ('3b', r"\min_i h_{2i}", 2),
    ('3b', r"\min_{i \ne 1, 2} h_i", 2),
    ('3b', r"\min_{i: h_i > 0} h_i", 2),
    ('3b', r"\min_{i} h_i \text{ for all } i > 1", 2),
    ('2b.i', r"a_1\frac{a_1-a_2}{a_1-a_2}", 2),
    ('2b.ii.R2', r"e^{\log a_2}", 2),
    ('3b', r"\min(\sqrt{h_1}^2, h_2, h_3)", 2),
    ('3b', r"\min((h_1^{1/2})^2, h_2, h_3)", 2),
    ('1a', r"\frac{w}{2\lambda}\frac{\lambda-7/3}{\lambda - 7/3}", 2),
    ('1a', r"x^* = \frac{w}{\lambda} = \frac{w}{2\lambda}", 2),
    ('1a', r"\frac{w}{\lambda} = \frac{w}{2\lambda}", 2),
    ('1a', r"\frac{w}{2\lambda} + \frac{w}{\lambda - 1} - \frac{w}{\lambda - 1}", 2),
    ('2a.i', r"\min(a_1,a_2) + \log(a_1) - \log(a_1)", 2),
]


#: The groups of right answers and of wrong ones.
RIGHT = RIGHT_PROVED + RIGHT_REFUSED
WRONG = TINY + PEAKS + FAR + TIES + DIMENSIONS + INDEX_SETS + PLAIN + WRONG_REFUSED


def _name(row: Row) -> str:
    return f"{row[0]}:{row[1]}"


@pytest.mark.parametrize("row", RIGHT + WRONG, ids=_name)
def test_exit_status(row: Row) -> None:
    answer_id, answer, status = row
    result = check(answer_id, answer)
    assert result.exit_status == status, result.report()


def test_the_table_keeps_the_standard() -> None:
    """A wrong answer is never expected to pass, a right one never to be refuted; every row
    is listed once, and every id of the sheet has rows of both kinds."""
    assert all(status in (1, 2) for _, _, status in WRONG)
    assert all(status in (0, 2) for _, _, status in RIGHT)
    keys = [(i, a) for i, a, _ in RIGHT + WRONG]
    assert len(keys) == len(set(keys))
    from derivations.checker import answer_ids

    for answer_id in answer_ids():
        assert any(i == answer_id for i, _, _ in RIGHT), answer_id
        assert any(i == answer_id for i, _, _ in WRONG), answer_id
