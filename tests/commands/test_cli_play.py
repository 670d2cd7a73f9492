"""`neurograph play`: debug's input options, one page written, errors in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import neurograph as ng

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ROOT = Path(__file__).resolve().parents[2]


def play(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m neurograph play ARGS`."""
    return subprocess.run(
        [sys.executable, "-m", "neurograph", "play", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


@pytest.fixture
def model(tmp_path: Path) -> Path:
    return ng.save(ng.layered([2, 3, 2], seed=0), tmp_path / "model.json")


def test_writes_the_page(model: Path, tmp_path: Path, dot: str) -> None:
    out = tmp_path / "pass.html"
    done = play(str(model), "--input=-0.5,1", "--target", "1", "--eta", "0.5", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"wrote {out} (16 events" in done.stdout
    page = out.read_text(encoding="utf-8")
    expected = ng.record(ng.load(model), [-0.5, 1.0], 1, "quadratic", eta=0.5)
    assert str(expected.events[-1]).replace("<", "\\u003c").replace(">", "\\u003e") in page


def test_mnist_test_image_and_its_label(tmp_path: Path, dot: str) -> None:
    model = ng.save(ng.layered([784, 4, 10], seed=0), tmp_path / "mnist.json")
    out = tmp_path / "digit.html"
    done = play(str(model), "--mnist-test", "3", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "(29 events" in done.stdout  # 14 forward, the cost (its label), 14 backward


def test_errors_in_one_line(model: Path, tmp_path: Path) -> None:
    done = play(str(model), "--input", "1", "-o", str(tmp_path / "p.html"))
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"neurograph play: error: {model} has 2 inputs, but --input gives 1 values"
    )
    done = play(str(model), "--input", "1,2", "-o", str(tmp_path / "p.svg"))
    assert done.returncode == 1 and "unknown extension '.svg'; expected .html" in done.stderr
    missing = play(str(model))
    assert missing.returncode == 1 and "give the input: --input X1,X2,..." in missing.stderr
