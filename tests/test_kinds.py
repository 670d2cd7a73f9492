"""A kind of neuron written in a user's script works everywhere, without touching neurograph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from svg_helpers import texts

import neurograph as ng


class SoftplusNeuron(ng.Neuron):
    """DESIGN.md's example: a = ln(1 + e^z), f'(z) = σ(z)."""

    symbol = "softplus"

    def activation(self, z: Any) -> Any:
        return np.logaddexp(0.0, z)

    def activation_prime(self, z: Any) -> Any:
        return ng.sigmoid(z)


def softplus_net() -> ng.Network:
    """x1, x2 -> s (softplus) -> o (sigmoid), with a skip connection x1 -> o."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    s = net.add(SoftplusNeuron(bias=0.1, name="s"), inputs={x1: 0.5, x2: -1.0})
    net.add(ng.SigmoidNeuron(bias=-0.2, name="o"), inputs={s: 1.5, x1: 0.25})
    return net


def test_graph_engine_and_gradient_check() -> None:
    net = softplus_net()
    x = [1.0, 0.5]
    # z_s = 0.5 − 0.5 + 0.1 = 0.1; a_s = ln(1 + e^0.1)
    a_s = float(np.logaddexp(0.0, 0.1))
    out = net.forward(x)
    assert net["s"].a == a_s
    assert out[0] == pytest.approx(float(ng.sigmoid(1.5 * a_s + 0.25 - 0.2)), rel=1e-15)
    net.backward(1.0, ng.CrossEntropyCost())
    # (BP1) δ_o = a_o − y; (BP2) δ_s = σ(z_s) · 1.5 · δ_o
    assert net["s"].delta == pytest.approx(float(ng.sigmoid(0.1)) * 1.5 * (out[0] - 1.0))
    assert ng.gradient_check(net, x, 1.0, ng.CrossEntropyCost()) < 1e-7
    assert ng.gradient_check(net, x, 0.3) < 1e-7


def test_fast_engine_applies_its_activation() -> None:
    net = softplus_net()
    fast = net.compile()
    X = np.random.default_rng(0).uniform(-2, 2, (6, 2))
    np.testing.assert_allclose(
        fast.feedforward(X), [net.forward(x) for x in X], rtol=1e-12, atol=1e-12
    )
    grads = fast.gradients(X[:1], [[0.7]])
    net.forward(X[0])
    net.backward(0.7)
    for key, g in net.gradients().items():
        assert grads[key] == pytest.approx(g, rel=1e-12, abs=1e-15), key
    fast.sgd((X, np.full((6, 1), 0.7)), 2, 3, 0.5, seed=0)  # trains, any kind
    net.load_parameters(fast)
    np.testing.assert_allclose(fast.feedforward(X)[0], net.forward(X[0]), rtol=1e-12)


def test_debugger_and_recording_print_its_symbol(dot: str) -> None:
    net = softplus_net()
    dbg = ng.Debugger(net, [1.0, 0.5], 1.0, cost=ng.QuadraticCost())
    assert "a[s] = softplus(z) = 0.7444" in str(dbg.step())
    dbg.step(3)  # o, the cost, then o's δ
    assert "δ[s] = softplus'(z) · Σ w·δ" in str(dbg.step())
    rec = ng.record(net, [1.0, 0.5], 1.0)
    assert "softplus(z)" in str(rec.events[0])
    assert "softplus" in rec.html()


def test_diagram_legend_names_the_symbol(tmp_path: Path, dot: str) -> None:
    net = softplus_net()
    net.forward([1.0, 0.5])
    path = ng.render(ng.draw(net, show="activations"), tmp_path / "net.svg")
    import xml.etree.ElementTree as ET

    drawn = " ".join(texts(ET.parse(path).getroot()))
    assert "SoftplusNeuron, softplus(w·x + b)" in drawn


def test_saved_by_its_class_name_and_loaded_with_kinds(tmp_path: Path) -> None:
    net = softplus_net()
    path = ng.save(net, tmp_path / "s.json")
    doc = json.loads(path.read_text())
    assert doc["neurons"][0] == {"name": "s", "kind": "SoftplusNeuron", "bias": 0.1}
    with pytest.raises(ng.FormatError, match=r"kinds=\[SoftplusNeuron\].*got 'SoftplusNeuron'"):
        ng.load(path)
    back = ng.load(path, kinds=[SoftplusNeuron])
    assert type(back["s"]) is SoftplusNeuron
    assert back.forward([1.0, 0.5]).tolist() == net.forward([1.0, 0.5]).tolist()
    assert type(net.copy()["s"]) is SoftplusNeuron  # copies know their own kinds
    with pytest.raises(ng.UsageError, match="subclasses of ng.Neuron"):
        ng.load(path, kinds=[dict])  # type: ignore[list-item]


def test_unknown_kinds_in_a_file_are_never_looked_up(tmp_path: Path) -> None:
    """A kind names nothing importable: 'os.system' is only an unknown word."""
    doc = {
        "format": "neurograph",
        "version": 1,
        "inputs": ["x1"],
        "neurons": [{"name": "h", "kind": "os.system", "bias": 0.0}],
        "edges": [["x1", "h", 1.0]],
        "outputs": ["h"],
    }
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ng.FormatError, match=r"unknown|'kind' must be one of .*'os.system'"):
        ng.load(path, kinds=[SoftplusNeuron])


def test_a_softmax_layer_is_written_as_always_and_read_by_either_name(tmp_path: Path) -> None:
    net = ng.layered([2, 3], output=ng.SoftmaxLayer, seed=0)
    doc = {"format": "neurograph", "version": 1, **net.to_dict()}
    assert doc["neurons"][0]["kind"] == "softmax_layer"  # as files (and the lab) name it
    doc["neurons"][0]["kind"] = "softmax"  # the units' kind, accepted for the layer too
    (tmp_path / "old.json").write_text(json.dumps(doc))
    old = ng.load(tmp_path / "old.json")
    assert old.forward([0.5, 0.5]).tolist() == net.forward([0.5, 0.5]).tolist()


def test_to_torch_refuses_it_by_name() -> None:
    pytest.importorskip("torch")
    with pytest.raises(ng.UsageError, match="neuron 's' is a SoftplusNeuron.*'SoftplusNeuron'"):
        ng.to_torch(softplus_net())


@pytest.mark.parametrize("kind", [ng.TanhNeuron, ng.ReLUNeuron])
def test_tanh_and_relu_round_trip_through_json_and_safetensors(
    tmp_path: Path, kind: type[ng.Neuron]
) -> None:
    net = ng.layered([3, 4, 2], neuron=kind, output=ng.SigmoidNeuron, seed=0)
    x = [0.3, -0.2, 0.9]
    back = ng.load(ng.save(net, tmp_path / "n.json"))
    assert [type(n) for n in back.neurons] == [type(n) for n in net.neurons]
    assert back.forward(x).tolist() == net.forward(x).tolist()
    assert json.loads((tmp_path / "n.json").read_text())["neurons"][0]["kind"] == kind.kind
    pytest.importorskip("safetensors")
    again = ng.load(ng.save(net, tmp_path / "n.safetensors"))
    assert [type(n) for n in again.neurons] == [type(n) for n in net.neurons]
    assert again.forward(x).tolist() == net.forward(x).tolist()
