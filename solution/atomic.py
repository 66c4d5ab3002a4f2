"""Replace an output folder as a whole: build beside it, then swap.

A run writes into a fresh temporary sibling of the destination; only when everything is
written does the swap happen, so a failed run never leaves a half-written folder in place of
a good one.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with staging_dir(root / "report") as tmp:
...     _ = (tmp / "a.txt").write_text("new")
>>> sorted(p.name for p in root.iterdir()), (root / "report" / "a.txt").read_text()
(['report'], 'new')
>>> try:
...     with staging_dir(root / "report") as tmp:
...         _ = (tmp / "a.txt").write_text("half")
...         raise RuntimeError("stage failed")
... except RuntimeError:
...     pass
>>> sorted(p.name for p in root.iterdir()), (root / "report" / "a.txt").read_text()
(['report'], 'new')
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staging_dir(final: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``final``; on success it becomes ``final``."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)
