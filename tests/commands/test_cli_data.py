"""A learner's own data from the command line: class names, standardization, every command."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from page_helpers import page_data

import neurograph as ng
from neurograph.cli import main
from neurograph.commands.data import read_data
from neurograph.commands.standardize import standardized
from neurograph.pictures.curves import plot_history

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "tests" / "fixtures" / "iris.csv"


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    """`neurograph ARGS` in this process: the exit status, stdout and stderr."""
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def fruit(path: Path, n: int = 120) -> Path:
    """Fruit by weight (grams) and length (cm), the class name in the first column."""
    rng = np.random.default_rng(0)
    rows = ["fruit,grams,cm"]
    for k in range(n):
        name, grams, cm = [("apple", 150, 7.5), ("lemon", 100, 9.0), ("melon", 900, 18)][k % 3]
        rows.append(f"{name},{grams + rng.normal(0, 15):.1f},{cm + rng.normal(0, 0.6):.2f}")
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_iris_as_sklearn_ships_it_trains_with_the_defaults(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed: int
) -> None:
    """Sorted by class, features in centimetres: at least 90 % of the 30 held-out flowers."""
    status, out, _ = run(capsys, "train", "--data", IRIS, "--seed", seed, "--output",
                         tmp_path / "iris.json")  # fmt: skip
    assert status == 0
    last = re.findall(r"Epoch 30: (\d+) / 30 ", out)
    assert last and int(last[0]) >= 27, out  # 27 / 30 = 90 %
    net = ng.load(tmp_path / "iris.json")
    stats = net.meta["standardize"]
    assert len(stats["mean"]) == 4 and 5.5 < stats["mean"][0] < 6.1  # sepal length, in cm


def test_class_names_anywhere_are_the_networks_labels(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = fruit(tmp_path / "fruit.csv")
    model = tmp_path / "fruit.json"
    status, out, err = run(capsys, "train", "--data", data, "--label-column", "fruit",
                           "--epochs", "5", "--output", model)  # fmt: skip
    assert status == 0, err
    net = ng.load(model)
    assert net.labels == ["apple", "lemon", "melon"] and len(net.inputs) == 2
    assert "Epoch 5: " in out and "warning" not in err
    by_position = run(capsys, "train", "--data", data, "--label-column", "0", "--epochs", "1",
                      "--output", tmp_path / "p.json")  # fmt: skip
    assert by_position[0] == 0 and ng.load(tmp_path / "p.json").labels == net.labels


def test_standardization_is_saved_and_applied_by_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = fruit(tmp_path / "fruit.csv")
    model = tmp_path / "fruit.json"
    assert run(capsys, "train", "--data", data, "--label-column", "fruit", "--epochs", "3",
               "--output", model)[0] == 0  # fmt: skip
    net = ng.load(model)
    X, y = ng.datasets.load_csv(data, label_column="fruit")
    stats = net.meta["standardize"]
    Z = standardized(stats, X)
    assert abs(Z.mean()) < 0.2 and 0.8 < Z.std() < 1.2  # from the training rows only
    x = X[0]
    expected = net.forward((x - np.array(stats["mean"])) / np.array(stats["std"]))
    status, out, _ = run(capsys, "debug", model, "--input", ",".join(map(str, x)), "--trace")
    assert status == 0
    shown = re.findall(r"a\[L3.1\] = σ\(z\) = ([-0-9.e]+)", out)
    assert shown and float(shown[0]) == pytest.approx(expected[0], rel=1e-3)
    page = tmp_path / "pass.html"
    assert run(capsys, "play", model, "--input", ",".join(map(str, x)), "-o", page)[0] == 0
    assert f"{Z[0][0]:.4g}" in page_data(page)["events"][0]["text"]  # standardized x_1
    dot = tmp_path / "net.dot"
    status, _, err = run(capsys, "render", model, "--show", "activations", "--input",
                         ",".join(map(str, x)), "-o", dot)  # fmt: skip
    assert status == 0, err
    raw = run(capsys, "train", "--data", data, "--label-column", "fruit", "--epochs", "1",
              "--no-standardize", "--output", tmp_path / "raw.json")  # fmt: skip
    assert raw[0] == 0 and "standardize" not in ng.load(tmp_path / "raw.json").meta
    assert "far from unit scale (input 1 has mean" in raw[2]  # grams, not η, is to blame
    assert "eta" not in raw[2].split("warning")[1]


def test_bad_standardization_in_a_model_file_is_named(tmp_path: Path) -> None:
    for bad in (
        {"mean": [0.0]},
        {"mean": [0, 0], "std": [1, 0]},
        "x",
        {"mean": [0, 0], "std": [1]},
    ):
        with pytest.raises(ng.DataError, match=r'm.json: meta\["standardize"\]'):
            standardized(bad, np.zeros(2), source="m.json")


def test_every_command_takes_data_the_same_way(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(capsys, "compare", "--data", IRIS, "--epochs", "2", "--costs",
                           "quadratic,cross-entropy")  # fmt: skip
    assert status == 0, err
    assert "quadratic" in out and "cross-entropy" in out
    model = tmp_path / "xor.json"
    assert run(capsys, "train", "--data", "xor", "--epochs", "1", "--output", model)[0] == 0
    dot = tmp_path / "maps.dot"
    status, out, err = run(capsys, "render", model, "--show", "maps", "-o", dot)
    assert status == 0, err  # no --input needed
    assert "the data, on the outputs" not in dot.read_text()
    status, out, err = run(capsys, "render", model, "--show", "maps", "--data", "xor", "-o", dot)
    assert status == 0, err
    assert "the data, on the outputs" in dot.read_text()  # the points are drawn
    status, _, err = run(capsys, "render", model, "--data", "xor", "-o", dot)
    assert status == 1 and "--data draws the data's points on the maps of --show maps" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--data", "moon"), "did you mean 'moons'? --data takes a toy data set (xor, circles"),
        (("--data", "moon"), "a .csv file (one example per row)"),
        (("--data", "xor", "--label-column", "x"), "--label-column applies to a .csv --data"),
        (("--data", "xor", "--mini-batch-size", "0"), "--mini-batch-size must be an integer"),
        (("--data", "xor", "--eta", "-1"), "--eta must be a finite number >= 0"),
    ],
)
def test_messages_speak_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    status, _, err = run(capsys, "train", *args, "--epochs", "1", "--output", tmp_path / "m.json")
    assert status == 1 and message in err and "Traceback" not in err


def test_a_negative_seed_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("train", "compare"):
        with pytest.raises(SystemExit) as exit_:
            main([command, "--seed", "-1"])
        assert exit_.value.code == 2
        assert "--seed: expected a whole number >= 0 such as 0 or 42, got '-1'" in (
            capsys.readouterr().err
        )


def test_one_epoch_numbering_in_the_output_the_history_the_curves_and_the_player(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, dot: str
) -> None:
    """Epoch k is the state after k epochs, everywhere: the same k, the same accuracy."""
    model, page = tmp_path / "m.json", tmp_path / "run.html"
    status, out, err = run(capsys, "train", "--data", "xor", "--epochs", "3", "--output", model,
                           "--record", page)  # fmt: skip
    assert status == 0, err
    printed = {int(k): int(c) / 200 for k, c in re.findall(r"Epoch (\d+): (\d+) / 200", out)}
    assert list(printed) == [1, 2, 3]
    history = ng.History(**ng.load(model).meta["training"]["history"])
    assert {k + 1: a for k, a in enumerate(history.evaluation_accuracy)} == printed
    figure = plot_history(history)
    assert np.asarray(figure.axes[0].lines[0].get_xdata()).tolist() == [1, 2, 3]
    frames = page_data(page)["frames"]
    texts = {int(f["text"].split(",")[0].split()[-1]): f["text"] for f in frames[1:]}
    assert list(texts) == [1, 2, 3] and frames[0]["text"].startswith("before training: epoch 0")
    for k, accuracy in printed.items():
        assert f"evaluation accuracy {100 * accuracy:.2f} %" in texts[k]


def test_holdout_takes_a_share_of_each_class_at_random() -> None:
    """sklearn's iris.csv is sorted by class: the test set still holds 10 of each of the 3."""
    train, validation, test, names = read_data(str(IRIS), 0.2)
    assert names == ["0", "1", "2"] and len(test[0]) == 30
    assert np.bincount(test[1]).tolist() == [10, 10, 10]
    assert len(train[0]) + len(validation[0]) == 120 and len(set(train[1].tolist())) == 3
    again = read_data(str(IRIS), 0.2)[2]
    np.testing.assert_array_equal(again[0], test[0])  # seed 0: the same split every time
    rows = {tuple(r) for r in np.vstack([train[0], validation[0], test[0]]).tolist()}
    assert len(rows) == len({tuple(r) for r in ng.datasets.load_csv(IRIS).X.tolist()})


def test_train_refuses_a_fifo_at_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    status, _, err = run(capsys, "train", "--data", fifo, "--output", tmp_path / "m.json")
    assert status == 1 and "it is not a regular file" in err
