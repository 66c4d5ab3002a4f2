"""The one progress display (:class:`clitools.Progress`) and the commands that show it.

Not a terminal (a StringIO, a file, ``2> log``): plain lines, no ``\\r``, each with done/total
and the time left, at most one every ``every`` seconds (the clock is the test's, so nothing
waits). A terminal (a real pseudo-terminal): one line rewritten in place. The commands
(numerics, grade, vgg.evaluate) print through it.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import Progress
from clitools.progress import duration
from numerics.rows import Row

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_without_a_terminal_lines_are_plain_throttled_and_carry_total_and_eta() -> None:
    clock, log = Clock(), io.StringIO()
    progress = Progress(100, "answers", "grading", stream=log, every=10.0, clock=clock)
    for step in range(1, 101):  # one answer a second
        clock.now = float(step)
        progress.update(step)
    progress.finish()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()
    assert lines[0].startswith("grading: 1/100 answers (1%)")
    assert len(lines) == 11  # at 1 s, then every 10 s: 11, 21, …, 91, and the end
    assert lines[1].startswith("grading: 11/100 answers (11%)")
    assert "1.0 answers/s, about 1 min 29 s left" in lines[1]
    assert lines[-1].startswith("grading: 100/100 answers (100%) [####################]")
    assert lines[-1].endswith("done in 1 min 40 s")
    for line in lines:
        assert re.search(r": \d+/100 answers \(\d+%\)", line)


def test_without_a_terminal_the_last_line_is_not_repeated() -> None:
    clock, log = Clock(), io.StringIO()
    progress = Progress(2, "images", "demo", stream=log, every=0.0, clock=clock)
    progress.update(0)
    clock.now = 1.0
    progress.update(2)
    progress.finish()
    progress.finish()
    assert log.getvalue().splitlines() == [
        "demo: 0/2 images (0%) [                    ], time left unknown",
        "demo: 2/2 images (100%) [####################] 2.0 images/s, done in 1 s"]


def test_the_note_says_what_runs_now() -> None:
    log = io.StringIO()
    progress = Progress(3, "exercises", "python -m numerics", stream=log, clock=Clock())
    progress.update(0, "Exercise 1: gradient ascent")
    assert log.getvalue().rstrip().endswith("— Exercise 1: gradient ascent")


def test_on_a_terminal_one_line_is_rewritten() -> None:
    """A real pseudo-terminal: ``isatty`` is true there, so the line is redrawn with ``\\r``
    and closed by one line break at the end."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        with open(slave, "w", encoding="utf-8", closefd=False) as terminal:
            clock = Clock()
            progress = Progress(3, "images", "demo", stream=terminal, clock=clock)
            assert progress.terminal
            for step in range(4):
                clock.now = float(step)
                progress.update(step)
            progress.finish()
        shown = os.read(master, 65536).decode("utf-8")
    finally:
        os.close(master)
        os.close(slave)
    assert shown.count("\r") == 5 + shown.count("\n")  # 4 updates and the finish; the
    # terminal turns the one "\n" into "\r\n"
    assert shown.rstrip("\r\n").endswith("\x1b[K")
    assert "demo: 3/3 images (100%)" in shown and "done in 3 s" in shown
    assert shown.count("\n") == 1


def test_durations_read_as_people_say_them() -> None:
    assert [duration(s) for s in (0.4, 59, 60, 3599, 7260)] == [
        "0 s", "59 s", "1 min 0 s", "59 min 59 s", "2 h 1 min"]


def test_numerics_prints_progress_through_it(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from numerics import __main__ as cli
    from numerics import report

    def run_all(seed=0, plots_dir=None, progress=None):
        for done, (name, _) in enumerate(report.CHECKS):
            progress(done, len(report.CHECKS), name)
        progress(len(report.CHECKS), len(report.CHECKS), "done")
        return [Row.of("1a stand-in", "x", [0.0], 1e-6)]

    monkeypatch.setattr(report, "run_all", run_all)
    assert cli.main([]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("python -m numerics: ")]
    assert "\r" not in err and lines[0].startswith("python -m numerics: 0/3 exercises (0%)")
    assert "Exercise 1" in lines[0] and lines[-1].startswith("python -m numerics: 3/3 exercises")


def test_vgg_evaluate_progress_in_a_log_is_plain_lines(tmp_path: Path) -> None:
    """``vgg.evaluate 2> log``: plain lines with done/total and the time, no ``\\r``."""
    log = tmp_path / "log"
    with open(log, "w") as stderr:
        done = subprocess.run([sys.executable, "-m", "vgg.evaluate", "--limit", "2", "--steps",
                               "1", "--batch", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=stderr, text=True, timeout=600,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    text = log.read_text()
    assert done.returncode == 0, text
    assert "\r" not in text and "\x1b" not in text
    lines = text.splitlines()
    assert lines[0].startswith("python -m vgg.evaluate: 0/2 images (0%)")
    assert lines[-1].startswith("python -m vgg.evaluate: 2/2 images (100%)")
    assert "done in" in lines[-1]
