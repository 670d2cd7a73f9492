"""Every ```python block of docs/*.md and README.md runs, page by page, in a scratch folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from optional import need

pytestmark = pytest.mark.slow  # runs every page's Python, MNIST training included

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def python_blocks(page: Path) -> list[str]:
    """The ```python blocks of a Markdown page, in order."""
    return BLOCK.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks of one page share a namespace and run in order; their asserts must hold."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, code in enumerate(python_blocks(page), start=1):
        if "import torch" in code:
            need("torch")  # the bridge's page: skips without the extra, fails under CI=true
        exec(compile(code, f"{page.name} block {number}", "exec"), namespace)


def test_blocks_are_found() -> None:
    """The extractor sees the README's example (so a broken pattern cannot pass silently)."""
    assert any("ng.Network()" in block for block in python_blocks(ROOT / "README.md"))
