"""Pictures of what hidden neurons look for: each neuron's incoming weights as a small image.

For a network trained on MNIST, neuron ``j`` of layer 2 has one weight per pixel; drawn as a
28x28 tile (blue positive, red negative) it shows the strokes the neuron responds to.
[`draw_weights`][] draws a grid of such tiles, one per neuron and named, with a colour key,
as a matplotlib figure (and writes it as PNG or SVG).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from neurograph.errors import UsageError
from neurograph.fast.network import FastNetwork
from neurograph.graph.network import Network
from neurograph.pictures.escape import clean_text
from neurograph.pictures.figures import Figure, new_figure, save_figure
from neurograph.pictures.style import diverging

__all__ = ["WEIGHT_COLOURS", "draw_weights", "weight_matrix", "weight_tiles"]

#: The house's diverging scale (red negative, white 0, blue positive) as a matplotlib colormap.
WEIGHT_COLOURS = LinearSegmentedColormap.from_list(
    "neurograph_weights", [diverging(t / 4 - 1) for t in range(9)]
).with_extremes(bad="#c8c8c8")  # grey: the padding of a tile whose weights are not a square


def weight_matrix(
    net_or_fast: Network | FastNetwork, layer: int = 2
) -> tuple[list[str], np.ndarray]:
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
    if not isinstance(net_or_fast, FastNetwork):
        msg = f"expected a Network or a FastNetwork, got {type(net_or_fast).__name__}"
        raise UsageError(msg)
    layers, weights = net_or_fast.layers, net_or_fast.w
    by_number = layers
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


def weight_tiles(
    net_or_fast: Network | FastNetwork, layer: int = 2
) -> tuple[list[str], np.ndarray]:
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
    net_or_fast: Network | FastNetwork,
    layer: int = 2,
    path: str | os.PathLike[str] | None = None,
    *,
    neurons: Sequence[str] | None = None,
    columns: int | None = None,
) -> Figure:
    """Draw each neuron's incoming weights as a small named image, with a colour key.

    Parameters
    ----------
    net_or_fast : Network or FastNetwork
        E.g. a network trained on MNIST, whose layer-2 neurons have 784 weights each.
    layer : int
        The layer whose neurons are drawn (2 = the first hidden layer; 1 = the inputs).
    path : str or path-like, optional
        Also write the figure there: ``.png``, ``.svg`` or ``.pdf`` (atomically).
    neurons : sequence of str, optional
        Only these neurons of the layer, in this order (default: all of them).
    columns : int, optional
        Tiles per row (default: about the square root of the number of neurons).

    Returns
    -------
    matplotlib.figure.Figure
        One tile per neuron, titled with its name; one colour bar for ``w``, shared by all
        tiles (white is 0, its ends the largest ``|w|`` drawn).

    Raises
    ------
    UsageError
        For an unknown extension, a missing directory, a layer that does not exist or a
        neuron not in it.

    Notes
    -----
    Nielsen, ch. 6 (and ch. 1, "Toward deep learning") shows such pictures of what the hidden
    neurons of an MNIST network learn.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.layered([784, 30, 10], seed=0)
    >>> figure = draw_weights(net, 2, neurons=["L2.1", "L2.7"])
    >>> [ax.get_title() for ax in figure.axes]
    ['L2.1', 'L2.7', 'w']
    """
    names, tiles = weight_tiles(net_or_fast, layer)
    if neurons is not None:
        missing = [name for name in neurons if name not in names]
        if missing or not neurons:
            msg = (
                f"draw_weights: layer {layer} has no neuron {missing[0] if missing else None!r}; "
                f"its neurons are {names[0]} … {names[-1]}"
            )
            raise UsageError(msg)
        tiles = tiles[[names.index(name) for name in neurons]]
        names = list(neurons)
    count = len(names)
    cols = columns if columns is not None else math.ceil(math.sqrt(count))
    if isinstance(cols, bool) or not isinstance(cols, int) or cols < 1:
        msg = f"columns must be an integer >= 1, got {columns!r}"
        raise UsageError(msg)
    rows = math.ceil(count / cols)
    scale = float(np.nanmax(np.abs(tiles))) if np.any(np.isfinite(tiles)) else 1.0
    scale = scale or 1.0
    # at least wide and tall enough for the title and the colour bar's label
    size = (max(1.3 * cols + 1.2, 3.8), max(1.4 * rows + 0.6, 2.6))
    figure = new_figure(figsize=size, layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=False)
    image = None
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k < count:
            tile = np.ma.masked_invalid(tiles[k])
            image = ax.imshow(tile, cmap=WEIGHT_COLOURS, vmin=-scale, vmax=scale)
            ax.set_title(clean_text(names[k]), fontsize=9, parse_math=False)
    colour_bar = figure.colorbar(image, ax=axes, shrink=0.8)  # type: ignore[arg-type]
    colour_bar.ax.set_title("w")
    colour_bar.set_label("red < 0 < blue")
    if neurons is None:
        title = f"incoming weights of layer {layer}, one tile per neuron"
    elif count <= 2:
        title = "incoming weights of " + " and ".join(clean_text(name) for name in names)
    else:
        title = f"incoming weights of {count} neurons of layer {layer}"
    figure.suptitle(title, fontsize=11, parse_math=False)
    if path is not None:
        save_figure(figure, path)
    return figure
