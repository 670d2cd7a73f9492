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
from neurograph.pictures.style import diverging, fmt, sequential, text_colour
from neurograph.player.page import page_html

__all__ = ["Recording", "record", "record_debugger"]

#: Up to this many edges, the page relabels the diagram's edges: w, ∂C/∂w, the new w.
MAX_LABELLED_EDGES = 200


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
    max_neurons: int = 12,
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
        How much of a large network the diagram draws (see [`neurograph.draw`][]).

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
    nodes = list(net.plan().nodes)
    index = {node: i for i, node in enumerate(nodes)}
    values = {node: _values(node) for node in nodes}
    at: list[dict[str, int]] = [{} for _ in nodes]
    reports = [[[0, dbg.inspect(node)]] for node in nodes]
    shown = {"start": [node.bias for node in nodes]}
    labelled = net.graph.number_of_edges() <= MAX_LABELLED_EDGES
    edges = {edge_id(s, t): {"forward": fmt(w)} for s, t, w in _weights(net, labelled)}
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
    for s, t, w in _weights(net, labelled and y is not None):  # the gradients, the new w
        edges[edge_id(s, t)]["backward"] = fmt(net.graph.edges[s, t]["grad"])
        if eta is not None:
            edges[edge_id(s, t)]["update"] = fmt(w)
    if dbg.total:
        dbg.back(dbg.total)  # to the start: the parameters as they were
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
        "edges": edges,
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


def _weights(net: Network, labelled: bool) -> list[tuple[Neuron, Neuron, float]]:
    """The edges and their weights, when the diagram is small enough to label its edges."""
    return list(net.graph.edges(data="weight")) if labelled else []


def _diagram(net: Network, max_neurons: int, max_edges: int) -> str:
    """The diagram of the network's current values, as an SVG element for a page."""
    diagram = draw(net, "activations", partial=True, max_neurons=max_neurons, max_edges=max_edges)
    svg = pipe(diagram, "svg").decode("utf-8")
    return svg[svg.index("<svg") :]  # no XML prolog inside an HTML page


def _appearance(nodes: list[Neuron], shown: dict[str, list[Any]]) -> list[dict[str, list[str]]]:
    """Per neuron and mode of the page: its value line, fill and text colour, as drawn.

    ``start`` shows the biases, ``forward`` the activations (the green scale of
    [`neurograph.draw`][]), ``backward`` the errors δ and ``update`` the new biases (red to
    blue, scaled by the largest magnitude of the mode). Inputs show their activation only.
    """
    found: list[dict[str, list[str]]] = [{} for _ in nodes]
    for mode, row in shown.items():
        symbol = "a" if mode == "forward" else "δ" if mode == "backward" else "b"
        scale = max((abs(v) for n, v in zip(nodes, row) if not isinstance(n, Input)), default=0)
        for i, (node, value) in enumerate(zip(nodes, row)):
            if value is None or (isinstance(node, Input) and mode != "forward"):
                continue
            if mode == "forward":
                fill = sequential(value)
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
