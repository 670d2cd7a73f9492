"""The look of neurograph's diagrams: colours, number formats, node shapes and the legend.

Pure string helpers (no Graphviz needed), shared by [`neurograph.draw`][],
[`neurograph.draw_limit`][] and [`neurograph.draw_weights`][]. Colours encode one thing
each: blue is positive and red is negative (weights, biases, errors), a green scale is an
activation between 0 and 1, and orange marks a neuron to look at.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from neurograph.graph.neurons import Input, Neuron, Perceptron, SigmoidNeuron, SoftmaxUnit
from neurograph.pictures.escape import html_text, shown_name

__all__ = [
    "activation_fill",
    "activation_scale",
    "FONT",
    "INK",
    "HIGHLIGHT",
    "NEG",
    "POS",
    "STUCK",
    "colour_table",
    "diverging",
    "edge_attrs",
    "edge_key",
    "fmt",
    "image_label",
    "kinds_key",
    "legend_label",
    "mix",
    "node_label",
    "sequential",
    "shape_attrs",
    "swatches",
    "text_colour",
]

FONT = "Helvetica"
POS = "#2166ac"  # positive: blue (ColorBrewer RdBu)
NEG = "#b2182b"  # negative: red
HIGHLIGHT = "#ff8c00"  # the current neuron of the debugger
STUCK = "#f28e2b"  # exercise 1.2: w·x + b = 0
INK = "#333333"
MUTED = "#777777"
_DIVERGING = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"]
_SEQUENTIAL = ["#ffffff", "#c7e9c0", "#74c476", "#238b45", "#00441b"]


def fmt(v: float, digits: int = 3) -> str:
    """Format a number for a label: `digits` significant digits and a true minus sign.

    Parameters
    ----------
    v : float
    digits : int
        Significant digits; very small or large numbers get a short exponent.

    Returns
    -------
    str

    Examples
    --------
    >>> [fmt(v) for v in (0.0, 0.73106, -1.5, 1234.5, 2.5e-05, 3.14e7)]
    ['0', '0.731', '−1.5', '1234', '2.5e−5', '3.1e7']
    """
    v = float(v) + 0.0
    size = abs(v)
    if size == 0:
        text = "0"
    elif 1e-3 <= size < 1e5:
        text = f"{v:.{digits}g}"
        if "e" in text:
            text = f"{v:.0f}"
    else:  # short exponents: 3.6e−4, 1.2e5
        mantissa, exponent = f"{v:.{max(digits - 2, 0)}e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def mix(stops: Sequence[str], t: float) -> str:
    """The colour at `t` in [0, 1] on a scale through the hex colours `stops`.

    Parameters
    ----------
    stops : sequence of str
        Colours ``"#rrggbb"``, evenly spaced from ``t = 0`` to ``t = 1``.
    t : float
        Clipped to [0, 1]; NaN gives the first colour.

    Returns
    -------
    str
        ``"#rrggbb"``, linearly interpolated between the two nearest stops.

    Examples
    --------
    >>> mix(["#000000", "#ffffff"], 0.5)
    '#808080'
    """
    t = min(max(float(t), 0.0), 1.0) if math.isfinite(t) else 0.0
    pos = t * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    frac = pos - i
    lo, hi = _rgb(stops[i]), _rgb(stops[i + 1])
    return "#" + "".join(f"{round(a + (b - a) * frac):02x}" for a, b in zip(lo, hi))


def diverging(t: float, strength: float = 1.0) -> str:
    """Red (`t` = -1) through near-white (0) to blue (+1): the colour of a signed value.

    Parameters
    ----------
    t : float
        A value scaled to [-1, 1] (clipped).
    strength : float
        Below 1, the scale stops short of the darkest colours (pale fills for biases).

    Returns
    -------
    str

    Examples
    --------
    >>> diverging(-1.0), diverging(0.0), diverging(1.0)
    ('#b2182b', '#f7f7f7', '#2166ac')
    """
    return mix(_DIVERGING, 0.5 + 0.5 * strength * max(-1.0, min(1.0, t)))


def activation_scale(values: Iterable[float | None]) -> float:
    """How activations are coloured: 0 when every one lies in [0, 1] (the green scale of
    [`sequential`][]), else the largest ``|a|`` (red < 0, blue > 0 scaled by it: a tanh
    neuron's a in (−1, 1), a ReLU's above 1, an input of any value).

    Examples
    --------
    >>> activation_scale([0.2, 1.0, None]), activation_scale([0.5, -0.8, 2.5])
    (0.0, 2.5)
    """
    found = [float(v) for v in values if v is not None]
    if all(0.0 <= v <= 1.0 for v in found):
        return 0.0
    return max(abs(v) for v in found)


def activation_fill(a: float, scale: float) -> str:
    """The fill of an activation `a`, by [`activation_scale`][]'s `scale` of those drawn with it.

    White (0) to dark green (1) when `scale` is 0; red (−scale) through white to blue (+scale)
    otherwise, so that a negative activation never looks like a = 0.
    """
    return sequential(a) if scale == 0 else diverging(a / scale, 0.9)


def sequential(a: float) -> str:
    """White (`a` = 0) to dark green (`a` = 1): the colour of an activation.

    Parameters
    ----------
    a : float
        An activation in [0, 1] (clipped).

    Returns
    -------
    str
    """
    return mix(_SEQUENTIAL, a)


def text_colour(fill: str) -> str:
    """White text on a dark fill, dark text on a light one."""
    r, g, b = _rgb(fill)
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 128 else INK


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def shape_attrs(neuron: Neuron) -> dict[str, str]:
    """Node shape by kind: inputs small grey circles, perceptrons squares, others circles."""
    if isinstance(neuron, Input):
        return {"shape": "circle", "width": "0.62", "color": "#999999", "fillcolor": "#eeeeee"}
    if isinstance(neuron, Perceptron):
        return {"shape": "square", "width": "0.82", "color": INK}
    return {"shape": "circle", "width": "0.9", "color": INK}


def node_label(name: str, lines: Sequence[str] = (), *, colour: str = INK) -> str:
    """An HTML-like label: the neuron's name in bold, then smaller lines of values.

    Parameters
    ----------
    name : str
    lines : sequence of str
        Lines under the name, e.g. ``["a = 0.731"]`` (empty ones are skipped).
    colour : str
        The text colour (see [`text_colour`][]).

    Returns
    -------
    str
        ``<…>``, escaped, ready for a node's ``label``.
    """
    parts = [f'<FONT POINT-SIZE="11"><B>{html_text(shown_name(name))}</B></FONT>']
    parts += [f'<FONT POINT-SIZE="9.5">{html_text(line)}</FONT>' for line in lines if line]
    return f'<<FONT COLOR="{colour}">' + "<BR/>".join(parts) + "</FONT>>"


def edge_attrs(value: float | None, scale: float, label: str | None = None) -> dict[str, str]:
    """Attributes of an edge: colour by sign, width and opacity by ``|value| / scale``.

    Parameters
    ----------
    value : float or None
        The weight (or gradient) drawn; None (not computed yet) gives a dashed grey line.
    scale : float
        The largest ``|value|`` of the diagram: it gets the widest, most opaque line.
    label : str, optional
        Text written on the edge, in the edge's colour.

    Returns
    -------
    dict of str to str
    """
    if value is None or not math.isfinite(value):
        return {"color": "#bbbbbb", "style": "dashed", "penwidth": "0.8", "arrowsize": "0.5"}
    t = min(abs(value) / scale, 1.0) if scale > 0 else 0.0
    hue = POS if value >= 0 else NEG
    alpha = round(255 * (0.3 + 0.7 * t))
    attrs = {
        "color": f"{hue}{alpha:02x}",
        "penwidth": f"{0.6 + 3.4 * t:.2f}",
        "arrowsize": f"{0.45 + 0.25 * t:.2f}",
        "tooltip": fmt(value, 4),
    }
    if label is not None:
        attrs.update(label=label, fontsize="9", fontcolor=hue)
    return attrs


def image_label(pixels: Any, caption: str, *, signed: bool = False, px: int = 4) -> str:
    """A picture as an HTML-like table: one cell per run of equal pixels, so dot draws it.

    Parameters
    ----------
    pixels : array_like, shape (h, w)
        Grey levels in [0, 1] (0 white, 1 black, as MNIST digits are shown), or values in
        [-1, 1] coloured red to blue when `signed`.
    caption : str
        A line of text under the picture.
    signed : bool
    px : int
        Size of one pixel in points.

    Returns
    -------
    str
        A label for a node of shape ``plain``; 16 shades per colour keep it small.
    """
    grid = np.asarray(pixels, dtype=float)
    levels = np.round(np.clip(grid, -1.0 if signed else 0.0, 1.0) * 16).astype(int)
    colours = [
        [diverging(v / 16) if signed else mix(["#ffffff", "#000000"], v / 16) for v in row]
        for row in levels.tolist()
    ]
    return (
        '<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">'
        f"<TR>{colour_table(colours, px)}</TR>"
        f'<TR><TD><FONT POINT-SIZE="10" COLOR="{INK}">{html_text(caption)}</FONT></TD></TR>'
        "</TABLE>>"
    )


_ROW = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
_FRAME, _FRAME_COLOUR = 1, "#999999"  # the grey frame around a picture: 1 point wide


def colour_table(colours: Sequence[Sequence[str]], px: int) -> str:
    """A picture as an HTML-like table cell: one cell per run of equal colours in a row.

    Parameters
    ----------
    colours : sequence of sequence of str
        The pixels' ``"#rrggbb"`` colours, row by row, top row first.
    px : int
        Size of one pixel in points.

    Returns
    -------
    str
        A ``<TD>`` of exactly the picture's size plus its grey frame of one point, to place
        in a row of a label (a few colours keep it small). The frame's cells touch the
        pixels, so no gap lies between them; the cell is fixed in size, so a wider column
        (a long caption) never stretches it.
    """
    rows = []
    for row in colours:
        cells, start = [], 0
        while start < len(row):
            end = start
            while end < len(row) and row[end] == row[start]:
                end += 1
            cells.append(
                f'<TD BGCOLOR="{row[start]}" WIDTH="{px * (end - start)}" HEIGHT="{px}" '
                'FIXEDSIZE="TRUE"></TD>'
            )
            start = end
        # each row its own table: cells of different rows never share columns, so a run
        # keeps its width (COLSPANs over uneven runs make dot misplace cells)
        size = f'WIDTH="{px * len(row)}" HEIGHT="{px}" FIXEDSIZE="TRUE"'  # never stretched
        rows.append(f"<TR><TD {size}>{_ROW}<TR>{''.join(cells)}</TR></TABLE></TD></TR>")
    inner_w, inner_h = px * max((len(row) for row in colours), default=0), px * len(colours)
    width, height = inner_w + 2 * _FRAME, inner_h + 2 * _FRAME
    counts = Counter(colour for row in colours for colour in row)
    # under the pixels, the picture's commonest colour: where a viewer's antialiasing lets
    # the background through between two rows, it is the colour around
    under = counts.most_common(1)[0][0] if counts else "#ffffff"
    edge = f'BGCOLOR="{_FRAME_COLOUR}" FIXEDSIZE="TRUE"'
    across = f'<TR><TD COLSPAN="3" {edge} WIDTH="{width}" HEIGHT="{_FRAME}"></TD></TR>'
    side = f'<TD {edge} WIDTH="{_FRAME}" HEIGHT="{inner_h}"></TD>'
    rows_table = _ROW + "".join(rows) + "</TABLE>"
    return (
        f'<TD WIDTH="{width}" HEIGHT="{height}" FIXEDSIZE="TRUE">'
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        f'{across}<TR>{side}<TD BGCOLOR="{under}">{rows_table}</TD>{side}</TR>{across}'
        "</TABLE></TD>"
    )


def swatches(colours: Sequence[str], left: str, right: str) -> str:
    """A colour bar for the legend: `left` text, a block glyph per colour, `right` text."""
    blocks = "".join(f'<FONT COLOR="{_visible(c)}">█</FONT>' for c in colours)
    return f"{html_text(left)} {blocks} {html_text(right)}"


def _visible(colour: str) -> str:
    """A near-white colour made light grey, so that it shows on a white page."""
    return "#e6e6e6" if min(_rgb(colour)) > 235 else colour


def legend_label(title: str | None, rows: Sequence[tuple[str, str]], notes: Sequence[str]) -> str:
    """The legend, written as the graph's label: a title, rows of keys, then notes.

    Parameters
    ----------
    title : str or None
        In bold, on top.
    rows : sequence of (str, str)
        ``(caption, key)``: plain text, and an HTML-like snippet (see [`swatches`][]).
    notes : sequence of str
        Plain text in grey, e.g. what a summarised diagram left out.

    Returns
    -------
    str
        An HTML-like label.
    """
    lines = []
    if title:
        lines.append(
            f'<TR><TD COLSPAN="2"><FONT POINT-SIZE="14"><B>{html_text(title)}</B></FONT></TD></TR>'
        )
    for caption, key in rows:
        lines.append(f'<TR><TD ALIGN="RIGHT">{html_text(caption)}</TD><TD ALIGN="LEFT">{key}</TD>')
        lines[-1] += "</TR>"
    for note in notes:
        lines.append(
            f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT COLOR="{MUTED}">{html_text(note)}'
            "</FONT></TD></TR>"
        )
    return (
        f'<<FONT POINT-SIZE="10" COLOR="{INK}"><TABLE BORDER="0" CELLSPACING="2" '
        'CELLPADDING="1">' + "".join(lines) + "</TABLE></FONT>>"
    )


def edge_key(sign_text: str, what: str) -> str:
    """The legend key of edges: a blue and a red stroke, and what the width means."""
    pos, neg = html_text(f"{sign_text} > 0"), html_text(f"{sign_text} < 0")
    return (
        f'<FONT COLOR="{POS}">━━━</FONT> {pos}   <FONT COLOR="{NEG}">━━━</FONT> {neg}   '
        f"{html_text(what)}"
    )


def kinds_key(neurons: Sequence[Neuron], *, cells: bool = False) -> str:
    """The legend key of node shapes, for the kinds of neuron present.

    With `cells`, neurons are drawn as table cells (rounded boxes) instead of circles.
    """
    present = {type(n) for n in neurons}
    parts = []
    if Input in present:
        parts.append("grey: input" if cells else '<FONT COLOR="#999999">●</FONT> input')
    if any(issubclass(k, Perceptron) for k in present):
        parts.append(("square:" if cells else "□") + " perceptron, step(w·x + b)")
    for kind in sorted(present, key=lambda k: k.__name__):  # each other kind by its symbol
        if not issubclass(kind, (Input, Perceptron, SoftmaxUnit)):
            title = "sigmoid neuron" if kind is SigmoidNeuron else kind.__name__
            text = html_text(f"{title}, {kind.symbol}(w·x + b)")
            parts.append(("rounded:" if cells else "○") + f" {text}")
    if SoftmaxUnit in present:
        parts.append(  # no SUB inside SUP: dot 2.43 writes invalid SVG for it
            "purple box: softmax layer, a<SUB>j</SUB> = exp(z<SUB>j</SUB>) / "
            "Σ<SUB>k</SUB> exp(z<SUB>k</SUB>)"
        )
    return "   ".join(parts)
