r"""Plain text (with the Unicode of the numerics' descriptions) as LaTeX for pdflatex.

>>> print(escape("|Δ|/max(1, a1) ≤ 1e-12, γ ∈ {0, 10}"))
$|$$\Delta$$|$/max(1, a1) $\le$ 1e-12, $\gamma$ $\in$ \{0, 10\}
>>> print(escape("50% & x_T"))
50\% \& x\_T
>>> escape("naïve")  # characters without a mapping are spelled out, never dropped silently
'na[LATIN SMALL LETTER I WITH DIAERESIS]ve'
"""

from __future__ import annotations

import unicodedata

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": "$<$",
    ">": "$>$",
    "|": "$|$",
}

#: Unicode seen in the numerics' and VGG's texts, as math-mode LaTeX.
_MATH = {
    "Δ": r"\Delta", "Σ": r"\Sigma", "γ": r"\gamma", "κ": r"\kappa", "λ": r"\lambda",
    "μ": r"\mu", "α": r"\alpha", "ρ": r"\rho", "ε": r"\varepsilon", "θ": r"\theta",
    "‖": r"\|", "∇": r"\nabla", "∈": r"\in", "−": "-", "≤": r"\le", "≥": r"\ge",
    "×": r"\times", "→": r"\to", "∞": r"\infty", "≈": r"\approx", "·": r"\cdot",
    "⊙": r"\odot", "√": r"\surd", "≠": r"\ne", "∑": r"\sum", "±": r"\pm",
    "²": "^2", "³": "^3", "⁺": "^+", "⁻": "^-", "¹": "^1", "ᵀ": r"^\top", "∂": r"\partial",
    "↑": r"\uparrow", "↓": r"\downarrow",
}

_TEXT = {"–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\dots{}",
         "é": r"\'e", "è": r"\`e", "ö": r"\"o", "ü": r"\"u", "ä": r"\"a"}


def escape(text: str) -> str:
    """``text`` safe for pdflatex: specials escaped, known Unicode as math, the rest named."""
    out = []
    for ch in text:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _MATH:
            out.append(f"${_MATH[ch]}$")
        elif ch in _TEXT:
            out.append(_TEXT[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(f"[{unicodedata.name(ch, hex(ord(ch)))}]")
    return "".join(out)
