r"""Explanation quality, measured: the sheet's observations of Exercise 4 as numbers.

The sheet says of Exercise 4 that Gradient × Input "is noisy and has a large amount of
positive and negative evidence" and that with LRP "most of the noise has disappeared". This
package turns those words into numbers, per image, with 95 % confidence intervals over images,
for any torchvision VGG, image batches and targets (``python -m vgg.evaluate``).

- the methods compared are :mod:`vgg.methods`' (its default set); ``f_t`` is the **logit** of
  the explained class ``t`` — by default the network's prediction;
- :mod:`vgg.evaluation.metrics` — the registry: every metric declared once, with its name,
  label, direction and format, measured by its family's module —
  :mod:`~vgg.evaluation.flipping` (pixel flipping, AOPC, per perturbation baseline:
  :mod:`~vgg.evaluation.baselines`), :mod:`~vgg.evaluation.negative` (negative evidence),
  :mod:`~vgg.evaluation.noise` (total variation), :mod:`~vgg.evaluation.conservation`
  (``ΣR / f_t``) and :mod:`~vgg.evaluation.randomization` (the randomization sanity check),
  all reading the channel-summed heatmap ``H = Σ_c R_c``, the logit or the flipping curves
  (:mod:`~vgg.evaluation.evidence`);
- :mod:`vgg.evaluation.claims` — the sheet's claims as criteria, fixed before they were
  measured, and their verdicts over training seeds and baselines;
- :mod:`vgg.evaluation.measure` — :func:`~vgg.evaluation.measure.evaluate` over a DataLoader
  (:mod:`~vgg.evaluation.data`), also across processes (:mod:`~vgg.evaluation.distributed`);
- :mod:`vgg.evaluation.table` — the per-image results and the table, means with percentile
  bootstrap intervals and paired differences (:mod:`~vgg.evaluation.intervals`);
  :mod:`~vgg.evaluation.cache` keeps a network's table by its file hash;
- :mod:`vgg.evaluation.plots` — the figures (:mod:`~vgg.evaluation.examples`: one digit per
  class); :mod:`vgg.evaluation.cli` — the command;
  :mod:`vgg.evaluation.defaults` — the settings' defaults.

Nothing in this package's ``__init__`` imports torch: the command's reader answers at once.
"""
