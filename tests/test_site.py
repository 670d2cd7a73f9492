"""The documentation builds as a static site, API reference included (mkdocs --strict)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_site_builds(tmp_path: Path) -> None:
    """Every page is in the nav, every link resolves, and the docstrings render."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "not included in the" not in result.stderr, result.stderr
    api = (tmp_path / "api" / "index.html").read_text(encoding="utf-8")
    assert "A neural network as a DAG of neuron objects" in api
    assert "Train <code>fast</code> by mini-batch stochastic gradient descent" in api
    assert "The graph engine (<code>neurograph.graph</code>)" in api
    assert (tmp_path / "architecture" / "index.html").exists()
    assert (tmp_path / "exercises" / "1.3-binary-output-layer" / "index.html").exists()
