"""`neurograph train` end to end, in a subprocess, on a small IDX data set written to tmp_path."""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from signal_helpers import default_sigint

import neurograph as ng

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ROOT = Path(__file__).resolve().parents[2]


def write_idx(folder: Path, n_train: int = 600, n_test: int = 200, magic: int = 0x803) -> Path:
    """The first MNIST images as the four IDX files of an MNIST-like folder."""
    folder.mkdir(exist_ok=True)
    (X, y), _, (X_test, y_test) = ng.datasets.load_mnist()
    splits = [("train", X[:n_train], y[:n_train]), ("t10k", X_test[:n_test], y_test[:n_test])]
    for split, images, labels in splits:
        pixels = np.rint(images * 255).astype(np.uint8)
        head = struct.pack(">IIII", magic, len(pixels), 28, 28)
        (folder / f"{split}-images-idx3-ubyte").write_bytes(head + pixels.tobytes())
        head = struct.pack(">II", 0x801, len(labels))
        (folder / f"{split}-labels-idx1-ubyte").write_bytes(
            head + labels.astype(np.uint8).tobytes()
        )
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 training images (500 train, 100 validation) and 200 test images."""
    return write_idx(tmp_path_factory.mktemp("idx") / "mnist")


def train(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m neurograph train ARGS`` in `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "neurograph", "train", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_train_saves_model_and_plot(data: Path, tmp_path: Path) -> None:
    """The book's epoch lines, a model after every epoch, the learning curves as SVG."""
    result = train(tmp_path, "--data", str(data), "--epochs", "2", "--plot", "curves.svg")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Epoch 1: \d+ / 200  \(\d+\.\d\d s\)", lines[0])
    assert lines[1].startswith("Epoch 2: ") and lines[2] == "saved model.json and curves.svg"
    net = ng.load(tmp_path / "model.json")
    assert [len(level) for level in net.levels()] == [784, 30, 10]
    meta = net.meta["training"]
    assert meta["epochs"] == 2 and meta["eta"] == 3.0 and net.meta["cost"] == "QuadraticCost"
    correct = int(lines[1].split()[2])
    assert meta["history"]["evaluation_accuracy"][-1] == correct / 200
    drawn = [t.text for t in ET.parse(tmp_path / "curves.svg").getroot().findall(".//{*}text")]
    assert "accuracy (%)" in drawn and "cost" in drawn and "evaluation data" in drawn
    assert "sizes [784, 30, 10], η 3, λ 0, cost QuadraticCost, mini-batch 10" in drawn


def test_plot_png_with_the_training_curves(data: Path, tmp_path: Path) -> None:
    """--plot by extension (PNG here); --monitor-training adds the training data's curves."""
    result = train(
        tmp_path, "--data", str(data), "--epochs", "2", "--limit", "100",
        "--plot", "curves.png", "--monitor-training",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"
    history = ng.load(tmp_path / "model.json").meta["training"]["history"]
    assert len(history["training_accuracy"]) == 2 and len(history["training_cost"]) == 2
    refused = train(tmp_path, "--data", str(data), "--epochs", "1", "--plot", "c.gif")
    assert refused.returncode == 1 and "unknown extension '.gif'" in refused.stderr


def test_resume_continues(data: Path, tmp_path: Path) -> None:
    """--resume continues the epochs, the settings and the history of the saved model."""
    first = train(tmp_path, "--data", str(data), "--epochs", "1", "--eta", "0.5",
                  "--cost", "cross-entropy", "--output-layer", "softmax")  # fmt: skip
    assert first.returncode == 0, first.stderr
    result = train(tmp_path, "--data", str(data), "--resume", "model.json", "--epochs", "2")
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:2]] == ["Epoch 2", "Epoch 3"]
    meta = ng.load(tmp_path / "model.json").meta["training"]
    assert meta["epochs"] == 3 and meta["eta"] == 0.5 and meta["cost"] == "cross-entropy"
    assert len(meta["history"]["evaluation_accuracy"]) == 3
    wrong = train(tmp_path, "--data", str(data), "--resume", "model.json", "--sizes", "784,20,10")
    assert wrong.returncode == 1 and "does not match model.json" in wrong.stderr


def test_ctrl_c_keeps_last_epoch(data: Path, tmp_path: Path) -> None:
    """SIGINT after the first epoch: exit 130, and the saved model of a completed epoch loads."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "neurograph", "train", "--data", str(data), "--epochs", "500"]
    with subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    assert first.startswith("Epoch 1: ")
    assert process.returncode == 130, stderr
    assert "interrupted; model.json holds the model after epoch" in stderr
    assert "Traceback" not in stderr
    net = ng.load(tmp_path / "model.json")
    last = int(stderr.split("after epoch ")[1].split()[0])
    # the line shows only once the model is saved; a later epoch may have been saved since
    assert 1 <= last <= net.meta["training"]["epochs"] <= last + 1


def test_divergence_keeps_good_model(data: Path, tmp_path: Path) -> None:
    """A diverging run stops with one clear line and does not overwrite the good model."""
    assert train(tmp_path, "--data", str(data), "--epochs", "1").returncode == 0
    good = (tmp_path / "model.json").read_bytes()
    result = train(tmp_path, "--data", str(data), "--resume", "model.json", "--eta", "1e6",
                   "--epochs", "1", "--cost", "cross-entropy", "--plot", "c.svg")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "diverged in epoch 2" in result.stderr
    assert "model.json keeps the model of epoch 1" in result.stderr
    assert (tmp_path / "model.json").read_bytes() == good
    assert not (tmp_path / "c.svg").exists()


def bad_folder(tmp_path: Path, kind: str) -> Path:
    """An IDX folder with a wrong magic number, or with no images at all."""
    if kind == "magic":
        return write_idx(tmp_path / "bad", 20, 10, magic=0x802)
    return write_idx(tmp_path / "empty", 0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sizes", "783,30,10"], "784 inputs and 10 classes"),
        (["--sizes", "784,30,5"], "784 inputs and 10 classes"),
        (["--sizes", "784"], "at least two positive integers"),
        (["--mini-batch-size", "0"], "--mini-batch-size must be an integer from 1 to the 500"),
        (["--mini-batch-size", "501"], "--mini-batch-size must be an integer from 1 to the 500"),
        (["--output", "missing/model.json"], "does not exist"),
        (["--resume", "nothing.json"], "cannot read"),
        (["--limit", "0"], "--limit must be at least 1"),
        (["@magic"], "magic"),
        (["@empty"], "empty"),
        (["--data", "no-such-folder"], "no such folder, .csv file or toy data set"),
    ],
)
def test_bad_input(data: Path, tmp_path: Path, args: list[str], message: str) -> None:
    """Each bad input: exit 1, one line on stderr naming the problem, no traceback, no files."""
    if args[0].startswith("@"):
        args = ["--data", str(bad_folder(tmp_path, args[0][1:]))]
    elif "--data" not in args:
        args = ["--data", str(data), *args]
    before = set(tmp_path.iterdir())
    result = train(tmp_path, *args, "--plot", "curves.svg")
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("neurograph train: error: ")
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert set(tmp_path.iterdir()) == before


def test_debug_shows_traceback(data: Path, tmp_path: Path) -> None:
    """--debug (before the subcommand) lets the traceback through."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "neurograph", "--debug", "train", "--data", str(data),
               "--sizes", "783,30,10"]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_book_benchmark_quick(tmp_path: Path) -> None:
    """benchmarks/book.py --quick writes its Markdown table where it is told."""
    output = tmp_path / "accuracy.md"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "book.py"),
        "--quick",
        "--output",
        str(output),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    page = output.read_text(encoding="utf-8")
    assert "| ch. 1, quadratic | [784, 30, 10] |" in page and "--quick" in page


def test_bundled_mnist_and_validation(data: Path, tmp_path: Path) -> None:
    """The bundled MNIST by default; --evaluate validation holds out the last training images."""
    result = train(tmp_path, "--limit", "1000", "--epochs", "1", "--evaluate", "validation")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Epoch 1: ") and " / 1000  (" in result.stdout
    result = train(tmp_path, "--data", str(data), "--epochs", "1", "--evaluate", "validation")
    assert result.returncode == 0, result.stderr
    assert " / 100  (" in result.stdout  # 600 training images: 500 to train, 100 to validate


def test_trained_mnist_model_carries_the_digits(data: Path, tmp_path: Path) -> None:
    """A model made by `neurograph train` names its ten outputs "0" … "9"."""
    result = train(tmp_path, "--data", str(data), "--epochs", "1", "--limit", "50")
    assert result.returncode == 0, result.stderr
    assert ng.load(tmp_path / "model.json").labels == [str(d) for d in range(10)]


@pytest.mark.parametrize("neuron", ["tanh", "relu", "sigmoid"])
def test_neuron_chooses_the_hidden_kind(tmp_path: Path, neuron: str) -> None:
    """--neuron tanh|relu|sigmoid trains hidden neurons of that kind; the file keeps it."""
    result = train(tmp_path, "--data", "circles", "--epochs", "2", "--eta", "0.5",
                   "--neuron", neuron)  # fmt: skip
    assert result.returncode == 0, result.stderr
    net = ng.load(tmp_path / "model.json")
    kinds = {type(n).kind for n in net.neurons}
    assert kinds == {neuron, "sigmoid"} if neuron != "sigmoid" else kinds == {"sigmoid"}
    assert {type(n).kind for n in net.levels()[1]} == {neuron}


def test_cross_entropy_refuses_relu_outputs(tmp_path: Path) -> None:
    result = train(tmp_path, "--data", "circles", "--epochs", "1", "--neuron", "relu",
                   "--output-layer", "relu", "--cost", "cross-entropy")  # fmt: skip
    assert result.returncode == 1 and not (tmp_path / "model.json").exists()
    assert "output 'L3.1' is a ReLUNeuron" in result.stderr and "Traceback" not in result.stderr
