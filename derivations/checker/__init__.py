"""The answer checker: is a student's typed answer the sheet's answer?

Only the checker lives here; it reads the derived answers of :mod:`derivations.answers` and
never the other way round. Its parts, in the order a check runs them:

- :mod:`~derivations.checker.tokens` (its LaTeX commands in one table,
  :mod:`~derivations.checker.tokens.latex`) and :mod:`~derivations.checker.reading` — read
  the typed text or LaTeX into a shape-checked SymPy expression: the grammar
  (:mod:`~derivations.checker.reading.grammar`) apart from its handlers, one module each for
  names, LaTeX commands, functions, cases, the units of 3b and the index sets under
  ``\\min``, functions of x, the identity, shapes and size limits;
- :mod:`~derivations.checker.case_splits` and :mod:`~derivations.checker.sampling` — the
  regions that decide a ``min``/``max``/case, and points drawn in every one of them;
- :mod:`~derivations.checker.evaluating` — the answers' values at those points: exact
  rationals, or certified enclosures where a value is not rational (never rounded);
  :mod:`~derivations.checker.comparing` — both answers compared at a point: equal exactly,
  certainly different, or not separated (at 64 to 4096 bits);
- :mod:`~derivations.checker.scales` — more points: every parameter on the scales 10⁻¹² …
  10¹², and where a term (``e^{-K·f}``, ``log u``) is largest;
- :mod:`~derivations.checker.proving` — a symbolic proof, deterministic and bounded in work
  (:mod:`~derivations.checker.zero_tests`: exact expansion under a term budget fixed before
  expanding, sound ``exp``/``log`` rewrites, the ``min``/``max`` normal form), run by
  :mod:`~derivations.checker.symbolic` in a worker with a safety stop only
  (:mod:`~derivations.checker.time_limit`);
- :mod:`~derivations.checker.pieces` — every piece of the case structure of a difference
  settled (the pieces, the search for points inside one, the settling; bounded in work);
- :mod:`~derivations.checker.schwartz_zippel` — when equality at random points is a proof
  with a stated error (rational answers only);
- :mod:`~derivations.checker.diagnosing` — why a refuted answer is wrong (the rule table,
  the partial-domain sentences, the evidence, the wording);
- :mod:`~derivations.checker.verdict` — :func:`check`, which decides PROVED, NUMERICALLY
  EQUAL, REFUTED or CANNOT CHECK; :mod:`~derivations.checker.results` — what it returns,
  as text and JSON (:mod:`~derivations.checker.shown`: control characters escaped);
  :mod:`~derivations.checker.cli` — ``python -m derivations check``;
  :mod:`~derivations.checker.bench` — its timing.

>>> check("1a", "w/(2*lambda)").verdict.value
'PROVED'
"""

from derivations.checker.cli import main
from derivations.checker.verdict import CheckResult, Counterexample, Verdict, answer_ids, check

__all__ = ["CheckResult", "Counterexample", "Verdict", "answer_ids", "check", "main"]
