"""Pictures of what hidden neurons look for: each neuron's incoming weights as a small image.

For a network trained on MNIST, neuron ``j`` of layer 2 has one weight per pixel; drawn as a
28x28 tile (blue positive, red negative) it shows the strokes the neuron responds to.
:func:`draw_weights` writes a grid of such tiles, one per neuron, as PNG or SVG.
"""

from __future__ import annotations

import base64
import html
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.graph.network import Network
from neurograph.io.atomic import write_atomic
from neurograph.pictures.escape import clean_text
from neurograph.pictures.png import png_bytes
from neurograph.pictures.style import INK, diverging

__all__ = ["draw_weights", "weight_matrix", "weight_tiles"]

_LUT = np.array(
    [
        [int(c[i : i + 2], 16) for i in (1, 3, 5)]
        for c in (diverging(t / 128 - 1) for t in range(257))
    ],
    dtype=np.uint8,
)


def weight_matrix(net_or_fast: Any, layer: int = 2) -> tuple[list[str], np.ndarray]:
    """The weights into each neuron of `layer` from each neuron of the layer before.

    Parameters
    ----------
    net_or_fast : Network or FastNetwork
        A compiled network is read through its per-layer weights ``w[l]`` and ``layers``.
    layer : int
        A layer as the book counts them: 1 is the inputs, so 2 is the first hidden layer.

    Returns
    -------
    names : list of str
        The neurons of the layer.
    w : ndarray, shape (n_l, n_{l-1})
        ``w[j, k]`` is the weight from neuron ``k`` of layer ``l - 1`` (0 without an edge).

    Raises
    ------
    UsageError
        If the layer does not exist, or `net_or_fast` is neither kind of network.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.from_matrices([[[1.0, 2.0], [3.0, 4.0]]], [[0.0, 0.0]])
    >>> names, w = weight_matrix(net, 2)
    >>> names, w.tolist()
    (['L2.1', 'L2.2'], [[1.0, 2.0], [3.0, 4.0]])
    >>> weight_matrix(net.compile(), 2)[1].tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    if isinstance(net_or_fast, Network):
        levels = [[str(n.name) for n in level] for level in net_or_fast.levels()]
        _check_layer(layer, len(levels))
        neurons = net_or_fast.levels()[layer - 1]
        column = {name: k for k, name in enumerate(levels[layer - 2])}
        w = np.zeros((len(neurons), len(column)))
        for j, neuron in enumerate(neurons):
            for src, data in net_or_fast.graph.pred[neuron].items():
                if str(src.name) in column:
                    w[j, column[str(src.name)]] = data["weight"]
        return levels[layer - 1], w
    layers = getattr(net_or_fast, "layers", None)
    weights = getattr(net_or_fast, "w", None)
    if not isinstance(layers, list) or not isinstance(weights, dict):
        msg = f"expected a Network or a FastNetwork, got {type(net_or_fast).__name__}"
        raise UsageError(msg)
    by_number = {ly.number: ly for ly in layers}
    _check_layer(layer, len(layers) + 1)
    this = by_number[layer]
    before = list(net_or_fast.inputs) if layer == 2 else by_number[layer - 1].names
    column = {name: i for i, name in enumerate(this.sources)}
    block = np.asarray(weights[layer], dtype=float)
    w = np.zeros((len(this.names), len(before)))
    for k, name in enumerate(before):
        if name in column:
            w[:, k] = block[:, column[name]]
    return list(this.names), w


def _check_layer(layer: Any, n_layers: int) -> None:
    if isinstance(layer, bool) or not isinstance(layer, int) or not 2 <= layer <= n_layers:
        msg = (
            f"layer {layer!r} has no incoming weights: this network has layers 1..{n_layers} "
            f"(1 = the inputs), so choose one of 2..{n_layers}"
        )
        raise UsageError(msg)


def weight_tiles(net_or_fast: Any, layer: int = 2) -> tuple[list[str], np.ndarray]:
    """The incoming weights of each neuron of `layer`, shaped as images.

    Parameters
    ----------
    net_or_fast : Network or FastNetwork
    layer : int
        2 is the first hidden layer.

    Returns
    -------
    names : list of str
    tiles : ndarray, shape (n_neurons, h, w)
        28x28 for MNIST; a count of weights that is not a square fills the last row of each
        tile with NaN.

    Examples
    --------
    >>> import neurograph as ng
    >>> names, tiles = weight_tiles(ng.layered([4, 2, 1], seed=0), layer=2)
    >>> names, tiles.shape
    (['L2.1', 'L2.2'], (2, 2, 2))
    """
    names, w = weight_matrix(net_or_fast, layer)
    n = w.shape[1]
    width = math.isqrt(n) if math.isqrt(n) ** 2 == n else math.ceil(math.sqrt(n))
    height = math.ceil(n / width)
    tiles = np.full((len(names), height * width), np.nan)
    tiles[:, :n] = w
    return names, tiles.reshape(len(names), height, width)


def draw_weights(
    net_or_fast: Any,
    layer: int = 2,
    path: str | os.PathLike[str] = "weights.png",
    *,
    columns: int | None = None,
    pixel: int = 4,
) -> Path:
    """Write a grid of each neuron's incoming weights as small images (PNG or SVG).

    Parameters
    ----------
    net_or_fast : Network or FastNetwork
        E.g. a network trained on MNIST, whose layer-2 neurons have 784 weights each.
    layer : int
        The layer whose neurons are drawn (2 = the first hidden layer; 1 = the inputs).
    path : str or path-like
        ``.png`` (the tiles alone, neuron by neuron, row after row) or ``.svg`` (with the
        neurons' names and a caption). Written atomically.
    columns : int, optional
        Tiles per row (default: about the square root of the number of neurons).
    pixel : int
        Size of one weight in image pixels.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        For an unknown extension, a missing directory, or a layer that does not exist.

    Notes
    -----
    Each tile is scaled to its own largest ``|w|``: blue is positive, red negative, white 0.
    Nielsen, ch. 6 (and ch. 1, "Toward deep learning") shows such pictures of what the hidden
    neurons of an MNIST network learn.

    Examples
    --------
    >>> import os, tempfile
    >>> import neurograph as ng
    >>> net = ng.layered([784, 30, 10], seed=0)
    >>> path = draw_weights(net, 2, os.path.join(tempfile.mkdtemp(), "w.png"))
    >>> path.read_bytes()[:4] == b"\\x89PNG"
    True
    """
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".png", ".svg"):
        msg = (
            f"cannot write {str(path)!r}: unknown extension {path.suffix!r}; expected .png or .svg"
        )
        raise UsageError(msg)
    names, tiles = weight_tiles(net_or_fast, layer)
    if isinstance(pixel, bool) or not isinstance(pixel, int) or pixel < 1:
        msg = f"pixel must be an integer >= 1, got {pixel!r}"
        raise UsageError(msg)
    count = len(names)
    cols = columns or math.ceil(math.sqrt(count))
    if isinstance(cols, bool) or not isinstance(cols, int) or cols < 1:
        msg = f"columns must be an integer >= 1, got {columns!r}"
        raise UsageError(msg)
    rows = math.ceil(count / cols)
    image, boxes = _grid(tiles, rows, cols, pixel, label_room=14 if kind == ".svg" else 0)
    if kind == ".png":
        return write_atomic(path, png_bytes(image))
    return write_atomic(path, _svg(image, boxes, names, layer))


def _grid(
    tiles: np.ndarray, rows: int, cols: int, pixel: int, label_room: int
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The tiles, scaled and coloured, on a white RGB canvas; returns the canvas and the boxes."""
    _, h, w = tiles.shape
    gap = max(2 * pixel, 6)
    th, tw = h * pixel, w * pixel
    canvas = np.full(
        (gap + rows * (th + gap + label_room), gap + cols * (tw + gap), 3), 255, np.uint8
    )
    boxes = []
    for j, tile in enumerate(tiles):
        scale = np.nanmax(np.abs(tile)) if np.any(np.isfinite(tile)) else 0.0
        t = np.nan_to_num(tile / scale if scale > 0 else tile * 0.0, nan=0.0)
        rgb = _LUT[np.round((np.clip(t, -1, 1) + 1) * 128).astype(int)]
        rgb[np.isnan(tile)] = 200  # padding of a non-square layer: grey
        big = np.repeat(np.repeat(rgb, pixel, axis=0), pixel, axis=1)
        top = gap + (j // cols) * (th + gap + label_room)
        left = gap + (j % cols) * (tw + gap)
        canvas[top - 1 : top + th + 1, left - 1 : left + tw + 1] = 170  # a thin grey frame
        canvas[top : top + th, left : left + tw] = big
        boxes.append((left, top, tw, th))
    return canvas, boxes


def _svg(
    image: np.ndarray, boxes: list[tuple[int, int, int, int]], names: list[str], layer: int
) -> str:
    """An SVG page: the grid as one embedded PNG, the neurons' names, and a caption."""
    height, width = image.shape[:2]
    caption = 28
    data = base64.b64encode(png_bytes(image)).decode("ascii")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + caption}" '
        f'viewBox="0 0 {width} {height + caption}" font-family="Helvetica, Arial, sans-serif">',
        f'<rect width="{width}" height="{height + caption}" fill="white"/>',
        f'<image x="0" y="0" width="{width}" height="{height}" style="image-rendering:pixelated" '
        f'href="data:image/png;base64,{data}"/>',
    ]
    for (left, top, tw, th), name in zip(boxes, names):
        parts.append(
            f'<text x="{left + tw / 2:g}" y="{top + th + 11}" font-size="10" fill="{INK}" '
            f'text-anchor="middle">{html.escape(clean_text(name))}</text>'
        )
    parts.append(
        f'<text x="{width / 2:g}" y="{height + 18}" font-size="12" fill="{INK}" '
        f'text-anchor="middle">incoming weights of layer {layer}: blue w &gt; 0, red w &lt; 0, '
        "each tile scaled to its largest |w|</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
