"""Builders for common shapes of network, made through the same public calls a learner uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import numpy as np

from neurograph.errors import ShapeError, UsageError
from neurograph.graph.network import Network
from neurograph.graph.neurons import Neuron, SigmoidNeuron, SoftmaxLayer
from neurograph.graph.types import is_whole, random_generator

__all__ = ["from_matrices", "layered"]

INITS = ("default", "large")


def layered(
    sizes: Sequence[int],
    neuron: type[Neuron] = SigmoidNeuron,
    output: type[Neuron] | type[SoftmaxLayer] | None = None,
    init: str = "default",
    seed: int | np.random.Generator | None = None,
    labels: Sequence[Any] | None = None,
) -> Network:
    r"""A fully connected layered network, built neuron by neuron.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first, e.g. ``[784, 30, 10]``.
    neuron : Neuron subclass, default SigmoidNeuron
        The kind of the hidden neurons (and of the output neurons unless `output` is given).
    output : Neuron subclass or SoftmaxLayer, optional
        The kind of the output layer.
    init : {"default", "large"}
        ``"default"``: weights N(0, 1/n_in), biases N(0, 1) (Nielsen, ch. 3);
        ``"large"``: weights and biases N(0, 1) (ch. 1).
    seed : int or numpy.random.Generator, optional
    labels : sequence, optional
        One class label per output neuron (see [`Network.set_outputs`][]), e.g.
        ``[str(d) for d in range(10)]`` for MNIST.

    Returns
    -------
    Network
        Neuron ``j`` of layer ``l`` is named ``L{l}.{j}`` (1-based, the input layer is
        ``l = 1``), so $w^3_{24}$ is the edge ``"L2.4" -> "L3.2"``.

    Examples
    --------
    >>> net = layered([2, 3, 1], seed=0)
    >>> [n.name for n in net.neurons]
    ['L2.1', 'L2.2', 'L2.3', 'L3.1']
    >>> layered([784, 30, 10], seed=0, labels=[str(d) for d in range(10)]).labels[7]
    '7'
    """
    if isinstance(sizes, (str, bytes)) or len(sizes) < 2 or not all(is_whole(s, 1) for s in sizes):
        msg = f"layered: expected at least two layer sizes >= 1, e.g. [784, 30, 10]; got {sizes!r}"
        raise UsageError(msg)
    if init not in INITS:
        msg = f"layered: unknown init {init!r}; expected one of {INITS}"
        raise UsageError(msg)
    rng = random_generator(seed, "layered: seed")
    weights, biases = [], []
    for n_in, size in zip(sizes[:-1], sizes[1:]):
        biases.append(rng.standard_normal(size))
        scale = np.sqrt(n_in) if init == "default" else 1.0
        weights.append(rng.standard_normal((size, n_in)) / scale)
    net = from_matrices(weights, biases, neuron=neuron, output=output)
    if labels is not None:
        net.set_outputs(net.outputs, labels=labels)
    return net


def from_matrices(
    weights: Sequence[Any],
    biases: Sequence[Any],
    neuron: type[Neuron] = SigmoidNeuron,
    output: type[Neuron] | type[SoftmaxLayer] | None = None,
) -> Network:
    r"""A fully connected layered network with the given weight matrices and bias vectors.

    Parameters
    ----------
    weights : sequence of array_like
        ``weights[i]`` is $w^{i+2}$, shape $(n_l, n_{l-1})$: row ``j`` holds the
        weights into neuron ``j`` of layer ``l = i + 2``.
    biases : sequence of array_like
        ``biases[i]`` has ``n_l`` entries (a column ``(n_l, 1)`` as network2.py keeps it is
        accepted).
    neuron, output
        As for [`layered`][].

    Returns
    -------
    Network
        Named like [`layered`][]'s networks.

    Examples
    --------
    >>> net = from_matrices([[[1.0, -1.0]]], [[0.5]])
    >>> net.weight("L1.2", "L2.1")
    -1.0
    """
    net = Network()
    n_in = np.shape(weights[0])[1] if len(weights) else 0
    previous: list[Any] = net.add_inputs([f"L1.{j}" for j in range(1, n_in + 1)])
    for layer, (w, b) in enumerate(zip(weights, biases), start=2):
        w = np.asarray(w, dtype=float)
        b = np.asarray(b, dtype=float).reshape(-1)
        if w.shape != (b.size, len(previous)):
            msg = (
                f"layer {layer}: expected weights of shape ({b.size}, {len(previous)}) "
                f"to match {b.size} biases and {len(previous)} inputs, got {w.shape}"
            )
            raise ShapeError(msg)
        kind = output if output is not None and layer == len(weights) + 1 else neuron
        if kind is SoftmaxLayer:
            units = net.add(SoftmaxLayer(b.size, b, name=f"L{layer}")).units
            for unit, row in zip(units, w.tolist()):
                for source, w_jk in zip(previous, row):
                    net.connect(source, unit, w_jk)
            previous = units
        else:
            make = cast("type[Neuron]", kind)
            previous = [
                net.add(make(bias=b_j, name=f"L{layer}.{j}"), inputs=dict(zip(previous, row)))
                for j, (b_j, row) in enumerate(zip(b.tolist(), w.tolist()), start=1)
            ]
    return net
