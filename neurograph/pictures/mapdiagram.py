"""The neurons of ``draw(net, show="maps")``: each one a small heat map of its activation.

Every neuron of a two-input network is drawn as its activation over the input plane (the first
input across, the second up), the data points on the outputs' maps. The maps are HTML-like
tables of coloured cells, so the diagram needs no image file: its SVG is self-contained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from neurograph.graph.network import Network
from neurograph.graph.neurons import Neuron
from neurograph.pictures.escape import dot_text, html_text, shown_name
from neurograph.pictures.maps import CLASS_COLOURS, Maps, labels, neuron_maps, points
from neurograph.pictures.panel import Panel
from neurograph.pictures.style import HIGHLIGHT, INK, colour_table, fmt, sequential, swatches

__all__ = ["MAX_POINTS", "map_nodes"]

RESOLUTION = 24  # pixels of a map along each axis
PX = 3  # points per pixel
SHADES = 10  # levels of activation drawn
MAX_POINTS = 80  # data points drawn on each output's map


def map_nodes(
    net: Network, panel: Panel, data: Any = None, highlight: Sequence[Neuron] = ()
) -> tuple[Callable[[Neuron], dict[str, str]], list[tuple[str, str]]]:
    """Each drawn neuron's node as a heat map, and the legend's rows that explain them.

    Parameters
    ----------
    net : Network
        A network with two inputs.
    panel : Panel
        The diagram's panel: only its drawn neurons are mapped.
    data : (X, y), optional
        Drawn on the output neurons' maps (the first [`MAX_POINTS`][] examples), and
        setting the plane's extent (see [`neuron_maps`][neurograph.pictures.maps.neuron_maps]).
    highlight : sequence of Neuron
        Neurons framed in orange (the debugger's current neuron).

    Returns
    -------
    node_attrs : callable
        A neuron's node attributes, for [`Panel.emit`][].
    rows : list of (str, str)
        The legend's keys of the maps, their shades and the points.

    Raises
    ------
    UsageError
        For a network without exactly two inputs.
    """
    maps = neuron_maps(net, data=data, resolution=RESOLUTION)
    outputs = set(net.outputs)
    dots = _dots(maps, data)

    def node_attrs(neuron: Neuron) -> dict[str, str]:
        a = maps.a[str(neuron.name)]
        shades = np.round(np.clip(a[::-1], 0.0, 1.0) * SHADES) / SHADES  # top row: largest x₂
        colours = [[sequential(v) for v in row] for row in shades.tolist()]
        if neuron in outputs:
            for i, j, colour in dots:
                colours[i][j] = colour
        caption = (
            f"{shown_name(neuron.name)}: a {fmt(float(a.min()), 2)} … {fmt(float(a.max()), 2)}"
        )
        frame = f'BORDER="3" COLOR="{HIGHLIGHT}"' if neuron in highlight else 'BORDER="0"'
        label = (
            f'<TABLE {frame} CELLSPACING="1" CELLPADDING="0">'
            f"<TR>{colour_table(colours, PX)}</TR>"
            f'<TR><TD><FONT POINT-SIZE="9" COLOR="{INK}">{html_text(caption)}</FONT></TD></TR>'
            "</TABLE>"
        )
        tooltip = f"{type(neuron).__name__} {neuron.name}: its a over the input plane"
        return {
            "label": f"<{label}>",
            "shape": "plain",
            "style": "",
            "fixedsize": "false",
            "tooltip": dot_text(tooltip, tooltip=True),
        }

    x1, x2 = (shown_name(n.name) for n in net.inputs)
    box = maps.extent
    rows = [
        (
            "maps",
            html_text(
                f"each neuron's a over the input plane: {x1} from {fmt(box[0], 2)} to "
                f"{fmt(box[1], 2)} across, {x2} from {fmt(box[2], 2)} to {fmt(box[3], 2)} up"
            ),
        ),
        ("shade", swatches([sequential(t / 4) for t in range(5)], "a = 0", "1")),
    ]
    if dots:
        k = int(labels(data).max()) + 1
        colours = [CLASS_COLOURS[c % len(CLASS_COLOURS)] for c in range(k)]
        rows.append(("points", swatches(colours, "class 0", f"{k - 1}: the data, on the outputs")))
    if highlight:
        rows.append(("orange frame", html_text(f"the current neuron, {highlight[0].name!r}")))
    return node_attrs, rows


def _dots(maps: Maps, data: Any) -> list[tuple[int, int, str]]:
    """The pixel (row from the top, column) and class colour of each data point drawn."""
    if data is None:
        return []
    X, y = points(data)[:MAX_POINTS], labels(data)[:MAX_POINTS]
    box, n = maps.extent, len(maps.x1)
    j = np.round((X[:, 0] - box[0]) / (box[1] - box[0]) * (n - 1)).astype(int)
    i = np.round((box[3] - X[:, 1]) / (box[3] - box[2]) * (n - 1)).astype(int)
    inside = (0 <= i) & (i < n) & (0 <= j) & (j < n)
    return [
        (int(r), int(c), CLASS_COLOURS[int(k) % len(CLASS_COLOURS)])
        for r, c, k in zip(i[inside], j[inside], y[inside])
    ]
