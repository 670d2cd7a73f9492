r"""The graph engine's passes over a compiled network, one row per example (BP1–BP4 in batch).

These are the general passes of the fast engine: any DAG, sparse wiring through masks, softmax
layers anywhere, outputs that feed other neurons. They call the same activation functions and
costs as the graph engine ([`neurograph.neurons`][], [`neurograph.costs`][]), so each
equation is written once; [`neurograph.kernels`][] has the in-place training kernel for
layered networks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import GraphError, ShapeError
from neurograph.graph.costs import Cost, get_cost
from neurograph.graph.neurons import Neuron, SoftmaxUnit
from neurograph.graph.outputs import class_indices
from neurograph.graph.plan import backprop_refusal
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.fast.network import FastNetwork, Layer
    from neurograph.graph.plan import Plan

__all__ = [
    "Trace",
    "as_inputs",
    "as_targets",
    "backward",
    "check_backprop",
    "forward",
    "gradient_dict",
    "trace",
]

OutputGroup = tuple[Neuron, int, Array, Array]


@dataclass
class Trace:
    """Every neuron's values for a batch, by name: ``z``, ``a`` and ``delta``, each ``(n,)``.

    Inputs appear in ``a`` only; ``delta`` is empty when no targets were given.
    """

    z: dict[str, Array]
    a: dict[str, Array]
    delta: dict[str, Array]


def sources(fast: FastNetwork, a: list[Array], layer: Layer) -> Array:
    """The activations feeding `layer`, in the columns of its ``w``.

    Parameters
    ----------
    fast : FastNetwork
    a : list of ndarray
        The activations of the layers before, ``a[k - 1]`` for layer ``k``.
    layer : Layer

    Returns
    -------
    ndarray, shape (m, n_sources)
        The previous layer's own array when it feeds `layer` whole (no copy).
    """
    if len(layer.parts) == 1 and layer.parts[0][1] is None:
        return a[layer.parts[0][0] - 1]
    blocks = [a[k - 1] if c is None else a[k - 1][:, c] for k, c in layer.parts]
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((len(a[0]), 0), fast.dtype)


def forward(fast: FastNetwork, X: Array) -> tuple[list[Array], list[Array], list[Array]]:
    """Batched forward pass: ``z``, ``a`` and the source activations of every layer.

    Parameters
    ----------
    fast : FastNetwork
    X : ndarray, shape (m, n_inputs)
        In the network's dtype (see [`as_inputs`][]).

    Returns
    -------
    z, a, s : lists of ndarray
        Index ``l - 1`` holds layer ``l``, shape ``(m, n_l)`` (``s``: ``(m, n_sources)``);
        ``a[0]`` is `X`, and ``z[0]``, ``s[0]`` are empty.
    """
    a, z, s = [X], [X[:, :0]], [X[:, :0]]
    for layer in fast.layers.values():
        src = sources(fast, a, layer)
        z_l = src @ fast.w[layer.number].T + fast.b[layer.number]  # z = w a + b (eq. 25)
        a_l = np.empty_like(z_l)
        for kind, cols in layer.groups:  # a = f(z), by the neurons' own activation
            a_l[:, cols] = kind.activation(z_l[:, cols])
        z.append(z_l)
        a.append(a_l)
        s.append(src)
    return z, a, s


def outputs(fast: FastNetwork, a: list[Array]) -> Array:
    """The output activations, in the order of the outputs.

    Parameters
    ----------
    fast : FastNetwork
    a : list of ndarray
        Every layer's activations, from [`forward`][].

    Returns
    -------
    ndarray, shape (m, n_outputs)
    """
    if fast.layered:
        return a[-1]
    return np.stack([a[layer - 1][:, j] for layer, j in fast.out_cols], axis=1)


def backward(
    fast: FastNetwork, z: list[Array], a: list[Array], s: list[Array], Y: Array, cost: Cost
) -> tuple[list[Array], dict[int, Array], dict[int, Array]]:
    r"""Batched backward pass: every δ, and the gradients summed over the batch.

    Parameters
    ----------
    fast : FastNetwork
    z, a, s : lists of ndarray
        From [`forward`][].
    Y : ndarray, shape (m, n_outputs)
        Desired outputs.
    cost : Cost

    Returns
    -------
    delta : list of ndarray
        Index ``l - 1`` holds $\delta^l$, shape ``(m, n_l)`` (index 0 is empty).
    nabla_w, nabla_b : dict of int to ndarray
        $\sum_x \partial C_x / \partial w^l$ and $\sum_x \partial C_x / \partial b^l$,
        0 where there is no edge.

    Notes
    -----
    Nielsen, ch. 2, BP1–BP4, for any DAG as in [`neurograph.passes`][]: a neuron's error is
    its own output error (BP1, if it is an output) plus $f'(z_j) \sum_k w_{kj}
    \delta_k$ over the neurons it feeds (BP2), with the softmax Jacobian for softmax units
    (each kind's [`Neuron.chain`][neurograph.Neuron.chain]).
    """
    check_backprop(fast, cost)
    g = [np.zeros_like(a_l) for a_l in a]  # Σ_k w_kj δ_k, sent back by the layers fed
    direct = [np.zeros_like(a_l) for a_l in a]
    for kind, number, idx, where in fast.out_groups:
        i = number - 1  # (BP1) δ^L = ∇_a C ⊙ f'(z^L), or the cost's simplified a − y
        direct[i][:, idx] = cost.delta(kind, z[i][:, idx], a[i][:, idx], Y[:, where])
    delta: list[Array] = [a[0][:, :0]] * len(a)
    nabla_w: dict[int, Array] = {}
    nabla_b: dict[int, Array] = {}
    for layer in reversed(fast.layers.values()):
        i = layer.number - 1
        d = direct[i]
        for kind, cols in layer.groups:  # (BP2) δ = f'(z) ⊙ Σ_k w_kj δ_k (softmax: Jacobian)
            d[:, cols] += kind.chain(g[i][:, cols], z[i][:, cols], a[i][:, cols])
        delta[i] = d
        nabla_w[layer.number] = d.T @ s[i]  # (BP4) ∂C/∂w_jk = a_k δ_j
        if layer.mask is not None:
            nabla_w[layer.number] *= layer.mask
        nabla_b[layer.number] = d.sum(axis=0)  # (BP3) ∂C/∂b_j = δ_j
        back, start = d @ fast.w[layer.number], 0
        for k, c in layer.parts:
            width = fast.sizes[k - 1] if c is None else len(c)
            if k > 1 and c is None:
                g[k - 1] += back[:, start : start + width]
            elif k > 1:
                g[k - 1][:, c] += back[:, start : start + width]  # c holds distinct columns
            start += width
    return delta, nabla_w, nabla_b


def output_groups(plan: Plan, place: dict) -> tuple[list[OutputGroup], str | None]:
    """The blocks of outputs whose errors (BP1) are computed together, and any error found.

    Parameters
    ----------
    plan : Plan
    place : dict
        Each neuron -> ``(l, column)``: its layer and its column in that layer.

    Returns
    -------
    groups : list of (Neuron, int, ndarray, ndarray)
        ``(kind, l, columns of layer l, positions among the outputs)``, where `kind` is one
        of the neurons, standing for its class. The outputs of one class in one layer form
        one block (their output errors are elementwise); each softmax layer is a block.
    error : str or None
        Why the outputs cannot be differentiated (part of a softmax layer); raised by
        [`check_backprop`][], so that a forward pass still works.
    """
    try:
        blocks = plan.output_groups()
    except GraphError as err:
        return [], str(err)
    merged: dict[Any, tuple[Neuron, int, list[int], list[int]]] = {}
    for neurons, where in blocks:
        kind = neurons[0]
        layer = place[kind][0]
        owner = kind.layer if isinstance(kind, SoftmaxUnit) else type(kind)
        group = merged.setdefault((owner, layer), (kind, layer, [], []))
        group[2].extend(place[n][1] for n in neurons)
        group[3].extend(where)
    return [
        (kind, layer, np.array(c, dtype=np.intp), np.array(p, dtype=np.intp))
        for kind, layer, c, p in merged.values()
    ], None


def check_backprop(fast: FastNetwork, cost: Cost) -> None:
    """Refuse what the graph engine refuses: perceptrons, log-likelihood without softmax, and
    a cost of probabilities on outputs that are not (tanh, ReLU).

    Raises
    ------
    GraphError
    """
    refusal = backprop_refusal(cost, fast.perceptron, fast.out_error, fast.output_neurons)
    if refusal is not None:
        raise GraphError(refusal)


def as_inputs(fast: FastNetwork, X: Any) -> Array:
    """`X` as a 2-D array in the network's dtype, checked: ``(n, n_inputs)``, finite.

    Raises
    ------
    ShapeError
    """
    X = np.asarray(X)
    n_in = len(fast.inputs)
    if X.ndim == 1 and X.shape == (n_in,):
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != n_in or X.dtype.kind not in "fiub":
        msg = f"expected inputs of shape (n, {n_in}), one example per row; got {X.shape}"
        raise ShapeError(msg)
    X = X.astype(fast.dtype, copy=False)
    if not np.all(np.isfinite(X)):
        msg = "the inputs contain NaN or inf; inputs must be finite"
        raise ShapeError(msg)
    return X


def as_targets(fast: FastNetwork, y: Any, cost: Cost, n: int) -> Array:
    """Labels ``(n,)`` as one-hot targets, or targets ``(n, n_outputs)``, checked.

    Parameters
    ----------
    fast : FastNetwork
    y : array_like
        Class labels ``(n,)`` (ints, or whole floats as a text file gives them) when there are
        several outputs; else targets.
    cost : Cost
        Cross-entropy and log-likelihood targets must lie in [0, 1].
    n : int
        The number of examples they go with.

    Returns
    -------
    ndarray, shape (n, n_outputs)

    Raises
    ------
    ShapeError
        For a label outside ``0 … n_outputs - 1``, a wrong shape or count, or NaN or inf.
    """
    y = np.asarray(y)
    n_out = len(fast.outputs)
    if y.ndim == 1 and y.dtype.kind in "iuf" and n_out > 1:  # labels, whole floats too
        Y = np.zeros((len(y), n_out), dtype=fast.dtype)
        Y[np.arange(len(y)), class_indices(y, n_out)] = 1.0
    else:
        if y.ndim == 1 and n_out == 1:
            y = y[:, None]
        if y.dtype.kind not in "fiub" or y.ndim != 2 or y.shape[1] != n_out:
            msg = f"expected labels (n,) or targets (n, {n_out}); got shape {y.shape} of {y.dtype}"
            raise ShapeError(msg)
        Y = y.astype(fast.dtype)
        cost.check_targets(Y)
    if len(Y) != n:
        msg = f"{n} examples but {len(Y)} labels or targets; the counts must agree"
        raise ShapeError(msg)
    return Y


def gradient_dict(
    fast: FastNetwork, nabla_w: dict[int, Array], nabla_b: dict[int, Array]
) -> dict[Any, float]:
    """Gradients keyed like [`Network.gradients`][].

    Parameters
    ----------
    fast : FastNetwork
    nabla_w, nabla_b : dict of int to ndarray
        Shaped like ``fast.w`` and ``fast.b``.

    Returns
    -------
    dict
        ``{(source_name, target_name): ∂C/∂w, …, neuron_name: ∂C/∂b, …}``, edges that exist only.
    """
    grads: dict[Any, float] = {}
    for layer in fast.layers.values():
        gw, gb = nabla_w[layer.number], nabla_b[layer.number]
        for j, name in enumerate(layer.names):
            for i, source in enumerate(layer.sources):
                if layer.mask is None or layer.mask[j, i]:
                    grads[(source, name)] = float(gw[j, i])
            grads[name] = float(gb[j])
    return grads


def trace(fast: FastNetwork, X: Any, y: Any = None, cost: Any = None) -> Trace:
    """Every neuron's ``z``, ``a`` and (given `y`) ``δ`` for a batch, by name.

    Parameters
    ----------
    fast : FastNetwork
    X : array_like, shape (m, n_inputs)
    y : array_like, optional
        Labels or targets; without them there is no backward pass.
    cost : Cost or str, default QuadraticCost()

    Returns
    -------
    Trace
    """
    X = as_inputs(fast, X)
    z, a, s = forward(fast, X)
    result = Trace({}, {n: X[:, i] for i, n in enumerate(fast.inputs)}, {})
    delta = None
    if y is not None:
        cost = get_cost(cost)
        delta = backward(fast, z, a, s, as_targets(fast, y, cost, len(X)), cost)[0]
    for layer in fast.layers.values():
        for j, name in enumerate(layer.names):
            result.z[name] = z[layer.number - 1][:, j]
            result.a[name] = a[layer.number - 1][:, j]
            if delta is not None:
                result.delta[name] = delta[layer.number - 1][:, j]
    return result
