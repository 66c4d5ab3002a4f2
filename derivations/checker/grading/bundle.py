"""A Gradescope autograder bundle (``python -m derivations grade --gradescope-bundle PATH``).

Gradescope builds an autograder from a zip file with ``setup.sh`` and ``run_autograder`` at
its top: it unpacks it into ``/autograder/source``, runs ``setup.sh`` once (as root, on its
Ubuntu image) and then, for every submission, ``run_autograder``, which must leave
``/autograder/results/results.json``. The bundle holds:

- ``setup.sh`` — installs Python 3 and pip if missing, and what the checker needs
  (``requirements.txt``: SymPy and NumPy; the project's other dependencies, torch and the
  rest, are not needed to check answers);
- ``run_autograder`` — runs :mod:`~.autograder` on ``/autograder/submission`` with this
  project's code (``project/``) on the Python path; every path can be moved by an
  environment variable, so that it runs anywhere: ``AUTOGRADER_ROOT`` (``/autograder``),
  ``AUTOGRADER_SOURCE`` (``$AUTOGRADER_ROOT/source``), ``AUTOGRADER_SUBMISSION``,
  ``AUTOGRADER_RESULTS``, ``AUTOGRADER_METADATA`` and ``PYTHON`` (``python3``);
- ``assignment.json`` — the assignment (:meth:`~.assignment.Assignment.to_file`: the ids
  that count, their points, partial credit), JSON so that Python 3.10 reads it too;
- ``project/`` — the packages ``clitools`` and ``derivations`` of this checkout (their
  ``.py`` files);
- ``README.md`` — what the student uploads and how to try the bundle locally.

A path ending in ``.zip`` gets a zip file (the scripts executable inside); another path a
folder (:func:`clitools.replaced_folder`: one this command did not write is refused unless
``--force``). An existing zip is replaced only if it is a bundle (it holds
:data:`MARKER_NAME`) or with ``--force``.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from clitools import Staged, replaced_folder
from derivations.checker.grading.assignment import Assignment
from derivations.checker.grading.errors import GradescopeError
from derivations.checker.grading.text import shown

PROG = "python -m derivations grade"

#: The file inside a bundle that marks it as one (its content: the assignment's name).
MARKER_NAME = "sheet11-autograder.txt"

#: What the checker needs installed (the rest of pyproject.toml's dependencies it does not).
REQUIREMENTS = "sympy>=1.12\nnumpy>=1.24\n"

#: The packages the bundle carries.
PACKAGES = ("clitools", "derivations")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder: Python 3 with pip, and
# what the checker of exercise sheet 11 needs (requirements.txt).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-pip
fi
# Ubuntu 24.04 marks its Python as externally managed; older pips lack the flag.
python3 -m pip install --no-cache-dir --break-system-packages -r requirements.txt \\
    || python3 -m pip install --no-cache-dir -r requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: the student's answers in
# $AUTOGRADER_SUBMISSION are checked and results.json is written to $AUTOGRADER_RESULTS.
# Every path can be moved by its environment variable (to try the bundle locally).
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="${AUTOGRADER_SOURCE:-$ROOT/source}"
export PYTHONPATH="$SOURCE/project${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python3}" -m derivations.checker.grading.autograder \\
    --submission "${AUTOGRADER_SUBMISSION:-$ROOT/submission}" \\
    --results "${AUTOGRADER_RESULTS:-$ROOT/results}" \\
    --metadata "${AUTOGRADER_METADATA:-$ROOT/submission_metadata.json}" \\
    --assignment "$SOURCE/assignment.json" VERBOSE
"""

README = """# Gradescope autograder: {name}

Upload this bundle (as a zip with `setup.sh` and `run_autograder` at its top) as the
autograder of a Gradescope programming assignment. Students upload one file of answers:

    id,answer,format
    1a,w/(2 lambda),
    2a.i,"\\min(a_1, a_2)",latex

(`answers.csv`, columns `id,answer` and optionally `format` = text | latex; or
`answers.jsonl`, one JSON object per line with the same fields). Each id that counts is a
test: {ids}.

To try it locally, with this project's requirements installed:

    mkdir -p /tmp/ag/submission && cp answers.csv /tmp/ag/submission/
    AUTOGRADER_ROOT=/tmp/ag AUTOGRADER_SOURCE=$PWD ./run_autograder
    cat /tmp/ag/results/results.json
"""


def project_root() -> Path:
    """The folder holding this checkout's packages."""
    import derivations

    return Path(derivations.__file__).resolve().parent.parent


def bundle_files(assignment: Assignment, verbose: bool = False) -> dict[str, tuple[bytes, int]]:
    """Every file of the bundle: relative path → (content, mode).

    >>> from derivations.checker.grading.assignment import Assignment
    >>> files = bundle_files(Assignment({"1a": 1.0}))
    >>> sorted(n for n in files if "/" not in n)
    ['README.md', 'assignment.json', 'requirements.txt', 'run_autograder', 'setup.sh', \
'sheet11-autograder.txt']
    >>> oct(files["run_autograder"][1]), "project/derivations/checker/verdict.py" in files
    ('0o755', True)
    """
    run = RUN_AUTOGRADER.replace(" VERBOSE", " --verbose" if verbose else "")
    files = {
        "setup.sh": (SETUP_SH.encode(), 0o755),
        "run_autograder": (run.encode(), 0o755),
        "requirements.txt": (REQUIREMENTS.encode(), 0o644),
        "assignment.json": ((json.dumps(assignment.to_file(), ensure_ascii=False, indent=2)
                             + "\n").encode(), 0o644),
        "README.md": (README.format(name=assignment.name,
                                    ids=", ".join(assignment.points)).encode(), 0o644),
        MARKER_NAME: (f"{assignment.name}\n".encode(), 0o644),
    }
    root = project_root()
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                files[f"project/{path.relative_to(root).as_posix()}"] = (path.read_bytes(),
                                                                        0o644)
    return files


def _zip(files: dict[str, tuple[bytes, int]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, (data, mode) in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16  # a regular file with its mode
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def _is_bundle(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return MARKER_NAME in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def write_bundle(path: str | os.PathLike[str], assignment: Assignment, force: bool = False,
                 verbose: bool = False) -> Path:
    """Write the bundle for ``assignment`` at ``path`` (a zip for ``.zip``, else a folder);
    the path written."""
    path = Path(path)
    files = bundle_files(assignment, verbose)
    if path.suffix.lower() == ".zip":
        if path.is_dir() or (path.exists() and not force and not _is_bundle(path)):
            raise GradescopeError(f"--gradescope-bundle {shown(str(path))} exists and is not "
                                  f"an autograder bundle; choose another name or pass --force")
        try:
            with Staged() as stage:
                stage.path(path).write_bytes(_zip(files))
        except OSError as error:
            raise GradescopeError(f"--gradescope-bundle {shown(str(path))}: cannot write it "
                                  f"({error.strerror or error})") from None
        return path
    from clitools import UsageError

    try:
        with replaced_folder(path, PROG, force, what="--gradescope-bundle") as folder:
            for name, (data, mode) in files.items():
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                target.chmod(mode)
    except UsageError as error:
        raise GradescopeError(str(error)) from None
    except OSError as error:
        raise GradescopeError(f"--gradescope-bundle {shown(str(path))}: cannot write it "
                              f"({error.strerror or error})") from None
    return path


__all__ = ["MARKER_NAME", "PACKAGES", "REQUIREMENTS", "bundle_files", "project_root",
           "write_bundle"]
