"""``python -m derivations check``: exit status, text and JSON output, usage errors."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derivations.answers import ANSWER_IDS
from derivations.checker import check, main
from derivations.checker.cli import MAX_TIMEOUT, TIMEOUT

#: The repository root (this file is tests/checker/test_checker_cli.py).
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_checker_cli_proved_exits_0_and_echoes_the_reading(capsys) -> None:
    status, out, err = run(capsys, "1a", "w/(2*lambda)")
    assert status == 0 and err == ""
    assert out.startswith("PROVED: ")
    assert "read as         w/(2λ)" in out  # the sheet's notation
    assert r"LaTeX           \frac{1}{2 \lambda} w" in out


def test_checker_cli_refuted_exits_1_with_counterexample_and_diagnosis(capsys) -> None:
    status, out, _ = run(capsys, "1a", "w/lambda")
    assert status == 1
    assert out.startswith("REFUTED: ")
    assert "counterexample  at d = " in out and "your answer = " in out
    assert "diagnosis       your answer is 2× the expected one" in out


def test_checker_cli_answer_may_start_with_a_minus_and_span_arguments(capsys) -> None:
    status, out, _ = run(capsys, "1a", "-w", "/", "(2", "lambda)")
    assert status == 1 and "wrong sign" in out
    status, _, _ = run(capsys, "--json", "1a", "--", "--w/(2*lambda)")
    assert status == 0


def test_checker_cli_cannot_check_exits_2_with_its_verdict_on_stdout(capsys) -> None:
    status, out, err = run(capsys, "1a", "w/(2*lamda)")
    assert status == 2 and err == ""  # a verdict like the others: on stdout
    assert out.startswith("CANNOT CHECK: unknown symbol `lamda`")
    assert "at position 6" in out and "Traceback" not in out  # counted from 1


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        ((), "give an answer id and an answer"),
        (("1a",), "no answer given for 1a"),
        (("9z", "w"), "unknown answer id '9z'"),
        (("1a", "w", "--latex", "--text"), "--latex and --text exclude each other"),
        (("1a", "w", "--timeout", "x"), "--timeout must be a number > 0 and ≤ 3600, got 'x'"),
        (("1a", "w", "--timeout", "0"), "--timeout must be a number > 0 and ≤ 3600, got '0'"),
        (("1a", "w", "--timeout", "nan"), "--timeout must be a number > 0 and ≤ 3600"),
        (("1a", "w", "--timeout=inf"), "--timeout must be a number > 0 and ≤ 3600, got 'inf'"),
        (("1a", "w", "--timeout", "1e10"), "--timeout must be a number > 0 and ≤ 3600, got"),
        (("1a", "w", "--timeout", "3600.5"), "--timeout must be a number > 0 and ≤ 3600, got"),
        (("1a", "w", "--timeout"), "--timeout needs a value"),
        (("--bogus", "1a", "w"), "unknown option '--bogus' before the id"),
        (("--help", "1a", "w"), "--help takes no other arguments"),
    ],
)
def test_checker_cli_usage_errors_exit_2_without_traceback(capsys, argv, phrase) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert phrase in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_checker_cli_json_usage_error_is_a_json_object_too(capsys) -> None:
    status, out, err = run(capsys, "--json", "1a", "w", "--timeout", "1e10")
    assert status == 2 and json.loads(out) == {
        "error": "--timeout must be a number > 0 and ≤ 3600, got '1e10'", "verdict": None,
        "exit": 2}
    assert err == ("python -m derivations check: error: --timeout must be a number > 0 and "
                   "≤ 3600, got '1e10'\n")


def test_checker_cli_longest_timeout_is_accepted(capsys) -> None:
    status, out, err = run(capsys, "1a", "w/(2 lambda)", "--timeout", f"{MAX_TIMEOUT:g}")
    assert status == 0 and out.startswith("PROVED: ") and err == ""


def test_checker_cli_json_has_verdict_interpretation_counterexample_diagnosis(capsys) -> None:
    status, out, _ = run(capsys, "1b", r"\mu + \Sigma^{-1} w", "--json")
    data = json.loads(out)
    assert status == 1 and data["verdict"] == "REFUTED"
    assert data["interpretation"]["notation"] == "latex"
    assert data["interpretation"]["text"] == "Sigma**(-1)*w + mu"
    cx = data["counterexample"]
    assert set(cx["values"]) >= {"d", "w", "mu", "Sigma"}
    assert len(cx["yours"]) == cx["values"]["d"] and len(cx["expected"]) == cx["values"]["d"]
    assert "Σ⁻¹ in place of Σ" in data["diagnosis"]


def test_checker_cli_json_for_proved_and_cannot_check(capsys) -> None:
    status, out, _ = run(capsys, "--json", "2a.i", r"\min(a_1, a_2)")
    data = json.loads(out)
    assert status == 0 and data["verdict"] == "PROVED" and data["counterexample"] is None
    status, out, err = run(capsys, "--json", "2a.i", "min(a1,")
    data = json.loads(out)
    assert status == 2 and data["verdict"] == "CANNOT CHECK" and data["interpretation"] is None
    assert err.startswith("CANNOT CHECK: ")


def test_checker_cli_help_exits_0(capsys) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "Exit status" in out
    # the help is written out (no SymPy import for --help): its ids are the sheet's, in order
    listed = out.split("the answer id:")[1].split("ANSWER")[0]
    assert [i.strip() for i in listed.split(",")] == list(ANSWER_IDS)
    # and check()'s default time budget is the one the help states
    assert inspect.signature(check).parameters["timeout"].default == TIMEOUT
    assert f"(default {TIMEOUT:g};" in out


def test_checker_cli_runs_as_a_module() -> None:
    assert (ROOT / "derivations" / "checker" / "cli.py").is_file()  # run from the repository
    proc = subprocess.run(
        [sys.executable, "-m", "derivations.checker", "2b.i", "a_1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, loose on purpose: start-up and the check take about 2 s
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "PROVED"


@pytest.mark.parametrize(("argv", "status", "unbuffered"), [
    (("1a", "w/(2*lambda)"), 0, True),
    (("1a", "w/(2*lambda)"), 0, False),
    (("1a", "w/lambda"), 1, True),
    (("--json", "1a", "w/lambda"), 1, False),
    (("1a", "w/(2*lamda"), 2, True),
    (("--json", "9z", "w"), 2, True),
    (("--help",), 0, False),
])
def test_checker_cli_output_nobody_reads_keeps_the_exit_status(argv, status, unbuffered) -> None:
    # `check … | head -1`, `check … | true`: the reader is gone before anything is printed.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT)
    if unbuffered:  # every print is written at once (else at the interpreter's last flush)
        env["PYTHONUNBUFFERED"] = "1"
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "derivations", "check", *argv], cwd=ROOT, env=env,
            stdout=write, stderr=subprocess.PIPE, text=True,
            timeout=120)  # a hang guard, loose on purpose: start-up and a check, about 2 s
    finally:
        os.close(write)
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr


# -- text a student controls ----------------------------------------------------------------------
#: Characters a terminal obeys or a reader misreads: ESC (an OSC title), BEL, NUL, a C1 control
#: (CSI), DEL, a bidirectional override.
CONTROLS = "\x1b]0;PWNED\x07\x00\x9b2J\x7f\u202e"
#: The characters of :data:`CONTROLS` that must never be written as they are.
DANGEROUS = "\x1b\x07\x00\x9b\x7f\u202e"


def _raw(argv: list[bytes]) -> subprocess.CompletedProcess:
    """``python -m derivations check`` with ``argv`` as bytes (as a shell passes them)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable.encode(), b"-m", b"derivations", b"check", *argv],
                          cwd=ROOT, env=env, capture_output=True,
                          timeout=120)  # a hang guard: start-up and a check, about 2 s


def test_checker_cli_shows_control_characters_escaped(capsys) -> None:
    status, out, err = run(capsys, "1a", "w" + CONTROLS)
    assert status == 2
    shown = out + err
    assert not any(ch in shown for ch in DANGEROUS), repr(shown)
    assert "\\x1b]0;PWNED\\x07" in shown and "\\u202e" in shown, shown
    # the caret stays under the character it points at (the escape counted as written)
    lines = out.splitlines()  # every verdict, CANNOT CHECK included, is on stdout
    caret = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[caret - 1][lines[caret].index("^")] == "\\"


def test_checker_cli_json_escapes_control_characters_and_is_utf8() -> None:
    controls = CONTROLS.replace("\x00", "")  # argv cannot hold a NUL
    proc = _raw([b"--json", b"1a", ("w + " + controls).encode("utf-8")])
    assert proc.returncode == 2
    text = proc.stdout.decode("utf-8")  # valid UTF-8
    assert not any(ch in text for ch in DANGEROUS), repr(text)
    assert json.loads(text)["answer"] == "w + " + controls  # the answer itself, verbatim


def test_checker_cli_refuses_an_answer_that_is_not_utf8() -> None:
    # a byte that is not UTF-8 reaches Python as a lone surrogate: refused, one line, exit 2
    proc = _raw([b"1a", b"w/(2\xff lambda)"])
    assert proc.returncode == 2 and proc.stdout == b""
    err = proc.stderr.decode("utf-8")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "not UTF-8 text: the byte 0xff at position 5" in err, err
    proc = _raw([b"--json", b"1a", b"w\xfe"])
    assert proc.returncode == 2
    data = json.loads(proc.stdout.decode("utf-8"))
    assert data["verdict"] is None and "the byte 0xfe" in data["error"]


def test_checker_cli_json_writes_values_past_the_float_range_exactly(capsys) -> None:
    status, out, _ = run(capsys, "--json", "1a", "1e400*w")
    assert status == 1
    cx = json.loads(out)["counterexample"]
    assert cx["yours"][0][0]["exact"].endswith("e400"), cx
