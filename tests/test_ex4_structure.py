"""Exercise 4's code keeps its layout: the LRP engine knows no image, command line or
evaluation; numerics reads nothing of ``vgg`` but the engine; no module of ``vgg`` is long.

Read from the source (every ``import`` statement, those inside functions included), so that a
lazy import cannot hide a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: What the engine may import of ``vgg``: itself, and the torch-free words of bad input.
ENGINE_MAY_IMPORT = ("vgg.engine", "vgg.limits", "vgg.errors")
#: The longest a module may be (the project's standard).
MAX_LINES = 600


def vgg_imports(path: Path) -> list[str]:
    """Every module of ``vgg`` that ``path`` imports, anywhere in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "vgg"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "vgg":  # from vgg import x: the submodule or name x
                found += [f"vgg.{a.name}" for a in node.names]
            elif node.module.startswith("vgg."):
                found.append(node.module)
    return found


def _within(name: str, allowed: tuple[str, ...]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


@pytest.mark.parametrize("path", sorted((ROOT / "vgg" / "engine").glob("*.py")),
                         ids=lambda p: p.name)
def test_4_engine_imports_nothing_of_the_applications(path: Path) -> None:
    """``vgg/engine`` imports only ``vgg.engine``, ``vgg.limits`` and ``vgg.errors`` of vgg."""
    outside = [n for n in vgg_imports(path) if not _within(n, ENGINE_MAY_IMPORT)]
    assert outside == [], f"{path.name} imports {outside}"


@pytest.mark.parametrize("path", sorted((ROOT / "numerics").glob("*.py")), ids=lambda p: p.name)
def test_4_numerics_reads_only_the_engine_of_vgg(path: Path) -> None:
    """``numerics`` imports nothing of ``vgg`` but the LRP engine."""
    outside = [n for n in vgg_imports(path) if not _within(n, ("vgg.engine",))]
    assert outside == [], f"{path.name} imports {outside}"


def test_4_numerics_uses_the_engine() -> None:
    """…and does use it (Exercise 2's LRP-γ in torch is the engine's)."""
    assert "vgg.engine" in vgg_imports(ROOT / "numerics" / "min_networks.py")


def test_4_no_vgg_module_is_over_600_lines() -> None:
    """Small modules, one concept each."""
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "vgg").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
