"""Costs and output errors at saturation: from z, exact where a rounded to 0 or 1, both engines."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph as ng
from neurograph.graph import costs

SOFTMAX = ng.SoftmaxLayer(1)[0]  # a softmax unit, standing for its kind


def _saturated_softmax() -> ng.Network:
    net = ng.layered([2, 3], output=ng.SoftmaxLayer, seed=0)
    net.set_weight("L1.1", "L2.1", 50.0)
    return net


@pytest.mark.parametrize("label", [0, 1])
def test_softmax_cross_entropy_delta_is_finite_in_both_engines(label: int) -> None:
    net = _saturated_softmax()
    x = [1.0, 0.5]
    net.forward(x)
    assert net["L2.1"].a == 1.0  # rounded: the true value is 1 − e^-50
    value = net.backward(label, ng.CrossEntropyCost())
    deltas = np.array([net[f"L2.{j}"].delta for j in (1, 2, 3)])
    assert np.all(np.isfinite(deltas)) and np.isfinite(value)
    _, nabla_b = net.compile().backprop(np.array([x]), np.array([label]), "cross-entropy")
    np.testing.assert_allclose(nabla_b[2].ravel(), deltas, rtol=1e-9, atol=1e-300)
    if label == 1:  # C ≈ 2·50 − ln 2 … = −ln a_2 − ln(1 − a_1) − ln(1 − a_3)
        assert 90 < value < 110 and deltas[0] == pytest.approx(2.0, rel=1e-6)


def test_delta_matches_the_derivative_of_the_cost() -> None:
    cost = ng.CrossEntropyCost()
    for z in (np.array([50.0, 0.0, -3.0]), np.array([0.3, -0.2, 1.0])):
        y = np.array([0.0, 1.0, 0.0])
        a = ng.softmax(z)
        steps = np.eye(3) * 1e-6
        numeric = [
            (cost.value(SOFTMAX, z + e, a, y) - cost.value(SOFTMAX, z - e, a, y)) / 2e-6
            for e in steps
        ]
        np.testing.assert_allclose(cost.delta(SOFTMAX, z, a, y), numeric, rtol=1e-6)


def test_saturated_sigmoid_cross_entropy_is_finite() -> None:
    net = ng.Network()
    (x,) = net.add_inputs(1)
    net.add(ng.SigmoidNeuron(bias=1e4, name="out"), inputs={x: 1.0})
    net.forward([0.0])
    assert net["out"].a == 1.0
    value = net.backward([0.0], ng.CrossEntropyCost())
    assert value == pytest.approx(1e4)  # softplus(10⁴), not inf
    fast_value = net.compile().total_cost((np.zeros((1, 1)), np.zeros((1, 1))), "cross-entropy")
    assert fast_value == pytest.approx(1e4)


def test_sgd_at_saturation_does_not_report_divergence() -> None:
    fast = _saturated_softmax().compile()
    X = np.array([[1.0, 0.5], [0.2, 0.9]] * 10)
    y = np.array([1, 2] * 10)
    history = fast.sgd((X, y), 3, 2, 0.1, cost="cross-entropy", evaluation_data=(X, y),
                       monitor_evaluation_cost=True, seed=0)  # fmt: skip
    assert len(history.evaluation_cost) == 3 and np.all(np.isfinite(history.evaluation_cost))


def test_a_real_divergence_is_reported_by_the_api() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((200, 2))
    y = (X[:, 0] > X[:, 1]).astype(np.int64)
    fast = ng.layered([2, 8, 2], seed=0).compile()
    with pytest.raises(ng.DivergenceError, match="beyond"):
        fast.sgd((X, y), 3, 10, 1e6, cost="cross-entropy", seed=0)


def test_both_engines_use_the_one_cost_function(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    value, delta = costs.CrossEntropyCost.value, costs.CrossEntropyCost.delta

    def counted(method: Any, name: str) -> Any:
        def wrapper(self: Any, *args: Any) -> Any:
            calls.append(name)
            return method(self, *args)

        return wrapper

    monkeypatch.setattr(costs.CrossEntropyCost, "value", counted(value, "value"))
    monkeypatch.setattr(costs.CrossEntropyCost, "delta", counted(delta, "delta"))
    net = _saturated_softmax()
    net.forward([1.0, 0.5])
    net.backward(0, "cross-entropy")
    assert calls == ["delta", "value"]
    fast = net.compile()
    data = (np.array([[1.0, 0.5]] * 4), np.array([0, 1, 2, 0]))
    fast.total_cost(data, "cross-entropy")
    fast.backprop(*data, "cross-entropy")
    fast.sgd(data, 1, 2, 0.1, cost="cross-entropy", seed=0)
    assert calls[2:] == ["value", "delta", "delta", "delta"]


@pytest.mark.parametrize("scale", [800.0, -800.0, 5000.0])
@pytest.mark.parametrize("cost", [ng.CrossEntropyCost(), ng.LogLikelihoodCost()])
@pytest.mark.parametrize("output", [ng.SoftmaxLayer, ng.SigmoidNeuron])
def test_weights_of_800_give_finite_costs_and_gradients(
    scale: float, cost: ng.Cost, output: Any
) -> None:
    """Issue 18, item 7: a softmax (or sigmoid) output scaled by 800: finite everywhere."""
    if isinstance(cost, ng.LogLikelihoodCost) and output is ng.SigmoidNeuron:
        pytest.skip("the log-likelihood needs a softmax output layer")
    net = ng.layered([2, 3, 3], output=output, seed=0).scaled(scale)
    x, label = np.array([1.0, 0.5]), 1
    a = net.forward(x)
    assert np.any((a == 0.0) | (a == 1.0))  # saturated: some a rounded
    value = net.backward(label, cost)
    graph = net.gradients()
    assert np.isfinite(value) and all(np.isfinite(g) for g in graph.values())
    fast = net.compile()
    X, y = x[None], np.array([label])
    assert fast.total_cost((X, y), cost) == pytest.approx(value, rel=1e-12)
    nabla_w, nabla_b = fast.backprop(X, y, cost)
    assert all(np.all(np.isfinite(g)) for g in [*nabla_w.values(), *nabla_b.values()])
    np.testing.assert_allclose(nabla_b[3].ravel(), [graph[f"L3.{j}"] for j in (1, 2, 3)],
                               rtol=1e-9, atol=1e-300)  # fmt: skip
    assert ng.gradient_check(net, x, label, cost) < 1e-5  # central differences of the finite C
    history = fast.sgd((np.repeat(X, 4, 0), np.repeat(y, 4)), 2, 2, 0.01, cost=cost, seed=0)
    assert len(history.training_cost) == 0 or np.all(np.isfinite(history.training_cost))


@settings(max_examples=200, deadline=None)
@given(
    z=st.lists(st.floats(-3000, 3000), min_size=2, max_size=5),
    y=st.lists(st.floats(0, 1), min_size=5, max_size=5),
)
def test_softmax_cross_entropy_is_finite_and_its_delta_its_derivative(
    z: list[float], y: list[float]
) -> None:
    """For any z, however far apart: a finite C and δ, and δ = ∂C/∂z by central differences."""
    cost = ng.CrossEntropyCost()
    z_arr, y_arr = np.array(z), np.array(y[: len(z)])
    a = ng.softmax(z_arr)
    unit = ng.SoftmaxLayer(len(z), name="out")[0]  # stands for the layer's kind
    value = cost.value(unit, z_arr, a, y_arr)
    delta = cost.delta(unit, z_arr, a, y_arr)
    assert np.isfinite(value) and np.all(np.isfinite(delta))
    eps = 1e-6
    numeric = [
        (cost.value(unit, z_arr + e, a, y_arr) - cost.value(unit, z_arr - e, a, y_arr)) / (2 * eps)
        for e in np.eye(len(z)) * eps
    ]
    scale = max(1.0, abs(float(value)))  # differences of C lose digits in proportion to C
    np.testing.assert_allclose(delta, numeric, atol=1e-8 * scale, rtol=1e-5)
