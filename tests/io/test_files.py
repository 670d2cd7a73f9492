"""Saving and loading: the versioned JSON format, the book's network2.py format, bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import networks

import neurograph as ng
from neurograph.io.atomic import write_atomic

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NETWORK2 = FIXTURES / "network2-784-30-10-ce.json"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(networks(neuron=ng.SigmoidNeuron))
def test_json_round_trip_of_random_networks(tmp_path: Path, net: ng.Network) -> None:
    path = tmp_path / "net.json"
    ng.save(net, path)
    loaded = ng.load(path)
    assert loaded.to_dict() == net.to_dict()
    x = np.linspace(-1, 1, len(net.inputs))
    assert loaded.forward(x).tolist() == net.forward(x).tolist()


def test_round_trip_keeps_every_kind_and_meta(tmp_path: Path) -> None:
    net = ng.Network()
    x1, x2 = net.add_inputs(["a", "b"])
    p = net.add(ng.Perceptron(0.5, "p"), inputs={x1: 1.0, x2: -1.0})
    layer = net.add(ng.SoftmaxLayer(2, bias=[0.1, 0.2], name="out"))
    net.connect(p, layer[0], 0.3)
    net.connect(x2, layer[1], 1e-300)
    net.meta["note"] = "hello"
    ng.save(net, tmp_path / "n.json")
    loaded = ng.load(tmp_path / "n.json")
    assert type(loaded["p"]) is ng.Perceptron and isinstance(loaded["out"], ng.SoftmaxLayer)
    assert loaded.weight("b", "out.2") == 1e-300 and loaded.meta == {"note": "hello"}
    assert loaded.forward([1.0, 0.0]).tolist() == net.forward([1.0, 0.0]).tolist()


def test_network2_fixture_reproduces_the_books_outputs() -> None:
    """A model saved by network2.py gives what network2.py computed from it."""
    expect = json.loads((FIXTURES / "network2-784-30-10-ce.expect.json").read_text())
    net = ng.load(NETWORK2)
    assert net.meta["cost"] == "CrossEntropyCost"
    assert [len(level) for level in net.levels()] == [784, 30, 10]
    _, _, (X, y) = ng.datasets.load_mnist()
    for x, outputs in zip(X[:5], expect["first5_outputs"]):
        np.testing.assert_allclose(net.forward(x), outputs, rtol=1e-12, atol=1e-15)
    assert int(np.sum(net.compile().predict(X) == y)) == expect["test_correct"]


def test_network2_format_both_ways(tmp_path: Path) -> None:
    original = json.loads(NETWORK2.read_text())
    ng.save(ng.load(NETWORK2), tmp_path / "again.json", format="network2")
    again = json.loads((tmp_path / "again.json").read_text())
    assert again == original
    net = ng.layered([3, 4, 2], seed=0)
    ng.save(net, tmp_path / "n2.json", format="network2", cost="QuadraticCost")
    doc = json.loads((tmp_path / "n2.json").read_text())
    assert doc["sizes"] == [3, 4, 2] and doc["cost"] == "QuadraticCost"
    assert np.shape(doc["weights"][0]) == (4, 3) and np.shape(doc["biases"][1]) == (2, 1)
    assert doc["weights"][1][0][3] == net.weight("L2.4", "L3.1")  # w^3_14
    assert ng.load(tmp_path / "n2.json").to_dict()["edges"] == net.to_dict()["edges"]


def test_network2_export_refuses_what_it_cannot_hold(tmp_path: Path) -> None:
    softmax = ng.layered([2, 2], output=ng.SoftmaxLayer, seed=0)
    with pytest.raises(ng.UsageError, match="fully connected layered sigmoid"):
        ng.save(softmax, tmp_path / "x.json", format="network2")
    for kind in (ng.TanhNeuron, ng.ReLUNeuron):
        other = ng.layered([2, 2, 1], neuron=kind, output=ng.SigmoidNeuron, seed=0)
        with pytest.raises(ng.UsageError, match=rf"'L2.1' is a {kind.__name__}.*'neurograph'"):
            ng.save(other, tmp_path / "x.json", format="network2")
        assert not (tmp_path / "x.json").exists()
    sparse = ng.layered([2, 2, 1], seed=0)
    sparse.graph.remove_edge(sparse["L1.1"], sparse["L2.1"])
    with pytest.raises(ng.UsageError, match="'L2.1'.* not fed by exactly the 2 neurons"):
        ng.save(sparse, tmp_path / "x.json", format="network2")
    with pytest.raises(ng.UsageError, match="network2.py knows only"):
        ng.save(ng.layered([2, 1]), tmp_path / "x.json", format="network2", cost="LogLikelihood")
    with pytest.raises(ng.UsageError, match="unknown format 'yaml'"):
        ng.save(sparse, tmp_path / "x.json", format="yaml")
    assert not list(tmp_path.iterdir())


def _doc() -> dict:
    return {"format": "neurograph", "version": 1, **ng.layered([2, 1], seed=0).to_dict()}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"format": "neurograph", "version": 1, "inputs": [', "not valid JSON .truncated"),
        ("", "not valid JSON"),
        ("[1, 2]", "not a neurograph network"),
        (
            json.dumps({**_doc(), "version": 7}),
            "unsupported version 7; this neurograph reads version 1",
        ),
        (json.dumps({**_doc(), "edges": [["L1.1", "L9.9", 1.0]]}), "no neuron named 'L9.9'"),
        (json.dumps({**_doc(), "edges": [["L1.1", "L2.1"]]}), r"\[source, target, weight\]"),
        (json.dumps({**_doc(), "edges": [["L1.1", "L2.1", True]]}), "source, target, weight"),
        (json.dumps(_doc()).replace("-0.", "NaN, -0.", 1), "contains NaN"),
        (json.dumps({**_doc(), "inputs": ["L1.1", "L1.1"]}), "duplicate name 'L1.1'"),
        (
            json.dumps({**_doc(), "neurons": [{"name": "L2.1", "kind": "swish", "bias": 0}]}),
            "'kind' must be one of .*, got 'swish'",
        ),
        (
            json.dumps({**_doc(), "neurons": [{"name": "L2.1", "kind": "sigmoid"}]}),
            "'bias' must be",
        ),
        (json.dumps({**_doc(), "outputs": "L2.1"}), "'outputs' must be a list"),
        (
            '{"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0], [1]]], '
            '"cost": "QuadraticCost"}',
            r"weights \(1, 2\) and biases \(1, 1\), got \(1, 2\) and \(2, 1\)",
        ),
        (
            '{"sizes": [2, 1], "weights": [], "biases": [], "cost": "QuadraticCost"}',
            "needs 1 weight",
        ),
        (
            '{"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0]]], "cost": "os.system"}',
            "'cost' must be one of",
        ),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ng.FormatError, match=match):
        ng.load(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ng.FormatError, match="cannot read .*nope.json"):
        ng.load(tmp_path / "nope.json")


def test_writes_are_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed save leaves the old file intact and no temporary file behind."""
    path = tmp_path / "net.json"
    ng.save(ng.layered([2, 1], seed=0), path)
    before = path.read_text()

    def fail(*args: object) -> None:
        msg = "disk full"
        raise OSError(msg)

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        ng.save(ng.layered([2, 1], seed=1), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]
    with pytest.raises(ng.UsageError, match="directory .*missing.* does not exist"):
        write_atomic(tmp_path / "missing" / "x.json", "{}")
