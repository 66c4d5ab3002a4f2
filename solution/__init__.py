"""The last stage, ``make report``: the three packages' results assembled into one document.

:func:`solution.build.build` runs its six stages — derivations (SymPy) → numerics → VGG-16
explanations → the sheet's observations measured (trained digits network) → LaTeX document →
PDF (the last only where latexmk is installed) — into a folder that replaces the previous
report only when every stage succeeded.
"""

from clitools import guard_imports

guard_imports()  # `python -m`: Ctrl-C while heavy modules import is one line, exit 130

