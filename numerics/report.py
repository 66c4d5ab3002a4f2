"""All numerical checks, as table rows: run them, print them, save them.

:func:`run_all` runs the three exercises' checks (data: :data:`CHECKS`) and returns their
:class:`~numerics.rows.Row` objects; :func:`table` renders them as text, :func:`to_json` as a
JSON document, :func:`write_json` writes it atomically. The plots go to ``plots_dir``
(:func:`plot_paths` names them).

>>> rows = [Row.of("2a demo", "y vs min", [0.0, 1e-16], 1e-12)]
>>> print(table(rows))
check    compared  max error  tolerance  pass
-------  --------  ---------  ---------  ----
2a demo  y vs min   1.00e-16   1.00e-12  PASS
1/1 checks passed
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sympy as sp

from clitools import write_file
from numerics import activation_maximization, min_networks, one_class_svm
from numerics.rows import Row

#: ``progress(done, total, name)``: called before each group of checks (and once at the end,
#: with ``done == total``).
Progress = Callable[[int, int, str], None]

Check = Callable[[int, Path | None, Mapping[str, sp.Basic]], list[Row]]

#: The groups of checks, in order: (name, function of (seed, plots_dir, answers)).
CHECKS: tuple[tuple[str, Check], ...] = (
    ("Exercise 1: gradient ascent and scipy vs closed forms",
     lambda seed, plots, ans: activation_maximization.check(seed, plots, ans)),
    ("Exercise 2: min networks, LRP-γ three ways",
     lambda seed, plots, ans: min_networks.check(seed, ans)),
    ("Exercise 3: one-class SVM neuralized",
     lambda seed, plots, ans: one_class_svm.check(seed, plots, ans)),
)

#: The plots :func:`run_all` writes into ``plots_dir``, by exercise.
PLOTS: dict[str, str] = {
    "ex1": activation_maximization.PLOT,
    "ex3": one_class_svm.PLOT,
}


def plot_paths(plots_dir: Path) -> dict[str, Path]:
    """Where :func:`run_all` writes its plots inside ``plots_dir``.

    >>> sorted(p.name for p in plot_paths(Path("out")).values())
    ['ex1_gradient_ascent_convergence.png', 'ex3_soft_min_pooling.png']
    """
    return {key: Path(plots_dir) / name for key, name in PLOTS.items()}


@contextmanager
def _one_thread() -> Iterator[None]:
    """torch on one thread while the checks run: the order of a reduction, and so every bit
    of a result, then does not depend on how many threads the process had (a test worker
    that another test set to one thread, a fresh process, a busy machine)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_all(seed: int = 0, plots_dir: Path | None = None,
            progress: Progress | None = None) -> list[Row]:
    """Every check of :data:`CHECKS`, in order; deterministic for a given ``seed``.

    ``plots_dir`` (an existing folder) receives the PNG plots of :func:`plot_paths`.
    """
    if seed < 0:
        raise ValueError(f"seed must be ≥ 0, got {seed}")
    from derivations.answers import answers as derive

    answers = derive()
    rows: list[Row] = []
    with _one_thread():
        for done, (name, check) in enumerate(CHECKS):
            if progress is not None:
                progress(done, len(CHECKS), name)
            rows.extend(check(seed, plots_dir, answers))
    if progress is not None:
        progress(len(CHECKS), len(CHECKS), "done")
    return rows


def _format(value: float) -> str:
    return f"{value:.2e}" if value == value and abs(value) != float("inf") else str(value)


def table(rows: Sequence[Row], wide: bool = False) -> str:
    """The rows as an aligned text table (``compared`` cut at 70 characters unless ``wide``),
    with a last line counting the passed checks."""
    header = ("check", "compared", "max error", "tolerance", "pass")
    body = []
    for r in rows:
        compared = r.compared if wide or len(r.compared) <= 70 else r.compared[:69] + "…"
        body.append((r.check, compared, _format(r.max_error), _format(r.tolerance),
                     "PASS" if r.passed else "FAIL"))
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]
    right = {2, 3}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    passed = sum(r.passed for r in rows)
    return "\n".join([line(header), line(["-" * w for w in widths]),
                      *(line(b) for b in body), f"{passed}/{len(rows)} checks passed"])


def notes(rows: Sequence[Row]) -> list[str]:
    """One line per iterative check: its steps per instance and the final relative objective
    gap (from the rows' details).

    >>> notes([Row.of("1b demo", "x", [0.0], 1.0, iterations=[70, 2599],
    ...               final_relative_gap=[1e-16, -2e-16])])
    ['1b demo: iterations 70, 2599; final relative gap ≤ 2e-16']
    """
    out = []
    for r in rows:
        steps = r.details.get("iterations")
        if steps is None:
            continue
        gaps = [abs(g) for g in r.details.get("final_relative_gap", [])]
        gap = f"; final relative gap ≤ {max(gaps):.0e}" if gaps else ""
        out.append(f"{r.check}: iterations {', '.join(map(str, steps))}{gap}")
    return out


def to_json(rows: Sequence[Row], seed: int, plots: Mapping[str, Path] | None = None) -> dict:
    """``{"seed", "passed", "rows": [...], "plots": {...}}``."""
    out: dict[str, Any] = {"seed": seed, "passed": all(r.passed for r in rows),
                           "rows": [r.to_json() for r in rows]}
    if plots is not None:
        out["plots"] = {k: str(v) for k, v in plots.items()}
    return out


def json_text(document: Mapping[str, Any]) -> str:
    """``document`` as the JSON text :func:`write_json` writes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_json(document: Mapping[str, Any], path: Path) -> Path:
    """Write ``document`` to ``path`` all or nothing (:func:`clitools.write_file`): a reader
    sees the old file or the whole new one, never a half."""
    return write_file(path, json_text(document))


__all__ = ["CHECKS", "PLOTS", "Progress", "Row", "json_text", "notes", "plot_paths", "run_all",
           "table", "to_json", "write_json"]
