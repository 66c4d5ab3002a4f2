"""The answer checker: is a student's typed answer the sheet's answer?

Only the checker lives here; it reads the derived answers of :mod:`derivations.answers` and
never the other way round. Its parts, in the order a check runs them:

- :mod:`~derivations.checker.tokens` (its LaTeX commands in one table,
  :mod:`~derivations.checker.tokens.latex`) and :mod:`~derivations.checker.reading` — read
  the typed text or LaTeX into a shape-checked SymPy expression: the grammar
  (:mod:`~derivations.checker.reading.grammar`) apart from its handlers, one module each for
  names, LaTeX commands, functions, cases, the units of 3b, shapes and size limits;
- :mod:`~derivations.checker.case_splits` and :mod:`~derivations.checker.sampling` — the
  regions that decide a ``min``/``max``/case, and points drawn in every one of them;
- :mod:`~derivations.checker.evaluating` — the answers' values at those points (the values
  and their arithmetic apart from the tree walk);
- :mod:`~derivations.checker.pieces` — every piece of the case structure of a difference
  settled (the pieces, the search for points inside one, the settling);
- :mod:`~derivations.checker.proving` — a symbolic proof, under a hard time limit
  (:mod:`~derivations.checker.time_limit`);
- :mod:`~derivations.checker.diagnosing` — why a refuted answer is wrong (the rule table,
  the partial-domain sentences, the evidence, the wording);
- :mod:`~derivations.checker.verdict` — :func:`check`, which decides PROVED, NUMERICALLY
  EQUAL, REFUTED or CANNOT CHECK; :mod:`~derivations.checker.cli` — ``python -m
  derivations check``; :mod:`~derivations.checker.bench` — its timing.

>>> check("1a", "w/(2*lambda)").verdict.value
'PROVED'
"""

from derivations.checker.cli import main
from derivations.checker.verdict import CheckResult, Counterexample, Verdict, answer_ids, check

__all__ = ["CheckResult", "Counterexample", "Verdict", "answer_ids", "check", "main"]
