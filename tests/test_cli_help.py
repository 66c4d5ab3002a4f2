"""Every command's ``--help`` and usage errors, for every command of the suite: the list comes
from one place, :data:`clitools.suite.COMMANDS` (a table's commands, and argparse
subcommands such as ``vgg.digits train``, are found from there).

All answers are produced in one fresh Python process, and after each one
``"torch" in sys.modules`` is recorded: ``--help`` and a usage error answer before torch is
imported (never measured by time). The help texts are plain text: no reStructuredText markup
(````…````, ``:func:``), no "see the module docstring", every option with a text, and every
option that takes a value with its default.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clitools.suite import COMMANDS, every_command

ROOT = Path(__file__).resolve().parents[1]

#: For each command (and subcommand) of the suite: its ``--help`` and a mistyped option.
ANSWERS = r"""
import contextlib, io, json, re, sys
from clitools.suite import every_command

def answer(command, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = command.main(argv)
    return [status, out.getvalue(), err.getvalue(), "torch" in sys.modules]

found = {}
for prog, command in every_command():
    found[prog] = {"help": answer(command, ["--help"]),
                   "mistake": answer(command, ["--no-such-option"])}
    usage = found[prog]["help"][1].split("\n\n")[0]
    for group in re.findall(r"\{([a-z,]+)\}", usage):  # argparse subcommands
        for name in group.split(","):
            found[f"{prog} {name}"] = {"help": answer(command, [name, "--help"]),
                                       "mistake": answer(command, [name, "--no-such-option"])}
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[str, list]]:
    """Each command's ``[status, stdout, stderr, torch imported]`` for ``--help`` and a
    mistake, from one fresh process."""
    done = subprocess.run([sys.executable, "-c", ANSWERS], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def options(help_text: str) -> dict[str, str]:
    """The option entries of an argparse-style help: spec (``--seed N``) → its text."""
    entries: dict[str, str] = {}
    spec = None
    section = ""
    for line in help_text.splitlines():
        if line and not line.startswith(" "):
            section, spec = line, None  # a heading, the usage, or the epilog
            continue
        if not section.startswith(("options:", "optional arguments:", "positional")):
            continue
        entry = re.match(r"  (\S.*?)(?: {2,}(.*))?$", line)
        if entry and not line.startswith("   "):
            spec = entry.group(1).strip()
            entries[spec] = entry.group(2) or ""
        elif spec is not None and line.strip():
            entries[spec] += " " + line.strip()
    return {spec: text.strip() for spec, text in entries.items()}


def takes_a_value(spec: str) -> bool:
    """``--seed N``, ``-o FILE.tex, --output FILE.tex``: an option followed by a value."""
    return spec.startswith("-") and bool(re.search(r"-[\w-]+[ =][^-\s]", spec))


def test_every_command_is_listed() -> None:
    """The list of commands names every ``python -m`` entry point of the packages."""
    mains = {p.parent.relative_to(ROOT).as_posix().replace("/", ".")
             for p in ROOT.glob("*/**/__main__.py") if ".venv" not in p.parts}
    mains |= {"vgg.evaluate"}  # vgg/evaluate.py: a module entry point
    listed = {prog.removeprefix("python -m ") for prog in COMMANDS}
    assert mains <= listed, mains - listed


def test_every_command_answers_help_before_torch(answers) -> None:
    assert len(answers) >= len(COMMANDS) + 4  # derivations' commands, vgg.digits' two
    for prog, found in answers.items():
        status, out, err, torch_loaded = found["help"]
        assert status == 0 and err == "" and out.startswith("usage: "), (prog, err)
        assert not torch_loaded, f"{prog} --help imported torch"


def test_every_usage_error_is_one_line_before_torch(answers) -> None:
    for prog, found in answers.items():
        status, out, err, torch_loaded = found["mistake"]
        assert status == 2 and out == "", (prog, out)
        assert err.count("\n") == 1 and ": error: " in err, err
        assert "--no-such-option" in err or "required" in err, err  # or an earlier mistake
        assert not torch_loaded, f"{prog} --no-such-option imported torch"


def test_help_texts_are_plain_text(answers) -> None:
    for prog, found in answers.items():
        text = found["help"][1]
        for markup in ("``", ":func:", ":class:", ":mod:", ":data:", ":meth:",
                       "module docstring"):
            assert markup not in text, (prog, markup)


def test_every_option_has_a_text_and_every_value_its_default(answers) -> None:
    checked = 0
    for prog, found in answers.items():
        for spec, text in options(found["help"][1]).items():
            assert text.strip(), f"{prog}: {spec} has no help text"
            if takes_a_value(spec):
                assert "default" in text, f"{prog}: {spec} does not say its default"
                checked += 1
    assert checked >= 50  # the parser of this test found the options


def test_the_options_parser_reads_wrapped_entries() -> None:
    text = ("usage: x\n\noptions:\n  -h, --help  show this help\n  --weights imagenet|FILE\n"
            "              the network (default:\n              imagenet)\n  --json      one "
            "object\n\nexamples:\n  x --seed 1\n")
    assert options(text) == {"-h, --help": "show this help",
                             "--weights imagenet|FILE": "the network (default: imagenet)",
                             "--json": "one object"}
    assert takes_a_value("--weights imagenet|FILE") and not takes_a_value("--json")
    assert takes_a_value("-o FILE.tex, --output FILE.tex")


def test_a_mistyped_option_gets_a_suggestion(answers, capsys) -> None:
    """Each command's longest option without its first letter: ``(did you mean --OPTION?)``
    (commands with a required argument report that first and are left out)."""
    checked = 0
    for prog, command in every_command():
        found = answers[prog]["help"][1]
        if "required" in answers[prog]["mistake"][2]:
            continue
        longs = [word for spec in options(found) for word in re.findall(r"--[\w-]{4,}", spec)
                 if word != "--help"]
        if not longs:
            continue
        option = max(longs, key=len)
        typo = "--" + option[3:]  # not a prefix: argparse would take that as the option
        assert command.main([typo]) == 2
        err = capsys.readouterr().err
        assert f"(did you mean {option}?)" in err, (prog, typo, err)
        checked += 1
    assert checked >= 10
