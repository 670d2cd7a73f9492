"""Exercise 1.3: the bitwise output layer, on ideal outputs and on a network trained on MNIST."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph as ng
from neurograph.exercises.bits import bit_weights


def ideal_classifier() -> ng.Network:
    """Ten inputs, each driving one sigmoid output: the outputs are whatever σ(x) we ask for."""
    net = ng.Network()
    xs = net.add_inputs(10)
    for i, x in enumerate(xs):
        net.add(ng.SigmoidNeuron(bias=0.0, name=f"out.{i + 1}"), inputs={x: 1.0})
    return net


def logit(a: np.ndarray) -> np.ndarray:
    return np.log(a / (1 - a))


def test_bit_pattern() -> None:
    w = bit_weights()
    for digit in range(10):
        for j in range(4):
            assert w[j, digit] == (1.0 if digit >> j & 1 else -1.0)
    assert np.flatnonzero(w[1] > 0).tolist() == [2, 3, 6, 7]  # not 9 (= 1001), as printed
    assert np.flatnonzero(w[3] > 0).tolist() == [8, 9]


@pytest.mark.parametrize("sharpen", [None, 100.0])
def test_every_digit_with_ideal_outputs(sharpen: float | None) -> None:
    bits = ng.binary_output_layer(ideal_classifier(), sharpen=sharpen)
    for digit in range(10):
        a = np.full(10, 0.01)
        a[digit] = 0.99
        out = bits.forward(logit(a))
        assert ng.decode_bits(out) == digit
        assert np.all(np.minimum(out, 1 - out) < 1.2e-4)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 9),
    st.lists(st.floats(1e-6, 0.01), min_size=10, max_size=10),
    st.floats(0.99, 1 - 1e-6),
)
def test_the_exercise_bound(digit: int, others: list[float], top: float) -> None:
    """Correct output >= 0.99, the rest <= 0.01: every bit within σ(-9.1) of its value (c = 10)."""
    a = np.array(others)
    a[digit] = top
    out = ng.binary_output_layer(ideal_classifier(), sharpen=None).forward(logit(a))
    expected = [(digit >> j) & 1 for j in range(4)]
    assert np.all(np.abs(out - expected) < float(ng.sigmoid(-9.1)))


def test_agrees_with_the_argmax_on_mnist() -> None:
    """Through a network trained for one epoch: >= 99.9% agreement on the 10,000 test images."""
    train, _, (X, _) = ng.datasets.load_mnist()
    net = ng.layered([784, 30, 10], seed=0)
    fast = net.compile()
    fast.sgd(train, epochs=1, mini_batch_size=10, eta=3.0, seed=0)
    net.load_parameters(fast)
    argmax = fast.predict(X)
    sharp = ng.decode_bits(ng.binary_output_layer(net).compile().feedforward(X))
    bare = ng.decode_bits(ng.binary_output_layer(net, sharpen=None).compile().feedforward(X))
    assert np.mean(sharp == argmax) >= 0.999
    assert 0.97 < np.mean(bare == argmax) < 0.999  # the exercise's assumption does not hold


def test_softmax_classifiers_and_copies() -> None:
    net = ng.layered([5, 10], output=ng.SoftmaxLayer, seed=0)
    before = net.to_dict()
    bits = ng.binary_output_layer(net)
    assert net.to_dict() == before
    assert [u.name for u in bits["L2"]] == [f"L2.{j}" for j in range(1, 11)]
    x = np.linspace(0, 1, 5)
    assert ng.decode_bits(bits.forward(x)) == int(np.argmax(net.forward(x)))
    k = bits.weight("L1.3", "L2.4") / net.weight("L1.3", "L2.4")
    assert k == pytest.approx(100.0)


def test_bad_input() -> None:
    with pytest.raises(ng.ShapeError, match="needs a digit classifier with 10 outputs, got 9"):
        ng.binary_output_layer(ng.layered([3, 9], seed=0))
    with pytest.raises(ng.ShapeError, match="sharpen must be > 0"):
        ng.binary_output_layer(ideal_classifier(), sharpen=-1.0)
    net = ideal_classifier()
    net.add(ng.SigmoidNeuron(name="bit0"))
    net.set_outputs([f"out.{i}" for i in range(1, 11)])
    with pytest.raises(ng.GraphError, match=r"already has neurons named \['bit0'\]"):
        ng.binary_output_layer(net)
