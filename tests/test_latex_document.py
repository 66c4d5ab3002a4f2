"""The LaTeX document: every displayed step is checked, and the document compiles."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from derivations import latex as doc
from derivations.answers import ANSWER_IDS
from derivations.steps import check


def _derivations():
    return [(p.id, dv) for p in doc.all_parts() for dv in p.derivations]


@pytest.mark.parametrize(
    "part,derivation", _derivations(), ids=[dv.key for _, dv in _derivations()]
)
def test_latex_every_displayed_step_is_checked(part: str, derivation) -> None:
    """Each relation printed in the document holds (same SymPy objects as printed)."""
    results = check(derivation)
    assert len(results) == len(derivation.steps) > 0
    failed = [(r.index, r.rel.name, r.why) for r in results if not r.ok]
    assert not failed, failed
    assert all(f"\\section{{{p.title}}}" in doc.body() for p in doc.all_parts() if p.id == part)


def test_latex_document_boxes_every_answer() -> None:
    """Every answer id is boxed in some part, each exactly once."""
    boxed = [a for p in doc.all_parts() for a, _ in p.answers]
    assert sorted(boxed) == sorted(ANSWER_IDS)
    assert doc.body().count(r"\boxed{") == len(ANSWER_IDS)


def test_latex_uses_the_readers_vector_notation() -> None:
    """w^\\top x, \\|x\\|^2, \\Sigma^{-1}; never SymPy's x^{T} or \\mathbb{I}."""
    body = doc.body()
    for wanted in (r"w^\top x", r"\|x\|^{2}", r"\Sigma^{-1}", r"\rho\left(", r"\nabla_{x}"):
        assert wanted in body, wanted
    for unwanted in ("^{T}", r"\mathbb{I}", "dist2", r"\max\left(0"):
        assert unwanted not in body, unwanted


def test_latex_body_embeds_into_a_preamble() -> None:
    """body() has no preamble; document() = class + preamble() + body()."""
    body, full = doc.body(), doc.document()
    assert r"\documentclass" not in body and r"\begin{document}" not in body
    assert body in full and doc.preamble() in full
    for package in doc.PREAMBLE_PACKAGES:
        assert f"\\usepackage{{{package}}}" in doc.preamble()


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="latexmk is not installed")
def test_latex_document_compiles(tmp_path: Path) -> None:
    """latexmk -pdf builds the standalone article without errors."""
    (tmp_path / "derivations.tex").write_text(doc.document(), encoding="utf-8")
    run = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "derivations.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=240, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "derivations.pdf").stat().st_size > 10_000
