"""A network as plain data (names, kinds, biases, edges): for copies and for the JSON format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from neurograph.errors import GraphError
from neurograph.graph.neurons import Input, Neuron, Perceptron, SigmoidNeuron, SoftmaxLayer

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["fill", "to_dict"]


def to_dict(net: Network) -> dict[str, Any]:
    """A plain description of `net`: inputs, neurons, edges, outputs and meta.

    Parameters
    ----------
    net : Network

    Returns
    -------
    dict
        ``{"inputs": [name, …], "neurons": [{"name", "kind", "bias" or "biases"}, …],
        "edges": [[source, target, weight], …], "outputs": [name, …], "labels": [str, …],
        "meta": {…}}`` ("labels" only when the network has them), with
        neurons in the order added and edges grouped by target in that order (each target's
        edges in the order they were connected).
    """
    neurons: list[dict[str, Any]] = []
    edges: list[list[Any]] = []
    for item in net.added():
        members = item.units if isinstance(item, SoftmaxLayer) else [item]
        for member in members:  # each target's edges in its own order: sums stay bit-identical
            for source, data in net.graph.pred[member].items():
                edges.append([source.name, member.name, data["weight"]])
        if isinstance(item, SoftmaxLayer):
            biases = [u.bias for u in item.units]
            neurons.append({"name": item.name, "kind": item.kind, "biases": biases})
        elif not isinstance(item, Input):
            neurons.append({"name": item.name, "kind": item.kind, "bias": item.bias})
    return {
        "inputs": [x.name for x in net.inputs],
        "neurons": neurons,
        "edges": edges,
        "outputs": [n.name for n in net.outputs],
        **({"labels": list(net.labels)} if net.labels is not None else {}),
        "meta": dict(net.meta),
    }


def fill(
    net: Network, spec: Mapping[str, Any], scale: float = 1.0, sigmoid: bool = False
) -> Network:
    """Build [`to_dict`][]'s description into the empty network `net`, through the public calls.

    Parameters
    ----------
    net : Network
        A new, empty network (``Network.from_dict`` passes one).
    spec : mapping
    scale : float
        Multiply every weight and bias by this number.
    sigmoid : bool
        Replace each Perceptron by a SigmoidNeuron.

    Returns
    -------
    Network
    """
    kinds: dict[str, type[Neuron]] = {"perceptron": Perceptron, "sigmoid": SigmoidNeuron}
    if sigmoid:
        kinds["perceptron"] = SigmoidNeuron
    net.add_inputs(list(spec["inputs"]))
    for item in spec["neurons"]:
        if item["kind"] == SoftmaxLayer.kind:
            biases = [scale * b for b in item["biases"]]
            net.add(SoftmaxLayer(len(biases), biases, name=item["name"]))
        elif item["kind"] in kinds:
            net.add(kinds[item["kind"]](bias=scale * item["bias"], name=item["name"]))
        else:
            msg = f"neuron {item.get('name')!r}: unknown kind {item['kind']!r}"
            raise GraphError(msg)
    for source, target, w in spec["edges"]:
        net.connect(source, target, scale * w)
    net.set_outputs(spec["outputs"], labels=spec.get("labels"))
    net.meta = dict(spec.get("meta", {}))
    return net
