r"""The report's section "Do the sheet's observations hold?": Exercise 4 measured on the digits
networks trained here, three training seeds, two perturbation baselines.

Every verdict is read from :mod:`vgg.evaluation.claims` (the criteria fixed before the
measurement); this module only lays the tables, verdicts and figures out. It states the
conservation share of every network it evaluates (:attr:`vgg.evaluation.table.Table.conservation`)
beside the previous network's, and what the negative-evidence share means for LRP-γ.

>>> print(compact(Interval(-0.35, -0.45, -0.26, 360)))
-0.350 {\scriptsize [-0.450, -0.260]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from solution.tex import escape, figure
from vgg.evaluation.intervals import Interval

#: The previous shipped digits network (batch norm folded into convolutions with biases; weights
#: of SHA-256 1f047093…, replaced by the three networks trained from the seeds 0, 1, 2),
#: measured over the 360 held-out digits in float64 (issue 22).
PREVIOUS_NETWORK = {"accuracy": 0.9833, "share_mean": 0.055, "share_median": 0.072,
                    "negative": 0.24}


@dataclass(frozen=True)
class ObservationsSection:
    """What the section shows: the evaluation ``tables`` by training seed
    (:class:`vgg.evaluation.table.Table`), the ``judged`` claims
    (:func:`vgg.evaluation.claims.judge_all`), the ``plots`` (file names, by name) of the
    first seed's network, and for each seed whether its table came from the ``cached``
    evaluation."""

    tables: Mapping[int, Any]
    judged: Sequence[Any]
    plots: Mapping[str, str]
    cached: Mapping[int, bool]


def _percent(x: float) -> str:
    return f"{100 * x:.1f}~\\%"


def conservation_table(tables: Mapping[int, Any]) -> str:
    """Per seed: held-out accuracy, LRP's share ``ΣR/f_t`` (mean, median) and negative sums,
    Gradient × Input's share, then the previous network's figures."""
    out = ["\\begin{center}{\\small\\begin{tabular}{@{}lrrrrr@{}}\\toprule network & accuracy &"
           " LRP $\\sum R/f_t$ mean & median & LRP $\\sum R<0$ (right) &"
           " G$\\times$I $\\sum R/f_t$ median \\\\ \\midrule"]
    for seed, t in tables.items():
        c, g = t.conservation["lrp"], t.conservation["gradient_x_input"]
        acc = "n/a" if t.accuracy is None else _percent(t.accuracy)
        out.append(f"seed {seed} & {acc} & {c['share']['mean']:.3f} & {c['share_median']:.3f}"
                   f" & {_percent(c['negative_sums_correct'])} & {g['share_median']:.3f} \\\\")
    p = PREVIOUS_NETWORK
    out.append(f"\\midrule previous & {_percent(p['accuracy'])} & {p['share_mean']:.3f} &"
               f" {p['share_median']:.3f} & {_percent(p['negative'])} & \\\\")
    out.append("\\bottomrule\\end{tabular}}\\end{center}\n")
    return "\n".join(out)


def difference(c: Any) -> str:
    """A claim's difference in words: ``AOPC MoRF (↑): LRP − random``."""
    from vgg.evaluation.metrics import METRICS
    from vgg.methods import METHODS

    label = next((k.label for k in METRICS if k.name == c.metric), c.metric)
    return f"{label}: {METHODS[c.first].title} − {METHODS[c.second].title}"


def verdicts(judged: Sequence[Any]) -> str:
    """The claims, each with its verdict and the interval of every cell."""
    out = ["\\begin{itemize}"]
    for j in judged:
        c = j.claim
        cells = "; ".join(
            f"{escape(b + ', ') if b else ''}seed {s}: {escape(j.evidence[(b, s)])}"
            f" ({escape(status)})" for (b, s), status in j.cells.items())
        what = (f"paired difference {escape(difference(c))}, interval"
                f" {'above' if c.side == 'above' else 'below'} 0"
                if c.metric != "randomization" else "the pass criterion, each method")
        note = f" {escape(c.note)}." if c.note else ""
        out.append(f"\\item {escape(c.text)}: \\textbf{{{escape(j.verdict)}}}."
                   f" {{\\small ({what}) {cells}.{note}}}")
    out.append("\\end{itemize}\n")
    return "\n".join(out)


def seeds_table(tables: Mapping[int, Any], judged: Sequence[Any]) -> str:
    """The paired differences the claims judge, a row per claim and baseline, a column per
    training seed."""
    seeds = list(tables)
    out = ["\\begin{center}{\\footnotesize\\setlength{\\tabcolsep}{3pt}"
           "\\begin{tabular}{@{}l" + "r" * len(seeds) +
           "@{}}\\toprule difference (baseline) & " +
           " & ".join(f"seed {s}" for s in seeds) + " \\\\ \\midrule"]
    for j in judged:
        c = j.claim
        if c.metric == "randomization":
            continue
        for b in (tables[seeds[0]].baselines if c.perturbed else (None,)):
            label = difference(c) + (f" ({b})" if b else "")
            cells = " & ".join(compact(tables[s].paired_interval(c.metric, c.first, c.second,
                                                                  b)) for s in seeds)
            out.append(f"{escape(label)} & {cells} \\\\")
    out.append("\\bottomrule\\end{tabular}}\\end{center}\n")
    return "\n".join(out)


def compact(iv: Interval, spec: str = ".3f") -> str:
    """An interval as a narrow table cell (text digits, as the evaluation prints them).

    >>> print(compact(Interval(0.5, 0.25, 0.75, 9)))
    0.500 {\\scriptsize [0.250, 0.750]}
    """
    return f"{iv.mean:{spec}} {{\\scriptsize [{iv.low:{spec}}, {iv.high:{spec}}]}}"


def evaluation_table(table: Any) -> str:
    """One network's table: a row per metric measured (``table.measures``, the registry's
    order, labelled and formatted as it declares; those of pixel flipping in a group per
    baseline), a column per method, each cell the mean with its 95 % interval. Metrics run
    down the page, so a metric added to the registry adds a row and the table keeps its
    width."""
    from vgg.methods import METHODS

    columns = len(table.methods) + 1
    out = ["\\begin{center}{\\small\\begin{tabular}{@{}l" + "r" * len(table.methods) +
           "@{}}\\toprule metric & " +
           " & ".join(escape(METHODS[m].label) for m in table.methods) + " \\\\ \\midrule"]
    groups = [(None, [k for k in table.measures if not getattr(k, "perturbed", False)])]
    groups += [(b, [k for k in table.measures if getattr(k, "perturbed", False)])
               for b in table.baselines]
    for b, measures in groups:
        if b is not None and measures:
            out.append(f"\\midrule\\multicolumn{{{columns}}}{{@{{}}l}}{{\\emph{{pixel flipping,"
                       f" baseline {escape(b)}}}}} \\\\")
        for k in measures:
            cells = " & ".join(compact(table.interval(k.name, m, b), k.spec)
                               for m in table.methods)
            out.append(f"{escape(k.label)} & {cells} \\\\")
    out.append("\\bottomrule\\end{tabular}}\\end{center}\n")
    return "\n".join(out)


CAPTIONS = {
    "pixel_flipping.png": "Pixel flipping on the held-out digits (training seed 0): the mean"
    " explained logit as the most (MoRF, solid) or least (LeRF, dashed) relevant patches are"
    " perturbed first, with 95~\\% bootstrap bands, under each baseline. Gradient$\\times$Input"
    " is the Taylor expansion at $x=0$ in normalized coordinates, the ImageNet-mean gray"
    " image.",
    "heatmaps.png": "The first held-out digit of each class (training seed 0) with its"
    " Gradient$\\times$Input and LRP heatmaps (red positive, blue negative), one colour scale"
    " per method (its 99.5th percentile of $|H|$ over the ten maps); each title gives the"
    " predicted class and the share $\\sum R/f_t(x)$.",
    "randomization.png": "Randomization check (training seed 0): rank correlation of the signed"
    " maps and of $|H|$, and SSIM of $|H|$, with the trained network's heatmaps, as the layers are"
    " re-initialized from the top down; 95~\\% intervals. The criterion judges the signed"
    " $\\rho$ on the shaded steps; the random baseline is a reference.",
}


def observations_section(obs: ObservationsSection | None, title: str) -> str:
    """The section: the networks and their conservation, the claims with their verdicts, the
    three-seed table of the judged differences, the first seed's table, the figures."""
    out = [f"\\section{{{title}}}\n"]
    if obs is None:
        out.append("Not measured in this build.\n")
        return "\n".join(out)
    from vgg.evaluation.randomization import RHO_LIMIT, TOP_BLOCK_END

    first = next(iter(obs.tables.values()))
    s = first.settings
    seeds = ", ".join(str(k) for k in obs.tables)
    out.append(
        "The sheet says of Gradient$\\times$Input that it ``is noisy and has a large amount"
        " of positive and negative evidence'' and that with LRP ``most of the noise has"
        " disappeared''. ImageNet weights cannot be had everywhere, so the suite measures"
        " these claims on networks it trains itself: torchvision's \\texttt{VGG} with"
        " VGG-16's layer sequence (narrower channels, convolutions without bias), trained on"
        " scikit-learn's \\texttt{load\\_digits} from the seeds"
        f" {seeds} and explained with the very layer$\\to$rule table above, on the"
        f" {first.images} held-out digits (the last 360 of \\texttt{{load\\_digits}}, never used"
        " in training). Each network explains its predicted class; every number is a mean over"
        " those digits with its 95~\\% percentile-bootstrap interval, and two methods are"
        " compared by the paired difference on the same digits and the same perturbations.\n")
    out.append(
        "\\paragraph{Conservation.} LRP hands the explained logit $f_t(x)$ down layer by layer;"
        " what reaches the pixels, $\\sum R$, is the logit less what the biases absorb. The"
        " networks evaluated here keep most of it (the previous network, trained with batch"
        " norm folded into biased convolutions, kept a median of 7~\\%):\n")
    out.append(conservation_table(obs.tables))
    out.append(
        "\\paragraph{The claims.} Each is stated as a criterion in"
        " \\texttt{vgg/evaluation/claims.py}, written before the networks were evaluated. A"
        " claim holds only if it holds on every seed and under every perturbation baseline"
        f" ({escape(', '.join(first.baselines))}); one that holds under one baseline only"
        " \\emph{depends on the perturbation}. The randomization check passes when, from"
        f" \\texttt{{{escape(TOP_BLOCK_END)}}} down, the upper 95~\\% bound of the signed"
        f" Spearman $\\rho$ lies below {RHO_LIMIT:g}.\n")
    out.append(verdicts(obs.judged))
    out.append(
        "The negative-evidence share is close to built into LRP-$\\gamma$: the rule adds"
        " $\\gamma w^+$ to every weight, which favours positive contributions layer by layer,"
        " so a lower share than Gradient$\\times$Input's says more about the rule than about"
        " the network (with LRP-0 instead of LRP-$\\gamma$ the previous network's share was"
        " 0.478, Gradient$\\times$Input's 0.487).\n")
    out.append(seeds_table(obs.tables, obs.judged))
    out.append(f"The first seed's evaluation in full ({s['patch']}$\\times${s['patch']}-px"
               f" patches, {s['steps']} steps; Gradient$\\times$Input's reference point is $x=0$,"
               " the ImageNet-mean gray image):\n")
    out.append(evaluation_table(first))
    timing = ", ".join(
        f"seed {k}: {'cached' if obs.cached.get(k) else f'{t.seconds:.0f}~s'}"
        for k, t in obs.tables.items())
    out.append(f"{{\\small Evaluation time ({timing}).}}\n")
    for name, path in obs.plots.items():
        out.append(figure(path, CAPTIONS.get(name, escape(name))))
    return "\n".join(out)


__all__ = ["CAPTIONS", "PREVIOUS_NETWORK", "ObservationsSection", "compact",
           "conservation_table", "difference",
           "evaluation_table", "observations_section", "seeds_table", "verdicts"]
