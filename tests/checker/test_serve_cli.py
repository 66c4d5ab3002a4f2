"""``python -m derivations serve``: its usage errors (one line, exit status 2, before any
worker starts), and a real run: the page is served, an answer checked, and SIGTERM stops
the server with its workers (derivations/checker/serve/cli.py)."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_support import call

from derivations.__main__ import main as derivations_main
from derivations.checker.serve.cli import COMMAND
from derivations.checker.serve.proctree import process_tree

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str]) -> tuple[int, str, str]:
    with contextlib.redirect_stdout(io.StringIO()) as out, \
            contextlib.redirect_stderr(io.StringIO()) as err:
        status = COMMAND.main(argv)
    return status, out.getvalue(), err.getvalue()


def test_serve_is_in_the_command_table() -> None:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert derivations_main([]) == 0
    assert "serve" in out.getvalue() and "students check their answers" in out.getvalue()


def test_help_names_every_option() -> None:
    status, out, _ = run(["--help"])
    assert status == 0
    for option in ("--host", "--port", "--workers", "--preview-workers", "--queue", "--sheet"):
        assert option in out


@pytest.mark.parametrize("argv, words", [
    (["--port", "70000"], "--port must be an integer from 0 to 65535, got '70000'"),
    (["--workers", "0"], "--workers must be an integer ≥ 1, got '0'"),
    (["--wokers", "2"], "did you mean --workers?"),
    (["--sheet", "no/such/sheet.md"], "cannot read the sheet no/such/sheet.md"),
    (["--host", "no-such-host.invalid", "--port", "0"], "cannot listen on 'no-such-host.invalid'"),
])
def test_bad_usage_is_one_line_and_exit_status_2(argv: list[str], words: str) -> None:
    status, out, err = run(argv)
    assert status == 2 and out == "" and words in err and err.count("\n") == 1


def test_a_sheet_that_does_not_ask_for_the_checkers_ids_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.md"
    sheet.write_text("# Sheet\n\n## Exercise 1\n\n- **(a)** Find x. **[1a]**\n",
                     encoding="utf-8")
    status, _, err = run(["--sheet", str(sheet)])
    assert status == 2 and "asks for no answer with the id(s) 1b, 1c.z" in err


def test_a_taken_port_is_one_line_before_any_worker_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, _, err = run(["--port", str(port)])
    assert status == 2
    assert err.strip() == (f"python -m derivations serve: error: cannot listen on "
                           f"127.0.0.1:{port}: Address already in use")


def test_a_served_page_checks_an_answer_and_sigterm_stops_the_server_and_workers() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "derivations", "serve", "--port", "0",
                               "--workers", "1", "--preview-workers", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stderr.readline()
        assert first.startswith("python -m derivations serve: serving the sheet on http://")
        url = first.split(" on ", 1)[1].split()[0]
        status, _, page = call(url, "/")
        assert status == 200 and "Exercise 1 — Activation maximization" in page
        reply = call(url, "/api/check", {"id": "1a", "answer": r"\frac{w}{2\lambda}"})
        assert reply[0] == 200 and reply[2]["verdict"] == "PROVED"
        family = [p.pid for p in process_tree(server.pid)]
        assert len(family) >= 3  # the server, the fork server, the workers
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == -signal.SIGTERM
        assert "Application shutdown complete" in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert wait_gone(family[1:]) == []


def alive(pid: int) -> bool:
    try:
        return "(zombie)" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def wait_gone(pids: list[int]) -> list[int]:
    """The processes of ``pids`` still alive after up to a minute (the fork server may take
    a moment to free the checker's memory as it ends)."""
    for _ in range(600):
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        time.sleep(0.1)
    return left
