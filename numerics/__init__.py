"""Numerical verification of every derivation of sheet 11.

Each closed form of :mod:`derivations.answers` (lambdified by :mod:`numerics.evaluate`, never
re-typed) is compared with an independent numerical method:

- :mod:`numerics.activation_maximization` — Ex 1: gradient ascent (PyTorch autograd) and
  ``scipy.optimize`` on random, also ill-conditioned, instances;
- :mod:`numerics.min_networks` — Ex 2: the min networks as ``torch.nn`` modules, LRP-γ by
  :mod:`vgg.engine`, by explicit NumPy sums and from the derived relevances;
- :mod:`numerics.one_class_svm` — Ex 3: a scikit-learn ``OneClassSVM`` fitted on wine data,
  neuralized in PyTorch.

:func:`numerics.report.run_all` runs everything and returns the table's rows;
``python -m numerics`` prints the table (``--json``, ``--plots``, ``--seed``).
"""

from clitools import guard_imports

guard_imports()  # `python -m`: Ctrl-C while heavy modules import is one line, exit 130

