"""The report's six stages, into one folder: derivations (SymPy, every step checked) →
numerics (independent numerical checks) → VGG-16 explanations (Gradient × Input, LRP) → the
sheet's observations measured (trained digits network, :func:`observations_stage`) → LaTeX
document → PDF (latexmk; where it is missing, five stages and ``solution.tex`` only).

:func:`build` writes everything into a temporary folder beside ``out`` and swaps it in only
when every stage succeeded (:func:`clitools.replaced_folder`), so a failed run leaves the
previous report in place; a folder holding anything but a previous report is refused (unless
``force``). Every option of the VGG-16 stage is checked first (:func:`preflight`), before the
derivations and numerics run.
"""

from __future__ import annotations

import dataclasses
import platform
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clitools import check_replaceable, replaced_folder
from derivations.pdf import LATEX_INSTALL, have_latexmk
from solution.document import ObservationsSection, ReportData, VggSection, document
from solution.stages import StageError, StageRunner

if TYPE_CHECKING:
    from vgg.pipeline import Request

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Options:
    """The report's settings (``make report IMAGE=… TARGET=… WEIGHTS=… DEVICE=…``)."""

    out: Path = Path("report")
    image: str | None = None
    target: str | None = None
    weights: str = "imagenet"
    device: str = "auto"
    seed: int = 0
    resize: int | None = None
    pdf: bool = True
    force: bool = False
    strict: bool = False   # no fallback: ImageNet weights fetched before any stage, or exit 2
    #: The evaluation of the digits networks: the first ``limit`` held-out digits (None: all
    #: 360), the randomization ``checkpoints`` (None: every layer), and the ``cache`` folder
    #: (None: no cache).
    limit: int | None = None
    checkpoints: tuple[str, ...] | None = None
    cache: Path | None = REPO / ".cache" / "evaluation"


@dataclass(frozen=True)
class Built:
    """What :func:`build` wrote."""

    folder: Path
    tex: Path
    pdf: Path | None
    rows_passed: int
    rows_total: int
    weights_label: str
    overfull: tuple[str, ...] = ()    # LaTeX boxes over OVERFULL_PT running into the margin
    latex_log: str = ""               # the final LaTeX run's log (empty without a PDF)
    observations: ObservationsSection | None = None   # the digits networks' evaluation


def versions() -> dict[str, str]:
    """Python, the libraries that computed the report, and the git commit."""
    out = {"Python": platform.python_version()}
    for dist in ("torch", "torchvision", "sympy", "numpy", "scipy", "scikit-learn",
                 "matplotlib"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    out["git commit"] = git_commit()
    return out


def git_commit() -> str:
    """``HEAD``'s hash (with ``+ local changes`` when the tree is dirty), or ``unknown``."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + (" + local changes" if dirty.strip() else "")


def derivations_stage() -> tuple[str, str, int]:
    """The derivation sections, after checking every displayed step again."""
    from derivations.latex import all_parts, body, preamble

    checks = [c for part in all_parts() for c in part.check()]
    failed = [f"{c.key} step {c.index} ({c.why})" for c in checks if not c.ok]
    if failed:
        raise RuntimeError("derivation steps not verified: " + "; ".join(failed))
    return body(), preamble(), len(checks)


def numerics_stage(seed: int, folder: Path, echo: Callable[[str], None]):
    """Every numerical check, with its plots written into ``folder``."""
    from numerics.report import plot_paths, run_all

    def progress(done: int, total: int, name: str) -> None:
        if done < total:
            echo(f"      ({done + 1}/{total}) {name}")

    rows = run_all(seed=seed, plots_dir=folder, progress=progress)
    failed = [r.check for r in rows if not r.passed]
    if failed:
        raise RuntimeError("numerical checks failed: " + ", ".join(failed))
    captions = {  # LaTeX
        "ex1": r"Exercise~1: gradient ascent converging to the closed-form prototype: the"
               r" relative objective gap $(F(x^*) - F(x_t))/\max(1, |F(x^*)|)$ against the"
               r" iteration $t$, one line per instance (part and instance beside).",
        "ex3": r"Exercise~3: the neuralized one-class SVM's soft-min $o(x)$ approaching"
               r" min-pooling $\min_i h_i(x)$ as $\gamma$ grows, for three held-out samples,"
               r" inside the sandwich bound $\min_i h_i - (\log M)/\gamma \le o(x) \le"
               r" \min_i h_i$ (shaded).",
    }
    plots = {captions.get(key, key): path.with_suffix(".pdf").name
             for key, path in plot_paths(folder).items() if path.with_suffix(".pdf").exists()}
    return rows, plots


#: Who writes the report folder (its marker): a later run may replace what this one wrote.
OWNER = "python -m solution"


def preflight(options: Options) -> Request:
    """Every input of the VGG-16 stage checked (:func:`vgg.pipeline.prepare`) and the output
    folder tried, before anything is created or any stage runs; a
    :class:`clitools.UsageError` or :class:`vgg.errors.InputError` for the first problem. The
    request's ``out_dir`` is the output folder; :func:`build` points it at the new report
    folder."""
    from vgg.pipeline import prepare

    out = check_replaceable(options.out, OWNER, options.force)
    return prepare(image=options.image, target=options.target, weights=options.weights,
                   seed=options.seed, device=options.device, resize=options.resize,
                   out_dir=out, fallback=not options.strict)


def vgg_stage(request: Request, echo: Callable[[str], None]) -> VggSection:
    """VGG-16 explained on the image; unless ``--strict``, ImageNet weights that cannot be had
    here fall back to random ones (labelled; :func:`vgg.weights.build`). Besides the figures
    of ``python -m vgg``, the comparison is drawn at its printed size for the report
    (``comparison.pdf``, :func:`printed_comparison`)."""
    from vgg.pipeline import explain

    result = explain(request)
    reason = result.weights.fallback
    if reason is not None:
        echo(f"      {request.weights} weights unavailable; continued with "
             f"{result.weights.label} (--strict fails instead)")
    printed = printed_comparison(result, request, request.out_dir / "comparison.pdf")
    return VggSection(
        figure=printed.name,
        class_label=result.class_label,
        weights_label=result.weights.label,
        trained=result.weights.trained,
        image=str(result.image),
        image_size=tuple(result.image_size),
        device=result.device,
        top5=result.top5,
        timings=result.timings,
        fallback_reason=reason,
    )


def printed_comparison(result: Any, request: Request, path: Path) -> Path:
    """The image and its heatmaps side by side (:func:`vgg.heatmap.comparison_figure`) drawn
    :data:`clitools.printed.WIDTH` inches wide, written to ``path`` as PDF (text as text)."""
    import matplotlib

    from clitools.printed import DPI, RC, WIDTH
    from vgg.heatmap import comparison_figure
    from vgg.pipeline import comparison_panels

    with matplotlib.rc_context(RC):
        fig = comparison_figure(request.image.rgb,
                                comparison_panels(result.relevances, result.conservation),
                                "", width=WIDTH)
        with open(path, "wb") as stream:
            fig.savefig(stream, format="pdf", dpi=DPI)
    return path


def weights_setting(asked: str, fallback_reason: str | None) -> str:
    """The weights of the Settings line: those asked for, or the ones that stood in for them
    and why (short: one unbreakable ``\\texttt``; the VGG-16 section gives the whole reason).

    >>> weights_setting("imagenet", None)
    'imagenet'
    >>> weights_setting("imagenet", "not in the torch hub cache and could not be downloaded")
    'random (imagenet unavailable here)'
    """
    if fallback_reason is None:
        return asked
    from vgg.weights import lookup

    return f"{lookup(asked).fallback} ({asked} unavailable here)"


#: Overfull boxes up to this width (pt) are tolerated; wider ones count as text running into
#: the margin (reported by :func:`overfull`).
OVERFULL_PT = 10.0


def overfull(log: str, limit: float = OVERFULL_PT) -> list[str]:
    """The LaTeX log's overfull ``\\hbox`` warnings wider than ``limit`` points.

    >>> overfull("Overfull \\\\hbox (19.4pt too wide) in paragraph at lines 3--4\\n"
    ...          "Overfull \\\\hbox (2.1pt too wide) detected at line 9")
    ['Overfull \\\\hbox (19.4pt too wide) in paragraph at lines 3--4']
    """
    found = re.finditer(r"^Overfull \\hbox \(([\d.]+)pt too wide\).*$", log, re.M)
    return [m.group(0) for m in found if float(m.group(1)) > limit]


def evaluate_digits(seed: int, limit: int | None, checkpoints: tuple[str, ...] | None,
                    cache: Path | None) -> tuple[Any, bool]:
    """``(table, from_cache)``: the evaluation of the digits network of training ``seed``
    (:func:`vgg.evaluation.measure.evaluate`, both baselines), from ``cache`` when that holds
    it for the network's file hash and these settings (:mod:`vgg.evaluation.cache`)."""
    import torch

    from vgg.digits import weights_path
    from vgg.evaluation.cache import cached_table
    from vgg.evaluation.data import DIGITS_RENDER, digits_dataset, loader_for
    from vgg.evaluation.defaults import BATCH
    from vgg.evaluation.measure import evaluate
    from vgg.weights.digits import load_digits_model

    def run() -> Any:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # small convolutions: one thread is fastest (vgg.evaluate)
        try:
            return evaluate(load_digits_model(seed=seed),
                            loader_for(digits_dataset(limit), BATCH), render=DIGITS_RENDER,
                            checkpoints=checkpoints)
        finally:
            torch.set_num_threads(threads)

    if cache is None:
        return run(), False
    settings = {"limit": limit, "checkpoints": checkpoints, "evaluate": "defaults"}
    return cached_table(weights_path(seed), settings, run, cache)


def observations_stage(folder: Path, options: Options,
                       echo: Callable[[str], None]) -> ObservationsSection:
    """The sheet's Exercise 4 observations measured on the digits networks of every training
    seed (:mod:`vgg.digits`, :mod:`vgg.evaluation`; cached by the networks' file hashes), the
    claims judged (:mod:`vgg.evaluation.claims`), the first seed's plots."""
    from vgg.digits import SEEDS
    from vgg.evaluation.claims import judge_all
    from vgg.evaluation.examples import class_examples
    from vgg.evaluation.plots import write_plots
    from vgg.weights.digits import load_digits_model

    tables, cached = {}, {}
    for seed in SEEDS:
        tables[seed], cached[seed] = evaluate_digits(seed, options.limit, options.checkpoints,
                                                     options.cache)
        echo(f"      seed {seed}: " + ("cached" if cached[seed] else
                                      f"evaluated in {tables[seed].seconds:.1f} s"))
    examples = class_examples(load_digits_model(seed=SEEDS[0]))
    written = write_plots(tables[SEEDS[0]], folder, examples, formats=("png", "pdf"))
    plots = {p.with_suffix(".png").name: p.name for p in written if p.suffix == ".pdf"}
    return ObservationsSection(tables, judge_all(tables), plots, cached)


def latexmk(tex: Path) -> tuple[Path, list[str], str]:
    """Build ``tex`` into a PDF beside it (:func:`derivations.pdf.latexmk`); the PDF, the
    overfull boxes over :data:`OVERFULL_PT` of the final run's log, and that log."""
    from derivations.pdf import latexmk as build_pdf

    pdf, log = build_pdf(tex)
    return pdf, overfull(log), log


def build(options: Options, echo: Callable[[str], None] = print) -> Built:
    """Run the stages (see the module docstring: six, or five without latexmk) into
    ``options.out``, replaced as a whole only on success; what was written and how many
    numerical checks passed."""
    make_pdf = options.pdf and have_latexmk()
    runner = StageRunner(total=6 if make_pdf else 5, echo=echo)
    request = preflight(options)
    with replaced_folder(Path(options.out), OWNER, options.force) as folder:
        request = dataclasses.replace(request, out_dir=folder)
        body, preamble, n_steps = runner.run("derivations (SymPy, every step checked)",
                                             derivations_stage)
        rows, plots = runner.run("numerics (independent numerical checks)",
                                 lambda: numerics_stage(options.seed, folder, echo))
        vgg = runner.run("VGG-16 explanations (Gradient×Input, LRP)",
                         lambda: vgg_stage(request, echo))
        observed = runner.run("the sheet's observations measured (trained digits networks)",
                              lambda: observations_stage(folder, options, echo))
        settings = {"image": options.image or "grace_hopper.jpg (matplotlib sample)",
                    "target": options.target or "top-1",
                    "weights": weights_setting(options.weights, vgg.fallback_reason),
                    "device": options.device, "seed": str(options.seed)}

        def write_tex() -> Path:
            data = ReportData(body, preamble, n_steps, rows, plots, vgg, versions(),
                              tuple(runner.timings), settings, observed)
            tex = folder / "solution.tex"
            tex.write_text(document(data), encoding="utf-8")
            return tex

        tex = runner.run("LaTeX document", write_tex)
        pdf, wide, log = None, [], ""
        if make_pdf:
            pdf, wide, log = runner.run("PDF (latexmk)", lambda: latexmk(tex))
            for line in wide:
                echo(f"      LaTeX: {line}")
        elif options.pdf:
            echo(f"      latexmk not found: wrote solution.tex only (install: {LATEX_INSTALL})")
    final = Path(options.out)
    return Built(
        folder=final,
        tex=final / "solution.tex",
        pdf=final / "solution.pdf" if pdf is not None else None,
        rows_passed=sum(r.passed for r in rows),
        rows_total=len(rows),
        weights_label=vgg.weights_label,
        overfull=tuple(wide),
        latex_log=log,
        observations=observed,
    )


__all__ = ["OWNER", "Built", "Options", "StageError", "build", "preflight", "versions"]
