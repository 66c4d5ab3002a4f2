"""The Gradescope autograder bundle: written by ``grade --gradescope-bundle``, its
``run_autograder`` run against a sample submission folder as Gradescope provides it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from derivations.checker import grading as G
from derivations.checker.grading.bundle import MARKER_NAME

ROOT = Path(__file__).resolve().parents[2]


def autograde(bundle: Path, root: Path, answers: dict[str, str] | None,
              email: str = "ada@uni.org") -> tuple[subprocess.CompletedProcess[str], dict]:
    """Run the bundle's ``run_autograder`` with Gradescope's layout under ``root``
    (``submission/``, ``submission_metadata.json``, ``results/``): the student's files
    ``answers`` (name → content), their email in the metadata. The bundle's own copy of the
    project is what runs (nothing of this checkout on the Python path)."""
    (root / "submission").mkdir(parents=True)
    for name, content in (answers or {}).items():
        (root / "submission" / name).write_text(content, encoding="utf-8")
    (root / "submission_metadata.json").write_text(json.dumps(
        {"users": [{"email": email, "name": "Ada L.", "id": 1}]}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_SOURCE=str(bundle), PYTHON=sys.executable)
    done = subprocess.run([str(bundle / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=300)
    results = root / "results" / "results.json"
    return done, json.loads(results.read_text("utf-8")) if results.exists() else {}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bundle")
    points = root / "points.toml"
    points.write_text('ids = ["1a", "2a.i", "3b"]\npartial = 0.5\n[points]\n"3b" = 2\n',
                      encoding="utf-8")
    assert G.main(["--gradescope-bundle", str(root / "autograder"), "--points",
                   str(points)]) == 0
    return root / "autograder"


def test_bundle_holds_the_scripts_the_assignment_and_the_project(bundle) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"setup.sh", "run_autograder", "requirements.txt", "assignment.json", "README.md",
            MARKER_NAME, "project/derivations/checker/verdict.py",
            "project/clitools/command.py"} <= names
    assert not any("__pycache__" in n for n in names)
    for script in ("setup.sh", "run_autograder"):
        assert (bundle / script).stat().st_mode & stat.S_IXUSR
        assert (bundle / script).read_text("utf-8").startswith("#!/usr/bin/env bash\n")
    assignment = json.loads((bundle / "assignment.json").read_text("utf-8"))
    assert assignment["ids"] == ["1a", "2a.i", "3b"]
    assert assignment["points"] == {"1a": 1.0, "2a.i": 1.0, "3b": 2.0}
    assert "sympy" in (bundle / "requirements.txt").read_text("utf-8")
    shell = shutil.which("bash")
    for script in ("setup.sh", "run_autograder"):  # both parse as shell scripts
        assert subprocess.run([shell, "-n", str(bundle / script)]).returncode == 0


def test_run_autograder_grades_a_sample_submission(bundle, tmp_path) -> None:
    answers = {"answers.csv": 'id,answer,format\n1a,w / 2λ,\n2a.i,"\\min(a_1, a_2)",latex\n'
                              "1a,w/(2 lambda),\n"}
    done, results = autograde(bundle, tmp_path / "ag", answers)
    assert done.returncode == 0, done.stderr
    assert results["score"] == 2.0 and results["output"].startswith("2 of 4 points")
    tests = {t["number"]: t for t in results["tests"]}
    assert list(tests) == ["1a", "2a.i", "3b"]
    assert (tests["1a"]["score"], tests["1a"]["status"]) == (1.0, "passed")  # the last 1a
    assert tests["1a"]["output"].splitlines()[:2] == ["right, 1 of 1 points",
                                                      "your answer: w/(2 lambda)"]
    assert tests["2a.i"]["output"].startswith("right, 1 of 1 points")
    assert (tests["3b"]["score"], tests["3b"]["max_score"], tests["3b"]["status"]) == (
        0.0, 2.0, "failed")
    assert tests["3b"]["output"] == "not answered, 0 of 2 points"
    assert all(set(t) >= {"name", "score", "max_score", "output", "visibility"}
               for t in results["tests"])


def test_run_autograder_reports_an_unreadable_upload_as_a_result(bundle, tmp_path) -> None:
    done, results = autograde(bundle, tmp_path / "none", {"notes.pdf": "%PDF"})
    assert done.returncode == 0, done.stderr
    assert results["score"] == 0.0 and results["tests"] == []
    assert results["output"].startswith("Your submission could not be read: upload one file "
                                        "of answers, answers.csv")
    done, results = autograde(bundle, tmp_path / "jsonl", {
        "answers.jsonl": '{"id": "3b", "answer": "min(h1, h2, h3)"}\n{"id": "1a"}\n'})
    assert done.returncode == 0, done.stderr
    tests = {t["number"]: t for t in results["tests"]}
    assert tests["3b"]["score"] == 2.0 and results["score"] == 2.0
    assert "1 row(s) of the submission could not be read: line 2: missing field answer" in (
        results["output"])


def test_bundle_as_a_zip_keeps_the_scripts_executable(tmp_path, capsys) -> None:
    target = tmp_path / "autograder.zip"
    assert G.main(["--gradescope-bundle", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out
    with zipfile.ZipFile(target) as z:
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
        z.extractall(tmp_path / "unzipped")
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert json.loads((tmp_path / "unzipped" / "assignment.json").read_text("utf-8"))[
        "ids"] == list(G.question_ids())
    # rewritten in place (it is a bundle), but a zip of the user's is not replaced
    assert G.main(["--gradescope-bundle", str(target)]) == 0
    theirs = tmp_path / "theirs.zip"
    theirs.write_bytes(b"PK not mine")
    assert G.main(["--gradescope-bundle", str(theirs)]) == 2
    assert "exists and is not an autograder bundle" in capsys.readouterr().err
    assert theirs.read_bytes() == b"PK not mine"
    assert G.main(["--gradescope-bundle", str(target), "class.csv"]) == 2
    assert "give no SUBMISSIONS" in capsys.readouterr().err
