"""ng.datasets.load_csv, labels read as floats, and `neurograph train --data file.csv`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import neurograph as ng

ROOT = Path(__file__).resolve().parents[2]


def points(path: Path, n: int = 400, header: bool = True) -> Path:
    """Points of the plane labelled by which coordinate is larger, the label column last."""
    rng = np.random.default_rng(0)
    X = rng.random((n, 2))
    y = (X[:, 0] > X[:, 1]).astype(int)
    lines = ["x1,x2,label"] if header else []
    lines += [f"{a:.6f},{b:.6f},{c}" for (a, b), c in zip(X, y)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_header_or_none_name_or_position_and_scale(tmp_path: Path) -> None:
    X, y = ng.datasets.load_csv(points(tmp_path / "a.csv"), label_column="label")
    assert X.shape == (400, 2) and y.dtype == np.int64 and set(y.tolist()) == {0, 1}
    X2, y2 = ng.datasets.load_csv(points(tmp_path / "b.csv", header=False), scale=2.0)
    np.testing.assert_array_equal(X2, 2 * X)
    np.testing.assert_array_equal(y2, y)
    first = tmp_path / "c.csv"
    first.write_text("7.0,0,255\n2.0,255,0\n")  # label first, as Kaggle's MNIST CSV has it
    X3, y3 = ng.datasets.load_csv(first, label_column=0, scale=1 / 255)
    assert y3.tolist() == [7, 2] and y3.dtype == np.int64 and X3.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("a,b\n1,2\n3,x\n", {}, r"line 3, column 'b': 'x' is not a number"),
        ("1,2\n3,,\n", {}, r"line 2: expected 2 cells, got 3"),
        ("1,2\n3\n", {}, r"line 2: expected 2 cells, got 1"),
        ("a,b\n1,2\n", {"label_column": "c"}, r"no column named 'c'; its columns are \['a', 'b'\]"),
        ("1,2\n", {"label_column": "c"}, "it has no header row"),
        ("1,2\n", {"label_column": 5}, "outside its 2 columns"),
        ("", {}, "has no rows"),
        ("1,nan\n", {}, "line 1: NaN or inf"),
    ],
)
def test_bad_files_name_the_cell(tmp_path: Path, text: str, kwargs: dict, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ng.DataError, match=match):
        ng.datasets.load_csv(path, **kwargs)


def test_whole_float_labels_train_and_others_are_refused() -> None:
    """np.loadtxt gives float labels: whole ones are labels everywhere, others are refused."""
    rng = np.random.default_rng(0)
    X = rng.random((100, 2))
    y = (X[:, 0] > X[:, 1]).astype(float)
    fast = ng.layered([2, 3, 2], seed=0).compile()
    history = fast.sgd((X, y), 2, 10, 1.0, evaluation_data=(X, y), monitor_evaluation_accuracy=True)
    assert 0 <= history.evaluation_accuracy[-1] <= 1
    net = ng.layered([2, 3, 2], seed=0)
    net.forward(X[0])
    assert net.backward(1.0) == net.backward(1)  # the label 1.0 is the label 1
    with pytest.raises(ng.ShapeError, match=r"label 0\.5 is not a whole number"):
        fast.sgd((X, y / 2), 1, 10, 1.0)
    with pytest.raises(ng.ShapeError, match=r"label 2\.5 is not a whole number"):
        net.backward(2.5)
    with pytest.raises(ng.ShapeError, match="label 3 is out of range"):
        fast.sgd((X, y + 2), 1, 10, 1.0)


def test_train_on_a_csv_file(tmp_path: Path) -> None:
    path = points(tmp_path / "points.csv", n=500)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    output = str(tmp_path / "m.json")
    command = [sys.executable, "-m", "neurograph", "train", "--data", str(path), "--holdout",
               "0.2", "--epochs", "3", "--eta", "3", "--output", output]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Epoch 1: ") and " / 100  (" in result.stdout  # 20% held out
    net = ng.load(tmp_path / "m.json")
    assert [len(level) for level in net.levels()] == [2, 30, 2]  # sizes from the data
    command[command.index("0.2")] = "1.5"
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "--holdout must be between 0 and 1" in refused.stderr
