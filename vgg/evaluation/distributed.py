r"""The evaluation over several processes: ``torchrun --nproc_per_node N -m vgg.evaluate``.

Under ``torchrun`` (``torch.distributed`` initialized, gloo on the CPU,
:func:`process_group`) each process evaluates its share of the images (a
``DistributedSampler``, :func:`vgg.evaluation.data.loader_for`) and the per-image results are
gathered (``all_gather_object``, :func:`gathered`), de-duplicated by index (the sampler pads)
and summarized alike on every rank; every random draw is seeded per image index or per layer
(:mod:`vgg.seeds`), never per rank.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

import torch.distributed as dist


def running() -> tuple[bool, int]:
    """``(on, processes)``: whether ``torch.distributed`` is initialized, and its world size."""
    on = dist.is_available() and dist.is_initialized()
    return on, dist.get_world_size() if on else 1


def rank() -> int:
    """This process's rank (0 without ``torch.distributed``)."""
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def gathered(results: Sequence[Any]) -> tuple[list[Any], int]:
    """``(results of every process, de-duplicated by their index; processes)``; this
    process's own where ``torch.distributed`` is not initialized."""
    on, processes = running()
    if not on:
        return list(results), processes
    parts: list[list[Any] | None] = [None] * processes
    dist.all_gather_object(parts, list(results))
    unique = {r.index: r for part in parts for r in (part or [])}
    return list(unique.values()), processes


@contextlib.contextmanager
def process_group() -> Iterator[None]:
    """Inside: the gloo process group ``torchrun`` asks for (``WORLD_SIZE`` > 1), destroyed
    when done; nothing without ``torchrun``."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("gloo")
    try:
        yield
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


__all__ = ["gathered", "process_group", "rank", "running"]
