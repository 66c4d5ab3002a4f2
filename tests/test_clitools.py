"""clitools.usage: the argument types, and run() when nobody reads the output any more."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import EXIT_USAGE, UsageError, integer_at_least, integer_between, positive_float, run

ROOT = Path(__file__).resolve().parents[1]


def test_integer_types_share_one_parser_and_name_their_range() -> None:
    assert integer_at_least(0, "--seed")("12") == 12
    assert integer_between(32, 1024, "--size")("1024") == 1024
    for parse, text, message in [
        (integer_at_least(1, "--jobs"), "0", "--jobs must be an integer ≥ 1, got '0'"),
        (integer_at_least(1, "--jobs"), "1.5", "--jobs must be an integer ≥ 1, got '1.5'"),
        (integer_between(32, 1024, "--size"), "31", "--size must be an integer from 32 to 1024"),
        (integer_between(32, 1024, "--size"), "1025", "--size must be an integer from 32 to"),
    ]:
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            parse(text)


def test_positive_float_refuses_past_its_maximum() -> None:
    parse = positive_float("--timeout", 3600)
    assert parse("3600") == 3600.0 and parse("1e-3") == 0.001
    for text in ("1e10", "3600.001", "inf", "nan", "0", "-1", "x"):
        with pytest.raises(argparse.ArgumentTypeError,
                           match=f"--timeout must be a number > 0 and ≤ 3600, got '{text}'"):
            parse(text)
    assert positive_float("--timeout")("1e10") == 1e10  # no maximum unless one is given


def test_run_keeps_the_status_when_the_reader_of_stdout_is_gone(monkeypatch) -> None:
    read, write = os.pipe()
    os.close(read)  # `| head -1` that has already ended
    stream = open(write, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stdout", stream)
    printed = []

    def main() -> int:
        for n in range(3):
            print(f"line {n}")  # the first one meets the closed pipe
            printed.append(n)
        return 1

    try:
        assert run(main, "python -m demo") == 1
        assert printed == [0, 1, 2] and sys.stdout is stream
        print("after run")  # the descriptor now leads to os.devnull
        stream.flush()
    finally:
        stream.close()


def test_run_usage_error_with_stdout_gone(monkeypatch, capsys) -> None:
    read, write = os.pipe()
    os.close(read)
    stream = open(write, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stdout", stream)

    def main() -> int:
        print("partial output")
        raise UsageError("no such image: x.png")

    try:
        assert run(main, "python -m demo") == EXIT_USAGE
    finally:
        stream.close()
    assert capsys.readouterr().err == "python -m demo: error: no such image: x.png\n"


@pytest.mark.parametrize("argv", [
    ["-m", "derivations", "--help"],
    ["-m", "derivations", "answers"],
    ["-m", "numerics", "--help"],
    ["-m", "derivations", "grade", "--help"],
])
def test_clis_piped_into_a_reader_that_is_gone_end_without_a_traceback(argv) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT)
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, stdout=write,
                              stderr=subprocess.PIPE, text=True,
                              timeout=120)  # a hang guard, loose on purpose (start-up: seconds)
    finally:
        os.close(write)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
