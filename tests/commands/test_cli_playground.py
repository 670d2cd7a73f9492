"""`neurograph compare` and `neurograph train --data xor` end to end, in subprocesses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import neurograph as ng
from neurograph.commands.data import default_sizes, toy_data

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ROOT = Path(__file__).resolve().parents[2]


def neurograph(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m neurograph ARGS`` in `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "neurograph", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_compare_prints_the_slowdown_table_and_draws_it(tmp_path: Path) -> None:
    result = neurograph(tmp_path, "compare", "--costs", "quadratic,cross-entropy", "-o", "f.svg")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[2:] == ["0", "50", "100", "150", "200", "300"]
    rows = {}
    for line, nxt in zip(lines[2::2], lines[3::2]):
        setting = line.split("  cost")[0].strip()
        rows[setting] = [float(v) for v in nxt.split()[1:]]
    assert rows["quadratic, w = 2, b = 2"][1] > 0.9  # epoch 50
    assert rows["cross-entropy, w = 2, b = 2"][1] < 0.5
    assert lines[-1] == "wrote f.svg" and (tmp_path / "f.svg").read_text().count("<svg") == 1


def test_compare_takes_starts_momentum_and_a_toy_network(tmp_path: Path) -> None:
    result = neurograph(tmp_path, "compare", "--start", "1,1", "--epochs", "20", "--eta", "0.5")
    assert result.returncode == 0, result.stderr
    assert "quadratic, w = 1, b = 1" in result.stdout and "w = 2" not in result.stdout
    result = neurograph(
        tmp_path, "compare", "--data", "xor", "--epochs", "3", "--momentum", "0,0.5",
        "--costs", "cross-entropy", "-o", "xor.png",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "cross-entropy, μ = 0.5" in result.stdout and "accuracy" in result.stdout
    assert (tmp_path / "xor.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "1"], "--start expects two numbers"),
        (["--costs", "cubic"], "unknown cost 'cubic'"),
        (["-o", "f.gif"], "unknown extension"),
        (["--data", "xor", "--start", "1,1"], "--start sets the one neuron"),
        (["--epochs", "0"], "--epochs must be at least 1"),
    ],
)
def test_compare_refuses_bad_options_in_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = neurograph(tmp_path, "compare", *args)
    assert result.returncode == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_train_on_a_toy_set_with_its_default_network(tmp_path: Path) -> None:
    result = neurograph(tmp_path, "train", "--data", "xor", "--epochs", "3")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Epoch 1: \d+ / 200  \(\d+\.\d\d s\)", result.stdout.splitlines()[0])
    net = ng.load(tmp_path / "model.json")
    assert [len(level) for level in net.levels()] == [2, 8, 2]
    assert "--data PATH|NAME" in neurograph(tmp_path, "train", "--help").stdout


@pytest.mark.parametrize("name", ng.datasets.TOY_NAMES)
def test_the_default_networks_learn_every_toy_set(name: str) -> None:
    """What `neurograph train --data NAME` runs: held-out accuracy above 95 % in 30 epochs."""
    train, evaluation, classes = toy_data(name)
    assert classes == 2 and len(train[0]) == 1000 and len(evaluation[0]) == 200
    assert not np.shares_memory(train[0], evaluation[0])
    sizes = default_sizes(name)
    fast = ng.layered(sizes, seed=0).compile()
    history = fast.sgd(
        train, 30, 10, 3.0, evaluation_data=evaluation, monitor_evaluation_accuracy=True,
        seed=np.random.default_rng([0, 0]),
    )  # fmt: skip
    assert history.evaluation_accuracy[-1] > 0.95
