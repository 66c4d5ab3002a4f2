"""The report reads like a paper: measured from the built PDF, its LaTeX log and its figure files.

Every figure is drawn at the width it is printed at and included at that width (its file's
own width), every text in it is at least :data:`clitools.printed.SMALLEST` pt as printed (each
character's size read from the PDF: the figures are included as PDF, their text stays text),
each figure lies on a page of its own section, no page but the last is nearly empty, the paper
is A4, the PDF carries its metadata, LaTeX warns of nothing hyperref-related and of no box over
1 pt, and no SymPy repr or doubled parenthesis reaches the text.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from clitools.printed import SMALLEST, WIDTH, include_width
from solution.build import overfull
from solution.document import PDF_INFO, SECTIONS

needs_latex = pytest.mark.skipif(shutil.which("latexmk") is None,
                                 reason="latexmk not installed (CI installs it)")

#: 1 pt = 1/72.27 in (TeX); PDF units are 1/72 in.
PDF_PER_IN = 72.0
#: The fonts matplotlib embeds in a figure (its default family); the text around the figures
#: is set by LaTeX in Computer Modern / Latin Modern fonts.
FIGURE_FONT = "DejaVu"


@pytest.fixture(scope="module")
def report(built_report) -> Any:
    if built_report.pdf is None:
        pytest.fail("latexmk is installed but the report has no PDF")
    return built_report


@pytest.fixture(scope="module")
def pages(report) -> list[dict[str, Any]]:
    """Per page: its text, its size, the figure characters with their printed sizes, and the
    part of its text area that holds anything (characters, rules, curves, images)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = []
    with pdfplumber.open(str(report.pdf)) as pdf:
        for page in pdf.pages:
            figure_chars = [(c["text"], printed_size(c)) for c in page.chars
                            if FIGURE_FONT in c["fontname"]]
            out.append({"text": page.extract_text() or "", "size": (page.width, page.height),
                        "figure_chars": figure_chars, "filled": filled(page)})
    return out


def printed_size(char: dict[str, Any]) -> float:
    """A character's font size as printed (pt), at any rotation: its glyph box in text space
    is ``adv × size``; the PDF gives that box through the matrix ``[a b c d]``, axis-aligned."""
    a, b, c, d = char["matrix"][:4]
    if abs(d) >= abs(c):
        size = (char["height"] - abs(char["adv"] * b)) / abs(d)
    else:
        size = (char["width"] - abs(char["adv"] * a)) / abs(c)
    return size * math.hypot(c, d)


def filled(page: Any) -> float:
    """The share of the page's text area (inside 2 cm margins) covered, row by row, by any
    object drawn on it."""
    margin = 2 / 2.54 * PDF_PER_IN
    top, bottom = margin, page.height - margin
    spans = sorted((max(o["top"], top), min(o["bottom"], bottom))
                   for kind in ("chars", "rects", "curves", "lines", "images")
                   for o in getattr(page, kind) if o["bottom"] > top and o["top"] < bottom)
    covered, current = 0.0, None
    for start, end in spans:
        if current is None or start > current[1]:
            covered += 0.0 if current is None else current[1] - current[0]
            current = [start, end]
        else:
            current[1] = max(current[1], end)
    covered += 0.0 if current is None else current[1] - current[0]
    return covered / (bottom - top)


def included(report) -> list[tuple[str, str, str]]:
    """``(section title, include width, file)`` of every ``\\includegraphics`` of the .tex."""
    tex = report.tex.read_text()
    out, section = [], ""
    for m in re.finditer(r"\\section\{(.*?)\}\n|\\includegraphics\[width=([^\]]*)\]\{([^}]*)\}",
                         tex):
        if m.group(1) is not None:
            section = m.group(1)
        else:
            out.append((section, m.group(2), m.group(3)))
    return out


@needs_latex
def test_24_figures_are_included_at_their_drawn_width(report) -> None:
    """Each figure file is a PDF exactly :data:`clitools.printed.WIDTH` wide (its MediaBox), and the
    .tex includes it at that width: nothing is scaled down."""
    from pypdf import PdfReader

    figures = included(report)
    assert len(figures) >= 6
    for _, width, name in figures:
        assert width == include_width(), name
        box = PdfReader(str(report.folder / name)).pages[0].mediabox
        assert float(box.width) == pytest.approx(WIDTH * PDF_PER_IN, abs=0.5), name
    names = [name for _, _, name in figures]
    assert len(set(names)) == len(names), "a figure included twice"


@needs_latex
def test_24_no_heatmap_is_shown_twice(report) -> None:
    """The single-method heatmaps of VGG-16 are panels of the comparison figure: the PDF shows
    the comparison only."""
    from vgg.methods import SHOWN
    from vgg.pipeline import FILES

    names = {Path(name).stem for _, _, name in included(report)}
    assert "comparison" in names
    assert not names & {Path(FILES[m]).stem for m in SHOWN}


@needs_latex
def test_24_every_text_in_a_figure_is_at_least_7_pt_as_printed(report, pages) -> None:
    sizes = [(i, text, size) for i, p in enumerate(pages, 1) for text, size in p["figure_chars"]]
    with_text = {i for i, _, _ in sizes}
    assert len(with_text) >= 3, "no figure text found in the PDF"
    small = [(page, text, round(size, 2)) for page, text, size in sizes
             if size < SMALLEST - 0.01]
    assert not small, f"figure text under {SMALLEST} pt: {small[:10]}"
    # every page with a figure caption has figure text: each figure's text was measured
    for i, p in enumerate(pages, 1):
        if re.search(r"Figure\s*\d+:", p["text"]):
            assert i in with_text, f"page {i}: a figure without measurable text"


@needs_latex
def test_24_each_figure_is_on_a_page_of_its_section(report, pages) -> None:
    """The sections' first pages from the PDF's outline; each figure's caption lies between
    its section's first page and the next section's."""
    from pypdf import PdfReader

    reader = PdfReader(str(report.pdf))
    starts = [reader.get_destination_page_number(item) + 1 for item in reader.outline
              if not isinstance(item, list)]
    assert len(starts) == len(SECTIONS)
    ends = [*starts[1:], len(pages)]
    caption_page = {}
    for i, p in enumerate(pages, 1):
        for n in re.findall(r"Figure\s*(\d+):", p["text"]):
            caption_page[int(n)] = i
    figures = included(report)
    assert sorted(caption_page) == list(range(1, len(figures) + 1))
    for n, (section, _, name) in enumerate(figures, 1):
        k = SECTIONS.index(section) if section in SECTIONS else -1
        assert k >= 0, f"{name} in a section not in SECTIONS: {section}"
        assert starts[k] <= caption_page[n] <= ends[k], (
            f"Figure {n} ({name}) on page {caption_page[n]}, its section '{section}' spans "
            f"pages {starts[k]}-{ends[k]}")


@needs_latex
def test_24_no_page_is_nearly_empty(pages) -> None:
    """Every page but the last has at least 40 % of its text area's height filled (a figure
    alone on a page with its caption fills about a third)."""
    sparse = [(i, round(p["filled"], 2)) for i, p in enumerate(pages[:-1], 1)
              if p["filled"] < 0.4]
    assert not sparse, f"nearly empty pages (page, share filled): {sparse}"


@needs_latex
def test_24_paper_is_a4_with_metadata(report, pages) -> None:
    from pypdf import PdfReader

    a4 = (210 / 25.4 * PDF_PER_IN, 297 / 25.4 * PDF_PER_IN)
    for i, p in enumerate(pages, 1):
        assert p["size"] == pytest.approx(a4, abs=0.5), f"page {i}: {p['size']}"
    info = PdfReader(str(report.pdf)).metadata
    assert info.title == PDF_INFO["pdftitle"] and info.title
    assert info.author == PDF_INFO["pdfauthor"] and info.author
    assert info.subject == PDF_INFO["pdfsubject"] and info.subject


@needs_latex
def test_24_latex_log_has_no_hyperref_warning_and_no_box_over_1pt(report) -> None:
    log = report.latex_log
    assert "Output written on" in log
    warnings = re.findall(r"^(?:Package \w+ Warning|LaTeX Warning):.*$", log, re.M)
    assert not warnings, warnings[:5]
    assert not re.search(r"Token not allowed|Package hyperref Warning", log)
    assert overfull(log, limit=1.0) == []


#: What SymPy reprs, plain-text math and doubled parentheses look like in the .tex and in the
#: PDF's text (typeset math reads ``min h``, never ``min_i``).
NOT_IN_TEX = (r"min\_i", "Eq(", r") \& (", r"x\_T", "$^-$$^1$", "(random weights (")
NOT_IN_PDF = ("min_i", "Eq(", ") & (", "x_T", "^-^1", "(random weights (")


@needs_latex
def test_24_no_repr_or_doubled_parenthesis_in_the_text(report, pages) -> None:
    tex = report.tex.read_text()
    text = "\n".join(p["text"] for p in pages)
    for bad in NOT_IN_TEX:
        assert bad not in tex, f"{bad!r} in solution.tex"
    for bad in NOT_IN_PDF:
        assert bad not in text, f"{bad!r} in the PDF"
    assert not re.search(r"\b(\d+) \(\1\)", text), "a class shown as 'N (N)'"


@needs_latex
def test_24_heatmaps_figure_has_one_digit_per_class_with_predictions(report, pages) -> None:
    """Fig. 'heatmaps': a digit of each class 0–9, each heatmap titled with its predicted class,
    a colour bar per method (its label, the method's)."""
    from vgg.methods import METHODS, SHOWN

    page = next(p["text"] for p in pages if "held-out digit of each class" in p["text"])
    for digit in range(10):
        assert page.count(f"digit {digit}") == 1, digit
    assert page.count("pred.") == 10 * len(SHOWN)
    flat = re.sub(r"\s+", "", page)
    for m in SHOWN:
        assert re.sub(r"\s+", "", METHODS[m].label) in flat, m


def test_24_derivations_show_no_step_that_changes_nothing() -> None:
    """No displayed line of a derivation prints as the line before it."""
    from derivations.latex import all_parts
    from derivations.printing import latex

    repeated = []
    for part in all_parts():
        for dv in part.derivations:
            previous = latex(dv.start)
            for n, step in enumerate(dv.steps, 1):
                if latex(step.expr) == previous:
                    repeated.append(f"{dv.key} step {n} ({step.why})")
                previous = latex(step.expr)
    assert not repeated, repeated
