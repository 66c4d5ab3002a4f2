"""``python -m derivations``: the answers, the LaTeX document, and the answer checker.

    python -m derivations answers [ID ...] [--json]
    python -m derivations latex -o FILE.tex [--pdf]
    python -m derivations check ...        (see ``python -m derivations check --help``)

Bad input (an unknown id, an unwritable path, ``--pdf`` without latexmk) gets one message on
stderr and exit status 2; output files are written atomically.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

PROG = "python -m derivations"
LATEXMK_HINT = (
    "latexmk not found; install it, e.g. `apt-get install latexmk texlive-latex-base "
    "texlive-latex-recommended`, or omit --pdf"
)


class UsageError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ans = sub.add_parser("answers", help="print every final answer (or the given ids)")
    ans.add_argument("ids", nargs="*", metavar="ID", help="answer ids (default: all)")
    ans.add_argument("--json", action="store_true", help="JSON: id -> text, srepr, latex")
    tex = sub.add_parser("latex", help="write the step-checked derivations as LaTeX")
    tex.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.tex")
    tex.add_argument("--pdf", action="store_true", help="also build FILE.pdf with latexmk")
    sub.add_parser("check", help="check an answer (derivations.checker)", add_help=False)
    return parser


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _writable_target(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{path} is a directory, not a file")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"cannot write {path}: file is not writable")
    return path


def cmd_answers(ids: Sequence[str], as_json: bool) -> int:
    """Print the answers (``id: text`` lines, or a JSON object)."""
    import sympy as sp

    from derivations.answers import ANSWER_IDS, answers

    unknown = [i for i in ids if i not in ANSWER_IDS]
    if unknown:
        raise UsageError(
            f"unknown answer id {unknown[0]!r}; known ids: {', '.join(ANSWER_IDS)}"
        )
    from derivations.printing import latex

    values = answers()
    chosen = list(ids) or list(ANSWER_IDS)
    if as_json:
        obj = {
            i: {"text": sp.sstr(values[i]), "srepr": sp.srepr(values[i]), "latex": latex(values[i])}
            for i in chosen
        }
        print(json.dumps(obj, indent=2))
    else:
        for i in chosen:
            print(f"{i}: {sp.sstr(values[i])}")
    return 0


def cmd_latex(output: Path, pdf: bool) -> int:
    """Write the document to ``output`` (and ``output.with_suffix('.pdf')`` with ``pdf``)."""
    target = _writable_target(output)
    latexmk = shutil.which("latexmk")
    if pdf and latexmk is None:
        raise UsageError(LATEXMK_HINT)
    from derivations.latex import document

    tex = document()
    if pdf:
        pdf_path = _writable_target(target.with_suffix(".pdf"))
        with tempfile.TemporaryDirectory() as work:
            src = Path(work) / "derivations.tex"
            src.write_text(tex, encoding="utf-8")
            run = subprocess.run(
                [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", src.name],
                cwd=work, capture_output=True, text=True, check=False,
            )
            built = Path(work) / "derivations.pdf"
            if run.returncode != 0 or not built.exists():
                tail = (run.stdout + run.stderr).strip().splitlines()[-5:]
                raise UsageError("latexmk failed: " + " | ".join(tail))
            _atomic_write(pdf_path, built.read_bytes())
    _atomic_write(target, tex.encode("utf-8"))
    print(f"wrote {target}" + (f" and {target.with_suffix('.pdf')}" if pdf else ""))
    return 0


def cmd_check(argv: list[str]) -> int:
    """Delegate ``check ARGS`` verbatim to ``derivations.checker.main``."""
    try:
        from derivations.checker import main as checker_main
    except ImportError as exc:
        if getattr(exc, "name", None) not in ("derivations.checker", None):
            raise
        raise UsageError("the answer checker (derivations.checker) is not installed") from exc
    return int(checker_main(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list[:1] == ["check"]:
            return cmd_check(args_list[1:])
        args = _parser().parse_args(args_list)
        if args.command == "answers":
            return cmd_answers(args.ids, args.json)
        return cmd_latex(args.output, args.pdf)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
