"""`make report` end to end: the whole solution, built with random weights on a small image.

The VGG-16 here has random (seeded) weights — no ImageNet weights can be downloaded in the
test environment — and the report must say so. The PDF is built with latexmk when it is
installed (it is in CI, by .ci/run); without latexmk only the .tex is checked.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from clitools import MARKER
from solution import build as build_module
from solution.__main__ import main
from solution.build import Options, build
from solution.document import SECTIONS
from solution.stages import StageError

HAVE_LATEXMK = shutil.which("latexmk") is not None
FIGURES = ("comparison.png", "gradient_x_input.png", "lrp.png",
           "ex1_gradient_ascent_convergence.png", "ex3_soft_min_pooling.png",
           "pixel_flipping.png", "heatmaps.png", "randomization.png")
#: The figures the PDF shows, drawn at their printed size as PDF (the single-method heatmaps
#: are panels of ``comparison``: written for the reader, not shown twice).
SHOWN_FIGURES = ("comparison.pdf", "ex1_gradient_ascent_convergence.pdf",
                 "ex3_soft_min_pooling.pdf", "pixel_flipping.pdf", "heatmaps.pdf",
                 "randomization.pdf")


@pytest.fixture(scope="module")
def report(built_report):
    """The report built once per test process (``built_report`` in conftest.py)."""
    return built_report


def test_6_report_writes_tex_and_every_figure(report) -> None:
    assert report.tex.exists()
    for name in FIGURES:
        data = (report.folder / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
    for name in SHOWN_FIGURES:
        assert (report.folder / name).read_bytes()[:5] == b"%PDF-", name
        assert f"{{{name}}}" in report.tex.read_text(), f"{name} not included in the .tex"
    assert not [p for p in report.folder.parent.iterdir() if p.name.startswith(".report")]
    assert re.search(r"Seconds per step on cpu: .*gradient x input \d+\.\d\d, lrp \d+\.\d\d",
                     report.tex.read_text())


def test_6_report_every_numerics_row_passed(report) -> None:
    tex = report.tex.read_text()
    assert report.rows_total >= 30 and report.rows_passed == report.rows_total
    verdict = re.compile(r"& (pass|\\textbf\{FAIL\}) \\\\$")
    table_rows = [line for line in tex.splitlines() if verdict.search(line)]
    assert len(table_rows) == report.rows_total
    assert all(line.endswith("& pass \\\\") for line in table_rows)


def test_6_report_measures_the_sheets_observations_on_the_trained_network(report) -> None:
    """The section uses the TRAINED digits networks shipped with the project (one per training
    seed, not random weights), states their conservation share beside the previous network's,
    and prints each claim of ``vgg.evaluation.claims`` with the verdict ``judge_all`` gives on
    the very tables it shows; the three figures are included at their printed width."""
    from vgg.digits import SEEDS
    from vgg.evaluation.claims import CLAIMS

    tex = report.tex.read_text()
    section = tex[tex.index("Do the sheet's observations hold?"):tex.index("Reproducibility")]
    assert "held-out digits" in section and "Conservation." in section
    assert all(f"seed {s} & " in section for s in SEEDS) and "previous & 98.3" in section
    obs = report.observations
    assert obs is not None and list(obs.tables) == list(SEEDS)
    assert [j.claim for j in obs.judged] == list(CLAIMS)
    for j in obs.judged:
        assert f": \\textbf{{{j.verdict}}}." in section, j.claim.key
    assert section.count("\\textbf{") == len(CLAIMS)
    assert "depends on the perturbation" in section  # the verdict rule is stated
    from clitools.printed import include_width

    for name in ("pixel_flipping.pdf", "heatmaps.pdf", "randomization.pdf"):
        assert f"\\includegraphics[width={include_width()}]{{{name}}}" in section


def test_6_report_evaluations_are_cached_by_the_networks_hash(tmp_path: Path,
                                                              report) -> None:
    """``evaluate_digits`` stores each network's evaluation under its file hash and settings:
    a second call reads it back (no evaluation), the same table."""
    from solution.build import evaluate_digits

    first, cached = evaluate_digits(1, 5, ("classifier.6",), tmp_path)
    assert not cached and len(list(tmp_path.iterdir())) == 1
    again, cached = evaluate_digits(1, 5, ("classifier.6",), tmp_path)
    assert cached and again.as_dict() == first.as_dict()


def test_6_report_names_untrained_weights(report) -> None:
    tex = report.tex.read_text()
    assert "Untrained network" in tex and "random weights (untrained network)" in tex
    assert report.weights_label == "random weights (untrained network)"


@pytest.mark.skipif(not HAVE_LATEXMK, reason="latexmk not installed (CI installs it)")
def test_6_report_pdf_has_every_section_and_figure(report) -> None:
    from pypdf import PdfReader

    assert report.pdf is not None and report.pdf.exists()
    reader = PdfReader(str(report.pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]

    def key(title: str) -> str:
        return re.sub(r"[^a-z0-9]", "", title.lower())

    assert [key(t) for t in outline] == [key(t) for t in SECTIONS]
    assert f"{report.rows_passed} of {report.rows_total} checks passed" in flat
    figures = len(re.findall(r"Figure ?\d+:", flat))
    assert figures == len(SHOWN_FIGURES), f"{figures} figure captions in the PDF"
    assert len(reader.pages) >= 5
    # no text runs into the margin: LaTeX reports no overfull box over 10 pt
    assert report.overfull == (), report.overfull


def test_6_failing_stage_names_itself_and_keeps_the_old_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "solution.tex").write_text("the good old report")
    (out / MARKER).write_text(f"{build_module.OWNER}\nsolution.tex\n")  # an earlier report's

    def broken(*args, **kwargs):
        raise RuntimeError("numbers went wrong")

    monkeypatch.setattr(build_module, "numerics_stage", broken)
    with pytest.raises(StageError, match="stage 'numerics.*numbers went wrong"):
        build(Options(out=out, weights="random", device="cpu"), echo=lambda line: None)
    assert (out / "solution.tex").read_text() == "the good old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_6_cli_failing_stage_exits_1_with_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(build_module, "derivations_stage",
                        lambda: (_ for _ in ()).throw(RuntimeError("step 3 not verified")))
    assert main(["--out", str(tmp_path / "r"), "--weights", "random"]) == 1
    err = capsys.readouterr().err
    assert "stage 'derivations" in err and "step 3 not verified" in err
    assert "Traceback" not in err and not (tmp_path / "r").exists()


@pytest.mark.parametrize("argv, message", [
    (["--seed", "-1"], "--seed"),
    (["--device", "tpu"], "--device"),
    (["--bogus"], "unrecognized"),
])
def test_6_cli_bad_options_exit_2(argv: list[str], message: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture) -> None:
    assert main(["--out", str(tmp_path / "r"), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and not (tmp_path / "r").exists()


def test_6_cli_bad_image_exits_2_without_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    # Skip the two slow stages; the VGG stage must reject the corrupt image.
    monkeypatch.setattr(build_module, "derivations_stage", lambda: ("", "", 0))
    monkeypatch.setattr(build_module, "numerics_stage", lambda seed, folder, echo: ([], {}))
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8 not really a jpeg")
    assert main(["--out", str(tmp_path / "r"), "--weights", "random", "--image", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "broken.jpg" in err and "Traceback" not in err and not (tmp_path / "r").exists()
