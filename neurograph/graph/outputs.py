"""A network's outputs: choosing them, their class labels, and how a picture names a class."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import GraphError, ShapeError, UsageError
from neurograph.graph.digraph import first_repeat
from neurograph.graph.neurons import Input, Neuron, SoftmaxLayer

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = [
    "check_labels",
    "class_indices",
    "choose_outputs",
    "class_name",
    "class_verdict",
    "display_name",
    "label_of",
]


def choose_outputs(net: Network, refs: Iterable[Any]) -> list[Neuron]:
    """The output neurons `refs` name, in order; a SoftmaxLayer stands for all its units.

    Raises
    ------
    GraphError
        If an output is not in `net`, is an input or is listed twice, or none is given.
    """
    chosen: list[Neuron] = []
    for ref in refs:
        item = net[ref] if isinstance(ref, str) else ref
        if isinstance(item, SoftmaxLayer):
            if item.units[0].network is not net:
                msg = f"{item!r} is not in this network; add it first with net.add(...)"
                raise GraphError(msg)
            chosen.extend(item.units)
        else:
            chosen.append(net.neuron(ref))
    twice = first_repeat(chosen)
    for neuron in chosen:
        if isinstance(neuron, Input) or neuron is twice:
            why = "an Input" if isinstance(neuron, Input) else "listed twice"
            msg = f"output {neuron.name!r} is {why}; outputs are distinct non-input neurons"
            raise GraphError(msg)
    if not chosen:
        msg = "set_outputs: expected at least one output neuron, got none"
        raise GraphError(msg)
    return chosen


def class_indices(y: Any, n_outputs: int) -> Any:
    """Class labels as output indices: whole numbers ``0 … n_outputs - 1``, ints or floats.

    A label read from a text file is often a float (``7.0``); it is accepted when whole.

    Parameters
    ----------
    y : int, float or array_like of them
    n_outputs : int

    Returns
    -------
    ndarray of int64, the shape of `y`

    Raises
    ------
    ShapeError
        For a label that is not a whole number, or is outside the outputs' range.

    Examples
    --------
    >>> class_indices([7.0, 2, 0], 10).tolist()
    [7, 2, 0]
    """
    y = np.asarray(y)
    if y.dtype.kind == "f":
        whole = np.isfinite(y) & (y == np.round(y))
        if not whole.all():
            bad = y.reshape(-1)[int(np.argmin(whole.reshape(-1)))]
            msg = (
                f"label {float(bad):g} is not a whole number: labels are class numbers "
                f"0..{n_outputs - 1} (for target vectors give shape (n, {n_outputs}))"
            )
            raise ShapeError(msg)
    elif y.dtype.kind not in "iu":
        msg = f"expected class labels 0..{n_outputs - 1}, got {y.dtype} values"
        raise ShapeError(msg)
    labels = y.astype(np.int64)
    outside = labels[(labels < 0) | (labels >= n_outputs)]
    if outside.size:
        msg = f"label {int(outside[0])} is out of range: {n_outputs} outputs take labels "
        msg += f"0..{n_outputs - 1}"
        raise ShapeError(msg)
    return labels


def check_labels(labels: Sequence[Any], n_outputs: int) -> list[str]:
    """One label per output neuron, as strings.

    Parameters
    ----------
    labels : sequence
    n_outputs : int

    Returns
    -------
    list of str

    Raises
    ------
    UsageError
        If the number of labels differs from the number of outputs.

    Examples
    --------
    >>> check_labels(range(3), 3)
    ['0', '1', '2']
    """
    if isinstance(labels, (str, bytes)) or len(labels) != n_outputs:
        got = repr(labels) if isinstance(labels, (str, bytes)) else f"{len(labels)} labels"
        msg = (
            f"set_outputs: expected one label per output ({n_outputs}), got {got}; "
            f"e.g. labels=[str(d) for d in range({n_outputs})]"
        )
        raise UsageError(msg)
    return [str(label) for label in labels]


def label_of(net: Network, neuron: Neuron) -> str | None:
    """The class label of an output neuron; None without labels, or for another neuron."""
    if net.labels is None:  # the common case: no list of outputs to build for every neuron drawn
        return None
    outputs = net.outputs
    return net.labels[outputs.index(neuron)] if neuron in outputs else None


def display_name(neuron: Neuron) -> str:
    """A neuron's name as pictures and prompts write it: a labelled output reads ``L3.8 · "7"``."""
    net = neuron.network
    label = None if net is None else label_of(net, neuron)
    return str(neuron.name) if label is None else f'{neuron.name} · "{label}"'


def class_name(net: Network, index: int) -> str:
    """Output `index` as a reader knows it: ``"7"`` with labels, else its neuron's name."""
    if net.labels is not None:
        return f'"{net.labels[index]}"'
    return str(net.outputs[index].name)


def class_verdict(net: Network, y: Any = None, a: Any = None) -> str:
    """The input's true label and the network's prediction, for a legend or a prompt.

    Parameters
    ----------
    net : Network
    y : int or array_like, optional
        The desired output: a class index or a vector (its largest entry is the class).
    a : array_like, shape (n_outputs,), optional
        The output activations to judge; by default those the output neurons hold now. An
        event passes its own, so that its text is the same whenever it is read (the debugger
        prints it at once, a recording after the pass has been undone).

    Returns
    -------
    str
        E.g. ``'true label "7", prediction "7" (L3.8, a = 0.93)'``; empty with one output,
        or with neither a desired output nor a forward pass to tell.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.layered([2, 3], seed=0, labels=["a", "b", "c"])
    >>> class_verdict(net, y=2)
    'true label "c"'
    """
    outputs = net.outputs
    if len(outputs) < 2:
        return ""
    parts = []
    if y is not None:
        target = np.asarray(y, dtype=float)
        index = int(target) if target.ndim == 0 else int(np.argmax(target))
        if 0 <= index < len(outputs):
            parts.append(f"true label {class_name(net, index)}")
    values = [n.a for n in outputs] if a is None else list(np.asarray(a, dtype=float))
    if len(values) == len(outputs) and all(v is not None for v in values):
        best = int(np.argmax(np.asarray(values, dtype=float)))
        top, name = f"{float(values[best]):.3g}", outputs[best].name  # type: ignore[arg-type]
        named = (
            f"{class_name(net, best)} ({name}, a = {top})" if net.labels else f"{name} (a = {top})"
        )
        parts.append(f"prediction {named}")
    return ", ".join(parts)
