"""Decision maps: every neuron's activation over the input plane of a two-input network.

The grid of inputs goes through the network once, as one batch (``net.compile().trace``), so a
map of 200 × 200 pixels costs one batched pass, not 40,000 passes in Python.
[`decision_map`][] draws one neuron's map as a matplotlib figure, with the data on it;
``draw(net, show="maps")`` ([`neurograph.pictures.mapdiagram`][]) puts a small map in every
neuron of the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neurograph.errors import ShapeError, UsageError
from neurograph.fast.network import FastNetwork
from neurograph.graph.network import Network
from neurograph.graph.neurons import Input, Neuron

__all__ = ["CLASS_COLOURS", "Maps", "decision_map", "neuron_maps"]

CLASS_COLOURS = ("#e15759", "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948")
#: The activation's scale of `decision_map`, white (a = 0) to dark green (a = 1), continuous.
MAP_GREENS = ("#ffffff", "#c7e9c0", "#74c476", "#238b45", "#00441b")
#: The data's points on `decision_map`: their area (pt²) and the dark rim that sets them off.
POINT_SIZE = 36
POINT_RIM = "#1a1a1a"
Extent = tuple[float, float, float, float]


@dataclass
class Maps:
    """Every neuron's activation on a grid of the input plane.

    Attributes
    ----------
    extent : (x1_min, x1_max, x2_min, x2_max)
        The plane covered: the first input across, the second up.
    x1, x2 : ndarray, shape (resolution,)
        The grid's coordinates, both increasing.
    a : dict of str to ndarray, shape (resolution, resolution)
        Each neuron's activation (inputs included), ``a[name][i, j]`` at ``(x1[j], x2[i])``:
        row 0 is the bottom of the plane.
    """

    extent: Extent
    x1: np.ndarray
    x2: np.ndarray
    a: dict[str, np.ndarray]


def neuron_maps(
    net: Network,
    *,
    extent: Extent | None = None,
    data: Any = None,
    resolution: int = 32,
    compiled: FastNetwork | None = None,
) -> Maps:
    """Every neuron's activation over a grid of the input plane, in one batched pass.

    Parameters
    ----------
    net : Network
        A network with exactly two inputs.
    extent : (x1_min, x1_max, x2_min, x2_max), optional
        The plane to cover; default: the data's range with a margin of 10 %, or
        ``(-1.5, 1.5, -1.5, 1.5)`` without data.
    data : (X, y), optional
        Only its ``X`` is used here, for the default extent.
    resolution : int
        Grid points along each axis (at least 2).
    compiled : FastNetwork, optional
        Use these parameters instead of ``net.compile()``'s: e.g. a training snapshot loaded
        into a compiled copy of `net` (``snapshot.load(fast)``), without writing it back.

    Returns
    -------
    Maps

    Raises
    ------
    UsageError
        For a network without exactly two inputs, or a resolution below 2.

    Examples
    --------
    >>> import neurograph as ng
    >>> maps = neuron_maps(ng.layered([2, 3, 1], seed=0), resolution=5)
    >>> maps.a["L3.1"].shape, float(maps.x1[0]), float(maps.x2[-1])
    ((5, 5), -1.5, 1.5)
    """
    inputs = net.inputs
    if len(inputs) != 2:
        msg = (
            f"decision maps need a network with 2 inputs (the axes of the plane), this one has "
            f"{len(inputs)}; for MNIST draw the weight images instead (ng.draw_weights)"
        )
        raise UsageError(msg)
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        msg = f"resolution must be a whole number >= 2, got {resolution!r}"
        raise UsageError(msg)
    box = _extent(extent, data)
    x1 = np.linspace(box[0], box[1], resolution)
    x2 = np.linspace(box[2], box[3], resolution)
    g1, g2 = np.meshgrid(x1, x2)  # row i: x2[i]; column j: x1[j]
    fast = FastNetwork(net) if compiled is None else compiled
    trace = fast.trace(np.column_stack([g1.ravel(), g2.ravel()]))
    shape = (resolution, resolution)
    return Maps(box, x1, x2, {name: a.reshape(shape) for name, a in trace.a.items()})


def _extent(extent: Extent | None, data: Any) -> Extent:
    if extent is not None:
        box = tuple(float(v) for v in extent)
        if len(box) != 4 or not all(np.isfinite(box)) or box[0] >= box[1] or box[2] >= box[3]:
            msg = f"extent must be finite (x1_min, x1_max, x2_min, x2_max), min < max; got {extent}"
            raise UsageError(msg)
        return box[0], box[1], box[2], box[3]
    if data is None:
        return -1.5, 1.5, -1.5, 1.5
    X = points(data)
    low, high = X.min(axis=0), X.max(axis=0)
    margin = 0.1 * np.maximum(high - low, 1e-9)
    low, high = low - margin, high + margin
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def points(data: Any) -> np.ndarray:
    """The inputs ``X`` of a data set ``(X, y)`` as a float array of shape (n, 2).

    Raises
    ------
    ShapeError
        If `data` is not a pair whose ``X`` has two columns and at least one row.
    """
    try:
        X = np.asarray(data[0], dtype=float)
    except (TypeError, ValueError, IndexError, KeyError) as err:
        msg = f"data must be a pair (X, y) with X of shape (n, 2), got {type(data).__name__}"
        raise ShapeError(msg) from err
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0 or not np.all(np.isfinite(X)):
        msg = f"data: X must be finite numbers of shape (n, 2), n >= 1, got shape {X.shape}"
        raise ShapeError(msg)
    return X


def labels(data: Any) -> np.ndarray:
    """The class of each example of ``(X, y)``: ``y`` itself, or the argmax of one-hot rows."""
    y = np.asarray(data[1])
    if y.ndim == 2:
        return np.argmax(y, axis=1) if y.shape[1] > 1 else (y[:, 0] > 0.5).astype(np.int64)
    return y.astype(np.int64)


def decision_map(
    net: Network,
    neuron: Neuron | str | None = None,
    data: Any = None,
    *,
    extent: Extent | None = None,
    resolution: int = 200,
    title: str | None = None,
) -> Any:
    """A matplotlib figure of one neuron's activation over the input plane, with the data.

    Parameters
    ----------
    net : Network
        A network with two inputs.
    neuron : Neuron or str, optional
        The neuron to map; default: the output's decision regions (for one output, its
        activation with the boundary ``a = 0.5``; for several, the class of the largest
        output, shaded by how large it is).
    data : (X, y), optional
        Points drawn on the map, coloured by class.
    extent : (x1_min, x1_max, x2_min, x2_max), optional
        See `neuron_maps`.
    resolution : int
        Grid points along each axis.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Drawn with the Agg backend: ``fig.savefig("map.png")`` writes it.

    Raises
    ------
    UsageError
        For a network without two inputs.
    GraphError
        If `neuron` names no neuron of `net`.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.layered([2, 4, 2], seed=0)
    >>> fig = ng.decision_map(net, data=ng.datasets.toy("xor", n=40))
    >>> fig.axes[0].get_xlabel()
    'x₁ (L1.1)'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LinearSegmentedColormap, to_rgb
    from matplotlib.figure import Figure

    maps = neuron_maps(net, extent=extent, data=data, resolution=resolution)
    outputs = [str(n.name) for n in net.outputs]
    fig = Figure(figsize=(5.2, 4.4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    box = maps.extent
    if neuron is None and len(outputs) > 1:
        stack = np.stack([maps.a[name] for name in outputs])
        winner, top = np.argmax(stack, axis=0), np.max(stack, axis=0)
        base = np.array([to_rgb(CLASS_COLOURS[k % len(CLASS_COLOURS)]) for k in winner.ravel()])
        # a pale tint, paler where the largest output is small: the points, drawn in the full
        # class colours with a dark rim, stand out even on their own class's region
        strength = (0.1 + 0.4 * np.clip(top, 0, 1)).ravel()[:, None]
        rgb = (1 - strength) + strength * base
        ax.imshow(rgb.reshape(*winner.shape, 3), origin="lower", extent=box, aspect="auto")
        what = "the class of the largest output"
    else:
        name = outputs[0] if neuron is None else str(net.neuron(neuron).name)
        image = ax.imshow(
            maps.a[name], origin="lower", extent=box, aspect="auto",
            cmap=LinearSegmentedColormap.from_list("a", MAP_GREENS, N=256),
        )  # fmt: skip
        image.set_clim(0.0, 1.0)
        fig.colorbar(image, ax=ax, label=f"a of {name}", location="right")
        what = f"a of {name}"
        a = maps.a[name]
        if not isinstance(net.neuron(name), Input) and a.min() < 0.5 < a.max():
            ax.contour(maps.x1, maps.x2, a, levels=[0.5], colors="#333333")
            what += ", the line a = 0.5"
    if data is not None:
        X, y = points(data), labels(data)
        for k in np.unique(y):
            pick = y == k
            colour = CLASS_COLOURS[int(k) % len(CLASS_COLOURS)]
            ax.scatter(
                X[pick, 0], X[pick, 1], s=POINT_SIZE, c=colour, edgecolors=POINT_RIM,
                linewidths=0.8, label=f"class {int(k)}",
            )  # fmt: skip
        # the legend below the axes, never over the data
        fig.legend(loc="outside lower center", ncols=min(len(np.unique(y)), 6), fontsize=8)
    names = [str(n.name) for n in net.inputs]
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel(f"x₁ ({names[0]})")
    ax.set_ylabel(f"x₂ ({names[1]})")
    ax.set_title(title or what, fontsize=10)
    return fig
