"""The book's network2.py format: ``sizes``, ``weights``, ``biases`` and ``cost`` as JSON."""

from __future__ import annotations

from typing import Any

import numpy as np

from neurograph.errors import FormatError, UsageError
from neurograph.graph.builders import from_matrices
from neurograph.graph.network import Network
from neurograph.graph.neurons import SigmoidNeuron
from neurograph.graph.types import is_real

__all__ = ["NETWORK2_COSTS", "NETWORK2_KEYS", "from_network2", "to_network2"]

NETWORK2_KEYS = {"sizes", "weights", "biases", "cost"}
NETWORK2_COSTS = ("QuadraticCost", "CrossEntropyCost")


def to_network2(net: Network, cost: str | None = None) -> dict[str, Any]:
    """The network2.py document of a fully connected layered sigmoid network."""
    cost = cost or net.meta.get("cost") or "CrossEntropyCost"
    if cost not in NETWORK2_COSTS:
        msg = f"network2.py knows only {NETWORK2_COSTS}, got cost {cost!r}"
        raise UsageError(msg)
    levels = net.levels()
    levels[-1] = net.outputs
    weights, biases = [], []
    for previous, layer in zip(levels[:-1], levels[1:]):
        for neuron in layer:
            if type(neuron) is not SigmoidNeuron:
                msg = (
                    "network2 format needs a fully connected layered sigmoid network (network2.py "
                    f"computes σ); {neuron.name!r} is a {type(neuron).__name__} (a = "
                    f"{neuron.symbol}(z)): save it in the 'neurograph' format instead"
                )
                raise UsageError(msg)
            preds = set(net.graph.predecessors(neuron))
            if preds != set(previous):
                msg = (
                    f"network2 format needs a fully connected layered sigmoid network; "
                    f"{neuron!r} is not fed by exactly the {len(previous)} neurons of the "
                    "layer before (save it in the 'neurograph' format instead)"
                )
                raise UsageError(msg)
        weights.append([[net.weight(k, j) for k in previous] for j in layer])
        biases.append([[j.bias] for j in layer])
    sizes = [len(level) for level in levels]
    return {"sizes": sizes, "weights": weights, "biases": biases, "cost": cost}


def from_network2(doc: dict[str, Any]) -> Network:
    """Build a layered sigmoid network from a parsed network2.py document."""
    sizes, weights, biases = doc["sizes"], doc["weights"], doc["biases"]
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(type(s) is int for s in sizes)):
        msg = f"network2 'sizes' must be a list of at least two integers, got {sizes!r:.80}"
        raise FormatError(msg)
    if doc["cost"] not in NETWORK2_COSTS:
        msg = f"network2 'cost' must be one of {NETWORK2_COSTS}, got {doc['cost']!r:.40}"
        raise FormatError(msg)
    layers = len(sizes) - 1
    if not (isinstance(weights, list) and isinstance(biases, list)) or (
        len(weights) != layers or len(biases) != layers
    ):
        msg = f"network2 file with sizes {sizes} needs {layers} weight matrices and bias vectors"
        raise FormatError(msg)
    ws, bs = [], []
    for layer, (n_in, n_out, w, b) in enumerate(zip(sizes, sizes[1:], weights, biases), start=2):
        for what, values in (("weights", w), ("biases", b)):
            bad = _first_non_number(values)
            if bad is not None:
                msg = (
                    f"network2 layer {layer}: {what} must be nested lists of finite numbers, "
                    f"got {bad!r:.40} (strings, booleans, NaN and huge integers are refused)"
                )
                raise FormatError(msg)
        try:
            w_arr = np.array(w, dtype=float)
            b_arr = np.array(b, dtype=float)
        except (TypeError, ValueError) as err:
            msg = f"network2 layer {layer}: weights and biases must be numeric arrays ({err})"
            raise FormatError(msg) from err
        if w_arr.shape != (n_out, n_in) or b_arr.shape not in {(n_out, 1), (n_out,)}:
            msg = (
                f"network2 layer {layer}: sizes {sizes} need weights ({n_out}, {n_in}) and "
                f"biases ({n_out}, 1), got {w_arr.shape} and {b_arr.shape}"
            )
            raise FormatError(msg)
        ws.append(w_arr)
        bs.append(b_arr)
    net = from_matrices(ws, bs)
    net.meta["cost"] = doc["cost"]
    return net


def _first_non_number(values: Any) -> Any:
    """The first leaf of nested lists that is not a finite real number (None if all are)."""
    stack = [values]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif not is_real(item):
            return item
    return None
