"""Output labels: set, checked, kept by copies and files, and named the same everywhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import neurograph as ng
from neurograph.graph.outputs import class_verdict, display_name, label_of

DIGITS = [str(d) for d in range(10)]


def test_set_outputs_keeps_labels_in_output_order() -> None:
    net = ng.layered([3, 2, 3], seed=0)
    net.set_outputs(["L3.3", "L3.1", "L3.2"], labels=["c", "a", "b"])
    assert net.labels == ["c", "a", "b"]
    assert label_of(net, net["L3.1"]) == "a" and label_of(net, net["L2.1"]) is None
    assert display_name(net["L3.3"]) == 'L3.3 · "c"' and display_name(net["L2.2"]) == "L2.2"


def test_labels_must_match_the_outputs() -> None:
    net = ng.layered([3, 2, 3], seed=0)
    with pytest.raises(ng.UsageError, match=r"one label per output \(3\), got 2 labels"):
        net.set_outputs(net.outputs, labels=["a", "b"])
    with pytest.raises(ng.UsageError, match="got 'abc'"):
        net.set_outputs(net.outputs, labels="abc")
    net.set_outputs(net.outputs)
    assert net.labels is None


def test_layered_labels_survive_copies_and_files(tmp_path: Path) -> None:
    net = ng.layered([784, 30, 10], seed=0, labels=range(10))
    assert net.labels == DIGITS
    for copy in (
        net.copy(),
        net.scaled(2.0),
        net.sigmoidized(),
        ng.load(ng.save(net, tmp_path / "n.json")),
    ):
        assert copy.labels == DIGITS
    assert '"labels": ["0", "1"' in (tmp_path / "n.json").read_text()


def test_a_file_with_bad_labels_is_refused(tmp_path: Path) -> None:
    path = ng.save(ng.layered([2, 2], seed=0, labels=["a", "b"]), tmp_path / "n.json")
    path.write_text(path.read_text().replace('"labels": ["a", "b"]', '"labels": [1, 2]'))
    with pytest.raises(ng.FormatError, match="'labels' must be a list of strings"):
        ng.load(path)


def test_verdict_names_the_true_label_and_the_prediction() -> None:
    net = ng.layered([784, 30, 10], seed=0, labels=DIGITS)
    (X, y) = ng.datasets.load_mnist()[2]
    a = net.forward(X[0])
    best = int(np.argmax(a))
    text = class_verdict(net, int(y[0]))
    assert text.startswith(f'true label "{y[0]}", prediction "{best}" (L3.{best + 1}, a = ')
    unlabelled = ng.layered([784, 30, 10], seed=0)
    unlabelled.forward(X[0])
    assert (
        class_verdict(unlabelled, 7)
        == f"true label L3.8, prediction L3.{best + 1} (a = {a[best]:.3g})"
    )
