"""Each neuron kind owns its rules: a = f(z), f'(z), the forward rule and the backward rule."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import KINDS, cases, networks

import neurograph as ng
from neurograph.graph.costs import get_cost


def test_built_in_kinds_are_written_by_their_names() -> None:
    assert [k.kind for k in (ng.SigmoidNeuron, ng.Perceptron, ng.TanhNeuron, ng.ReLUNeuron)] == [
        "sigmoid",
        "perceptron",
        "tanh",
        "relu",
    ]
    assert (ng.SoftmaxLayer.kind, ng.SoftmaxUnit.kind) == ("softmax_layer", "softmax")
    assert [k.symbol for k in (ng.SigmoidNeuron, ng.TanhNeuron, ng.ReLUNeuron)] == [
        "σ",
        "tanh",
        "ReLU",
    ]

    class Leaky(ng.ReLUNeuron):
        def activation(self, z: Any) -> Any:
            return np.maximum(z, 0.01 * np.asarray(z))

    class Named(ng.SigmoidNeuron):
        kind = "named-sigmoid"

    assert Leaky.kind == "Leaky" and Named.kind == "named-sigmoid"  # the class name by default


def test_tanh_and_relu_functions() -> None:
    z = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    tanh = ng.TanhNeuron()
    np.testing.assert_allclose(tanh.activation(z), np.tanh(z), rtol=1e-15)
    np.testing.assert_allclose(tanh.activation_prime(z), 1 - np.tanh(z) ** 2, rtol=1e-15)
    # tanh(z) = 2σ(2z) − 1 (Nielsen, ch. 3)
    np.testing.assert_allclose(tanh.activation(z), 2 * ng.sigmoid(2 * z) - 1, atol=1e-15)
    assert tanh.activation(0.7) == math.tanh(0.7)  # a float stays a float
    relu = ng.ReLUNeuron()
    assert relu.activation(z).tolist() == [0.0, 0.0, 0.0, 0.5, 3.0]
    assert relu.activation_prime(z).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]  # f'(0) = 0
    assert relu.activation_prime(0.0) == 0.0 and relu.activation(-2.0) == 0.0


def test_the_rules_of_one_neuron_by_hand() -> None:
    """Forward: z = Σ w a + b, a = f(z). Backward: δ, ∂C/∂b = δ, ∂C/∂w = a δ."""
    n = ng.TanhNeuron(bias=0.5, name="t")
    w, a_in = np.array([2.0, -1.0]), np.array([0.25, 1.0])
    n.forward(w, a_in)
    # z = 2 × 0.25 + (−1) × 1 + 0.5 = 0; a = tanh(0) = 0
    assert n.z == 0.0 and n.a == 0.0
    # δ = 0.1 (its own BP1 part) + tanh'(0) × (3 × 0.2 + (−1) × 0.4) = 0.1 + 1 × 0.2 = 0.3
    grads = n.backward(0.1, np.array([3.0, -1.0]), np.array([0.2, 0.4]), a_in)
    assert n.delta == pytest.approx(0.3, abs=1e-15) and n.bias_grad == n.delta
    np.testing.assert_allclose(grads, [0.075, 0.3], atol=1e-15)  # (BP4) a_k δ


def test_tanh_and_relu_networks_by_hand() -> None:
    """x = 1 -> h (ReLU, w = 2, b = −0.5) -> o (tanh, w = 1.5, b = 0), quadratic cost, y = 0."""
    net = ng.Network()
    (x,) = net.add_inputs(1)
    h = net.add(ng.ReLUNeuron(bias=-0.5, name="h"), inputs={x: 2.0})
    o = net.add(ng.TanhNeuron(bias=0.0, name="o"), inputs={h: 1.5})
    # z_h = 2 − 0.5 = 1.5, a_h = 1.5; z_o = 2.25, a_o = tanh(2.25)
    a_o = math.tanh(2.25)
    assert net.forward([1.0]).tolist() == [a_o]
    net.backward(0.0)
    # (BP1) δ_o = (a_o − 0) · (1 − a_o²); (BP2) δ_h = 1 · 1.5 · δ_o (ReLU'(1.5) = 1)
    delta_o = a_o * (1 - a_o**2)
    assert o.delta == pytest.approx(delta_o, rel=1e-14)
    assert h.delta == pytest.approx(1.5 * delta_o, rel=1e-14)
    assert net.gradients()[("h", "o")] == pytest.approx(1.5 * delta_o, rel=1e-14)  # a_h δ_o
    grads = net.compile().gradients([[1.0]], [[0.0]])
    assert grads[("x1", "h")] == pytest.approx(net.gradients()[("x1", "h")], rel=1e-12)
    assert "a[o] = tanh(z) = 0.978" in str(ng.Debugger(net, [1.0], 0.0).step(2))
    assert ng.gradient_check(net, [1.0], 0.0) < 1e-7


def test_perceptron_says_it_has_no_derivative() -> None:
    p = ng.Perceptron(name="p")
    with pytest.raises(ng.GraphError, match="Perceptron 'p' has no useful derivative.*sigmoid"):
        p.activation_prime(0.5)


@settings(max_examples=100, deadline=None)
@given(cases(kinds=KINDS))
def test_backprop_of_tanh_and_relu_equals_central_differences(case: tuple) -> None:
    """BP1–BP4 on random DAGs that mix sigmoid, tanh and ReLU neurons (and softmax layers)."""
    net, x, y, cost = case
    net.forward(x)
    assume(all(abs(n.z or 0.0) > 1e-3 for n in net.neurons if isinstance(n, ng.ReLUNeuron)))
    numeric = ng.numerical_gradients(net, x, y, cost)
    net.forward(x)
    net.backward(y, cost)
    exact = net.gradients()
    for key, value in numeric.items():
        assert exact[key] == pytest.approx(value, rel=1e-5, abs=1e-8), key
    for neuron in net.neurons:
        assert neuron.delta == exact[neuron.name]  # (BP3)


@settings(max_examples=60, deadline=None)
@given(networks(kinds=KINDS), st.data())
def test_fast_engine_applies_each_kind(net: ng.Network, data: st.DataObject) -> None:
    """Graph engine == fast engine to 1e-12 for mixed kinds: outputs, every δ, every gradient."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    X = rng.uniform(-1, 1, (3, len(net.inputs)))
    y = rng.uniform(0, 1, (3, len(net.outputs)))
    cost = ng.QuadraticCost()
    fast = net.compile()
    trace = fast.trace(X, y, cost)
    relu = [str(n.name) for n in net.neurons if isinstance(n, ng.ReLUNeuron)]
    assume(all(np.all(np.abs(trace.z[name]) > 1e-9) for name in relu))  # f' jumps at 0
    for i, x in enumerate(X):
        np.testing.assert_allclose(fast.feedforward(X)[i], net.forward(x), rtol=1e-12, atol=1e-12)
        net.backward(y[i], cost)
        for n in net.neurons:
            delta = float(n.delta)  # type: ignore[arg-type]
            np.testing.assert_allclose(trace.delta[str(n.name)][i], delta, rtol=1e-12, atol=1e-12)
        one = fast.gradients(X[i : i + 1], y[i : i + 1], cost)
        for key, g in net.gradients().items():
            np.testing.assert_allclose(one[key], g, rtol=1e-12, atol=1e-12, err_msg=str(key))


@pytest.mark.parametrize("kind", [ng.TanhNeuron, ng.ReLUNeuron])
def test_layered_builds_every_hidden_neuron_of_the_kind(kind: type[ng.Neuron]) -> None:
    net = ng.layered([3, 4, 2], neuron=kind, seed=0)
    assert {type(n) for n in net.neurons} == {kind}
    assert net.copy().to_dict() == net.to_dict()
    assert {type(n) for n in net.scaled(2.0).neurons} == {kind}


@pytest.mark.parametrize("kind", [ng.TanhNeuron, ng.ReLUNeuron])
@pytest.mark.parametrize("cost", ["cross-entropy", "log-likelihood"])
def test_costs_of_probabilities_refuse_tanh_and_relu_outputs(kind: Any, cost: str) -> None:
    """Both engines, the cost of a data set and SGD refuse, naming the output and the kind."""
    net = ng.layered([2, 3, 2], neuron=ng.SigmoidNeuron, output=kind, seed=0)
    X, y = np.array([[0.5, -0.5]]), np.array([[1.0, 0.0]])
    name = get_cost(cost).name
    want = f"'L3.1' is a {kind.__name__}" if cost == "cross-entropy" else "units of one Softmax"
    net.forward(X[0])
    with pytest.raises(ng.GraphError, match=want):
        net.backward(y[0], cost)
    fast = net.compile()
    with pytest.raises(ng.GraphError, match=want):
        fast.backprop(X, y, cost)
    with pytest.raises(ng.GraphError, match=want):
        fast.sgd((X, y), 1, 1, 0.1, cost=cost)
    if cost == "cross-entropy":
        with pytest.raises(ng.GraphError, match=f"{name} reads the outputs as probabilities"):
            fast.total_cost((X, y), cost)
    # hidden tanh/ReLU neurons with sigmoid outputs are fine
    ok = ng.layered([2, 3, 2], neuron=kind, output=ng.SigmoidNeuron, seed=0)
    ok.forward(X[0])
    assert np.isfinite(ok.backward(y[0], "cross-entropy"))
