"""``python -m derivations``: the answers, the LaTeX document, and the answer checker.

    python -m derivations answers [ID ...] [--json]
    python -m derivations latex -o FILE.tex [--pdf]
    python -m derivations check ...        (see ``python -m derivations check --help``)
    python -m derivations grade ...        (a whole class: ``python -m derivations grade --help``)

The problem statement is ``docs/sheet11.md``. Bad input (an unknown id, an unwritable path,
``--pdf`` without latexmk) gets one message on stderr and exit status 2; output files are
written all or nothing (:mod:`clitools`).
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from clitools import Parser, Staged, UsageError, check_writable_file, interruptible, run
from derivations.pdf import LATEX_INSTALL, have_latexmk, latexmk

PROG = "python -m derivations"

#: Subcommands run by the answer checker's own command lines.
DELEGATED = {"check": "derivations.checker.cli", "grade": "derivations.checker.grading"}
LATEXMK_HINT = f"latexmk not found; install it, e.g. `{LATEX_INSTALL}`, or omit --pdf"


def _parser() -> Parser:
    parser = Parser(prog=PROG, description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    ans = sub.add_parser("answers", help="print every final answer (or the given ids)")
    ans.add_argument("ids", nargs="*", metavar="ID", help="answer ids (default: all)")
    ans.add_argument("--json", action="store_true", help="JSON: id -> text, srepr, latex")
    tex = sub.add_parser("latex", help="write the step-checked derivations as LaTeX")
    tex.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.tex")
    tex.add_argument("--pdf", action="store_true", help="also build FILE.pdf with latexmk")
    sub.add_parser("check", help="check an answer (see check --help)", add_help=False)
    sub.add_parser("grade", help="grade a whole class's answers (see grade --help)",
                   add_help=False)
    return parser


def cmd_answers(ids: Sequence[str], as_json: bool) -> int:
    """Print the answers (``id: text`` lines, or a JSON object)."""
    import sympy as sp

    from derivations.answers import ANSWER_IDS, answers
    from derivations.printing import latex

    unknown = [i for i in ids if i not in ANSWER_IDS]
    if unknown:
        raise UsageError(
            f"unknown answer id {unknown[0]!r}; known ids: {', '.join(ANSWER_IDS)}"
        )
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
    target = check_writable_file(output, "-o")
    if pdf and not have_latexmk():
        raise UsageError(LATEXMK_HINT)
    pdf_path = check_writable_file(target.with_suffix(".pdf"), "-o") if pdf else None
    from derivations.latex import document

    tex = document()
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
    print(f"wrote {target}" + (f" and {pdf_path}" if pdf_path else ""))
    return 0


def _missing_checker(exc: ImportError) -> int:
    raise UsageError("the answer checker (derivations.checker) is not installed") from exc


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = args_list[0] if args_list else ""
    if command in DELEGATED:  # the checker's commands parse their own arguments
        try:
            module = importlib.import_module(DELEGATED[command])
        except ImportError as exc:
            if not str(getattr(exc, "name", None) or "derivations.checker").startswith(
                    "derivations.checker"):
                raise
            missing = exc
            return run(lambda: _missing_checker(missing), PROG)
        return module.main(args_list[1:])

    def work() -> int:
        args = _parser().parse_args(args_list)
        try:
            if args.command == "answers":
                return cmd_answers(args.ids, args.json)
            return cmd_latex(args.output, args.pdf)
        except OSError as exc:
            raise UsageError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None

    return run(work, PROG)


if __name__ == "__main__":
    with interruptible(PROG):
        sys.exit(main())
