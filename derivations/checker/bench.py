"""Timing of the answer checker: ``python -m derivations.checker.bench``.

Checks every answer of :mod:`derivations.answers` as SymPy prints it (text and LaTeX),
``repeat`` times, and prints the median and the slowest time of one check per id and overall,
in wall-clock seconds and in CPU seconds (of this process and of the worker a check's proof
may run in). With ``--tables`` it also checks
every answer of the test tables (``tests/checker/*.py`` of a source checkout: every list of
rows ``(id, answer, …)`` and the decoys) once and prints the slowest. A benchmark, not a test:
it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import sympy as sp

from clitools import Command, Parser, argparse_reader, integer_at_least
from derivations.answers import ANSWER_IDS, answers
from derivations.checker import check

#: Where the test tables live in a source checkout.
TABLES = Path(__file__).resolve().parents[2] / "tests" / "checker"

#: How many of the slowest table answers are printed.
SLOWEST = 12


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the proof's worker)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(answer_id: str, text: str, latex: bool | None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, verdict) of one check."""
    wall, cpu = time.perf_counter(), _cpu()
    result = check(answer_id, text, latex=latex)
    return time.perf_counter() - wall, _cpu() - cpu, result.verdict.value


def measure(repeat: int = 3) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds per check, by id, for the text and LaTeX forms of every answer."""
    out: dict[str, list[tuple[float, float]]] = {}
    for answer_id, expr in answers().items():
        for text, latex in ((sp.sstr(expr), False), (sp.latex(expr), True)):
            for _ in range(repeat):
                wall, cpu, verdict = _timed(answer_id, text, latex)
                out.setdefault(answer_id, []).append((wall, cpu))
                if verdict not in ("PROVED", "NUMERICALLY EQUAL"):
                    print(f"{answer_id}: {verdict} for {text!r}", file=sys.stderr)
    return out


def _module(path: Path) -> ModuleType | None:
    spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # noqa: BLE001 - a table that does not import is left out
        return None
    return module


def _rows(value: object) -> Iterator[tuple[str, str]]:
    """(id, answer) pairs in a table: rows ``(id, answer, …)`` or ``(kind, (id, answer, …))``."""
    if not isinstance(value, list | tuple):
        return
    for item in value:
        if isinstance(item, tuple) and len(item) >= 2:
            first, second = item[0], item[1]
            if isinstance(first, str) and isinstance(second, str) and first in ANSWER_IDS:
                yield first, second
            elif isinstance(second, tuple):
                yield from _rows([second])


def table_answers() -> list[tuple[str, str, str]]:
    """(table, id, answer) of every answer in the test tables (none outside a checkout)."""
    out: dict[tuple[str, str], str] = {}
    if not TABLES.is_dir():
        return []
    sys.path.insert(0, str(TABLES))
    try:
        for path in sorted(TABLES.glob("test_checker_*.py")) + [TABLES / "decoys.py"]:
            module = _module(path) if path.is_file() else None
            if module is None:
                continue
            for name, value in sorted(vars(module).items()):
                if name.isupper():
                    for answer_id, answer in _rows(value):
                        out.setdefault((answer_id, answer), f"{path.stem}.{name}")
            if hasattr(module, "decoys"):
                for d in module.decoys():
                    out.setdefault((d.answer_id, d.answer), f"{path.stem}.decoys")
    finally:
        sys.path.remove(str(TABLES))
    return [(table, i, a) for (i, a), table in out.items()]


def _parser() -> Parser:
    parser = Parser(prog="python -m derivations.checker.bench",
                    description="Time the answer checker on every answer of the sheet.")
    parser.add_argument("--repeat", type=integer_at_least(1, "--repeat"), default=3,
                        help="checks per answer and form (default 3)")
    parser.add_argument("--tables", action="store_true",
                        help="also check every answer of the test tables once; print the "
                        f"{SLOWEST} slowest")
    return parser


def _line(label: str, times: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in times], [c for _, c in times]
    return (f"{label:16} {statistics.median(walls):9.3f} {max(walls):7.3f} "
            f"{statistics.median(cpus):9.3f} {max(cpus):7.3f}")


def body(args: argparse.Namespace) -> int:
    """Print the median and slowest time of one check, per id and overall."""
    times = measure(args.repeat)
    every = [t for ts in times.values() for t in ts]
    print(f"{'id':16} {'median s':>9} {'max s':>7} {'median CPU':>9} {'max CPU':>7}")
    for answer_id, ts in times.items():
        print(_line(answer_id, ts))
    print(_line("all", every) + f"  ({len(every)} checks)")
    if args.tables:
        rows = table_answers()
        timed = []
        for table, answer_id, answer in rows:
            wall, cpu, verdict = _timed(answer_id, answer, None)
            timed.append((wall, cpu, verdict, table, answer_id, answer))
        print(f"\nthe test tables: {len(timed)} answers")
        print(_line("all", [(w, c) for w, c, *_ in timed]))
        print(f"the {SLOWEST} slowest (wall s, CPU s, verdict, table, id, answer):")
        for wall, cpu, verdict, table, answer_id, answer in sorted(timed, reverse=True)[:SLOWEST]:
            print(f"  {wall:6.3f} {cpu:6.3f}  {verdict:17} {table:40} {answer_id:13} "
                  f"{answer[:60]!r}")
    return 0


COMMAND = Command("python -m derivations.checker.bench", argparse_reader(_parser), body)


def main(argv: list[str] | None = None) -> int:
    """The benchmark on ``argv``; the exit status."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
