r"""The fast engine: a network compiled to one dense weight block per level, run in batches.

``net.compile()`` reads the object graph once and returns a [`FastNetwork`][]. The neurons at
depth ``l - 1`` of the graph form layer ``l`` (the input layer is ``l = 1``, as in the book) and
``w[l]`` holds the weights into layer ``l`` from every neuron that feeds it, with zeros (and a
``mask``) where the graph has no edge. The graph engine's equations then run on whole batches,
one row per example: the book's "fully matrix-based" backpropagation (Nielsen, ch. 2). The
in-place training kernel is in [`neurograph.kernels`][], the SGD loop in [`neurograph.train`][].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import GraphError, ShapeError, UsageError
from neurograph.fast import batched, kernels
from neurograph.fast.batched import Trace
from neurograph.fast.sgd import sgd as train_sgd
from neurograph.graph.costs import get_cost
from neurograph.graph.neurons import Neuron, SoftmaxUnit
from neurograph.graph.plan import probability_refusal
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["FastNetwork", "Layer", "Trace"]

CHUNK = 2000  # rows per pass when evaluating a large data set, to bound memory
Part = tuple[int, Any]  # (k, columns of layer k, or None for all of them in order)


#: Sparse wiring may take this many entries of dense matrices, however few its edges.
MAX_DENSE = 10**7


def check_dense_size(net: Network, levels: list[list[Any]]) -> None:
    """Refuse wiring whose dense matrices would dwarf its edges, before they are allocated.

    The fast engine stores each level as a matrix of its neurons by their sources, so sparse
    wiring across wide levels (12,000 neurons fed by 12,000 others through one edge each)
    would take gigabytes for a file of a megabyte. Memory stays in proportion to the edges:
    at most ``MAX_DENSE`` entries, or 100 per edge.

    Raises
    ------
    GraphError
        Naming the entries needed, the edges and what to do.
    """
    dense = 0
    for level in levels[1:]:
        sources = {k for neuron in level for k in net.graph.pred[neuron]}
        dense += len(level) * len(sources)
    edges = net.graph.number_of_edges()
    if dense > max(MAX_DENSE, 100 * edges):
        msg = (
            f"compile: the fast engine would store {dense:,} weights (dense matrices, one per "
            f"level) for {edges:,} edges; wiring this sparse across levels this wide is not "
            "what it is for: use the graph engine (net.forward, net.backward, net.sgd)"
        )
        raise GraphError(msg)


@dataclass
class Layer:
    """One level of a compiled network: the neurons at one depth and the block feeding them.

    Attributes
    ----------
    number : int
        ``l`` in the book's numbering (the input layer is 1), so 2 or more.
    names : list of str
        Its neurons, in column order.
    groups : list of (Neuron, slice)
        Runs of columns computed together: neurons of one class, or the units of one
        [`SoftmaxLayer`][neurograph.SoftmaxLayer]; the first neuron of the run stands for
        them (its ``activation`` and ``chain`` are applied to the whole run).
    sources : list of str
        The neurons feeding the layer: the columns of ``w[l]``.
    parts : list of (int, ndarray or None)
        Where the sources come from, in order: ``(k, columns of layer k)``; None takes all of
        layer ``k`` in order.
    mask : ndarray of bool, shape (n_l, n_sources), or None
        Where an edge exists; None when every source feeds every neuron of the layer.
    """

    number: int
    names: list[str]
    groups: list[tuple[Neuron, slice]]
    sources: list[str]
    parts: list[Part]
    mask: Array | None

    @property
    def dense_chain(self) -> bool:
        """Fed by all of the previous layer, every edge present: one plain matrix product."""
        if self.mask is not None or len(self.parts) != 1:
            return False
        return self.parts[0][0] == self.number - 1 and self.parts[0][1] is None


class FastNetwork:
    r"""A network compiled to NumPy arrays: batched feedforward, backpropagation and SGD.

    Made by [`Network.compile`][]. It holds its own copy of the parameters, which training
    changes; [`write_back`][] (or [`Network.load_parameters`][]) puts them into the objects.

    Parameters
    ----------
    net : Network
        Any network the graph engine accepts.
    dtype : {numpy.float64, numpy.float32}
        float64 agrees with the graph engine to 1e-12; float32 trains faster.

    Attributes
    ----------
    w, b : dict of int to ndarray
        ``w[l]``, shape ``(n_l, n_sources)``, and ``b[l]``, shape ``(n_l,)``, for
        ``l = 2 … L``. Absent edges are 0 in ``w[l]`` and stay 0 through training. They
        are views of ``flat``: change them in place (``fast.w[2][...] = …``).
    flat : ndarray
        Every weight then every bias, in one array, so that an SGD step is one update.
    layers : dict of int to Layer
        ``layers[l]`` for ``l = 2 … L``, numbered as ``w[l]`` and the neurons ``L{l}.*``.
    sizes : list of int
        Neurons per layer, the input layer first, like the book's ``sizes``.
    layered : bool
        True for a fully connected chain of layers, each of one kind (sigmoid, tanh, ReLU, …),
        ending in any kind or a softmax layer: training then runs the preallocated in-place
        kernel.

    Examples
    --------
    >>> import numpy as np, neurograph as ng
    >>> fast = ng.layered([2, 3, 1], seed=0).compile()
    >>> fast
    FastNetwork(sizes=[2, 3, 1], layered=True, dtype=float64)
    >>> fast.feedforward(np.array([[0.0, 1.0], [1.0, 0.0]])).shape
    (2, 1)
    """

    def __init__(self, net: Network, dtype: Any = np.float64) -> None:
        if np.dtype(dtype) not in (np.dtype(np.float64), np.dtype(np.float32)):
            msg = f"compile: dtype must be numpy.float64 or numpy.float32, got {dtype!r}"
            raise UsageError(msg)
        self.dtype = np.dtype(dtype)
        if not net.neurons:
            msg = "compile: the network has no neurons besides its inputs; add some first"
            raise GraphError(msg)
        plan = net.plan()
        levels = [list(level) for level in plan.levels()]
        if len(levels) > 1 and set(levels[-1]) == set(plan.outputs):
            levels[-1] = list(plan.outputs)  # the last layer in the order of the outputs
        check_dense_size(net, levels)
        place = {n: (k, j) for k, level in enumerate(levels, start=1) for j, n in enumerate(level)}
        self.inputs = [str(n.name) for n in plan.inputs]
        self.outputs = [str(n.name) for n in plan.outputs]
        self.sizes = [len(level) for level in levels]
        self.layers: dict[int, Layer] = {}
        self.w: dict[int, Array] = {}
        self.b: dict[int, Array] = {}
        self.flat: Array | None = None  # every weight and bias; w[l] and b[l] are views of it
        for number, level in enumerate(levels[1:], start=2):
            self._add_layer(net, number, level, place)
        self.perceptron = next((n for n in plan.nodes if not n.differentiable), None)
        self.output_neurons = list(plan.outputs)
        self.out_groups, self.out_error = batched.output_groups(plan, place)
        self.out_cols = [place[n] for n in plan.outputs]
        self.layered = self._is_layered()
        kernels.flat_parameters(self)

    def _is_layered(self) -> bool:
        """A chain of fully connected layers of one kind each (softmax only as the last), whose
        last layer is the outputs, in order."""
        if len(self.out_groups) != 1 or not self.layers:
            return False
        kind, number, columns, where = self.out_groups[0]
        layers = list(self.layers.values())
        whole = list(range(self.sizes[-1]))
        return (
            all(layer.dense_chain and len(layer.groups) == 1 for layer in layers)
            and not any(isinstance(layer.groups[0][0], SoftmaxUnit) for layer in layers[:-1])
            and number == len(self.sizes)
            and columns.tolist() == whole == where.tolist()
        )

    def _add_layer(self, net: Network, number: int, level: list[Any], place: dict) -> None:
        groups: list[tuple[Neuron, slice]] = []
        owners: list[Any] = []
        for j, neuron in enumerate(level):  # runs of one class (or of one softmax layer)
            owner = neuron.layer if isinstance(neuron, SoftmaxUnit) else type(neuron)
            if owners and owner == owners[-1]:
                groups[-1] = (groups[-1][0], slice(groups[-1][1].start, j + 1))
            else:
                groups.append((neuron, slice(j, j + 1)))
            owners.append(owner)
        preds = [list(net.graph.pred[n].items()) for n in level]
        sources = sorted({k for p in preds for k, _ in p}, key=place.__getitem__)
        column = {k: i for i, k in enumerate(sources)}
        w = np.zeros((len(level), len(sources)), dtype=self.dtype)
        mask = np.zeros(w.shape, dtype=bool)
        for j, p in enumerate(preds):
            for k, data in p:
                w[j, column[k]] = data["weight"]
                mask[j, column[k]] = True
        cols: dict[int, list[int]] = {}
        for k in sources:
            cols.setdefault(place[k][0], []).append(place[k][1])
        parts: list[Part] = [
            (k, None if c == list(range(self.sizes[k - 1])) else np.array(c, dtype=np.intp))
            for k, c in cols.items()
        ]
        names = [str(n.name) for n in level]
        source_names = [str(k.name) for k in sources]
        layer = Layer(number, names, groups, source_names, parts, None if mask.all() else mask)
        self.layers[number] = layer
        self.w[number] = w
        self.b[number] = np.array([n.bias for n in level], dtype=self.dtype)

    # -- the public calls, on data sets ----------------------------------------------------
    def feedforward(self, X: Any) -> Array:
        """The output activations for a batch of inputs.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
            One example per row.

        Returns
        -------
        ndarray, shape (n, n_outputs)
            In the network's dtype.
        """
        X = batched.as_inputs(self, X)
        parts = [
            batched.outputs(self, batched.forward(self, X[k : k + CHUNK])[1])
            for k in range(0, len(X), CHUNK)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.outputs)), self.dtype)

    def predict(self, X: Any) -> np.ndarray:
        """The predicted class of each example: the index of the largest output.

        A network with a single output predicts 1 where its output exceeds 0.5, else 0.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)

        Returns
        -------
        ndarray of int64, shape (n,)
        """
        out = self.feedforward(X)
        if out.shape[1] == 1:
            return (out[:, 0] > 0.5).astype(np.int64)
        return np.argmax(out, axis=1).astype(np.int64)

    def accuracy(self, data: tuple[Any, Any]) -> float:
        """The fraction of examples classified correctly.

        Parameters
        ----------
        data : (X, y)
            ``y`` holds labels ``(n,)``, or targets ``(n, n_outputs)`` whose argmax is the
            class (the book's ``convert=True``).

        Returns
        -------
        float
            Between 0 and 1 (the book's ``accuracy`` counts instead).
        """
        X, y = data
        y = np.asarray(y)
        labels = np.argmax(y, axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1)
        if len(labels) == 0:
            msg = "accuracy: the data set is empty"
            raise ShapeError(msg)
        return float(np.mean(self.predict(X) == labels))

    def total_cost(self, data: tuple[Any, Any], cost: Any = None, lmbda: float = 0.0) -> float:
        r"""The mean cost over a data set, plus the L2 term $\frac{\lambda}{2n}\sum w^2$.

        Parameters
        ----------
        data : (X, y)
            Labels or targets, as for [`backprop`][].
        cost : Cost or str, default QuadraticCost()
        lmbda : float
            The L2 strength λ; ``n`` is the size of `data`, as in the book's network2.py.

        Returns
        -------
        float
            Computed in float64 (activations recomputed from ``z`` with the shared functions).
        """
        cost = get_cost(cost)
        refusal = probability_refusal(cost, self.output_neurons)
        if refusal is not None:
            raise GraphError(refusal)
        X, Y = (
            batched.as_inputs(self, data[0]),
            batched.as_targets(self, data[1], cost, len(data[0])),
        )
        if len(X) == 0:
            msg = "total_cost: the data set is empty"
            raise ShapeError(msg)
        total = 0.0
        for k in range(0, len(X), CHUNK):
            z, a, _ = batched.forward(self, X[k : k + CHUNK])
            for kind, layer, cols, where in self.out_groups:  # from z, in float64
                z_out = z[layer - 1][:, cols].astype(np.float64)
                a_out = kind.activation(z_out)
                y_out = Y[k : k + CHUNK][:, where]
                total += float(np.sum(cost.value(kind, z_out, a_out, y_out)))  # Cost.value
        squares = sum(float(np.sum(np.square(w, dtype=np.float64))) for w in self.w.values())
        return total / len(X) + 0.5 * (lmbda / len(X)) * squares

    def backprop(
        self, X: Any, y: Any, cost: Any = None
    ) -> tuple[dict[int, Array], dict[int, Array]]:
        r"""Gradients of the cost, averaged over a batch, by backpropagation (BP1–BP4).

        Parameters
        ----------
        X : array_like, shape (m, n_inputs)
        y : array_like
            Labels ``(m,)`` (for several outputs) or targets ``(m, n_outputs)``.
        cost : Cost or str, default QuadraticCost()

        Returns
        -------
        nabla_w : dict of int to ndarray
            Shaped like ``w``.
        nabla_b : dict of int to ndarray
            Shaped like ``w`` and ``b``: the **mean** over the batch of the per-example
            gradients (with one row, the book's ``backprop(x, y)``). Absent edges get 0.

        Raises
        ------
        GraphError
            For a perceptron, or a log-likelihood cost without softmax outputs.
        """
        cost = get_cost(cost)
        X = batched.as_inputs(self, X)
        Y = batched.as_targets(self, y, cost, len(X))
        _, nabla_w, nabla_b = batched.backward(self, *batched.forward(self, X), Y, cost)
        m = max(len(X), 1)
        return {k: g / m for k, g in nabla_w.items()}, {k: g / m for k, g in nabla_b.items()}

    def gradients(self, X: Any, y: Any, cost: Any = None) -> dict[Any, float]:
        """Mean gradients over a batch, keyed like [`Network.gradients`][].

        Returns
        -------
        dict
            ``{(source_name, target_name): ∂C/∂w, …, neuron_name: ∂C/∂b, …}``.
        """
        return batched.gradient_dict(self, *self.backprop(X, y, cost))

    def trace(self, X: Any, y: Any = None, cost: Any = None) -> Trace:
        """Every neuron's ``z``, ``a`` and (given targets) ``δ`` for a batch, by name.

        Parameters
        ----------
        X : array_like, shape (m, n_inputs)
        y : array_like, optional
            Labels or targets; without them there is no backward pass.
        cost : Cost or str, default QuadraticCost()

        Returns
        -------
        Trace
        """
        return batched.trace(self, X, y, cost)

    # Training: fast.sgd(training_data, epochs, mini_batch_size, eta, *, lmbda=0.0, ...) is
    # neurograph.train.sgd with this network as its first argument (same signature and docs).
    sgd = train_sgd

    # -- back into the objects -------------------------------------------------------------
    def write_back(self, net: Network) -> None:
        """Write the weights and biases into the neuron objects and edges of `net`.

        Parameters
        ----------
        net : Network
            The network compiled, or one with the same names and wiring.

        Raises
        ------
        GraphError
            If `net` lacks a neuron or an edge, or has an edge the compiled network lacks.
        ShapeError
            If a parameter is NaN or inf (nothing is written then).
        """
        if not all(np.all(np.isfinite(p)) for p in [*self.w.values(), *self.b.values()]):
            msg = "refusing to write back NaN or inf parameters (did training diverge?)"
            raise ShapeError(msg)
        updates = []
        for layer in self.layers.values():
            w, b = self.w[layer.number].tolist(), self.b[layer.number].tolist()
            sources = [net.neuron(name) for name in layer.sources]
            for j, name in enumerate(layer.names):
                neuron = net.neuron(name)
                pred = net.graph.pred[neuron]
                present = [i for i in range(len(sources)) if layer.mask is None or layer.mask[j, i]]
                if len(pred) != len(present) or any(sources[i] not in pred for i in present):
                    msg = f"neuron {name!r} is wired differently from the compiled network"
                    raise GraphError(msg)
                updates.append((neuron, b[j], [(pred[sources[i]], w[j][i]) for i in present]))
        for neuron, bias, edges in updates:
            neuron.bias = float(bias)
            for data, weight in edges:
                data["weight"] = float(weight)

    def __repr__(self) -> str:
        return f"FastNetwork(sizes={self.sizes}, layered={self.layered}, dtype={self.dtype})"
