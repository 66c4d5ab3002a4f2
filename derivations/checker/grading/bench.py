"""Timing of ``python -m derivations grade`` on a generated class, against one process per answer.

    python -m derivations.checker.grading.bench [--class 200] [--unique] [--jobs N]
                                                [--per-process 8] [--seed 0] [--keep FILE]

:func:`generate_class` writes a class of students × every id (13 ids) with a realistic mix:
about half right, in varied notation (the sheet's answers as ``sympy.sstr`` and
:func:`derivations.printing.latex` print them, and hand-typed spellings), about a third wrong
in the common ways (a missing factor 2, Σ⁻¹ for Σ, A for Aᵀ, a missing ``+ c``, max for min,
swapped relevances), the rest unreadable; spellings repeat across students, as they do,
with varied spacing. With ``unique``, every answer is made a different string that reads as
the same expression (``(7/7)*(…)``, ``\\frac{7}{7}\\left(…\\right)``), so that no check can be
reused.

The benchmark grades the class with ``python -m derivations grade`` (a subprocess, start-up
included) and times a few runs of ``python -m derivations check`` (one process per answer, the
route the grader replaces), extrapolated to the class; it prints both and their ratio. A
benchmark, not a test: it prints figures and asserts nothing.

>>> rows = generate_class(3, seed=1)
>>> len(rows), sorted({r["id"] for r in rows}) == sorted(ANSWER_IDS)
(39, True)
>>> len({(r["id"], r["answer"]) for r in generate_class(20, unique=True)})
260
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import sympy as sp

from clitools import (
    Command,
    Parser,
    argparse_reader,
    check_writable_file,
    integer_at_least,
    messages_stream,
    write_output,
)
from derivations.answers import ANSWER_IDS, answers
from derivations.checker.grading import normalized
from derivations.checker.grading.cli import cores as available_cores
from derivations.printing import latex as sheet_latex

#: Hand-typed right answers per id (besides the sheet's own as SymPy and LaTeX print them).
RIGHT: dict[str, tuple[str, ...]] = {
    "1a": (r"w/(2\lambda)", r"\frac{1}{2\lambda}w", "w/(2*lambda)", r"\frac{w}{2\lambda}",
           "0.5 w / λ", "(2*lambda)**-1*w"),
    "1b": ("mu + Sigma w", r"\mu + \Sigma w", "Sigma*w + mu",
           r"\boldsymbol{\Sigma} \mathbf{w} + \boldsymbol{\mu}", "Sigma (inv(Sigma) mu + w)"),
    "1c.z": ("A^T w/(2 lambda)", r"\frac{1}{2\lambda} A^\top w", "A.T*w/(2*lambda)",
             "(w^T A)^T/(2 lambda)"),
    "1c.x": ("A A^T w/(2 lambda) + c", r"\frac{A A^T w}{2\lambda} + c", "c + A (A^T w)/(2λ)",
             "A @ A^T w/(2 lambda) + c"),
    "2a.i": ("min(a1,a2)", r"\min(a_1,a_2)", "a1 - relu(a1 - a2)", "(a1 + a2 - |a1 - a2|)/2"),
    "2a.ii": ("min(a1, a2)", r"\min(a_1, a_2)", r"a_2 - \max(0, a_2 - a_1)"),
    "2b.i": ("a1", "a_2", "(a1 + a2)/2", r"\min(a_1, a_2)"),
    "2b.ii": ("0", "0 a1"),
    "2b.i.R2": ("0", "a1 - a2"),
    "2b.ii.R2": ("a2", "a_1", r"\max(a_1, a_2)"),
    "2b.i.general": (),
    "2b.ii.general": (
        "Piecewise((a1**2*(a2 - a1)/((a1 + gamma*a2)*((1 + gamma)*a2 - a1)), a1 < a2), (0, True))",
        r"\begin{cases} \frac{a_1^2 (a_2 - a_1)}{(a_1 + \gamma a_2)((1+\gamma) a_2 - a_1)}"
        r" & a_1 < a_2 \\ 0 & \text{otherwise} \end{cases}",
    ),
    "3b": ("min(h1,h2,h3)", r"\min(h_1, h_2, h_3)", "-max(-h1,-h2,-h3)", "min(h1, min(h2, h3))",
           r"\min_j h_j"),
}

#: The common mistakes per id.
WRONG: dict[str, tuple[str, ...]] = {
    "1a": ("w/lambda", r"\frac{w}{\lambda}", "-w/(2 lambda)", "w/(4 lambda)"),
    "1b": ("mu + inv(Sigma) w", r"\mu + \Sigma^{-1} w", "Sigma w", "mu - Sigma w"),
    "1c.z": ("A w/(2 lambda)", "A^T w/lambda", "A A^T w/(2 lambda) + c"),
    "1c.x": ("A A^T w/(2 lambda)", "A^T A w/(2 lambda) + c", "A A^T w/lambda + c"),
    "2a.i": ("max(a1,a2)", r"\max(a_1,a_2)", "a1"),
    "2a.ii": ("max(a1, a2)", "a2", r"\max(a_1, a_2)"),
    "2b.i": ("0", "a1/2", r"\frac{a_1}{2}"),
    "2b.ii": ("a1", "a_1/2"),
    "2b.i.R2": ("a2", "a_2"),
    "2b.ii.R2": ("0", "a2/2"),
    "2b.i.general": ("a1", "0", "a1*a2/(a1 + a2)"),
    "2b.ii.general": ("0", "a1", "Piecewise((a1, a1 < a2), (0, True))"),
    "3b": ("max(h1,h2,h3)", r"\max(h_1,h_2,h_3)", "min(h1,h2)"),
}

#: Unreadable answers per kind of id (vectors of Ex 1, scalars of Ex 2, Ex 3).
UNREADABLE: dict[str, tuple[str, ...]] = {
    "1": ("w/(2*lamda)", "w/(2*lambda", r"\frac{w}{2\lambda", "w + 1", "x* = ?"),
    "2": ("min(a1,", "a3", "R_1 = ", "a1 +* a2", "min(a1; a2)"),
    "3": ("min(h1, h2, h4)", "min(h1, h2, h3", "min(h)", "h1 h2 h3 ?"),
}

#: The shares of right, wrong and unreadable answers.
MIX = (0.5, 0.35, 0.15)


def spellings(answer_id: str) -> tuple[list[str], list[str], list[str]]:
    """The right, wrong and unreadable spellings of ``answer_id`` a class may type."""
    expr = answers()[answer_id]
    right = list(dict.fromkeys([sp.sstr(expr), sheet_latex(expr), *RIGHT[answer_id]]))
    return right, list(WRONG[answer_id]), list(UNREADABLE[answer_id[0]])


def _pick(rng: random.Random, options: list[str]) -> str:
    """A spelling, the first ones more often (a few spellings are typed by many)."""
    weights = [1.0 / (rank + 1) for rank in range(len(options))]
    return rng.choices(options, weights)[0]


def _respace(rng: random.Random, answer: str) -> str:
    """The same answer with other spacing now and then (as people type)."""
    roll = rng.random()
    if roll < 0.1:
        return f" {answer} "
    if roll < 0.2 and " " in answer:
        return answer.replace(" ", "  ", 1)
    return answer


def unique_variant(answer: str, n: int) -> str:
    """``answer`` as a string no other student types, read as the same expression.

    >>> unique_variant("w/lambda", 7), unique_variant(r"\\frac{w}{\\lambda}", 7)
    ('(7/7)*(w/lambda)', '\\\\frac{7}{7}\\\\left(\\\\frac{w}{\\\\lambda}\\\\right)')
    """
    if "\\" in answer:
        return rf"\frac{{{n}}}{{{n}}}\left({answer}\right)"
    return f"({n}/{n})*({answer})"


def generate_class(students: int, *, unique: bool = False, seed: int = 0) -> list[dict[str, str]]:
    """``students`` × every id as rows ``{student, id, answer, format}`` in a realistic mix."""
    rng = random.Random(seed)
    table = {i: spellings(i) for i in ANSWER_IDS}
    rows = []
    for s in range(students):
        name = f"student{s + 1:03d}"
        for answer_id in ANSWER_IDS:
            right, wrong, bad = table[answer_id]
            kind = rng.choices((right or wrong, wrong, bad), MIX)[0]
            answer = _pick(rng, kind)
            answer = unique_variant(answer, s + 2) if unique else _respace(rng, answer)
            fmt = "latex" if "\\" in answer and rng.random() < 0.5 else ""
            rows.append({"student": name, "id": answer_id, "answer": answer, "format": fmt})
    return rows


def class_csv(rows: list[dict[str, str]]) -> str:
    """The rows as a CSV file of the platform export kind (header, quoting as needed)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["student", "id", "answer", "format"],
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "derivations", *args]


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def per_process(rows: list[dict[str, str]], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` runs of ``python -m derivations check``, on answers
    spread over the class."""
    step = max(1, len(rows) // runs)
    times, cpus = [], []
    for row in rows[::step][:runs]:
        flag = ["--latex"] if row["format"] == "latex" else []
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(_command("check", *flag, "--json", row["id"], "--", row["answer"]),
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return times, cpus


def _parser() -> Parser:
    parser = Parser(prog="python -m derivations.checker.grading.bench",
                    description="Time python -m derivations grade on a generated class, "
                                "against one process per answer.")
    parser.add_argument("--class", dest="students", type=integer_at_least(1, "--class"),
                        default=200, metavar="N", help="students in the class (default 200)")
    parser.add_argument("--unique", action="store_true",
                        help="no answer repeats (default: answers repeat as in a real class)")
    parser.add_argument("--jobs", type=integer_at_least(1, "--jobs"), default=None,
                        metavar="N", help="grade --jobs (default: all cores)")
    parser.add_argument("--per-process", type=integer_at_least(1, "--per-process"), default=8,
                        metavar="K",
                        help="runs of python -m derivations check to time (default 8)")
    parser.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0, metavar="N",
                        help="seed of the class (default 0)")
    parser.add_argument("--keep", type=Path, metavar="FILE",
                        help="also save the class CSV; - for standard output, the figures then "
                        "going to standard error (default: not saved)")
    return parser


def body(args: argparse.Namespace) -> int:
    """Time ``grade`` on a generated class against one process per answer; print ratios."""
    out = messages_stream(args.keep)
    rows = generate_class(args.students, unique=args.unique, seed=args.seed)
    distinct = len({(r["id"], normalized(r["answer"].strip()), r["format"]) for r in rows})
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "class.csv"
        source.write_text(class_csv(rows), encoding="utf-8")
        if args.keep:
            write_output(args.keep, source.read_text(encoding="utf-8"))
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        cpu_before, start = _children_cpu(), time.perf_counter()
        done = subprocess.run(_command("grade", str(source), "--out", f"{work}/grades", *jobs),
                              capture_output=True, text=True, check=False)
        total, cpu = time.perf_counter() - start, _children_cpu() - cpu_before
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        records = [json.loads(line) for line in
                   (Path(work) / "grades" / "grades.jsonl").read_text("utf-8").splitlines()]
    verdicts = Counter(r["verdict"] for r in records)
    origins = Counter(r["origin"] for r in records)
    times, cpus = per_process(rows, args.per_process)
    one, one_cpu = statistics.mean(times), statistics.mean(cpus)
    cores = available_cores()
    serial = one * len(rows)
    kind = "no answer repeated" if args.unique else "answers repeat as in a real class"
    print(f"class: {args.students} students × {len(ANSWER_IDS)} ids = {len(rows)} answers, "
          f"{distinct} distinct ({kind}); seed {args.seed}", file=out)
    print("verdicts: " + ", ".join(f"{v} {n}" for v, n in verdicts.most_common()), file=out)
    print(f"grade: {origins['checked']} checks, {origins['reused']} reused; {total:.1f} s in "
          f"all (start-up included), {len(rows) / total:.1f} answers/s "
          f"(--jobs {args.jobs or cores}); CPU time {cpu:.1f} s", file=out)
    print(f"per process: python -m derivations check takes {one:.2f} s per answer (mean of "
          f"{len(times)} runs, {min(times):.2f}–{max(times):.2f} s; CPU {one_cpu:.2f} s) -> "
          f"{serial:.0f} s for the class one after another, {serial / cores:.0f} s on {cores} "
          f"cores in parallel", file=out)
    print(f"ratio: grade is {serial / total:.1f}× faster than one process per answer "
          f"({serial / cores / total:.1f}× against {cores} of them in parallel; "
          f"{one_cpu * len(rows) / cpu:.1f}× less CPU time)", file=out)
    print(f"machine: load average {os.getloadavg()[0]:.1f} on {cores} cores "
          "(other work slows both routes)", file=out)
    return 0


def read(argv: list[str]) -> argparse.Namespace:
    """The arguments, with ``--keep`` checked before any work."""
    args = argparse_reader(_parser)(argv)
    if args.keep is not None:
        check_writable_file(args.keep, "--keep")
    return args


COMMAND = Command("python -m derivations.checker.grading.bench", read, body)


def main(argv: list[str] | None = None) -> int:
    """The benchmark on ``argv``; the exit status."""
    return COMMAND.main(argv)


if __name__ == "__main__":
    COMMAND.start()
