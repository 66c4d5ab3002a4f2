"""The LaTeX document: every displayed step is checked, and the document compiles."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from derivations import latex as doc
from derivations.answers import ANSWER_IDS, answers
from derivations.regions import trichotomy
from derivations.steps import check, equal
from derivations.symbols import a1, a2


def _derivations():
    return [(p.id, dv) for p in doc.all_parts() for dv in p.derivations]


@pytest.mark.parametrize(
    "part,derivation", _derivations(), ids=[dv.key for _, dv in _derivations()]
)
def test_latex_every_displayed_step_is_checked(part: str, derivation) -> None:
    """Each relation printed in the document holds (same SymPy objects as printed): the
    chain is checked, and its rows are the ones in its part's section of the document."""
    results = check(derivation)
    assert len(results) == len(derivation.steps) > 0
    failed = [(r.index, r.rel.name, r.why) for r in results if not r.ok]
    assert not failed, failed
    assert all(f"\\section{{{doc.section_title(p.title)}}}" in doc.body()
               for p in doc.all_parts() if p.id == part)
    (section,) = [doc.part_tex(p) for p in doc.all_parts() if p.id == part]
    assert section in doc.body()
    for line in doc.derivation_lines(derivation):
        assert line in section, line


def test_latex_document_boxes_every_answer() -> None:
    """Every answer id is boxed in some part, each exactly once."""
    boxed = [a for p in doc.all_parts() for a, _ in p.answers]
    assert sorted(boxed) == sorted(ANSWER_IDS)
    assert doc.body().count(r"\boxed{") == len(ANSWER_IDS)


def _final(key: str) -> sp.Basic:
    (dv,) = [dv for p in doc.all_parts() for dv in p.derivations if dv.key == key]
    return dv.final


def test_latex_boxed_answers_are_the_chains_conclusions() -> None:
    """The boxed answers (read from derivations.answers) are what the printed, checked chains
    conclude: Ex 1's stationary points, Ex 2's outputs and relevances on each region."""
    a = answers()
    for part, answer_id in (("1a", "1a"), ("1b", "1b"), ("1c", "1c.z")):
        assert equal(_final(f"{part}.stationary").rhs, a[answer_id]), answer_id
    assert equal(_final("1c.prototype"), a["1c.x"])
    s = sp.Symbol("s", positive=True)
    at_tie = {a1: s, a2: s}
    lt, _, gt = trichotomy(a1, a2, positive=True)
    for n in ("i", "ii"):
        assert equal(_final(f"2a.{n}"), a[f"2a.{n}"])
        for answer_id, unit in ((f"2b.{n}", "R_1"), (f"2b.{n}.R2", "R_2")):
            assert equal(_final(f"2b.{n}.eq.{unit}").subs(at_tie), a[answer_id].subs(at_tie))
        general = a[f"2b.{n}.general"]
        assert equal(_final(f"2b.{n}.eq.R_1").subs(at_tie), general.subs(at_tie))
        for region, tag in ((lt, "lt"), (gt, "gt")):
            chain = _final(f"2b.{n}.{tag}.R_1")
            assert equal(region.substitute(chain), region.substitute(general)), (n, tag)


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
