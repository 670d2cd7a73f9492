"""The plan of the passes: the order in which they visit the neurons, and each one's wiring."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from neurograph.errors import GraphError
from neurograph.graph.costs import Cost, LogLikelihoodCost
from neurograph.graph.neurons import Input, Neuron, Perceptron, SoftmaxLayer, SoftmaxUnit
from neurograph.graph.text import shortlist
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["Plan", "backprop_refusal"]


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
    succ_idx, out_flat : dict
        Per node index: the indices ``k`` of the neurons it feeds, and where their weights
        ``w_kj`` sit in `w_flat`, for BP2's gather.
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
        self.step_idx = [[self.index[n] for n in step] for step in self.steps]
        offset, start = {}, 0
        for j, edges in self.edges.items():
            offset[j], start = start, start + len(edges)
        self.succ_idx = {
            j: np.array([k for k, _ in s], dtype=np.intp) for j, s in self.succ.items()
        }
        self.out_flat = {
            j: np.array([offset[k] + pos for k, pos in s], dtype=np.intp)
            for j, s in self.succ.items()
        }
        self.outputs: list[Neuron] = net.outputs
        self.out_idx = np.array([self.index[n] for n in self.outputs], dtype=np.intp)
        self.perceptrons = [n for n in self.nodes if isinstance(n, Perceptron)]
        self.graph = graph
        self.w: dict[int, Array] = {}
        self.w_flat = np.zeros(start)
        self.w_version = -1
        self._blocks: list[tuple[str, np.ndarray, np.ndarray]] | None = None

    def weights(self) -> dict[int, Array]:
        """Each neuron's incoming weights as an array, read again after any weight changed.

        The graph counts every change to an edge's attributes (see
        `NeuronGraph`), so the arrays always equal the weights on
        the edges; a new dict is made on each read, so earlier passes keep theirs.
        """
        if self.w_version != self.graph.weight_changes:
            w = [_read_weights(self.nodes[j], edges) for j, edges in self.edges.items()]
            self.w_flat = np.concatenate([np.zeros(0), *w])
            self.w, start = {}, 0
            for j, w_j in zip(self.edges, w):  # views of w_flat, one per neuron
                self.w[j], start = self.w_flat[start : start + len(w_j)], start + len(w_j)
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

    def error_blocks(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """[`output_groups`][] with all sigmoid outputs in one block, worked out once.

        Their output errors are elementwise, so the graph engine computes them in one call.
        """
        if self._blocks is None:
            groups = self.output_groups()
            sigmoid = [g for g in groups if g[0] == "sigmoid"]
            self._blocks = [g for g in groups if g[0] != "sigmoid"]
            if sigmoid:
                idx, where = (np.concatenate([g[i] for g in sigmoid]) for i in (1, 2))
                self._blocks.insert(0, ("sigmoid", idx, where))
        return self._blocks

    def output_groups(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """``(kind, node indices, positions among the outputs)`` for each block of outputs.

        A sigmoid (or perceptron) output is a block of one; a softmax layer's units form one
        block, and all of them must be outputs.
        """
        groups: list[tuple[str, np.ndarray, np.ndarray]] = []
        seen: set[int] = set()
        chosen = set(self.outputs)
        for pos, neuron in enumerate(self.outputs):
            if isinstance(neuron, SoftmaxUnit):
                if id(neuron.layer) in seen:
                    continue
                seen.add(id(neuron.layer))
                missing = [u.name for u in neuron.layer.units if u not in chosen]
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


def backprop_refusal(
    cost: Cost, perceptron: str | None, outputs_error: str | None, kinds: list[str], outputs: list
) -> str | None:
    """Why backpropagation cannot run, or None; one rule for the graph and the fast engine.

    Parameters
    ----------
    cost : Cost
    perceptron : str or None
        The name of a perceptron in the network, if any (the step has no useful derivative).
    outputs_error : str or None
        Why the outputs cannot be differentiated (part of a softmax layer), if so.
    kinds : list of str
        The kinds of the blocks of outputs (``"sigmoid"``, ``"softmax"``).
    outputs : list
        The outputs' names, for the message.

    Returns
    -------
    str or None
        The message of the GraphError to raise.
    """
    if perceptron is not None:
        return (
            f"Perceptron {perceptron!r} has no useful derivative, so backpropagation cannot pass "
            "through it; use net.sigmoidized() to replace perceptrons by sigmoid neurons"
        )
    if outputs_error is not None:
        return outputs_error
    if isinstance(cost, LogLikelihoodCost) and kinds != ["softmax"]:
        return (
            f"LogLikelihoodCost needs the outputs to be the units of one SoftmaxLayer, got "
            f"{shortlist(outputs, 5)}; use CrossEntropyCost or output=SoftmaxLayer"
        )
    return None


def _read_weights(neuron: Neuron, edges: list[dict[str, Any]]) -> Array:
    """The weights on a neuron's incoming edges, read from the graph now (it is the truth)."""
    try:
        w = np.array([data["weight"] for data in edges], dtype=float)
    except (KeyError, TypeError, ValueError) as err:
        msg = f"neuron {neuron.name!r}: every incoming edge needs a numeric 'weight' ({err})"
        raise GraphError(msg) from err
    if not np.all(np.isfinite(w)):
        found = shortlist(w.tolist(), quote=False)
        msg = f"neuron {neuron.name!r}: an incoming weight is not finite: {found}"
        raise GraphError(msg)
    return w
