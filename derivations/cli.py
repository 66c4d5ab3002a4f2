"""The commands of ``python -m derivations`` that the derivations themselves answer.

    python -m derivations answers [ID ...] [--json]
    python -m derivations latex -o FILE.tex [--pdf]

The table of every ``python -m derivations`` command (these two, ``check``, ``grade``) is
:data:`derivations.__main__.TABLE`. Bad input (an unknown id, an unwritable path, ``--pdf``
without latexmk) gets one message on stderr and exit status 2; output files are written all
or nothing (:mod:`clitools`).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from clitools import (
    Command,
    Parser,
    Staged,
    UsageError,
    argparse_reader,
    check_writable_file,
    is_stdout,
    write_output,
)
from derivations.pdf import LATEX_INSTALL, have_latexmk, latexmk

LATEXMK_HINT = f"latexmk not found; install it, e.g. `{LATEX_INSTALL}`, or omit --pdf"


def _answers_parser() -> Parser:
    p = Parser(prog="python -m derivations answers",
               description="Print every final answer of the sheet (or the given ids).")
    p.add_argument("ids", nargs="*", metavar="ID", help="answer ids (default: all)")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: id -> text, srepr, latex (default: id: text lines)")
    return p


def _latex_parser() -> Parser:
    p = Parser(prog="python -m derivations latex",
               description="Write the step-checked derivations as a LaTeX article.")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.tex",
                   help="the .tex file to write (all or nothing); - for standard output "
                        "(required, no default)")
    p.add_argument("--pdf", action="store_true",
                   help="also build FILE.pdf with latexmk (default: the .tex only)")
    return p


def answers_body(args: argparse.Namespace) -> int:
    """Print the answers (``id: text`` lines, or a JSON object)."""
    import sympy as sp

    from derivations.answers import ANSWER_IDS, answers
    from derivations.printing import latex

    unknown = [i for i in args.ids if i not in ANSWER_IDS]
    if unknown:
        raise UsageError(
            f"unknown answer id {unknown[0]!r}; known ids: {', '.join(ANSWER_IDS)}"
        )
    values = answers()
    chosen = list(args.ids) or list(ANSWER_IDS)
    if args.json:
        obj = {
            i: {"text": sp.sstr(values[i]), "srepr": sp.srepr(values[i]), "latex": latex(values[i])}
            for i in chosen
        }
        print(json.dumps(obj, indent=2))
    else:
        for i in chosen:
            print(f"{i}: {sp.sstr(values[i])}")
    return 0


def latex_body(args: argparse.Namespace) -> int:
    """Write the document to ``args.output`` (and its ``.pdf`` with ``--pdf``)."""
    target = check_writable_file(args.output, "-o")
    if args.pdf and is_stdout(target):
        raise UsageError("-o - writes the .tex to standard output; --pdf needs a file name "
                         "(FILE.pdf is built beside FILE.tex)")
    if is_stdout(target):
        from derivations.latex import document

        write_output(target, document())
        return 0
    if args.pdf and not have_latexmk():
        raise UsageError(LATEXMK_HINT)
    pdf_path = check_writable_file(target.with_suffix(".pdf"), "-o") if args.pdf else None
    from derivations.latex import document

    tex = document()
    try:
        with Staged() as stage:
            if pdf_path is not None:
                with tempfile.TemporaryDirectory() as work:
                    src = Path(work) / "derivations.tex"
                    src.write_text(tex, encoding="utf-8")
                    try:
                        built, _ = latexmk(src)
                    except RuntimeError as error:
                        raise UsageError(str(error)) from None
                    stage.path(pdf_path).write_bytes(built.read_bytes())
            stage.path(target).write_text(tex, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
    print(f"wrote {target}" + (f" and {pdf_path}" if pdf_path else ""))
    return 0


ANSWERS = Command("python -m derivations answers", argparse_reader(_answers_parser),
                  answers_body)
LATEX = Command("python -m derivations latex", argparse_reader(_latex_parser), latex_body)

__all__ = ["ANSWERS", "LATEX", "LATEXMK_HINT", "answers_body", "latex_body"]
