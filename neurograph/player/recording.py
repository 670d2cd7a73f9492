"""Record a forward and backward pass, event by event, as a page anyone can step through.

[`record`][] drives a [`Debugger`][neurograph.Debugger] (so the very generators that
``Network.forward`` and ``Network.backward`` run) from the first event to the last, noting after
each step what the page needs: the event's equation with the numbers, the values each neuron
shows on the diagram, and the inspector's report of every neuron whose report changed. Then it
steps back to the start, which leaves the network's parameters as they were.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from neurograph.debug.debugger import Debugger
from neurograph.debug.tape import Event
from neurograph.graph.events import CostEvent
from neurograph.graph.network import Network
from neurograph.graph.neurons import Input, Neuron
from neurograph.graph.outputs import display_name
from neurograph.io.atomic import write_atomic
from neurograph.pictures.diagram import draw
from neurograph.pictures.dot import edge_id, pipe
from neurograph.pictures.escape import shown_name, text_id
from neurograph.pictures.style import (
    activation_fill,
    activation_scale,
    diverging,
    edge_attrs,
    fmt,
    text_colour,
)
from neurograph.player.page import page_html, projector_neurons

__all__ = ["Recording", "record", "record_debugger"]

#: What the fill and the edges of the page's diagram encode in each of its modes (its key):
#: mode -> (the fill's words, its symbol, the edges' words, their symbol).
KEYS = {
    "start": ("b", "b", "w", "w"),
    "forward": ("a", "a", "w", "w"),
    "backward": ("δ", "δ", "∂C/∂w", "∂C/∂w"),
    "update": ("the new b", "b", "the new w", "w"),
}


def _values(node: Neuron) -> tuple[Any, ...]:
    return (node.a, node.z, node.delta, node.bias_grad, node.bias)


class Recording:
    """Every event of one pass through a network, with what a page needs to replay it.

    Made by [`record`][] (or [`Debugger.record`][]); shows itself in Jupyter as the player.

    Attributes
    ----------
    net : Network
    x : ndarray, shape (n_inputs,)
    y : int, ndarray or None
    cost : Cost
    eta : float or None
    events : list of event
        ``events[k]`` is the (k+1)-th step: [`ForwardEvent`][], [`CostEvent`][],
        [`BackwardEvent`][] or `UpdateEvent`; ``str(events[k])`` is its equation
        with the numbers, as the debugger prints it.
    svg : str
        The network's diagram after the forward pass, drawn by Graphviz.
    data : dict
        The page's data (JSON-ready): the events' phases, neurons and texts, and per neuron
        its values on the diagram, when each is computed, and its inspector's reports.
    """

    def __init__(self, dbg: Debugger, events: list[Event], svg: str, data: dict[str, Any]):
        self.net, self.x, self.y = dbg.net, dbg.x, dbg.y
        self.cost, self.eta = dbg.cost, dbg.eta
        self.events, self.svg, self.data = events, svg, data

    def __len__(self) -> int:
        return len(self.events)

    def __repr__(self) -> str:
        phases = {e.phase for e in self.events}
        shown = [p for p in ("forward", "cost", "backward", "update") if p in phases]
        return f"<Recording of {len(self.events)} events: {', '.join(shown)}>"

    def html(self) -> str:
        """The player as one self-contained HTML document (see [`save_html`][])."""
        return page_html("pass", self.data, self.svg)

    def save_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the player: one HTML file that needs no other file, host or Python.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> import neurograph as ng, tempfile, pathlib
        >>> rec = ng.record(ng.layered([2, 2, 1], seed=0), [1.0, 0.5], 1.0)
        >>> page = rec.save_html(pathlib.Path(tempfile.mkdtemp()) / "pass.html")
        >>> page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        True
        """
        return write_atomic(Path(path), self.html())

    def _repr_html_(self) -> str:
        """In Jupyter: the player in its own frame, so that several on one page never clash."""
        page = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" title="neurograph player" sandbox="allow-scripts" '
            'style="width: 100%; height: 760px; border: 1px solid #ddd"></iframe>'
        )


def record(
    net: Network,
    x: Any,
    y: Any = None,
    cost: Any = None,
    *,
    eta: float | None = None,
    max_neurons: int | None = None,
    max_edges: int = 60,
) -> Recording:
    """Record every event of a forward pass, the cost, the backward pass and an update.

    Parameters
    ----------
    net : Network
    x : array_like, shape (n_inputs,)
    y : int or array_like, optional
        A label or the desired output; without it only the forward pass is recorded.
    cost : Cost or str, default QuadraticCost()
    eta : float, optional
        With a learning rate, one gradient-descent step follows (``"update"`` events).
    max_neurons, max_edges : int
        How much of a large network the diagram draws (see [`neurograph.draw`][]); by
        default every neuron of a level of at most 6, else 5 of them, so that the diagram
        reads on a projector.

    Returns
    -------
    Recording

    Raises
    ------
    ShapeError, GraphError, UsageError
        As [`Debugger`][neurograph.Debugger] does, for an input, target, cost or `eta` that does
        not fit.
    NeurographError
        When Graphviz's ``dot`` is not installed.

    Notes
    -----
    The network is left as a new debugger leaves it: its weights and biases as they were
    (the update is undone), and no computed values (``a``, ``z``, ``delta``, gradients).

    Examples
    --------
    >>> import neurograph as ng
    >>> rec = ng.record(ng.layered([2, 2, 1], seed=0), [1.0, 0.5], 1.0, eta=0.5)
    >>> len(rec), rec.events[0].phase, rec.events[3].phase, rec.events[-1].phase
    (10, 'forward', 'cost', 'update')
    """
    dbg = Debugger(net, x, y, cost, eta=eta)
    max_neurons = projector_neurons(net) if max_neurons is None else max_neurons
    nodes = list(net.plan().nodes)
    index = {node: i for i, node in enumerate(nodes)}
    values = {node: _values(node) for node in nodes}
    at: list[dict[str, int]] = [{} for _ in nodes]
    reports = [[[0, dbg.inspect(node)]] for node in nodes]
    shown = {"start": [node.bias for node in nodes]}
    events: list[Event] = []
    svg = ""
    for k in range(1, dbg.total + 1):
        event = dbg.step()
        assert event is not None  # the debugger has `total` events
        events.append(event)
        changed = [node for node in nodes if _values(node) != values[node]]
        for node in changed:
            before, values[node] = values[node], _values(node)
            for i, mode in ((0, "forward"), (2, "backward")):
                if before[i] is None and values[node][i] is not None:
                    at[index[node]][mode] = k
        neuron: Any = getattr(event, "neuron", None)
        if event.phase == "update":
            at[index[neuron]]["update"] = k
        dirty = set(changed) | {t for n in changed for t in net.graph.succ[n]}
        for node in dirty | ({neuron} if neuron is not None else set()):
            text = dbg.inspect(node)
            if text != reports[index[node]][-1][1]:
                reports[index[node]].append([k, text])
        if event.phase == "cost":  # the forward pass is complete: every a is on the diagram
            svg = _diagram(net, max_neurons, max_edges)
        attr = {"forward": "a", "backward": "delta", "update": "bias"}.get(event.phase)
        if attr is not None:
            shown[event.phase] = [getattr(node, attr) for node in nodes]
    svg = svg or _diagram(net, max_neurons, max_edges)  # a forward pass only
    on_edges = _edges_after(net, y, eta)
    if dbg.total:
        dbg.back(dbg.total)  # to the start: the parameters as they were
    on_edges["forward"] = dict(_edge_values(net, "weight"))
    looks, largest = _edge_looks(svg, on_edges)
    labels = getattr(net, "labels", None)
    label_of = {} if labels is None else dict(zip(net.outputs, labels))
    subtitle = f"{len(events)} events, {dbg.cost.name}" if y is not None else "forward pass"
    data = {
        "kind": "pass",
        "title": f"One pass through {len(nodes) - len(net.inputs)} neurons",
        "subtitle": subtitle + ("" if eta is None else f", one update with η = {eta:g}"),
        "events": [
            {
                "phase": e.phase,
                "neuron": None if isinstance(e, CostEvent) else index[e.neuron],
                "text": str(e),
            }
            for e in events
        ],
        "edges": looks,
        "keys": _keys(nodes, shown, largest),
        "neurons": [
            {
                "name": str(node.name),
                "drawn": shown_name(display_name(node)),  # as the diagram writes it: L3.8 · "7"
                "id": text_id(node.name),  # as the diagram's edge ids write it
                "input": isinstance(node, Input),
                "label": None if node not in label_of else str(label_of[node]),
                "at": at[i],
                "shows": shows,
                "reports": reports[i],
            }
            for i, (node, shows) in enumerate(zip(nodes, _appearance(nodes, shown)))
        ],
    }
    return Recording(dbg, events, svg, data)


def _edges_after(net: Network, y: Any, eta: float | None) -> dict[str, dict[str, float]]:
    """After the whole pass: each edge's ∂C/∂w (with a target) and its new w (with an η)."""
    on_edges = {}
    if y is not None:
        on_edges["backward"] = dict(_edge_values(net, "grad"))
    if eta is not None:
        on_edges["update"] = dict(_edge_values(net, "weight"))
    return on_edges


def _edge_values(net: Network, attr: str) -> list[tuple[str, float]]:
    """Each edge's SVG id and its `attr` now: ``"weight"`` or ``"grad"``."""
    return [(edge_id(s, t), value) for s, t, value in net.graph.edges(data=attr)]


def _diagram(net: Network, max_neurons: int, max_edges: int) -> str:
    """The diagram of the network's current values, as an SVG element for a page.

    Its legend keys only the shapes: the page colours the fill and the edges by what each
    phase shows, and writes the key of that (see [`KEYS`][]).
    """
    diagram = draw(
        net, "activations", partial=True, max_neurons=max_neurons, max_edges=max_edges, keys=False
    )
    svg = pipe(diagram, "svg").decode("utf-8")
    return svg[svg.index("<svg") :]  # no XML prolog inside an HTML page


def _edge_looks(
    svg: str, on_edges: dict[str, dict[str, float]]
) -> tuple[dict[str, Any], dict[str, float]]:
    """Per edge the diagram draws and per mode: its label, colour, width and text colour.

    As [`neurograph.draw`][] draws an edge: colour by sign, width by ``|value|`` over the
    largest of the mode (w, ∂C/∂w or the new w) among the edges drawn, which is returned
    per mode too.
    """
    drawn = {html.unescape(i) for i in re.findall(r'<g id="([^"]+)" class="edge"', svg)}
    looks: dict[str, Any] = {i: {} for i in drawn if i in on_edges["forward"]}
    largest = {}
    for mode, values in on_edges.items():
        largest[mode] = scale = max((abs(values[i]) for i in looks), default=0.0)
        for i, look in looks.items():
            attrs = edge_attrs(values[i], scale, label=fmt(values[i]))
            look[mode] = [attrs["label"], attrs["color"], attrs["penwidth"], attrs["fontcolor"]]
    return looks, largest


def _keys(
    nodes: list[Neuron], shown: dict[str, list[Any]], largest: dict[str, float]
) -> dict[str, list[str]]:
    """The key of each mode the page shows: what the fill shows, what the edges show."""
    keys = {}
    for mode, row in shown.items():
        fill, symbol, edge, edge_symbol = KEYS[mode]
        beyond = activation_scale(row) if mode == "forward" else 0.0
        if mode == "forward" and beyond == 0:
            fill_text = "fill: a, from white (0) to dark green (1)"
        elif mode == "forward":  # tanh, ReLU or inputs outside [0, 1]
            fill_text = f"fill: a, red < 0, blue > 0 (largest |a| = {fmt(beyond)})"
        else:
            size = max((abs(v) for n, v in zip(nodes, row)
                        if v is not None and not isinstance(n, Input)), default=0.0)  # fmt: skip
            fill_text = f"fill: {fill}, red < 0, blue > 0 (largest |{symbol}| = {fmt(size)})"
        scale = largest["forward" if mode == "start" else mode]
        keys[mode] = [
            fill_text,
            f"edges: {edge}, blue > 0, red < 0, width ∝ |{edge_symbol}| (largest {fmt(scale)})",
        ]
    return keys


def _appearance(nodes: list[Neuron], shown: dict[str, list[Any]]) -> list[dict[str, list[str]]]:
    """Per neuron and mode of the page: its value line, fill and text colour, as drawn.

    ``start`` shows the biases, ``forward`` the activations (the green scale of
    [`neurograph.draw`][], or red to blue where some lie outside [0, 1]), ``backward`` the
    errors δ and ``update`` the new biases (red to blue, scaled by the largest magnitude of
    the mode). Inputs show their activation only.
    """
    found: list[dict[str, list[str]]] = [{} for _ in nodes]
    for mode, row in shown.items():
        symbol = "a" if mode == "forward" else "δ" if mode == "backward" else "b"
        scale = max((abs(v) for n, v in zip(nodes, row) if not isinstance(n, Input)), default=0)
        beyond = activation_scale(row) if mode == "forward" else 0.0
        for i, (node, value) in enumerate(zip(nodes, row)):
            if value is None or (isinstance(node, Input) and mode != "forward"):
                continue
            if mode == "forward":
                fill = activation_fill(value, beyond)
            else:
                fill = diverging(
                    value / scale if scale else 0.0, 0.9 if mode == "backward" else 0.55
                )
            found[i][mode] = [f"{symbol} = {fmt(value, 3)}", fill, text_colour(fill)]
    return found


def record_debugger(dbg: Debugger) -> Recording:
    """Record a debugger's whole pass (``Debugger.record``); the debugger keeps its position.

    The debugger goes back to the start, [`record`][] runs the passes from there, and the
    debugger steps forward again to where it was.

    Examples
    --------
    >>> import neurograph as ng
    >>> dbg = ng.Debugger(ng.layered([2, 2, 1], seed=0), [1.0, 0.5], 1.0)
    >>> _ = dbg.step(2)
    >>> len(dbg.record()), dbg.position
    (7, 2)
    """
    position = dbg.position
    if position:
        dbg.back(position)
    try:
        return record(dbg.net, dbg.x, dbg.y, dbg.cost, eta=dbg.eta)
    finally:
        if position:
            dbg.step(position)
