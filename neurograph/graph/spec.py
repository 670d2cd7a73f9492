"""A network as plain data (names, kinds, biases, edges): for copies and for the JSON format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from neurograph.errors import GraphError, UsageError
from neurograph.graph.neurons import (
    BUILT_IN,
    Input,
    Neuron,
    Perceptron,
    SigmoidNeuron,
    SoftmaxLayer,
    SoftmaxUnit,
)

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["LAYER_KINDS", "copy", "fill", "kinds_in", "kinds_of", "to_dict", "unknown_kind"]

#: How a file names a softmax layer: ``"softmax_layer"``, or ``"softmax"`` (read, never written).
LAYER_KINDS = (SoftmaxLayer.kind, "softmax")


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
    net: Network,
    spec: Mapping[str, Any],
    scale: float = 1.0,
    sigmoid: bool = False,
    kinds: Iterable[type[Neuron]] = (),
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
    kinds : iterable of Neuron subclasses
        Kinds of your own that `spec` may name, each by its ``kind`` (its class name unless
        it says otherwise); the built-in kinds are always known.

    Returns
    -------
    Network

    Raises
    ------
    GraphError
        For a kind that is neither built in nor in `kinds` (no code is ever looked up by name).
    """
    known = kinds_of(kinds)
    if sigmoid:
        known[Perceptron.kind] = SigmoidNeuron
    net.add_inputs(list(spec["inputs"]))
    for item in spec["neurons"]:
        if item["kind"] in LAYER_KINDS:
            biases = [scale * b for b in item["biases"]]
            net.add(SoftmaxLayer(len(biases), biases, name=item["name"]))
        elif item["kind"] in known:
            net.add(known[item["kind"]](bias=scale * item["bias"], name=item["name"]))
        else:
            raise GraphError(unknown_kind(item.get("name"), item["kind"]))
    for source, target, w in spec["edges"]:
        net.connect(source, target, scale * w)
    net.set_outputs(spec["outputs"], labels=spec.get("labels"))
    net.meta = dict(spec.get("meta", {}))
    return net


def copy(net: Network, new: Network, scale: float = 1.0, sigmoid: bool = False) -> Network:
    """A copy of `net` built into the empty network `new` (see [`fill`][]), its kinds known."""
    return fill(new, to_dict(net), scale, sigmoid, kinds_in(net))


def kinds_in(net: Network) -> list[type[Neuron]]:
    """The classes of `net`'s neurons (not inputs or softmax units), each once, in order."""
    return list(dict.fromkeys(type(n) for n in net.neurons if not isinstance(n, SoftmaxUnit)))


def kinds_of(kinds: Iterable[type[Neuron]]) -> dict[str, type[Neuron]]:
    """The built-in kinds and `kinds`, by their ``kind`` name.

    Raises
    ------
    UsageError
        If an item of `kinds` is not a subclass of ``Neuron`` with an activation.
    """
    known = dict(BUILT_IN)
    for cls in kinds:
        if not (isinstance(cls, type) and issubclass(cls, Neuron)) or cls.__abstractmethods__:
            msg = (
                f"kinds: expected subclasses of ng.Neuron with activation and "
                f"activation_prime, got {cls!r:.80}"
            )
            raise UsageError(msg)
        known[cls.kind] = cls
    return known


def unknown_kind(name: Any, kind: Any) -> str:
    """The message for a neuron of a kind that is neither built in nor given, with the fix."""
    fix = kind if isinstance(kind, str) and kind.isidentifier() and len(kind) <= 60 else "MyNeuron"
    built_in = ", ".join([*BUILT_IN, LAYER_KINDS[0]])
    return (
        f"neuron {name!r:.60}: 'kind' must be one of {built_in}, or a kind of your own passed "
        f"as ng.load(path, kinds=[{fix}]) (no code is read from a file), got {kind!r:.60}"
    )
