"""The device a network runs on: ``auto``, ``cpu`` or ``cuda``.

>>> pick_device("cpu")
device(type='cpu')
"""

from __future__ import annotations

import torch

from vgg.errors import DeviceError


def pick_device(device: str) -> torch.device:
    """``auto`` → CUDA if available, else the CPU; ``cuda`` without CUDA is a
    :class:`DeviceError`."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cpu":
        return torch.device("cpu")
    if device == "cuda":
        if not torch.cuda.is_available():
            raise DeviceError("--device cuda: CUDA is not available here (no GPU, or a CPU-only "
                              "PyTorch); use --device cpu or --device auto")
        return torch.device("cuda")
    raise DeviceError(f"--device {device}: choose auto, cpu or cuda")


__all__ = ["pick_device"]
