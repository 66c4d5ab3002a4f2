"""Acceptance tests of the answer checker, written from the students' side.

Every row is an answer as a student would type it for an id of sheet 11 (docs/sheet11.md),
with the verdict a careful TA demands. The expected answers were worked out on paper from the
sheet, not read from the project's derivations:

* 1a  ``x* = w/(2λ)``;  1b  ``x* = μ + Σw``;  1c.z  ``z* = Aᵀw/(2λ)``;
  1c.x  ``x* = AAᵀw/(2λ) + c``;  2a.i, 2a.ii  ``min(a1, a2)``;
* 2b at the tie a1 = a2: network (i) ``R1 = a1, R2 = 0``; network (ii) ``R1 = 0, R2 = a2``;
* 2b.i.general: ``a1`` for a1 ≤ a2, ``γ(1+γ)a1²a2 / ((γa1 + a2)((1+γ)a1 − a2))`` for
  a1 > a2. The formula does **not** extend to the tie: at a1 = a2 and γ = 0 it is 0/0 → 0,
  while R1 = a1 there;
* 2b.ii.general: ``a1²(a2 − a1) / ((a1 + γa2)((1+γ)a2 − a1))`` for a1 < a2, 0 for
  a1 ≥ a2. Here the formula **does** extend to the tie: it is 0 for γ > 0 and 0/0 → 0 at γ = 0,
  and R1 = 0 there;
* 3b  ``min(h1, h2, h3)`` (``min_j h_j`` for any M).

Outcome kinds: ``right`` (PROVED or NUMERICALLY EQUAL, exit 0), ``wrong`` (REFUTED, exit 1,
with a counterexample), ``unreadable`` (CANNOT CHECK, exit 2, a message) and ``hostile``
(CANNOT CHECK or REFUTED, never exit 0, never an exception, never a side effect). A shape
mismatch (a row vector for a column, AᵀA for AAᵀ) is a wrong answer, not an unreadable one.
How long checks take is measured by the checker's bench (``python -m
derivations.checker.bench``), never asserted here: no test depends on the machine's speed.
"""

from __future__ import annotations

import contextlib
import functools
import os

import pytest
from answer_rows import Row, assert_outcome, describe, ids, r

from derivations.checker import Verdict, check

#: A file that hostile answers try to create; it must never appear.
MARK = "/tmp/sheet11_students_pwned"


# --- the formulas of 2b.*.general, as a student would type them --------------------------------

#: R1 of network (i) for a1 > a2.
FI_T = "gamma*(1+gamma)*a1**2*a2/((gamma*a1+a2)*((1+gamma)*a1-a2))"
FI_L = r"\frac{\gamma(1+\gamma)a_1^2 a_2}{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)}"
FI_U = "γ(1+γ)a1²a2/((γa1+a2)((1+γ)a1−a2))"
FI_PROD_L = (r"\frac{(1+\gamma) a_1 a_2}{\gamma a_1 + a_2} \cdot "
             r"\frac{\gamma a_1}{(1+\gamma)a_1 - a_2}")
#: R3 + (share of a1 in unit 4)·R4, not simplified.
FI_UNSIMP_T = ("(1+gamma)*a1*a2/(gamma*a1+a2)"
               " - (1+gamma)*a1*(a1-a2)*a2/((gamma*a1+a2)*((1+gamma)*a1-a2))")
#: R1 of network (ii) for a1 < a2.
FII_T = "a1**2*(a2-a1)/((a1+gamma*a2)*((1+gamma)*a2-a1))"
FII_L = r"\frac{a_1^2(a_2 - a_1)}{(a_1 + \gamma a_2)((1+\gamma)a_2 - a_1)}"
FII_NEG_L = r"-\frac{a_1^2(a_1 - a_2)}{(\gamma a_2 + a_1)(a_2 + \gamma a_2 - a_1)}"
FII_U = "a1²(a2 − a1)/((a1 + γa2)((1+γ)a2 − a1))"
FII_PROD_T = "a1/((1+gamma)*a2 - a1) * (a2 - a1)*a1/(gamma*a2 + a1)"


# --- right answers in unusual but legitimate notation ------------------------------------------

RIGHT: list[Row] = [
    # 1a: w/(2λ)
    r("1a", "w/(2*lambda)"),
    r("1a", "w/(2 lambda)"),
    r("1a", r"\frac{w}{2\lambda}"),
    r("1a", r"\dfrac{1}{2\lambda} w"),
    r("1a", r"\tfrac{1}{2\lambda}\,w"),
    r("1a", "0.5*w/lambda"),
    r("1a", "5e-1 * w / λ"),
    r("1a", "w/λ − w/(2λ)"),
    r("1a", "w/lambda - w/(2*lambda)"),
    r("1a", r"x^* = \frac{w}{2\lambda}"),
    r("1a", r"$\frac{1}{2\lambda}\mathbf{w}$"),
    r("1a", r"\( \frac{\boldsymbol{w}}{2\lambda} \)"),
    r("1a", r"\left(2\lambda\right)^{-1} w"),
    r("1a", "(2λ)⁻¹w"),
    r("1a", r"w \cdot \frac{1}{2 \lambda}"),
    r("1a", r"\frac12 \lambda^{-1} w"),
    r("1a", "x* = w/(2*lambda)"),
    r("1a", "w*(2*lambda)**-1"),
    r("1a", r"\frac{w}{\lambda + \lambda}"),
    r("1a", "(1/2)·w/λ"),
    r("1a", r"\frac{1}{2} \times \frac{w}{\lambda}"),
    # 1b: μ + Σw
    r("1b", "mu + Sigma*w"),
    r("1b", "Σw + μ"),
    r("1b", r"\Sigma w + \mu"),
    r("1b", r"\mu + \Sigma \cdot w"),
    r("1b", "Σ(Σ⁻¹μ + w)"),
    r("1b", r"\Sigma\left(\Sigma^{-1}\mu + w\right)"),
    r("1b", r"x^* = \boldsymbol{\mu} + \boldsymbol{\Sigma}\mathbf{w}"),
    r("1b", r"$\mu + \Sigma w$"),
    r("1b", "Sigma*(w + Sigma^(-1)*mu)"),
    r("1b", r"\mu + \Sigma^{\top} w"),
    r("1b", "(w^T Sigma)^T + mu"),
    r("1b", r"\mu - \Sigma(-w)"),
    r("1b", "μ + Σ·w"),
    # 1c.z: Aᵀw/(2λ)
    r("1c.z", "A^T w/(2 lambda)"),
    r("1c.z", r"\frac{A^\top w}{2\lambda}"),
    r("1c.z", r"\frac{1}{2\lambda}A^{T}\mathbf{w}"),
    r("1c.z", "Aᵀw/(2λ)"),
    r("1c.z", "(wᵀA)ᵀ/(2λ)"),
    r("1c.z", "0.5 λ⁻¹ Aᵀ w"),
    r("1c.z", r"z^* = \dfrac{A^\top w}{2\lambda}"),
    r("1c.z", r"\frac{1}{2\lambda}\left(w^\top A\right)^\top"),
    r("1c.z", "A.T*w/(2*lambda)"),
    r("1c.z", r"\frac{\mathbf{A}^{\mathsf{T}}\mathbf{w}}{2\lambda}"),
    r("1c.z", r"A^\intercal w / (2\lambda)"),
    r("1c.z", "z^* = A^T w * 0.5/lambda"),
    # 1c.x: AAᵀw/(2λ) + c
    r("1c.x", "AA^T w/(2 lambda) + c"),
    r("1c.x", "AAᵀw/(2λ) + c"),
    r("1c.x", r"c + \frac{A A^\top w}{2\lambda}"),
    r("1c.x", r"\frac{1}{2\lambda} A A^{T} w + c"),
    r("1c.x", "A(Aᵀw)/(2λ) + c"),
    r("1c.x", r"A\left(\frac{A^\top w}{2\lambda}\right) + c"),
    r("1c.x", "c + A (w^T A)^T / (2 lambda)"),
    r("1c.x", r"$c + \frac{\mathbf{A}\mathbf{A}^\top\mathbf{w}}{2\lambda}$"),
    r("1c.x", r"\frac{AA^Tw + 2\lambda c}{2\lambda}"),
    r("1c.x", "0.5/lambda * A*A^T*w + c"),
    r("1c.x", r"x^* = A A^\top w \cdot \frac{1}{2\lambda} + c"),
    # 2a.i, 2a.ii: min(a1, a2)
    r("2a.i", "min(a1, a2)"),
    r("2a.i", r"\min(a_1, a_2)"),
    r("2a.i", "(a1 + a2 − |a1 − a2|)/2"),
    r("2a.i", "a1 - max(0, a1 - a2)"),
    r("2a.i", r"a_1 - [a_1 - a_2]_+"),
    r("2a.i", "a1 - (a1 - a2)_+"),
    r("2a.i", r"y = \min\{a_1, a_2\}"),
    r("2a.i", r"\rho(a_1) - \rho(a_1 - a_2)"),
    r("2a.i", r"a_1\mathbb{1}[a_1 \le a_2] + a_2\mathbb{1}[a_1 > a_2]"),
    r("2a.i", "a1 + (a2 - a1)*Heaviside(a1 - a2)"),
    r("2a.i", "max(0, a1) - max(0, a1 - a2)"),
    r("2a.ii", "min(a2, a1)"),
    r("2a.ii", r"\frac{a_1 + a_2 - \left|a_1 - a_2\right|}{2}"),
    r("2a.ii", r"\max(0, a_2) - \max(0, a_2 - a_1)"),
    r("2a.ii", "a2 - max(0, a2 - a1)"),
    r("2a.ii", r"\begin{cases} a_1 & a_1 \le a_2 \\ a_2 & \text{otherwise} \end{cases}"),
    r("2a.ii", "Piecewise((a1, a1 <= a2), (a2, True))"),
    r("2a.ii", "𝟙[a1 ≤ a2]·a1 + 𝟙[a1 > a2]·a2"),
    r("2a.ii", "a2 − (a2 − a1)⁺"),
    # 2b at the tie a1 = a2
    r("2b.i", "a1"),
    r("2b.i", "a_1"),
    r("2b.i", "a2"),
    r("2b.i", "(a1 + a2)/2"),
    r("2b.i", "R_1 = a_1"),
    r("2b.i", r"\min(a_1, a_2)"),
    r("2b.i", r"$R_1 = a_1$"),
    r("2b.i", "R1 = a1"),
    r("2b.ii", "0"),
    r("2b.ii", r"R_1 = 0"),
    r("2b.ii", "0.0"),
    r("2b.ii", r"0 \cdot a_1"),
    r("2b.ii", "$0$", latex=True),
    r("2b.i.R2", "0"),
    r("2b.i.R2", r"R_2 = 0"),
    r("2b.i.R2", r"\( 0 \)"),
    r("2b.ii.R2", "a2"),
    r("2b.ii.R2", "a1"),
    r("2b.ii.R2", r"R_2 = a_2"),
    r("2b.ii.R2", r"\min(a_1,a_2)"),
    r("2b.ii.R2", "$a_2$"),
    # 2b.i.general: a1 for a1 <= a2, FI for a1 > a2
    r("2b.i.general", f"Piecewise(({FI_T}, a1 > a2), (a1, True))"),
    r("2b.i.general", rf"\begin{{cases}} a_1 & a_1 \le a_2 \\ {FI_L} & a_1 > a_2 \end{{cases}}"),
    r("2b.i.general",
      rf"\begin{{cases}} a_1, & a_1 \leq a_2 \\ {FI_L}, & \text{{otherwise}} \end{{cases}}"),
    r("2b.i.general",
      rf"R_1 = \begin{{cases}} a_1 & \text{{if }} a_1 \le a_2 \\ "
      rf"{FI_L} & \text{{if }} a_1 > a_2 \end{{cases}}"),
    r("2b.i.general",
      rf"\begin{{cases}} {FI_L} & \text{{if }} a_1 > a_2 \\ a_1 & \text{{else}} \end{{cases}}"),
    r("2b.i.general",
      rf"\begin{{cases}} a_1 & \text{{falls }} a_1 \le a_2 \\ {FI_L} & \text{{sonst}} "
      rf"\end{{cases}}"),
    r("2b.i.general",
      rf"\begin{{cases}} a_1 & a_1 \le a_2 \\ {FI_PROD_L} & a_1 > a_2 \end{{cases}}"),
    r("2b.i.general", f"Piecewise((a1, a1 <= a2), ({FI_UNSIMP_T}, True))"),
    r("2b.i.general", f"Piecewise((a1, a1 <= a2), ({FI_U}, True))"),
    r("2b.i.general", rf"a_1 \mathbb{{1}}[a_1 \le a_2] + {FI_L}\,\mathbb{{1}}[a_1 > a_2]"),
    r("2b.i.general",
      rf"\begin{{cases}} \min(a_1, a_2) & a_1 \le a_2 \\ {FI_L} & a_1 > a_2 \end{{cases}}"),
    r("2b.i.general",
      rf"\begin{{cases}} a_1 & a_2 \ge a_1 \\ {FI_L} & a_2 < a_1 \end{{cases}}"),
    # 2b.ii.general: FII for a1 < a2 (the tie may join it), 0 for a1 >= a2
    r("2b.ii.general", f"Piecewise((0, a1 >= a2), ({FII_T}, True))"),
    r("2b.ii.general", rf"\begin{{cases}} {FII_L} & a_1 < a_2 \\ 0 & a_1 \ge a_2 \end{{cases}}"),
    r("2b.ii.general",
      rf"\begin{{cases}} {FII_L}, & a_1 < a_2 \\ 0, & \text{{otherwise}} \end{{cases}}"),
    r("2b.ii.general", f"Piecewise(({FII_T}, a1 <= a2), (0, True))"),
    r("2b.ii.general",
      rf"\begin{{cases}} {FII_L} & \text{{if }} a_1 \le a_2 \\ 0 & \text{{else}} \end{{cases}}"),
    r("2b.ii.general",
      rf"\begin{{cases}} 0 & \text{{falls }} a_1 \geq a_2 \\ {FII_NEG_L} & \text{{sonst}} "
      rf"\end{{cases}}"),
    r("2b.ii.general", f"Piecewise(({FII_PROD_T}, a1 < a2), (0, True))"),
    r("2b.ii.general", rf"{FII_L} \cdot \mathbb{{1}}[a_1 < a_2]"),
    r("2b.ii.general", f"𝟙[a1 < a2]·{FII_U}"),
    r("2b.ii.general", rf"\mathbb{{1}}[a_1 \le a_2]\,{FII_L}"),
    # 3b: min(h1, h2, h3), min_j h_j
    r("3b", "min(h1, h2, h3)"),
    r("3b", r"\min(h_1,h_2,h_3)"),
    r("3b", r"\min_j h_j"),
    r("3b", r"\min_{j} h_j"),
    r("3b", r"\min_{j=1,\dots,M} h_j"),
    r("3b", r"\min(h_1,\ldots,h_M)"),
    r("3b", "min_j(h_j)"),
    r("3b", r"\lim_{\gamma\to\infty} o(x) = \min_j h_j"),
    r("3b", "min(h3, h1, h2)"),
    r("3b", r"\min\{h_1, h_2, h_3\}"),
    r("3b", "min(min(h1, h2), h3)"),
    r("3b", r"\min_i h_i"),
    r("3b", r"o(x) = \min_i h_i"),
    r("3b", r"-\max(-h_1, -h_2, -h_3)"),
    r("3b", r"\min_{1 \le j \le M} h_j"),
]


# --- wrong answers, the ways students err ------------------------------------------------------

WRONG: list[Row] = [
    # 1a
    r("1a", "w/lambda"),                                   # missing factor 2
    r("1a", "w/(2*lambda^2)"),                             # λ² for λ
    r("1a", "w/(2λ²)"),
    r("1a", "-w/(2*lambda)"),                              # sign
    r("1a", "2*lambda*w"),
    r("1a", "lambda*w/2"),
    r("1a", "w/2"),
    r("1a", "0.49999999*w/lambda"),                        # tiny difference
    r("1a", "w/(2λ) + w/10^12"),
    r("1a", "w/(2*lambda) + max(0, lambda - 5)*w"),        # only for λ > 5
    r("1a", "w/(2λ) + max(0, 0.001 − λ)·w"),               # only for λ < 0.001
    r("1a", "w/(2*lambda) + b*w"),                         # depends on the bias
    r("1a", r"\frac{w}{\lambda}"),
    r("1a", r"\frac{\lambda w}{2}"),
    r("1a", r"x^* = \frac{w^\top}{2\lambda}"),             # a row, not a column
    # 1b
    r("1b", "mu + Sigma^(-1)*w"),                          # Σ⁻¹ for Σ
    r("1b", "μ + Σ⁻¹w"),
    r("1b", "Sigma*(mu + w)"),                             # Σ(μ + w)
    r("1b", "mu + w"),                                     # missing Σ
    r("1b", "Sigma*w"),                                    # missing μ
    r("1b", "mu - Sigma*w"),                               # sign
    r("1b", r"\mu + \frac{1}{2}\Sigma w"),
    r("1b", r"\mu + 2\Sigma w"),
    r("1b", r"\Sigma^{-1}(\mu + w)"),
    r("1b", r"\mu + \Sigma w + 10^{-9} w"),
    r("1b", "Sigma*w + mu*(1 + 1e-10)"),
    r("1b", "Σ⁻¹μ + w"),
    # 1c.z
    r("1c.z", "A*w/(2*lambda)"),                           # A for Aᵀ
    r("1c.z", "A^T w/lambda"),
    r("1c.z", "A^T w/(2*lambda^2)"),
    r("1c.z", "-A^T w/(2 lambda)"),
    r("1c.z", "A^T w/(2 lambda) + c"),                     # c belongs to x*, not z*
    r("1c.z", r"\frac{A^\top (w - c)}{2\lambda}"),
    r("1c.z", r"\frac{A^\top w}{2\lambda} + \frac{A^\top w}{10^{12}}"),
    r("1c.z", "Aᵀw/(2λ) + max(0, λ − 5)·Aᵀw"),
    r("1c.z", "w^T A/(2 lambda)"),                         # a row, not a column
    r("1c.z", "0.4999999 A^T w/lambda"),
    r("1c.z", "2 λ Aᵀ w"),
    r("1c.z", "A^T w"),
    # 1c.x
    r("1c.x", "A A^T w/(2 lambda)"),                       # missing + c
    r("1c.x", "A^T A w/(2 lambda) + c"),                   # AᵀA for AAᵀ
    r("1c.x", "AᵀAw/(2λ) + c"),
    r("1c.x", "A A^T w/lambda + c"),
    r("1c.x", "A A^T w/(2 lambda) - c"),
    r("1c.x", "AAᵀw/(2λ²) + c"),
    r("1c.x", "A w/(2 lambda) + c"),
    r("1c.x", "A^T w/(2 lambda) + c"),                     # z*-like, wrong shape
    r("1c.x", r"\frac{AA^\top w}{2\lambda} + c + \frac{c}{10^{12}}"),
    r("1c.x", "AA^T w/(2 lambda) + c + max(0, lambda - 5)*c"),
    r("1c.x", "w/(2 lambda) + c"),                         # as if AAᵀ = I
    r("1c.x", "A A^T (w + c)/(2 lambda)"),
    # 2a
    r("2a.i", "max(a1, a2)"),
    r("2a.i", "-min(a1, a2)"),
    r("2a.i", "a1"),                                       # right only for a1 <= a2
    r("2a.i", "(a1 + a2 + |a1 - a2|)/2"),                  # that is max
    r("2a.i", "a1 - max(0, a2 - a1)"),
    r("2a.i", "min(a1, a2) + 10^-9"),
    r("2a.i", "min(a1, a2) + max(0, a1 - 20)"),
    r("2a.i", "(a1 + a2)/2"),                              # right only at the tie
    r("2a.i", "max(0, a1) + max(0, a1 - a2)"),
    r("2a.i", r"\begin{cases} a_2 & a_1 \le a_2 \\ a_1 & \text{otherwise} \end{cases}"),
    r("2a.i", "a1*a2/(a1 + a2)"),
    r("2a.i", "min(a1, a2) + (a1 - a2)**2"),               # vanishes at the tie only
    r("2a.ii", "a2"),
    r("2a.ii", r"\max(a_1, a_2)"),
    r("2a.ii", "Piecewise((a2, a1 <= a2), (a1, True))"),
    r("2a.ii", "a2 - max(0, a1 - a2)"),
    r("2a.ii", "min(a1, a2)*(1 + 1e-9)"),
    r("2a.ii", "min(a1, a2) + max(0, a2 - 50)"),
    # 2b at the tie
    r("2b.i", "0"),                                        # network (ii)'s R1, or R2
    r("2b.i", "a1/2"),
    r("2b.i", "2*a1"),
    r("2b.i", "-a1"),
    r("2b.i", "a1 + 10^-9"),
    r("2b.i", "gamma*a1"),
    r("2b.i", "a1*(1 + gamma)"),                           # right only at γ = 0
    r("2b.i", "a1 + max(0, gamma - 1)*a1"),                # vanishes for γ <= 1 only
    r("2b.i", r"\frac{a_1}{1+\gamma}"),
    r("2b.ii", "a1"),                                      # network (i)'s R1
    r("2b.ii", "a1/10^10"),
    r("2b.ii", "a2"),                                      # R2 for R1
    r("2b.ii", "gamma*a1"),
    r("2b.ii", "max(0, gamma - 1)*a1"),
    r("2b.ii", "a1/2"),
    r("2b.ii", "-a1"),
    r("2b.i.R2", "a2"),
    r("2b.i.R2", "a1"),
    r("2b.i.R2", "a2/10^10"),
    r("2b.i.R2", "max(0, gamma - 1)*a2"),
    r("2b.i.R2", "a2/2"),
    r("2b.ii.R2", "0"),
    r("2b.ii.R2", "a2/2"),
    r("2b.ii.R2", "2*a2"),
    r("2b.ii.R2", "a2 + max(0, gamma - 1)*a2"),
    r("2b.ii.R2", "a2*(1 + 1e-9)"),
    r("2b.ii.R2", "a1 + a2"),
    # 2b.i.general
    r("2b.i.general", f"Piecewise(({FI_T}, a1 <= a2), (a1, True))"),     # swapped branches
    r("2b.i.general", f"Piecewise(({FI_T}, a1 >= a2), (a1, True))"),     # tie: 0/0 at γ = 0
    r("2b.i.general",
      rf"\begin{{cases}} a_1 & a_1 < a_2 \\ {FI_L} & a_1 \ge a_2 \end{{cases}}"),
    r("2b.i.general", FI_T),                                             # formula everywhere
    r("2b.i.general", "a1"),
    r("2b.i.general", "min(a1, a2)"),
    r("2b.i.general", f"Piecewise(({FII_T}, a1 < a2), (0, True))"),      # network (ii)'s
    r("2b.i.general", f"Piecewise((0, a1 <= a2), (a2 - ({FI_T}), True))"),  # R2 for R1
    r("2b.i.general",
      "Piecewise((a1, a1 <= a2), "
      "(gamma*a1**2*a2/((gamma*a1+a2)*((1+gamma)*a1-a2)), True))"),     # missing (1+γ)
    r("2b.i.general", f"Piecewise((a1, a1 <= a2), ({FI_T} + max(0, gamma - 1)*a1, True))"),
    r("2b.i.general", f"Piecewise((a1 + gamma*(a2 - a1), a1 <= a2), ({FI_T}, True))"),
    r("2b.i.general", f"Piecewise((a1*(1 + 1e-9), a1 <= a2), ({FI_T}, True))"),
    r("2b.i.general", "Piecewise((a1, a1 <= a2), (0, True))"),           # the γ = 0 answer
    r("2b.i.general", f"Piecewise((a1, a1 <= a2), (-({FI_T}), True))"),
    # 2b.ii.general
    r("2b.ii.general", f"Piecewise((0, a1 < a2), ({FII_T}, True))"),    # swapped branches
    r("2b.ii.general", FII_T),                                          # formula everywhere
    r("2b.ii.general", "0"),
    r("2b.ii.general", "Piecewise((a1, a1 < a2), (0, True))"),          # the γ = 0 answer
    r("2b.ii.general", f"Piecewise((a1, a1 <= a2), ({FI_T}, True))"),   # network (i)'s
    r("2b.ii.general", f"Piecewise((-({FII_T}), a1 < a2), (0, True))"),
    r("2b.ii.general", f"Piecewise(({FII_T} + max(0, gamma - 1)*a1, a1 < a2), (0, True))"),
    r("2b.ii.general", f"Piecewise(({FII_T}, a1 < a2), (a1/10**10, True))"),
    r("2b.ii.general", f"Piecewise(({FII_T}, a1 < a2), (max(0, a1 - 20), True))"),
    r("2b.ii.general", f"Piecewise(({FII_T}, a1 < a2), (a1 - a2, True))"),
    r("2b.ii.general",
      rf"\begin{{cases}} 0 & a_1 < a_2 \\ {FII_L} & \text{{otherwise}} \end{{cases}}"),
    r("2b.ii.general", f"Piecewise((a1 - ({FII_T}), a1 < a2), (a2, True))"),  # R2 for R1
    # 3b
    r("3b", "max(h1, h2, h3)"),
    r("3b", r"\max_j h_j"),
    r("3b", r"-\min_j h_j"),
    r("3b", "-min(h1, h2, h3)"),
    r("3b", "h1 + h2 + h3"),
    r("3b", "min(h1, h2)"),
    r("3b", "h1"),
    r("3b", r"\min_j h_j + 10^{-9}"),
    r("3b", r"-\log\left(\exp(-h_1) + \exp(-h_2) + \exp(-h_3)\right)"),
    r("3b", "(h1 + h2 + h3)/3"),
    r("3b", r"\min_j(-h_j)"),
    r("3b", "min(h1, h2, h3) + max(0, h1 - 100)"),
    r("3b", r"\max(h_1,\ldots,h_M)"),
]


# --- unreadable: CANNOT CHECK is the only right verdict ----------------------------------------

UNREADABLE: list[Row] = [
    r("1a", ""),
    r("1a", "   "),
    r("1b", "\n\t  \n"),
    r("1a", "(w/(2*lambda)"),
    r("1a", "w/(2*lambda))"),
    r("1a", r"\frac{w}{2\lambda"),
    r("1a", r"\frac{w}}{2\lambda}"),
    r("1a", r"\foo{w}{2\lambda}"),
    r("1a", r"\frac{w}{2\lamda}"),
    r("1a", "w/(2*lamda)"),
    r("1a", "w/(2*lambd)"),
    r("1a", "w/(2*q)"),
    r("1a", "$$"),
    r("1a", "x^* ="),
    r("2b.i", "R_1 ="),
    r("1a", r"\begin{cases} w"),
    r("2b.i.general", "Piecewise((a1, a1 <= a2)"),
    r("1a", "🙂"),
    r("1a", "\x00"),
    r("3b", r"\min_j"),
    r("1a", "w/(2*λ"),
    r("1b", r"\mu + \Sigma w \end{cases}"),
    # a row plus a column is no object at all: there is nothing to compare, so CANNOT CHECK
    # (with the shapes named), as the README says of shapes that do not fit; never exit 0
    r("1b", "w^T Sigma + mu"),
]


# --- hostile: CANNOT CHECK or REFUTED, never exit 0, never an exception ------------------------

HOSTILE: list[Row] = [
    r("1a", "--help"),
    r("1a", "-h"),
    r("3b", "--help"),
    r("2b.ii", "-h"),
    r("1a", "; rm -rf ~"),
    r("1a", f"$(touch {MARK})"),
    r("1a", f"`touch {MARK}`"),
    r("1a", "w/(2*lambda) && echo pwned"),
    r("1a", "w | cat /etc/passwd"),
    r("1a", f"__import__('os').system('touch {MARK}')"),
    r("1a", "eval('w/(2*lambda)')"),
    r("1a", f"exec('open(\"{MARK}\", \"w\")')"),
    r("1a", "lambda x: x"),
    r("1a", "w.__class__.__mro__"),
    r("1a", "import os"),
    r("1a", "10**10**10"),
    r("1a", "9**999999"),
    r("3b", "h1**(10**10**10)"),
    r("2b.i", "a1**9**999999"),
    r("1a", "(" * 500 + "w" + ")" * 500),
    r("2a.i", "(" * 500 + "a1" + ")" * 500),
    r("1a", " + ".join(["w"] * 3000)),
    r("1a", "w/(2*lambda)\x00"),
    r("2b.i", "а1"),                          # Cyrillic а
    r("2a.i", "min(а1, a2)"),                 # Cyrillic а
    r("1a", "w/(2*lаmbda)"),                  # Cyrillic а
    r("1a", "ѡ/(2*lambda)"),                  # Cyrillic omega
    r("3b", "min(һ1, h2, h3)"),               # Cyrillic shha
    r("3b", "min(h1, h2, h3, h4)"),           # no unit h4 in this id
    r("1a", r"\input{/etc/passwd}"),
    r("1a", r"\def\x{w}\frac{\x}{2\lambda}"),
    r("1a", r"\include{secret}"),
    r("1a", r"\write18{id}"),
    r("1a", r"\frac{w}{2\lambda}\input{/etc/passwd}"),
    r("1a", "nan"),
    r("1a", "oo"),
    r("1a", "zoo"),
    r("1a", r"\infty"),
    r("1a", "1/0"),
    r("1a", "w/(2*lambda)\u202e"),
    r("1a", "%s%s%n"),
    r("1a", "{}"),
    r("1a", "[]"),
]


TABLE: list[tuple[str, Row]] = [
    *(("right", row) for row in RIGHT),
    *(("wrong", row) for row in WRONG),
    *(("unreadable", row) for row in UNREADABLE),
    *(("hostile", row) for row in HOSTILE),
]


@functools.cache
def _timed(row: Row):
    """(result or the exception raised, whether :data:`MARK` appeared) of one check; each row
    is checked once, with no :data:`MARK` before it (whatever left one)."""
    kwargs = {} if row.latex is None else {"latex": row.latex}
    with contextlib.suppress(FileNotFoundError):
        os.remove(MARK)
    try:
        out = check(row.answer_id, row.answer, **kwargs)
    except Exception as exc:  # reported by the tests
        out = exc
    return out, os.path.exists(MARK)


def _result(row: Row):
    out = _timed(row)[0]
    if isinstance(out, Exception):
        pytest.fail(f"check({row.answer_id!r}, {row.answer[:200]!r}) raised {out!r}")
    return out


@pytest.mark.parametrize("row", RIGHT, ids=ids("right", RIGHT))
def test_right_answers_are_accepted(row: Row) -> None:
    assert_outcome("right", row, _result(row))


@pytest.mark.parametrize("row", WRONG, ids=ids("wrong", WRONG))
def test_wrong_answers_are_refuted(row: Row) -> None:
    assert_outcome("wrong", row, _result(row))


@pytest.mark.parametrize("row", UNREADABLE, ids=ids("unreadable", UNREADABLE))
def test_unreadable_answers_cannot_be_checked(row: Row) -> None:
    assert_outcome("unreadable", row, _result(row))


@pytest.mark.parametrize("row", HOSTILE, ids=ids("hostile", HOSTILE))
def test_hostile_answers_are_never_accepted(row: Row) -> None:
    res = _result(row)
    assert not _timed(row)[1], "a hostile answer was executed"
    assert res.exit_status != 0, describe(row, res)
    assert res.verdict in {Verdict.CANNOT_CHECK, Verdict.REFUTED}, describe(row, res)
    if res.verdict is Verdict.CANNOT_CHECK:
        assert res.exit_status == 2, describe(row, res)
    else:
        assert res.exit_status == 1, describe(row, res)
        assert res.counterexample is not None, describe(row, res)
    assert isinstance(res.message, str) and res.message.strip(), describe(row, res)


def test_no_row_is_listed_twice() -> None:
    # a row listed twice, or under two outcomes, is a copy-paste slip that hides a missing case
    rows = [row for _, row in TABLE]
    twice = sorted({row for row in rows if rows.count(row) > 1})
    assert not twice, twice
