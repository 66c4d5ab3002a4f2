r"""A trained VGG-16-shaped network that needs no download: handwritten digits (Exercise 4).

ImageNet weights cannot be had offline, so the suite ships a network *trained here*, on
scikit-learn's ``load_digits`` (1,797 images of 8×8 pixels, values 0–16, classes 0–9), with
torchvision's own :class:`~torchvision.models.VGG` class and VGG-16's layer sequence, so that
:func:`vgg.lrp` and :func:`vgg.gradient_x_input` and the sheet's layer → rule table apply
unchanged.

**The network** (:func:`build`): ``features`` is VGG-16's configuration "D" — convolutions
3×3 at indices 0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, a ReLU after each, max-pooling
2×2 at 4, 9, 16, 23, 30 — with :data:`CHANNELS` = 8-16-32-64-64 channels per block instead
of 64-128-256-512-512. At :data:`SIZE` = 32 px the last pooling leaves 1×1, so ``avgpool`` is
``AdaptiveAvgPool2d((1, 1))`` (torchvision's ``(7, 7)`` would copy one value 49 times) and the
classifier keeps VGG's structure, narrower: ``Linear(64, 256), ReLU, Dropout(0.5),
Linear(256, 256), ReLU, Dropout(0.5), Linear(256, 10)``. It is trained with batch norm after
every convolution (:func:`build` with ``batch_norm=True``), which :func:`fold_batch_norm` then
folds into the convolutions: for ``y = γ (W∗x + b − μ) / √(σ² + ε) + β``,

    ``W' = W · γ/√(σ²+ε)``,  ``b' = (b − μ) · γ/√(σ²+ε) + β``,

so the shipped, explained network is a plain VGG without BatchNorm modules whose outputs equal
the batch-norm network's in evaluation mode.

**The data.** ``load_digits()`` in scikit-learn's order; the **held-out set is the last
:data:`HELD_OUT` = 360 images** (indices 1437–1796), never used in training or model selection;
training uses the first 1,437. Polarity as in ``load_digits``: 0 = no ink (black), 16 = full
ink (white): light ink on a dark background.

**Preprocessing, one function for training data and files** (:func:`pixels`, :func:`normalize`,
:func:`preprocess`): a grayscale picture ``g ∈ [0, 1]^{h×w}`` (light ink) →
padded to a square with background 0 and area-resampled to 8×8 if larger (each output pixel
the mean of the input area it covers, :func:`area_matrix`) → bilinear upsampling to
:data:`SIZE` px (``align_corners=False``: a convex combination, so values stay in [0, 1]) →
three equal channels → ``(r − μ_c)/σ_c`` with ImageNet's ``μ, σ`` (:data:`vgg.explain.MEAN`,
``STD``). The ``load_digits`` values ``v ∈ {0, …, 16}`` enter as the 8-bit gray levels a PNG
holds, ``g = round(255 v / 16) / 255`` (:func:`gray_levels`), so a digit saved as an 8-bit
grayscale PNG (:func:`save_png`) reads back (:func:`digit_input`) to exactly the training input.

**Training** (``python -m vgg.digits train``, about a minute): SGD with Nesterov momentum 0.9,
weight decay 5·10⁻⁴, batch 64, one-cycle learning rate (peak 0.05), label smoothing 0.1,
:data:`EPOCHS` = 24 epochs; augmentation: a random rotation of up to ±10°, scaling by up to
±10 % and a shift of up to ±:data:`SHIFT` = 3 px (0 filling in), all seeded and deterministic on
the CPU (one thread, :data:`THREADS` — a thread count changes the float sums — and
``torch.use_deterministic_algorithms``): re-running gives the same bytes.

**Model selection** used the training images only: blocked 5-fold cross-validation
(``python -m vgg.digits crossval``; folds of 288 contiguous images, i.e. mostly other
writers, like the held-out set). 12 epochs with ±2 px shifts: 97.4 %; 24 epochs: 97.8 %;
24 epochs with the rotation, scaling and ±3 px shifts: 98.2 % (seed 0) and 97.7 % (seed 1) —
the recipe above. The shipped weights are ``vgg/data/digits_vgg16.pt`` (a float32
``state_dict``) with ``digits_vgg16.json`` beside it (architecture, training settings,
held-out accuracy, SHA-256).

>>> model = build()
>>> [i for i, m in enumerate(model.features) if isinstance(m, nn.Conv2d)]
[0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]
>>> [i for i, m in enumerate(model.features) if isinstance(m, nn.MaxPool2d)]
[4, 9, 16, 23, 30]
>>> gray_levels(np.array([0, 1, 8, 16])).tolist()
[0, 16, 128, 255]
>>> preprocess(torch.zeros(1, 8, 8)).shape
torch.Size([1, 3, 32, 32])
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn
from torchvision.models import VGG

from vgg import canonize
from vgg.explain import MEAN, STD, normalized

#: Channels of VGG-16's five convolution blocks here (VGG-16 proper: 64-128-256-512-512).
CHANNELS: tuple[int, int, int, int, int] = (8, 16, 32, 64, 64)
#: Width of the two hidden dense layers (VGG-16 proper: 4096).
HIDDEN = 256
#: Side of the network input in pixels (the smallest VGG-16 accepts).
SIZE = 32
#: Side of the ``load_digits`` images; larger pictures are area-resampled to it.
DIGIT_SIDE = 8
#: The held-out images: the last 360 of ``load_digits()`` in scikit-learn's order.
HELD_OUT = 360
#: Images of ``load_digits``.
TOTAL = 1797
#: Class names, by class index.
CLASSES: tuple[str, ...] = tuple(str(d) for d in range(10))
#: Training schedule (see the module docstring).
EPOCHS = 24
#: Training runs on one thread: deterministic (a thread count changes the float sums) and,
#: on a shared 2-core machine, many times faster than two OpenMP threads competing for it.
THREADS = 1
BATCH = 64
PEAK_LR = 0.05
SHIFT = 3
#: Random rotation (degrees, ±) and scaling (±share) of the augmentation.
ROTATION = 10.0
SCALE = 0.1
DROPOUT = 0.5

WEIGHTS_FILE = "digits_vgg16.pt"
METADATA_FILE = "digits_vgg16.json"
PROG = "python -m vgg.digits"

#: VGG-16's configuration "D": the convolutions' block numbers (0–4) and "M" for max-pooling.
_D = (0, 0, "M", 1, 1, "M", 2, 2, 2, "M", 3, 3, 3, "M", 4, 4, 4, "M")


def build(channels: Sequence[int] = CHANNELS, hidden: int = HIDDEN, *, batch_norm: bool = False,
          dropout: float = DROPOUT, classes: int = len(CLASSES)) -> VGG:
    """A torchvision :class:`VGG` with VGG-16's layer sequence, ``channels`` per block,
    ``avgpool = AdaptiveAvgPool2d((1, 1))`` and the classifier ``Linear(c₅, hidden), ReLU,
    Dropout, Linear(hidden, hidden), ReLU, Dropout, Linear(hidden, classes)``, initialized
    as torchvision does the convolutions (He-normal, fan-out; zero biases) and as PyTorch does
    dense layers (torchvision's ``N(0, 0.01)`` for them stalls the training of this small
    network); seed torch first for a reproducible draw. ``batch_norm`` inserts a
    BatchNorm2d after each convolution (the training network; see :func:`fold_batch_norm`).
    """
    if len(channels) != 5:
        raise ValueError(f"VGG-16 has five blocks; got {len(channels)} channel counts")
    layers: list[nn.Module] = []
    width = 3
    for item in _D:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        out = int(channels[int(item)])
        layers.append(nn.Conv2d(width, out, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(out))
        layers.append(nn.ReLU(inplace=True))
        width = out
    with torch.device("meta"):  # the stock 25088-4096-4096 classifier, replaced below, costs
        model = VGG(nn.Sequential(), num_classes=classes, init_weights=False, dropout=dropout)
    model.features = nn.Sequential(*layers)
    model.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    model.classifier = nn.Sequential(
        nn.Linear(width, hidden), nn.ReLU(True), nn.Dropout(p=dropout),
        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(p=dropout),
        nn.Linear(hidden, classes),
    )
    if any(t.is_meta for t in (*model.parameters(), *model.buffers())):
        raise AssertionError("a part of the stock VGG was left unreplaced")
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    return model


def widths(model: VGG) -> tuple[list[int], int]:
    """``(channels per block, hidden width)`` of a model made by :func:`build`."""
    convs = [m for m in model.features if isinstance(m, nn.Conv2d)]
    blocks = [convs[i].out_channels for i in (0, 2, 4, 7, 10)]
    return blocks, model.classifier[0].out_features


def fold_batch_norm(model: VGG) -> VGG:
    """The plain VGG (no BatchNorm) computing what ``model`` (with a BatchNorm2d after each
    convolution) computes in evaluation mode: ``W' = W γ/√(σ²+ε)``,
    ``b' = (b − μ) γ/√(σ²+ε) + β`` per output channel. ``model`` is not changed; the result
    is in evaluation mode.

    >>> _ = torch.manual_seed(0)
    >>> bn = build((4, 4, 4, 4, 4), 8, batch_norm=True)
    >>> for m in bn.modules():
    ...     if isinstance(m, nn.BatchNorm2d):
    ...         _ = m.running_mean.uniform_(-1, 1), m.running_var.uniform_(0.5, 2)
    ...         _ = m.weight.data.uniform_(0.5, 2), m.bias.data.uniform_(-1, 1)
    >>> x = torch.randn(2, 3, 32, 32)
    >>> bool(torch.allclose(fold_batch_norm(bn)(x), bn.eval()(x), atol=1e-5))
    True
    """
    blocks = [m for m in model.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.features if isinstance(m, nn.BatchNorm2d)]
    if len(norms) != len(blocks):
        raise ValueError("expected one BatchNorm2d after each convolution")
    channels, hidden = widths(model)
    plain = build(channels, hidden, dropout=model.classifier[2].p,
                  classes=model.classifier[6].out_features)
    convs = [m for m in plain.features if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        for conv, norm, target in zip(blocks, norms, convs, strict=True):
            folded = canonize.fold_batch_norm(conv, norm)  # the one fold of the suite
            target.weight.copy_(folded.weight)
            target.bias.copy_(folded.bias)
        plain.classifier.load_state_dict(model.classifier.state_dict())
    return plain.eval()


def gray_levels(values: np.ndarray) -> np.ndarray:
    """``load_digits`` values 0–16 as the 8-bit gray levels of a PNG: ``round(255 v / 16)``
    (uint8; 0 = no ink)."""
    v = np.asarray(values, dtype=np.float64)
    return np.clip(np.rint(v * 255.0 / 16.0), 0, 255).astype(np.uint8)


def area_matrix(n_in: int, n_out: int) -> Tensor:
    """The ``(n_out, n_in)`` matrix of area resampling along one axis: entry ``(i, j)`` is the
    share of output cell ``i`` (the interval ``[i n_in/n_out, (i+1) n_in/n_out)`` of input
    units) covered by input pixel ``j``; rows sum to 1. ``A_h G A_wᵀ`` resamples ``G``.

    >>> area_matrix(4, 2).tolist()
    [[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]]
    >>> [round(v, 3) for v in area_matrix(3, 2)[0].tolist()]
    [0.667, 0.333, 0.0]
    """
    width = n_in / n_out
    low = torch.arange(n_out, dtype=torch.float64)[:, None] * width
    j = torch.arange(n_in, dtype=torch.float64)[None, :]
    overlap = (torch.minimum(low + width, j + 1) - torch.maximum(low, j)).clamp(min=0)
    return overlap / width


def pixels(gray: Tensor, size: int = SIZE) -> Tensor:
    """Grayscale pictures ``(N, h, w)`` in [0, 1] (light ink on dark) → ``(N, 1, size, size)``
    in [0, 1]: padded to a square with 0 (centered) and area-resampled to 8×8 if larger, then
    bilinearly upsampled to ``size`` (``align_corners=False``). 8×8 input is not resampled."""
    if gray.ndim != 3:
        raise ValueError(f"expected grayscale pictures (N, h, w), got shape {tuple(gray.shape)}")
    g = gray.to(torch.float64)
    n, h, w = g.shape
    if min(h, w) < DIGIT_SIDE:
        raise ValueError(f"a digit picture needs at least {DIGIT_SIDE}×{DIGIT_SIDE} px, "
                         f"got {w}×{h}")
    if (h, w) != (DIGIT_SIDE, DIGIT_SIDE):
        side = max(h, w)
        top, left = (side - h) // 2, (side - w) // 2
        g = nn.functional.pad(g, (left, side - w - left, top, side - h - top))
        a = area_matrix(side, DIGIT_SIDE)
        g = a @ g @ a.T
    g = g.to(torch.float32)[:, None]
    return nn.functional.interpolate(g, size=(size, size), mode="bilinear",
                                     align_corners=False).clamp_(0.0, 1.0)


def normalize(p: Tensor) -> Tensor:
    """``(N, 1, S, S)`` gray in [0, 1] → ``(N, 3, S, S)``: three equal channels, then
    ``(r − μ_c) / σ_c`` with ImageNet's ``μ, σ``."""
    return normalized(p.expand(-1, 3, -1, -1))


def preprocess(gray: Tensor, size: int = SIZE) -> Tensor:
    """The network input of grayscale pictures ``(N, h, w)`` in [0, 1]:
    ``normalize(pixels(gray, size))`` — the one path of training data and files."""
    return normalize(pixels(gray, size))


def unnormalize(x: Tensor) -> Tensor:
    """The gray picture ``(N, S, S)`` in [0, 1] of a network input (channel 0 inverted)."""
    return x[:, 0] * STD[0] + MEAN[0]


@dataclass(frozen=True)
class Digits:
    """``load_digits`` as 8-bit gray levels: ``images`` uint8 ``(N, 8, 8)`` (0 = no ink),
    ``labels`` int64 ``(N,)``, ``indices`` their positions in scikit-learn's order."""

    images: np.ndarray
    labels: np.ndarray
    indices: np.ndarray

    def inputs(self, size: int = SIZE) -> Tensor:
        """The network inputs ``(N, 3, size, size)`` (:func:`preprocess`)."""
        return preprocess(torch.from_numpy(self.images.astype(np.float32) / 255.0), size)

    def targets(self) -> Tensor:
        return torch.from_numpy(self.labels).to(torch.int64)


def all_digits() -> Digits:
    """All 1,797 ``load_digits`` images in scikit-learn's order, as :func:`gray_levels`."""
    from sklearn.datasets import load_digits

    data = load_digits()
    images = gray_levels(data.images)
    return Digits(images, data.target.astype(np.int64), np.arange(len(images)))


def split(part: str) -> Digits:
    """``"train"``: the first 1,437 images; ``"held_out"``: the last :data:`HELD_OUT` = 360
    (indices 1437–1796), never used in training or model selection."""
    d = all_digits()
    cut = len(d.images) - HELD_OUT
    if part == "train":
        s = slice(0, cut)
    elif part == "held_out":
        s = slice(cut, None)
    else:
        raise ValueError(f"part is 'train' or 'held_out', got {part!r}")
    return Digits(d.images[s], d.labels[s], d.indices[s])


def held_out(size: int = SIZE) -> tuple[Tensor, Tensor]:
    """The held-out set as tensors: inputs ``(360, 3, size, size)`` and labels ``(360,)``."""
    d = split("held_out")
    return d.inputs(size), d.targets()


def _data_path(name: str) -> Path:
    return Path(str(resources.files("vgg").joinpath("data", name)))


def weights_path() -> Path:
    """The shipped weights, ``vgg/data/digits_vgg16.pt``."""
    return _data_path(WEIGHTS_FILE)


def metadata_path() -> Path:
    """The shipped weights' training record, ``vgg/data/digits_vgg16.json``."""
    return _data_path(METADATA_FILE)


def metadata() -> dict:
    """The training record of the shipped weights (:func:`save` writes it)."""
    return json.loads(metadata_path().read_text(encoding="utf-8"))


def load_digits_model() -> VGG:
    """The shipped trained digits network (:data:`CHANNELS`, :data:`HIDDEN`), plain VGG,
    evaluation mode, ``requires_grad`` off; read as every weights file is
    (:func:`vgg.model.read_state_dict`)."""
    from vgg.model import read_state_dict

    model = build(CHANNELS, HIDDEN)
    model.load_state_dict(read_state_dict(weights_path(), "the shipped digits weights"))
    return model.eval().requires_grad_(False)


def class_names() -> tuple[str, ...]:
    """``("0", …, "9")``."""
    return CLASSES


def read_gray(path: str | os.PathLike[str]) -> np.ndarray:
    """A picture file as grayscale float64 ``(h, w)`` in [0, 1] (:func:`vgg.image.levels`:
    8-bit level/255, 16-bit level/65535, color as Pillow's luma ``L``, transparency over
    white), EXIF orientation applied. Problems are a :class:`clitools.UsageError`."""
    from vgg.image import levels, open_image

    return levels(open_image(path), "L")


def dark_ink(gray: np.ndarray) -> bool:
    """Whether a picture shows dark ink on a light background: its outermost ring of pixels
    averages above 0.5 (``load_digits`` pictures: light ink, ring near 0)."""
    g = np.asarray(gray, dtype=np.float64)
    ring = np.concatenate([g[0], g[-1], g[1:-1, 0], g[1:-1, -1]])
    return bool(ring.mean() > 0.5)


def digit_input(path: str | os.PathLike[str], *, ink: str = "auto", size: int = SIZE) -> Tensor:
    """Any picture of a digit as the network input ``(1, 3, size, size)``, exactly as the
    network was trained (:func:`gray_input` of :func:`read_gray`)."""
    return gray_input(read_gray(path), str(path), ink=ink, size=size)


def gray_input(gray: np.ndarray, name: str, *, ink: str = "auto", size: int = SIZE) -> Tensor:
    """A digit's grayscale picture ``(h, w)`` in [0, 1] (read from ``name``) as the network
    input ``(1, 3, size, size)`` (:func:`preprocess`). ``ink``: ``"light"`` (``load_digits``'
    polarity, light ink on dark, used as it is), ``"dark"`` (inverted, ``1 − g``) or
    ``"auto"`` (dark if :func:`dark_ink`). The digit should fill the picture's height, as in
    ``load_digits``."""
    if ink not in ("auto", "light", "dark"):
        raise ValueError(f"ink is 'auto', 'light' or 'dark', got {ink!r}")
    if min(gray.shape) < DIGIT_SIDE:
        from clitools import UsageError

        raise UsageError(f"{name} is {gray.shape[1]}×{gray.shape[0]} px; a digit picture needs "
                         f"at least {DIGIT_SIDE}×{DIGIT_SIDE}")
    if ink == "dark" or (ink == "auto" and dark_ink(gray)):
        gray = 1.0 - gray
    return preprocess(torch.from_numpy(gray)[None], size)


def save_png(image: np.ndarray, path: str | os.PathLike[str]) -> Path:
    """Write 8-bit gray levels ``(h, w)`` (e.g. ``Digits.images[i]``) as a grayscale PNG."""
    from PIL import Image

    path = Path(path)
    Image.fromarray(np.asarray(image, dtype=np.uint8), mode="L").save(path, format="PNG")
    return path


def accuracy(model: nn.Module, x: Tensor, y: Tensor, batch: int = 512) -> float:
    """Share of ``x`` whose arg-max logit is ``y``."""
    with torch.inference_mode():
        hits = sum(int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
                   for i in range(0, len(x), batch))
    return hits / len(x)


def rotated_scaled(p: Tensor, degrees: float, scale: float,
                   generator: torch.Generator) -> Tensor:
    """Each picture of ``p`` ``(N, 1, S, S)`` rotated by a random angle in ``[−degrees,
    degrees]`` and scaled by a random factor in ``[1 − scale, 1 + scale]`` about its center
    (bilinear, 0 filling in)."""
    n = len(p)
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(degrees)
    factor = 1 + (torch.rand(n, generator=generator) * 2 - 1) * scale
    cos, sin, zero = torch.cos(angle) / factor, torch.sin(angle) / factor, torch.zeros(n)
    theta = torch.stack([torch.stack([cos, -sin, zero], 1), torch.stack([sin, cos, zero], 1)], 1)
    grid = nn.functional.affine_grid(theta, list(p.shape), align_corners=False)
    return nn.functional.grid_sample(p, grid, mode="bilinear", padding_mode="zeros",
                                     align_corners=False)


def shifted(p: Tensor, shift: int, generator: torch.Generator) -> Tensor:
    """Each picture of ``p`` ``(N, 1, S, S)`` moved by a random whole number of pixels in
    ``[−shift, shift]`` along each axis, with 0 (no ink) filling in."""
    if shift == 0:
        return p
    n, _, s, _ = p.shape
    padded = nn.functional.pad(p, (shift, shift, shift, shift))
    offsets = torch.randint(0, 2 * shift + 1, (n, 2), generator=generator)
    return torch.stack([padded[i, :, dy:dy + s, dx:dx + s]
                        for i, (dy, dx) in enumerate(offsets.tolist())])


#: Cross-validation folds: contiguous blocks of the 1,437 training images (288 each, the last
#: 285), so that a fold holds other writers' digits, as the held-out set does.
FOLDS = 5


def fold_mask(fold: int, n: int = TOTAL - HELD_OUT, folds: int = FOLDS) -> Tensor:
    """The training images of cross-validation ``fold``: a boolean mask over the ``n``
    training images, True on the contiguous block ``[k·b, (k+1)·b)``, ``b = ⌈n / folds⌉``.

    >>> [int(fold_mask(k).sum()) for k in range(FOLDS)]
    [288, 288, 288, 288, 285]
    """
    if not 0 <= fold < folds:
        raise ValueError(f"fold must be in 0…{folds - 1}, got {fold}")
    block = math.ceil(n / folds)
    mask = torch.zeros(n, dtype=torch.bool)
    mask[fold * block:(fold + 1) * block] = True
    return mask


@dataclass(frozen=True)
class Trained:
    """A training run: the folded (plain) ``model``, the ``seconds`` it took, the correct
    predictions on the cross-validation fold left out (``validation``: ``(hits, images)``,
    None when trained on all 1,437 images) and a per-epoch ``log``."""

    model: VGG
    seconds: float
    validation: tuple[int, int] | None
    log: list[dict]


def train(seed: int = 0, epochs: int = EPOCHS, *, fold: int | None = None,
          progress: Callable[[str], None] | None = None) -> Trained:
    """Train the batch-norm network on the 1,437 training images (without cross-validation
    ``fold``, :func:`fold_mask`, if given) and fold it (:func:`fold_batch_norm`).
    Deterministic: seeded, :data:`THREADS` threads (restored afterwards), deterministic
    algorithms."""
    threads = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    was_deterministic = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        held = fold_mask(fold) if fold is not None else None
        return _train(seed, epochs, held, progress or (lambda _: None))
    finally:
        torch.use_deterministic_algorithms(was_deterministic)
        torch.set_num_threads(threads)


def _train(seed: int, epochs: int, validation: Tensor | None,
           progress: Callable[[str], None]) -> Trained:
    start = time.perf_counter()
    data = split("train")
    gray = torch.from_numpy(data.images.astype(np.float32) / 255.0)
    p_all = pixels(gray)
    y_all = data.targets()
    keep = ~validation if validation is not None else torch.ones(len(p_all), dtype=torch.bool)
    p_train, y_train = p_all[keep], y_all[keep]
    n = len(p_train)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    net = build(batch_norm=True)
    optimizer = torch.optim.SGD(net.parameters(), lr=PEAK_LR, momentum=0.9, nesterov=True,
                                weight_decay=5e-4)
    steps = math.ceil(n / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=PEAK_LR, epochs=epochs,
                                                   steps_per_epoch=steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    log: list[dict] = []
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(n, generator=generator)
        total, hits = 0.0, 0
        for k in range(steps):
            idx = order[k * BATCH:(k + 1) * BATCH]
            moved = rotated_scaled(p_train[idx], ROTATION, SCALE, generator)
            x = normalize(shifted(moved, SHIFT, generator))
            logits = net(x)
            loss = loss_fn(logits, y_train[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(idx)
            hits += int((logits.argmax(1) == y_train[idx]).sum())
        entry = {"epoch": epoch + 1, "loss": total / n, "train_accuracy": hits / n,
                 "seconds": time.perf_counter() - start}
        log.append(entry)
        progress(f"epoch {epoch + 1:2d}/{epochs}: loss {entry['loss']:.4f}, training accuracy "
                 f"{100 * entry['train_accuracy']:.2f} % ({entry['seconds']:.0f} s)")
    plain = fold_batch_norm(net.eval()).requires_grad_(False)
    result = None
    if validation is not None:
        with torch.inference_mode():
            right = plain(normalize(p_all[validation])).argmax(1) == y_all[validation]
        result = (int(right.sum()), int(validation.sum()))
    return Trained(plain, time.perf_counter() - start, result, log)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(trained: Trained, out: str | os.PathLike[str], seed: int, epochs: int,
         held_out_accuracy: float | None) -> tuple[Path, Path]:
    """Write the ``state_dict`` to ``out`` and its record to ``out`` with ``.json``, both or
    neither (:class:`clitools.Staged`)."""
    import io

    from clitools import Staged

    out = Path(out)
    buffer = io.BytesIO()
    state = {k: v.detach().to(torch.float32).contiguous().clone()
             for k, v in trained.model.state_dict().items()}
    torch.save(state, buffer)
    raw = buffer.getvalue()
    channels, hidden = widths(trained.model)
    record = {
        "architecture": {"class": "torchvision.models.VGG", "config": "D (VGG-16)",
                         "channels": channels, "hidden": hidden, "input_size": SIZE,
                         "avgpool": [1, 1], "classes": list(CLASSES), "batch_norm": "folded"},
        "data": {"source": "sklearn.datasets.load_digits", "train": "images 0-1436",
                 "held_out": "images 1437-1796 (the last 360), never used in training",
                 "polarity": "0 = no ink (dark background, light ink)",
                 "preprocessing": "round(255 v/16)/255, bilinear 8 -> 32 px, 3 channels, "
                                  "ImageNet mean/std"},
        "training": {"seed": seed, "epochs": epochs, "batch": BATCH, "peak_lr": PEAK_LR,
                     "shift_px": SHIFT, "rotation_degrees": ROTATION, "scale": SCALE,
                     "optimizer": "SGD nesterov 0.9, weight decay 5e-4, "
                     "one-cycle, label smoothing 0.1", "threads": THREADS,
                     "seconds": round(trained.seconds, 1), "torch": torch.__version__},
        "held_out_accuracy": held_out_accuracy,
        "sha256": _sha256(raw),
    }
    meta = out.with_suffix(".json")
    with Staged() as stage:
        stage.path(out).write_bytes(raw)
        stage.path(meta).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return out, meta


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m vgg.digits train [--out FILE] [--seed N] [--epochs N]`` and
    ``python -m vgg.digits crossval [--seed N] [--epochs N] [--fold K]``."""
    from clitools import Parser, check_writable_file, integer_at_least, integer_between

    parser = Parser(prog=PROG, description="Train the digits VGG-16 (see the module docstring).")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("train", help="train on all 1,437 training images, fold batch "
                                            "norm, report the held-out accuracy, write weights")
    cmd.add_argument("--out", default=str(weights_path()),
                     help="weights file (a .json record is written beside it; default: the "
                          "shipped vgg/data/digits_vgg16.pt)")
    cv = commands.add_parser("crossval", help="blocked 5-fold cross-validation on the training "
                                              "images (model selection); writes nothing and "
                                              "never reads the held-out images")
    cv.add_argument("--fold", type=integer_between(0, FOLDS - 1, "--fold"), default=None,
                    help="run this fold only")
    for sub in (cmd, cv):
        sub.add_argument("--seed", type=integer_at_least(0, "--seed"), default=0)
        sub.add_argument("--epochs", type=integer_at_least(1, "--epochs"), default=EPOCHS)
    args = parser.parse_args(argv)
    out = check_writable_file(args.out, "--out") if args.command == "train" else None
    print(f"digits VGG-16 (channels {'-'.join(map(str, CHANNELS))}, {SIZE} px), seed "
          f"{args.seed}, {args.epochs} epochs", flush=True)
    if args.command == "crossval":
        folds = range(FOLDS) if args.fold is None else [args.fold]
        right = total = 0
        started = time.perf_counter()
        for k in folds:
            hits, n = train(args.seed, args.epochs, fold=k).validation or (0, 0)
            right, total = right + hits, total + n
            print(f"fold {k}: {hits}/{n} = {100 * hits / n:.2f} %", flush=True)
        print(f"cross-validation accuracy: {right}/{total} = {100 * right / total:.2f} % "
              f"({time.perf_counter() - started:.0f} s)")
        return 0
    assert out is not None
    trained = train(args.seed, args.epochs, progress=lambda line: print(line, flush=True))
    x, y = held_out()
    acc = accuracy(trained.model, x, y)
    print(f"held-out accuracy (last {HELD_OUT} images): {100 * acc:.2f} %")
    print(f"training time: {trained.seconds:.1f} s")
    weights, meta = save(trained, out, args.seed, args.epochs, acc)
    print(f"wrote {weights} and {meta}")
    return 0


__all__ = [
    "CHANNELS",
    "CLASSES",
    "HELD_OUT",
    "HIDDEN",
    "SIZE",
    "Digits",
    "accuracy",
    "all_digits",
    "area_matrix",
    "build",
    "class_names",
    "digit_input",
    "fold_batch_norm",
    "fold_mask",
    "gray_input",
    "gray_levels",
    "held_out",
    "load_digits_model",
    "normalize",
    "pixels",
    "preprocess",
    "read_gray",
    "save_png",
    "split",
    "train",
]

if __name__ == "__main__":
    from clitools import interruptible, run

    with interruptible(PROG):
        sys.exit(run(main, PROG))
