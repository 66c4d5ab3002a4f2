"""``python -m derivations.checker.serve.load``: many simulated students against the page's
server, in a closed loop for a fixed time, and what it cost.

    python -m derivations.checker.serve.load [--students 50] [--seconds 60] [--hostile 0.1]
        [--url URL [--pid PID] | --workers N --preview-workers N --queue N] [--seed 0]

Without ``--url`` it starts ``python -m derivations serve --port 0`` itself (with the
given workers and queue), measures it and stops it. Each student, on one keep-alive
connection, draws an answer (:mod:`.load_answers`: right or wrong, hostile with
probability ``--hostile``), types it — a preview of a prefix every 3 to 5 characters, a
pause of ``--type-pause`` seconds (±50 %) after each — checks it, reads the verdict for
``--read-pause`` seconds (±50 %), and starts again, until the time is up; then the requests
in flight are awaited. Printed: p50/p95/p99/max latency per endpoint (checks of hostile
answers apart), throughput, errors and 503s apart, requests lost, whether each verdict fits
its answer, what the server counted (``/metrics``: cache hits, time-outs, replaced
workers), the server's peak memory (``/proc`` of its process tree: ``VmHWM`` of the main
process and of the largest worker, the peak sum of ``RSS`` and of ``PSS``), and the load
average of the machine before and after. Exit status 0 when no request was lost or got an
error, 1 otherwise, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from clitools import (
    Command,
    Parser,
    UsageError,
    integer_at_least,
    integer_between,
    positive_float,
)
from derivations.checker.serve.errors import LoadError, ServeError

PROG = "python -m derivations.checker.serve.load"

#: Seconds to wait for the requests still in flight when the time is up (more than any
#: task's hard limit).
DRAIN_SECONDS = 60.0


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"--hostile must be a number from 0 to 1, got {text!r}")
    return value


def _parser() -> Parser:
    parser = Parser(prog=PROG, description="Simulated students typing and checking answers "
                    "against the page's server; prints latency, throughput, errors and memory.")
    parser.add_argument("--students", type=integer_between(1, 5000, "--students"), default=50,
                        metavar="N", help="simulated students at once (default 50)")
    parser.add_argument("--seconds", type=positive_float("--seconds", 3600), default=60.0,
                        metavar="S", help="how long the students work (default 60)")
    parser.add_argument("--hostile", type=_share, default=0.1, metavar="F",
                        help="share of hostile answers (default 0.1)")
    parser.add_argument("--type-pause", type=positive_float("--type-pause", 60), default=0.3,
                        metavar="S", help="seconds between two previews (default 0.3, ±50 %%)")
    parser.add_argument("--read-pause", type=positive_float("--read-pause", 600), default=2.0,
                        metavar="S", help="seconds spent reading a verdict (default 2, ±50 %%)")
    parser.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0, metavar="N",
                        help="seed of the students' choices (default 0)")
    parser.add_argument("--url", help="a running server (default: start one here)")
    parser.add_argument("--pid", type=integer_at_least(1, "--pid"),
                        help="with --url: the server's process id, for its memory "
                        "(default: none, no memory figure)")
    parser.add_argument("--workers", type=integer_at_least(1, "--workers"), metavar="N",
                        help="check workers of the server started here (default: serve's)")
    parser.add_argument("--preview-workers", type=integer_at_least(1, "--preview-workers"),
                        metavar="N",
                        help="preview workers of the server started here (default: serve's)")
    parser.add_argument("--queue", type=integer_at_least(1, "--queue"), metavar="N",
                        help="queue length of the server started here (default: serve's)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    return parser


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments; ``--pid`` and the server options need the right ``--url`` choice."""
    args = _parser().parse_args(argv)
    if args.url is None and args.pid is not None:
        raise UsageError(f"--pid needs --url (see {PROG} --help)")
    if args.url is not None and any(v is not None for v in (args.workers,
                                                             args.preview_workers, args.queue)):
        raise UsageError(f"--workers, --preview-workers and --queue are for the server this "
                         f"command starts; not with --url (see {PROG} --help)")
    if args.url is not None:
        from derivations.checker.serve.load_http import split_url

        try:
            split_url(args.url)
        except ValueError as error:
            raise UsageError(f"--url: {error}") from None
    return args


@dataclass
class StartedServer:
    """A ``serve`` process started by the load script: its process, URL and log lines."""

    process: subprocess.Popen
    url: str = ""
    log: list[str] = field(default_factory=list)

    def stop(self) -> int | None:
        """SIGTERM, then the exit status (killed after 30 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def start_server(args: argparse.Namespace) -> StartedServer:
    """``python -m derivations serve --port 0`` with the given workers and queue; returns
    once it printed its address."""
    command = [sys.executable, "-m", "derivations", "serve", "--port", "0"]
    for option, value in (("--workers", args.workers), ("--preview-workers",
                                                        args.preview_workers),
                          ("--queue", args.queue)):
        if value is not None:
            command += [option, str(value)]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    server = StartedServer(process)
    assert process.stderr is not None
    for line in process.stderr:
        server.log.append(line.rstrip())
        if " on http://" in line:
            server.url = line.split(" on ", 1)[1].split()[0]
            break
    if not server.url:
        server.stop()
        raise LoadError("the server did not start: " + " | ".join(server.log[-5:]))
    threading.Thread(target=lambda: server.log.extend(l.rstrip() for l in process.stderr),
                     daemon=True).start()
    return server


async def _wait_healthy(url: str, seconds: float = 60.0) -> None:
    from derivations.checker.serve.load_http import Connection, HTTPClientError, split_url

    deadline = time.monotonic() + seconds
    connection = Connection(*split_url(url))
    try:
        while True:
            try:
                if (await connection.request("GET", "/healthz")).status == 200:
                    return
            except (HTTPClientError, OSError):
                pass
            if time.monotonic() > deadline:
                raise LoadError(f"{url} does not answer GET /healthz with 200 "
                                f"(tried for {seconds:g} s)")
            await asyncio.sleep(0.1)
    finally:
        await connection.close()


async def scrape(url: str) -> dict[str, float]:
    """The server's counters (``/metrics``), summed over labels but the first name part:
    ``{"serve_cache_hits_total{kind=\\"check\\"}": 3, …}``."""
    from derivations.checker.serve.load_http import Connection, split_url

    connection = Connection(*split_url(url))
    try:
        response = await connection.request("GET", "/metrics")
    finally:
        await connection.close()
    out: dict[str, float] = {}
    for line in response.body.decode("utf-8").splitlines():
        if line and not line.startswith("#") and " " in line:
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


async def _student(number: int, url: str, args: argparse.Namespace, deadline: float,
                   stats: Any) -> None:
    from derivations.checker.serve.load_answers import draw_answer, typed_prefixes
    from derivations.checker.serve.load_http import Connection, HTTPClientError, split_url

    rng = random.Random(args.seed * 100_003 + number)
    connection = Connection(*split_url(url))

    async def send(endpoint: str, answer_id: str, text: str, kind: str) -> None:
        stats.started()
        start = time.perf_counter()
        try:
            response = await connection.request("POST", f"/api/{endpoint}",
                                                {"id": answer_id, "answer": text})
        except HTTPClientError as error:
            stats.record(endpoint, kind, None, time.perf_counter() - start, problem=str(error))
            return
        seconds = time.perf_counter() - start
        body = response.json() if response.status in (200, 422) else None
        verdict = body.get("verdict") if isinstance(body, dict) else None
        stats.record(endpoint, kind, response.status, seconds, verdict=verdict,
                     retry_after="retry-after" in response.headers)

    try:
        await asyncio.sleep(rng.uniform(0, args.type_pause))  # not all in the same instant
        while time.monotonic() < deadline:
            answer = draw_answer(rng, args.hostile)
            for prefix in typed_prefixes(answer.text, rng):
                await send("preview", answer.answer_id, prefix, answer.kind)
                await asyncio.sleep(args.type_pause * rng.uniform(0.5, 1.5))
                if time.monotonic() >= deadline:
                    return
            await send("check", answer.answer_id, answer.text, answer.kind)
            await asyncio.sleep(args.read_pause * rng.uniform(0.5, 1.5))
    finally:
        await connection.close()


async def run_load(url: str, args: argparse.Namespace, pid: int | None) -> dict[str, Any]:
    """Run the students against ``url``; the results (see the module docstring)."""
    from derivations.checker.serve.load_stats import LoadStats
    from derivations.checker.serve.proctree import MemoryWatch, cpu_seconds, tree_cpu_seconds

    await _wait_healthy(url)
    before = await scrape(url)
    cpu_before = (cpu_seconds(pid), tree_cpu_seconds(pid)) if pid is not None else None
    stats = LoadStats()
    watch = MemoryWatch(pid) if pid is not None else None
    start = time.monotonic()
    deadline = start + args.seconds
    students = [asyncio.create_task(_student(n, url, args, deadline, stats))
                for n in range(args.students)]

    async def sampling() -> None:
        while True:
            if watch is not None:
                watch.sample()
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sampling())
    done, pending = await asyncio.wait(students, timeout=args.seconds + DRAIN_SECONDS)
    elapsed = time.monotonic() - start
    for task in pending:
        task.cancel()
    sampler.cancel()
    for task in done:
        if task.exception() is not None:
            raise task.exception()  # a bug of the load script itself
    cpu = None
    if pid is not None:
        cpu = (cpu_seconds(pid) - cpu_before[0], tree_cpu_seconds(pid) - cpu_before[1])
    after = await scrape(url)
    changed = {k: after[k] - before.get(k, 0.0) for k in after}
    return {"stats": stats, "elapsed": elapsed, "hung_students": len(pending),
            "server": {k: v for k, v in changed.items() if k.endswith("}") and "_total" in k},
            "tasks": {pool: {part: _mean(changed, f"serve_{part}_seconds", pool)
                             for part in ("queue", "task")} for pool in ("check", "preview")},
            "gauges": {k: v for k, v in after.items() if "{" not in k},
            "memory": watch, "cpu": cpu}


def _mean(changed: dict[str, float], name: str, pool: str) -> float:
    """The mean of a server histogram over the run (NaN without observations)."""
    count = changed.get(f'{name}_count{{pool="{pool}"}}', 0.0)
    return changed.get(f'{name}_sum{{pool="{pool}"}}', 0.0) / count if count else math.nan


def _loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def report(args: argparse.Namespace, url: str, result: dict[str, Any], loads: tuple[str, str],
           started: bool) -> dict[str, Any]:
    """Print the results; the same as a JSON-ready dict."""
    from derivations.checker.serve.load_stats import table

    stats = result["stats"]
    summary = stats.summary(args.seconds)
    where = "started here" if started else "given"
    print(f"{args.students} students for {args.seconds:g} s against {url} (server {where}); "
          f"hostile share {args.hostile:g}; pauses: typing {args.type_pause:g} s, reading "
          f"{args.read_pause:g} s; seed {args.seed}")
    print(f"load average (1, 5, 15 min) before: {loads[0]}; after: {loads[1]}; "
          f"{os.cpu_count()} CPUs")
    print(table(summary))
    print(f"sent {stats.sent}, answered {stats.answered}, lost {stats.lost}, errors "
          f"{stats.errors}, 503 with Retry-After {stats.busy}; students still waiting at the "
          f"end: {result['hung_students']}")
    for example in stats.error_examples:
        print(f"  error: {example}")
    verdicts = ", ".join(f"{kind} → {verdict}: {n}" for (kind, verdict), n
                         in sorted(stats.verdicts.items()))
    print(f"verdicts: {verdicts or 'none'}")
    print(f"verdicts that do not fit the answer: {stats.misjudged() or 'none'}")
    server = {k: v for k, v in result["server"].items() if v}
    print("server counted: " + (", ".join(f"{k} {v:g}" for k, v in sorted(server.items())
                                          if not k.startswith("serve_requests_total"))
                                or "nothing"))
    print("server, mean per task: " + "; ".join(
        f"{pool}s waited {1000 * t['queue']:.0f} ms for a worker and ran {1000 * t['task']:.0f} ms"
        for pool, t in result["tasks"].items()))
    print("server gauges at the end: " + ", ".join(
        f"{k.removeprefix('serve_')} {v:g}" for k, v in sorted(result["gauges"].items())))
    if result["cpu"] is not None:
        main, tree = result["cpu"]
        print(f"server CPU time over the run: {tree:.1f} s in all ({tree / result['elapsed']:.2f} "
              f"cores on average), of which {main:.1f} s in the main process (HTTP, JSON)")
    memory = result["memory"]
    memory_row = None
    if memory is not None and memory.samples:
        memory_row = {"main_vmhwm_mb": memory.root_hwm_kb / 1024,
                      "largest_worker_vmhwm_mb": memory.worker_hwm_kb / 1024,
                      "peak_sum_rss_mb": memory.peak_rss_kb / 1024,
                      "peak_sum_pss_mb": memory.peak_pss_kb / 1024,
                      "most_processes": memory.most_processes}
        print(f"server memory: main VmHWM {memory_row['main_vmhwm_mb']:.0f} MB, largest "
              f"worker VmHWM {memory_row['largest_worker_vmhwm_mb']:.0f} MB, peak Σ RSS "
              f"{memory_row['peak_sum_rss_mb']:.0f} MB, peak Σ PSS "
              f"{memory_row['peak_sum_pss_mb']:.0f} MB ({memory.most_processes} processes "
              f"at most, {memory.samples} samples)")
    else:
        print("server memory: not measured (give --pid with --url)")
    return {"students": args.students, "seconds": args.seconds, "hostile": args.hostile,
            "loadavg_before": loads[0], "loadavg_after": loads[1], "summary": summary,
            "sent": stats.sent, "answered": stats.answered, "lost": stats.lost,
            "errors": stats.errors, "busy_503": stats.busy,
            "misjudged": stats.misjudged(), "server": server, "tasks": result["tasks"],
            "server_cpu_s": result["cpu"],
            "memory": memory_row}


def body(args: argparse.Namespace) -> int:
    """Start a server if asked, run the students, print; 0 when nothing was lost or wrong."""
    server = None if args.url else start_server(args)
    url = args.url or server.url
    pid = args.pid if args.url else server.process.pid
    loads = [_loadavg()]
    try:
        result = asyncio.run(run_load(url, args, pid))
        loads.append(_loadavg())
        if server is not None and server.process.poll() is not None:
            print(f"{PROG}: the server ended during the run:\n" + "\n".join(server.log[-20:]),
                  file=sys.stderr)
            return 1
    finally:
        status = server.stop() if server is not None else None
    row = report(args, url, result, (loads[0], loads[1]), server is not None)
    if server is not None:
        how = "SIGTERM, as sent" if status == -signal.SIGTERM else f"exit status {status}"
        print(f"server stopped: {how}")
    if args.json:
        print(json.dumps(row, default=str))
    stats = result["stats"]
    return 0 if stats.errors == 0 and stats.lost == 0 and not result["hung_students"] else 1


#: ``python -m derivations.checker.serve.load``.
COMMAND = Command(PROG, read, body, input_errors=(ServeError,))

__all__ = ["COMMAND", "PROG", "body", "read", "report", "run_load", "scrape", "start_server"]

if __name__ == "__main__":
    COMMAND.start()
