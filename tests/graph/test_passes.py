"""Forward and backward passes: a hand-worked example, BP1–BP4 against central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import cases, networks

import neurograph as ng
from neurograph.commands.demo import build_small_network
from neurograph.graph import passes


def sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_hand_worked_2_2_1() -> None:
    """The 2-2-1 network of the demo, x = (1, 0), y = 1, cross-entropy, worked by hand."""
    net = build_small_network()
    a = net.forward([1.0, 0.0])
    # z[h1] = 1.0·1 + (-1.0)·0 + 0.5 = 1.5        a[h1] = σ(1.5) ≈ 0.8175745
    # z[h2] = 0.5·1 + 2.0·0 - 0.5 = 0.0            a[h2] = σ(0) = 0.5
    # z[out] = 1.5·σ(1.5) - 2.0·0.5 + 0.25 ≈ 0.4763617,  a[out] ≈ 0.6168884
    z_out = 1.5 * sigma(1.5) - 1.0 + 0.25
    assert net["h1"].z == 1.5 and net["h2"].z == 0.0
    assert net["h1"].a == pytest.approx(0.8175744761936437, rel=1e-15)
    assert net["out"].z == pytest.approx(z_out, rel=1e-15)
    assert a.tolist() == pytest.approx([sigma(z_out)], rel=1e-15)
    assert a[0] == pytest.approx(0.6168884, abs=1e-7)

    cost = net.backward(1.0, ng.CrossEntropyCost())
    # C = -ln a[out] ≈ 0.483104
    assert cost == pytest.approx(-math.log(sigma(z_out)), rel=1e-14)
    # (BP1, eq. 66) δ[out] = a - y ≈ -0.3831116
    d_out = sigma(z_out) - 1.0
    assert net["out"].delta == pytest.approx(d_out, rel=1e-14)
    # (BP2) δ[h1] = σ'(1.5)·(1.5·δ[out]) ≈ 0.1491465 × (-0.5746682) ≈ -0.0857096
    d_h1 = sigma(1.5) * (1 - sigma(1.5)) * 1.5 * d_out
    assert net["h1"].delta == pytest.approx(d_h1, rel=1e-14)
    assert net["h1"].delta == pytest.approx(-0.0857096, abs=1e-7)
    # (BP2) δ[h2] = σ'(0)·(-2·δ[out]) = 0.25 × 0.7662232 ≈ 0.1915558
    assert net["h2"].delta == pytest.approx(0.25 * -2.0 * d_out, rel=1e-14)
    # (BP3) ∂C/∂b = δ; (BP4) ∂C/∂w[out <- h1] = a[h1]·δ[out] ≈ -0.3132223
    grads = net.gradients()
    assert grads["out"] == net["out"].delta
    assert grads[("h1", "out")] == pytest.approx(sigma(1.5) * d_out, rel=1e-14)
    assert grads[("x2", "h1")] == 0.0  # a[x2] = 0 carries no gradient


@settings(max_examples=150, deadline=None)
@given(cases())
def test_backprop_equals_central_differences(case: tuple) -> None:
    """BP1–BP4 on random DAGs: every δ equals ∂C/∂z (= ∂C/∂b) and every ∂C/∂w, all costs."""
    net, x, y, cost = case
    numeric = ng.numerical_gradients(net, x, y, cost)
    net.forward(x)
    net.backward(y, cost)
    exact = net.gradients()
    for key, value in numeric.items():
        assert exact[key] == pytest.approx(value, rel=1e-5, abs=1e-8), key
    for neuron in net.neurons:
        assert neuron.delta == exact[neuron.name]  # (BP3) ∂C/∂b = δ, and z moves with b


@settings(max_examples=100, deadline=None)
@given(cases())
def test_backward_twice_gives_the_same(case: tuple) -> None:
    """Nothing accumulates: a second backward pass leaves identical values."""
    net, x, y, cost = case
    net.forward(x)
    first_cost = net.backward(y, cost)
    first = net.gradients()
    assert net.backward(y, cost) == first_cost
    assert net.gradients() == first


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_general_output_error_equals_simplified(data: st.DataObject) -> None:
    """∇_a C ⊙ σ'(z) (softmax Jacobian included) equals the book's a − y.

    For |z| <= 20; beyond that 1 − σ(z) loses its digits to cancellation, see the next test.
    """
    n = data.draw(st.integers(1, 5))
    z = np.array(data.draw(st.lists(st.floats(-20, 20), min_size=n, max_size=n)))
    y = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    ce = ng.CrossEntropyCost()
    general = ce.general_delta(ng.SigmoidNeuron(), z, ng.sigmoid(z), y)
    finite = np.isfinite(general)
    simplified = ce.delta(ng.SigmoidNeuron(), z, ng.sigmoid(z), y)
    np.testing.assert_allclose(general[finite], simplified[finite], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(simplified, ng.sigmoid(z) - y, rtol=0, atol=0)

    label = data.draw(st.integers(0, n - 1))
    one_hot = np.eye(n)[label]
    a = ng.softmax(z)
    ll = ng.LogLikelihoodCost()
    general = ll.general_delta(ng.SoftmaxLayer(1)[0], z, a, one_hot)
    finite = np.isfinite(general)
    np.testing.assert_allclose(general[finite], (a - one_hot)[finite], rtol=1e-6, atol=1e-9)
    unit = ng.SoftmaxLayer(1)[0]  # stands for the softmax kind
    np.testing.assert_allclose(ll.delta(unit, z, a, one_hot), a - one_hot, atol=1e-15)


def test_general_form_is_0_over_0_when_sigma_saturates() -> None:
    """Why the simplified form is used: the general form degrades, then breaks, as σ saturates."""
    ce = ng.CrossEntropyCost()
    z = np.array([25.0, 40.0, 40.0])
    y = np.array([0.0, 0.0, 1.0])
    general = ce.general_delta(ng.SigmoidNeuron(), z, ng.sigmoid(z), y)
    assert abs(general[0] - 1.0) > 1e-7  # 1 − σ(25) ≈ 1.4e-11 keeps only ~5 digits
    assert np.isinf(general[1]) and np.isnan(general[2])  # σ(40) == 1.0: 1/0 and 0/0
    simplified = ce.delta(ng.SigmoidNeuron(), z, ng.sigmoid(z), y)  # a − y: exact where it can be
    np.testing.assert_allclose(simplified, [1.0, 1.0, 0.0], rtol=1e-10, atol=0)


@settings(max_examples=100, deadline=None)
@given(networks(neuron=ng.Perceptron, softmax=False), st.floats(0.01, 1e6), st.data())
def test_exercise_1_1_perceptrons_unchanged_by_c(
    net: ng.Network, c: float, data: st.DataObject
) -> None:
    """Exercise 1.1: multiplying every weight and bias of a perceptron network by c > 0."""
    n = len(net.inputs)
    x = data.draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
    net.forward(x)
    z = [float(neuron.z) for neuron in net.neurons]  # type: ignore[arg-type]
    assume(all(z_j == 0 or abs(z_j) > 1e-300 for z_j in z))  # c·z of a subnormal z rounds to 0
    scaled = net.scaled(c)
    assert scaled.forward(x).tolist() == net.forward(x).tolist()
    # the same sign of every w·x + b (so the same outputs), unless c·z underflows to 0
    for original, copy in zip(z, (float(n.z) for n in scaled.neurons)):  # type: ignore[arg-type]
        assert np.sign(copy) == np.sign(original) or abs(original) < 1e-300


@settings(max_examples=100, deadline=None)
@given(networks(neuron=ng.Perceptron, softmax=False), st.data())
def test_exercise_1_2_sigmoid_limit(net: ng.Network, data: st.DataObject) -> None:
    """Exercise 1.2: σ(c(w·x + b)) → the perceptron network as c → ∞ when every w·x + b ≠ 0."""
    n = len(net.inputs)
    x = data.draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
    perceptron_out = net.forward(x)
    margin = min(abs(float(neuron.z)) for neuron in net.neurons)  # type: ignore[arg-type]
    sigmoid_net = net.sigmoidized()
    errors = [np.max(np.abs(sigmoid_net.scaled(c).forward(x) - perceptron_out)) for c in (1, 1e5)]
    if margin > 1e-2:  # σ(1e5 · 1e-2) = σ(1000) is 1 to double precision
        assert errors[1] < 1e-12
        assert errors[1] <= errors[0]


def test_exercise_1_2_fails_when_w_x_plus_b_is_0() -> None:
    """With w·x + b = 0 the sigmoid neuron is stuck at 1/2 for every c; the perceptron says 0."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    net.add(ng.Perceptron(bias=-1.0, name="p"), inputs={x1: 1.0, x2: 1.0})
    assert net.forward([1.0, 0.0]).tolist() == [0.0]  # z = 1 + 0 - 1 = 0 -> 0
    for c in (1, 10, 1e3, 1e6):
        assert net.sigmoidized().scaled(c).forward([1.0, 0.0]).tolist() == [0.5]


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-6, 1 - 1e-6), st.floats(1e-6, 1 - 1e-6))
def test_exercise_3_1_cross_entropy_minimized_at_a_equals_y(y: float, a: float) -> None:
    """Exercise 3.1: for fixed y ∈ (0, 1) the cross-entropy is smallest at a = y."""
    ce = ng.CrossEntropyCost()
    assert ce.fn([a], [y]).item() >= ce.fn([y], [y]).item() - 1e-15
    assert ce.grad_a([y], [y]).item() == 0.0
    assert np.sign(ce.grad_a([a], [y]).item()) == np.sign(a - y)  # decreasing, then increasing


def test_activation_functions_are_stable() -> None:
    """No overflow warnings (the suite turns warnings into errors) for |z| up to 1e4."""
    z = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    assert ng.sigmoid(z).tolist()[0] == 0.0 and ng.sigmoid(z).tolist()[-1] == 1.0
    assert np.all(ng.sigmoid_prime(z) >= 0)
    assert ng.softmax(z)[-1] == 1.0
    net = ng.layered([1, 1], seed=0)
    net.set_weight("L1.1", "L2.1", 1.0)
    assert net.forward([1e4]).tolist() == [1.0]
    net.backward(0.0, ng.CrossEntropyCost())
    assert net["L2.1"].delta == 1.0


def test_events_follow_topological_order() -> None:
    """Forward events come in the plan's order, backward events in reverse."""
    net = ng.layered([3, 4, 2], output=ng.SoftmaxLayer, seed=0)
    forward = [e.neuron.name for e in passes.forward_events(net, [0.1, 0.2, 0.3])]
    assert forward == [n.name for n in net.neurons]
    events = list(passes.backward_events(net, 1, ng.LogLikelihoodCost()))
    assert isinstance(events[0], ng.CostEvent)
    assert [e.neuron.name for e in events[1:] if isinstance(e, ng.BackwardEvent)] == forward[::-1]
    assert "δ[L2.1] = σ'(z) · Σ w·δ" in str(events[-1])
