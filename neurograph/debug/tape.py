"""A recording of the passes' events with what each one changed, so any position can be restored.

The [`Debugger`][neurograph.Debugger] moves along a [`Tape`][]: stepping forward past the end
of the recording pulls the next event from the passes' own generators; stepping back puts
the values from before a step back on the neuron objects and edges, exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neurograph.errors import GraphError
from neurograph.graph.events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
from neurograph.graph.neurons import Neuron, SoftmaxUnit

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["Event", "Tape"]

Event = ForwardEvent | CostEvent | BackwardEvent | UpdateEvent

MISSING = "missing"  # an edge without a "grad" (before any backward pass)

Values = tuple[Any, ...]


@dataclass
class Change:
    """One step: its event and the values it changed, as ``(before, after)`` pairs."""

    event: Event
    nodes: dict[Neuron, tuple[Values, Values]]
    edges: dict[tuple[Neuron, Neuron], tuple[Values, Values]]
    state: tuple[Values, Values]


def _node_values(node: Neuron) -> Values:
    return (node.a, node.z, node.delta, node.bias_grad, node.bias)


def _edge_values(data: dict[str, Any]) -> Values:
    return (data["weight"], data.get("grad", MISSING))


def _state_values(net: Network) -> Values:
    state = net.forward_state
    return (state, None if state is None else state.has_backward)


class Tape:
    """The events of a run of the passes, recorded so that the debugger can move both ways.

    Parameters
    ----------
    net : Network
        Holds the values of the current position (start: as it is now).
    live : iterator of events
        The passes' generators, chained; pulled one event at a time.
    schedule : list of (phase, Neuron or None)
        The events `live` will yield, in order (checked as they come).
    """

    def __init__(
        self, net: Network, live: Iterator[Event], schedule: list[tuple[str, Neuron | None]]
    ) -> None:
        self.net, self.schedule, self._live = net, schedule, live
        self.plan = net.plan()  # a new plan means neurons or edges were added or removed
        self.history: list[Change] = []
        self.position = 0
        # What the objects hold at the current position, to see what a new step changes.
        self._nodes = {node: _node_values(node) for node in net.graph}
        self._edges = {(s, t): _edge_values(d) for s, t, d in net.graph.edges(data=True)}
        self._state = _state_values(net)

    @property
    def total(self) -> int:
        """The number of events from start to end."""
        return len(self.schedule)

    def forward(self) -> Event:
        """Apply the next event (replayed, or pulled from the passes) and return it."""
        self.check_structure()
        if self.position < len(self.history):
            change = self.history[self.position]
            self._apply(change, before=False)
        else:
            change = self._record(next(self._live))
            self.history.append(change)
        self.position += 1
        return change.event

    def backward(self) -> Event:
        """Undo the latest event, restoring every value it changed; return it."""
        self.check_structure()
        self.position -= 1
        change = self.history[self.position]
        self._apply(change, before=True)
        return change.event

    def check_structure(self) -> None:
        """Refuse to go on once neurons or edges were added or removed."""
        if self.net.plan() is not self.plan:
            msg = "the network's structure changed while debugging; start a new Debugger"
            raise GraphError(msg)

    def _record(self, event: Event) -> Change:
        """Note what the step that produced `event` changed (the mirrors hold the old values)."""
        if len(self.history) + 1 == self.total:
            leftover = next(self._live, None)  # the last pass finishes: it sets forward_state
            assert leftover is None, leftover
        expected = self.schedule[len(self.history)]
        assert (event.phase, getattr(event, "neuron", None)) == expected, (event, expected)
        nodes, edges = {}, {}
        for node, old in self._nodes.items():
            new = _node_values(node)
            if new != old:
                nodes[node] = (old, new)
                self._nodes[node] = new
        neuron = getattr(event, "neuron", None)
        group = [] if neuron is None else _siblings(neuron)
        for target in group:
            for source, data in self.net.graph.pred[target].items():
                old, new = self._edges[source, target], _edge_values(data)
                if new != old:
                    edges[source, target] = (old, new)
                    self._edges[source, target] = new
        state = (self._state, _state_values(self.net))
        self._state = state[1]
        return Change(event, nodes, edges, state)

    def _apply(self, change: Change, before: bool) -> None:
        """Put the values from before (or after) `change` on the objects."""
        pick = 0 if before else 1
        for node, values in change.nodes.items():
            node.a, node.z, node.delta, node.bias_grad, node.bias = values[pick]
            self._nodes[node] = values[pick]
        for (source, target), values in change.edges.items():
            data = self.net.graph.edges[source, target]
            weight, grad = values[pick]
            data["weight"] = weight
            if grad is MISSING:
                data.pop("grad", None)
            else:
                data["grad"] = grad
            self._edges[source, target] = values[pick]
        state, has_backward = self._state = change.state[pick]
        self.net.forward_state = state
        if state is not None:
            state.has_backward = has_backward


def _siblings(neuron: Neuron) -> list[Neuron]:
    """The neurons computed together with `neuron`: its softmax layer's units, or itself."""
    return list(neuron.layer.units) if isinstance(neuron, SoftmaxUnit) else [neuron]
