"""`Network`: neuron objects wired into one `networkx.DiGraph`, built neuron by neuron."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx
import numpy as np

from neurograph.errors import GraphError, UsageError
from neurograph.graph import passes, spec
from neurograph.graph.costs import Cost, get_cost
from neurograph.graph.digraph import closest, find_path, first_repeat
from neurograph.graph.neurons import Input, Neuron, SoftmaxLayer, SoftmaxUnit, _finite
from neurograph.graph.outputs import check_labels, choose_outputs
from neurograph.graph.plan import Plan
from neurograph.graph.text import shortlist
from neurograph.graph.training import Training
from neurograph.graph.types import Array, is_whole

if TYPE_CHECKING:
    from neurograph.fast.network import FastNetwork

__all__ = ["Network"]

NeuronLike = Neuron | SoftmaxLayer | str
#: What ``add`` takes and gives back, its type kept: ``net.add(ng.SigmoidNeuron())`` is one.
Added = TypeVar("Added", bound="Neuron | SoftmaxLayer")


class Network(Training):
    """A neural network as a DAG of neuron objects.

    ``net.graph`` is a real `networkx.DiGraph`: its nodes are the neuron objects and
    each edge ``k -> j`` carries ``"weight"`` (``w_jk``) and, after a backward pass,
    ``"grad"`` (``∂C/∂w_jk``). Any DAG is allowed: skip connections, sparse wiring, and
    outputs that also feed other neurons.

    Attributes
    ----------
    graph : networkx.DiGraph
    inputs : list of Input
    labels : list of str or None
        The outputs' class labels, shown everywhere (given to ``set_outputs``).
    meta : dict
        What a file keeps besides the network (training settings, standardization).
    forward_state : ForwardState or None
        What the latest forward pass leaves for the backward pass (the passes and the
        debugger's tape set it; None before a forward pass or after a change).

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.Network()
    >>> x1, x2 = net.add_inputs(2)
    >>> h = net.add(ng.SigmoidNeuron(bias=-1.0, name="h"), inputs={x1: 2.0, x2: 2.0})
    >>> net.forward([0.0, 1.0]).round(4).tolist()
    [0.7311]
    >>> net
    Network(inputs=['x1', 'x2'], neurons=1, edges=2, outputs=['h'])
    """

    def __init__(self) -> None:
        self.graph: nx.DiGraph = nx.DiGraph()
        self.inputs: list[Input] = []
        self.meta: dict[str, Any] = {}
        self._by_name: dict[str, Neuron | SoftmaxLayer] = {}
        self._order: list[Neuron | SoftmaxLayer] = []
        self._kinds: dict[type, int] = {}  # objects added per class, for fresh names
        self._outputs: list[Neuron] | None = None
        self.labels: list[str] | None = None
        self._version = 0
        self.forward_state: passes.ForwardState | None = None

    # -- building -------------------------------------------------------------------------
    def add_inputs(self, n: int | Sequence[str]) -> list[Input]:
        """Add input nodes, named ``x1, x2, …`` in input order unless names are given.

        Parameters
        ----------
        n : int or sequence of str
            How many inputs to add, or their names.

        Returns
        -------
        list of Input
        """
        names: list[str | None]
        if is_whole(n):
            names = [None] * int(n)
        elif isinstance(n, Sequence) and not isinstance(n, str):
            names = [str(name) for name in n]
        else:
            msg = f"add_inputs: expected a count or a list of names, got {n!r}"
            raise UsageError(msg)
        return [self.add(Input(name)) for name in names]

    def add(self, neuron: Added, inputs: Mapping[Any, float] | None = None) -> Added:
        """Add a neuron (or a [`SoftmaxLayer`][]) and optionally connect its inputs.

        Parameters
        ----------
        neuron : Neuron or SoftmaxLayer
            A new object: a neuron belongs to one network only.
        inputs : mapping, optional
            ``{source (neuron or name): weight}``, connected in this order.

        Returns
        -------
        Neuron or SoftmaxLayer
            The object given, now named and part of this network.

        Raises
        ------
        GraphError
            If the object is already in a network, or its name is taken.
        """
        if isinstance(neuron, SoftmaxUnit):
            msg = f"add the whole layer {neuron.layer!r}, not its unit {neuron.name!r}"
            raise UsageError(msg)
        if not isinstance(neuron, (Neuron, SoftmaxLayer)):
            msg = f"expected a Neuron or SoftmaxLayer to add, got {neuron!r}"
            raise UsageError(msg)
        members = neuron.units if isinstance(neuron, SoftmaxLayer) else [neuron]
        if any(m.network is not None for m in members):
            msg = f"{neuron!r} is already in a network; use a new object or net.copy()"
            raise GraphError(msg)
        if neuron.name is None:
            neuron.name = self._fresh_name(neuron)
        names = [neuron.name] + [m.name for m in members if m is not neuron]
        name = first_repeat(names, self._by_name)  # O(1) per name
        if name is not None:
            msg = f"duplicate name {name!r}: every neuron needs its own name"
            raise GraphError(msg)
        if isinstance(neuron, SoftmaxLayer) and inputs:
            msg = f"{neuron!r}: wire its units one by one, e.g. net.connect(h, layer[0], 0.5)"
            raise UsageError(msg)
        for member in members:
            member.network = self
            self.graph.add_node(member)
            self._by_name[str(member.name)] = member
        self._by_name[str(neuron.name)] = neuron
        self._order.append(neuron)
        self._kinds[type(neuron)] = self._kinds.get(type(neuron), 0) + 1
        if isinstance(neuron, Input):
            self.inputs.append(neuron)
        self._version += 1
        for source, weight in (inputs or {}).items():
            self.connect(source, neuron, weight)
        return neuron

    def connect(self, source: NeuronLike, target: NeuronLike, weight: float = 0.0) -> None:
        """Add the edge ``source -> target`` with weight $w_{jk}$ (j the target, k the source).

        Parameters
        ----------
        source, target : Neuron or str
            Neurons of this network (or their names).
        weight : float

        Raises
        ------
        GraphError
            If either end is not in this network, the edge exists, the target is an input,
            or the edge would close a cycle (the cycle is named).
        """
        src, dst = self.neuron(source), self.neuron(target)
        if isinstance(dst, Input):
            msg = f"cannot connect {src.name!r} -> {dst.name!r}: an Input takes no incoming edges"
            raise GraphError(msg)
        if self.graph.has_edge(src, dst):
            msg = (
                f"edge {src.name!r} -> {dst.name!r} already exists (weight "
                f"{self.weight(src, dst)}); change it with net.set_weight(...)"
            )
            raise GraphError(msg)
        w = _finite(weight, f"weight from {src.name!r}", dst.name)
        cycle = find_path(self.graph, dst, src)
        if cycle is not None:
            names = " -> ".join(repr(n.name) for n in [src, *cycle])
            msg = f"edge {src.name!r} -> {dst.name!r} would close the cycle {names}; "
            msg += "a network must be a DAG"
            raise GraphError(msg)
        self.graph.add_edge(src, dst, weight=w)
        self._version += 1

    def set_outputs(
        self, outputs: Iterable[NeuronLike], labels: Sequence[Any] | None = None
    ) -> None:
        """Choose the output neurons, in order; a SoftmaxLayer stands for all its units.

        Parameters
        ----------
        outputs : iterable of Neuron, SoftmaxLayer or str
        labels : sequence, optional
            One class label per output, in output order (MNIST: ``"0"`` … ``"9"``): ``net.labels``.

        Raises
        ------
        GraphError
            If an output is an input or listed twice, or none is given.
        UsageError
            If `labels` does not give one label per output neuron.

        Examples
        --------
        >>> import neurograph as ng; net = ng.layered([2, 2], seed=0)
        >>> net.set_outputs(["L2.1", "L2.2"], labels=["cat", "dog"]); net.labels
        ['cat', 'dog']
        """
        chosen = choose_outputs(self, outputs)
        self.labels = None if labels is None else check_labels(labels, len(chosen))
        self._outputs = chosen
        self._version += 1

    # -- looking things up ----------------------------------------------------------------
    @property
    def outputs(self) -> list[Neuron]:
        """Output neurons: as set by [`set_outputs`][], else the sinks in the order added."""
        if self._outputs is not None:
            return list(self._outputs)
        return [n for n in self.neurons if self.graph.out_degree(n) == 0]

    @property
    def neurons(self) -> list[Neuron]:
        """Every non-input neuron (softmax units included), in the order added."""
        found: list[Neuron] = []
        for item in self._order:
            if isinstance(item, SoftmaxLayer):
                found.extend(item.units)
            elif not isinstance(item, Input):
                found.append(item)
        return found

    def neuron(self, ref: NeuronLike) -> Neuron:
        """Return the neuron `ref` (a neuron of this network, or a name).

        Raises
        ------
        GraphError
            If there is no such neuron in this network (close names are suggested).
        """
        if isinstance(ref, str):
            found = self._by_name.get(ref)
            if isinstance(found, Neuron):
                return found
            if isinstance(found, SoftmaxLayer):
                msg = f"{ref!r} is a SoftmaxLayer; name one of its units, e.g. {ref + '.1'!r}"
                raise GraphError(msg)
            close = closest(self._by_name, ref)
            msg = f"no neuron named {ref!r} in this network; close names: {close}"
            raise GraphError(msg)
        if isinstance(ref, SoftmaxLayer):
            msg = f"{ref!r} is a layer; connect its units one by one, e.g. layer[0]"
            raise GraphError(msg)
        if not isinstance(ref, Neuron) or ref.network is not self:
            msg = f"{ref!r} is not in this network; add it first with net.add(...)"
            raise GraphError(msg)
        return ref

    def __getitem__(self, name: str) -> Any:
        """The neuron or SoftmaxLayer called `name`."""
        found = self._by_name.get(name) if isinstance(name, str) else None
        return found if found is not None else self.neuron(name)

    def get(self, name: str) -> Neuron | SoftmaxLayer | None:
        """The neuron or softmax layer named `name`, or None when there is none."""
        return self._by_name.get(name)

    def added(self) -> list[Neuron | SoftmaxLayer]:
        """The neurons and softmax layers, inputs included, in the order they were added."""
        return list(self._order)

    def weight(self, source: NeuronLike, target: NeuronLike) -> float:
        """The weight $w_{jk}$ of an existing edge k -> j (j the target, k the source)."""
        src, dst = self.neuron(source), self.neuron(target)
        if not self.graph.has_edge(src, dst):
            msg = f"there is no edge {src.name!r} -> {dst.name!r}"
            raise GraphError(msg)
        return float(self.graph.edges[src, dst]["weight"])

    def set_weight(self, source: NeuronLike, target: NeuronLike, weight: float) -> None:
        """Set the weight of an existing edge (the next forward pass uses it)."""
        src, dst = self.neuron(source), self.neuron(target)
        self.weight(src, dst)
        self.graph.edges[src, dst]["weight"] = _finite(weight, "weight", dst.name)

    @property
    def computed(self) -> str:
        """What the last passes left on the neurons: "nothing", "forward" or "backward"."""
        self.plan()  # a rewired network forgets its passes
        state = self.forward_state
        return "nothing" if state is None else "backward" if state.has_backward else "forward"

    def levels(self) -> list[list[Neuron]]:
        """Neurons by depth: the inputs, then each neuron one past its deepest input."""
        return self.plan().levels()

    def plan(self) -> Plan:
        """The passes' order, cached in ``graph.__networkx_cache__`` (emptied by any rewiring)."""
        version, plan = self.graph.__networkx_cache__.get("neurograph.plan", (None, None))
        if plan is None or version != self._version:
            plan = Plan(self)
            self.graph.__networkx_cache__["neurograph.plan"] = (self._version, plan)
            self.forward_state = None
        return plan

    # -- computing ------------------------------------------------------------------------
    def forward(self, x: Any) -> Array:
        """Run a forward pass; every neuron keeps its ``.z`` and ``.a``.

        Parameters
        ----------
        x : array_like, shape (n_inputs,) or (n_inputs, 1)
            One input vector (the book's column vectors are accepted too).

        Returns
        -------
        a : ndarray, shape (n_outputs,)
            The output activations.

        Raises
        ------
        ShapeError
            If `x` has the wrong length or contains NaN or inf.
        """
        for _ in passes.forward_events(self, x):
            pass
        return np.array([n.a for n in self.plan().outputs], dtype=float)

    def backward(self, y: Any, cost: Cost | str | None = None) -> float:
        """Run a backward pass after [`forward`][]: set every δ and gradient (BP1–BP4).

        Parameters
        ----------
        y : int or array_like, shape (n_outputs,)
            A class label (for several outputs) or the desired output vector.
        cost : Cost or a name ("cross-entropy", …), default QuadraticCost()

        Returns
        -------
        float
            The cost ``C`` of this example.

        Notes
        -----
        Sets each neuron's ``.delta``, ``.bias_grad`` and each edge's ``"grad"``; nothing
        accumulates (twice gives the same). It differentiates the latest forward pass.
        """
        value = float("nan")
        for event in passes.backward_events(self, y, get_cost(cost)):
            if isinstance(event, passes.CostEvent):
                value = event.value
        return value

    def gradients(self) -> dict[Any, float]:
        """All gradients after a backward pass.

        Returns
        -------
        dict
            ``{(source_name, target_name): ∂C/∂w, …, neuron_name: ∂C/∂b, …}``.
        """
        if self.computed != "backward":
            msg = "no gradients yet: run net.forward(x) and net.backward(y, cost) first"
            raise GraphError(msg)
        grads: dict[Any, float] = {}
        for src, dst, grad in self.graph.edges(data="grad"):
            grads[(src.name, dst.name)] = float(grad)
        for neuron in self.neurons:
            grads[neuron.name] = float(neuron.bias_grad)  # type: ignore[arg-type]
        return grads

    def compile(self, dtype: Any = np.float64) -> FastNetwork:
        """Compile into a [`FastNetwork`][neurograph.FastNetwork] of `dtype` (the NumPy engine).

        The one arrow from the graph engine up to the fast engine, written in `.importlinter`:
        compiling is part of a network's face (DESIGN.md), and the import stays inside this
        method, so ``import neurograph.graph`` loads no fast engine.
        """
        from neurograph.fast.network import FastNetwork

        return FastNetwork(self, dtype=dtype)

    def load_parameters(self, fast: FastNetwork) -> None:
        """Write a [`FastNetwork`][neurograph.FastNetwork]'s weights and biases into the objects.

        Parameters
        ----------
        fast : FastNetwork
            Compiled from this network (or from one with the same names and wiring).
        """
        fast.write_back(self)

    def to_dict(self) -> dict[str, Any]:
        """A plain description of the network (see `neurograph.graph.spec.to_dict()`)."""
        return spec.to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], kinds: Iterable[type[Neuron]] = ()) -> Network:
        """Build a network from [`to_dict`][]'s description (naming your own `kinds`)."""
        return spec.fill(cls(), data, kinds=kinds)

    def copy(self) -> Network:
        """A deep copy: new neuron objects with the same names, weights and biases."""
        return spec.copy(self, Network())

    def scaled(self, c: float) -> Network:
        """A copy with every weight and bias multiplied by `c` (exercises 1.1 and 1.2)."""
        return spec.copy(self, Network(), scale=_finite(c, "scale c", None))

    def sigmoidized(self) -> Network:
        """A copy in which each Perceptron is replaced by a SigmoidNeuron (exercise 1.2)."""
        return spec.copy(self, Network(), sigmoid=True)

    def __repr__(self) -> str:
        inputs, outputs = (shortlist(n.name for n in ns) for ns in (self.inputs, self.outputs))
        sizes = f"neurons={len(self.neurons)}, edges={self.graph.number_of_edges()}"
        return f"Network(inputs={inputs}, {sizes}, outputs={outputs})"

    def _fresh_name(self, item: Neuron | SoftmaxLayer) -> str:
        count = self._kinds.get(type(item), 0) + 1
        while f"{item.prefix}{count}" in self._by_name:
            count += 1
        return f"{item.prefix}{count}"
