r"""The perceptron as the c → ∞ limit of a sigmoid neuron, drawn panel by panel (exercise 1.2).

Multiply every weight and bias of a network of sigmoid neurons by ``c > 0``: each neuron
computes $\sigma(c(w \cdot x + b))$, which tends to the perceptron's step
$[w \cdot x + b > 0]$ as ``c → ∞`` — except where ``w·x + b = 0``, where it is
$\sigma(0) = 1/2$ for every ``c`` while the perceptron says 0 (Nielsen, ch. 1, exercises
1.1 and 1.2). [`draw_limit`][] shows one panel per ``c`` and the perceptrons' panel last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.graph.network import Network
from neurograph.graph.neurons import Input, Neuron, Perceptron, SoftmaxUnit
from neurograph.graph.outputs import display_name
from neurograph.graph.types import Array
from neurograph.pictures.diagram import check_limits, notes
from neurograph.pictures.dot import Diagram, new_graph
from neurograph.pictures.panel import Panel
from neurograph.pictures.style import (
    STUCK,
    edge_key,
    fmt,
    kinds_key,
    legend_label,
    node_label,
    sequential,
    swatches,
    text_colour,
)

__all__ = ["draw_limit", "limit_values", "perceptron_network", "tie_network"]

#: ``|w·x + b|`` at or below this counts as zero: the perceptron sits on its threshold.
ZERO = 1e-12


def tie_network() -> tuple[Network, list[float]]:
    """A small perceptron network, and an input at which one perceptron sits on its threshold.

    Returns
    -------
    net : Network
        Inputs ``x1, x2``; the NAND perceptron of chapter 1 (``w = (−2, −2)``, ``b = 3``);
        a perceptron ``tie`` (``w = (1, 1)``, ``b = −1``); and ``out`` (``b = −1.5``) fed by
        both with weight 1.
    x : list of float
        ``[1.0, 0.0]``: there ``w·x + b = 0`` for ``tie``, so the sigmoid network stays at
        ``σ(0) = 1/2`` for every c, and ``out`` follows it to 1/2 while the perceptron gives 0.

    Examples
    --------
    >>> net, x = tie_network()
    >>> net.forward(x).tolist(), net["tie"].z
    ([0.0], 0.0)
    """
    net = Network()
    x1, x2 = net.add_inputs(2)
    nand = net.add(Perceptron(bias=3.0, name="nand"), inputs={x1: -2.0, x2: -2.0})
    tie = net.add(Perceptron(bias=-1.0, name="tie"), inputs={x1: 1.0, x2: 1.0})
    net.add(Perceptron(bias=-1.5, name="out"), inputs={nand: 1.0, tie: 1.0})
    return net, [1.0, 0.0]


def perceptron_network(net: Network) -> Network:
    """A copy of `net` in which every sigmoid neuron is a Perceptron (the c → ∞ limit).

    Parameters
    ----------
    net : Network
        Perceptrons and sigmoid neurons only.

    Returns
    -------
    Network
        The same names, weights and biases.
    """
    spec = net.to_dict()
    spec["neurons"] = [{**item, "kind": Perceptron.kind} for item in spec["neurons"]]
    return Network.from_dict(spec)


def limit_values(net: Network, x: Any) -> dict[str, float]:
    r"""Each neuron's activation in the limit ``c → ∞``: 0, 1, or 1/2 where ``z`` stays 0.

    Parameters
    ----------
    net : Network
        Perceptrons and sigmoid neurons only.
    x : array_like, shape (n_inputs,)

    Returns
    -------
    dict
        ``{name: limit of σ(c·z)}``. A neuron whose ``w·x + b`` is 0 for the limiting inputs
        of its sources gives 1/2; a neuron fed by such a neuron may then differ from the
        perceptron's output too.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.Network()
    >>> x1, x2 = net.add_inputs(2)
    >>> p = net.add(ng.Perceptron(bias=-1.0, name="p"), inputs={x1: 1.0, x2: 1.0})
    >>> limit_values(net, [1.0, 0.0])
    {'x1': 1.0, 'x2': 0.0, 'p': 0.5}
    """
    values: dict[str, float] = {}
    x = np.asarray(x, dtype=float).reshape(-1)
    for i, given in enumerate(net.inputs):
        values[str(given.name)] = float(x[i])
    for level in net.levels()[1:]:
        for neuron in level:
            z = neuron.bias + sum(
                data["weight"] * values[str(src.name)]
                for src, data in net.graph.pred[neuron].items()
            )
            values[str(neuron.name)] = 0.5 if abs(z) <= ZERO else float(z > 0)
    return values


def draw_limit(
    net: Network,
    x: Any,
    cs: Sequence[float] = (1, 2, 10, 100),
    *,
    max_neurons: int | None = None,
    max_edges: int | None = None,
    title: str | None = None,
) -> Diagram:
    r"""Draw the network of sigmoid neurons with weights and biases times c, one panel per c.

    Each panel is a cluster labelled ``c = …``; every neuron shows its activation
    $\sigma(c \cdot z)$ for the input `x` and its bias ``c·b`` (the weights, times c
    too, are the edges). The last panel is the network of perceptrons
    (0 or 1), the limit ``c → ∞``. A neuron whose ``w·x + b`` is 0 in the perceptron network
    gets an orange double outline: it is stuck at 1/2 for every c (exercise 1.2's failure);
    a neuron that does not reach the perceptron's output because of it gets a dashed one.

    Parameters
    ----------
    net : Network
        Perceptrons (converted with [`Network.sigmoidized`][]) and sigmoid neurons.
    x : array_like, shape (n_inputs,)
        The input.
    cs : sequence of float
        The positive scale factors, one panel each.
    max_neurons, max_edges : int, optional
        As for [`neurograph.draw`][], per panel. Default: 12 and 60 for a small network;
        for a larger one (an MNIST model) 6 and 20, with the panels in rows of three and
        straight edges, so that the picture stays readable.
    title : str, optional
        Default: says what is drawn and the input.

    Returns
    -------
    Diagram
        A `graphviz.Digraph`; write it with [`neurograph.render`][].

    Raises
    ------
    UsageError
        For a softmax layer in `net`, or a `c` that is not a positive number.
    ShapeError
        If `x` does not have one value per input.

    Notes
    -----
    Nielsen, ch. 1, exercises 1.1 (perceptrons: multiplying by c > 0 changes nothing) and
    1.2 (sigmoid neurons tend to perceptrons as c → ∞, unless w·x + b = 0).

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.Network()
    >>> x1, x2 = net.add_inputs(2)
    >>> p = net.add(ng.Perceptron(bias=-1.0, name="p"), inputs={x1: 1.0, x2: 1.0})
    >>> import re
    >>> g = draw_limit(net, [1.0, 0.0], cs=(1, 10))
    >>> re.findall(r'label="(c = [^"]*)"', g.source)
    ['c = 1', 'c = 10']
    """
    if not isinstance(net, Network):
        msg = f"draw_limit: expected a Network, got {type(net).__name__}"
        raise UsageError(msg)
    large = max((len(level) for level in net.levels()[1:]), default=0) > 12
    max_neurons = max_neurons if max_neurons is not None else 6 if large else 12
    max_edges = max_edges if max_edges is not None else 20 if large else 60
    check_limits(max_neurons, max_edges)
    softmax = [n.name for n in net.neurons if isinstance(n, SoftmaxUnit)]
    if softmax:
        msg = (
            f"draw_limit works for networks of Perceptrons and SigmoidNeurons; {softmax[0]!r} "
            "is a softmax unit"
        )
        raise UsageError(msg)
    scales = _scales(cs)
    reference = perceptron_network(net)
    reference.forward(x)
    limit = limit_values(reference, x)
    stuck = {str(n.name) for n in reference.neurons if abs(float(n.z or 0.0)) <= ZERO}
    differs = {str(n.name) for n in reference.neurons if limit[str(n.name)] != n.a} - stuck
    sigmoid = net.sigmoidized()
    nets = []
    for c in scales:
        scaled = sigmoid.scaled(c)
        scaled.forward(x)
        nets.append((f"c = {c:g}", scaled))
    nets.append(("perceptrons: the limit c → ∞", reference))

    graph = new_graph()
    panels = []
    for k, (label, member) in enumerate(nets):
        panel = Panel(
            member, prefix=f"{k}/", max_neurons=max_neurons, max_edges=max_edges, tables=True
        )
        panels.append(panel)
        is_limit = k == len(nets) - 1
        with graph.subgraph(name=f"cluster_{k}") as box:
            box.attr(
                label=label,
                labelloc="t",
                fontsize="15",
                style="rounded,filled",
                color="#bbbbbb",
                fillcolor="#fcfcfc" if not is_limit else "#f4f4f4",
                margin="14",
            )
            labels = False if large else None  # straight edges place their labels badly
            panel.emit(box, _node_attrs(stuck, differs, limit, is_limit), edge_labels=labels)
    graph.graph_attr.update(rankdir="TB", ranksep="0.55", nodesep="0.5")
    if large:
        graph.graph_attr["splines"] = "line"
        _rows(graph, panels, per_row=3)
    x_text = input_text(np.asarray(x, dtype=float).reshape(-1))
    rows = [
        ("neurons", kinds_key(panels[0].drawn + panels[-1].drawn, cells=True)),
        ("fill", swatches([sequential(t / 4) for t in range(5)], "a = 0", "1")),
        ("edges", edge_key("w", "width ∝ |w|")),
        ("times c", "in each panel every weight w and every bias b is multiplied by c"),
    ]
    if panels[0].bundles:
        rows.append(("image arrows", panels[0].bundle_key()))
    if stuck:
        rows.append(("thick orange outline", "w·x + b = 0: σ(c·0) = ½ for every c (ex. 1.2)"))
    if differs:
        rows.append(("orange dashed", "fed by a stuck neuron: differs from the perceptron"))
    if title is None:
        title = f"Sigmoid neurons → perceptrons as c → ∞, for {x_text}"
    graph.attr(label=legend_label(title, rows, notes(panels[0])), labelloc="b")
    return graph


def _rows(graph: Any, panels: list[Panel], per_row: int) -> None:
    """Put the panels in rows: an invisible edge from each panel's last level to the first
    level of the panel below it."""
    for above, below in zip(panels, panels[per_row:]):
        last, first = above.slots[-1][0].id, below.slots[0][0].id
        graph.edge(last, first, style="invis", weight="0")


def _scales(cs: Any) -> list[float]:
    try:
        scales = [float(c) for c in cs]
    except (TypeError, ValueError) as err:
        msg = f"cs must be a sequence of positive numbers, got {cs!r}"
        raise UsageError(msg) from err
    if not scales or not all(np.isfinite(c) and c > 0 for c in scales):
        msg = f"cs must be a non-empty sequence of positive numbers, got {cs!r}"
        raise UsageError(msg)
    return scales


def _node_attrs(stuck: set[str], differs: set[str], limit: dict[str, float], is_limit: bool) -> Any:
    """Node attributes of one panel: the activation, and the orange marks of exercise 1.2."""

    def attrs(neuron: Neuron) -> dict[str, str]:
        a = float(neuron.a) if neuron.a is not None else 0.0
        name = str(neuron.name)
        if isinstance(neuron, Input):  # grey, as the legend says: inputs are not neurons
            return {"label": node_label(name, [f"x = {a:g}"])}
        fill = sequential(a)
        lines = [f"{a:g}" if is_limit else f"{a:.4f}", f"b = {fmt(neuron.bias)}"]
        if name in stuck and is_limit:
            lines.append("w·x + b = 0")
        elif name in stuck | differs and not is_limit:
            lines.append("→ ½" if limit[name] == 0.5 else f"→ {limit[name]:g}")
        shown = display_name(neuron)  # an output with a class label reads L3.8 · "7"
        found = {"fillcolor": fill, "label": node_label(shown, lines, colour=text_colour(fill))}
        if name in stuck:
            found.update(color=STUCK, penwidth="4")
        elif name in differs:
            found.update(color=STUCK, penwidth="3", style="filled,dashed")
        return found

    return attrs


def input_text(x: Array) -> str:
    """The input in a title: all of it when short, else how many values and what they hold.

    Examples
    --------
    >>> input_text(np.array([1.0, 0.0]))
    'x = (1, 0)'
    >>> input_text(np.r_[np.zeros(700), np.full(84, 0.5)])
    'x of 784 values (84 nonzero, between 0 and 0.5)'
    """
    if x.size <= 8:
        return "x = (" + ", ".join(f"{v:g}" for v in x) + ")"
    nonzero = int(np.count_nonzero(x))
    return f"x of {x.size} values ({nonzero} nonzero, between {x.min():g} and {x.max():g})"
