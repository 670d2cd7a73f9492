"""`neurograph export` (JSON <-> safetensors) and `neurograph train --resume m.safetensors`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from optional import need
from test_cli import run
from test_cli_train import train, write_idx

import neurograph as ng

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

need("safetensors")


def test_export_both_ways(tmp_path: Path) -> None:
    """JSON -> safetensors -> JSON: the same network, the same meta."""
    net = ng.layered([3, 4, 2], seed=0)
    net.connect("L1.1", "L3.2", 0.5)
    net.meta = {"training": {"epochs": 4}}
    ng.save(net, tmp_path / "model.json")
    result = run("export", str(tmp_path / "model.json"), "-o", str(tmp_path / "model.safetensors"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {tmp_path / 'model.safetensors'}"
    back = run("export", str(tmp_path / "model.safetensors"), "-o", str(tmp_path / "back.json"))
    assert back.returncode == 0, back.stderr
    assert json.loads((tmp_path / "back.json").read_text()) == json.loads(
        (tmp_path / "model.json").read_text()
    )
    wrong = run("export", str(tmp_path / "model.json"), "-o", str(tmp_path / "model.pt"))
    assert wrong.returncode == 1 and "expected .json, .safetensors" in wrong.stderr
    missing = run("export", str(tmp_path / "none.safetensors"), "-o", str(tmp_path / "x.json"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_train_resumes_a_safetensors_model(tmp_path: Path) -> None:
    """train, export, train --resume m.safetensors: continues the epochs, saves that file."""
    data = write_idx(tmp_path / "mnist", n_train=300, n_test=100)
    first = train(tmp_path, "--data", str(data), "--epochs", "1", "--eta", "0.5")
    assert first.returncode == 0, first.stderr
    assert (
        run(
            "export", str(tmp_path / "model.json"), "-o", str(tmp_path / "m.safetensors")
        ).returncode
        == 0
    )
    result = train(tmp_path, "--data", str(data), "--resume", "m.safetensors", "--epochs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Epoch 2: ")
    net = ng.load(tmp_path / "m.safetensors")
    assert net.meta["training"]["epochs"] == 2 and net.meta["training"]["eta"] == 0.5
    assert net.to_dict() != ng.load(tmp_path / "model.json").to_dict()  # trained on
