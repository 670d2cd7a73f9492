r"""The forward and backward passes of the graph engine, as generators of one event per neuron.

``Network.forward`` and ``Network.backward`` run these generators to the end; the
:class:`~neurograph.Debugger` steps through the very same ones. Backpropagation is written
once, here, for any DAG (Nielsen, ch. 2, BP1–BP4):

* (BP1) output error :math:`\delta_j = \partial C/\partial a_j \cdot \sigma'(z_j)` (cost);
* (BP2) :math:`\delta_j = \sigma'(z_j) \sum_k w_{kj} \delta_k` over the neurons ``k`` fed by ``j``;
* (BP3) :math:`\partial C/\partial b_j = \delta_j`;
* (BP4) :math:`\partial C/\partial w_{jk} = a_k \delta_j`.

A neuron that is an output *and* feeds others gets both terms. The units of a softmax layer
are computed together, and their errors use the softmax Jacobian instead of σ'.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import repeat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from ._types import Array
from .costs import Cost, LogLikelihoodCost
from .errors import GraphError, ShapeError
from .events import BackwardEvent, CostEvent, ForwardEvent
from .neurons import (
    Input,
    Neuron,
    Perceptron,
    SoftmaxLayer,
    SoftmaxUnit,
    sigmoid_prime,
    softmax_vjp,
)

if TYPE_CHECKING:
    from .graph import Network

__all__ = [
    "BackwardEvent",
    "CostEvent",
    "ForwardEvent",
    "ForwardState",
    "Plan",
    "backward_events",
    "forward_events",
    "target_vector",
]

Event = ForwardEvent | CostEvent | BackwardEvent


class Plan:
    """The order in which the passes visit the neurons, and each neuron's wiring.

    Inputs come first, in input order; then every other neuron in a topological order (ties
    broken by the order added), the units of a softmax layer side by side.

    Attributes
    ----------
    nodes : list of Neuron
        Every node; ``index[n]`` is its position.
    steps : list of list of Neuron
        Non-input neurons in evaluation order: one neuron, or all units of a softmax layer.
    sources, edges, src_idx
        Per node index: incoming neurons, their edge data dicts and their indices.
    succ : dict
        Per node index: ``(k, pos)`` for each neuron ``k`` it feeds (``pos`` is its place
        among ``k``'s sources).
    """

    def __init__(self, net: Network, key: tuple[int, int]) -> None:
        self.key = key
        graph = net.graph
        owner = {n: (n.layer if isinstance(n, SoftmaxUnit) else n) for n in graph}
        rank = {item: i for i, item in enumerate(net._order)}
        condensed = nx.DiGraph()
        condensed.add_nodes_from(rank)
        condensed.add_edges_from((owner[s], owner[t]) for s, t in graph.edges)
        try:
            order = list(nx.lexicographical_topological_sort(condensed, key=rank.__getitem__))
        except nx.NetworkXUnfeasible as err:
            cycle = nx.find_cycle(condensed)
            names = " -> ".join(repr(item.name) for item, _ in cycle) + f" -> {cycle[0][0].name!r}"
            msg = f"the network has the cycle {names}; a network must be a DAG"
            raise GraphError(msg) from err
        self.inputs: list[Input] = list(net.inputs)
        self.steps: list[list[Neuron]] = [
            list(item.units) if isinstance(item, SoftmaxLayer) else [item]
            for item in order
            if not isinstance(item, Input)
        ]
        self.nodes: list[Neuron] = self.inputs + [n for step in self.steps for n in step]
        self.index = {n: i for i, n in enumerate(self.nodes)}
        self.sources: dict[int, list[Neuron]] = {}
        self.edges: dict[int, list[dict[str, Any]]] = {}
        self.src_idx: dict[int, np.ndarray] = {}
        self.succ: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(self.nodes))}
        for step in self.steps:
            for neuron in step:
                j = self.index[neuron]
                preds = graph.pred[neuron]
                self.sources[j] = list(preds)
                self.edges[j] = [preds[k] for k in preds]
                self.src_idx[j] = np.array([self.index[k] for k in preds], dtype=np.intp)
                for pos, k in enumerate(preds):
                    self.succ[self.index[k]].append((j, pos))
        self.outputs: list[Neuron] = net.outputs
        self.out_idx = np.array([self.index[n] for n in self.outputs], dtype=np.intp)
        self.perceptrons = [n for n in self.nodes if isinstance(n, Perceptron)]
        self.graph = graph
        self.w: dict[int, Array] = {}
        self.w_version = -1

    def weights(self) -> dict[int, Array]:
        """Each neuron's incoming weights as an array, read again after any weight changed.

        The graph counts every change to an edge's attributes (see
        :class:`~neurograph.digraph.NeuronGraph`), so the arrays always equal the weights on
        the edges; a new dict is made on each read, so earlier passes keep theirs.
        """
        if self.w_version != self.graph.weight_changes:
            self.w = {j: _read_weights(self.nodes[j], edges) for j, edges in self.edges.items()}
            self.w_version = self.graph.weight_changes
        return self.w

    def levels(self) -> list[list[Neuron]]:
        """Neurons grouped by depth (inputs at depth 0; softmax units share a depth)."""
        depth = {i: 0 for i in range(len(self.inputs))}
        for step in self.steps:
            idx = [self.index[n] for n in step]
            d = 1 + max((depth[int(k)] for j in idx for k in self.src_idx[j]), default=0)
            depth.update((j, d) for j in idx)
        levels: list[list[Neuron]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
        for i, d in depth.items():
            levels[d].append(self.nodes[i])
        return levels

    def output_groups(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``(kind, node indices, positions among the outputs)`` for each block of outputs.

        A sigmoid (or perceptron) output is a block of one; a softmax layer's units form one
        block, and all of them must be outputs.
        """
        groups: list[tuple[str, np.ndarray, np.ndarray]] = []
        seen: set[int] = set()
        for pos, neuron in enumerate(self.outputs):
            if isinstance(neuron, SoftmaxUnit):
                if id(neuron.layer) in seen:
                    continue
                seen.add(id(neuron.layer))
                missing = [u.name for u in neuron.layer.units if u not in self.outputs]
                if missing:
                    msg = (
                        f"outputs include {neuron.name!r} but not {missing} of the same "
                        f"SoftmaxLayer; use net.set_outputs([..., layer]) to take all its units"
                    )
                    raise GraphError(msg)
                units = neuron.layer.units
                idx = np.array([self.index[u] for u in units], dtype=np.intp)
                where = np.array([self.outputs.index(u) for u in units], dtype=np.intp)
                groups.append(("softmax", idx, where))
            else:
                groups.append(("sigmoid", self.out_idx[pos : pos + 1], np.array([pos])))
        return groups


@dataclass
class ForwardState:
    """What a forward pass leaves behind for the backward pass: values by node index."""

    plan: Plan
    x: Array
    z: Array
    a: Array
    w: dict[int, Array] = field(default_factory=dict)
    has_backward: bool = False


def input_vector(plan: Plan, x: Any) -> Array:
    """Check one input vector and return it as a 1-D float array (column vectors accepted)."""
    n_in = len(plan.inputs)
    try:
        x = np.array(x, dtype=float)
    except (TypeError, ValueError) as err:
        msg = f"expected an input vector of {n_in} numbers, got {x!r:.80}"
        raise ShapeError(msg) from err
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.shape != (n_in,):
        msg = f"expected an input vector of {n_in} values (one per input), got shape {x.shape}"
        raise ShapeError(msg)
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        i = int(bad[0])
        msg = f"input {plan.inputs[i].name!r} (position {i}) is {x[i]}; inputs must be finite"
        raise ShapeError(msg)
    return x


def forward_events(net: Network, x: Any) -> Iterator[ForwardEvent]:
    """Run a forward pass, yielding one :class:`ForwardEvent` per non-input neuron.

    Parameters
    ----------
    net : Network
    x : array_like, shape (n_inputs,)

    Yields
    ------
    ForwardEvent
        In evaluation order; every neuron's ``.z`` and ``.a`` are set when its event comes.
    """
    plan = net.plan()
    x = input_vector(plan, x)
    n = len(plan.nodes)
    state = ForwardState(plan, x, np.zeros(n), np.zeros(n), plan.weights())
    state.a[: len(x)] = x
    for node, value in zip(plan.inputs, x.tolist()):
        node.a = value
    net._state = None
    for step in plan.steps:
        idx = [plan.index[neuron] for neuron in step]
        for neuron, j in zip(step, idx):
            state.z[j] = float(state.w[j] @ state.a[plan.src_idx[j]]) + neuron.bias
        # (eq. 3 / eq. 78) a = σ(z), step(z) or softmax over the whole layer
        a = step[0].activation(state.z[idx])
        state.a[idx] = a
        for neuron, j, value in zip(step, idx, a.tolist()):
            neuron.z, neuron.a = float(state.z[j]), value
        for neuron, j in zip(step, idx):
            a_in = state.a[plan.src_idx[j]]
            z_j, a_j = float(state.z[j]), float(state.a[j])
            yield ForwardEvent(neuron, plan.sources[j], state.w[j], a_in, neuron.bias, z_j, a_j)
    net._state = state


def target_vector(plan: Plan, y: Any, cost: Cost) -> Array:
    """Turn a label or a target into the desired output vector, checking it.

    Parameters
    ----------
    plan : Plan
    y : int or array_like
        A class label in ``range(n_outputs)`` when there are several outputs; else the
        desired output vector (a single output also takes a plain number).
    cost : Cost
        Cross-entropy and log-likelihood targets must lie in [0, 1].

    Returns
    -------
    ndarray, shape (n_outputs,)
    """
    n_out = len(plan.outputs)
    is_label = isinstance(y, (int, np.integer)) and not isinstance(y, bool) and n_out > 1
    if is_label:
        if not 0 <= y < n_out:
            msg = f"label {y} is out of range: {n_out} outputs take labels 0..{n_out - 1}"
            raise ShapeError(msg)
        target = np.zeros(n_out)
        target[y] = 1.0
        return target
    try:
        target = np.array(y, dtype=float).reshape(-1) if np.ndim(y) <= 2 else np.array(None)
    except (TypeError, ValueError) as err:
        msg = f"expected a label or a target of {n_out} numbers, got {y!r:.80}"
        raise ShapeError(msg) from err
    if target.shape != (n_out,) or np.ndim(y) == 2 and np.shape(y)[1] != 1:
        msg = f"expected a target of shape ({n_out},) or a label, got shape {np.shape(y)}"
        raise ShapeError(msg)
    if not np.all(np.isfinite(target)):
        msg = f"the target contains NaN or inf: {target.tolist()}"
        raise ShapeError(msg)
    if cost.name != "QuadraticCost" and (np.any(target < 0) or np.any(target > 1)):
        msg = f"{cost.name} expects targets in [0, 1], got {target.tolist()}"
        raise ShapeError(msg)
    return target


def backward_events(net: Network, y: Any, cost: Cost) -> Iterator[CostEvent | BackwardEvent]:
    """Run a backward pass after a forward pass, yielding the cost, then one event per neuron.

    Parameters
    ----------
    net : Network
    y : int or array_like
        See :func:`target_vector`.
    cost : Cost

    Yields
    ------
    CostEvent
        First: the cost and the output error (BP1).
    BackwardEvent
        Then one per non-input neuron, in reverse evaluation order, with its δ (BP2) and
        gradients (BP3, BP4) already stored on the neuron and its incoming edges.
    """
    state = net._state
    if state is None or state.plan is not net.plan():
        msg = "no forward pass to differentiate: run net.forward(x) first (after any rewiring)"
        raise GraphError(msg)
    plan = state.plan
    if plan.perceptrons:
        p = plan.perceptrons[0]
        msg = (
            f"Perceptron {p.name!r} has no useful derivative, so backpropagation cannot pass "
            "through it; use net.sigmoidized() to replace perceptrons by sigmoid neurons"
        )
        raise GraphError(msg)
    groups = plan.output_groups()
    if isinstance(cost, LogLikelihoodCost) and [g[0] for g in groups] != ["softmax"]:
        msg = (
            "LogLikelihoodCost needs the outputs to be the units of one SoftmaxLayer, got "
            f"{[n.name for n in plan.outputs][:5]}; use CrossEntropyCost or output=SoftmaxLayer"
        )
        raise GraphError(msg)
    target = target_vector(plan, y, cost)
    a_out = state.a[plan.out_idx]
    direct = np.zeros(len(plan.nodes))
    for kind, block, where in groups:
        # (BP1) delta^L = ∇_a C ⊙ σ'(z^L), or the cost's simplified a − y
        direct[block] = cost.delta(kind, state.z[block], state.a[block], target[where])
    value = float(cost.fn(a_out, target))
    yield CostEvent(cost, value, plan.outputs, a_out, target, direct[plan.out_idx])
    delta = np.zeros(len(plan.nodes))
    setitem = dict.__setitem__
    for step in reversed(plan.steps):
        idx = [plan.index[neuron] for neuron in step]
        succ = [plan.succ[j] for j in idx]
        w_out = [np.array([state.w[k][pos] for k, pos in s]) for s in succ]
        d_out = [delta[[k for k, _ in s]] for s in succ]
        # (BP2) the errors sent back: Σ_k w_kj δ_k
        back = np.array([w @ d for w, d in zip(w_out, d_out)])
        if isinstance(step[0], SoftmaxUnit):
            prime = None
            delta[idx] = direct[idx] + softmax_vjp(state.a[idx], back)
        else:
            prime = sigmoid_prime(state.z[idx])
            delta[idx] = direct[idx] + prime * back
        for n, (neuron, j) in reversed(list(enumerate(zip(step, idx)))):
            neuron.delta = neuron.bias_grad = float(delta[j])  # (BP3) ∂C/∂b = δ
            grads = state.a[plan.src_idx[j]] * delta[j]  # (BP4) ∂C/∂w_jk = a_k δ_j
            # dict's own setitem, looped in C: a gradient is not a weight change
            deque(map(setitem, plan.edges[j], repeat("grad"), grads.tolist()), maxlen=0)
            yield BackwardEvent(
                neuron,
                [plan.nodes[k] for k, _ in succ[n]],
                w_out[n],
                d_out[n],
                float(direct[j]),
                None if prime is None else float(prime[n]),
                neuron.delta,
                plan.sources[j],
                state.a[plan.src_idx[j]],
                grads,
            )
    state.has_backward = True


def _read_weights(neuron: Neuron, edges: list[dict[str, Any]]) -> Array:
    """The weights on a neuron's incoming edges, read from the graph now (it is the truth)."""
    try:
        w = np.array([data["weight"] for data in edges], dtype=float)
    except (KeyError, TypeError, ValueError) as err:
        msg = f"neuron {neuron.name!r}: every incoming edge needs a numeric 'weight' ({err})"
        raise GraphError(msg) from err
    if not np.all(np.isfinite(w)):
        msg = f"neuron {neuron.name!r}: an incoming weight is not finite: {w.tolist()[:8]}"
        raise GraphError(msg)
    return w
