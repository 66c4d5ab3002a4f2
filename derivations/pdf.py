"""A LaTeX file built into a PDF with latexmk (pdflatex, non-interactive): the one build the
derivations' ``latex --pdf`` and the report's PDF stage share. Standard library only."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: How to get the LaTeX tools (Debian, Ubuntu).
LATEX_INSTALL = "apt-get install -y latexmk texlive-latex-base texlive-latex-recommended"


def have_latexmk() -> bool:
    """Whether ``latexmk`` is on the ``PATH``."""
    return shutil.which("latexmk") is not None


def latexmk(tex: Path) -> tuple[Path, str]:
    """Build ``tex`` into the PDF beside it (``tex`` with ``.pdf``), the auxiliary files in a
    temporary folder; ``(pdf, the final run's log)``. A failed build is a ``RuntimeError``
    naming LaTeX's first errors (the lines starting with ``!``), and leaves no PDF."""
    with tempfile.TemporaryDirectory() as aux:
        proc = subprocess.run(
            ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
             f"-auxdir={aux}", f"-outdir={aux}", tex.name],
            cwd=tex.parent, capture_output=True, text=True, timeout=600,
            stdin=subprocess.DEVNULL,
        )
        built = Path(aux) / tex.with_suffix(".pdf").name
        log_file = Path(aux) / tex.with_suffix(".log").name
        log = log_file.read_text(errors="replace") if log_file.exists() else ""
        if proc.returncode != 0 or not built.exists():
            errors = [line for line in (log or proc.stdout).splitlines()
                      if line.startswith("!")][:3]
            raise RuntimeError("latexmk failed: " + ("; ".join(errors) or proc.stderr[-500:]))
        pdf = tex.with_suffix(".pdf")
        shutil.move(str(built), pdf)
    return pdf, log
