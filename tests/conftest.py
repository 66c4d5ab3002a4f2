"""What many tests share: the seed of every random instance, a seeded random VGG-16, images.

**Seeds are a choice, not luck.** Every test that draws random instances takes its seed from
:data:`SEED`, read from the environment variable ``SHEET11_SEED`` (default 0), and must pass
for any seed; ``.ci/run`` runs the tests marked ``seeded`` a second time with another seed.
The seed is printed in the header of a run and under every failed test, so a failure can be
replayed: ``SHEET11_SEED=7 make test``. :func:`derived_seed` turns it into one independent
seed per use (``numpy.random.SeedSequence``), so that two instances never share a stream.

The VGG-16 of the tests has **random weights** (seeded): ImageNet weights cannot be
downloaded in CI, and the algebra the tests check does not depend on training.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import settings

#: The seed of this run's random instances (``SHEET11_SEED``, default 0).
SEED = int(os.environ.get("SHEET11_SEED", "0"))

# Property-based tests (hypothesis) draw the same examples on every run unless a seed is
# chosen: with SHEET11_SEED set, .ci/run also passes --hypothesis-seed.
settings.register_profile("sheet11", derandomize="SHEET11_SEED" not in os.environ,
                          database=None)
settings.load_profile("sheet11")


def derived_seed(*keys: int) -> int:
    """An independent seed for the use named by ``keys``, from :data:`SEED` (< 2³²).

    >>> derived_seed(1) != derived_seed(2)
    True
    """
    return int(np.random.SeedSequence([SEED, *keys]).generate_state(1)[0])


def pytest_report_header() -> str:
    return f"SHEET11_SEED={SEED} (random instances; replay a failure with the same value)"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed:
        report.sections.append(("seed", f"SHEET11_SEED={SEED}: rerun with "
                                        f"SHEET11_SEED={SEED} to replay this failure"))
    return report


@pytest.fixture(scope="module")
def one_thread() -> Iterator[None]:
    """One torch thread for a module's tests (two OpenMP threads per test worker oversubscribe
    a 2-core machine, and small convolutions gain nothing from more)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def seed() -> int:
    """:data:`SEED`, for tests that hand it to the code under test."""
    return SEED


def random_vgg16(key: int, bias: float = 0.0, dtype: Any = None) -> Any:
    """torchvision's VGG-16 with its own random initialization, seeded by
    ``derived_seed(key)``, biases uniform in ``[−bias, bias]`` (torchvision's are 0), in
    evaluation mode, float64 unless ``dtype`` says otherwise. Random weights: see above."""
    import torch
    from torch import nn
    from torchvision.models import vgg16

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(derived_seed(key))
        model = vgg16()
        if bias:
            with torch.no_grad():
                for m in model.modules():
                    if isinstance(m, (nn.Conv2d, nn.Linear)):
                        m.bias.uniform_(-bias, bias)
    return model.eval().to(dtype or torch.float64)


def normalized_images(n: int, size: int, key: int, dtype: Any = None) -> Any:
    """``n`` random RGB images (N, 3, size, size), pixels uniform in [0, 1] (seeded by
    ``derived_seed(key)``), normalized like ImageNet's; float64 unless ``dtype``."""
    import torch

    from vgg.engine.pixels import MEAN, STD

    dtype = dtype or torch.float64
    g = torch.Generator().manual_seed(derived_seed(key))
    pixels = torch.rand(n, 3, size, size, generator=g, dtype=dtype)
    mean = torch.tensor(MEAN, dtype=dtype)[:, None, None]
    std = torch.tensor(STD, dtype=dtype)[:, None, None]
    return (pixels - mean) / std


def picture(folder: Path, mode: str = "RGB", size: tuple[int, int] = (48, 40),
            name: str = "small.png") -> Path:
    """A seeded noise image file ``folder/name`` in ``mode`` (RGB, L or RGBA); ``size`` is
    (width, height), by default above VGG-16's 32 px minimum."""
    from PIL import Image

    channels = {"RGB": 3, "L": 1, "RGBA": 4}[mode]
    rng = np.random.default_rng(derived_seed(size[0], size[1], channels))
    pixels = rng.integers(0, 256, (size[1], size[0], channels), dtype=np.uint8)
    path = Path(folder) / name
    Image.fromarray(pixels[..., 0] if mode == "L" else pixels, mode=mode).save(path)
    return path


#: The evaluation of the digits networks in the report's tests: the first 40 held-out digits,
#: four randomization checkpoints (``make report`` evaluates all 360 and every layer).
REPORT_LIMIT = 40
REPORT_CHECKPOINTS = ("classifier.6", "classifier.0", "features.14", "features.0")


@pytest.fixture(scope="session")
def built_report(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The whole report (:func:`solution.build.build`) built once per test process with random
    weights on a small image and a short evaluation of the digits networks; shared by
    tests/test_report.py and tests/test_report_layout.py (a build takes minutes)."""
    from solution.build import Options, build

    image = picture(tmp_path_factory.mktemp("img"))
    out = tmp_path_factory.mktemp("rep") / "report"
    return build(Options(out=out, image=str(image), weights="random", device="cpu",
                         limit=REPORT_LIMIT, checkpoints=REPORT_CHECKPOINTS,
                         cache=tmp_path_factory.mktemp("cache")),
                 echo=lambda line: None)
