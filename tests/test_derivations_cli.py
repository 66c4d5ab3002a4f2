"""`python -m derivations`: answers, latex, check; bad input gets one message and exit 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from derivations import __main__ as cli
from derivations.answers import ANSWER_IDS, answers

_SYMPY_NAMESPACE: dict[str, object] = {
    **vars(sp),
    "Str": sp.core.symbol.Str,
    "ExprCondPair": sp.functions.elementary.piecewise.ExprCondPair,
}


def test_cli_answers_json_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    """--json: every id, with text/srepr/latex; srepr evaluates back to the same expression."""
    assert cli.main(["answers", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert list(obj) == list(ANSWER_IDS)
    for key, entry in obj.items():
        assert set(entry) == {"text", "srepr", "latex"}
        assert eval(entry["srepr"], _SYMPY_NAMESPACE) == answers()[key]  # noqa: S307
        assert entry["text"] == sp.sstr(answers()[key])


def test_cli_answers_text_selected_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """Plain output: one `id: expression` line per requested id."""
    assert cli.main(["answers", "1b", "3b"]) == 0
    assert capsys.readouterr().out.splitlines() == ["1b: Sigma*w + mu", "3b: Min(h1, h2, h3)"]


def test_cli_unknown_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown id: one line on stderr naming it, exit 2, nothing on stdout."""
    assert cli.main(["answers", "9z"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "'9z'" in err


def test_cli_latex_writes_file_atomically(tmp_path: Path) -> None:
    """latex -o FILE writes the document and leaves no temporary file."""
    target = tmp_path / "out.tex"
    assert cli.main(["latex", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith(r"\documentclass")
    assert sorted(os.listdir(tmp_path)) == ["out.tex"]


@pytest.mark.parametrize("where", ("missing-folder", "folder-as-file"))
def test_cli_latex_unwritable_path_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A path in a missing folder, or a folder given as FILE: one message, exit 2, no file."""
    target = tmp_path / "nope" / "x.tex" if where == "missing-folder" else tmp_path
    before = sorted(os.listdir(tmp_path))
    assert cli.main(["latex", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(os.listdir(tmp_path)) == before


def test_cli_latex_pdf_without_latexmk_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--pdf without latexmk says how to install it, exit 2, writes nothing."""
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert cli.main(["latex", "-o", str(tmp_path / "x.tex"), "--pdf"]) == 2
    assert "apt-get install -y latexmk" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_cli_check_delegates_argv_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check ARGS` runs the table's `check` command on ARGS and returns its status."""
    import derivations.checker.cli as checker

    seen: list[list[str]] = []

    class Recording:
        def main(self, argv: list[str]) -> int:
            seen.append(list(argv))
            return 7

    monkeypatch.setattr(checker, "COMMAND", Recording())
    argv = ["1a", "w/(2*lambda)", "--json", "--latex"]
    assert cli.main(["check", *argv]) == 7
    assert seen == [argv]


def test_cli_check_without_checker_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """If the checker module is absent, a clear message and exit 2."""
    monkeypatch.setitem(sys.modules, "derivations.checker", None)
    monkeypatch.setitem(sys.modules, "derivations.checker.cli", None)
    assert cli.main(["check", "1a", "w"]) == 2
    assert "checker" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h"]])
def test_cli_alone_prints_its_table_of_commands(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m derivations` with no command prints the commands, exit 0."""
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    for name in ("answers", "latex", "check", "grade"):
        assert f"\n  {name} " in out


def test_cli_unknown_command_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped command: one line naming the closest command, exit 2."""
    assert cli.main(["chek", "1a", "w"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean check?" in err


def test_cli_runs_as_module() -> None:
    """`python -m derivations answers 2b.i` end to end, in a subprocess."""
    run = subprocess.run(
        [sys.executable, "-m", "derivations", "answers", "2b.i"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0 and run.stdout.strip() == "2b.i: a1"


def test_every_id_has_one_derivation_run_only_when_asked() -> None:
    from derivations import answers as ans

    assert sorted(ans._DERIVATIONS) == sorted(ans.ANSWER_IDS)
    for answer_id in ans.ANSWER_IDS:  # each id's derivation is the one answers() returns
        assert ans.derived(answer_id) == ans.answers()[answer_id]
