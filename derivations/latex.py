r"""The derivations as a standalone LaTeX article (one section per exercise part).

The document prints the very :class:`~derivations.steps.Derivation` objects that the tests
check, so every displayed relation has been verified. Packages: ``amsmath`` and ``amssymb``
only (both in texlive-latex-base).

>>> tex = document()
>>> tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
True
>>> r"\boxed{x^* = \frac{1}{2 \lambda} w}" in body()
True
"""

from __future__ import annotations

import re
from functools import cache

import sympy as sp

from derivations import activation_maximization, lrp_structure, neuralization
from derivations.answers import answers
from derivations.parts import Part
from derivations.printing import latex
from derivations.steps import Derivation, Step

#: The LaTeX packages the sections need (``\usepackage{...}`` each).
PREAMBLE_PACKAGES: tuple[str, ...] = ("amsmath", "amssymb")


def preamble() -> str:
    """``\\usepackage`` lines and the settings the sections rely on."""
    lines = [f"\\usepackage{{{p}}}" for p in PREAMBLE_PACKAGES]
    lines.append(r"\allowdisplaybreaks")
    return "\n".join(lines) + "\n"


@cache
def all_parts() -> tuple[Part, ...]:
    """Every part of Exercises 1–3, in the sheet's order."""
    return (
        *activation_maximization.parts(),
        *lrp_structure.parts(),
        *neuralization.parts(),
    )


#: Width of the justification column (a paragraph, so that a long reason wraps instead of
#: running into the margin).
WHY_WIDTH = r"0.26\linewidth"


def _why(step: Step) -> str:
    text = step.why + (f", {step.condition}" if step.condition else "")
    return rf"&& \parbox[t]{{{WHY_WIDTH}}}{{\raggedright\small {text}}}"


def derivation_lines(dv: Derivation) -> list[str]:
    """One derivation as ``align*`` rows, one justified relation per row."""
    lines = []
    if isinstance(dv.start, sp.Equality):
        lines.append(f"& {latex(dv.start)}")
        for st in dv.steps:
            lines.append(f"{st.rel.value}\\quad & {latex(st.expr)} {_why(st)}")
    else:
        head = latex(dv.start)
        for n, st in enumerate(dv.steps):
            lhs = head if n == 0 else ""
            rhs = "0" if st.rel.value == r"\prec" else latex(st.expr)
            lines.append(f"{lhs} &{st.rel.value} {rhs} {_why(st)}")
    return lines


def _align(chains: list[list[str]], keep_with_next: bool = False) -> str:
    """An ``align*`` block; with ``keep_with_next`` it is not broken, nor separated from what
    follows (the conclusion and the boxed answer stay on the page of its rows)."""
    rows = " \\\\[1ex]\n".join(" \\\\\n".join(lines) for lines in chains)
    block = "\\begin{align*}\n" + rows + "\n\\end{align*}"
    if not keep_with_next:
        return block + "\n"
    # amsmath puts \interdisplaylinepenalty after every row, the last one too: set outside
    # the alignment (a setting inside its cells would be local to the cell)
    return ("{\\interdisplaylinepenalty=10000 \\postdisplaypenalty=10000\n" + block + "}\n")


def derivations_tex(derivations: tuple[Derivation, ...], keep_with_next: bool = False) -> str:
    """Consecutive derivations share one ``align*`` block; an ``intro`` text starts a new one.
    ``keep_with_next``: the last derivation gets a block of its own that stays with what
    follows."""
    out, block = [], []
    for n, dv in enumerate(derivations):
        if dv.intro or (keep_with_next and n == len(derivations) - 1):
            if block:
                out.append(_align(block))
            if dv.intro:
                out.append(f"{dv.intro}\n")
            block = []
        block.append(derivation_lines(dv))
    if block:
        out.append(_align(block, keep_with_next))
    return "".join(out)


#: LaTeX math in a section title as the plain text of a PDF bookmark.
_PDF_TEXT = {r"\ell": "ℓ", r"\gamma": "γ", r"\to": "→", r"\infty": "∞", r"\ge": "≥",
             r"\le": "≤", r"\min": "min", r"\max": "max", r"\lambda": "λ"}


def pdf_string(title: str) -> str:
    r"""``title`` for the PDF's outline: its math (``$...$``) as plain text.

    >>> pdf_string(r"LRP-$\gamma$ at $a_1 = a_2$, the limit $\gamma \to \infty$")
    'LRP-γ at a1 = a2, the limit γ → ∞'
    """
    def plain(match: re.Match[str]) -> str:
        math = match.group(1)
        for command, text in _PDF_TEXT.items():
            math = re.sub(re.escape(command) + r"(?![A-Za-z])\s*", text, math)
        math = re.sub(r"[_^{}\\]", "", math)
        return re.sub(r"(?<=[→≤≥])(?=\S)|(?<=\S)(?=[→≤≥])", " ", math)

    return re.sub(r"\$([^$]*)\$", plain, title)


def section_title(title: str) -> str:
    r"""A section title with math, given its PDF bookmark text (``\texorpdfstring``), so
    that hyperref has a PDF string for every title.

    >>> section_title("Exercise 1(b): Gaussian log-density")
    'Exercise 1(b): Gaussian log-density'
    >>> section_title(r"LRP-$\gamma$")
    '\\texorpdfstring{LRP-$\\gamma$}{LRP-γ}'
    """
    return title if "$" not in title else f"\\texorpdfstring{{{title}}}{{{pdf_string(title)}}}"


def part_tex(part: Part) -> str:
    """A section: statement, the derivations, the boxed answers, the conclusion."""
    out = [f"\\section{{{section_title(part.title)}}}\n", f"{part.statement}\n"]
    # The conclusion and the boxed answers stay on the page of the derivation's last rows: no
    # page break after its last display, and TeX allows none before a display (the box).
    keep = bool(part.conclusion or part.answers)
    out.append(derivations_tex(part.derivations, keep_with_next=keep))
    if part.conclusion:
        out.append(f"{part.conclusion}\n")
    values = answers()
    for answer_id, lhs in part.answers:
        out.append(f"\\[\\boxed{{{lhs} = {latex(values[answer_id])}}}\\]\n")
    return "\n".join(out)


@cache
def body() -> str:
    """The sections only (no preamble, no ``\\begin{document}``), for embedding."""
    intro = (
        r"Every relation displayed below ($=$, $<$, $\le$, $\iff$, $\prec 0$, \dots) is"
        r" checked by the test suite from the same SymPy objects that print it: identities by"
        r" exact simplification (matrix identities for every dimension), inequalities by a"
        r" sign proof of the difference, case splits region by region. The problem statement"
        r" is \texttt{docs/sheet11.md} in the project."
        "\n"
    )
    return intro + "\n".join(part_tex(p) for p in all_parts())


def document() -> str:
    """The standalone article."""
    return (
        "\\documentclass[11pt]{article}\n"
        + preamble()
        + "\\providecommand{\\texorpdfstring}[2]{#1}\n"  # section titles with math; no hyperref
        + "\\title{Exercise sheet 11: derivations checked by SymPy}\n\\date{}\n"
        + "\\begin{document}\n\\maketitle\n"
        + body()
        + "\\end{document}\n"
    )
