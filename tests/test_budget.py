"""The house line budget: every module of the package stays at 400 lines or fewer."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "neurograph"
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=[str(m.relative_to(PACKAGE)) for m in MODULES])
def test_module_is_small(module: Path) -> None:
    """One idea per module: at most 400 lines (STYLE.md §1)."""
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{module.name} has {lines} lines; split it by idea"
