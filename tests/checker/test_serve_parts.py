"""The parts of ``python -m derivations serve`` that need no server: the sheet read into
questions keyed by the ids, the page's escaping, MathML for every answer and its
allowlist, request reading, the metrics' text format and the load script's bookkeeping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derivations.answers import ANSWER_IDS, answers
from derivations.checker.reading import parse_answer
from derivations.checker.serve.errors import RequestError, SheetError
from derivations.checker.serve.load_stats import LoadStats, percentile
from derivations.checker.serve.mathml import ELEMENTS, safe_mathml, to_mathml
from derivations.checker.serve.metrics import BUCKETS, Metrics
from derivations.checker.serve.page import inline, render_page
from derivations.checker.serve.preview import preview
from derivations.checker.serve.service import read_request
from derivations.checker.serve.sheet import DEFAULT_SHEET, Item, Question, load_sheet, read_sheet

SHEET = DEFAULT_SHEET.read_text(encoding="utf-8")


def test_the_sheet_asks_for_every_answer_id_once_in_its_own_words() -> None:
    sheet = read_sheet(SHEET)
    questions = sheet.questions()
    assert list(questions) == list(ANSWER_IDS)
    assert "With the ℓ₂ penalty `Ω(x) = λ‖x‖²`" in questions["1a"].paragraphs[0]
    assert questions["2b.i"] is questions["2b.ii.general"]
    assert len(questions["2b.i"].paragraphs) == 4
    assert "Convention 0/0 → 0." in questions["2b.i"].paragraphs[3]
    unchecked = [b for e in sheet.exercises for b in e.blocks if isinstance(b, Item)]
    assert [b.paragraphs[0][:9] for b in unchecked] == ["**(a)** S"]  # Ex 3(a), a proof
    assert sheet.notation.startswith("**Notation.** Vectors are columns")
    assert all("Exercise 4" not in e.title for e in sheet.exercises)


@pytest.mark.parametrize("text, words", [
    ("## Exercise 1\n\n- (a) **[1a]** and **[1a]**\n", "asks for the answer id '1a' 2 times"),
    ("## Exercise 1\n\n- (a) **[1a, 1q]**\n", "unknown answer id '1q'"),
    ("## Exercise 1\n\n- (a) **[1a]**\n", "asks for no answer with the id(s) 1b"),
])
def test_a_sheet_that_does_not_fit_the_checker_is_refused(text: str, words: str) -> None:
    with pytest.raises(SheetError, match=re.escape(words)):
        read_sheet(text, ("1a", "1b"))


def test_a_missing_or_binary_sheet_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="cannot read the sheet .*: No such file"):
        load_sheet(tmp_path / "none.md")
    binary = tmp_path / "sheet.md"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SheetError, match="is not UTF-8 text"):
        load_sheet(binary)


def test_a_paragraph_with_ids_is_a_question_too() -> None:
    sheet = read_sheet("# T\n\n## Exercise 9\n\nFind it. **[1a]**\n", ("1a",))
    [question] = sheet.exercises[0].blocks
    assert isinstance(question, Question) and not question.listed


def test_the_page_escapes_the_sheets_text_and_keeps_code_literal() -> None:
    assert inline("<script>x</script> **b** `**not bold** <i>`") == (
        "&lt;script&gt;x&lt;/script&gt; <strong>b</strong> "
        "<code>**not bold** &lt;i&gt;</code>")
    assert inline("a *prototype* and 2*3*4") == "a <em>prototype</em> and 2*3*4"
    sheet = read_sheet(SHEET)
    page = render_page(sheet, {"1a": 'x" onfocus="alert(1)'}, 2000)
    assert 'x&quot; onfocus=&quot;alert(1)' in page and 'onfocus="' not in page
    assert "<td></td><th scope=\"col\"><code>w₁₃</code></th>" in page  # no empty header
    assert "<script" not in page.replace('<script src="/static/page.js" defer></script>', "")


def test_every_answer_of_the_sheet_and_its_usual_forms_have_mathml() -> None:
    forms = [*answers().values(), *(parse_answer(a).expr for a in (
        r"\begin{cases} a_1 & a_1 \le a_2 \\ 0 & \text{otherwise} \end{cases}",
        r"\min_j h_j", "max_j(h_j)", "w^T Sigma w * w", "a1 + (a2 - a1)*Heaviside(a1 - a2)",
        "sqrt(a1) exp(-lambda) log(a2)", "|a1 - a2|", "-2 w/(3 lambda)"))]
    for expr in forms:
        markup = to_mathml(expr)
        assert markup is not None, expr
        tags = set(re.findall(r"<([a-z]+)", markup))
        assert tags <= ELEMENTS, (expr, tags - ELEMENTS)


@pytest.mark.parametrize("markup", [
    '<mi href="https://example.org">x</mi>', "<script>alert(1)</script>",
    '<mi onclick="alert(1)">x</mi>', "<mi>x", "<foreignObject/>", "&unknownentity;"])
def test_mathml_outside_the_allowlist_is_dropped(markup: str) -> None:
    assert safe_mathml(markup) is None


def test_the_preview_gives_the_reading_or_where_it_fails() -> None:
    assert preview(r"\frac{w}{2\lambda}")["notation"] == "latex"
    assert preview("w", latex=True)["read_as"] == "w"
    failed = preview("w ** ** 2")
    assert set(failed) == {"error", "position"} and failed["position"] == 6


@pytest.mark.parametrize("body, status", [
    (b'{"id": "1a", "answer": "w", "notation": "latex"}', None),
    (b'{"id": "1a", "answer": "' + b"w" * 2000 + b'"}', None),
    (b'{"id": "1a", "answer": "' + b"w" * 2001 + b'"}', 413),
    (b'{"id": ["1a"], "answer": "w"}', 400),
    (b'{"id": "1a"}', 400),
    (b"\xff", 400),
])
def test_a_request_is_read_whole_or_refused(body: bytes, status: int | None) -> None:
    if status is None:
        assert read_request(body, ("1a",), 2000).answer_id == "1a"
    else:
        with pytest.raises(RequestError) as refused:
            read_request(body, ("1a",), 2000)
        assert refused.value.status == status


def test_the_metrics_are_valid_prometheus_text_with_a_cumulative_histogram() -> None:
    metrics = Metrics()
    for seconds in (0.001, 0.03, 0.3, 3.0, 30.0):
        metrics.request("/api/check", 200, seconds)
    metrics.request("/api/preview", 503, 0.001)
    metrics.timeout("check")
    metrics.refusal("queue_full")
    text = metrics.exposition({"check_queue": 2})
    sample = re.compile(r'^[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? -?[0-9.e+]+$')
    for line in text.splitlines():
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or sample.match(line), line
    counts = [int(line.rsplit(" ", 1)[1]) for line in text.splitlines()
              if line.startswith('serve_request_seconds_bucket{endpoint="/api/check"')]
    assert len(counts) == len(BUCKETS) + 1 and counts == sorted(counts) and counts[-1] == 5
    assert 'serve_timeouts_total{pool="check"} 1' in text and "serve_check_queue 2" in text


def test_the_load_bookkeeping_tells_lost_errors_and_503s_apart() -> None:
    stats = LoadStats()
    for _ in range(5):
        stats.started()
    stats.record("preview", "right", 200, 0.01)
    stats.record("preview", "right", 422, 0.02)
    stats.record("check", "hostile", 413, 0.01, verdict=None)
    stats.record("check", "right", 503, 0.0, retry_after=True)
    stats.record("check", "right", 500, 0.5)
    assert (stats.lost, stats.errors, stats.busy) == (0, 1, 1)
    stats.started()
    assert stats.lost == 1
    stats.record("check", "right", 200, 0.1, verdict="CANNOT CHECK")
    assert stats.misjudged() == {"right": 2}  # the 500 and the CANNOT CHECK
    assert percentile([], 50) != percentile([], 50)  # NaN
