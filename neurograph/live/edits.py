"""The lab's edits as operations on a `Lab`: what the notebook widget sends, checked as the API is.

The notebook widget reports each edit the learner makes as a small JSON operation
(``{"op": "set_weight", "src": "x1", "dst": "h1", "w": 0.5}``). [`apply_edits`][] applies a
list of them to a lab, all or nothing: the network's edits run through `Network`'s own calls (so
a wrong name or a weight of ``nan`` raises the error the API raises) and the input, the target,
the data and the settings pass ``ng.lab``'s checks. Weights and biases are written into the very
neuron objects of ``lab.net`` (and put back if a later one is refused); a change of the
structure is made on a copy first, then rebuilds ``lab.net``'s neurons in place (the `Network`
object stays the same).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from neurograph.errors import NeurographError, UsageError
from neurograph.graph import spec
from neurograph.graph.network import Network
from neurograph.graph.neurons import SoftmaxLayer, SoftmaxUnit

__all__ = ["MAX_OPS", "OPS", "apply_edits"]

#: The most operations one message may carry (a trained [784, 30, 10] sends about 24 000).
MAX_OPS = 200_000
#: The lab's settings an operation may set, as ``ng.lab`` names them.
SETTINGS = ("cost", "eta", "lmbda", "mini_batch_size")

Op = dict[str, Any]


def _field(op: Op, key: str, kind: type | tuple[type, ...] = object) -> Any:
    """The field `key` of `op`, of the type `kind`: a UsageError names what is missing."""
    if key not in op:
        msg = f"edit {op.get('op')!r}: the field {key!r} is missing; got the fields {sorted(op)}"
        raise UsageError(msg)
    value = op[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not object:
        msg = f"edit {op.get('op')!r}: {key!r} must be a {getattr(kind, '__name__', kind)}, "
        msg += f"got {value!r:.60}"
        raise UsageError(msg)
    return value


# -- edits of the network, on a copy: each returns the network edited ---------------------
def _set_weight(net: Network, op: Op) -> Network:
    net.set_weight(_field(op, "src", str), _field(op, "dst", str), _field(op, "w"))
    return net


def _set_bias(net: Network, op: Op) -> Network:
    net.neuron(_field(op, "neuron", str)).bias = _field(op, "b")
    return net


def _connect(net: Network, op: Op) -> Network:
    net.connect(_field(op, "src", str), _field(op, "dst", str), _field(op, "w"))
    return net


def _rebuilt(net: Network, change: Callable[[dict[str, Any]], None]) -> Network:
    """`net` with its description changed by `change`, built again through the public calls."""
    doc = net.to_dict()
    change(doc)
    return Network.from_dict(doc)


def _add_neuron(net: Network, op: Op) -> Network:
    name, kind = _field(op, "name", str), _field(op, "kind", str)
    key = "biases" if kind in spec.LAYER_KINDS else "bias"
    item = {"name": name, "kind": kind, key: _field(op, key, list if key == "biases" else object)}
    return _rebuilt(net, lambda doc: doc["neurons"].append(item))


def _remove_neuron(net: Network, op: Op) -> Network:
    name = _field(op, "name", str)
    owner = getattr(net[name], "layer", net[name])  # a softmax unit goes with its layer
    if owner in net.inputs:
        msg = f"remove_neuron {name!r}: the inputs stay (the data gives their number)"
        raise UsageError(msg)
    gone = {name, owner.name, *(u.name for u in getattr(owner, "units", []))}

    def change(doc: dict[str, Any]) -> None:
        doc["neurons"] = [n for n in doc["neurons"] if n["name"] not in gone]
        doc["edges"] = [e for e in doc["edges"] if e[0] not in gone and e[1] not in gone]

    return _rebuilt(net, change)


def _disconnect(net: Network, op: Op) -> Network:
    src, dst = _field(op, "src", str), _field(op, "dst", str)
    net.weight(src, dst)  # the API's error for an edge that does not exist
    return _rebuilt(
        net, lambda doc: doc.update(edges=[e for e in doc["edges"] if e[:2] != [src, dst]])
    )


def _set_kind(net: Network, op: Op) -> Network:
    name, kind = _field(op, "name", str), _field(op, "kind", str)
    if kind in spec.LAYER_KINDS or isinstance(net[name], (SoftmaxLayer, SoftmaxUnit)):
        msg = f"set_kind {name!r}: a softmax layer comes and goes with add_neuron and remove_neuron"
        raise UsageError(msg)
    net.neuron(name)

    def change(doc: dict[str, Any]) -> None:
        next(n for n in doc["neurons"] if n["name"] == name)["kind"] = kind

    return _rebuilt(net, change)


def _set_outputs(net: Network, op: Op) -> Network:
    outputs = _field(op, "outputs", list)
    net.set_outputs(outputs, labels=net.labels if len(outputs) == len(net.outputs) else None)
    return net


ON_NETWORK: dict[str, Callable[[Network, Op], Network]] = {
    "set_weight": _set_weight,
    "set_bias": _set_bias,
    "add_neuron": _add_neuron,
    "remove_neuron": _remove_neuron,
    "connect": _connect,
    "disconnect": _disconnect,
    "set_kind": _set_kind,
    "set_outputs": _set_outputs,
}
#: The operations on the lab beside the network: its input, target, settings and data.
ON_LAB = ("set_input", "set_target", "set_setting", "set_data")
#: The operations that change the structure (the others set numbers).
STRUCTURE = ("add_neuron", "remove_neuron", "connect", "disconnect", "set_kind", "set_outputs")
#: Every operation the widget may send.
OPS = (*ON_NETWORK, *ON_LAB)


def _on_lab(settings: dict[str, Any], op: Op) -> None:
    """Change the lab's `settings` (``ng.lab``'s keywords) by `op`; ``ng.lab`` checks them later."""
    kind = op["op"]
    if kind == "set_input":
        settings["x"] = _field(op, "x", list)
    elif kind == "set_target":
        settings["y"] = _field(op, "y", (int, float, str, list))
    elif kind == "set_data":
        settings["data"] = (_field(op, "X", list), _field(op, "y", list))
    else:
        key = _field(op, "key", str)
        if key not in SETTINGS:
            msg = f"set_setting: expected a key among {list(SETTINGS)}, got {key!r:.40}"
            raise UsageError(msg)
        settings[key] = _field(op, "value", str if key == "cost" else (int, float))


def _checked_ops(ops: Any) -> list[Op]:
    if not isinstance(ops, list) or len(ops) > MAX_OPS:
        got = f"{len(ops)} operations" if isinstance(ops, list) else type(ops).__name__
        msg = f"edits: expected a list of at most {MAX_OPS} operations, got {got}"
        raise UsageError(msg)
    for op in ops:
        if not isinstance(op, dict) or op.get("op") not in OPS:
            msg = f"edits: expected operations {{'op': one of {list(OPS)}, …}}, got {op!r:.80}"
            raise UsageError(msg)
    return ops


def _set_parameters(net: Network, ops: list[Op]) -> None:
    """Weights and biases straight into `net`'s objects by its own calls, undone if one fails."""
    undo: list[Callable[[], None]] = []
    try:
        for op in ops:
            if op["op"] == "set_weight":
                src, dst = _field(op, "src", str), _field(op, "dst", str)
                undo.append(functools.partial(net.set_weight, src, dst, net.weight(src, dst)))
            else:
                neuron = net.neuron(_field(op, "neuron", str))
                undo.append(functools.partial(setattr, neuron, "bias", neuron.bias))
            ON_NETWORK[op["op"]](net, op)
    except NeurographError:
        for step in reversed(undo):
            step()
        raise


def apply_edits(lab: Any, ops: Any) -> bool:
    """Apply the widget's operations `ops` to `lab`: all of them, or none if one is refused.

    Parameters
    ----------
    lab : Lab
        Its network ``lab.net`` changes in place: weights and biases in the neuron objects,
        a new structure by rebuilding its neurons (the same `Network` object).
    ops : list of dict
        Operations ``{"op": name, …}``, one of ``OPS``: ``set_weight`` (src, dst, w),
        ``set_bias`` (neuron, b), ``add_neuron`` (name, kind, bias or biases),
        ``remove_neuron`` (name), ``connect`` (src, dst, w), ``disconnect`` (src, dst),
        ``set_kind`` (name, kind), ``set_outputs`` (outputs), ``set_input`` (x),
        ``set_target`` (y), ``set_setting`` (key among cost, eta, lmbda, mini_batch_size;
        value) and ``set_data`` (X, y).

    Returns
    -------
    bool
        Whether the structure changed (the neuron objects are new).

    Raises
    ------
    NeurographError
        The error the API raises for the same edit (a GraphError for a missing edge, a
        UsageError for a bad setting, …), or a UsageError for a malformed operation; the lab
        is unchanged.

    Examples
    --------
    >>> import neurograph as ng
    >>> lab = ng.lab(ng.layered([2, 2, 1], seed=0))
    >>> apply_edits(lab, [{"op": "set_bias", "neuron": "L2.1", "b": 0.5}])
    False
    >>> lab.net["L2.1"].bias
    0.5
    >>> apply_edits(lab, [{"op": "set_weight", "src": "L1.1", "dst": "L3.1", "w": 1.0}])
    Traceback (most recent call last):
    ...
    neurograph.errors.GraphError: there is no edge 'L1.1' -> 'L3.1'
    """
    ops = _checked_ops(ops)
    settings: dict[str, Any] = {}
    for op in ops:
        if op["op"] in ON_LAB:
            _on_lab(settings, op)
    rewired = any(op["op"] in STRUCTURE for op in ops)
    if rewired:  # on a copy first: all or nothing
        trial = lab.net.copy()
        for op in ops:
            if op["op"] in ON_NETWORK:
                trial = ON_NETWORK[op["op"]](trial, op)
        checked = lab.remade(trial, **settings)  # ng.lab's checks, after the edits
        checked.state()  # the page can hold it (the file format's limits)
        Network.__init__(lab.net)  # the same object, its neurons built again
        spec.fill(lab.net, trial.to_dict())
    else:  # a drag, a trained epoch, the input: no copy
        checked = lab.remade(lab.net, **settings) if settings else lab
        _set_parameters(lab.net, [op for op in ops if op["op"] in ON_NETWORK])
    for key in ("X", "y", "x", "target", "cost", "eta", "lmbda", "mini_batch_size"):
        setattr(lab, key, getattr(checked, key))
    return rewired
