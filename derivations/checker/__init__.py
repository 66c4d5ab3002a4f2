"""The answer checker: is a student's typed answer the sheet's answer?

Only the checker lives here; it reads the derived answers of :mod:`derivations.answers` and
never the other way round. Its parts, in the order a check runs them:

- :mod:`~derivations.checker.tokens` and :mod:`~derivations.checker.reading` — read the
  typed text or LaTeX into a shape-checked SymPy expression;
- :mod:`~derivations.checker.case_splits` and :mod:`~derivations.checker.sampling` — the
  regions that decide a ``min``/``max``/case, and points drawn in every one of them;
- :mod:`~derivations.checker.evaluating` — the answers' values at those points;
- :mod:`~derivations.checker.proving` — a symbolic proof, under a hard time limit
  (:mod:`~derivations.checker.time_limit`);
- :mod:`~derivations.checker.diagnosing` — why a refuted answer is wrong;
- :mod:`~derivations.checker.verdict` — :func:`check`, which decides PROVED, NUMERICALLY
  EQUAL, REFUTED or CANNOT CHECK; :mod:`~derivations.checker.cli` — ``python -m
  derivations check``; :mod:`~derivations.checker.bench` — its timing.

>>> check("1a", "w/(2*lambda)").verdict.value
'PROVED'
"""

from derivations.checker.cli import main
from derivations.checker.verdict import CheckResult, Counterexample, Verdict, answer_ids, check

__all__ = ["CheckResult", "Counterexample", "Verdict", "answer_ids", "check", "main"]
