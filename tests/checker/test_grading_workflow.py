"""The grading workflow: the assignment, the last answer of an id, the answer as read and its
notes, a TA's overrides across reruns, the gradebook exports, text a student controls."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from derivations.answers import ANSWER_IDS
from derivations.checker import grading as G
from derivations.checker.grading.errors import AssignmentError

ROOT = Path(__file__).resolve().parents[2]
HEADER = "student,id,answer,format\n"


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = G.main([*argv, "--jobs", "2"])
    out, err = capsys.readouterr()
    return status, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- the assignment ----------------------------------------------------------------------------


def test_the_sheet_s_questions_are_the_ids_its_statement_asks_for() -> None:
    """The questions (the ids that are no finer check of another id) are exactly the ids the
    problem statement tags as asked, outside its "the project also checks" remark."""
    sheet = (ROOT / "docs" / "sheet11.md").read_text("utf-8")
    extra = re.search(r"\(the project also\s+checks.*?\)\.", sheet, re.S).group()
    tagged = [i.strip() for tag in re.findall(r"\*\*\[([^\]]+)\]\*\*", sheet.replace(extra, ""))
              for i in tag.split(",")]
    assert G.question_ids() == tuple(i for i in ANSWER_IDS if i in tagged)
    assert set(ANSWER_IDS) - set(G.question_ids()) == {
        i.strip() for tag in re.findall(r"\*\*\[([^\]]+)\]\*\*", extra) for i in tag.split(",")}


def test_default_assignment_counts_the_questions_answered_not_the_check_ids(
        capsys, tmp_path) -> None:
    right = {"1a": "w/(2 lambda)", "1b": "mu + Sigma w", "1c.z": "A^T w/(2 lambda)",
             "1c.x": "A A^T w/(2 lambda) + c", "2a.i": "min(a1, a2)", "2a.ii": "min(a1, a2)"}
    text = HEADER + "".join(f'ada,{i},"{a}",\n' for i, a in right.items())
    text += 'bob,1a,w/lambda,\nbob,2b.i.R2,0,\n'  # a check id answered: it does not count
    out = tmp_path / "grades"
    status, stdout, err = run(capsys, str(write(tmp_path / "c.csv", text)), "--out", str(out))
    assert status == 0, err
    ada = (out / "feedback" / "ada.md").read_text("utf-8")
    assert "Points: 6 of 6 (Sheet 11)." in ada and "## Not answered" not in ada
    bob = (out / "feedback" / "bob.md").read_text("utf-8")
    assert "Points: 0 of 6" in bob and "2b.i.R2" not in bob.split("## Not answered")[1].split(
        "##")[0]
    assert "## Not counted in this assignment" in bob and "### 2b.i.R2: right (this id does " \
        "not count)" in bob
    assert "Answered but not counted (not in the assignment): 2b.i.R2." in stdout
    assert [r["max_points"] for r in read_csv(out / "grades.csv")][-1] == "0"
    # listed, a check id counts; ids narrows the assignment to what it names
    assignment = write(tmp_path / "a.toml", 'ids = ["1a", "2b.i.R2"]\n[points]\n"1a" = 2\n')
    status, _, err = run(capsys, str(tmp_path / "c.csv"), "--out", str(out), "--points",
                         str(assignment))
    assert status == 0, err
    assert "Points: 1 of 3" in (out / "feedback" / "bob.md").read_text("utf-8")
    assert "Points: 2 of 3" in (out / "feedback" / "ada.md").read_text("utf-8")
    for bad, phrase in [('ids = ["1a"]\n[points]\n"1b" = 1\n', "points for '1b', which is not "
                         "in ids"), ('ids = []\n', "ids must be a non-empty list"),
                        ('student_is = "name"\n', "student_is must be a string (one of: "
                         "login, email, sis_id)")]:
        with pytest.raises(AssignmentError, match=re.escape(phrase)):
            G.load_assignment(write(tmp_path / "bad.toml", bad))


# -- the last answer stands --------------------------------------------------------------------


def test_an_id_answered_twice_counts_once_with_its_last_answer_everywhere(
        capsys, tmp_path) -> None:
    text = HEADER + ("ada,1a,w/lambda,\nada,2a.i,\"min(a1,a2)\",\nbob,1a,w/lambda,\n"
                     "ada,1a,w/(2 lambda),\nada,2a.i,\"max(a1,a2)\",\n")
    out = tmp_path / "grades"
    status, stdout, err = run(capsys, str(write(tmp_path / "c.csv", text)), "--out", str(out))
    assert status == 0, err
    rows = read_csv(out / "grades.csv")
    assert [(r["line"], r["superseded_by"], r["points"]) for r in rows] == [
        ("2", "5", ""), ("3", "6", ""), ("4", "", "0"), ("5", "", "1"), ("6", "", "0")]
    records = [json.loads(x) for x in (out / "grades.jsonl").read_text("utf-8").splitlines()]
    assert [r["counted"] for r in records] == [False, False, True, True, True]
    # the summary: 1a has 2 standing answers (1 right, 1 wrong) and 1 superseded; the means
    # over the class (2 students) and over the answers given
    assert "| 1a | 1 | 2 | 1 | 0 | 1 | 0 | 0 | 1 | 0.50 of 1 | 0.50 of 1 |" in stdout
    assert "| 2a.i | 1 | 1 | 0 | 0 | 1 | 0 | 1 | 1 | 0.00 of 1 | 0.00 of 1 |" in stdout
    assert "2 superseded by a later answer of the same student" in stdout
    ada = (out / "feedback" / "ada.md").read_text("utf-8")
    right, wrong = ada.split("## Right")[1].split("## Wrong")
    assert "### 1a" in right and "### 1a" not in wrong and "### 2a.i" in wrong
    assert "Points: 1 of 2" in ada
    assert ("- **1a** on line 2: `w/lambda`, replaced by your answer on line 5" in ada)
    assert [ln for ln in (out / "canvas.csv").read_text("utf-8").splitlines()][1:] == [
        "ada,,,ada,,1", "bob,,,bob,,0"]
    # Gradescope: the last answer
    one = write(tmp_path / "one.csv", "".join(text.splitlines(keepends=True)[i]
                                              for i in (0, 1, 2, 4, 5)))
    status, _, err = run(capsys, str(one), "--out", str(tmp_path / "gs"), "--gradescope")
    assert status == 0, err
    results = json.loads((tmp_path / "gs" / "results.json").read_text("utf-8"))
    assert [(t["number"], t["score"], t["status"]) for t in results["tests"]] == [
        ("1a", 1.0, "passed"), ("2a.i", 0.0, "failed")]


# -- the answer as read and every reading note ----------------------------------------------


def test_feedback_csv_summary_and_gradescope_carry_the_reading_and_its_notes(
        capsys, tmp_path) -> None:
    text = HEADER + "ada,1a,w / 2λ,\nada,1c.x,AA^T w/(2 lambda) + c,\n"
    out = tmp_path / "grades"
    status, stdout, err = run(capsys, str(write(tmp_path / "c.csv", text)), "--out", str(out),
                              "--gradescope")
    assert status == 0, err
    slash = "`/` divides by the next factor only: read `w / 2λ` as (w / 2)·λ"
    aat = "read `AA^T` as A·Aᵀ"
    ada = (out / "feedback" / "ada.md").read_text("utf-8")
    assert f"- note: {slash}" in ada and f"- note: {aat}" in ada
    assert "- read as: $\\frac{\\lambda}{2} w$" in ada
    assert "### 1a: wrong, 0 of 1 points: your answer is λ²× the expected one\n" in ada
    rows = read_csv(out / "grades.csv")
    assert [r["notes"] for r in rows] == [slash, aat]
    assert rows[0]["read_as"] == "λw/2"  # the sheet's notation
    assert f"- reading note (1 answer, e.g. `w / 2λ`): {slash}" in stdout
    tests = json.loads((out / "results.json").read_text("utf-8"))["tests"]
    assert f"note: {slash}" in tests[0]["output"].splitlines()
    assert "read as: λw/2" in tests[0]["output"].splitlines()
    # the short verdict line first, how it was compared only with --verbose
    assert tests[0]["output"].splitlines()[0] == (
        "wrong, 0 of 1 points: your answer is λ²× the expected one")
    assert "how it was checked" not in ada
    status, _, _ = run(capsys, str(tmp_path / "c.csv"), "--out", str(out), "--verbose")
    assert "- how it was checked: your answer differs from the expected one at " in (
        out / "feedback" / "ada.md").read_text("utf-8")


# -- overrides ---------------------------------------------------------------------------------


def test_overrides_apply_across_reruns_and_are_flagged_once_the_answer_changes(
        capsys, tmp_path) -> None:
    source = write(tmp_path / "c.csv", HEADER + 'ada,2a.i,"min(a1,a2) + max(0, a1 - 5)",\n'
                   "ada,1a,w/(2 lambda),\nbob,1a,w/lambda,\nbob,2a.i,\"min(a1,a2)\",\n")
    out = tmp_path / "grades"
    assert run(capsys, str(source), "--out", str(out))[0] == 0
    hashes = {(r["student"], r["id"]): r["answer_hash"] for r in read_csv(out / "grades.csv")}
    # the TA's file, beside the submissions: ada's 2a.i accepted, bob's 1a half
    overrides = write(tmp_path / "overrides.csv", "student,id,points,answer_hash,comment\n"
                      f"ada,2a.i,1,{hashes[('ada', '2a.i')]},the bias is the network's\n"
                      f"bob,1a,0.5,{hashes[('bob', '1a')]},\"a slip, not a mistake\"\n")
    status, stdout, err = run(capsys, str(source), "--out", str(out), "--overrides",
                              str(overrides))
    assert status == 0, err
    rows = read_csv(out / "grades.csv")
    assert [(r["student"], r["id"], r["points"]) for r in rows] == [
        ("ada", "2a.i", "1"), ("ada", "1a", "1"), ("bob", "1a", "0.5"), ("bob", "2a.i", "1")]
    assert rows[0]["override"] == "TA's decision: 1 (the bias is the network's)"
    ada = (out / "feedback" / "ada.md").read_text("utf-8")
    assert ("### 2a.i: a TA's decision, 1 of 1 points (the checker: wrong): an extra "
            "additive term" in ada)
    assert "- TA's decision: 1 point: the bias is the network's" in ada
    assert "2 decisions applied; 0 not applied." in stdout
    assert "Sheet 11\nada,,,ada,,2\nbob,,,bob,,1.5\n" in (out / "canvas.csv").read_text("utf-8")
    # a rerun keeps them (the file is the TA's, outside the output folder) ...
    assert run(capsys, str(source), "--out", str(out), "--overrides", str(overrides))[0] == 0
    assert [r["points"] for r in read_csv(out / "grades.csv")] == ["1", "1", "0.5", "1"]
    # ... until bob hands in another 1a: his decision is flagged, not applied
    write(source, source.read_text("utf-8") + "bob,1a,w/(4 lambda),\n")
    status, stdout, err = run(capsys, str(source), "--out", str(out), "--overrides",
                              str(overrides))
    assert status == 0, err
    rows = read_csv(out / "grades.csv")
    assert [r["points"] for r in rows] == ["1", "1", "", "1", "0"]
    assert rows[4]["override"].startswith("not applied: a TA's decision (0.5) for an earlier "
                                          "answer")
    assert "1 decision applied; 1 not applied." in stdout
    assert (f"- **not applied**: `bob`, 1a, 0.5 points (line 3 of the overrides file): the "
            f"answer changed since (now line 6, hash {rows[4]['answer_hash']})") in stdout
    bob = (out / "feedback" / "bob.md").read_text("utf-8")
    assert "a TA's decision (0.5 points) was made for an earlier answer of yours" in bob
    assert "Points: 1 of 2" in bob
    # TOML works the same
    toml = write(tmp_path / "o.toml", f'[[override]]\nstudent = "ada"\nid = "2a.i"\npoints = '
                 f'0.75\nanswer_hash = "{hashes[("ada", "2a.i")]}"\n')
    assert run(capsys, str(source), "--out", str(out), "--overrides", str(toml))[0] == 0
    assert read_csv(out / "grades.csv")[0]["points"] == "0.75"


@pytest.mark.parametrize(("content", "phrase"), [
    ("student,id,points,answer_hash\nada,9z,1,\n", "the id '9z' does not count"),
    ("student,id,points,answer_hash\nada,1a,2,\n", "points must be a number from 0 to 1"),
    ("student,id,points,answer_hash\nada,1a,x,\n", "points must be a number from 0 to 1"),
    ("student,id,points\nada,1a,1\n", "no answer_hash"),
    ("student,id,points,answer_hash\nada,1a,1,xyz\n", "answer_hash must be the 12 hex digits"),
    ("student,id,points,answer_hash\nada,1a,1,\nada,1a,0,\n", "a second decision for 'ada', "
     "1a (the first: line 2)"),
    ("name,question\n", "no header naming the columns"),
])
def test_a_bad_overrides_file_exits_2_before_any_work(capsys, tmp_path, content,
                                                      phrase) -> None:
    source = write(tmp_path / "c.csv", HEADER + "ada,1a,w/lambda,\n")
    status, out, err = run(capsys, str(source), "--out", str(tmp_path / "o"), "--overrides",
                           str(write(tmp_path / "bad.csv", content)))
    assert status == 2 and out == "" and phrase in err and err.count("\n") == 1, err
    assert not (tmp_path / "o").exists()


def test_an_overrides_file_inside_the_output_folder_is_refused(capsys, tmp_path) -> None:
    source = write(tmp_path / "c.csv", HEADER + "ada,1a,w/lambda,\n")
    out = tmp_path / "grades"
    assert run(capsys, str(source), "--out", str(out))[0] == 0
    inside = write(out / "overrides.csv", "student,id,points,answer_hash\n")
    status, _, err = run(capsys, str(source), "--out", str(out), "--overrides", str(inside),
                         "--force")
    assert status == 2 and "is inside the output folder" in err
    assert inside.exists()


# -- gradebook exports -------------------------------------------------------------------------


@pytest.mark.parametrize(("student_is", "canvas_row", "moodle_header"), [
    ("login", "ada@uni.org,,,ada@uni.org,,1", "Username"),
    ("email", "ada@uni.org,,,ada@uni.org,,1", "Email address"),
    ("sis_id", "ada@uni.org,,ada@uni.org,,,1", "ID number"),
])
def test_canvas_and_moodle_exports_have_the_columns_they_import(
        capsys, tmp_path, student_is, canvas_row, moodle_header) -> None:
    source = write(tmp_path / "c.csv", HEADER + "ada@uni.org,1a,w/(2 lambda),\n"
                   "ada@uni.org,1b,Sigma w,\n=cmd|' /C calc'!A0,1a,w,\n")
    assignment = write(tmp_path / "a.toml",
                       f'name = "Sheet 11 (4711)"\nstudent_is = "{student_is}"\n')
    out = tmp_path / "grades"
    assert run(capsys, str(source), "--out", str(out), "--points", str(assignment))[0] == 0
    canvas = (out / "canvas.csv").read_text("utf-8").splitlines()
    assert canvas[0] == "Student,ID,SIS User ID,SIS Login ID,Section,Sheet 11 (4711)"
    assert canvas[1] == canvas_row
    moodle = (out / "moodle.csv").read_text("utf-8").splitlines()
    assert moodle[0] == f"{moodle_header},Sheet 11 (4711)" and moodle[1] == "ada@uni.org,1"
    assert moodle[2].startswith("'=cmd|")  # a formula shown, never run


# -- text a student controls ----------------------------------------------------------------


def test_control_characters_are_escaped_in_every_output_and_verbatim_in_jsonl(
        capsys, tmp_path) -> None:
    evil = "w\x1b]0;PWNED\x07/(2 lambda)\x00\u202e"
    source = write(tmp_path / "c.jsonl", json.dumps({"student": "ada\x1b[2J", "id": "1a",
                                                     "answer": evil}) + "\n")
    out = tmp_path / "grades"
    status, stdout, err = run(capsys, str(source), "--out", str(out), "--gradescope")
    assert status == 0, err
    for text in [stdout, err, *(p.read_text("utf-8") for p in out.rglob("*") if p.is_file()
                                and p.name not in ("grades.jsonl", "results.json"))]:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", text), text[:200]
    assert "w\\x1b]0;PWNED\\x07/(2 lambda)\\x00\\u202e" in (out / "grades.csv").read_text("utf-8")
    raw = (out / "grades.jsonl").read_bytes()
    assert b"\x1b" not in raw and b"\\u001b" in raw
    assert json.loads(raw.decode("utf-8"))["answer"] == evil  # verbatim, as JSON escapes
    results = (out / "results.json").read_bytes()
    assert b"\x1b" not in results and "w\\x1b]0;PWNED" in json.loads(results)["tests"][0][
        "output"]


def test_a_json_row_with_a_lone_surrogate_is_a_cannot_check_row_not_a_crash(
        capsys, tmp_path) -> None:
    source = write(tmp_path / "c.jsonl",
                   '{"student": "ada", "id": "1a", "answer": "w/(2 lambda)"}\n'
                   '{"student": "bob", "id": "1a", "answer": "w\\ud800"}\n'
                   '{"student": "c\\udfff", "id": "1b", "answer": "mu + Sigma w"}\n')
    out = tmp_path / "grades"
    status, stdout, err = run(capsys, str(source), "--out", str(out))
    assert status == 0, err
    rows = read_csv(out / "grades.csv")
    assert [(r["line"], r["verdict"]) for r in rows] == [
        ("1", "PROVED"), ("2", "CANNOT CHECK"), ("3", "CANNOT CHECK")]
    assert rows[1]["feedback"] == ("line 2: the field 'answer' holds a lone surrogate \\ud800, "
                                   "which is not a character (a broken \\u escape in the JSON?)")
    assert rows[1]["answer"] == "w\\ud800" and rows[2]["student"] == "c\\udfff"
    raw = (out / "grades.jsonl").read_bytes()
    raw.decode("utf-8")  # valid UTF-8
    assert json.loads(raw.splitlines()[1])["answer"] == "w\ud800"  # kept, as a JSON escape
    assert "unreadable: the field 'answer' holds a lone surrogate \\ud800" in stdout
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["ada.md", "bob.md", "c.md"]


def test_scoring_overrides_for_a_blank_an_unknown_student_and_a_removed_answer() -> None:
    """Decisions that name no standing answer: one for a blank (empty hash) gives its points;
    one for a student not in the class, and one for an answer no longer handed in, are
    reported as not applied."""
    from derivations.checker.grading.overrides import Override
    from derivations.checker.grading.scoring import score

    rows = [G.Graded(G.Submission(2, "ada", "1a", "w/lambda"), {"verdict": "REFUTED"},
                     "checked"),
            G.Graded(G.Submission(3, "bob", "1a", "w/(2 lambda)"), {"verdict": "PROVED"},
                     "checked")]
    grading = G.Grading(rows, G.Assignment({"1a": 1.0, "1b": 2.0}))
    decisions = [Override("ada", "1b", 1.5, "", "said it in class"),
                 Override("eve", "1a", 1.0, "", place="line 3"),
                 Override("bob", "1b", 1.0, G.answer_hash("mu + Sigma w"), place="line 4")]
    score(grading, decisions)
    assert grading.total("ada") == 1.5 and grading.total("bob") == 1.0
    assert grading.marks[("ada", "1b")].override is decisions[0]
    assert [(o.student, why) for o, why in grading.unused_overrides] == [
        ("eve", "no such student in the submissions"),
        ("bob", "the student no longer answers it")]
    ada = G.feedback_markdown(grading, "ada")
    assert "- **1b** (1.5 of 2 points)" in ada and "TA's decision: 1.5 points: said it" in ada
    # scoring again (a rerun) starts from the checker's points, not from the last decision
    score(grading, [])
    assert grading.total("ada") == 0.0 and grading.unused_overrides == []
