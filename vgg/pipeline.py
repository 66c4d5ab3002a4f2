"""One image explained end to end: load, classify, explain twice, draw, write.

:func:`explain_image` is what ``python -m vgg`` runs and what a report builder calls:

1. check every input first (:func:`prepare`: device, class, image, size, weights, output
   places, the latter by creating and writing them for real), so that a mistake costs no
   computation and leaves nothing behind;
2. build VGG-16 with the chosen weights (:mod:`vgg.weights`: ImageNet, random, a file, or the
   trained digits network), classify the image (softmax top-5), explain the target logit
   ``f_t(x)`` by each method of :data:`vgg.methods.SHOWN` (Gradient × Input and LRP);
3. draw one heatmap per method and the side-by-side figure (:mod:`vgg.heatmap`), and write
   them — with the optional ``.npz`` of raw relevances — all or nothing
   (:class:`clitools.Staged`).

Every bad input is an :class:`~vgg.errors.InputError`; ``make report`` runs :func:`prepare`
before its other stages, so that a bad option costs no computation there either.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from clitools import Staged, check_output_folder
from vgg import heatmap
from vgg.devices import pick_device
from vgg.digits import DIGIT_SIDE, legibility
from vgg.digits.data import gray_input, held_out, read_gray, unnormalize
from vgg.errors import ImageError, OutputError
from vgg.image import LoadedImage, load
from vgg.methods import METHODS, SHOWN
from vgg.options import check_options
from vgg.targets import resolve
from vgg.weights import Weights, build, check_weights, class_names

#: Output file names in ``out_dir``: one heatmap per method shown, and the figure of all.
FILES = {**{name: f"{name}.png" for name in SHOWN}, "comparison": "comparison.png"}

#: The one array layout of the image and the maps in ``--save-relevance``'s .npz.
LAYOUT = "CHW: (channel, row, column)"


@dataclass(frozen=True)
class ExplainResult:
    """What one run computed and wrote.

    ``top5`` lists ``(index, name, probability)``; ``figures`` maps ``gradient_x_input``,
    ``lrp`` and ``comparison`` to the written PNGs (:data:`FILES`); ``timings`` gives seconds
    per stage; ``relevances`` holds the raw (3, H, W) relevance of each method; ``logit`` is
    the explained logit ``f_t(x)``; ``conservation`` maps each method to its ``logit``,
    ``relevance_sum`` ``ΣR`` and ``share`` ``ΣR / f_t(x)``; ``ledger`` lists LRP's ledger
    (:meth:`vgg.engine.ledger.Ledger.rows`, from the logit down) when asked for;
    ``warnings`` says why the class may be a guess (a digit picture that is blank, faint
    or too narrow: :mod:`vgg.digits.legibility`)."""

    target: int
    class_name: str
    top5: tuple[tuple[int, str, float], ...]
    weights: Weights
    image: str
    image_size: tuple[int, int]
    device: str
    figures: dict[str, Path]
    relevance_file: Path | None
    timings: dict[str, float]
    relevances: dict[str, np.ndarray] = field(repr=False)
    logit: float = float("nan")
    conservation: dict[str, dict[str, float]] = field(default_factory=dict)
    ledger: list[dict[str, float | str]] | None = None
    warnings: tuple[str, ...] = ()

    @property
    def class_label(self) -> str:
        """``"castle (483)"`` (:func:`class_label`)."""
        return class_label(self.class_name, self.target)


def class_label(class_name: str, target: int) -> str:
    """A class as shown: its name and index, or the index alone where it is the name.

    >>> class_label("castle", 483), class_label("3", 3)
    ('castle (483)', '3')
    """
    return class_name if class_name == str(target) else f"{class_name} ({target})"


def comparison_panels(relevances: dict[str, np.ndarray],
                      shares: dict[str, dict[str, float]]) -> list[tuple[str, np.ndarray]]:
    """The heatmap panels of the comparison figure: per shown method its title with the
    share ``ΣR/f_t`` (:func:`conservation`) and its relevance."""
    return [(f"{METHODS[name].title} (ΣR/f_t = {shares[name]['share']:.2f})",
             relevances[name]) for name in SHOWN]


def check_outputs(out_dir: Path, save_relevance: Path | None) -> None:
    """``--out`` can be a folder and ``--save-relevance`` a file in one (both tried for real,
    nothing left behind), else an :class:`OutputError`."""
    check_output_folder(out_dir, "--out", error=OutputError)
    if save_relevance is not None:
        if save_relevance.is_dir():
            raise OutputError(f"--save-relevance {save_relevance} is a folder; give a file name "
                              "such as relevance.npz")
        check_output_folder(save_relevance.parent, "--save-relevance", error=OutputError)


@dataclass(frozen=True)
class Request:
    """One explanation, every input checked and nothing computed yet (see :func:`prepare`):
    ``fallback`` allows other weights where these cannot be had here (:func:`vgg.weights.build`),
    ``warnings`` are the image's (:mod:`vgg.digits.legibility`)."""

    device: torch.device
    target: int | None          # None: the top-1 class
    image: LoadedImage
    weights: str
    seed: int
    out_dir: Path
    save_relevance: Path | None
    state: dict[str, torch.Tensor] | None = field(default=None, repr=False)  # a file's, checked
    fallback: bool = False
    warnings: tuple[str, ...] = ()
    ledger: bool = False        # also LRP's per-layer ledger


def prepare(
    image: str | os.PathLike[str] | None = None,
    target: int | str | None = None,
    weights: str = "imagenet",
    seed: int = 0,
    device: str = "auto",
    resize: int | None = None,
    out_dir: str | os.PathLike[str] = "out",
    save_relevance: str | os.PathLike[str] | None = None,
    fallback: bool = False,
    ledger: bool = False,
) -> Request:
    """Check every input of :func:`explain_image` (see there) and read the image; an
    :class:`~vgg.errors.InputError` for the first problem. A weights file is read and checked
    here; so are weights that may be missing here (``imagenet``: cached or downloaded now)
    unless ``fallback`` allows other weights in their place (then they are fetched when the
    network is built, and random weights, labelled, stand in if they cannot be had)."""
    out = Path(out_dir)
    npz = Path(save_relevance) if save_relevance is not None else None
    dev = pick_device(device)
    network, wanted = check_options(target, weights, resize)
    if target is not None and wanted is None:  # a class name, known once the names are read
        wanted = resolve(target, class_names(weights))
    check_outputs(out, npz)
    warnings: tuple[str, ...] = ()
    if network.digits:
        loaded, warnings = load_digit(image)
    else:
        loaded = load(image, resize)
    state = check_weights(weights, seed, fetch=not fallback)  # last: it may download
    return Request(dev, wanted, loaded, weights, seed, out, npz, state, fallback, warnings,
                   ledger)


def load_digit(image: str | os.PathLike[str] | None) -> tuple[LoadedImage, tuple[str, ...]]:
    """A picture of a digit read exactly as the digits network was trained
    (:func:`vgg.digits.data.digit_input`; without one, the first held-out digit), and the
    reasons its class may be a guess (:func:`vgg.digits.legibility.warnings`)."""
    if image is None:
        x, labels = held_out()
        x, source = x[:1], f"held-out digit 0 of load_digits (a {int(labels[0])})"
        size = (DIGIT_SIDE, DIGIT_SIDE)
        picture = None
    else:
        picture = read_gray(image)
        x, source = gray_input(picture, str(image)), str(image)
        size = (picture.shape[1], picture.shape[0])
    view = unnormalize(x)[0].numpy().astype(np.float32)
    found = () if picture is None else tuple(legibility.warnings(picture, view, source))
    return LoadedImage(np.repeat(view[..., None], 3, axis=2), x, source, size), found


def _clock(device: torch.device) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter()


def classify(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Softmax probabilities of the single image ``x``, one per class."""
    return torch.softmax(class_logits(model, x), dim=0)


def class_logits(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The logits of the single image ``x``, one per class (float64)."""
    with torch.no_grad():
        return model(x).double()[0]


def conservation(logit: float, relevances: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Per method: the explained ``logit`` ``f_t(x)``, the ``relevance_sum`` ``ΣR`` (summed in
    float64) and the ``share`` ``ΣR / f_t(x)`` (NaN where ``f_t(x) = 0``).

    >>> conservation(2.0, {"lrp": np.full((3, 2, 2), 0.125, dtype=np.float32)})
    {'lrp': {'logit': 2.0, 'relevance_sum': 1.5, 'share': 0.75}}
    """
    out = {}
    for name, r in relevances.items():
        total = float(np.asarray(r, dtype=np.float64).sum())
        out[name] = {"logit": logit, "relevance_sum": total,
                     "share": total / logit if logit else float("nan")}
    return out


def write(
    target: int,
    class_name: str,
    weights: Weights,
    image: LoadedImage,
    relevances: dict[str, np.ndarray],
    out_dir: Path,
    save_relevance: Path | None = None,
    logit: float = float("nan"),
) -> dict[str, Path]:
    """Draw and write the three PNGs (and the .npz): all files or none. The .npz holds one
    array layout for the image and the maps, ``(channel, row, column)`` (:data:`LAYOUT`): the
    picture ``image`` (RGB in [0, 1], as shown) and each method's relevance per input channel
    (of the normalized input), with the explained ``logit`` ``f_t(x)``, the ``target``, its
    ``class_name``, the ``weights`` label and whether they are ``trained``."""
    label = class_label(class_name, target)
    shares = conservation(logit, relevances)
    figures = {key: out_dir / name for key, name in FILES.items()}
    try:
        with Staged() as stage:  # makes the folders as it writes into them
            for name in SHOWN:
                heading = heatmap.title(label, METHODS[name].title, weights.label)
                fig = heatmap.heatmap_figure(relevances[name], heading)
                heatmap.save(fig, stage.path(figures[name]), heading)
            heading = f"{label} — {weights.label}"
            fig = heatmap.comparison_figure(image.rgb, comparison_panels(relevances, shares),
                                            heading)
            heatmap.save(fig, stage.path(figures["comparison"]), heading)
            if save_relevance is not None:
                with open(stage.path(save_relevance), "wb") as stream:
                    np.savez(
                        stream,
                        **{name: relevances[name] for name in SHOWN},
                        image=np.ascontiguousarray(np.moveaxis(image.rgb, -1, 0)),
                        layout=np.str_(LAYOUT),
                        logit=np.float64(logit),
                        target=np.int64(target),
                        class_name=np.str_(class_name),
                        weights=np.str_(weights.label),
                        trained=np.bool_(weights.trained),
                    )
    except OSError as error:
        where = error.filename or out_dir
        raise OutputError(f"cannot write the outputs ({where}: {error.strerror or error})"
                          ) from None
    return figures


def explain_image(*args: Any, **kwargs: Any) -> ExplainResult:
    """Explain ``target`` (index, class name, or None for the top-1 class) on ``image`` with
    the network ``weights`` chooses (:func:`vgg.weights.build`): ``imagenet``, ``random``
    (seeded by ``seed``) or a VGG-16 state_dict file, with ``image`` read at its size or
    scaled by ``resize`` (:func:`vgg.image.load`; ``image`` None: matplotlib's
    ``grace_hopper.jpg``); or ``digits``, the shipped trained digits network, with ``image``
    read as a digit at 32 px (:func:`load_digit`; ``image`` None: the first held-out digit of
    ``load_digits``; ``resize`` refused) and ``target`` one of its classes ``"0"``…``"9"``.
    Writes the heatmaps to ``out_dir`` and, if asked, the raw relevances to
    ``save_relevance`` (.npz); with ``fallback``, random weights (labelled, their
    :class:`~vgg.weights.Weights` saying why) stand in for ImageNet weights that cannot be had
    here. The options are those of :func:`prepare`, which checks them all before any work."""
    start = time.perf_counter()
    request = prepare(*args, **kwargs)
    return explain(request, {"check_and_load_image": time.perf_counter() - start})


def explain(request: Request, timings: dict[str, float] | None = None) -> ExplainResult:
    """Run a prepared :class:`Request`: build, classify, explain, draw and write."""
    timings = dict(timings or {})
    dev, wanted, loaded = request.device, request.target, request.image
    out_dir, npz = request.out_dir, request.save_relevance
    names = class_names(request.weights)

    start = time.perf_counter()
    model, info = build(request.weights, request.seed, request.state, request.fallback)
    model = model.to(dev)
    x = loaded.x.to(dev)
    timings["load_model"] = time.perf_counter() - start

    try:
        start = _clock(dev)
        scores = class_logits(model, x)
        probabilities = torch.softmax(scores, dim=0)
        timings["forward"] = _clock(dev) - start
        top = torch.topk(probabilities, 5)
        top5 = tuple(
            (int(i), names[int(i)], float(p))
            for p, i in zip(top.values.cpu(), top.indices.cpu(), strict=True)
        )
        chosen = wanted if wanted is not None else top5[0][0]
        relevances: dict[str, np.ndarray] = {}
        for name in SHOWN:
            start = _clock(dev)
            r = METHODS[name].relevance(model, x, chosen, [0], request.seed)
            timings[name] = _clock(dev) - start
            relevances[name] = r[0].detach().cpu().numpy().astype(np.float32)
        logit = float(scores[chosen])
        book = None
        if request.ledger:
            from vgg.engine.ledger import lrp_ledger

            start = _clock(dev)
            book = lrp_ledger(model, x, chosen).rows(0)
            timings["ledger"] = _clock(dev) - start
    except (torch.OutOfMemoryError, MemoryError):
        w, h = loaded.size
        raise ImageError(f"out of memory explaining a {w}×{h} px image on {dev.type}; "
                         "pass a smaller --resize N") from None

    start = time.perf_counter()
    figures = write(chosen, names[chosen], info, loaded, relevances, out_dir, npz, logit)
    timings["render_and_write"] = time.perf_counter() - start

    return ExplainResult(
        target=chosen,
        class_name=names[chosen],
        top5=top5,
        weights=info,
        image=loaded.source,
        image_size=loaded.size,
        device=dev.type,
        figures=figures,
        relevance_file=npz,
        timings=timings,
        relevances=relevances,
        warnings=request.warnings,
        logit=logit,
        conservation=conservation(logit, relevances),
        ledger=book,
    )


__all__ = [
    "FILES",
    "class_label",
    "comparison_panels",
    "LAYOUT",
    "ExplainResult",
    "Request",
    "check_outputs",
    "class_logits",
    "classify",
    "conservation",
    "explain",
    "explain_image",
    "prepare",
    "write",
]
