"""`neurograph train --resume` continues the very run: bit for bit the uninterrupted model."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from signal_helpers import default_sigint

import neurograph as ng
from neurograph.cli import main

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ARGS = ["--sizes", "784,30,10", "--limit", "6000", "--momentum", "0.5", "--cost", "cross-entropy"]


def _train(*extra: str) -> list[str]:
    return [sys.executable, "-m", "neurograph", "train", *ARGS, *extra]


def _parameters(path: Path) -> Any:
    doc = json.loads(path.read_text())
    return doc["edges"], doc["neurons"]


def test_sigint_then_resume_equals_the_uninterrupted_run(tmp_path: Path) -> None:
    full, part = tmp_path / "full.json", tmp_path / "part.json"
    with subprocess.Popen(
        _train("--epochs", "3", "--output", str(part)),
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("Epoch 2:"):
                child.send_signal(signal.SIGINT)
                break
        assert child.wait(timeout=120) == 130
    training = json.loads(part.read_text())["meta"]["training"]
    assert (training["epochs"], training["epochs_asked"]) == (2, 3)
    resumed = subprocess.run(
        [sys.executable, "-m", "neurograph", "train", "--resume", str(part), "--limit", "6000"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0 and "Epoch 3:" in resumed.stdout, resumed.stderr
    subprocess.run(_train("--epochs", "3", "--output", str(full)), check=True, timeout=120)
    assert _parameters(part) == _parameters(full)  # bit for bit: JSON floats round-trip


def test_network2_file_is_never_rewritten_in_another_format(tmp_path: Path) -> None:
    book = tmp_path / "book.json"
    ng.save(ng.layered([784, 10, 10], seed=0), book, format="network2", cost="CrossEntropyCost")
    before = book.read_bytes()
    assert main(["train", "--resume", str(book), "--epochs", "1", "--limit", "50"]) == 1
    assert book.read_bytes() == before
    out = tmp_path / "continued.json"
    argv = ["train", "--resume", str(book), "--epochs", "1", "--limit", "50", "--output", str(out)]
    assert main(argv) == 0
    assert ng.load(out).meta["training"]["cost"] == "CrossEntropyCost"  # the file's cost kept


@pytest.mark.parametrize(
    ("training", "field"),
    [
        ("garbage", "meta.training must be an object"),
        ({"eta": "fast"}, "meta.training.eta"),
        ({"epochs": -1}, "meta.training.epochs"),
        ({"mini_batch_size": 0}, "meta.training.mini_batch_size"),
        ({"momentum": 1.5}, "meta.training.momentum"),
        ({"cost": "mystery"}, "meta.training.cost"),
        ({"rng": [1, 2]}, "meta.training.rng"),
        ({"rng": {"bit_generator": "PCG64", "state": "x"}}, "meta.training.rng"),
        ({"momentum": 0.5, "velocity": [1.0, 2.0]}, "meta.training.velocity"),
        ({"dtype": "float16"}, "meta.training.dtype"),
    ],
)
def test_garbage_training_state_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], training: Any, field: str
) -> None:
    model = tmp_path / "m.json"
    doc = {"format": "neurograph", "version": 1, **ng.layered([784, 10], seed=0).to_dict()}
    doc["meta"] = {"training": training}
    model.write_text(json.dumps(doc))
    assert main(["train", "--resume", str(model), "--epochs", "1", "--limit", "20"]) == 1
    err = capsys.readouterr().err
    assert field in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("removed", "momentum", "said"),
    [
        ((), "0.5", []),
        (("rng",), "0", ["meta.training.rng", "shuffled afresh"]),
        (("rng",), "0.5", ["meta.training.rng", "shuffled afresh"]),
        (("velocity",), "0.5", ["meta.training.velocity", "start again from zero"]),
        (("rng", "velocity"), "0.5", ["meta.training.rng or meta.training.velocity"]),
    ],
)
def test_resume_that_cannot_be_exact_says_so(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    removed: tuple[str, ...],
    momentum: str,
    said: list[str],
) -> None:
    """Issue 18, item 10: a file that lost its generator state or velocities resumes with a note."""
    model = tmp_path / "m.json"
    first = ["train", "--sizes", "784,10,10", "--limit", "60", "--epochs", "1"]
    assert main([*first, "--momentum", momentum, "--output", str(model)]) == 0
    doc = json.loads(model.read_text())
    for name in removed:
        del doc["meta"]["training"][name]
    model.write_text(json.dumps(doc))
    capsys.readouterr()
    assert main(["train", "--resume", str(model), "--epochs", "1", "--limit", "60"]) == 0
    err = capsys.readouterr().err
    if said:
        assert all(words in err for words in said) and "will not equal an uninterrupted" in err
    else:
        assert "note:" not in err, err
