"""Which neurons and edges of a network a diagram shows, and how they are laid out in DOT.

A [`Panel`][] summarises a large network before anything is drawn: a square layer of many
inputs (784 for MNIST) becomes one picture node, a level with more than ``max_neurons``
neurons keeps its first and last ones with a "… N more" node between them, and only the
``max_edges`` strongest edges are kept. [`Panel.emit`][] then writes the nodes, the edges and
the invisible edges that fix the layout (levels left to right, neurons of a level in order).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from neurograph.graph.network import Network
from neurograph.graph.neurons import Input, Neuron, SoftmaxLayer, SoftmaxUnit
from neurograph.pictures.dot import edge_id
from neurograph.pictures.escape import dot_text, html_text, shown_name, text_id
from neurograph.pictures.style import (
    INK,
    edge_attrs,
    fmt,
    image_label,
    shape_attrs,
)

__all__ = ["Panel"]

NodeAttrs = Callable[[Neuron], dict[str, str]]
EdgeValue = Callable[[dict[str, Any]], float | None]


class Slot:
    """One node of the DOT graph: a neuron, a "… N more" gap, the inputs' picture, or a
    softmax layer (one table node whose rows are its units, so that they stay in order)."""

    def __init__(
        self, node_id: str, kind: str, items: list[Neuron | int], layer: SoftmaxLayer | None = None
    ) -> None:
        self.id = node_id  # internal, never user text: a name is only ever a label or an `id`
        self.kind = kind
        self.items = items
        self.layer = layer


class Panel:
    """One network as a diagram shows it: the neurons kept, the edges kept, and the rest counted.

    Parameters
    ----------
    net : Network
    prefix : str
        Put before every node id, so that several panels can share one graph.
    max_neurons : int
        Largest number of neurons drawn per level.
    max_edges : int
        Largest number of edges drawn (the ones with the largest ``|edge_value|``).
    edge_value : callable
        Maps an edge's data dict to the number it shows (the weight by default).
    keep : iterable of Neuron
        Neurons that are drawn even in an elided level (the debugger's current neuron).
    tables : bool
        Draw each level as one node, a row of cells, instead of a node per neuron, for a
        top-to-bottom layout (``rankdir=TB``): dot keeps cells in order even inside a
        cluster, where it may reorder nodes.

    Attributes
    ----------
    levels : list of list of Neuron
        ``net.levels()``.
    slots : list of list of Slot
        Per level, the DOT nodes in order.
    picture : bool
        Whether the inputs are drawn as one picture (a square number of them, above the limit).
    edges : list of (Neuron, Neuron, dict)
        The edges drawn.
    n_edges, n_bundled, n_left_out : int
        Edges in the network, edges drawn as the picture's arrows, edges not drawn at all.
    n_weak : int
        Edges left out only by `max_edges` (both ends drawn).
    n_elided : int
        Neurons not drawn.
    skips : bool
        Whether an edge drawn skips a level.
    """

    def __init__(
        self,
        net: Network,
        *,
        prefix: str = "",
        max_neurons: int = 12,
        max_edges: int = 60,
        edge_value: EdgeValue | None = None,
        keep: Iterable[Neuron] = (),
        tables: bool = False,
    ) -> None:
        self.net = net
        self.tables = tables
        self._out, self._in = ("s", "n") if tables else ("e", "w")  # where edges leave, enter
        self.prefix = prefix
        self.edge_value: EdgeValue = edge_value or (lambda data: data.get("weight"))
        self.sums_edges = edge_value is not None  # the picture's arrows sum edge values
        self.levels = net.levels()
        self._number = {n: k for k, n in enumerate(n for level in self.levels for n in level)}
        self._depth = {n: d for d, level in enumerate(self.levels) for n in level}
        inputs = self.levels[0] if self.levels else []
        self.side = math.isqrt(len(inputs))
        self.picture = len(inputs) > max_neurons and self.side**2 == len(inputs) and self.side > 3
        self.slots = [
            self._slots(d, level, max_neurons, set(keep)) for d, level in enumerate(self.levels)
        ]
        self.n_elided = sum(n for s in self._all_slots() for n in s.items if isinstance(n, int))
        self._ends = {n: s for s in self._all_slots() for n in s.items if isinstance(n, Neuron)}
        self._ports = {
            n: f"u{n.index + 1}" if isinstance(n, SoftmaxUnit) and s.kind == "softmax" else f"n{i}"
            for s in self._all_slots()
            for i, n in enumerate(s.items)
            if isinstance(n, Neuron) and s.kind in ("softmax", "level")
        }
        candidates, self.bundles = [], {}
        for dst in self.drawn:
            from_inputs = []
            for src, data in net.graph.pred[dst].items():
                if src in self._ends:
                    candidates.append((src, dst, data))
                elif self.picture and isinstance(src, Input):
                    from_inputs.append((src, data))
            if from_inputs:
                self.bundles[dst] = from_inputs
        self.n_edges = net.graph.number_of_edges()
        self.n_bundled = sum(len(v) for v in self.bundles.values())
        candidates.sort(key=lambda edge: -_size(self.edge_value(edge[2])))
        self.edges = candidates[: max(max_edges, 0)]
        self.n_weak = len(candidates) - len(self.edges)
        self.n_left_out = self.n_edges - len(self.edges) - self.n_bundled
        self.skips = any(self._depth[b] - self._depth[a] > 1 for a, b, _ in self.edges)

    def _slots(self, depth: int, level: list[Neuron], limit: int, keep: set[Neuron]) -> list[Slot]:
        if depth == 0 and self.picture:
            return [Slot(self.prefix + "(inputs)", "picture", [])]
        if self.tables:
            items = [_count(item) for item in _elide(level, limit, keep)]
            return [Slot(f"{self.prefix}(level {depth + 1})", "level", items)]
        slots: list[Slot] = []
        for item in _elide(level, limit, keep):
            layer = _owner(item)
            if layer is not None and slots and slots[-1].layer is layer:
                slots[-1].items.append(_count(item))
            elif layer is not None:
                layer_id = f"{self.prefix}softmax{depth}_{len(slots)}"
                slots.append(Slot(layer_id, "softmax", [_count(item)], layer))
            elif isinstance(item, list):
                slots.append(Slot(f"{self.prefix}(more {depth}.{len(slots)})", "more", [len(item)]))
            else:
                slots.append(Slot(self.node_id(item), "neuron", [item]))
        return slots

    def _all_slots(self) -> list[Slot]:
        return [slot for level in self.slots for slot in level]

    def node_id(self, neuron: Neuron) -> str:
        """The DOT id of a neuron: internal (``n0``, ``n1``, …), so that no name is DOT syntax.

        The name reaches the SVG only escaped: as the node's ``id`` attribute and its label.
        """
        return f"{self.prefix}n{self._number[neuron]}"

    def end(self, neuron: Neuron, side: str) -> str:
        """Where an edge meets a neuron: its node, or its cell of a table, on compass `side`."""
        slot = self._ends[neuron]
        if neuron in self._ports:
            return f"{slot.id}:{self._ports[neuron]}:{side}"
        return slot.id

    @property
    def drawn(self) -> list[Neuron]:
        """The neurons drawn, level by level."""
        return [n for s in self._all_slots() for n in s.items if isinstance(n, Neuron)]

    @property
    def largest(self) -> float:
        """The largest ``|edge_value|`` of the edges drawn (0 when none has a value)."""
        values = (self.edge_value(data) for *_, data in self.edges)
        return max((abs(v) for v in values if v is not None), default=0.0)

    @property
    def tallest(self) -> int:
        """The most rows of any level (a softmax table counts its rows)."""
        return max((sum(len(s.items) for s in level) for level in self.slots), default=0)

    # -- writing DOT ----------------------------------------------------------------------
    def emit(
        self,
        graph: Any,
        node_attrs: NodeAttrs,
        *,
        edge_labels: bool | None = None,
        picture_attrs: dict[str, str] | None = None,
    ) -> None:
        """Add this panel's nodes and edges to a graphviz graph (or subgraph).

        Parameters
        ----------
        graph : graphviz.Digraph
        node_attrs : callable
            Attributes of a neuron's node (label, fillcolor, …), merged over its shape.
        edge_labels : bool, optional
            Write each edge's value on it; default: when at most 24 edges are drawn.
        picture_attrs : dict, optional
            Extra attributes of the picture node.
        """
        for level in self.slots:
            if not level:
                continue
            with graph.subgraph() as rank:
                rank.attr(rank="same")
                for slot in level:
                    attrs = {"id": slot.id, **self._node(slot, node_attrs, picture_attrs or {})}
                    rank.node(slot.id, **attrs)
                for one, two in zip(level, level[1:]):  # keeps the neurons of a level in order
                    rank.edge(one.id, two.id, style="invis")
        firsts = [level[0].id for level in self.slots if level]
        for a, b in zip(firsts, firsts[1:]):  # keeps the levels in order, left to right
            graph.edge(a, b, style="invis", weight="0")
        values = [self.edge_value(data) for _, _, data in self.edges]
        scale = max((_size(v) for v in values), default=0.0)
        if edge_labels is None:
            edge_labels = len(self.edges) <= 24
        for (src, dst, _), value in zip(self.edges, values):
            label = fmt(value) if edge_labels and value is not None else None
            attrs = edge_attrs(value, scale, label)
            if self._depth[dst] - self._depth[src] > 1:  # a skip connection bends around
                attrs["weight"] = "0"
            attrs["id"] = dot_text(self.prefix + edge_id(src, dst))  # the SVG <g> id
            graph.edge(self.end(src, self._out), self.end(dst, self._in), **attrs)
        self._emit_bundles(graph)

    def _node(self, slot: Slot, node_attrs: NodeAttrs, picture: dict[str, str]) -> dict[str, str]:
        if slot.kind == "picture":
            return self._picture(picture)
        if slot.kind == "more":
            return {"label": f"… {slot.items[0]} more", **_MORE}
        if slot.kind == "neuron":
            neuron = slot.items[0]
            assert isinstance(neuron, Neuron)
            named = {"id": dot_text(f"{self.prefix}{text_id(neuron.name)}")}
            return {**shape_attrs(neuron), "style": "filled", **node_attrs(neuron), **named}
        cells = []
        for item in slot.items:
            if isinstance(item, int):
                more = f'<FONT POINT-SIZE="11" COLOR="#555555">… {item} more</FONT>'
                cells.append(f'<TD HEIGHT="24">{more}</TD>')
            else:
                cells.append(_cell(self._ports[item], item, node_attrs(item)))
        if slot.kind == "level":  # one row, for a top-to-bottom layout
            table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="16" CELLPADDING="2">'
            label = f"<{table}<TR>{''.join(cells)}</TR></TABLE>>"
            return {"label": label, "shape": "plain", "fixedsize": "false"}
        layer = slot.layer
        name = html_text(f"softmax {shown_name(layer.name) if layer is not None else ''}")
        title = f'<TR><TD><FONT POINT-SIZE="10" COLOR="{INK}">{name}</FONT></TD></TR>'
        rows = "".join(f"<TR>{cell}</TR>" for cell in cells)
        label = (
            '<<TABLE BORDER="1" STYLE="ROUNDED" COLOR="#9e9ac8" BGCOLOR="#f1eef6" '
            f'CELLBORDER="0" CELLSPACING="6" CELLPADDING="2">{title}{rows}</TABLE>>'
        )
        layer_id = dot_text(f"{self.prefix}{text_id(layer.name) if layer is not None else slot.id}")
        return {"label": label, "shape": "plain", "fixedsize": "false", "id": layer_id}

    def bundle_values(self) -> dict[Neuron, float | None]:
        """What each of the picture's arrows shows: ``Σ_k w_jk x_k`` (the input's message to
        neuron ``j``), or with an `edge_value` such as ``∂C/∂w``, the sum of those values
        over the neuron's input edges (None where not computed yet)."""
        found: dict[Neuron, float | None] = {}
        for dst, pairs in self.bundles.items():
            if self.sums_edges:
                values = [self.edge_value(data) for _, data in pairs]
                found[dst] = None if None in values else float(sum(v or 0.0 for v in values))
                continue
            w = np.array([data["weight"] for _, data in pairs], dtype=float)
            a = [src.a for src, _ in pairs]
            found[dst] = None if None in a else float(w @ np.array(a, dtype=float))
        return found

    @property
    def bundle_symbol(self) -> str:
        """What the picture's arrows show, as the legend writes it."""
        return "Σ_k ∂C/∂w_jk" if self.sums_edges else "w·x"

    def bundle_key(self) -> str:
        """The legend's words for the picture's arrows: what they stand for, what sizes them."""
        values = [abs(v) for v in self.bundle_values().values() if v is not None]
        sized = f"width ∝ |{self.bundle_symbol}|, largest {fmt(max(values, default=0.0))}"
        return f"each stands for one neuron's {len(self.levels[0])} input weights; " + (
            sized if values else "grey until a forward pass"
        )

    def _emit_bundles(self, graph: Any) -> None:
        """One arrow from the picture to each neuron fed by the inputs (see bundle_values)."""
        contributions = {
            dst: (value, len(self.bundles[dst])) for dst, value in self.bundle_values().items()
        }
        scale = max((abs(v) for v, _ in contributions.values() if v is not None), default=0.0)
        for dst, (value, count) in contributions.items():
            if value is None:
                attrs = {"color": "#999999", "penwidth": "1", "arrowsize": "0.5"}
            else:
                attrs = edge_attrs(value, scale)
            attrs["tooltip"] = f"{count} weights" + (
                "" if value is None else f", {self.bundle_symbol} = {fmt(value)}"
            )
            attrs["id"] = dot_text(f"{self.prefix}(inputs)->{text_id(dst.name)}")
            graph.edge(self.slots[0][0].id, self.end(dst, self._in), **attrs)

    def _picture(self, extra: dict[str, str]) -> dict[str, str]:
        inputs = self.levels[0]
        values = [x.a for x in inputs]
        side = self.side
        if all(v is not None for v in values):
            pixels = np.array(values, dtype=float).reshape(side, side)
            caption = f"x: {len(inputs)} inputs ({side}×{side})"
        else:  # no input yet: how strongly each pixel is connected
            succ = self.net.graph.succ
            strength = [
                sum(abs(d["weight"]) for d in succ[x].values()) / max(len(succ[x]), 1)
                for x in inputs
            ]
            pixels = np.array(strength).reshape(side, side)
            pixels = pixels / pixels.max() if pixels.max() > 0 else pixels
            caption = f"{len(inputs)} inputs ({side}×{side}), shade: mean |w| out"
        label = image_label(pixels, caption)
        return {"label": label, "shape": "plain", "fixedsize": "false", **extra}


_MORE = {"shape": "plaintext", "fontsize": "11", "fontcolor": "#555555", "fixedsize": "false"}


def _cell(port: str, neuron: Neuron, attrs: dict[str, str]) -> str:
    """A neuron as a table cell with its label and fill, rounded unless a perceptron."""
    attrs = {**shape_attrs(neuron), **attrs}
    inner = attrs.get("label", html_text(shown_name(neuron.name)))
    inner = inner[1:-1] if inner.startswith("<") else html_text(inner)
    border = str(max(1, round(float(attrs.get("penwidth", "1")) - 1)))
    style = [] if attrs["shape"] == "square" else ["ROUNDED"]
    style += ["DASHED"] if "dashed" in attrs.get("style", "") else []
    styled = f' STYLE="{",".join(style)}"' if style else ""
    small = isinstance(neuron, Input)
    size = f'WIDTH="{54 if small else 66}" HEIGHT="{36 if small else 44}" FIXEDSIZE="TRUE"'
    if attrs.get("fixedsize") == "false":  # as large as its label (a picture)
        size = 'CELLPADDING="3"'
    return (
        f'<TD PORT="{port}" BGCOLOR="{attrs.get("fillcolor", "#ffffff")}" '
        f'BORDER="{border}" COLOR="{attrs.get("color", INK)}"{styled} {size}>'
        f"{inner}</TD>"
    )


def _elide(level: list[Neuron], limit: int, keep: set[Neuron]) -> list[Neuron | list[Neuron]]:
    """The first and last neurons of a level (and any in `keep`), a list for each gap.

    A gap never mixes the units of a softmax layer with other neurons.
    """
    if len(level) <= limit:
        return list(level)
    head = max(limit // 2, 1)
    chosen = set(range(head)) | set(range(len(level) - (limit - head), len(level)))
    chosen |= {i for i, n in enumerate(level) if n in keep}
    shown: list[Neuron | list[Neuron]] = []
    for i, neuron in enumerate(level):
        if i in chosen:
            shown.append(neuron)
        elif shown and isinstance(shown[-1], list) and _owner(shown[-1][0]) is _owner(neuron):
            shown[-1].append(neuron)
        else:
            shown.append([neuron])
    return shown


def _owner(item: Neuron | list[Neuron]) -> SoftmaxLayer | None:
    """The softmax layer of a neuron (or of the neurons of a gap), if any."""
    neuron = item[0] if isinstance(item, list) else item
    return neuron.layer if isinstance(neuron, SoftmaxUnit) else None


def _count(item: Neuron | list[Neuron]) -> Neuron | int:
    return len(item) if isinstance(item, list) else item


def _size(value: float | None) -> float:
    return abs(value) if value is not None and math.isfinite(value) else 0.0
