"""Every script in examples/ runs with --quick and checks what it claims."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs every example in a subprocess

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    """The example exits 0 (its own asserts hold) and prints something."""
    result = subprocess.run(
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip()


def test_examples_are_short() -> None:
    """One idea each: under 60 lines (STYLE.md §7)."""
    assert EXAMPLES
    for script in EXAMPLES:
        assert len(script.read_text().splitlines()) < 60, script.name
