"""The fast engine agrees with the graph engine: outputs, every δ, every gradient, any DAG."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import costs_for, networks

import neurograph as ng
from neurograph.fast.batched import backward, forward
from neurograph.fast.kernels import GeneralKernel, LayeredKernel, make_kernel

RTOL = ATOL = 1e-12  # float64 parity with the graph engine


@st.composite
def batches(draw: Any, **kwargs: Any) -> tuple[ng.Network, np.ndarray, np.ndarray, ng.Cost]:
    """A random DAG, a few inputs, targets (labels for log-likelihood), and a cost."""
    net = draw(networks(**kwargs))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    m = draw(st.integers(1, 4))
    X = rng.uniform(-1, 1, (m, len(net.inputs)))
    cost = draw(st.sampled_from(costs_for(net)))
    n_out = len(net.outputs)
    if isinstance(cost, ng.LogLikelihoodCost):
        y = rng.integers(0, n_out, m)
    else:
        y = rng.uniform(0, 1, (m, n_out))
    return net, X, y, cost


def graph_values(net: ng.Network, x: np.ndarray, y: Any, cost: ng.Cost) -> tuple[Any, ...]:
    """The graph engine's outputs, δ by name and gradients for one example."""
    out = net.forward(x)
    net.backward(y, cost)
    return out, {n.name: n.delta for n in net.neurons}, net.gradients()


def small_net() -> ng.Network:
    """1 input -> h -> o, the hand-worked example below."""
    net = ng.Network()
    (x,) = net.add_inputs(1)
    h = net.add(ng.SigmoidNeuron(bias=-1.0, name="h"), inputs={x: 2.0})
    net.add(ng.SigmoidNeuron(bias=0.0, name="o"), inputs={h: 1.0})
    return net


def test_hand_worked_example() -> None:
    """x = 1, y = 1, quadratic cost, worked by hand from BP1-BP4."""
    fast = small_net().compile()
    trace = fast.trace([[1.0]], [[1.0]], ng.QuadraticCost())
    # z_h = 2 * 1 - 1 = 1; a_h = σ(1) = 0.7311
    assert trace.a["h"][0] == pytest.approx(0.7311, abs=1e-4)
    # z_o = 1 * 0.7311 + 0 = 0.7311; a_o = σ(0.7311) = 0.6750
    assert trace.a["o"][0] == pytest.approx(0.6750, abs=1e-4)
    # (BP1) δ_o = (a_o - y) σ'(z_o) = (-0.3250)(0.6750)(0.3250) = -0.07128
    assert trace.delta["o"][0] == pytest.approx(-0.07128, abs=1e-5)
    # (BP2) δ_h = w_oh δ_o σ'(z_h) = 1 (-0.07128)(0.7311)(0.2689) = -0.01402
    assert trace.delta["h"][0] == pytest.approx(-0.01402, abs=1e-5)
    grads = fast.gradients([[1.0]], [[1.0]], ng.QuadraticCost())
    # (BP4) ∂C/∂w_oh = a_h δ_o = 0.7311 (-0.07128) = -0.05211; ∂C/∂w_hx = x δ_h = -0.01402
    assert grads[("h", "o")] == pytest.approx(-0.05211, abs=1e-5)
    assert grads[("x1", "h")] == pytest.approx(-0.01402, abs=1e-5)
    assert grads["o"] == trace.delta["o"][0]  # (BP3)


@pytest.mark.parametrize("cost", [ng.QuadraticCost(), ng.CrossEntropyCost()])
def test_central_differences(cost: ng.Cost) -> None:
    """Backprop of the fast engine against central differences of its own total_cost."""
    net = ng.layered([3, 4, 2], seed=3)
    net.connect("L1.1", "L3.2", 0.7)  # a skip connection
    fast = net.compile()
    rng = np.random.default_rng(1)
    X, y = rng.uniform(-1, 1, (5, 3)), rng.uniform(0, 1, (5, 2))
    nabla_w, nabla_b = fast.backprop(X, y, cost)
    eps = 1e-5
    for layer, w in fast.w.items():
        for j, i in zip(*np.nonzero(w)):
            w[j, i] += eps
            up = fast.total_cost((X, y), cost)
            w[j, i] -= 2 * eps
            down = fast.total_cost((X, y), cost)
            w[j, i] += eps
            assert nabla_w[layer][j, i] == pytest.approx((up - down) / (2 * eps), abs=1e-8)
    for layer, b in fast.b.items():
        b[0] += eps
        up = fast.total_cost((X, y), cost)
        b[0] -= 2 * eps
        down = fast.total_cost((X, y), cost)
        b[0] += eps
        assert nabla_b[layer][0] == pytest.approx((up - down) / (2 * eps), abs=1e-8)


def reference_backprop(w: list[Any], b: list[Any], x: Any, y: Any) -> tuple[list[Any], ...]:
    """The book's network.py backprop for one example, with column vectors (BP1-BP4)."""
    activation, activations, zs = x[:, None], [x[:, None]], []
    for w_l, b_l in zip(w, b):
        z = w_l @ activation + b_l[:, None]
        zs.append(z)
        activation = 1 / (1 + np.exp(-z))
        activations.append(activation)
    sp = activations[-1] * (1 - activations[-1])
    delta = (activations[-1] - y[:, None]) * sp  # (BP1)
    nabla_w, nabla_b = [delta @ activations[-2].T], [delta[:, 0]]
    for k in range(2, len(w) + 1):
        sp = activations[-k] * (1 - activations[-k])
        delta = (w[-k + 1].T @ delta) * sp  # (BP2)
        nabla_w.insert(0, delta @ activations[-k - 1].T)  # (BP4)
        nabla_b.insert(0, delta[:, 0])  # (BP3)
    return nabla_w, nabla_b


def test_numpy_reference() -> None:
    """A layered network: fast backprop == a short NumPy reference written from BP1-BP4."""
    fast = ng.layered([4, 5, 3, 2], seed=2).compile()
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(0, 1, (6, 4)), rng.uniform(0, 1, (6, 2))
    nabla_w, nabla_b = fast.backprop(X, Y, ng.QuadraticCost())
    w, b = list(fast.w.values()), list(fast.b.values())
    per_example = [reference_backprop(w, b, x, y) for x, y in zip(X, Y)]
    for k, layer in enumerate(fast.w):
        np.testing.assert_allclose(nabla_w[layer], np.mean([p[0][k] for p in per_example], 0))
        np.testing.assert_allclose(nabla_b[layer], np.mean([p[1][k] for p in per_example], 0))


@settings(max_examples=60, deadline=None)
@given(batches())
def test_fast_equals_graph(case: tuple[ng.Network, np.ndarray, np.ndarray, ng.Cost]) -> None:
    """Outputs, every δ and every gradient agree to 1e-12, example by example and averaged."""
    net, X, y, cost = case
    fast = net.compile()
    np.testing.assert_allclose(
        fast.feedforward(X), [net.forward(x) for x in X], rtol=RTOL, atol=ATOL
    )
    trace = fast.trace(X, y, cost)
    mean: dict[Any, float] = {}
    for i, x in enumerate(X):
        _, deltas, grads = graph_values(net, x, y[i], cost)
        for name, delta in deltas.items():
            np.testing.assert_allclose(
                trace.delta[name][i], delta, rtol=RTOL, atol=ATOL, err_msg=name
            )
        one = fast.gradients(X[i : i + 1], y[i : i + 1], cost)
        assert one.keys() == grads.keys()
        for key, g in grads.items():
            np.testing.assert_allclose(one[key], g, rtol=RTOL, atol=ATOL, err_msg=str(key))
            mean[key] = mean.get(key, 0.0) + g / len(X)
    averaged = fast.gradients(X, y, cost)
    for key, g in mean.items():
        np.testing.assert_allclose(averaged[key], g, rtol=RTOL, atol=ATOL, err_msg=str(key))


def graph_sgd_step(
    net: ng.Network, X: Any, y: Any, cost: ng.Cost, eta: float, decay: float
) -> None:
    """The book's update from per-example graph gradients, averaged (section 2.2; eq. 93)."""
    mean: dict[Any, float] = {}
    for x, target in zip(X, y):
        _, _, grads = graph_values(net, x, target, cost)
        for key, g in grads.items():
            mean[key] = mean.get(key, 0.0) + g / len(X)
    for key, g in mean.items():
        if isinstance(key, tuple):
            source, target = key
            net.set_weight(source, target, decay * net.weight(source, target) - eta * g)
        else:
            net[key].bias -= eta * g


@settings(max_examples=30, deadline=None)
@given(batches(), st.floats(0.1, 3.0), st.floats(0.0, 5.0), st.integers(0, 100))
def test_sgd_equals_graph_updates(case: Any, eta: float, lmbda: float, seed: int) -> None:
    """One epoch of two mini-batches == graph gradients averaged then applied, with L2."""
    net, X, y, cost = case
    X, y = np.concatenate([X, X[::-1] * 0.5]), np.concatenate([y, y[::-1]])
    fast = net.compile()
    m = max(1, len(X) // 2)
    fast.sgd((X, y), 1, m, eta, lmbda=lmbda, cost=cost, seed=seed)
    perm = np.random.default_rng(seed).permutation(len(X))
    for k in range(0, len(X), m):
        idx = perm[k : k + m]
        graph_sgd_step(net, X[idx], y[idx], cost, eta, 1 - eta * lmbda / len(X))
    expected = net.compile()
    for layer in fast.layers.values():
        number = layer.number
        np.testing.assert_allclose(fast.w[number], expected.w[number], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(fast.b[number], expected.b[number], rtol=1e-10, atol=1e-12)
        if layer.mask is not None:
            assert np.all(fast.w[number][~layer.mask] == 0.0)  # absent edges stay absent


@settings(max_examples=25, deadline=None)
@given(batches())
def test_round_trip(case: Any) -> None:
    """graph -> fast -> train -> write back -> compile gives identical arrays."""
    net, X, y, cost = case
    fast = net.compile()
    fast.sgd((X, y), 2, 1, 0.5, lmbda=0.1, cost=cost, seed=0)
    net.load_parameters(fast)
    again = net.compile()
    for layer in fast.layers.values():
        assert np.array_equal(again.w[layer.number], fast.w[layer.number])
        assert np.array_equal(again.b[layer.number], fast.b[layer.number])
    np.testing.assert_allclose(
        again.feedforward(X), [net.forward(x) for x in X], rtol=RTOL, atol=ATOL
    )


def softmax_in_the_middle() -> ng.Network:
    """A softmax layer feeding a sigmoid neuron, and an output (softmax) that feeds another."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    sm = net.add(ng.SoftmaxLayer(3, bias=[0.1, -0.2, 0.3], name="sm"))
    for k, unit in enumerate(sm):
        net.connect(x1, unit, 0.5 - k)
        net.connect(x2, unit, 0.25 * k)
    h = net.add(ng.SigmoidNeuron(bias=0.2, name="h"), inputs={sm[0]: 1.5, sm[2]: -1.0, x1: 0.3})
    out = net.add(ng.SoftmaxLayer(2, name="out"))
    net.connect(h, out[0], 1.0)
    net.connect(x2, out[1], -0.5)
    net.add(ng.SigmoidNeuron(bias=0.0, name="p"), inputs={out[0]: 2.0, h: -1.0})
    net.set_outputs([out, h])  # mixed softmax and sigmoid outputs; both feed others
    return net


@pytest.mark.parametrize("cost", [ng.QuadraticCost(), ng.CrossEntropyCost()])
def test_softmax_anywhere(cost: ng.Cost) -> None:
    """Softmax layers inside the network, outputs that feed others, mixed output kinds."""
    net = softmax_in_the_middle()
    fast = net.compile()
    assert not fast.layered
    X, y = np.array([[0.3, -0.8], [1.0, 0.5]]), np.array([[0.2, 0.8, 1.0], [1.0, 0.0, 0.3]])
    trace = fast.trace(X, y, cost)
    for i in range(2):
        out, deltas, grads = graph_values(net, X[i], y[i], cost)
        np.testing.assert_allclose(fast.feedforward(X[i : i + 1])[0], out, rtol=RTOL, atol=ATOL)
        for name, delta in deltas.items():
            np.testing.assert_allclose(
                trace.delta[name][i], delta, rtol=RTOL, atol=ATOL, err_msg=name
            )
        one = fast.gradients(X[i : i + 1], y[i : i + 1], cost)
        for key, g in grads.items():
            np.testing.assert_allclose(one[key], g, rtol=RTOL, atol=ATOL, err_msg=str(key))


@pytest.mark.parametrize(
    ("neuron", "output", "cost"),
    [
        (ng.SigmoidNeuron, None, ng.QuadraticCost()),
        (ng.SigmoidNeuron, None, ng.CrossEntropyCost()),
        (ng.SigmoidNeuron, ng.SoftmaxLayer, ng.LogLikelihoodCost()),
        (ng.SigmoidNeuron, ng.SoftmaxLayer, ng.CrossEntropyCost()),
        (ng.TanhNeuron, None, ng.QuadraticCost()),
        (ng.ReLUNeuron, ng.SigmoidNeuron, ng.CrossEntropyCost()),
        (ng.TanhNeuron, ng.SoftmaxLayer, ng.LogLikelihoodCost()),
        (ng.ReLUNeuron, None, ng.QuadraticCost()),
    ],
)
def test_layered_kernel_equals_general(neuron: Any, output: Any, cost: ng.Cost) -> None:
    """The in-place kernel computes the same gradients as the general passes, any kind."""
    net = ng.layered([5, 4, 3], neuron=neuron, output=output, seed=4)
    fast = net.compile()
    rng = np.random.default_rng(0)
    X, y = rng.uniform(0, 1, (7, 5)), rng.integers(0, 3, 7)
    Y = np.eye(3)[y]
    layered, general = make_kernel(fast, X, Y, cost, True), GeneralKernel(fast, X, Y, cost)
    assert isinstance(layered, LayeredKernel)
    for idx in (np.arange(7), np.array([3, 1])):
        layered.step(idx, 0.5)
        general.step(idx, 0.5)
        for a, b in zip(layered.gw + layered.gb, general.gw + general.gb):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_layered_detection() -> None:
    """Fully connected sigmoid chains are layered; skip connections and sparsity are not."""
    assert ng.layered([3, 4, 2]).compile().layered
    assert ng.layered([3, 4, 2], output=ng.SoftmaxLayer).compile().layered
    assert ng.layered([3, 4, 2], neuron=ng.TanhNeuron, output=ng.ReLUNeuron).compile().layered
    net = ng.layered([3, 4, 2])
    net.connect("L1.1", "L3.1", 1.0)
    fast = net.compile()
    assert not fast.layered and fast.layers[3].mask is not None
    assert fast.layers[3].sources == ["L1.1", "L2.1", "L2.2", "L2.3", "L2.4"]


def test_perceptrons_forward_only() -> None:
    """Perceptrons run forward like the graph engine; backprop refuses them, naming one."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    p = net.add(ng.Perceptron(bias=3.0, name="nand"), inputs={x1: -2.0, x2: -2.0})
    net.add(ng.SigmoidNeuron(name="s"), inputs={p: 1.0, x1: 0.5})
    fast = net.compile()
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    np.testing.assert_allclose(
        fast.feedforward(X), [net.forward(x) for x in X], rtol=RTOL, atol=ATOL
    )
    with pytest.raises(ng.GraphError, match="nand"):
        fast.backprop(X, np.ones((4, 1)))
    with pytest.raises(ng.GraphError, match="sigmoidized"):
        fast.sgd((X, np.ones((4, 1))), 1, 2, 1.0)


def test_refusals() -> None:
    """What the graph engine refuses, the fast engine refuses too, with the same errors."""
    fast = ng.layered([2, 2], seed=0).compile()
    with pytest.raises(ng.GraphError, match="LogLikelihoodCost"):
        fast.backprop([[0.0, 1.0]], [1], ng.LogLikelihoodCost())
    net = ng.Network()
    (x,) = net.add_inputs(1)
    sm = net.add(ng.SoftmaxLayer(2, name="sm"))
    net.connect(x, sm[0], 1.0)
    net.connect(x, sm[1], 2.0)
    net.set_outputs([sm[0]])
    part = net.compile()
    np.testing.assert_allclose(
        part.feedforward([[0.5]])[0], net.forward([0.5]), rtol=RTOL, atol=ATOL
    )
    with pytest.raises(ng.GraphError, match="sm.2"):
        part.backprop([[0.5]], [[1.0]])
    with pytest.raises(ng.UsageError, match="dtype"):
        net.compile(dtype=np.int32)


def test_bad_data() -> None:
    """Shapes, labels and targets are checked, naming what was expected."""
    fast = ng.layered([3, 2, 4], seed=0).compile()
    with pytest.raises(ng.ShapeError, match=r"\(n, 3\)"):
        fast.feedforward(np.zeros((2, 4)))
    with pytest.raises(ng.ShapeError, match="label 4 is out of range"):
        fast.backprop(np.zeros((2, 3)), [1, 4])
    with pytest.raises(ng.ShapeError, match=r"\[0, 1\]"):
        fast.backprop(np.zeros((1, 3)), [[2.0, 0, 0, 0]], ng.CrossEntropyCost())
    with pytest.raises(ng.ShapeError, match="NaN"):
        fast.feedforward([[np.nan, 0, 0]])
    with pytest.raises(ng.ShapeError, match="counts must agree"):
        fast.backprop(np.zeros((2, 3)), [1])


def test_write_back_checks() -> None:
    """Write-back needs the same wiring, and refuses NaN."""
    fast = ng.layered([2, 3, 1], seed=0).compile()
    other = ng.layered([2, 3, 1], seed=1)
    other.graph.remove_edge(other["L1.1"], other["L2.1"])
    with pytest.raises(ng.GraphError, match="L2.1"):
        fast.write_back(other)
    fast.w[2][0, 0] = np.nan
    with pytest.raises(ng.ShapeError, match="NaN"):
        fast.write_back(ng.layered([2, 3, 1]))


def test_float32() -> None:
    """float32 agrees with float64 to single precision, trains, and round-trips exactly."""
    net = ng.layered([6, 5, 3], seed=5)
    f64, f32 = net.compile(), net.compile(dtype=np.float32)
    rng = np.random.default_rng(0)
    X, y = rng.uniform(0, 1, (40, 6)), rng.integers(0, 3, 40)
    assert f32.feedforward(X).dtype == np.float32
    np.testing.assert_allclose(f32.feedforward(X), f64.feedforward(X), rtol=1e-5, atol=1e-6)
    h64 = f64.sgd((X, y), 3, 4, 1.0, seed=1, evaluation_data=(X, y), monitor_evaluation_cost=True)
    h32 = f32.sgd((X, y), 3, 4, 1.0, seed=1, evaluation_data=(X, y), monitor_evaluation_cost=True)
    np.testing.assert_allclose(h32.evaluation_cost, h64.evaluation_cost, rtol=1e-4)
    net.load_parameters(f32)
    assert np.array_equal(net.compile(dtype=np.float32).w[2], f32.w[2])


def test_evaluation_helpers() -> None:
    """accuracy, predict and total_cost (with the book's L2 term) against the graph engine."""
    net = ng.layered([3, 4, 3], seed=6)
    fast = net.compile()
    rng = np.random.default_rng(2)
    X, y = rng.uniform(0, 1, (20, 3)), rng.integers(0, 3, 20)
    outputs = np.array([net.forward(x) for x in X])
    assert np.array_equal(fast.predict(X), outputs.argmax(axis=1))
    assert fast.accuracy((X, y)) == np.mean(outputs.argmax(axis=1) == y)
    assert fast.accuracy((X, np.eye(3)[y])) == fast.accuracy((X, y))
    cost = ng.CrossEntropyCost()
    mean = np.mean([cost.fn(a, np.eye(3)[t]) for a, t in zip(outputs, y)])
    squares = sum(w**2 for _, _, w in net.graph.edges(data="weight"))
    assert fast.total_cost((X, y), cost, lmbda=2.0) == pytest.approx(mean + squares / 20, rel=1e-12)


def test_batched_passes_shapes() -> None:
    """forward/backward return one entry per layer, the input layer first."""
    fast = ng.layered([2, 3, 2], seed=0).compile()
    z, a, s = forward(fast, np.zeros((4, 2)))
    assert [x.shape for x in a] == [(4, 2), (4, 3), (4, 2)]
    delta, nabla_w, _ = backward(fast, z, a, s, np.zeros((4, 2)), ng.QuadraticCost())
    assert delta[2].shape == (4, 2) and nabla_w[3].shape == (2, 3)


def test_mnist_smoke() -> None:
    """[784, 30, 10], one epoch on 10,000 bundled images: over 85% on 1,000 test images."""
    train, _, test = ng.datasets.load_mnist()
    fast = ng.layered([784, 30, 10], seed=0).compile()
    fast.sgd((train[0][:10_000], train[1][:10_000]), 1, 10, 3.0, seed=0)
    assert fast.accuracy((test[0][:1000], test[1][:1000])) > 0.85


def test_sparse_wiring_across_wide_levels_is_refused_before_allocating() -> None:
    """4,000 neurons fed by 4,000 inputs through one edge each: 4,000 edges, but dense
    matrices of 16 million weights; compile refuses (a file of a few hundred KB must not
    take gigabytes), while the graph engine computes it."""
    net = ng.Network()
    xs = net.add_inputs(4000)
    for k, x in enumerate(xs):
        net.add(ng.SigmoidNeuron(name=f"h{k}"), inputs={x: 1.0})
    with pytest.raises(ng.GraphError, match=r"16,000,000 weights .* for 4,000 edges"):
        net.compile()
    assert net.forward(np.zeros(4000)).tolist() == [0.5] * 4000
    small = ng.layered([30, 300, 10], seed=0)  # fully connected: as many weights as edges
    assert small.compile().w[2].shape == (300, 30)
