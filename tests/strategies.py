"""Hypothesis strategies for random networks: any DAG, with skip connections and sparse wiring."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import neurograph as ng

weights = st.floats(-2.0, 2.0, allow_nan=False)
biases = st.floats(-1.5, 1.5, allow_nan=False)

#: The built-in kinds that learn, for networks that mix them.
KINDS: tuple[type[ng.Neuron], ...] = (ng.SigmoidNeuron, ng.TanhNeuron, ng.ReLUNeuron)


@st.composite
def networks(
    draw: Any,
    max_inputs: int = 4,
    max_neurons: int = 6,
    softmax: bool = True,
    neuron: type[ng.Neuron] = ng.SigmoidNeuron,
    kinds: tuple[type[ng.Neuron], ...] | None = None,
) -> ng.Network:
    """A random DAG of `neuron`s (sigmoid by default), maybe ending in a softmax layer.

    Each new neuron takes edges from a random non-empty subset of all earlier nodes, so skip
    connections and sparse wiring both occur; outputs may also feed other neurons. With
    `kinds`, each neuron's kind is drawn from them (e.g. [`KINDS`][]: sigmoid, tanh, ReLU).
    """
    net = ng.Network()
    nodes: list[Any] = list(net.add_inputs(draw(st.integers(1, max_inputs))))
    for _ in range(draw(st.integers(1, max_neurons))):
        kind = neuron if kinds is None else draw(st.sampled_from(kinds))
        new = net.add(kind(bias=draw(biases)))
        for source in draw(st.lists(st.sampled_from(nodes), min_size=1, unique=True)):
            net.connect(source, new, draw(weights))
        nodes.append(new)
    if softmax and draw(st.booleans()):
        layer = net.add(ng.SoftmaxLayer(draw(st.integers(2, 4)), bias=draw(biases)))
        for unit in layer:
            for source in draw(st.lists(st.sampled_from(nodes), min_size=1, unique=True)):
                net.connect(source, unit, draw(weights))
        outputs: list[Any] = [layer]
        if draw(st.booleans()):  # a softmax layer that also feeds another neuron
            post = net.add(ng.SigmoidNeuron(bias=draw(biases)))
            for unit in draw(st.lists(st.sampled_from(layer.units), min_size=1, unique=True)):
                net.connect(unit, post, draw(weights))
            if draw(st.booleans()):
                outputs.append(post)
        net.set_outputs(outputs)
    else:
        hidden = nodes[len(net.inputs) :]
        net.set_outputs(draw(st.lists(st.sampled_from(hidden), min_size=1, unique=True)))
    return net


def costs_for(net: ng.Network) -> list[ng.Cost]:
    """The costs that apply to the network's outputs (log-likelihood needs softmax; the
    cross-entropy needs outputs in [0, 1], not tanh or ReLU)."""
    found: list[ng.Cost] = [ng.QuadraticCost()]
    if all(n.probability for n in net.outputs):
        found.append(ng.CrossEntropyCost())
    if all(isinstance(n, ng.SoftmaxUnit) for n in net.outputs):
        found.append(ng.LogLikelihoodCost())
    return found


@st.composite
def cases(draw: Any, **kwargs: Any) -> tuple[ng.Network, np.ndarray, Any, ng.Cost]:
    """A network, an input, a target that fits it, and a cost that applies."""
    net = draw(networks(**kwargs))
    n_in = len(net.inputs)
    x = np.array(draw(st.lists(st.floats(-1, 1), min_size=n_in, max_size=n_in)))
    cost = draw(st.sampled_from(costs_for(net)))
    n_out = len(net.outputs)
    if isinstance(cost, ng.LogLikelihoodCost):
        y: Any = draw(st.integers(0, n_out - 1))
    else:
        y = np.array(draw(st.lists(st.floats(0, 1), min_size=n_out, max_size=n_out)))
    return net, x, y, cost
