"""Exercise 4's commands answer ``--help`` and every mistake their arguments alone show before
torch is imported: each is a :class:`clitools.Command` whose reader imports nothing heavy.

The readers run in a fresh Python process (the test process has torch loaded already), one
after another; after each, ``"torch" in sys.modules`` is recorded. Speed is a consequence,
measured for the README, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: ``(command module, argv, exit status, a piece of the output)``: stdout for ``--help``,
#: the one line on stderr for a mistake.
CASES = [
    ("vgg.cli", ["--help"], 0, "--weights imagenet|random|digits[:N]|FILE"),
    ("vgg.cli", ["--resize", "0"], 2, "--resize 0: choose N between 32 and 1024"),
    ("vgg.cli", ["--weights", "digits", "--target", "11"], 2,
     "class index 11 is out of range: choose 0 to 9"),
    ("vgg.cli", ["--weights", "digits", "--target", "seven"], 2, "unknown class name 'seven'"),
    ("vgg.cli", ["--target", "1000"], 2, "class index 1000 is out of range: choose 0 to 999"),
    ("vgg.cli", ["--weights", "digit"], 2,
     "unknown weights 'digit' (did you mean digits?); choose one of: imagenet, random, "
     "digits, digits:1, digits:2, FILE"),
    ("vgg.cli", ["--weights", "digits", "--resize", "64"], 2,
     "--resize does not apply to --weights digits"),
    ("vgg.cli", ["--device", "tpu"], 2, "argument --device: invalid choice: 'tpu'"),
    ("vgg.cli", ["--out", "docs"], 2, "--out docs holds files this command did not write"),
    ("vgg.cli", ["--out", "-"], 2, "takes one file, not a folder"),
    ("vgg.cli", ["--save-relevance", "-"], 2, "--save-relevance -: this file is binary"),
    ("vgg.evaluation.cli", ["--help"], 0, "--baselines NAME [NAME ...]"),
    ("vgg.evaluation.cli", ["--batch", "0"], 2, "--batch must be an integer ≥ 1, got '0'"),
    ("vgg.evaluation.cli", ["--weights", "digit"], 2, "(did you mean digits?)"),
    ("vgg.evaluation.cli", ["--size", "64"], 2, "--size goes with --images"),
    ("vgg.evaluation.cli", ["--target", "11"], 2, "--target goes with --images"),
    ("vgg.evaluation.cli", ["--patch", "5"], 2, "--patch 5 must divide the 32 px input"),
    ("vgg.evaluation.cli", ["--baselines", "fog"], 2, "invalid choice: 'fog'"),
    ("vgg.evaluation.cli", ["--patch", "2"], 2, "the remove baseline removes whole 8×8"),
    ("vgg.evaluation.cli", ["--out", "/proc/x"], 2, "--out /proc/x: cannot create the folder"),
    ("vgg.evaluation.cli", ["--out", "docs"], 2, "holds files this command did not write"),
    ("vgg.evaluation.cli", ["--weights", "random"], 2,
     "--weights random needs --images PATH...: the pictures to evaluate it on"),
    ("vgg.evaluation.cli", ["--weights", "imagenet"], 2, "--weights imagenet needs --images"),
    ("vgg.evaluation.cli", ["--images", "a.png"], 2,
     "--images goes with --weights imagenet, random or FILE"),
    ("vgg.evaluation.cli", ["--weights", "digits", "--images", "a.png"], 2,
     "--images goes with --weights imagenet, random or FILE"),
    ("vgg.evaluation.cli", ["--weights", "random", "--images", "a.png", "--target", "1000"], 2,
     "class index 1000 is out of range: choose 0 to 999"),
    ("vgg.evaluation.cli", ["--weights", "random", "--images", "a.png", "--patch", "5"], 2,
     "--patch 5 must divide the 224 px input"),
    ("vgg.evaluation.cli", ["--weights", "random", "--images", "a.png", "--size", "64",
                            "--patch", "48"], 2, "--patch 48 must divide the 64 px input"),
    ("vgg.evaluation.cli", ["--weights", "random", "--images", "a.png", "--size", "8"], 2,
     "--size must be an integer from 32 to 1024"),
    ("vgg.bench.cli", ["--help"], 0, "--memory-runs"),
    ("vgg.bench.cli", ["--batch", "0"], 2, "--batch must be an integer ≥ 1"),
    ("vgg.bench.cli", ["--size", "16"], 2, "--size must be an integer ≥ 32"),
    ("vgg.bench.cli", ["--json", "/nonexistent-folder/b.json"], 2, "does not exist"),
    ("vgg.digits.cli", ["--help"], 0, "crossval"),
    ("vgg.digits.cli", ["train", "--help"], 0, "--epochs"),
    ("vgg.digits.cli", ["train", "--seed", "-1"], 2, "--seed must be an integer ≥ 0"),
    ("vgg.digits.cli", ["crossval", "--fold", "7"], 2, "--fold must be an integer from 0 to 4"),
    ("vgg.digits.cli", ["train", "--out", "/nonexistent-folder/w.pt"], 2, "does not exist"),
]

READERS = """
import contextlib, io, importlib, json, sys
out = []
for module, argv in json.loads(sys.argv[1]):
    command = importlib.import_module(module).COMMAND
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = command.main(argv)
    out.append([status, stdout.getvalue(), stderr.getvalue(), "torch" in sys.modules])
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def answers() -> list[list]:
    """Each case's ``[status, stdout, stderr, torch imported]``, in a fresh process."""
    cases = json.dumps([[module, argv] for module, argv, _, _ in CASES])
    done = subprocess.run([sys.executable, "-c", READERS, cases], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("case", range(len(CASES)),
                         ids=[f"{m.split('.')[-2]}-{'_'.join(a)}" for m, a, _, _ in CASES])
def test_4_command_answers_before_torch_is_imported(answers: list[list], case: int) -> None:
    """Exit status, the answer (help on stdout; one line on stderr, ``PROG: error: …``), and no
    torch in the process afterwards."""
    module, argv, expected, piece = CASES[case]
    status, stdout, stderr, torch_loaded = answers[case]
    assert status == expected, (argv, stderr)
    if expected == 0:
        assert piece in stdout and stderr == ""
    else:
        assert stdout == "" and stderr.count("\n") == 1 and ": error: " in stderr
        assert piece in stderr, stderr
    assert not torch_loaded, f"{module} {argv} imported torch"


def test_4_evaluate_help_gives_every_default_in_plain_text(answers: list[list]) -> None:
    """``python -m vgg.evaluate --help`` states each option's default (those with one) and has
    no reStructuredText markup and no "see the module docstring"."""
    help_text = answers[[c[:2] for c in CASES].index(("vgg.evaluation.cli", ["--help"]))][1]
    options = help_text.split("options:", 1)[1]
    for option in ("--weights", "--target", "--size", "--limit", "--batch", "--chunk",
                   "--baselines", "--patch", "--steps", "--seed", "--json", "--out",
                   "--threads"):
        entry = options.split(f"  {option}", 1)[1].split("\n  --", 1)[0]
        assert "default" in " ".join(entry.split()), option
    for markup in ("``", ":func:", ":mod:", ":data:", "module docstring"):
        for command in ("vgg.cli", "vgg.evaluation.cli", "vgg.bench.cli", "vgg.digits.cli"):
            text = answers[[c[:2] for c in CASES].index((command, ["--help"]))][1]
            assert markup not in text, (command, markup)
