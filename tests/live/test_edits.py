"""The widget's edits as operations on a lab: applied to the very network, checked as the API is."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph as ng
from neurograph.errors import GraphError, UsageError
from neurograph.live.edits import MAX_OPS, OPS, apply_edits


def make_lab() -> ng.Lab:
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    return ng.lab(ng.layered([2, 3, 1], seed=0), data=(X, y), cost="cross-entropy", eta=2.0)


def test_weight_and_bias_land_in_the_same_objects() -> None:
    lab = make_lab()
    net, h = lab.net, lab.net["L2.1"]
    rewired = apply_edits(
        lab,
        [
            {"op": "set_weight", "src": "L1.1", "dst": "L2.1", "w": 1.75},
            {"op": "set_bias", "neuron": "L2.1", "b": -0.5},
        ],
    )
    assert rewired is False
    assert lab.net is net and net["L2.1"] is h
    assert h.bias == -0.5 and net.weight("L1.1", "L2.1") == 1.75
    # the forward pass uses them: a = σ(1.75·x1 + w12·x2 − 0.5)
    x = lab.x
    net.forward(x)
    z = 1.75 * x[0] + net.weight("L1.2", "L2.1") * x[1] - 0.5
    assert h.a == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-15)


def test_structure_rebuilds_the_same_network_object() -> None:
    lab = make_lab()
    net = lab.net
    ops = [
        {"op": "add_neuron", "name": "h9", "kind": "sigmoid", "bias": 0.25},
        {"op": "connect", "src": "L1.1", "dst": "h9", "w": 0.5},
        {"op": "connect", "src": "L1.2", "dst": "h9", "w": -0.5},
        {"op": "connect", "src": "h9", "dst": "L3.1", "w": 2.0},
        {"op": "disconnect", "src": "L2.3", "dst": "L3.1"},
        {"op": "remove_neuron", "name": "L2.3"},
        {"op": "set_kind", "name": "L2.2", "kind": "perceptron"},
    ]
    assert apply_edits(lab, ops) is True
    assert lab.net is net
    names = [n.name for n in net.neurons]
    assert names == ["L2.1", "L2.2", "L3.1", "h9"]
    assert net["L2.2"].kind == "perceptron" and net["h9"].bias == 0.25
    assert net.weight("h9", "L3.1") == 2.0 and net.graph.number_of_edges() == 9
    assert all(n.network is net for n in net.neurons)


def test_settings_input_target_and_data() -> None:
    lab = make_lab()
    apply_edits(
        lab,
        [
            {"op": "set_setting", "key": "eta", "value": 0.5},
            {"op": "set_setting", "key": "lmbda", "value": 0.1},
            {"op": "set_setting", "key": "mini_batch_size", "value": 4},
            {"op": "set_setting", "key": "cost", "value": "quadratic"},
            {"op": "set_input", "x": [0.25, -1.0]},
            {"op": "set_target", "y": 0},
            {"op": "set_data", "X": [[0.0, 1.0], [1.0, 0.0]], "y": [1, 0]},
        ],
    )
    assert (lab.eta, lab.lmbda, lab.mini_batch_size) == (0.5, 0.1, 4)
    assert lab.cost.name == "QuadraticCost" and lab.target == 0
    assert lab.x.tolist() == [0.25, -1.0]
    assert lab.X.tolist() == [[0.0, 1.0], [1.0, 0.0]] and lab.y.tolist() == [1, 0]


@pytest.mark.parametrize(
    ("op", "error", "match"),
    [
        ({"op": "set_weight", "src": "L1.1", "dst": "L3.1", "w": 1.0}, GraphError, "no edge"),
        (
            {"op": "set_weight", "src": "L1.1", "dst": "L2.1", "w": float("nan")},
            ng.errors.NeurographError,
            "L2.1",
        ),
        ({"op": "set_bias", "neuron": "nope", "b": 1.0}, GraphError, "no neuron named 'nope'"),
        ({"op": "set_bias", "neuron": "L2.1", "b": "1"}, ng.errors.NeurographError, "bias"),
        ({"op": "connect", "src": "L3.1", "dst": "L2.1", "w": 1.0}, GraphError, "cycle"),
        ({"op": "connect", "src": "L2.1", "dst": "L1.1", "w": 1.0}, GraphError, "Input takes no"),
        (
            {"op": "add_neuron", "name": "L2.1", "kind": "sigmoid", "bias": 0.0},
            GraphError,
            "duplicate",
        ),
        (
            {"op": "add_neuron", "name": "q", "kind": "wavelet", "bias": 0.0},
            GraphError,
            "'kind' must be one of sigmoid",
        ),
        ({"op": "remove_neuron", "name": "L1.1"}, UsageError, "inputs stay"),
        ({"op": "remove_neuron", "name": "L3.1"}, GraphError, "L3.1"),
        ({"op": "disconnect", "src": "L1.1", "dst": "L3.1"}, GraphError, "no edge"),
        ({"op": "set_kind", "name": "L2.1", "kind": "softmax_layer"}, UsageError, "softmax"),
        ({"op": "set_setting", "key": "eta", "value": -1}, UsageError, "eta"),
        ({"op": "set_setting", "key": "mini_batch_size", "value": 2.5}, UsageError, "mini_batch"),
        ({"op": "set_setting", "key": "seed", "value": 1}, UsageError, "key among"),
        (
            {"op": "set_setting", "key": "cost", "value": "hinge"},
            ng.errors.NeurographError,
            "hinge",
        ),
        ({"op": "set_input", "x": [1.0]}, ng.errors.ShapeError, "2"),
        ({"op": "set_target", "y": 7}, ng.errors.NeurographError, "7"),
        ({"op": "set_data", "X": [[0.0, 1.0]], "y": [0, 1]}, UsageError, "labels"),
        ({"op": "set_weight", "src": "L1.1", "dst": "L2.1"}, UsageError, "'w' is missing"),
        (
            {"op": "set_weight", "src": 3, "dst": "L2.1", "w": 1.0},
            UsageError,
            "'src' must be a str",
        ),
        ({"op": "launch"}, UsageError, "expected operations"),
    ],
)
def test_a_refused_edit_changes_nothing(op: dict, error: type, match: str) -> None:
    lab = make_lab()
    before, state = lab.net.to_dict(), lab.state()
    first = {"op": "set_bias", "neuron": "L2.2", "b": 3.0}  # would apply, but the batch fails
    with pytest.raises(error, match=match):
        apply_edits(lab, [first, op])
    assert lab.net.to_dict() == before and lab.state() == state


def test_malformed_batches() -> None:
    lab = make_lab()
    with pytest.raises(UsageError, match="expected a list"):
        apply_edits(lab, {"op": "set_bias"})
    with pytest.raises(UsageError, match=f"at most {MAX_OPS}"):
        apply_edits(lab, [{"op": "set_input", "x": [0, 0]}] * (MAX_OPS + 1))
    assert set(OPS) >= {"set_weight", "set_bias", "add_neuron", "remove_neuron", "set_kind"}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.floats(-50, 50)), min_size=1, max_size=12))
def test_edits_equal_the_api(changes: list[tuple[int, float]]) -> None:
    """Any sequence of weight and bias edits leaves the network the API's calls leave."""
    lab, reference = make_lab(), ng.layered([2, 3, 1], seed=0)
    edges = [(s.name, t.name) for s, t in reference.graph.edges]
    neurons = [str(n.name) for n in reference.neurons]
    ops = []
    for k, value in changes:
        if k < len(edges):
            ops.append({"op": "set_weight", "src": edges[k][0], "dst": edges[k][1], "w": value})
            reference.set_weight(*edges[k], value)
        else:
            ops.append({"op": "set_bias", "neuron": neurons[k % len(neurons)], "b": value})
            reference[neurons[k % len(neurons)]].bias = value
    apply_edits(lab, ops)
    assert lab.net.to_dict() == reference.to_dict()
    x = np.array([0.3, -0.7])
    np.testing.assert_array_equal(lab.net.forward(x), reference.forward(x))


def test_outputs_become_a_softmax_layer_as_the_widget_sends_it() -> None:
    """The widget's Kind → softmax on an output: a new layer, its edges, the outputs."""
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    lab = ng.lab(ng.layered([2, 2, 2], seed=0), data=(X, y))
    net = lab.net
    old = net.to_dict()
    into = [e for e in old["edges"] if e[1] in ("L3.1", "L3.2")]
    rename = {"L3.1": "out.1", "L3.2": "out.2"}
    ops = [{"op": "add_neuron", "name": "out", "kind": "softmax_layer", "biases": [0.5, -0.5]}]
    ops += [{"op": "connect", "src": s, "dst": rename[t], "w": w} for s, t, w in into]
    ops += [{"op": "set_outputs", "outputs": ["out.1", "out.2"]}]
    ops += [{"op": "disconnect", "src": s, "dst": t} for s, t, _ in into]
    ops += [{"op": "remove_neuron", "name": "L3.1"}, {"op": "remove_neuron", "name": "L3.2"}]
    apply_edits(lab, ops)
    assert lab.net is net and [n.name for n in net.outputs] == ["out.1", "out.2"]
    assert net["out"].kind == "softmax_layer" and net["out.2"].bias == -0.5
    a = net.forward(lab.x)
    assert a.sum() == pytest.approx(1.0, abs=1e-15)
