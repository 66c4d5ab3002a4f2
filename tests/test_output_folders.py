"""The one rule of every command that writes a folder (:func:`clitools.replaced_folder`):
``python -m vgg --out``, ``vgg.evaluate --out``, ``numerics --plots``, ``solution --out`` and
``derivations grade --out``.

For each command, one sequence on one folder: a first run writes it with its record (each file
and its SHA-256); a second run replaces its own unchanged output; a file of that output the
user edited is refused (one line naming the file and ``--force``, exit status 2, nothing run,
the edit kept); ``--force`` replaces it; a file of the user's own is refused likewise and
``--force`` replaces the folder, that file included.

Where a command's work is slow it runs for real once and is replaced by what that run returned
afterwards (vgg.evaluate's evaluation), or by a stand-in that writes what the real work would
(numerics' checks, the report's stages): the folder handling around it is what is tested.
The network of ``python -m vgg`` has random weights, on a small picture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import picture

from clitools.record import MARKER, read_record, sha256
from numerics.rows import Row


@dataclass
class Case:
    """A command as the test runs it: ``run(out, *extra)`` (in-process; the exit status) and
    ``work``, how often its real work was entered."""

    prog: str
    option: str
    run: Callable[..., int]
    work: list[int]


def _vgg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Case:
    from vgg import cli, pipeline

    calls: list[int] = []
    real = pipeline.explain_image

    def explain_image(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "explain_image", explain_image)
    image = picture(tmp_path)

    def run(out: Path, *extra: str) -> int:
        return cli.main(["--image", str(image), "--weights", "random", "--device", "cpu",
                         "--out", str(out), *extra])

    return Case(cli.PROG, "--out", run, calls)


def _evaluate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Case:
    from vgg.evaluation import cli, measure

    calls: list[int] = []
    real, tables = measure.evaluate, []

    def evaluate(*args, **kwargs):  # the first run is real, later ones reuse its table
        calls.append(1)
        if not tables:
            tables.append(real(*args, **kwargs))
        return tables[0]

    monkeypatch.setattr(measure, "evaluate", evaluate)

    def run(out: Path, *extra: str) -> int:
        return cli.COMMAND.main(["--limit", "1", "--steps", "1", "--out", str(out), *extra])

    return Case(cli.PROG, "--out", run, calls)


def _numerics(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Case:
    from numerics import __main__ as cli
    from numerics import report

    calls: list[int] = []

    def run_all(seed=0, plots_dir=None, progress=None):
        calls.append(1)
        for path in report.plot_paths(plots_dir).values():
            path.write_bytes(b"\x89PNG stand-in " + str(len(calls)).encode())
        return [Row.of("1a stand-in", "x", [0.0], 1e-6)]

    monkeypatch.setattr(report, "run_all", run_all)

    def run(out: Path, *extra: str) -> int:
        return cli.main(["--plots", str(out), *extra])

    return Case(cli.PROG, "--plots", run, calls)


def _solution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Case:
    from solution import build
    from solution.__main__ import PROG, main

    calls: list[int] = []

    def numerics_stage(seed: int, folder: Path, echo) -> tuple[list, dict]:
        calls.append(1)
        (folder / "ex1.png").write_bytes(b"\x89PNG stand-in")
        return [], {}

    monkeypatch.setattr(build, "derivations_stage", lambda: ("", "", 0))
    monkeypatch.setattr(build, "numerics_stage", numerics_stage)
    monkeypatch.setattr(build, "vgg_stage", lambda request, echo: SimpleNamespace(
        weights_label="stand-in", fallback_reason=None))
    monkeypatch.setattr(build, "observations_stage", lambda folder, options, echo: None)
    monkeypatch.setattr(build, "document", lambda data: "% stand-in report\n")
    monkeypatch.setattr(build, "versions", dict)

    def run(out: Path, *extra: str) -> int:
        return main(["--out", str(out), "--weights", "random", "--no-pdf", *extra])

    return Case(PROG, "--out", run, calls)


def _grade(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Case:
    from derivations.checker.grading import cli, grades

    calls: list[int] = []
    real = grades.grade

    def grade(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(grades, "grade", grade)
    source = tmp_path / "class.csv"
    source.write_text("student,id,answer\nada,1a,w/(2 lambda)\nbob,1a,w/lambda\n")

    def run(out: Path, *extra: str) -> int:
        return cli.main([str(source), "--out", str(out), "--jobs", "1", *extra])

    return Case(cli.PROG, "--out", run, calls)


COMMANDS = {"vgg": _vgg, "vgg.evaluate": _evaluate, "numerics": _numerics,
            "solution": _solution, "grade": _grade}


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path (the record left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MARKER}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_folder_is_replaced_only_when_it_holds_the_commands_own_unchanged_output(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    case = COMMANDS[name](monkeypatch, tmp_path)
    out = tmp_path / "out"

    def ok(*extra: str) -> None:
        """The run succeeds (its output read away)."""
        status = case.run(out, *extra)
        assert status == 0, capsys.readouterr().err
        capsys.readouterr()

    def refused(*extra: str) -> str:
        """The run is refused: exit 2, one line on stderr, nothing run; that line."""
        before = len(case.work)
        assert case.run(out, *extra) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"{case.prog}: error: "), err
        assert len(case.work) == before, "work ran before the folder was refused"
        return err

    # a first run writes the folder and its record: each file with its SHA-256
    ok()
    record = read_record(out)
    assert record is not None and record.owner == case.prog
    written = contents(out)
    assert written and set(record.files) == set(written)
    assert all(sha256(out / path) == digest for path, digest in record.files.items())

    # its own unchanged output is replaced without --force
    ok()
    assert set(contents(out)) == set(written)

    # a file of that output edited by the user: refused, naming the file and --force
    victim = out / sorted(written)[0]
    edited = victim.read_bytes() + b"\nmy own note\n"
    victim.write_bytes(edited)
    err = refused()
    assert f"{victim} was changed after {case.prog} wrote it" in err and "--force" in err
    assert victim.read_bytes() == edited
    ok("--force")
    assert victim.read_bytes() != edited

    # a file of the user's own: refused, naming it and --force; --force replaces it too
    (out / "mine.txt").write_text("years of work")
    err = refused()
    assert "holds files this command did not write (mine.txt)" in err and "--force" in err
    assert (out / "mine.txt").read_text() == "years of work"
    ok("--force")
    assert not (out / "mine.txt").exists() and set(contents(out)) == set(written)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_folder_option_refuses_standard_output(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``-`` names standard output, which takes one file: a folder option refuses it."""
    case = COMMANDS[name](monkeypatch, tmp_path)
    assert case.run(Path("-")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{case.option} -: " in err and "not a folder" in err
    assert case.work == [] and not Path("-").exists()
