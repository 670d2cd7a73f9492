"""The `neurograph` command itself, and `neurograph demo`, run in a subprocess."""

from __future__ import annotations

import re
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


def test_demo_tour_end_to_end(tmp_path: Path) -> None:
    """The guided tour runs, prints the book's equations, and writes every file it lists."""
    out = tmp_path / "demo"
    result = run("demo", "--out", str(out), "--epochs", "1")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Build a network neuron by neuron" in text
    assert "z[h1] = Σ w·a + b = 1 × 1 + (-1) × 0 + 0.5 = 1.5;  a[h1] = σ(z) = 0.8176" in text
    assert "δ[h1] = σ'(z) · Σ w·δ = 0.1491 × (1.5 × (-0.3831)) = -0.08571" in text
    assert "dbg.back() undoes the last step: δ[h1] is None again" in text
    assert "∂C/∂w[out <- h1] = a[h1]·δ[out] = -0.3132" in text
    epoch = re.search(r"Epoch 0: (\d+) / 10000", text)
    assert epoch is not None and int(epoch.group(1)) > 9000
    listed = text.split("Files written")[1].split("neurograph debug")[0].split()
    files = [Path(p) for p in listed if p.startswith(str(out))]
    assert {p.name for p in files} == {
        "network-activations.svg",
        "network-gradients.svg",
        "limit.svg",
        "pass.html",
        "xor-training.html",
        "mnist-model.json",
        "mnist-curves.svg",
        "mnist-hidden-weights.png",
    }
    for path in files:
        assert path.stat().st_size > 500, path
    assert ng.load(out / "mnist-model.json").meta["training"]["epochs"] == 1
    assert f"open {out / 'pass.html'} in a browser" in text
    assert "open it: every neuron's decision map, epoch by epoch" in text
