"""The HTTP API of ``python -m derivations serve``: the page, the preview, the check (the
same object as ``check --json``), refusals before any work, the hard limits, a full queue,
a worker killed mid-check, health and metrics (derivations/checker/serve/)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import SLOW_ANSWER, call, running, small_config, tight_config

from derivations.answers import ANSWER_IDS
from derivations.checker.cli import main as check_main
from derivations.checker.serve.server import RunningServer


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running(small_config()) as started:
        yield started


def cli_json(answer_id: str, answer: str) -> dict:
    """What ``python -m derivations check --json`` prints."""
    with contextlib.redirect_stdout(io.StringIO()) as out, \
            contextlib.redirect_stderr(io.StringIO()):
        check_main(["--json", answer_id, answer])
    return json.loads(out.getvalue())


def test_the_page_has_a_labelled_box_for_every_answer_id_and_loads_nothing_foreign(
        server: RunningServer) -> None:
    status, headers, page = call(server.url, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    for answer_id in ANSWER_IDS:
        key = answer_id.replace(".", "-")
        assert f'<label for="answer-{key}">' in page and f'id="answer-{key}"' in page
    assert page.count('aria-live="polite"') == len(ANSWER_IDS)
    assert "Exercise 4" not in page.split("<main>")[1].split("</main>")[0]
    assert "http://" not in page and "https://" not in page
    assert "default-src 'none'" in headers["content-security-policy"]
    for asset in ("/static/page.js", "/static/page.css"):
        assert f'"{asset}"' in page and call(server.url, asset)[0] == 200


def test_a_preview_shows_the_reading_typeset_and_its_notes(server: RunningServer) -> None:
    status, _, body = call(server.url, "/api/preview", {"id": "1c.x", "answer": "AA^T w"})
    assert status == 200
    assert body["read_as"] == "A*A.T*w" and body["notes"] == ["read `AA^T` as A·Aᵀ"]
    assert body["mathml"].startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert "<msup><mi>A</mi><mo>T</mo></msup>" in body["mathml"]
    assert body["latex"] == "A A^\\top w"


def test_an_unreadable_preview_is_a_422_with_the_readers_message(server: RunningServer) -> None:
    status, _, body = call(server.url, "/api/preview", {"id": "1a", "answer": "w/(2 lambda"})
    assert status == 422 and body["position"] == 12  # counted from 1, as check counts it
    assert body["error"].startswith("expected `)` to close the `(` opened at position 3")
    typed = "  w /   (2 lambda"  # the position is in the text as typed, spaces and all
    assert call(server.url, "/api/preview", {"id": "1a", "answer": typed})[2]["position"] \
        == len(typed) + 1
    assert call(server.url, "/api/preview", {"id": "1a", "answer": "w   +  ) "})[2][
        "position"] == 8


@pytest.mark.parametrize("answer_id, answer", [("1a", "w/(2 lambda)"),
                                               ("1b", "mu + inv(Sigma) w"),
                                               ("1a", "w/(2*lambda")])
def test_a_check_answers_the_object_of_check_json(server: RunningServer, answer_id: str,
                                                  answer: str) -> None:
    status, _, body = call(server.url, "/api/check", {"id": answer_id, "answer": answer})
    assert status == 200 and body == cli_json(answer_id, answer)


def test_an_answer_is_checked_as_typed_and_the_same_text_again_comes_from_the_cache(
        server: RunningServer) -> None:
    def hits() -> float:
        text = call(server.url, "/metrics")[2]
        name = 'serve_cache_hits_total{kind="check"}'
        line = [x for x in text.splitlines() if x.startswith(name)]
        return float(line[0].split()[-1]) if line else 0.0

    typed = "  w  /  2λ\t"  # a note quotes the text, and a position counts in it, as typed
    first = call(server.url, "/api/check", {"id": "1a", "answer": typed})[2]
    assert first == cli_json("1a", typed)
    notes = first["interpretation"]["notes"]
    assert len(notes) == 1 and "read `w  /  2λ` as" in notes[0]
    assert call(server.url, "/api/preview", {"id": "1a", "answer": typed})[2]["notes"] == notes
    before = hits()
    assert call(server.url, "/api/check", {"id": "1a", "answer": typed})[2] == first
    assert hits() == before + 1
    unreadable = "  w /   (2 lambda"
    status, _, read = call(server.url, "/api/preview", {"id": "1a", "answer": unreadable})
    checked = call(server.url, "/api/check", {"id": "1a", "answer": unreadable})[2]
    assert status == 422 and checked == cli_json("1a", unreadable)
    assert read["position"] == checked["position"] == len(unreadable) + 1
    assert checked["message"].startswith(read["error"])


@pytest.mark.parametrize("raw, status, words", [
    (b"not json", 400, "must be a JSON object"),
    (b"[1, 2]", 400, "must be a JSON object"),
    (b'{"id": "9z", "answer": "w"}', 400, "unknown answer id '9z'"),
    (b'{"id": "1a", "answer": 3}', 400, "must be a string"),
    (b'{"id": "1a", "answer": "w", "extra": 1}', 400, "unknown field 'extra'"),
    (b'{"id": "1a", "answer": "w", "notation": "tex"}', 400, "notation must be one of"),
    (b'{"id": "1a", "answer": "   "}', 400, "the answer is empty"),
    (json.dumps({"id": "1a", "answer": "w" * 2001}).encode(), 413, "2001 characters"),
    (b" " * 40_000, 413, "the request is too large"),
])
@pytest.mark.parametrize("endpoint", ["/api/check", "/api/preview"])
def test_a_bad_request_is_refused_with_one_clear_message(server: RunningServer, endpoint: str,
                                                         raw: bytes, status: int,
                                                         words: str) -> None:
    got, _, body = call(server.url, endpoint, raw=raw)
    assert got == status and words in body["error"]


def test_hostile_answers_are_refused_and_nothing_reaches_a_shell_or_file(
        server: RunningServer, tmp_path: Path) -> None:
    mark = tmp_path / "touched"
    deep = "(" * 5000 + "w" + ")" * 5000
    assert call(server.url, "/api/check", {"id": "1a", "answer": deep})[0] == 413
    status, _, body = call(server.url, "/api/check",
                           {"id": "1a", "answer": "(" * 900 + "w" + ")" * 900})
    assert status == 200 and body["verdict"] == "CANNOT CHECK"
    assert body["message"].startswith("the answer is nested too deeply")
    for answer in (f"__import__('os').system('touch {mark}')", rf"\input{{{mark}}}",
                   f"open('{mark}', 'w')"):
        for endpoint in ("/api/check", "/api/preview"):
            status, _, body = call(server.url, endpoint, {"id": "1a", "answer": answer})
            assert status in (200, 422)
            assert body.get("verdict", "CANNOT CHECK") == "CANNOT CHECK"
    assert not mark.exists()
    assert call(server.url, "/api/check", {"id": "1a", "answer": "w/(2λ)"})[2]["verdict"] \
        == "PROVED"


def test_a_check_worker_killed_mid_check_is_replaced_and_the_next_check_succeeds(
        server: RunningServer) -> None:
    pool = server.app.state.checking.checks
    replies: list = []
    thread = threading.Thread(target=lambda: replies.append(call(
        server.url, "/api/check", {"id": SLOW_ANSWER[0], "answer": SLOW_ANSWER[1]})))
    thread.start()
    for _ in range(3000):
        if pool.busy_pids():
            break
        time.sleep(0.01)
    [victim] = pool.busy_pids()
    os.kill(victim, signal.SIGKILL)
    thread.join(timeout=120)
    status, _, body = replies[0]
    assert status == 200 and body["verdict"] == "CANNOT CHECK"
    assert "interrupted" in body["message"] and "signal 9" in body["message"]
    assert victim not in pool.pids()
    assert call(server.url, "/api/check", {"id": "1a", "answer": "w/(2 lambda) + 0"})[2][
        "verdict"] == "PROVED"


def test_health_and_metrics_say_what_happened(server: RunningServer) -> None:
    call(server.url, "/api/check", {"id": "3b", "answer": "min(h1, h2, h3)"})
    status, _, health = call(server.url, "/healthz")
    assert status == 200 and health == {"status": "ok", "check_workers": 2,
                                        "preview_workers": 1}
    status, headers, text = call(server.url, "/metrics")
    assert status == 200 and headers["content-type"].startswith("text/plain; version=0.0.4")
    assert 'serve_verdicts_total{verdict="PROVED"}' in text
    assert 'serve_requests_total{endpoint="/api/check",status="200"}' in text
    assert 'serve_request_seconds_bucket{endpoint="/api/check",le="+Inf"}' in text
    assert 'serve_refusals_total{reason="too_large"}' in text
    assert "serve_check_queue 0" in text


def test_the_hard_limits_stop_a_slow_check_and_a_full_queue_is_a_503_at_once() -> None:
    with running(tight_config()) as server:
        replies: list = []

        def slow(n: int) -> None:
            answer = SLOW_ANSWER[1].replace("(a2, True)", f"(a2 + {n}, True)")
            replies.append(call(server.url, "/api/check", {"id": "2a.i", "answer": answer}))

        threads = [threading.Thread(target=slow, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        statuses = sorted(r[0] for r in replies)
        assert len(replies) == 4 and 503 in statuses and 200 in statuses
        for status, headers, body in replies:
            if status == 503:
                assert int(headers["retry-after"]) >= 1 and "busy" in body["error"]
            else:
                assert body["verdict"] == "CANNOT CHECK"
                assert body["message"].startswith("the check took too long")
        status, _, body = call(server.url, "/api/check", {"id": "1a", "answer": "w/(2 lambda)"})
        assert status == 200 and body["verdict"] == "PROVED"
        assert 'serve_timeouts_total{pool="check"}' in call(server.url, "/metrics")[2]
