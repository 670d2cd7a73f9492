"""ng.datasets.load_csv: labels as numbers or names, hostile files, and `train --data f.csv`."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    X3, y3 = ng.datasets.load_csv(first, label_column=0, scale=1 / 255, classes=10)
    assert y3.tolist() == [7, 2] and y3.dtype == np.int64 and X3.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("a,b\n1,2\nx,3\n", {}, r"line 3, column 'a': 'x' is not a number"),
        ("1,2\n3,,\n", {}, r"line 2: expected 2 cells, got 3"),
        ("1,2\n3\n", {}, r"line 2: expected 2 cells, got 1"),
        ("a,b\n1,2\n", {"label_column": "c"}, r"no column named 'c'; its columns are \['a', 'b'\]"),
        ("1,2\n", {"label_column": "c"}, "it has no header row"),
        ("1,2\n", {"label_column": 5}, "outside its 2 columns"),
        ("", {}, "has no rows"),
        ("1,nan\n", {}, r"line 1, column 1: a missing label \('nan'\)"),
        ("a,b\n1,2\nNA,3\n", {}, r"line 3, column 'a': a missing value \('NA'\)"),
        ("a,b\n1,2\n,3\n", {}, r"line 3, column 'a': a missing value \(''\)"),
        ("a,b\n1,x\n2,\n", {}, r"line 3, column 'b': a missing label \(''\)"),
        ("a,b\n1,x\n2, NA \n", {}, r"line 3, column 'b': a missing label \(' NA '\)"),
        ("a,b\n1,2\ninf,3\n", {}, r"line 3, column 'a': inf is not a usable value"),
        ("a,b\n1,0\n2,1e300\n", {}, r"line 3, column 'b': the label 1e\+300 is not a class"),
        ("a,b\n1,0\n2,9.3e18\n", {}, r"line 3, column 'b': the label 9.3e\+18 is not a class"),
        ("a,b\n1,0\n2,9007199254740993\n", {}, "the label 9007199254740993 is not a class"),
        ("a,b\n1,0\n2,-1\n", {}, "the label -1 is not a class number"),
        ("a,b\n1,0\n2,1\n3,inf\n", {}, r"line 4, column 'b': not a usable label \('inf'\)"),
        (
            "a,b\n" + "1,0\n" * 100 + "2,100000\n",
            {},
            "would make 100,001 outputs; .* classes=100001",
        ),
        ("a,b\n1,0\n2,7\n", {"classes": 5}, "the label 7 needs classes >= 8"),
        ("a,b\n1,x\n2,y\n", {"classes": 5}, "holds 2 class names; classes=5 applies to numbered"),
        ("a,b\n1,2\n" + "3," + "4" * 131_073 + "\n", {}, "line 3: a cell longer than 131,072"),
        ("a,b\n1,2\n1e308,3\n", {"scale": 10.0}, r"line 3, column 'a': 1e\+308 times scale=10.0"),
        (
            "a,b\n1,2\n70000,3\n",
            {"dtype": np.float16},
            "70000.0 times scale=1.0 is not a finite float16",
        ),
    ],
)
def test_bad_files_name_the_cell(tmp_path: Path, text: str, kwargs: dict, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ng.DataError, match=match):
        ng.datasets.load_csv(path, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"label_column": 1.0}, "label_column must be a column's position .* got 1.0"),
        ({"label_column": None}, "label_column must be .* got None"),
        ({"label_column": True}, "label_column must be .* got True"),
        ({"delimiter": ""}, "delimiter must be one character .* got ''"),
        ({"delimiter": "ab"}, "delimiter must be one character .* got 'ab'"),
        ({"delimiter": "\n"}, "delimiter must be one character"),
        ({"scale": "abc"}, "scale must be a finite number other than 0 .* got 'abc'"),
        ({"scale": float("nan")}, "scale must be a finite number .* got nan"),
        ({"scale": float("inf")}, "scale must be a finite number .* got inf"),
        ({"scale": 0}, "scale must be a finite number other than 0"),
        (
            {"dtype": np.int8},
            "dtype must be a floating type .* got int8: an integer type would wrap",
        ),
        ({"dtype": "no such type"}, "dtype must be a NumPy floating type"),
        ({"classes": 0}, "classes must be a whole number >= 1"),
        ({"classes": 2.0}, "classes must be a whole number >= 1"),
        ({"max_bytes": 0}, "max_bytes must be a positive integer"),
    ],
)
def test_arguments_are_checked(tmp_path: Path, kwargs: dict[str, Any], match: str) -> None:
    path = points(tmp_path / "p.csv", n=5)
    with pytest.raises(ng.UsageError, match=match):
        ng.datasets.load_csv(path, **kwargs)


def test_class_names_are_labels(tmp_path: Path) -> None:
    """A column of names, anywhere, by name or position: sorted names, y their positions."""
    path = tmp_path / "fruit.csv"
    path.write_text("fruit,grams,cm\norange,140,7.5\napple,150,7\nlemon,90,6\napple,170,8\n")
    data = ng.datasets.load_csv(path, label_column="fruit")
    X, y = data  # still unpacks as (X, y)
    assert data.classes == ["apple", "lemon", "orange"] and y.tolist() == [2, 0, 1, 0]
    assert X.tolist() == [[140, 7.5], [150, 7], [90, 6], [170, 8]] and y.dtype == np.int64
    assert data.X is X and data.y is y
    again = ng.datasets.load_csv(path, label_column=0)
    assert again.classes == data.classes and again.y.tolist() == y.tolist()
    plain = tmp_path / "plain.csv"  # no header: the names show it is not one
    plain.write_text("5.1,3.5,setosa\n6.3,3.3,virginica\n")
    assert ng.datasets.load_csv(plain).classes == ["setosa", "virginica"]
    numbered = ng.datasets.load_csv(points(tmp_path / "p.csv", n=20))
    assert numbered.classes == ["0", "1"]
    targets = tmp_path / "t.csv"
    targets.write_text("x,t\n1,0.25\n2,0.75\n")
    assert ng.datasets.load_csv(targets).classes is None


def test_sklearns_iris_file_as_shipped() -> None:
    """Its first row (150,4,setosa,versicolor,virginica) is not a header of the columns."""
    X, y = data = ng.datasets.load_csv(ROOT / "tests" / "fixtures" / "iris.csv")
    assert X.shape == (150, 4) and y.tolist() == [0] * 50 + [1] * 50 + [2] * 50
    assert data.classes == ["0", "1", "2"] and X[0].tolist() == [5.1, 3.5, 1.4, 0.2]


def test_line_breaks_inside_cells_are_data_and_lines_stay_true(tmp_path: Path) -> None:
    """U+2028, form feeds and quoted newlines are data; the error names the true line."""
    path = tmp_path / "odd.csv"
    path.write_bytes('a,b\r\n1\u2028,x\r\n2\f,y\r\n"3\n",x\r\n\r\n4,"a\nb"\r\noops,y\r\n'.encode())
    with pytest.raises(ng.DataError, match=r"line 9, column 'a': 'oops' is not a number"):
        ng.datasets.load_csv(path)
    path.write_bytes('a,b\r\n1\u2028,x\r\n2\f,y\r\n"3\n",x\r\n\r\n4,"a\nb"\r\n'.encode())
    data = ng.datasets.load_csv(path)
    assert data.X.ravel().tolist() == [1, 2, 3, 4] and data.classes == ["a\nb", "x", "y"]


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "sparse", "directory", "binary"])
def test_hostile_files_are_refused_quickly(tmp_path: Path, kind: str) -> None:
    """No read of a device or FIFO (which would block or never end), no 2 GB file read whole."""
    path = tmp_path / "x.csv"
    if kind == "/dev/zero":
        path = Path(kind)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "sparse":
        with path.open("wb") as f:
            f.truncate(2 * 10**9)
    elif kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b"a,b\n1,\xff\xfe\n")
    match = {"sparse": "larger than max_bytes", "binary": "line 2: not UTF-8 text"}
    start = time.perf_counter()
    with pytest.raises(ng.DataError, match=match.get(kind, "not a regular file")):
        ng.datasets.load_csv(path)
    assert time.perf_counter() - start < 5


def test_a_million_rows_within_100_mb(tmp_path: Path) -> None:
    """10**6 rows of one column, in a child whose address space may grow by 150 MiB only."""
    path = tmp_path / "big.csv"
    with path.open("w") as f:
        f.write("label\n")
        f.writelines(f"{i % 3}\n" for i in range(10**6))
    child = (
        "import resource, sys, neurograph as ng\n"
        "size = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + 150 * 2**20, resource.RLIM_INFINITY))\n"
        "X, y = ng.datasets.load_csv(sys.argv[1])\n"
        "print(X.shape, y.sum())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", child, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["(1000000,", "0)", str(sum(i % 3 for i in range(10**6)))]
    assert resource.RLIMIT_AS  # the limit is real on this platform


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


CSV_PIECES = st.sampled_from(
    ["0", "1", "2", "7", "-1", "0.5", "1e300", "nan", "inf", "NA", "", " ", "apple", "x,y",
     ",", ",", ",", "\n", "\n", "\r\n", "\r", '"', '"a\nb"', "\u2028", "\f", "\x00", "é",
     "9007199254740993", "label"]
)  # fmt: skip


@settings(max_examples=int(os.environ.get("NEUROGRAPH_FUZZ", "60")), deadline=None)
@given(
    pieces=st.lists(CSV_PIECES, max_size=40),
    header=st.booleans(),
    classes=st.one_of(st.none(), st.integers(1, 12)),
)
def test_fuzzed_csv_gives_data_or_a_data_error(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[str], header: bool, classes: int | None
) -> None:
    """Any text: a consistent Dataset or a DataError, never another exception."""
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_text(("a,b\n" if header else "") + "".join(pieces), encoding="utf-8")
    try:
        data = ng.datasets.load_csv(path, classes=classes)
    except ng.DataError:
        return
    X, y = data
    assert X.dtype == np.float64 and X.ndim == 2 and len(X) == len(y)
    assert np.all(np.isfinite(X))
    if data.classes is None:
        assert y.dtype == np.float64 and np.all(np.isfinite(y))
    else:
        assert y.dtype == np.int64 and 0 <= y.min() and y.max() < len(data.classes)
