"""``python -m derivations serve``: the page where students check their answers.

    python -m derivations serve [--host 127.0.0.1] [--port 8000] [--workers N]
                                [--preview-workers N] [--queue N] [--sheet FILE]

It listens on localhost by default; put it behind a reverse proxy to open it to a class
(README, "Hosting the page for a course"). A taken port, an unknown host or a sheet that
cannot be read is one line and exit status 2, before any worker starts.
"""

from __future__ import annotations

import argparse
import sys

from clitools import Command, Parser, argparse_reader, integer_at_least, integer_between

PROG = "python -m derivations serve"


def _parser() -> Parser:
    from derivations.checker.serve.config import cores

    parser = Parser(
        prog=PROG,
        description="Serve the page where students check their answers of exercise sheet 11 "
        "(docs/sheet11.md): a box per answer, a live preview of how it was read, and the "
        "verdict of `python -m derivations check`.",
        epilog="Ctrl-C or SIGTERM stops it gracefully (requests in flight are answered, the "
        "workers stopped); exit status 130 after Ctrl-C, 2 for bad usage (a taken port, an "
        "unreadable sheet).")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=integer_between(0, 65535, "--port"), default=8000,
                        help="TCP port (default 8000; 0: any free port)")
    parser.add_argument("--workers", type=integer_at_least(1, "--workers"),
                        default=2 * cores(), metavar="N",
                        help=f"processes that run checks (default {2 * cores()}: twice the "
                        "cores, so that a slow check does not hold up quick ones)")
    parser.add_argument("--preview-workers", type=integer_at_least(1, "--preview-workers"),
                        default=cores(), metavar="N",
                        help=f"processes that read answers for the preview (default {cores()})")
    parser.add_argument("--queue", type=integer_at_least(1, "--queue"), default=64,
                        metavar="N", help="checks waiting for a worker before the server "
                        "answers 503 (default 64); the previews' queue has the same size")
    parser.add_argument("--sheet", metavar="FILE", default=None,
                        help="the problem statement in Markdown (default: docs/sheet11.md)")
    return parser


def body(args: argparse.Namespace) -> int:
    """Bind, build the application, serve until stopped; the exit status (0)."""
    from derivations.checker.serve.app import sheet_app
    from derivations.checker.serve.config import ServeConfig
    from derivations.checker.serve.server import bind, serve_forever, url_of

    config = ServeConfig(check_workers=args.workers, preview_workers=args.preview_workers,
                         check_queue=args.queue, preview_queue=args.queue)
    app = sheet_app(config, args.sheet)
    sock = bind(args.host, args.port)
    print(f"{PROG}: serving the sheet on {url_of(sock)} ({config.check_workers} check "
          f"workers, {config.preview_workers} preview workers); Ctrl-C stops",
          file=sys.stderr, flush=True)
    try:
        serve_forever(app, sock)
    finally:
        sock.close()
    return 0


def _input_errors() -> tuple[type[BaseException], ...]:
    from derivations.checker.serve.errors import ServeError

    return (ServeError,)


#: ``python -m derivations serve``: a taken port or a bad sheet is one line, exit status 2.
COMMAND = Command(PROG, argparse_reader(_parser), body, input_errors=_input_errors())

__all__ = ["COMMAND", "PROG", "body"]
