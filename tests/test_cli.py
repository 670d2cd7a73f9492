"""The `neurograph` command itself, and `neurograph demo`, run in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import neurograph as ng


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m neurograph ARGS` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "neurograph", *args], capture_output=True, text=True, timeout=300
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"neurograph {ng.__version__}"
    bare = run()
    assert bare.returncode == 2 and "demo" in bare.stdout
    bad = run("frobnicate")
    assert bad.returncode == 2 and "invalid choice: 'frobnicate'" in bad.stderr


def test_demo_shows_the_passes_in_the_books_notation(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Build a network neuron by neuron" in out
    assert "z[h1] = Σ w·a + b = 1 × 1 + (-1) × 0 + 0.5 = 1.5;  a[h1] = σ(z) = 0.8176" in out
    assert "δ[h1] = σ'(z) · Σ w·δ = 0.1491 × (1.5 × (-0.3831)) = -0.08571" in out
    assert "∂C/∂w[out <- h1] = a[h1]·δ[out] = -0.3132" in out
    assert "max relative error" in out
