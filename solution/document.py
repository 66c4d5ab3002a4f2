r"""The report as one LaTeX article: derivations, numerical evidence, VGG-16, reproducibility.

Everything shown comes from the three packages' own objects: the derivation sections are
:func:`derivations.latex.body` (the step objects the tests check), the table is the rows of
:func:`numerics.report.run_all`, the VGG-16 section the result of
:func:`vgg.pipeline.explain_image`. This module only lays them out.

>>> print(numerics_table([Row.of("2a demo", "y vs min(a1, a2)", [1e-16], 1e-12)]))
\begin{longtable}{@{}rp{0.52\textwidth}rrc@{}}
...
1 & 2a demo & $1.0\times10^{-16}$ & $1.0\times10^{-12}$ & pass \\
...
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from numerics.rows import Row
from solution.observations import ObservationsSection
from solution.observations import observations_section as observations
from solution.tex import escape

#: Section titles, in order; the tests look for each of them in the PDF.
SECTIONS: tuple[str, ...] = (
    "Exercises 1--3: derivations",
    "Numerical evidence",
    "Exercise 4: explaining VGG-16",
    "Do the sheet's observations hold?",
    "Reproducibility",
    "Appendix: what each numerical check compares",
)

#: The page: the class with its font size and paper, the margins (the evaluation's table is
#: measured against the text width they leave, tests/test_ex4_extension_points.py).
DOCUMENT_CLASS = r"\documentclass[11pt]{article}"
GEOMETRY = r"\usepackage[margin=2.2cm]{geometry}"

HOW_TO_GET_WEIGHTS = (
    r"To explain with the real network, make torchvision's ImageNet weights available once:"
    r" on a machine with internet access run \texttt{make report} (torchvision downloads"
    r" \texttt{VGG16\_Weights.IMAGENET1K\_V1} into the torch hub cache,"
    r" \texttt{\$TORCH\_HOME/hub/checkpoints/vgg16-397923af.pth}), or copy that file into the"
    r" cache, or pass a local state\_dict: \texttt{make report WEIGHTS=/path/to/vgg16.pth}."
)


@dataclass(frozen=True)
class VggSection:
    """What the VGG-16 section shows."""

    figure: str                      # file name of the side-by-side figure, beside the .tex
    heatmaps: Mapping[str, str]      # method title -> file name
    class_label: str                 # e.g. "castle (483)"
    weights_label: str
    trained: bool
    image: str
    image_size: tuple[int, int]
    device: str
    top5: Sequence[tuple[int, str, float]]
    timings: Mapping[str, float]      # seconds by step of the VGG stage (forward, lrp, ...)
    fallback_reason: str | None = None   # why ImageNet weights were not used, if they weren't


@dataclass(frozen=True)
class ReportData:
    """Everything the document shows."""

    derivations_body: str
    derivations_preamble: str
    steps_checked: int
    rows: Sequence[Row]
    plots: Mapping[str, str]          # caption -> file name
    vgg: VggSection
    versions: Mapping[str, str]
    timings: Sequence[tuple[str, float]]
    settings: Mapping[str, str] = field(default_factory=dict)
    observations: ObservationsSection | None = None


def _sci(value: float) -> str:
    """A number for the table, in math mode: ``1.0e-16`` as ``1.0×10^{-16}``."""
    if not math.isfinite(value):
        return escape(str(value))
    if value == 0:
        return "$0$"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"${mantissa}\\times10^{{{int(exponent)}}}$"


def numerics_table(rows: Sequence[Row]) -> str:
    """The rows of the numerical checks as a ``longtable``, one line a check (number, check,
    largest error, tolerance, verdict); what each compares is in :func:`numerics_details`."""
    lines = [
        r"\begin{longtable}{@{}rp{0.52\textwidth}rrc@{}}",
        r"\toprule & check & max error & tolerance & \\ \midrule \endhead",
        r"\bottomrule \endfoot",
    ]
    for n, r in enumerate(rows, 1):
        verdict = "pass" if r.passed else r"\textbf{FAIL}"
        lines.append(f"{n} & {escape(r.check)} & {_sci(r.max_error)} & "
                     f"{_sci(r.tolerance)} & {verdict} \\\\")
    lines.append(r"\end{longtable}")
    return "\n".join(lines)


def numerics_details(rows: Sequence[Row]) -> str:
    """What each numerical check compares, by its number in the table, in a smaller font."""
    lines = [
        r"{\small",
        r"\begin{longtable}{@{}rp{0.25\textwidth}p{0.62\textwidth}@{}}",
        r"\toprule & check & what is compared \\ \midrule \endhead",
        r"\bottomrule \endfoot",
    ]
    lines += [f"{n} & {escape(r.check)} & {escape(r.compared)} \\\\"
              for n, r in enumerate(rows, 1)]
    lines.append(r"\end{longtable}}")
    return "\n".join(lines)


def _figure(path: str, caption: str, width: str = r"\textwidth") -> str:
    """A floating figure at most ``width`` wide and 70 % of the page high (a tall grid of
    images shrinks to fit instead of running off the page)."""
    return ("\\begin{figure}[htbp]\n\\centering\n"
            f"\\includegraphics[width={width},height=0.7\\textheight,keepaspectratio]"
            f"{{{path}}}\n"
            f"\\caption{{{caption}}}\n\\end{{figure}}\n")


def derivations_section(data: ReportData) -> str:
    """The derivations of Exercises 1–3, their sections demoted to subsections."""
    body = re.sub(r"\\section\{", r"\\subsection{", data.derivations_body)
    return (f"\\section{{{SECTIONS[0]}}}\n"
            f"The {data.steps_checked} displayed relations below were checked again by SymPy"
            " while this report was built.\n\n" + body)


def numerics_section(data: ReportData) -> str:
    """The table of numerical checks and the numerics' plots."""
    passed = sum(r.passed for r in data.rows)
    out = [
        f"\\section{{{SECTIONS[1]}}}\n",
        "Each closed form above is compared with an independent numerical method (gradient"
        " ascent with PyTorch autograd and SciPy for Exercise~1, PyTorch-built networks with"
        " LRP by modified gradients and an explicit NumPy implementation for Exercise~2,"
        " scikit-learn's \\texttt{OneClassSVM} neuralized in PyTorch for Exercise~3)."
        f" \\textbf{{{passed} of {len(data.rows)} checks passed.}} What each check compares is"
        " listed in the appendix, by number.\n",
        numerics_table(data.rows),
    ]
    for caption, path in data.plots.items():
        out.append(_figure(path, escape(caption), r"0.8\textwidth"))
    return "\n".join(out)


def vgg_section(data: ReportData) -> str:
    """The VGG-16 explanation: figure, class, weights, top-5, and a note on the weights."""
    v = data.vgg
    w, h = v.image_size
    out = [f"\\section{{{SECTIONS[2]}}}\n"]
    if not v.trained or v.fallback_reason:
        why = (v.fallback_reason or "").split(" Choose ")[0].rstrip(".")
        why = why[:1].lower() + why[1:]
        reason = f" ImageNet weights were asked for, but {escape(why)}." if why else ""
        out.append(
            "\\fbox{\\parbox{0.95\\textwidth}{\\textbf{Untrained network.} The figures below"
            f" use {escape(v.weights_label)}, so they show how the methods behave, not what an"
            f" ImageNet classifier sees.{reason}\\\\[0.5ex] {HOW_TO_GET_WEIGHTS}}}}}\n")
    out.append(
        f"Image \\texttt{{{escape(Path(v.image).name)}}} ({w}$\\times${h} px), VGG-16 with"
        f" {escape(v.weights_label)}, on {escape(v.device)}. Explained class:"
        f" \\textbf{{{escape(v.class_label)}}}. Gradient$\\times$Input is"
        " $R_i = x_i\\,[\\nabla f(x)]_i$; LRP uses the $z^{\\mathcal{B}}$ rule in the first"
        " convolution and LRP-$\\gamma$ in the others ($\\gamma$ from 1 down to $10^{-2}$"
        " with depth), computed as Gradient$\\times$Input of the network whose layers output"
        " $p\\cdot[z/p]_{\\mathrm{cst}}$. Heatmaps: sum over colour channels, red positive,"
        " blue negative, symmetric colour scale.\n")
    steps = ", ".join(f"{escape(k.replace('_', ' '))} {t:.2f}" for k, t in v.timings.items())
    out.append(f"Seconds per step on {escape(v.device)}: {steps}.\n")
    out.append(_figure(v.figure, f"{escape(v.class_label)}: the image, Gradient$\\times$Input"
                       f" and LRP ({escape(v.weights_label)})."))
    out.append("\\begin{center}\\begin{tabular}{@{}rlr@{}}\\toprule"
               " class & name & probability \\\\ \\midrule")
    for index, name, p in v.top5:
        out.append(f"{index} & {escape(name)} & {p:.4f} \\\\")
    out.append("\\bottomrule\\end{tabular}\\end{center}\n")
    for title, path in v.heatmaps.items():
        out.append(_figure(path, f"{escape(title)} for {escape(v.class_label)}"
                           f" ({escape(v.weights_label)}).", r"0.6\textwidth"))
    return "\n".join(out)




def observations_section(data: ReportData) -> str:
    """The sheet's observations measured on the trained networks
    (:func:`solution.observations.observations_section`)."""
    return observations(data.observations, SECTIONS[3])


def reproducibility_section(data: ReportData) -> str:
    """Versions, settings and the time each stage took."""
    out = [f"\\section{{{SECTIONS[4]}}}\n",
           "\\begin{center}\\begin{tabular}{@{}ll@{}}\\toprule what & version \\\\ \\midrule"]
    out += [f"{escape(k)} & \\texttt{{{escape(v)}}} \\\\" for k, v in data.versions.items()]
    out.append("\\bottomrule\\end{tabular}\\quad")
    out.append("\\begin{tabular}{@{}lr@{}}\\toprule stage & seconds \\\\ \\midrule")
    out += [f"{escape(name)} & {seconds:.1f} \\\\" for name, seconds in data.timings]
    out.append("\\bottomrule\\end{tabular}\\end{center}\n")
    if data.settings:  # one \texttt per setting, so that the line may break between them
        settings = ", ".join(f"\\texttt{{{escape(f'{k}={v}')}}}" for k, v in data.settings.items())
        out.append(f"{{\\raggedright\\small Settings: {settings}.\\par}}\n")
    return "\n".join(out)


def appendix_section(data: ReportData) -> str:
    """The appendix: what each numerical check compares."""
    return f"\\section{{{SECTIONS[5]}}}\n" + numerics_details(data.rows)


def document(data: ReportData) -> str:
    """The whole article."""
    return "\n".join([
        DOCUMENT_CLASS,
        r"\usepackage[T1]{fontenc}",
        GEOMETRY,
        r"\usepackage{graphicx,longtable,booktabs}",
        data.derivations_preamble.rstrip(),
        r"\usepackage[hidelinks]{hyperref}",
        r"\title{Explaining neural networks, exercise sheet 11:\\ the verified solution}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        "This document is generated by \\texttt{make report}. The problem statement is"
        " \\texttt{docs/sheet11.md} in the project. Every answer of Exercises 1--3"
        " is derived by SymPy, each displayed step checked; every closed form is compared"
        " numerically with an independent method; Exercise 4 runs Gradient$\\times$Input and"
        " LRP on VGG-16. The test suite (\\texttt{make test}) proves the same claims.",
        r"\tableofcontents",
        derivations_section(data),
        numerics_section(data),
        vgg_section(data),
        observations_section(data),
        reproducibility_section(data),
        appendix_section(data),
        r"\end{document}",
        "",
    ])
