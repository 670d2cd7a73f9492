"""net.update and net.sgd: the object graph trains itself, as the fast engine does."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import costs_for, networks

import neurograph as ng


def parameters(net: ng.Network) -> dict[Any, float]:
    """Every weight and bias by name."""
    found: dict[Any, float] = {n.name: float(n.bias) for n in net.neurons}
    for src, dst, w in net.graph.edges(data="weight"):
        found[(src.name, dst.name)] = float(w)
    return found


def test_update_is_equations_20_and_21_by_hand() -> None:
    """One sigmoid neuron, x = 1, y = 0, w = 0.6, b = 0.9, quadratic cost, η = 0.15, λ = 1."""
    net = ng.Network()
    (x1,) = net.add_inputs(1)
    s = net.add(ng.SigmoidNeuron(bias=0.9, name="s"), inputs={x1: 0.6})
    net.forward([1.0])
    net.backward(0.0)
    a = 1 / (1 + np.exp(-1.5))  # σ(0.6·1 + 0.9)
    delta = a * a * (1 - a)  # (BP1) (a − y) σ'(z), with σ' = a(1 − a)
    net.update(0.15, lmbda=1.0, n=10)
    w = (1 - 0.15 * 1.0 / 10) * 0.6 - 0.15 * delta * 1.0  # (93): decay, then (20) with a_k = 1
    b = 0.9 - 0.15 * delta  # (21): biases do not decay
    assert net.weight(x1, s) == pytest.approx(w, abs=1e-15)
    assert s.bias == pytest.approx(b, abs=1e-15)


def test_update_needs_a_backward_pass_and_real_rates() -> None:
    net = ng.layered([2, 2], seed=0)
    with pytest.raises(ng.GraphError, match="run net.forward"):
        net.update(1.0)
    net.forward([0.0, 1.0])
    net.backward(1)
    cases: list[dict[str, Any]] = [{"eta": -1.0}, {"eta": float("nan")}, {"eta": 1.0, "lmbda": -2}]
    for bad in cases:
        with pytest.raises(ng.UsageError, match="must be a finite number >= 0"):
            net.update(**bad)
    with pytest.raises(ng.UsageError, match="n \\(the size of the training set\\)"):
        net.update(1.0, lmbda=1.0, n=0)


@pytest.mark.parametrize(
    ("cost", "lmbda", "m", "labels"),
    [
        ("quadratic", 0.0, 3, True),
        ("cross-entropy", 0.5, 4, True),
        ("quadratic", 2.0, 20, False),
        ("cross-entropy", 0.0, 1, False),
    ],
)
def test_sgd_on_the_objects_equals_the_fast_engine(
    cost: str, lmbda: float, m: int, labels: bool
) -> None:
    """The same parameters as net.compile().sgd with the same arguments, to 1e-10."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 3))
    y: Any = (X[:, 0] > X[:, 1]).astype(int) if labels else rng.random((20, 2))
    options: dict[str, Any] = {"cost": cost, "lmbda": lmbda, "seed": 7}
    net = ng.layered([3, 4, 2], seed=0)
    fast = ng.layered([3, 4, 2], seed=0).compile()
    net.sgd((X, y), 3, m, 0.8, **options)
    fast.sgd((X, y), 3, m, 0.8, **options)
    trained = ng.layered([3, 4, 2], seed=0)
    trained.load_parameters(fast)
    ours, theirs = parameters(net), parameters(trained)
    assert ours.keys() == theirs.keys()
    np.testing.assert_allclose(list(ours.values()), list(theirs.values()), rtol=0, atol=1e-10)
    assert parameters(net) != parameters(ng.layered([3, 4, 2], seed=0))  # it did train


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_sgd_equals_the_fast_engine_on_any_dag(data: st.DataObject) -> None:
    """Skip connections, sparse wiring, softmax layers that feed on: the same numbers."""
    net = data.draw(networks(max_neurons=4))
    cost = data.draw(st.sampled_from(costs_for(net)))
    n, n_out = data.draw(st.integers(2, 8)), len(net.outputs)
    X = np.array(data.draw(st.lists(st.floats(-1, 1), min_size=n * len(net.inputs),
                                    max_size=n * len(net.inputs)))).reshape(n, -1)  # fmt: skip
    y = np.array(data.draw(st.lists(st.integers(0, n_out - 1), min_size=n, max_size=n)))
    if n_out == 1:
        y = y.astype(float)  # one output: targets 0.0
    m = data.draw(st.integers(1, n))
    lmbda = data.draw(st.sampled_from([0.0, 0.7]))
    fast = net.compile()
    fast.sgd((X, y), 2, m, 0.5, cost=cost, lmbda=lmbda, seed=3)
    twin = net.copy()
    twin.load_parameters(fast)
    net.sgd((X, y), 2, m, 0.5, cost=cost, lmbda=lmbda, seed=3)
    ours, theirs = parameters(net), parameters(twin)
    np.testing.assert_allclose(list(ours.values()), list(theirs.values()), rtol=0, atol=1e-10)


def test_sgd_learns_xor_and_counts_epochs_from_one() -> None:
    XOR = ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    net = ng.layered([2, 2, 1], init="large", seed=2)
    seen: list[int] = []

    def stop_after_five(epoch: int, _: ng.Network) -> bool:
        seen.append(epoch)
        return epoch == 5

    net.sgd(XOR, 2000, 4, 4.0, cost="cross-entropy", seed=0, callback=stop_after_five)
    assert seen == [1, 2, 3, 4, 5]  # a true result stops after the epoch
    net.sgd(XOR, 2000, 1, 2.0, cost="cross-entropy", seed=0)
    outputs = [float(net.forward(x)[0]) for x in XOR[0]]
    assert [round(a) for a in outputs] == XOR[1]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((([[0.0]], [1.0]), 1, 2, 1.0), "mini_batch_size must be an integer from 1 to the 1"),
        ((([[0.0]], [1.0]), -1, 1, 1.0), "epochs must be a whole number >= 0"),
        ((([[0.0]], [1.0, 0.0]), 1, 1, 1.0), r"X.shape=\(1, 1\), len\(y\)=2"),
        ((([], []), 1, 1, 1.0), "training_data must be"),
    ],
)
def test_sgd_refuses_bad_arguments(args: tuple[Any, ...], match: str) -> None:
    net = ng.layered([1, 1], seed=0)
    with pytest.raises((ng.UsageError, ng.ShapeError), match=match):
        net.sgd(*args)
    with pytest.raises(ng.UsageError, match="seed must be a whole number >= 0"):
        net.sgd(([[0.0]], [1.0]), 1, 1, 1.0, seed=-1)
