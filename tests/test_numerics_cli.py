"""``python -m numerics``: the table, JSON, plots, exit codes and determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED

from clitools import MARKER
from numerics import __main__ as cli
from numerics import report
from numerics.rows import Row

PNG = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.seeded


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("numerics")
    json_path, plots = out / "rows.json", out / "plots"
    proc = subprocess.run(
        [sys.executable, "-m", "numerics", "--json", str(json_path), "--plots", str(plots),
         "--seed", str(SEED)],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[1],
    )
    return proc, json_path, plots


def test_cli_full_run_passes_and_writes_json_and_plots(full_run):
    proc, json_path, plots = full_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    document = json.loads(json_path.read_text(encoding="utf-8"))
    assert document["seed"] == SEED and document["passed"] is True
    rows = document["rows"]
    assert len(rows) >= 30 and all(r["passed"] for r in rows)
    assert {"check", "compared", "max_error", "tolerance", "passed"} <= set(rows[0])
    # every exercise part appears in the table printed on stdout
    for part in ("1a", "1b", "1c", "2a", "2b", "3a", "3b"):
        assert any(r["check"].startswith(part) for r in rows), part
        assert f"\n{part}" in proc.stdout
    assert f"{len(rows)}/{len(rows)} checks passed" in proc.stdout
    assert "1b ill-conditioned gradient ascent: iterations " in proc.stdout
    for path in report.plot_paths(plots).values():
        assert path.read_bytes()[:8] == PNG
        assert path.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"  # the same, for print
    pdfs = [Path(name).with_suffix(".pdf").name for name in report.PLOTS.values()]
    assert sorted(p.name for p in plots.iterdir()) == sorted([MARKER, *report.PLOTS.values(),
                                                              *pdfs])
    assert [p.name for p in json_path.parent.iterdir() if p.name.startswith(".")] == []


def test_cli_progress_is_plain_lines_when_not_a_terminal(full_run):
    """Plain lines (clitools.Progress; at most one every 10 s, so their number depends on the
    machine's speed): the first names the total, the last says all are done."""
    proc, _, _ = full_run
    total = len(report.CHECKS)
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("python -m numerics: ")
             and "exercises" in ln]
    assert lines[0].startswith(f"python -m numerics: 0/{total} exercises (0%)")
    assert lines[-1].startswith(f"python -m numerics: {total}/{total} exercises (100%)")
    assert "\r" not in proc.stderr and "Traceback" not in proc.stderr


def _without_plots(rows):
    return [{**r, "details": {k: v for k, v in r["details"].items() if k != "plot"}}
            for r in rows]


def test_cli_is_deterministic_for_a_seed(full_run):
    import torch

    _, json_path, _ = full_run
    before = torch.get_num_threads()
    torch.set_num_threads(1 if before > 1 else 2)  # another thread count than the first run's
    try:
        again = report.to_json(report.run_all(seed=SEED), SEED)["rows"]
    finally:
        torch.set_num_threads(before)
    first = json.loads(json_path.read_text(encoding="utf-8"))["rows"]
    assert _without_plots(again) == _without_plots(first)   # bit for bit, every number


@pytest.mark.parametrize("argv, message", [
    (["--seed", "-3"], "seed must be an integer ≥ 0"),
    (["--seed", "abc"], "seed must be an integer ≥ 0"),
    (["--bogus"], "unrecognized arguments"),
])
def test_cli_usage_errors_exit_2_with_one_line(argv, message, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_help_exits_0(capsys):
    assert cli.main(["--help"]) == 0 and "--seed" in capsys.readouterr().out


def test_cli_unwritable_json_path_exits_2_before_any_work(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(report, "run_all", lambda **kw: pytest.fail("ran despite bad path"))
    assert cli.main(["--json", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for option in ("--json", "--plots"):  # the two are treated alike
        assert cli.main([option, str(blocker / "sub" / "x")]) == 2
        assert "is a file, not a folder" in capsys.readouterr().err
    assert cli.main(["--plots", "/proc/x"]) == 2
    assert "--plots /proc/x: cannot create the folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_cli_creates_missing_folders_for_json_and_plots_alike(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(report, "run_all", lambda **kw: [Row.of("1a fake", "x", [0.0], 1e-6)])
    json_path = tmp_path / "new" / "deeper" / "rows.json"
    assert cli.main(["--json", str(json_path)]) == 0
    assert json.loads(json_path.read_text(encoding="utf-8"))["passed"] is True
    assert f"wrote {json_path}" in capsys.readouterr().err


def test_cli_exits_1_when_a_check_fails(tmp_path, capsys, monkeypatch):
    rows = [Row.of("1a fake", "x vs x*", [0.0], 1e-6), Row.of("2a fake", "y vs min", [1.0], 1e-12)]
    monkeypatch.setattr(report, "run_all", lambda **kw: rows)
    out = tmp_path / "rows.json"
    assert cli.main(["--json", str(out)]) == 1
    assert "FAIL" in capsys.readouterr().out
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["passed"] is False and [r["passed"] for r in document["rows"]] == [True, False]


def test_json_write_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "rows.json"
    out.write_text('{"old": true}')

    real_write_text, real_write_bytes = Path.write_text, Path.write_bytes

    def broken(real):  # half the file lands, then the disk is full
        def write(self, data, *args, **kwargs):
            real(self, data[: len(data) // 2], *args, **kwargs)
            raise OSError("disk full")
        return write

    monkeypatch.setattr(Path, "write_text", broken(real_write_text))
    monkeypatch.setattr(Path, "write_bytes", broken(real_write_bytes))
    with pytest.raises(OSError, match="disk full"):
        report.write_json({"rows": []}, out)
    assert out.read_text() == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["rows.json"]


def test_table_marks_failures_and_counts_passes():
    rows = [Row.of("ok", "a", [1e-16], 1e-12), Row.of("bad", "b", [float("nan")], 1e-12)]
    text = report.table(rows)
    assert "PASS" in text and "FAIL" in text and text.endswith("1/2 checks passed")
    assert json.loads(json.dumps(report.to_json(rows, 0)))["rows"][1]["max_error"] == "inf"


def test_run_all_rejects_a_negative_seed():
    with pytest.raises(ValueError, match="seed"):
        report.run_all(seed=-1)
