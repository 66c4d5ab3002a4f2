"""Exercise sheet 11 derived by SymPy: every answer, every step checked, as LaTeX.

- :mod:`derivations.answers` — ``answers()``: answer id → SymPy expression, the single source
  of every formula (the numerics and the checker read it);
- :mod:`derivations.activation_maximization` (Ex 1), :mod:`derivations.relu_lrp` and
  :mod:`derivations.lrp_structure` (Ex 2), :mod:`derivations.neuralization` (Ex 3);
- :mod:`derivations.steps` — a derivation as a chain of checked relations;
- :mod:`derivations.latex` — the document; :mod:`derivations.checker` — the answer checker.

``python -m derivations answers | latex | check``.
"""

from clitools import guard_imports

guard_imports()  # `python -m`: Ctrl-C while heavy modules import is one line, exit 130

