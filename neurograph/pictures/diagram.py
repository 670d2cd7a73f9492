"""Diagrams of networks with Graphviz: [`draw`][] a network, [`render`][] it to a file.

``draw`` only builds a `graphviz.Digraph` (no ``dot`` program needed: its ``.source``
is the DOT text); ``render`` runs Graphviz's ``dot`` to write SVG, PNG or PDF. A network shows
itself in Jupyter through ``draw``. See also [`neurograph.draw_limit`][] (the perceptron as
the c → ∞ limit of a sigmoid neuron) and [`neurograph.draw_weights`][].
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphviz

from neurograph.errors import UsageError
from neurograph.graph.network import Network
from neurograph.graph.neurons import Input, Neuron
from neurograph.graph.outputs import class_verdict, display_name
from neurograph.io.atomic import write_atomic
from neurograph.io.outputs import check_output
from neurograph.pictures.dot import MAX_DPI, Diagram, new_graph, pipe
from neurograph.pictures.escape import dot_text, html_text
from neurograph.pictures.mapdiagram import map_nodes
from neurograph.pictures.panel import Panel
from neurograph.pictures.style import (
    HIGHLIGHT,
    activation_fill,
    activation_scale,
    diverging,
    edge_key,
    fmt,
    kinds_key,
    legend_label,
    node_label,
    sequential,
    swatches,
    text_colour,
)

__all__ = ["FORMATS", "SHOWS", "check_path", "draw", "render"]

SHOWS = ("weights", "activations", "deltas", "gradients", "maps")
FORMATS = ("svg", "png", "pdf", "dot")
# what each show mode writes in a neuron: (attribute, symbol)
_VALUES = {
    "weights": ("bias", "b"),
    "activations": ("a", "a"),
    "deltas": ("delta", "δ"),
    "gradients": ("bias_grad", "∂C/∂b"),
}


def draw(
    net: Network,
    show: str = "weights",
    *,
    highlight: Neuron | str | None = None,
    partial: bool = False,
    max_neurons: int = 12,
    max_edges: int = 60,
    title: str | None = None,
    data: Any = None,
    y: Any = None,
    keys: bool = True,
) -> Diagram:
    """Draw a network: neurons left to right by level, edges coloured by sign.

    Parameters
    ----------
    net : Network
    show : {"weights", "activations", "deltas", "gradients", "maps"}
        What the diagram shows. ``"weights"``: each neuron's bias ``b``, edges by weight.
        ``"activations"``: each neuron's ``a`` after the latest forward pass, as a green fill.
        ``"deltas"``: each neuron's error ``δ = ∂C/∂z`` after a backward pass.
        ``"gradients"``: ``∂C/∂b`` on the neurons and ``∂C/∂w`` on the edges (their colour
        and width), after a backward pass. ``"maps"`` (a network with two inputs): each
        neuron as a small heat map of its activation over the input plane, computed in one
        batched pass (see [`neurograph.decision_map`][]).
    highlight : Neuron or str, optional
        A neuron (or its name) drawn with an orange outline: the debugger's current neuron.
        It is drawn even in an elided level.
    partial : bool
        Allow values that are not computed yet (None, during a pass): such neurons are
        drawn dashed with ``?``. Without it, the values asked for must exist.
    max_neurons : int
        Most neurons drawn per level; a larger level keeps its first and last neurons and a
        "… N more" node between them. A square input layer larger than this (784 MNIST
        pixels) is drawn as one picture: the input image after a forward pass.
    max_edges : int
        Most edges drawn: those of largest ``|w|`` (``|∂C/∂w|`` for gradients); the legend
        says how many were left out.
    title : str, optional
        A title above the legend.
    data : (X, y), optional
        With ``show="maps"``: the points drawn on the output neurons' maps, in class colours;
        the maps cover their range.
    y : int or array_like, optional
        The desired output of the input drawn (a class index or a vector): the legend says
        its true label next to the network's prediction. Output neurons are named with
        their labels (``L3.8 · "7"``) when the network has them (``net.labels``).

    keys : bool
        With False, the legend leaves out its keys of the fill and the edges: for a page that
        recolours the diagram as it plays and writes the key of what it shows.

    Returns
    -------
    Diagram
        A `graphviz.Digraph`: ``.source`` is the DOT text; Jupyter shows it as SVG;
        [`render`][] writes it to a file.

    Raises
    ------
    UsageError
        For an unknown `show`, or values asked for before the pass that computes them.
    GraphError
        If `highlight` names no neuron of `net`.

    Notes
    -----
    Laid out as the book draws networks, inputs on the left (Nielsen, ch. 1, "The
    architecture of neural networks"); levels come from [`Network.levels`][], so a skip
    connection spans several levels. Each level is one rank of Graphviz's ``dot``, its
    neurons kept in order by invisible edges.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.layered([2, 3, 1], seed=0)
    >>> g = draw(net, show="weights")
    >>> 'id="L2.1->L3.1"' in g.source
    True
    >>> draw(net, show="deltas")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.UsageError: show='deltas' needs a backward pass: run net.forward(x), ...
    """
    if not isinstance(net, Network):
        msg = f"draw: expected a Network, got {type(net).__name__}"
        raise UsageError(msg)
    if show not in SHOWS:
        msg = f"unknown show={show!r}; expected one of " + ", ".join(map(repr, SHOWS))
        raise UsageError(msg)
    check_limits(max_neurons, max_edges)
    keep = [] if highlight is None else [net.neuron(highlight)]
    panel = Panel(
        net,
        max_neurons=max_neurons,
        max_edges=max_edges,
        edge_value=(lambda data: data.get("grad")) if show == "gradients" else None,
        keep=keep,
    )
    if show == "maps":  # pictures/mapdiagram.py draws the neurons
        return _maps_diagram(net, panel, data, keep, title)
    if not partial:
        require_values(net, show)
    attr = _VALUES[show][0]
    if show == "activations":  # inputs too: their fill shows their a
        scale = activation_scale(n.a for n in panel.drawn)
    else:
        found = [getattr(n, attr) for n in panel.drawn if not isinstance(n, Input)]
        scale = max((abs(v) for v in found if v is not None), default=0.0)
    graph = new_graph()
    spread(graph, panel)
    picture = {"color": HIGHLIGHT} if keep and isinstance(keep[0], Input) else {}
    panel.emit(graph, _node_painter(show, scale, keep), picture_attrs=picture)
    rows = _legend_rows(net, panel, show, scale, keep, y, keys)
    graph.attr(label=legend_label(title, rows, notes(panel, show == "gradients")), labelloc="b")
    return graph


def _maps_diagram(
    net: Network, panel: Panel, data: Any, keep: list[Neuron], title: str | None
) -> Diagram:
    """``show="maps"``: every neuron a small heat map of its activation over the input plane."""
    maps_attrs, rows = map_nodes(net, panel, data, keep)
    graph = new_graph()
    spread(graph, panel)
    panel.emit(graph, maps_attrs)
    rows += [("edges", edge_key("w", f"width ∝ |w|, largest {fmt(panel.largest)}"))]
    graph.attr(label=legend_label(title, rows, notes(panel)), labelloc="b")
    return graph


def _node_painter(
    show: str, scale: float, keep: list[Neuron]
) -> Callable[[Neuron], dict[str, str]]:
    """How each neuron is drawn: its value written and as a fill, the current one outlined."""
    attr, symbol = _VALUES[show]

    def node_attrs(neuron: Neuron) -> dict[str, str]:
        value = getattr(neuron, attr)
        is_input = isinstance(neuron, Input)
        attrs: dict[str, str] = {"tooltip": dot_text(_tooltip(neuron), tooltip=True)}
        if is_input and show != "activations":
            value, lines = None, []
        elif value is None:
            lines = [f"{symbol} = ?"]
            attrs.update(style="filled,dashed", fillcolor="#ffffff")
        else:
            lines = _value_lines(symbol, float(value), digits=3)
            if show == "activations":
                attrs["fillcolor"] = activation_fill(value, scale)
            elif not is_input:
                t = value / scale if scale > 0 else 0.0
                attrs["fillcolor"] = diverging(t, 0.55 if show == "weights" else 0.9)
        fill = attrs.get("fillcolor", "#eeeeee" if is_input else "#ffffff")
        attrs["label"] = node_label(display_name(neuron), lines, colour=text_colour(fill))
        if keep and neuron is keep[0]:
            attrs.update(color=HIGHLIGHT, penwidth="4")
        return attrs

    return node_attrs


def _legend_rows(
    net: Network,
    panel: Panel,
    show: str,
    scale: float,
    keep: list[Neuron],
    y: Any,
    keys: bool = True,
) -> list[tuple[str, str]]:
    """The legend: kinds, fill, edges, image arrows, the classes, the outline, what is missing.

    With ``keys=False`` it leaves out the keys of the fill and the edges (a page writes its own).
    """
    rows = [("neurons", kinds_key(panel.drawn))]
    what = "∂C/∂w" if show == "gradients" else "w"
    if keys:
        rows.append(("fill", _fill_key(show, scale)))
        rows.append(("edges", edge_key(what, f"width ∝ |{what}|, largest {fmt(panel.largest)}")))
    if panel.bundles:
        rows.append(("image arrows", panel.bundle_key()))
    verdict = class_verdict(net, y)
    if verdict:
        rows.append(("classes", html_text(verdict)))
    if keep:
        rows.append(("orange outline", html_text(f"the current neuron, {keep[0].name!r}")))
    attr = _VALUES[show][0]
    if any(getattr(n, attr) is None for n in panel.drawn if not isinstance(n, Input)):
        rows.append(("dashed, ?", "not computed yet"))
    return rows


def spread(graph: Any, panel: Panel) -> None:
    """Space the levels of a tall diagram further apart, so that its edges can be told apart."""
    tallest = panel.tallest
    if tallest > 4:
        graph.graph_attr["ranksep"] = f"{min(0.9 + 0.15 * (tallest - 4), 2.6):.2f}"
    if tallest > 6 and not panel.skips:
        graph.graph_attr["splines"] = "line"


def notes(panel: Panel, grads: bool = False) -> list[str]:
    """The legend's notes on what a summarised diagram leaves out."""
    found = []
    if panel.n_elided:
        found.append(f"… N more: {panel.n_elided} neurons are not drawn here")
    if panel.n_left_out > 0:
        what = "|∂C/∂w|" if grads else "|w|"
        why = []
        if panel.n_weak:
            why.append(f"{panel.n_weak:,} of smallest {what}")
        if panel.n_left_out > panel.n_weak:
            why.append(f"{panel.n_left_out - panel.n_weak:,} of neurons not drawn")
        found.append(
            f"{panel.n_left_out:,} of {panel.n_edges:,} edges are left out: " + " and ".join(why)
        )
    return found


def require_values(net: Network, show: str) -> None:
    """Raise a UsageError when the pass that computes `show` has not run."""
    if show == "activations" and net.computed == "nothing":
        msg = (
            "show='activations' needs a forward pass: run net.forward(x) first "
            "(or draw with partial=True)"
        )
        raise UsageError(msg)
    if show in ("deltas", "gradients") and net.computed != "backward":
        msg = (
            f"show={show!r} needs a backward pass: run net.forward(x), then "
            "net.backward(y, cost) (or draw with partial=True)"
        )
        raise UsageError(msg)


def check_limits(max_neurons: Any, max_edges: Any) -> None:
    """Raise a UsageError unless 2 <= `max_neurons` <= 2,000 and 0 <= `max_edges` <= 50,000.

    Beyond those no diagram is readable, and ``dot`` would take minutes to lay it out.
    """
    limits = (("max_neurons", max_neurons, 2, 2_000), ("max_edges", max_edges, 0, 50_000))
    for name, value, least, most in limits:
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            msg = f"{name} must be an integer >= {least} and <= {most:,}, got {value!r}"
            raise UsageError(msg)


def _value_lines(symbol: str, value: float, digits: int) -> list[str]:
    text = fmt(value, digits)
    return [symbol, text] if len(symbol) > 2 else [f"{symbol} = {text}"]


def _tooltip(neuron: Neuron) -> str:
    parts = [f"{type(neuron).__name__} {neuron.name}"]
    for key, symbol in (("bias", "b"), ("z", "z"), ("a", "a"), ("delta", "δ")):
        value = getattr(neuron, key)
        if value is not None and not (isinstance(neuron, Input) and key in ("bias", "z", "delta")):
            parts.append(f"{symbol} = {value:.6g}")
    return ", ".join(parts)


def _fill_key(show: str, scale: float) -> str:
    if show == "activations" and scale == 0:
        return swatches([sequential(t / 4) for t in range(5)], "a = 0", "1")
    symbol = _VALUES[show][1]
    strength = 0.55 if show == "weights" else 0.9
    colours = [diverging(t / 2, strength) for t in range(-2, 3)]
    if scale == 0:
        return swatches(colours, f"{symbol} < 0", "> 0")
    return swatches(colours, f"{symbol} = {fmt(-scale)}", fmt(scale))


def render(
    diagram: Diagram | graphviz.Digraph | Network, path: str | os.PathLike[str], *, dpi: int = 144
) -> Path:
    """Write a diagram to a file; the format comes from the extension: svg, png, pdf or dot.

    Parameters
    ----------
    diagram : graphviz.Digraph or Network
        A diagram from [`draw`][], [`draw_limit`][] (or any graphviz graph); a network
        is drawn first with ``draw(net)``.
    path : str or path-like
        ``.dot`` writes the DOT source (no Graphviz needed); ``.svg``, ``.png`` and ``.pdf``
        run Graphviz's ``dot``. The file is written atomically.
    dpi : int
        Resolution of a PNG, 1 to 1200.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        For an unknown extension or a directory that does not exist.
    NeurographError
        When Graphviz is not installed (the message says how to install it) or fails.
    """
    if isinstance(diagram, Network):
        diagram = draw(diagram)
    if not isinstance(diagram, graphviz.Digraph | graphviz.Graph):
        msg = f"render: expected a graphviz graph or a Network, got {type(diagram).__name__}"
        raise UsageError(msg)
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 1 <= dpi <= MAX_DPI:
        msg = f"dpi must be a whole number from 1 to {MAX_DPI}, got {dpi!r}"
        raise UsageError(msg)
    path, fmt_ = check_path(path)
    if fmt_ == "dot":
        return write_atomic(path, diagram.source)
    graph = diagram
    if fmt_ == "png":
        graph = diagram.copy()
        graph.graph_attr["dpi"] = str(int(dpi))
    return write_atomic(path, pipe(graph, fmt_))


def check_path(
    path: str | os.PathLike[str], formats: tuple[str, ...] = FORMATS
) -> tuple[Path, str]:
    """Check an output path before any work: a known extension, a file [`write_atomic`][] may
    replace, a symbolic link only to such a file (see [`neurograph.io.outputs.check_output`][]).

    Returns
    -------
    path : pathlib.Path
    format : str
        The extension without its dot, in lower case.

    Raises
    ------
    UsageError
        Saying what is wrong in one line.
    """
    path = Path(path)
    check_output(path, formats)  # the commands' rule, links to other kinds of file refused
    return path, path.suffix.lower().lstrip(".")
