r"""Plain text (with the Unicode of the numerics' descriptions) as LaTeX for pdflatex, and a
figure at its printed size (:func:`figure`).

>>> print(escape("|Δ|/max(1, a1) ≤ 1e-12, γ ∈ {0, 10}"))
$|\Delta|$/max(1, a1) $\le$ 1e-12, $\gamma$ $\in$ \{0, 10\}
>>> print(escape("50% & x_T, h_i(x) vs decision_function"))
50\% \& $x_{T}$, $h_{i}$(x) vs decision\_function
>>> print(escape("Σ⁻¹'s eigenvalues, −∇²F"))
$\Sigma^{-1}$'s eigenvalues, $-\nabla^{2}$F
>>> escape("naïve")  # characters without a mapping are spelled out, never dropped silently
'na[LATIN SMALL LETTER I WITH DIAERESIS]ve'
"""

from __future__ import annotations

import re
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


#: Superscript characters, as what they raise; a run of them is one ``^{...}``.
_SUPERSCRIPT = {"²": "2", "³": "3", "⁺": "+", "⁻": "-", "¹": "1", "ᵀ": r"\top "}

#: A one-letter name with a short subscript (``x_T``, ``h_i``), typeset as math; longer names
#: with underscores (``decision_function``) stay text.
_SUBSCRIPTED = re.compile(r"(?<![\w])([A-Za-z])_([A-Za-z0-9]{1,2})(?![\w])")


def _pieces(text: str) -> list[tuple[bool, str]]:
    """``text`` as ``(is_math, LaTeX)`` pieces."""
    out: list[tuple[bool, str]] = []
    at = 0
    while at < len(text):
        match = _SUBSCRIPTED.match(text, at)
        ch = text[at]
        if match:
            out.append((True, f"{match.group(1)}_{{{match.group(2)}}}"))
            at = match.end()
            continue
        if ch in _SUPERSCRIPT:
            end = at
            while end < len(text) and text[end] in _SUPERSCRIPT:
                end += 1
            raised = "".join(_SUPERSCRIPT[c] for c in text[at:end]).strip()
            out.append((True, f"^{{{raised}}}"))
            at = end
            continue
        if ch in _SPECIAL:
            out.append((False, _SPECIAL[ch]) if not _SPECIAL[ch].startswith("$")
                       else (True, _SPECIAL[ch].strip("$")))
        elif ch in _MATH:
            out.append((True, _MATH[ch]))
        elif ch in _TEXT:
            out.append((False, _TEXT[ch]))
        elif ord(ch) < 128:
            out.append((False, ch))
        else:
            out.append((False, f"[{unicodedata.name(ch, hex(ord(ch)))}]"))
        at += 1
    return out


def escape(text: str) -> str:
    """``text`` safe for pdflatex: specials escaped, known Unicode as math (neighbouring math in
    one ``$...$``; a run of superscripts one exponent; ``x_T`` as :math:`x_T`), the rest
    named."""
    out: list[str] = []
    math: list[str] = []
    for is_math, piece in _pieces(text):
        if is_math:
            if math and piece[:1].isalpha() and math[-1][-1:].isalpha():
                math.append(" ")   # \Delta then x: keep the command's name apart
            math.append(piece)
            continue
        if math:
            out.append("$" + "".join(math) + "$")
            math = []
        out.append(piece)
    if math:
        out.append("$" + "".join(math) + "$")
    return "".join(out)


def figure(path: str, caption: str) -> str:
    r"""A figure where it is written (``[H]``: it never floats out of its section), included
    at its printed width (:func:`clitools.printed.include_width`: drawn that wide, never scaled),
    with ``caption`` (LaTeX).

    >>> print(figure("plot.pdf", "A plot."))
    \begin{figure}[H]
    \centering
    \includegraphics[width=6.3in]{plot.pdf}
    \caption{A plot.}
    \end{figure}
    <BLANKLINE>
    """
    from clitools.printed import include_width

    return ("\\begin{figure}[H]\n\\centering\n"
            f"\\includegraphics[width={include_width()}]{{{path}}}\n"
            f"\\caption{{{caption}}}\n\\end{{figure}}\n")
