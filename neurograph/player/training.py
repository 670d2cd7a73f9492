"""Write a recorded training run (``fast.sgd(..., record=True)``) as a page to replay it.

The page's position slider runs over ``history.snapshots``: at each snapshot the diagram shows
the weights (edge width and colour) and biases, a panel shows every neuron's decision map (a
two-input network) or the first hidden layer's weight images (inputs that form a square
image, as MNIST's 784), and the monitored cost and accuracy curves carry a cursor at the
snapshot's epoch. Images go in as one byte per pixel (base64), an index into a colour table the
page carries, and numbers are rounded to what the page shows, so that 30 epochs of
``[784, 30, 10]`` stay under 2 MB.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import html
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.fast.history import History
from neurograph.fast.snapshots import Snapshot
from neurograph.graph.network import Network
from neurograph.graph.outputs import display_name
from neurograph.io.atomic import write_atomic
from neurograph.pictures.diagram import draw
from neurograph.pictures.dot import pipe
from neurograph.pictures.escape import shown_name, text_id
from neurograph.pictures.maps import CLASS_COLOURS, labels, neuron_maps, points
from neurograph.pictures.style import diverging, fmt, sequential, text_colour
from neurograph.player.page import page_html, projector_neurons
from neurograph.player.page_size import MAX_PAGE_BYTES, check_limits, fitted, say_thinned

__all__ = [
    "CURVES",
    "frame_text",
    "map_bytes",
    "save_training",
    "training_page",
    "weight_bytes",
]

#: The monitored quantities, in the order the status line names them.
CURVES = ("training_cost", "training_accuracy", "evaluation_cost", "evaluation_accuracy")
#: At most this many data points are drawn on the output neurons' maps.
MAX_POINTS = 400
_EDGE = re.compile(r'<g id="([^"]+)" class="edge"')


def frame_text(snapshot: Snapshot, history: History, first: int = 0) -> str:
    """The status line of the page at `snapshot`: where training is, and the numbers then.

    Parameters
    ----------
    snapshot : Snapshot
    history : History
        Its curves give the numbers of a snapshot taken at the end of an epoch.
    first : int
        The epoch of the run's first snapshot (0 unless the run resumed another).

    Returns
    -------
    str
        E.g. ``"epoch 2, step 40, η = 3: evaluation cost 0.1875, evaluation accuracy
        92.50 %"``; ``"before training: epoch 0, step 0, η = 3"`` for the first snapshot.

    Examples
    --------
    >>> import neurograph as ng
    >>> from neurograph.fast.snapshots import Snapshot
    >>> h = ng.History(training_cost=[0.25], training_accuracy=[0.875])
    >>> frame_text(Snapshot(1, 40, 0, {}, {}, 3.0, {}), h)
    'epoch 1, step 40, η = 3: training cost 0.2500, training accuracy 87.50 %'
    >>> frame_text(Snapshot(1, 45, 5, {}, {}, 3.0, {}), h)
    'epoch 1 + 5 mini-batches, step 45, η = 3'
    """
    where = f"epoch {snapshot.epoch}" + (f" + {snapshot.batch} mini-batches" * bool(snapshot.batch))
    text = f"{where}, step {snapshot.step}, η = {snapshot.eta:g}"
    if snapshot.step == 0:
        return "before training: " + text
    row = snapshot.epoch - first - 1
    numbers = []
    for name in CURVES:
        values = getattr(history, name)
        if snapshot.batch == 0 and 0 <= row < len(values):
            value = values[row]
            shown = f"{100 * value:.2f} %" if name.endswith("accuracy") else f"{value:.4f}"
            numbers.append(f"{name.replace('_', ' ')} {shown}")
    return text + (": " + ", ".join(numbers) if numbers else "")


def map_bytes(a: np.ndarray) -> str:
    """A decision map as the page stores it: one byte per pixel, top row first, in base64.

    Byte ``round(255 a)`` (``a`` clipped to [0, 1]) indexes the page's green colour table;
    row 0 of `a` is the bottom of the plane, so the rows are flipped for the canvas.

    Examples
    --------
    >>> list(base64.b64decode(map_bytes(np.array([[0.0, 1.0], [0.5, 0.25]]))))
    [128, 64, 0, 255]
    """
    pixels = np.rint(255 * np.clip(a[::-1], 0.0, 1.0)).astype(np.uint8)
    return base64.b64encode(pixels.tobytes()).decode("ascii")


def weight_bytes(w: np.ndarray, scale: float) -> str:
    """Weight images as the page stores them: byte ``round(127.5 (1 + w / scale))``, base64.

    NaN (the padding of a count of weights that is no square) becomes the middle, 128.

    Examples
    --------
    >>> list(base64.b64decode(weight_bytes(np.array([-2.0, 0.0, 2.0, np.nan]), 2.0)))
    [0, 128, 255, 128]
    """
    t = np.nan_to_num(np.clip(np.asarray(w) / scale, -1.0, 1.0), nan=0.0)
    return base64.b64encode(np.rint(127.5 * (1 + t)).astype(np.uint8).tobytes()).decode("ascii")


def training_page(
    history: History,
    net: Network,
    data: Any = None,
    *,
    resolution: int = 32,
    svg: str | None = None,
) -> tuple[dict[str, Any], str]:
    """The page's data and the diagram (SVG) of a recorded training run.

    Parameters
    ----------
    history : History
        From ``fast.sgd(..., record=True)`` on ``fast = net.compile()``.
    net : Network
        The network that was compiled and trained: its wiring and names (its parameters are
        not read, nor changed).
    data : (X, y), optional
        Points drawn on the output neurons' decision maps (a two-input network only), and
        the maps' extent.
    resolution : int
        Pixels along each side of a decision map.
    svg : str, optional
        The diagram, when the caller has drawn it already (it depends on the last snapshot).

    Returns
    -------
    data : dict
    svg : str

    Raises
    ------
    UsageError
        If `history` holds no snapshots.
    ShapeError
        If the snapshots do not fit `net`.
    """
    snapshots = history.snapshots
    if not snapshots:
        msg = (
            "this History holds no snapshots to replay: train with "
            "fast.sgd(..., record=True) (or --record on the command line)"
        )
        raise UsageError(msg)
    if not isinstance(net, Network):
        msg = f"save_html needs the Network that was compiled and trained, got {type(net)}"
        raise UsageError(msg)
    fast = net.compile()
    snapshots[-1].load(fast)
    if svg is None:
        drawn = copy.deepcopy(net)
        fast.write_back(drawn)  # the diagram starts from the trained parameters
        diagram = draw(drawn, "weights", max_neurons=projector_neurons(net))
        svg = pipe(diagram, "svg").decode("utf-8")
        svg = svg[svg.index("<svg") :]
    where = {n: (ly.number, j) for ly in fast.layers.values() for j, n in enumerate(ly.names)}
    target_of = {text_id(n): n for n in where}  # the edge ids write long names shortened
    column = {
        ly.number: {text_id(s): k for k, s in enumerate(ly.sources)} for ly in fast.layers.values()
    }
    edges = {}
    for edge in map(html.unescape, _EDGE.findall(svg)):
        source, _, target_id = edge.rpartition("->")
        target = target_of.get(target_id)
        if target is not None and source in column[where[target][0]]:
            edges[edge] = (*where[target], column[where[target][0]][source])
    first, per_epoch = snapshots[0].epoch, _per_epoch(snapshots)
    frames: list[dict[str, Any]] = []
    neurons = {n: _Neuron() for n in where}
    images = _Images(net, fast, data, resolution)
    for snapshot in snapshots:
        snapshot.load(fast)
        scale = max(float(np.max(np.abs(b))) for b in fast.b.values()) or 1.0
        shown = {edge: float(fast.w[number][j, k]) for edge, (number, j, k) in edges.items()}
        frames.append(
            {
                "x": _x(snapshot, per_epoch),
                "text": frame_text(snapshot, history, first),
                "w": {edge: [float(f"{w:.4g}"), fmt(w)] for edge, w in shown.items()},
            }
        )
        for name, (number, j) in where.items():
            layer = fast.layers[number]
            has = slice(None) if layer.mask is None else layer.mask[j]
            sources = np.asarray(layer.sources)[has].tolist()
            neurons[name].add(fast.w[number][j][has], sources, float(fast.b[number][j]), scale)
        images.add(fast)
    sizes = "[" + ", ".join(map(str, fast.sizes)) + "]"
    steps = snapshots[-1].step - snapshots[0].step
    page = {
        "kind": "training",
        "title": f"Training a {sizes} network, replayed",
        "subtitle": f"{len(snapshots)} snapshots, {history.epochs} epochs, {steps} steps",
        "frames": frames,
        "neurons": [
            {"name": n, "drawn": shown_name(display_name(net[n])), **neurons[n].data()}
            for n in where
        ],
        "curves": {n: getattr(history, n) for n in CURVES if getattr(history, n)},
        "first": first,
        "edge_colours": [diverging(i / 32 - 1) for i in range(65)],
        "images": images.data(),
    }
    return page, svg


def _x(snapshot: Snapshot, per_epoch: float) -> float:
    """Where a snapshot lies on the curves' epoch axis (inside an epoch for a mid-epoch one)."""
    if not snapshot.batch:
        return float(snapshot.epoch)
    return snapshot.epoch + (min(snapshot.batch / per_epoch, 1.0) if per_epoch else 0.5)


def _per_epoch(snapshots: list[Snapshot]) -> float:
    """Mini-batch steps per epoch, from the snapshots taken at the ends of epochs (0: unknown)."""
    ends = [s for s in snapshots if s.batch == 0]
    if len(ends) < 2 or ends[-1].epoch == ends[0].epoch:
        return 0.0
    return (ends[-1].step - ends[0].step) / (ends[-1].epoch - ends[0].epoch)


class _Neuron:
    """A neuron's bias on the diagram and its inspector report, per snapshot."""

    def __init__(self) -> None:
        self.shows: list[list[str]] = []
        self.reports: list[str] = []

    def add(self, w: np.ndarray, sources: list[str], b: float, scale: float) -> None:
        fill = diverging(b / scale, 0.55)  # as draw(net) fills a bias: scaled to the largest
        self.shows.append([f"b = {fmt(b, 3)}", fill, text_colour(fill)])
        lines = [f"b = {float(b):.6g}", f"{len(w)} incoming weights"]
        if len(w) <= 10:
            lines += [f"  w from {s} = {float(v):.6g}" for s, v in zip(sources, w)]
        else:
            top = np.argsort(-np.abs(w), kind="stable")[:5]
            lines += [f"  w from {sources[k]} = {float(w[k]):.6g}" for k in top]
            lines.append(f"  … {len(w) - 5} more; mean |w| = {float(np.mean(np.abs(w))):.6g}")
        self.reports.append("\n".join(lines))

    def data(self) -> dict[str, Any]:
        return {"shows": self.shows, "reports": self.reports}


class _Images:
    """Per snapshot: every neuron's decision map (two inputs) or the weight images (a square)."""

    def __init__(self, net: Network, fast: Any, data: Any, resolution: int) -> None:
        self.net = net
        self.frames: list[list[str]] = []
        self.scales: list[float] = []
        self.kind = "maps" if len(fast.inputs) == 2 else ""
        first = fast.layers[2]
        n = len(first.sources)
        if not self.kind and n >= 16 and math.isqrt(n) ** 2 == n:
            self.kind = "weights"
        self.names = (
            [n for ly in fast.layers.values() for n in ly.names]
            if self.kind == "maps"
            else first.names
        )
        self.side = resolution if self.kind == "maps" else math.isqrt(n)
        self.outputs = list(fast.outputs)
        self.points: list[list[float]] = []
        self.extent: Any = None
        if self.kind == "maps":
            maps = neuron_maps(net, data=data, resolution=resolution, compiled=fast)
            self.extent = list(maps.extent)
            if data is not None:
                X, y = points(data)[:MAX_POINTS], labels(data)[:MAX_POINTS]
                rows = zip(X[:, 0].tolist(), X[:, 1].tolist(), y.tolist())
                self.points = [[round(a, 4), round(b, 4), int(c)] for a, b, c in rows]

    def add(self, fast: Any) -> None:
        if self.kind == "maps":
            extent = (self.extent[0], self.extent[1], self.extent[2], self.extent[3])
            maps = neuron_maps(self.net, extent=extent, resolution=self.side, compiled=fast)
            self.frames.append([map_bytes(maps.a[n]) for n in self.names])
        elif self.kind == "weights":
            w = np.asarray(fast.w[2], dtype=float)
            scale = float(np.max(np.abs(w))) or 1.0
            self.scales.append(float(f"{scale:.4g}"))
            self.frames.append([weight_bytes(row, scale) for row in w])

    def data(self) -> dict[str, Any]:
        if self.kind == "maps":
            colours = [sequential(i / 255) for i in range(256)]
        else:
            colours = [diverging(i / 127.5 - 1) for i in range(256)]
        return {
            "kind": self.kind,
            "names": self.names,
            "side": self.side,
            "frames": self.frames,
            "scales": self.scales,
            "colours": colours,
            "extent": self.extent,
            "points": self.points,
            "outputs": self.outputs,
            "classes": list(CLASS_COLOURS),
        }


def save_training(
    history: History,
    path: str | os.PathLike[str],
    net: Network,
    data: Any = None,
    *,
    resolution: int = 32,
    max_snapshots: int | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Path:
    """Write the page that replays a recorded training run (``History.save_html``).

    Parameters
    ----------
    history : History
        From ``fast.sgd(..., record=True)``.
    path : str or path-like
    net : Network
        The network that was compiled and trained (for its wiring and names).
    data : (X, y), optional
        Points for the decision maps of a two-input network (e.g. the evaluation data).
    resolution : int
        Pixels along each side of a decision map.
    max_snapshots : int, optional
        Replay at most this many snapshots (at least 2), chosen evenly, the first and the last
        always among them. By default as many as keep the page within `max_bytes`.
    max_bytes : int
        The page's size limit when `max_snapshots` is not given: 5 MiB
        (``neurograph.player.page_size.MAX_PAGE_BYTES``). The snapshots are
        thinned evenly to fit, with a `PageSizeWarning` and a note on the page saying so.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        If `history` holds no snapshots, `net` is not a Network, or `max_snapshots` or
        `max_bytes` is not a whole number of at least 2 (resp. 1).
    ShapeError
        If the snapshots do not fit `net`.

    Warns
    -----
    PageSizeWarning
        When snapshots were left out to keep the page within `max_bytes`.
    """
    check_limits(max_snapshots, max_bytes)
    built: dict[int, tuple[dict[str, Any], str, int]] = {}  # pages by snapshot count
    svg = ""  # the diagram, drawn once

    def size_of(kept: list[Snapshot]) -> int:
        """Build the page of `kept` (keeping it, by its count) and return its size in bytes."""
        part = dataclasses.replace(history, snapshots=kept)
        nonlocal svg
        page, svg = training_page(part, net, data, resolution=resolution, svg=svg or None)
        drawn = svg
        built[len(kept)] = page, drawn, len(page_html("training", page, drawn).encode("utf-8"))
        return built[len(kept)][2]

    kept = fitted(history.snapshots, size_of, max_snapshots, max_bytes)
    if len(kept) not in built:
        size_of(kept)
    page, drawn, _ = built[len(kept)]
    page["subtitle"] += say_thinned(len(kept), len(history.snapshots), max_snapshots, max_bytes)
    return write_atomic(Path(path), page_html("training", page, drawn))
