"""What users get wrong on the command lines, one test per mistake: each is answered by one line
on stderr (``PROG: error: …`` or ``PROG: interrupted``, never a traceback or a library's
warning), its exit status (2 for bad input, 130 for Ctrl-C), and no output file left behind;
nothing slow runs before the mistake is found.

The report's slow stages (derivations, numerics, VGG-16) are replaced in-process by stand-ins
that record their calls (as in test_report.py), so the tests see whether any of them ran.
Where VGG-16 really runs, it has **random weights** (``--weights random``, seeded by
``--seed``): ImageNet weights cannot be downloaded in the test environment. Ctrl-C is a real
SIGINT sent to a real ``python -m …`` process.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

import numerics.__main__ as numerics_cli
import vgg.cli as vgg_cli
from clitools import MARKER
from solution import build as build_module
from solution.__main__ import main as solution_main
from vgg import pipeline
from vgg.errors import ImageError
from vgg.image import fitted_size
from vgg.limits import MAX_SIDE, MIN_SIDE

ROOT = Path(__file__).resolve().parents[1]
PNGS = ["comparison.png", "gradient_x_input.png", "lrp.png"]


def one_line(err: str, prog: str) -> str:
    """``err`` is exactly one line starting with ``prog:``, and no traceback; returns it."""
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith(f"{prog}: ") and "Traceback" not in err, err
    return err.rstrip("\n")


def listing(folder: Path) -> list[str]:
    """Every path under ``folder`` (hidden ones too), relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- python -m solution ---------------------------------------------------------------------

SOLUTION = "python -m solution"


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The report's stages replaced by instant stand-ins; the list records which ran."""
    calls: list[str] = []

    def derivations_stage() -> tuple[str, str, int]:
        calls.append("derivations")
        return "", "", 0

    def numerics_stage(seed: int, folder: Path, echo) -> tuple[list, dict]:
        calls.append("numerics")
        return [], {}

    def vgg_stage(request, echo) -> SimpleNamespace:
        calls.append("vgg")
        return SimpleNamespace(weights_label="stand-in", fallback_reason=None)

    monkeypatch.setattr(build_module, "derivations_stage", derivations_stage)
    monkeypatch.setattr(build_module, "numerics_stage", numerics_stage)
    def observations_stage(folder: Path, options, echo) -> None:
        calls.append("observations")

    monkeypatch.setattr(build_module, "vgg_stage", vgg_stage)
    monkeypatch.setattr(build_module, "observations_stage", observations_stage)
    monkeypatch.setattr(build_module, "document", lambda data: "% stand-in report\n")
    monkeypatch.setattr(build_module, "versions", dict)
    return calls


def report(out: Path, *extra: str) -> int:
    """``python -m solution --out OUT --weights random --no-pdf EXTRA…``, in-process."""
    return solution_main(["--out", str(out), "--weights", "random", "--no-pdf", *extra])


def test_report_refuses_a_folder_holding_the_users_files(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``--out DIR`` where DIR holds the user's thesis.txt: exit 2, one line naming another
    folder or --force, thesis.txt untouched, nothing added, no stage run."""
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    assert report(out) == 2
    line = one_line(capsys.readouterr().err, SOLUTION)
    assert "thesis.txt" in line and "another folder" in line and "--force" in line
    assert (out / "thesis.txt").read_text() == "years of work"
    assert listing(tmp_path) == ["thesis", "thesis/thesis.txt"]
    assert stages == []


def test_report_with_force_replaces_the_users_folder(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """With ``--force`` the same folder is replaced by the report as a whole."""
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    assert report(out, "--force") == 0, capsys.readouterr().err
    assert listing(out) == [MARKER, "solution.tex"]
    assert listing(tmp_path) == ["thesis", f"thesis/{MARKER}", "thesis/solution.tex"]
    assert stages == ["derivations", "numerics", "vgg", "observations"]


def test_report_replaces_its_own_previous_output(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A folder written by an earlier report (its marker says so) is replaced without
    ``--force``; what the earlier report wrote is gone."""
    out = tmp_path / "report"
    out.mkdir()
    (out / MARKER).write_text(f"{build_module.OWNER}\nold_figure.png\n")
    (out / "old_figure.png").write_bytes(b"old")
    assert report(out) == 0, capsys.readouterr().err
    assert listing(out) == [MARKER, "solution.tex"]
    assert (out / "solution.tex").read_text() == "% stand-in report\n"


def test_report_keeps_a_file_the_user_added_to_a_previous_report(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A previous report's folder with the user's notes added: the marker lists what the report
    wrote, so notes.txt is not the report's and the run is refused; the notes survive."""
    out = tmp_path / "report"
    assert report(out) == 0, capsys.readouterr().err
    (out / "notes.txt").write_text("mine")
    assert report(out) == 2
    line = one_line(capsys.readouterr().err, SOLUTION)
    assert "notes.txt" in line and "--force" in line
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("where", [".", "..", "here/.."])
def test_report_refuses_the_current_folder_or_one_above(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """``--out .`` would swap away the folder the user stands in: refused before any stage,
    nothing created (an empty current folder included)."""
    cwd = tmp_path / "work" / "here"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    assert report(Path(where), "--force") == 2
    assert "current folder" in one_line(capsys.readouterr().err, SOLUTION)
    assert stages == [] and listing(tmp_path) == ["work", "work/here"]


def test_report_refused_late_leaves_no_new_folders(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A bad option found by the preflight: no parent folder of --out is left behind."""
    assert report(tmp_path / "new" / "deeper" / "report", "--target", "notaclass") == 2
    assert "notaclass" in one_line(capsys.readouterr().err, SOLUTION)
    assert listing(tmp_path) == [] and stages == []


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The process's umask set to ``request.param`` for the test, restored afterwards."""
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


@pytest.mark.parametrize("umask", [0o022, 0o002], indirect=True, ids=["022", "002"])
def test_report_new_folder_gets_the_umasks_permissions(
        tmp_path: Path, stages: list[str], umask: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A new report folder is made like any other program's: ``0777 & ~umask`` (0755 under
    umask 022, 0775 under 002), never the 0700 of a temporary folder; its files alike."""
    out = tmp_path / "new" / "report"
    assert report(out) == 0, capsys.readouterr().err
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~umask)
    assert oct((out / "solution.tex").stat().st_mode & 0o777) == oct(0o666 & ~umask)


def test_report_out_in_proc_is_one_line(tmp_path: Path, stages: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """``--out /proc/x`` (a place no folder can be made): exit 2, one line, no stage run."""
    assert report(Path("/proc/x")) == 2
    line = one_line(capsys.readouterr().err, SOLUTION)
    assert "--out /proc" in line
    assert stages == []


@pytest.mark.parametrize(("option", "message"), [
    pytest.param(["--device", "cuda"], "--device cuda: CUDA is not available here", id="cuda",
                 marks=pytest.mark.skipif(torch.cuda.is_available(),
                                          reason="a GPU is present: --device cuda is valid")),
    pytest.param(["--target", "notaclass"], "unknown class name 'notaclass'", id="target"),
    pytest.param(["--image", "/nope.jpg"], "no such image file: /nope.jpg", id="image"),
    pytest.param(["--resize", "5"], "--resize must be an integer from 32 to 1024, got '5'",
                 id="resize"),
])
def test_report_bad_option_is_refused_before_any_stage(
        tmp_path: Path, stages: list[str], capsys: pytest.CaptureFixture[str],
        option: list[str], message: str) -> None:
    """A bad VGG option is found before the derivations and numerics run (minutes of work):
    exit 2, one line naming it, no stage called, no folder left."""
    assert report(tmp_path / "report", *option) == 2
    line = one_line(capsys.readouterr().err, SOLUTION)
    assert message in line
    assert stages == []
    assert listing(tmp_path) == []


# --- python -m vgg --------------------------------------------------------------------------

VGG = "python -m vgg"


@pytest.fixture
def no_explanation(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Building VGG-16 and explaining replaced by recorders: the list says whether either
    was reached."""
    reached: list[str] = []

    def build(*args, **kwargs):
        reached.append("build")
        raise AssertionError("VGG-16 built before the inputs were checked")

    def explain(*args, **kwargs):
        reached.append("explain")
        raise AssertionError("explained before the inputs were checked")

    monkeypatch.setattr(pipeline, "build", build)
    monkeypatch.setattr(pipeline, "explain", explain)
    return reached


def test_vgg_out_in_proc_fails_before_any_explanation(
        tmp_path: Path, no_explanation: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m vgg --out /proc/x``: exit 2, one line, found before VGG-16 is built."""
    assert vgg_cli.main(["--out", "/proc/x", "--weights", "random"]) == 2
    line = one_line(capsys.readouterr().err, VGG)
    assert "--out /proc/x: cannot create the folder" in line
    assert no_explanation == []


def _text_file(path: Path) -> None:
    path.write_text("my notes on the weights\n")


def _plain_pickle(path: Path) -> None:
    path.write_bytes(pickle.dumps({"features.0.weight": [[0.5, -0.5]], "epochs": 12}))


def _whole_module(path: Path) -> None:
    torch.save(torch.nn.Linear(2, 2), path)  # the model itself, not its state_dict


@pytest.mark.parametrize("write", [_text_file, _plain_pickle, _whole_module],
                         ids=["text", "plain-pickle", "whole-module"])
def test_vgg_weights_that_are_not_a_state_dict(tmp_path: Path, write) -> None:
    """``--weights notes.pth`` holding text, a plain pickle, or a whole pickled module: the
    suite's own one line ("is not a PyTorch state_dict"), exit 2, no mention of torch's
    ``weights_only`` and no torch warning on stderr, no output folder (a subprocess, so that
    every line printed is seen)."""
    weights = tmp_path / "notes.pth"
    write(weights)
    done = subprocess.run(
        [sys.executable, "-m", "vgg", "--weights", str(weights), "--device", "cpu",
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 2, done.stderr
    line = one_line(done.stderr, VGG)
    assert f"{weights} is not a PyTorch state_dict" in line
    assert "weights_only" not in done.stderr and "Warning" not in done.stderr
    assert done.stdout == ""
    assert listing(tmp_path) == ["notes.pth"]


def _flat_png(folder: Path, size: tuple[int, int]) -> Path:
    from PIL import Image

    path = folder / f"{size[0]}x{size[1]}.png"
    Image.new("RGB", size, (200, 120, 40)).save(path)
    return path


def _accepted(size: tuple[int, int], resize: int | None) -> bool:
    """Whether ``vgg.image`` takes an image of ``size`` with ``--resize resize``."""
    try:
        fitted_size(size, resize, "image")
    except ImageError:
        return False
    return True


def test_vgg_image_no_resize_can_fit(tmp_path: Path, no_explanation: list[str],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A 10000×10 image: exit 2, one line saying no --resize helps — and indeed no
    ``--resize N`` with N from 32 to 1024 fits it (1000:1 cannot be 32 to 1024 px on both
    sides); refused before VGG-16 is built."""
    image = _flat_png(tmp_path, (10000, 10))
    assert vgg_cli.main(["--image", str(image), "--weights", "random",
                         "--out", str(tmp_path / "out")]) == 2
    line = one_line(capsys.readouterr().err, VGG)
    assert "10000×10 px" in line and "no --resize helps" in line
    assert not any(_accepted((10000, 10), n) for n in range(MIN_SIDE, MAX_SIDE + 1))
    assert no_explanation == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("size", [(1200, 800), (2000, 40), (1030, 48), (40, 2000)])
def test_vgg_image_resize_advice_is_exact(tmp_path: Path, size: tuple[int, int],
                                          no_explanation: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """An image over 1024 px on a side without ``--resize``: exit 2, one line, and the advice
    is true. Where it suggests ``--resize N with N from a to b``, exactly those N work
    (a − 1 and b + 1 do not, unless outside 32 … 1024); where it says no --resize helps
    (2000×40: a shorter side of 32 px makes the longer one 1600 px), none does."""
    image = _flat_png(tmp_path, size)
    assert vgg_cli.main(["--image", str(image), "--weights", "random",
                         "--out", str(tmp_path / "out")]) == 2
    line = one_line(capsys.readouterr().err, VGG)
    assert f"{size[0]}×{size[1]} px, over 1024 px on a side" in line
    works = [n for n in range(MIN_SIDE, MAX_SIDE + 1) if _accepted(size, n)]
    # independently of vgg.image: --resize N scales the shorter side to N, the longer one to
    # long·N/short (rounded), and both must stay within 32 … 1024
    assert works == [n for n in range(MIN_SIDE, MAX_SIDE + 1)
                     if round(max(size) * n / min(size)) <= MAX_SIDE]
    found = re.search(r"pass --resize N with N from (\d+) to (\d+) \(e\.g\. --resize (\d+)\)",
                      line)
    if found is None:
        assert "no --resize helps" in line and works == []
    else:
        low, high, example = map(int, found.groups())
        assert works == list(range(low, high + 1)) and low <= example <= high
    assert no_explanation == [] and not (tmp_path / "out").exists()


def test_vgg_image_1200x800_with_a_suggested_resize_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The advice for a 1200×800 image is N from 32 to 683; running with the smallest,
    ``--resize 32``, is accepted and explains a 48×32 input end to end (random weights)."""
    image = _flat_png(tmp_path, (1200, 800))
    out = tmp_path / "out"
    argv = ["--image", str(image), "--weights", "random", "--device", "cpu", "--out", str(out)]
    assert vgg_cli.main(argv) == 2
    assert "N from 32 to 683" in one_line(capsys.readouterr().err, VGG)
    assert vgg_cli.main([*argv, "--resize", "32"]) == 0
    printed = capsys.readouterr()
    assert printed.err == "" and "(48×32 px as input)" in printed.out
    assert listing(out) == sorted([MARKER, *PNGS])


# --- Ctrl-C ---------------------------------------------------------------------------------

def _cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by process ``pid`` (Linux ``/proc``), or None where unknown."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ctrl_c_live() -> None:
    """In the child before it runs: SIGINT at its default, as in a terminal. A command started
    in the background (``make test &``, ``nohup``) inherits SIGINT ignored, and the suite keeps
    an ignored SIGINT ignored (as every program should), so a test of what Ctrl-C does must
    give its process a live Ctrl-C first."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt(args: list[str], cpu: float) -> subprocess.CompletedProcess[str]:
    """Start ``python ARGS``, send it SIGINT once it has run ``cpu`` seconds of CPU time (a
    point in its work that does not move with the machine's load; where /proc is missing,
    after ``cpu + 0.2`` s of wall time), and collect it. That it finished before the signal
    could be sent is a failure of the test's premise, reported as such."""
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_ctrl_c_live)
    start = time.monotonic()
    try:
        while True:
            used = _cpu_seconds(proc.pid)
            if used is None:
                time.sleep(cpu + 0.2)
                break
            if used >= cpu or proc.poll() is not None or time.monotonic() - start > 60:
                break
            time.sleep(0.005)
        if proc.poll() is not None:
            pytest.fail(f"python {' '.join(args)} ended (status {proc.returncode}) before "
                        f"Ctrl-C could be sent; stderr: {proc.stderr.read()!r}")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def ended_by_ctrl_c(done: subprocess.CompletedProcess[str], prog: str,
                    progress: str | None = None) -> None:
    """What a Ctrl-C must leave wherever in the run it lands (the tests aim it at one point,
    but a fast or busy machine may have got further): exit status 130; on stderr, as its
    last line and only once, ``PROG: interrupted``, before it nothing but the program's own
    progress lines (a full match of the regular expression ``progress``; none where it is
    None), so no traceback and no library's warning; no traceback on stdout either."""
    assert done.returncode == 130, (done.returncode, done.stderr)
    lines = done.stderr.splitlines(keepends=True)
    assert lines and lines[-1] == f"{prog}: interrupted\n", done.stderr
    assert all(progress is not None and re.fullmatch(progress, line.rstrip("\n"))
               for line in lines[:-1]), done.stderr
    assert "Traceback" not in done.stdout


def test_ctrl_c_while_vgg_imports_torch(tmp_path: Path) -> None:
    """Ctrl-C 0.3 s of CPU time into ``python -m vgg`` (0.3–1 s after start: torch is being
    imported; the whole run takes seconds): exit 130, exactly ``python -m vgg: interrupted``
    on stderr (``python -m vgg`` prints no progress there), and no partial output: the
    ``--out`` folder is absent, or — only if the signal came after the folder was swapped in
    whole — complete."""
    done = interrupt(["-m", "vgg", "--weights", "random", "--device", "cpu",
                      "--out", str(tmp_path / "out")], cpu=0.3)
    ended_by_ctrl_c(done, "python -m vgg")
    assert listing(tmp_path) in ([], sorted(["out", f"out/{MARKER}",
                                             *(f"out/{name}" for name in PNGS)]))


def test_ctrl_c_while_derivations_answers_imports_sympy() -> None:
    """Ctrl-C 0.2 s of CPU time into ``python -m derivations answers`` (0.3–0.6 s after
    start, SymPy loading; the run takes 2–3 s): exit 130, one line on stderr naming the
    command (``python -m derivations`` where the signal came before the command was read),
    no traceback (whatever answers were printed before the signal may stay on stdout)."""
    done = interrupt(["-m", "derivations", "answers"], cpu=0.2)
    # before the command table has read `answers` the program is still `python -m derivations`
    named = "python -m derivations answers"
    if done.stderr.endswith("python -m derivations: interrupted\n"):
        named = "python -m derivations"
    ended_by_ctrl_c(done, named)


def test_ctrl_c_while_numerics_starts() -> None:
    """Ctrl-C 0.2 s of CPU time into ``python -m numerics`` (0.3–0.6 s after start, SymPy
    loading; the run takes about 8 s): exit 130, one line ``python -m numerics: interrupted``
    last on stderr — after the checks' progress lines (``python -m numerics: k/N exercises …``,
    :class:`clitools.Progress`) where
    the signal came once they had started — and no traceback. (A little later, while NumPy
    and SciPy load, a Ctrl-C can land inside a library: see the next test.)"""
    done = interrupt(["-m", "numerics"], cpu=0.2)
    ended_by_ctrl_c(done, "python -m numerics",
                    progress=r"python -m numerics: \d+/\d+ exercises \(\d+%\) .+")


CTRL_C_DEMO = """\
\"\"\"A command line built like the suite's (clitools.run inside clitools.interruptible),
interrupted where a library's code runs: {where}.\"\"\"
import sys

from clitools import interruptible, run


def work() -> int:
{body}
    return 0


with interruptible("python -m ctrl_c_demo"):
    sys.exit(run(work, "python -m ctrl_c_demo"))
"""

#: Ctrl-C landing in a library, made deterministic: the program sends itself SIGINT there.
CTRL_C_IN_LIBRARIES = {
    "exec-of-a-string": (
        "inside exec() of a string, as SciPy's imports run `from numpy import *`",
        '    exec("import os, signal, time; os.kill(os.getpid(), signal.SIGINT); '
        'time.sleep(30)")'),
    "error-made-of-it": (
        "while a C extension imports, which turns the KeyboardInterrupt into an ImportError "
        "(numpy.core: 'PyCapsule_Import could not import module datetime')",
        "    import os, signal, time\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        time.sleep(30)\n"
        "    except KeyboardInterrupt:\n"
        "        raise ImportError('Importing the numpy C-extensions failed.') from None"),
}


@pytest.mark.parametrize("case", list(CTRL_C_IN_LIBRARIES))
def test_ctrl_c_inside_a_library_still_exits_130(tmp_path: Path, case: str) -> None:
    """Ctrl-C must end every command like any other Ctrl-C — exit 130, one line — also where
    it lands in a library's code during the imports (``python -m numerics`` spends about
    0.15 s of CPU time in each of these places while NumPy and SciPy load, so a Ctrl-C sent
    at a random moment hits them about one time in four):

    - inside ``exec`` of a string: CPython marks a KeyboardInterrupt raised there as
      unhandled (``_Py_UnhandledKeyboardInterrupt``) even when the program catches it, and
      a ``python -m`` run that then exits normally kills itself with SIGINT: status −2,
      not 130;
    - inside a C extension's import, which turns it into an ImportError: a traceback and
      exit 1.

    The same plumbing as every command of the suite (:func:`clitools.run` inside
    :func:`clitools.interruptible`), run as ``python -m``, with the SIGINT sent from inside."""
    where, body = CTRL_C_IN_LIBRARIES[case]
    (tmp_path / "ctrl_c_demo.py").write_text(CTRL_C_DEMO.format(where=where, body=body))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    done = subprocess.run([sys.executable, "-m", "ctrl_c_demo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, preexec_fn=_ctrl_c_live)
    assert (done.returncode, done.stderr) == (130, "python -m ctrl_c_demo: interrupted\n")


# --- python -m numerics ---------------------------------------------------------------------

NUMERICS = "python -m numerics"


@pytest.fixture
def no_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``numerics.report.run_all`` replaced by a recorder: the checks must not start."""
    from numerics import report as numerics_report

    calls: list[int] = []
    monkeypatch.setattr(numerics_report, "run_all", lambda *a, **k: calls.append(1) or [])
    return calls


def test_numerics_plots_in_proc_is_one_line(no_checks: list[int],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m numerics --plots /proc/x``: exit 2, one line, no check run."""
    assert numerics_cli.main(["--plots", "/proc/x"]) == 2
    line = one_line(capsys.readouterr().err, NUMERICS)
    assert "--plots /proc/x" in line
    assert no_checks == []


def test_numerics_json_naming_a_folder_is_one_line(tmp_path: Path, no_checks: list[int],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m numerics --json DIR/`` (an existing folder): exit 2, one line asking for a
    file name, no check run, the folder unchanged."""
    (tmp_path / "rows").mkdir()
    assert numerics_cli.main(["--json", f"{tmp_path / 'rows'}/"]) == 2
    line = one_line(capsys.readouterr().err, NUMERICS)
    assert "is a folder; give a file name" in line
    assert no_checks == [] and listing(tmp_path) == ["rows"]
