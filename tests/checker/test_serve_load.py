"""A short run of the load script against a server on a thread: a handful of students for
a few seconds, typing, checking right, wrong and hostile answers. Asserted: nothing lost,
no error, no student left waiting, no hostile answer accepted — never a latency."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os

from serve_support import running, small_config

from derivations.checker.serve.config import Limits
from derivations.checker.serve.load import read, report, run_load


def test_a_few_students_for_a_few_seconds_lose_nothing_and_get_no_error() -> None:
    args = read(["--students", "4", "--seconds", "4", "--hostile", "0.3", "--type-pause",
                 "0.1", "--read-pause", "0.2", "--url", "http://127.0.0.1:1/"])
    quick = Limits(wall_seconds=2.0, cpu_seconds=2)  # the slow hostile answers end sooner
    with running(small_config(check=quick)) as server:
        result = asyncio.run(run_load(server.url, args, os.getpid()))
    stats = result["stats"]
    assert stats.sent > 20 and stats.lost == 0 and stats.errors == 0, stats.error_examples
    assert result["hung_students"] == 0
    assert "hostile" not in stats.misjudged()
    assert sum(stats.verdicts.values()) > 0  # checks were sent, not only previews
    assert result["memory"].samples > 0 and result["memory"].peak_rss_kb > 0
    with contextlib.redirect_stdout(io.StringIO()) as out:
        row = report(args, server.url, result, ("0 0 0", "0 0 0"), False)
    assert row["lost"] == 0 and "p95 ms" in out.getvalue() and "server memory:" in out.getvalue()
