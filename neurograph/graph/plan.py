"""The plan of the passes: the order in which they visit the neurons, and which outputs go
together for the cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from neurograph.errors import GraphError
from neurograph.graph.costs import Cost, LogLikelihoodCost
from neurograph.graph.neurons import Input, Neuron, SoftmaxLayer, SoftmaxUnit, no_derivative
from neurograph.graph.text import shortlist

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["OutputGroup", "Plan", "backprop_refusal", "probability_refusal"]

#: Outputs whose errors (BP1) are computed together: the neurons, and their places among the
#: outputs. A softmax layer is one group; any other output neuron is a group of its own.
OutputGroup = tuple[list[Neuron], list[int]]


class Plan:
    """The order in which the passes visit the neurons.

    Inputs come first, in input order; then every other neuron in a topological order (ties
    broken by the order added), the units of a softmax layer side by side. The network keeps
    a plan until its structure changes (see ``Network.plan``).

    Attributes
    ----------
    inputs : list of Input
    steps : list of list of Neuron
        Non-input neurons in evaluation order: one neuron, or all units of a softmax layer.
    nodes : list of Neuron
        The inputs, then the neurons of the steps in order.
    outputs : list of Neuron
    sources, edges : dict
        Per non-input neuron ``j``: the neurons ``k`` feeding it, and the attribute dicts of
        those edges ``k -> j`` in ``net.graph`` (where the passes read ``"weight"`` and
        write ``"grad"``), in the graph's order.
    targets, out_edges : dict
        Per neuron ``j``: the neurons ``k`` it feeds, and the attribute dicts of ``j -> k``.
    """

    def __init__(self, net: Network) -> None:
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
        self.outputs: list[Neuron] = net.outputs
        self.graph = graph
        self.sources = {n: list(graph.pred[n]) for n in self.nodes}
        self.edges = {n: [graph.pred[n][k] for k in self.sources[n]] for n in self.nodes}
        self.targets = {n: list(graph.succ[n]) for n in self.nodes}
        self.out_edges = {n: [graph.succ[n][k] for k in self.targets[n]] for n in self.nodes}

    def levels(self) -> list[list[Neuron]]:
        """Neurons grouped by depth (inputs at depth 0; softmax units share a depth)."""
        depth: dict[Neuron, int] = {n: 0 for n in self.inputs}
        for step in self.steps:
            d = 1 + max((depth[k] for n in step for k in self.sources[n]), default=0)
            depth.update((n, d) for n in step)
        levels: list[list[Neuron]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
        for n in self.nodes:
            levels[depth[n]].append(n)
        return levels

    def output_groups(self) -> list[OutputGroup]:
        """The outputs in groups whose errors (BP1) the cost computes together.

        A softmax layer's units form one group, and all of them must be outputs; any other
        output is a group of its own.

        Raises
        ------
        GraphError
            If the outputs hold part of a softmax layer.
        """
        groups: list[OutputGroup] = []
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
                units: list[Neuron] = list(neuron.layer.units)
                groups.append((units, [self.outputs.index(u) for u in units]))
            else:
                groups.append(([neuron], [pos]))
        return groups


def backprop_refusal(
    cost: Cost, blocked: Neuron | None, outputs_error: str | None, outputs: list[Neuron]
) -> str | None:
    """Why backpropagation cannot run, or None; one rule for the graph and the fast engine.

    Parameters
    ----------
    cost : Cost
    blocked : Neuron or None
        A neuron of the network without a useful derivative (a perceptron), if any.
    outputs_error : str or None
        Why the outputs cannot be differentiated (part of a softmax layer), if so.
    outputs : list of Neuron
        The output neurons.

    Returns
    -------
    str or None
        The message of the GraphError to raise.
    """
    if blocked is not None:
        return no_derivative(blocked)
    if outputs_error is not None:
        return outputs_error
    layers = {id(n.layer) if isinstance(n, SoftmaxUnit) else None for n in outputs}
    if isinstance(cost, LogLikelihoodCost) and (None in layers or len(layers) != 1):
        names = shortlist([n.name for n in outputs], 5)
        return (
            f"LogLikelihoodCost needs the outputs to be the units of one SoftmaxLayer, got "
            f"{names}; use CrossEntropyCost or output=SoftmaxLayer"
        )
    return probability_refusal(cost, outputs)


def probability_refusal(cost: Cost, outputs: list[Neuron]) -> str | None:
    """Why `cost` cannot read `outputs`, or None: cross-entropy and log-likelihood read them
    as probabilities, which tanh and ReLU outputs are not (their kind's ``probability``).

    Returns
    -------
    str or None
        The message of the GraphError to raise.
    """
    wrong = next((n for n in outputs if not n.probability), None)
    if cost.name == "QuadraticCost" or wrong is None:
        return None
    kind = type(wrong)
    return (
        f"{cost.name} reads the outputs as probabilities in [0, 1], but output {wrong.name!r} "
        f"is a {kind.__name__} (a = {kind.symbol}(z) is not a probability); use QuadraticCost, "
        "or sigmoid or softmax output neurons"
    )
