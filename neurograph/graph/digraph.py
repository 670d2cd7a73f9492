"""The graph class behind ``Network.graph``, and the searches the network runs on it."""

from __future__ import annotations

from collections import deque
from functools import partial
from typing import Any

import networkx as nx

from neurograph.graph.neurons import Neuron, SoftmaxLayer, SoftmaxUnit

__all__ = ["EdgeData", "NeuronGraph", "closest", "find_path"]


class NeuronGraph(nx.DiGraph):
    """A `networkx.DiGraph` that counts changes to its structure and to its weights.

    The passes cache each neuron's wiring and incoming weights as arrays; the counts tell
    them when to read them again, whether the change came through [`Network`][] or
    directly through ``net.graph`` (``net.graph.edges[u, v]["weight"] = w``,
    ``nx.set_edge_attributes``, ``add_edge(u, v, weight=w)``, …).

    Attributes
    ----------
    changes : int
        Incremented by every change of nodes or edges.
    weight_changes : int
        Incremented by every change to an edge's attributes other than ``"grad"``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.changes = 0
        self.weight_changes = 0
        self.edge_attr_dict_factory = partial(EdgeData, self)  # type: ignore[assignment]
        super().__init__(*args, **kwargs)


class EdgeData(dict):  # type: ignore[type-arg]
    """An edge's attribute dict that tells its graph when a weight may have changed."""

    __slots__ = ("graph",)

    def __init__(self, graph: NeuronGraph, *args: Any, **kwargs: Any) -> None:
        self.graph = graph
        super().__init__(*args, **kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        if key != "grad":
            self.graph.weight_changes += 1
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self.graph.weight_changes += 1
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        """Remove `key` (forgetting a ``"grad"`` is not a weight change)."""
        if key != "grad":
            self.graph.weight_changes += 1
        return dict.pop(self, key, *default)

    def __ior__(self, other: Any) -> EdgeData:  # type: ignore[override,misc]
        self.update(other)
        return self

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))


def _touching(name: str) -> Any:
    method = getattr(dict, name)

    def wrapper(self: EdgeData, *args: Any, **kwargs: Any) -> Any:
        self.graph.weight_changes += 1
        return method(self, *args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


for _name in ("update", "setdefault", "popitem", "clear"):
    setattr(EdgeData, _name, _touching(_name))


def _counting(name: str) -> Any:
    method = getattr(nx.DiGraph, name)

    def wrapper(self: NeuronGraph, *args: Any, **kwargs: Any) -> Any:
        self.changes += 1
        return method(self, *args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


for _name in (
    "add_node",
    "add_nodes_from",
    "remove_node",
    "remove_nodes_from",
    "add_edge",
    "add_edges_from",
    "remove_edge",
    "remove_edges_from",
    "clear",
    "clear_edges",
):
    setattr(NeuronGraph, _name, _counting(_name))


def find_path(graph: nx.DiGraph, start: Neuron, goal: Neuron) -> list[Neuron] | None:
    """A path ``start -> … -> goal``, treating the units of a softmax layer as one node.

    Parameters
    ----------
    graph : networkx.DiGraph
    start, goal : Neuron

    Returns
    -------
    list of Neuron or None
        The neurons along the path, or None when `goal` cannot be reached. Reaching a unit
        of `goal`'s softmax layer counts, since a layer's units are computed together.
    """
    parent: dict[Neuron, Neuron | None] = {start: None}
    queue = deque([start])
    goal_layer = _layer_of(goal)
    while queue:
        node = queue.popleft()
        layer = _layer_of(node)
        if node is goal or (layer is not None and layer is goal_layer):
            path = [node]
            while (previous := parent[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        siblings = layer.units if layer is not None else []
        for nxt in [*graph.successors(node), *siblings]:
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return None


def _layer_of(neuron: Neuron) -> SoftmaxLayer | None:
    return neuron.layer if isinstance(neuron, SoftmaxUnit) else None


def closest(names: Any, name: str, n: int = 3) -> list[str]:
    """The `n` names closest to `name` by edit distance, to suggest a fix for a typo.

    Examples
    --------
    >>> closest(["L2.1", "L3.1", "out"], "L2.l", n=1)
    ['L2.1']
    """
    return sorted(names, key=lambda other: _distance(other, name))[:n]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
