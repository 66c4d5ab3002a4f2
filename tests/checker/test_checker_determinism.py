"""No verdict depends on the machine: not on its load, not on the time given, not on hashing.

* the slowest answers (the general-M forms of 3b, the slowest rows of the tables) get the same
  verdict with a competing CPU load (a busy process per core) as without, with a small and a
  large ``timeout``: the work is bounded in steps, and the time limit is a safety stop only;
* less time never accepts: with almost none, a verdict is the same or CANNOT CHECK;
* messages are the same under any ``PYTHONHASHSEED`` (conditions and names in a fixed order).

No assertion here is on a duration.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from derivations.checker import Verdict, check

ROOT = Path(__file__).resolve().parents[2]

#: The slowest answers of the tables (each about 0.3–0.7 s of CPU here), and answers whose
#: proof needs the symbolic worker (a case split, pieces, the term budget).
SLOWEST = [
    ("3b", r"\min_j h_j"),
    ("3b", r"-\max_j\{-h_j\}"),
    ("3b", r"\min_{1 \le j \le M} h_j"),
    ("3b", r"\min_{j=1,\dots,M} h_j"),
    ("3b", "min(h1, h2, h3) + max(0, h1 - 100)"),
    ("3b", r"-\log\left(\exp(-h_1) + \exp(-h_2) + \exp(-h_3)\right)"),
    ("3b", "(h1+h2-abs(h1-h2))/2 - max(0, (h1+h2-abs(h1-h2))/2 - h3)"),
    ("2a.i", "(a1 + a2 - |a1 - a2|)/2"),
    ("2a.i", "min(a1, a2) + (a1 + gamma + 1)^40 - ((a1 + gamma)^2 + 2(a1 + gamma) + 1)^20"),
    ("2b.i.general", r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{\gamma(1+\gamma)a_1^2 a_2}"
                     r"{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)} & a_1 > a_2 \end{cases}"),
    ("1a", "w/(2*lambda) + max(0, lambda^2 - 2*10^8)*w"),
    ("1a", "w/(2λ) + (log(exp(λ) + exp(-10^6)) - λ)·w"),
]


@contextmanager
def busy_cores() -> Iterator[None]:
    """A process spinning on every core while the block runs."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
             for _ in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


def test_the_slowest_answers_get_the_same_verdict_under_load_and_any_timeout() -> None:
    quiet = {(i, a): check(i, a).verdict for i, a in SLOWEST}
    assert Verdict.CANNOT_CHECK not in {quiet[s] for s in SLOWEST[:6]}
    with busy_cores():
        small = {(i, a): check(i, a, timeout=20.0).verdict for i, a in SLOWEST}
        large = {(i, a): check(i, a, timeout=3600.0).verdict for i, a in SLOWEST}
    assert small == quiet, [(k, quiet[k], small[k]) for k in quiet if quiet[k] != small[k]]
    assert large == quiet, [(k, quiet[k], large[k]) for k in quiet if quiet[k] != large[k]]


@pytest.mark.parametrize(("answer_id", "answer"), SLOWEST)
def test_less_time_never_turns_cannot_check_into_an_acceptance(answer_id: str,
                                                              answer: str) -> None:
    full = check(answer_id, answer)
    hurried = check(answer_id, answer, timeout=1e-6)
    assert hurried.verdict in (full.verdict, Verdict.CANNOT_CHECK), (full.report(),
                                                                     hurried.report())
    if full.verdict is Verdict.CANNOT_CHECK:
        assert hurried.verdict is Verdict.CANNOT_CHECK


def _check_json(seed: str, answer_id: str, answer: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "derivations", "check", "--json", answer_id,
                           answer], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300, check=False)
    return done.stdout


#: Checks whose messages name several conditions or names (the order came from hashing).
HASHED = [
    ("2b.i.general", r"\begin{cases} a_1 & a_1 \le a_2 \\ \frac{\gamma(1+\gamma)a_1^2 a_2}"
                     r"{(\gamma a_1 + a_2)((1+\gamma)a_1 - a_2)} & a_1 > a_2 \end{cases}"),
    ("2b.i.general", "a1"),
]


@pytest.mark.parametrize(("answer_id", "answer"), HASHED)
def test_messages_do_not_depend_on_the_hash_seed(answer_id: str, answer: str) -> None:
    first, second = (_check_json(seed, answer_id, answer) for seed in ("0", "12345"))
    assert first and first == second, (first, second)
