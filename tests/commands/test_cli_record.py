"""`neurograph train --record run.html`: a page replaying the run, in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from page_helpers import page_data
from signal_helpers import default_sigint

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ROOT = Path(__file__).resolve().parents[2]


def train(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m neurograph train ARGS`` in `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "neurograph", "train", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_record_a_toy_run(tmp_path: Path, dot: str) -> None:
    result = train(tmp_path, "--data", "xor", "--epochs", "2", "--record", "run.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "saved model.json and run.html"
    data = page_data(tmp_path / "run.html")
    assert [f["text"].split(":")[0] for f in data["frames"]] == [
        "before training", "epoch 1, step 100, η = 3", "epoch 2, step 200, η = 3",
    ]  # fmt: skip
    assert data["images"]["kind"] == "maps" and len(data["images"]["points"]) == 200
    assert sorted(data["curves"]) == ["evaluation_accuracy", "evaluation_cost"]


def test_record_mnist(tmp_path: Path, dot: str) -> None:
    result = train(tmp_path, "--limit", "100", "--epochs", "1", "--record", "m.html")
    assert result.returncode == 0, result.stderr
    data = page_data(tmp_path / "m.html")
    assert data["images"]["kind"] == "weights" and len(data["images"]["names"]) == 30
    assert len(data["frames"]) == 2


def test_record_path_is_checked_before_training(tmp_path: Path) -> None:
    result = train(tmp_path, "--data", "xor", "--record", "missing/run.html")
    assert result.returncode == 1
    assert "cannot write 'missing/run.html': the directory 'missing' does not exist" in (
        result.stderr
    )
    assert not (tmp_path / "model.json").exists()


def test_ctrl_c_writes_the_completed_epochs(tmp_path: Path, dot: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "neurograph", "train", "--data", "xor", "--epochs", "100000"]
    with subprocess.Popen(
        [*command, "--record", "run.html"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Epoch 1: ")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.rstrip().endswith("; run.html replays the completed epochs")
    frames = page_data(tmp_path / "run.html")["frames"]
    assert len(frames) >= 2 and frames[-1]["text"].startswith(f"epoch {len(frames) - 1}, ")


def test_record_a_resumed_run_counts_on(tmp_path: Path, dot: str) -> None:
    assert train(tmp_path, "--data", "xor", "--epochs", "1").returncode == 0
    result = train(tmp_path, "--data", "xor", "--resume", "model.json", "--epochs", "2",
                   "--record", "more.html")  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = page_data(tmp_path / "more.html")
    texts = [f["text"].split(": ")[0] for f in data["frames"]]
    assert texts == [
        "epoch 1, step 100, η = 3",
        "epoch 2, step 200, η = 3",
        "epoch 3, step 300, η = 3",
    ]
    assert data["first"] == 1 and len(data["curves"]["evaluation_accuracy"]) == 2
    assert data["frames"][1]["text"].endswith(" %")  # the numbers of epoch 2, this run's first
