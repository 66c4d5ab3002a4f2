"""``grade --resume`` after Ctrl-C or a killed process: the journal beside the output folder
keeps every finished check, and none of them is checked again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitools import MARKER
from derivations.checker import grading as G
from derivations.checker.grading import journal as J
from derivations.checker.grading.bench import class_csv, generate_class

ROOT = Path(__file__).resolve().parents[2]

#: ``python -c`` of the grade command with every check logged (one JSON line per check, by
#: the worker process that runs it) to the file named by the first argument.
COUNTING = """
import json, sys
from derivations.checker.grading import cli, pool
log, argv = sys.argv[1], sys.argv[2:]
real = pool._check_one
def counting(answer_id, answer, latex, timeout):
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps([answer_id, answer]) + "\\n")
    return real(answer_id, answer, latex, timeout)
pool._check_one = counting
sys.exit(cli.COMMAND.main(argv))
"""


def _live_ctrl_c() -> None:
    """SIGINT at its default in the child, as in a terminal (a suite started in the
    background inherits it ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


#: The environment of every run here: this checkout, and one string hash seed (the checker's
#: messages list some conditions in set order, ``a1 > 0, a2 > 0`` or ``a2 > 0, a1 > 0``).
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0"}


def start(log: Path, *argv: str) -> subprocess.Popen[str]:
    env = ENV
    return subprocess.Popen([sys.executable, "-c", COUNTING, str(log), *argv], cwd=ROOT,
                            env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_live_ctrl_c)


def checks(log: Path) -> list[tuple[str, str]]:
    if not log.exists():
        return []
    return [tuple(json.loads(x)) for x in log.read_text("utf-8").splitlines()]


def journaled(path: Path) -> set[tuple[str, str]]:
    return {(k[0], k[1]) for k in J.read_journal(path).exact}


def journal_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except OSError:
        return 0


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> tuple[Path, Path]:
    """A class of 20 students, no answer repeated (260 checks), and the outputs of a run
    that nobody interrupted. The general-M answers of 3b (whose proof has a wall-clock
    budget, so that their verdict may depend on the machine's load) are left out, so that
    two runs give the same verdicts."""
    root = tmp_path_factory.mktemp("school")
    rows = [r for r in generate_class(20, unique=True, seed=11) if "_j" not in r["answer"]]
    source = root / "class.csv"
    source.write_text(class_csv(rows), encoding="utf-8")
    whole = root / "whole"
    done = subprocess.run([sys.executable, "-m", "derivations", "grade", str(source), "--out",
                           str(whole), "--jobs", "2"], cwd=ROOT, capture_output=True,
                          text=True, env=ENV, timeout=600)
    assert done.returncode == 0, done.stderr
    return source, whole


def outputs(folder: Path) -> dict[str, bytes]:
    """What a run wrote that does not depend on how it went (the summary's first lines say
    how many answers were resumed and how long it took; grades.jsonl says where each result
    came from; the folder's record holds those two files' hashes)."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
             if p.is_file() and p.name not in ("summary.md", "grades.jsonl", MARKER)}
    summary = (folder / "summary.md").read_text("utf-8").split("\n", 4)[4]
    records = [json.loads(x) for x in (folder / "grades.jsonl").read_text("utf-8").splitlines()]
    for r in records:
        r.pop("origin")
    return {**files, "summary.md": summary.encode(),
            "grades.jsonl": json.dumps(records).encode()}


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_grading_resume_after_an_interrupt_checks_nothing_journaled_again(
        school, tmp_path, stop) -> None:
    source, whole = school
    out = tmp_path / "grades"
    journal = J.journal_path(out)
    first, second = tmp_path / "first.log", tmp_path / "second.log"
    proc = start(first, str(source), "--out", str(out), "--jobs", "2")
    try:
        deadline = time.monotonic() + 300  # a safety stop only: the test waits on the journal
        while journal_lines(journal) < 30 and proc.poll() is None:
            assert time.monotonic() < deadline, "no results journaled in 300 s"
            time.sleep(0.01)
        if proc.poll() is not None:
            pytest.fail(f"grading ended (status {proc.returncode}) before it could be "
                        f"interrupted; stderr: {proc.stderr.read()!r}")
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if stop == signal.SIGINT:
        assert proc.returncode == 130, err
        assert "--resume" in err and "Traceback" not in err
    else:
        assert proc.returncode == -signal.SIGKILL
    assert not out.exists()  # nothing half-written
    kept = journaled(journal)
    assert len(kept) >= 29  # the header and a line possibly cut short by the kill aside
    assert kept <= set(checks(first))
    resumed = start(second, str(source), "--out", str(out), "--jobs", "2", "--resume")
    _, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    again = set(checks(second))
    assert not again & kept, sorted(again & kept)[:3]  # nothing journaled checked again
    assert len(checks(second)) == len(again)  # and nothing twice
    assert outputs(out) == outputs(whole)
    assert not journal.exists()  # the outputs hold every result now
    origins = [json.loads(x)["origin"] for x in (out / "grades.jsonl").read_text(
        "utf-8").splitlines()]
    assert origins.count("resumed") >= len(kept)


def test_journal_skips_a_line_cut_short_and_appends_on_a_line_of_its_own(tmp_path) -> None:
    path = tmp_path / "grades.journal.jsonl"
    with J.Journal(path) as journal:
        journal.add("1a", "w/lambda", None, {"verdict": "REFUTED"})
        journal.add("1b", "Sigma w + mu", "text", {"verdict": "PROVED"})
    whole = path.read_bytes()
    path.write_bytes(whole[:-7])  # a crash in the middle of the last line
    assert set(J.read_journal(path).exact) == {("1a", "w/lambda", None)}
    with J.Journal(path, resume=True) as journal:
        journal.add("2a.i", "a1", None, {"verdict": "REFUTED"})
    assert set(J.read_journal(path).exact) == {("1a", "w/lambda", None), ("2a.i", "a1", None)}
    assert path.read_bytes().decode("utf-8").endswith('"verdict": "REFUTED"}}\n')
    # a fresh run (no --resume) starts the journal again
    with J.Journal(path):
        pass
    assert J.read_journal(path).exact == {}
    # a result of an answer up to whitespace, but never an unreadable one's
    with J.Journal(path) as journal:
        journal.add("1a", "w/lamda", None, {"verdict": "CANNOT CHECK"})
        journal.add("1a", "w /lambda", None, {"verdict": "REFUTED"})
    done = J.read_journal(path)
    assert done.find("1a", "w  /lambda", None) == {"verdict": "REFUTED"}
    assert done.find("1a", "w/lamda ", None) is None


def test_journal_control_characters_are_json_escapes_and_the_file_is_utf8(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    with J.Journal(path) as journal:
        journal.add("1a", "w\x1b]0;x\x07\u202e", None, {"verdict": "REFUTED"})
    raw = path.read_bytes()
    raw.decode("utf-8")
    assert b"\x1b" not in raw and b"\x07" not in raw and b"\\u001b" in raw
    assert ("1a", "w\x1b]0;x\x07\u202e", None) in J.read_journal(path).exact


def test_grading_without_resume_says_it_starts_again(capsys, tmp_path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("student,id,answer\nada,1a,w\n", encoding="utf-8")
    with J.Journal(J.journal_path(tmp_path / "grades")) as journal:
        journal.add("1a", "w/lambda", None, {"verdict": "REFUTED"})
    assert G.main([str(source), "--out", str(tmp_path / "grades"), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "an interrupted run left 1 results in" in err and "(--resume keeps them)" in err
    assert not J.journal_path(tmp_path / "grades").exists()


def test_grading_refuses_a_journal_it_did_not_write(capsys, tmp_path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("student,id,answer\nada,1a,w\n", encoding="utf-8")
    mine = tmp_path / "grades.journal.jsonl"
    mine.write_text("my notes\n", encoding="utf-8")
    for extra in ([], ["--resume"]):
        status = G.main([str(source), "--out", str(tmp_path / "grades"), *extra])
        _, err = capsys.readouterr()
        assert status == 2 and "was not written by it" in err and err.count("\n") == 1
        assert mine.read_text("utf-8") == "my notes\n"
        assert not (tmp_path / "grades").exists()
