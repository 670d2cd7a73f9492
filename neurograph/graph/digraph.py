"""The searches the network runs on its graph: paths (for cycles), repeats, close names."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Container, Iterable, Iterator
from typing import Any

import networkx as nx

from neurograph.graph.neurons import Neuron, SoftmaxLayer, SoftmaxUnit

__all__ = [
    "CLOSEST_CANDIDATES",
    "CLOSEST_CHARS",
    "closest",
    "find_path",
    "first_repeat",
]


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
    if not _connected(graph, start, goal):
        return None
    parent: dict[Neuron, Neuron | None] = {start: None}
    queue = deque([start])
    goal_layer = _layer_of(goal)
    layers_seen: set[int] = set()  # a layer's units are queued once: linear, not quadratic
    while queue:
        node = queue.popleft()
        layer = _layer_of(node)
        if node is goal or (layer is not None and layer is goal_layer):
            path = [node]
            while (previous := parent[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        siblings: list[Neuron] = []
        if layer is not None and id(layer) not in layers_seen:
            layers_seen.add(id(layer))
            siblings = list(layer.units)
        for nxt in [*graph.successors(node), *siblings]:
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return None


def _connected(graph: nx.DiGraph, start: Neuron, goal: Neuron) -> bool:
    """Whether `goal` (or its softmax layer) can be reached from `start`, in linear time.

    Two searches take turns, one unit of work each: forward from `start`, backward from
    `goal`. The first to run out answers "no", so connecting a new neuron (nothing after it)
    or an input (nothing before it) costs O(1), however large the network or the layer.
    """
    forward = _search(start, graph.successors)
    backward = _search(goal, graph.predecessors)
    seen: tuple[set[Any], set[Any]] = (set(), set())
    while True:
        for side, search in enumerate((forward, backward)):
            try:
                key = next(search)
            except StopIteration:
                return False
            if key is not None:
                if key in seen[1 - side]:
                    return True
                seen[side].add(key)


def _search(start: Neuron, neighbours: Any) -> Iterator[Any]:
    """Breadth-first from `start`, a softmax layer as one node: yields each node (or layer)
    reached, and None for each other unit of work."""
    first = _layer_of(start) or start
    seen = {first}
    queue = deque([first])
    yield first
    while queue:
        node = queue.popleft()
        for member in node.units if isinstance(node, SoftmaxLayer) else [node]:
            for nxt in neighbours(member):
                key = _layer_of(nxt) or nxt
                if key in seen:
                    yield None
                else:
                    seen.add(key)
                    queue.append(key)
                    yield key
            yield None


def first_repeat(items: Iterable[Any], taken: Container[Any] = ()) -> Any:
    """The first item that is in `taken` or repeats an earlier one (O(1) each), else None.

    Examples
    --------
    >>> first_repeat(["a", "b", "a"]), first_repeat(["a"], taken={"a": 1}), first_repeat("ab")
    ('a', 'a', None)
    """
    seen: set[Any] = set()
    for item in items:
        if item in taken or item in seen:
            return item
        seen.add(item)
    return None


def _layer_of(neuron: Neuron) -> SoftmaxLayer | None:
    return neuron.layer if isinstance(neuron, SoftmaxUnit) else None


#: The suggestion compares at most this many names, each cut to this many characters, so that
#: a typo costs the same in a network of 10 or 10⁶ neurons, whatever the length of the names.
CLOSEST_CANDIDATES = 300
CLOSEST_CHARS = 24


def closest(names: Any, name: str, n: int = 3) -> list[str]:
    """The `n` names closest to `name` by edit distance, to suggest a fix for a typo.

    Bounded: among many names only the [`CLOSEST_CANDIDATES`][] nearest in length are
    compared, on their first [`CLOSEST_CHARS`][] characters.

    Examples
    --------
    >>> closest(["L2.1", "L3.1", "out"], "L2.l", n=1)
    ['L2.1']
    """
    text = str(name)[:CLOSEST_CHARS]
    candidates = [str(other) for other in names]
    if len(candidates) > CLOSEST_CANDIDATES:
        candidates = heapq.nsmallest(
            CLOSEST_CANDIDATES, candidates, key=lambda other: abs(len(other) - len(str(name)))
        )
    return sorted(candidates, key=lambda other: _distance(other[:CLOSEST_CHARS], text))[:n]


def _distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
