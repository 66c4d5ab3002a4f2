"""``-`` as a file option's value means standard output, as it means standard input for
``check`` and ``grade``: ``numerics --json -``, ``vgg.bench --json -``, ``derivations latex
-o -``, the grading bench's ``--keep -``. Standard output then carries that file alone (the
command's table goes to standard error); no file named ``-`` is made. Binary files
(``--save-relevance``, the digits weights) refuse ``-`` with one line, before any work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from numerics.rows import Row


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in an empty folder, so that a file named ``-`` would be seen."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_numerics_json_dash_is_standard_output(monkeypatch, capsys, in_tmp) -> None:
    from numerics import __main__ as cli
    from numerics import report

    rows = [Row.of("1a stand-in", "x vs x*", [0.0], 1e-6)]
    monkeypatch.setattr(report, "run_all", lambda **kwargs: rows)
    assert cli.main(["--json", "-"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)  # standard output is the JSON alone
    assert document["passed"] is True and document["rows"][0]["check"] == "1a stand-in"
    assert "1/1 checks passed" in err and "wrote" not in err  # the table on stderr
    assert os.listdir(in_tmp) == []


def test_numerics_json_dash_with_plots_keeps_them_in_their_folder(monkeypatch, capsys,
                                                                  in_tmp) -> None:
    from numerics import __main__ as cli
    from numerics import report

    def run_all(seed=0, plots_dir=None, progress=None):
        for path in report.plot_paths(plots_dir).values():
            path.write_bytes(b"\x89PNG")
        return [Row.of("1a stand-in", "x", [0.0], 1e-6)]

    monkeypatch.setattr(report, "run_all", run_all)
    assert cli.main(["--json", "-", "--plots", "plots"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document["plots"]) == set(report.PLOTS)
    assert sorted(os.listdir(in_tmp / "plots")) == sorted([".sheet11-output",
                                                            *report.PLOTS.values()])


def test_numerics_json_inside_the_plots_folder_is_part_of_it(monkeypatch, capsys,
                                                             in_tmp) -> None:
    """``--json plots/rows.json --plots plots``: the JSON is written into the new folder (it
    would otherwise be deleted by the swap) and recorded with the plots."""
    from clitools.record import read_record
    from numerics import __main__ as cli
    from numerics import report

    def run_all(seed=0, plots_dir=None, progress=None):
        for path in report.plot_paths(plots_dir).values():
            path.write_bytes(b"\x89PNG")
        return [Row.of("1a stand-in", "x", [0.0], 1e-6)]

    monkeypatch.setattr(report, "run_all", run_all)
    for _ in range(2):  # the second run replaces the first's folder, the JSON included
        assert cli.main(["--json", "plots/rows.json", "--plots", "plots"]) == 0
    assert json.loads((in_tmp / "plots" / "rows.json").read_text())["passed"] is True
    assert "rows.json" in read_record(in_tmp / "plots").files


def test_vgg_bench_json_dash_is_standard_output(monkeypatch, capsys, in_tmp) -> None:
    from vgg.bench import cli, measure

    figures = {
        "weights": "random weights (untrained network)", "image_size": 32, "dtype": "float32",
        "batch": 1, "device_name": "cpu", "repeats": 1, "memory": "peak RSS",
        "memory_runs": 1, "zennit": "skipped (--no-zennit)",
        "results": {name: {"median_s": 0.1, "min_s": 0.1, "peak_extra_bytes": 2**20,
                           "memory_runs": [2**20]}
                    for name in ("forward", "gradient_x_input", "lrp")},
        "ratios": {"gxi_forwards": 2.0, "lrp_forwards": 3.0, "lrp_memory_over_gxi": 1.0},
    }
    monkeypatch.setattr(measure, "run_bench", lambda *args, **kwargs: figures)
    assert cli.main(["--json", "-", "--device", "cpu"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == figures
    assert "forward (inference)" in err and os.listdir(in_tmp) == []


def test_derivations_latex_to_standard_output(capsys, in_tmp) -> None:
    from derivations.cli import LATEX

    assert LATEX.main(["-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("\\documentclass") and out.rstrip().endswith("\\end{document}")
    assert err == "" and os.listdir(in_tmp) == []
    assert LATEX.main(["-o", "-", "--pdf"]) == 2
    assert "--pdf needs a file name" in capsys.readouterr().err


def test_grading_bench_keep_accepts_dash(in_tmp) -> None:
    from derivations.checker.grading.bench import read

    assert str(read(["--keep", "-"]).keep) == "-"


@pytest.mark.parametrize(("module", "argv", "option"), [
    ("vgg.cli", ["--weights", "random", "--save-relevance", "-"], "--save-relevance"),
    ("vgg.digits.cli", ["train", "--out", "-"], "--out"),
])
def test_binary_files_refuse_standard_output(module, argv, option, capsys, in_tmp) -> None:
    import importlib

    assert importlib.import_module(module).COMMAND.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{option} -: this file is binary" in err
    assert os.listdir(in_tmp) == []
