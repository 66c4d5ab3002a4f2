r"""Benchmark: one forward pass, Gradient × Input, LRP and Zennit's LRP on VGG-16.

``python -m vgg.bench [--batch N] [--device auto|cpu|cuda] [--repeats R] [--memory-runs M]
[--size S] [--no-zennit] [--json FILE]`` (:mod:`vgg.bench.cli`) measures
(:mod:`vgg.bench.measure`), on a VGG-16 with random (seeded, untrained) weights — the figures
depend on the architecture, not on the weights — and a random float32 batch:

- time: ``forward`` is ``model(x)`` in inference mode, the unit; the methods ``python -m vgg`` shows
  (:data:`vgg.methods.SHOWN`: ``gradient_x_input`` and ``lrp``) and ``zennit`` (the same LRP by
  Zennit, :func:`vgg.engine.reference.zennit_lrp`, when installed) are given in forward passes.
  Each time is the median of ``R`` runs after one warm-up round, the methods taking turns so
  that a busy machine slows them alike; the fastest run of each is printed too (on a shared
  machine, the ratios of the fastest runs show the cost without the neighbours' load). - memory:
  each method's peak extra memory, the growth of the process's peak memory over that of a
  plain no-grad forward pass, each method in a fresh process (build the network, run the no-grad
  forward twice, then the method once, :func:`~vgg.bench.measure.probe`), the median of ``M``
  such processes. On the CPU the peak is the peak resident set size (``VmHWM`` in
  ``/proc/self/status``: tensors, oneDNN's buffers and the allocator's slack alike), which moves
  between identical processes (where glibc's heap ends up: a few MiB on a quiet machine, up to
  some 30 MiB on a busy one, hence the median); on CUDA it is
  ``torch.cuda.max_memory_allocated``. The forward's own row is its peak over the loaded network
  and batch (the median over all those processes).

Targets (2-core CPU): LRP ≤ 3.3 forward passes at batch 8, LRP's peak extra memory ≤ 1.5×
that of Gradient × Input (at any batch), LRP ≥ 3× faster than Zennit; Gradient × Input
≤ 2.3 forward passes (:data:`vgg.bench.report.TARGETS`). Progress goes to stderr, the table
(:mod:`vgg.bench.report`) to stdout. Nothing in this ``__init__`` imports torch.
"""

#: The command, as the user types it.
PROG = "python -m vgg.bench"
