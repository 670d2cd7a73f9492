r"""Step through the forward and backward passes one neuron at a time: [`Debugger`][].

It drives the very generators that ``Network.forward`` and ``Network.backward`` run
([`forward_events`][neurograph.passes.forward_events] and its backward twin), so what it shows
is what the network computes; what each step changes is recorded, so [`Debugger.back`][] undoes
steps exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from neurograph.debug.breakpoints import (
    Breakpoint,
    Condition,
    check_layer,
    check_phase,
    remove_numbered,
)
from neurograph.debug.inspection import SHOW, Where, neuron_report, picture_bundle, watch_line
from neurograph.debug.tape import Event, Tape
from neurograph.errors import UsageError
from neurograph.graph import passes
from neurograph.graph.costs import Cost, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import Neuron
from neurograph.graph.passes import clear_values, update_events
from neurograph.graph.types import is_real, is_whole

if TYPE_CHECKING:
    from neurograph.player.recording import Recording

__all__ = ["Debugger"]


class Debugger:
    """Step through a forward and a backward pass neuron by neuron, with breakpoints.

    Parameters
    ----------
    net : Network
    x : array_like, shape (n_inputs,)
        The input.
    y : int or array_like, optional
        A label or the desired output (see ``Network.backward``). Without it the debugger
        steps through the forward pass only (the way to step through perceptrons).
    cost : Cost or str, default QuadraticCost()
    eta : float, optional
        With a learning rate, one gradient-descent step follows the backward pass: one
        ``"update"`` event per neuron, ``w ← w − η ∂C/∂w`` and ``b ← b − η ∂C/∂b``, applied to
        the network as the debugger steps and undone by [`back`][].

    Attributes
    ----------
    net : Network
    breakpoints : list of Breakpoint
    watches : list of Neuron
        Neurons whose values [`watch_lines`][] reports (the command line prints them after
        every step).
    hits : list of Breakpoint
        The breakpoints that stopped the latest [`continue_`][] or [`next_layer`][].

    Raises
    ------
    ShapeError, GraphError, UsageError
        At once, for an input or target that does not fit, a perceptron on a backward pass,
        a cost the outputs do not allow, or a bad `eta`.

    Notes
    -----
    The events come in this order: one [`ForwardEvent`][] per non-input neuron, in
    topological order; one [`CostEvent`][] (BP1); one [`BackwardEvent`][] per neuron in
    reverse order (BP2–BP4); with `eta`, one `UpdateEvent` per neuron. The debugger
    runs both passes once when it starts, to check everything and learn the schedule, then
    clears every value (``a``, ``z``, ``delta``, ``bias_grad``, edge ``"grad"``): from then on
    the neuron objects hold exactly the values of the current position. The units of a
    softmax layer are computed together, so the first unit's forward event sets them all.
    Use one debugger per network at a time; it cannot follow structural changes made while
    it runs.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.layered([2, 2, 1], seed=0)
    >>> dbg = Debugger(net, [1.0, 0.5], 1.0)
    >>> print(dbg.step())  # doctest: +ELLIPSIS
    z[L2.1] = Σ w·a + b = ...;  a[L2.1] = σ(z) = ...
    >>> dbg.where()
    Where(position=1, total=7, phase='forward', neuron='L2.1', layer=2, next='forward L2.2')
    >>> dbg.back().neuron.name, net["L2.1"].a is None
    ('L2.1', True)
    """

    def __init__(
        self, net: Network, x: Any, y: Any = None, cost: Any = None, *, eta: float | None = None
    ) -> None:
        if not isinstance(net, Network):
            msg = f"Debugger: expected a Network, got {type(net).__name__}"
            raise UsageError(msg)
        if eta is not None and not (is_real(eta) and eta > 0):
            msg = f"Debugger: eta must be a positive number, got {eta!r}"
            raise UsageError(msg)
        if eta is not None and y is None:
            msg = "Debugger: an update (eta) needs gradients, so give the target y too"
            raise UsageError(msg)
        self.net, self.y, self.eta = net, y, None if eta is None else float(eta)
        self.cost: Cost = get_cost(cost)
        self.x = passes.input_vector(net.plan(), x)
        schedule = [(e.phase, getattr(e, "neuron", None)) for e in self._passes()]  # checks all
        if self.eta is not None:  # update_events follows the forward pass's order
            schedule += [("update", n) for phase, n in schedule if phase == "forward"]
        clear_values(net)
        self.depth = {n: d for d, level in enumerate(net.levels()) for n in level}
        self._tape = Tape(net, self._passes(update=True), schedule)
        self.breakpoints: list[Breakpoint] = []
        self.watches: list[Neuron] = []
        self.hits: list[Breakpoint] = []

    # -- where we are ---------------------------------------------------------------------
    @property
    def position(self) -> int:
        """How many events have been applied (0 at the start, [`total`][] at the end)."""
        return self._tape.position

    @property
    def total(self) -> int:
        """The number of events from start to end."""
        return self._tape.total

    @property
    def finished(self) -> bool:
        """Whether every event has been applied."""
        return self._tape.position == self.total

    @property
    def current(self) -> Event | None:
        """The latest event applied (None at the start)."""
        return self._tape.history[self.position - 1].event if self.position else None

    @property
    def events(self) -> list[Event]:
        """The events applied so far, in order."""
        return [change.event for change in self._tape.history[: self.position]]

    def where(self) -> Where:
        """The current position: phase, neuron, layer ``l`` (the book's) and what comes next."""
        event = self.current
        neuron = getattr(event, "neuron", None)
        upcoming = None
        if not self.finished:
            phase, nxt = self._tape.schedule[self.position]
            upcoming = phase if nxt is None else f"{phase} {nxt.name}"
        return Where(
            self.position,
            self.total,
            None if event is None else event.phase,
            None if neuron is None else neuron.name,
            None if neuron is None else self.depth[neuron] + 1,
            upcoming,
        )

    # -- moving ---------------------------------------------------------------------------
    def step(self, n: int = 1) -> Event | None:
        """Apply the next `n` events (default 1) and return the last one applied.

        Returns
        -------
        event or None
            None when the debugger was already at the end (nothing to apply).
        """
        event = None
        for _ in range(_count(n)):
            if self.finished:
                break
            event = self._tape.forward()
        return event

    def back(self, n: int = 1) -> Event | None:
        """Undo the latest `n` events (default 1), restoring every value exactly.

        Returns
        -------
        event or None
            The last event undone; None when the debugger was already at the start.
        """
        event = None
        for _ in range(_count(n)):
            if self.position == 0:
                break
            event = self._tape.backward()
        return event

    def continue_(self) -> Event | None:
        """Step until a breakpoint matches the event just applied, or to the end.

        Returns
        -------
        event or None
            The event a breakpoint stopped at (see `hits`); None at the end.
        """
        event = self._run_until(self.total)
        return event if self.hits else None

    def run(self) -> Event | None:
        """Apply every remaining event, ignoring breakpoints; return the last one (or None)."""
        event = None
        while not self.finished:
            event = self._tape.forward()
        return event

    def next_layer(self) -> Event | None:
        """Finish the current layer of the current phase (stopping at breakpoints).

        When the current layer is already finished (or at the start), run the whole next
        one. The layer of an event is its neuron's layer ``l`` (depth in ``net.levels()`` plus
        one, so the neurons ``L2.*`` of a layered network are layer 2); the cost event is a
        layer of its own.

        Returns
        -------
        event or None
            The last event applied; None when the debugger was already at the end.
        """
        if self.finished:
            return None
        keys = [(phase, n and self.depth[n]) for phase, n in self._tape.schedule]
        now = self.position
        key = keys[now - 1] if now else None
        if key not in keys[now:]:
            key = keys[now]
        last = max(i for i in range(now, self.total) if keys[i] == key)
        return self._run_until(last + 1)

    # -- breakpoints and watches ----------------------------------------------------------
    def break_at(
        self,
        neuron: Any = None,
        *,
        layer: int | str | None = None,
        phase: str | None = None,
        when: Callable[[Any], bool] | str | None = None,
    ) -> Breakpoint:
        """Add a breakpoint that matches events having every part given.

        Parameters
        ----------
        neuron : Neuron or str, optional
            A non-input neuron or its name.
        layer : int or str, optional
            A layer ``l`` as the book numbers it (the inputs are layer 1, so 2 is the first
            layer after them: the neurons ``L2.*`` of a layered network), or a name prefix
            such as ``"L2"``.
        phase : {"forward", "cost", "backward", "update"}, optional
        when : callable or str, optional
            A function of the event, or a condition such as ``"|delta| > 0.1"`` (see
            `Condition`).

        Returns
        -------
        Breakpoint

        Raises
        ------
        GraphError
            For an unknown neuron name (close names are suggested).
        UsageError
            For an input neuron, an unknown layer or phase, or a malformed condition.
        """
        found = None if neuron is None else self._neuron(neuron, "stop at")
        number = None if layer is None else check_layer(layer, self.net.levels())
        stage = None if phase is None else check_phase(phase)
        test = Condition(when) if isinstance(when, str) else when
        if when is not None and not callable(test):
            msg = f"break_at: `when` must be a function of the event or a string, got {when!r}"
            raise UsageError(msg)
        count = max((bp.number for bp in self.breakpoints), default=0) + 1
        bp = Breakpoint(count, found, number, stage, test)
        self.breakpoints.append(bp)
        return bp

    def clear_breakpoints(self, *numbers: int) -> list[Breakpoint]:
        """Remove the breakpoints with these numbers (all of them when none is given).

        Returns
        -------
        list of Breakpoint
            Those removed.

        Raises
        ------
        UsageError
            For a number that is not a breakpoint's.
        """
        self.breakpoints, gone = remove_numbered(self.breakpoints, numbers)
        return gone

    def watch(self, neuron: Any) -> Neuron:
        """Watch a neuron (or input): [`watch_lines`][] reports its values at every step."""
        found = self._neuron(neuron, None)
        if found not in self.watches:
            self.watches.append(found)
        return found

    def unwatch(self, neuron: Any = None) -> None:
        """Stop watching a neuron (every neuron when none is given)."""
        found = None if neuron is None else self._neuron(neuron, None)
        self.watches = [n for n in self.watches if found not in (None, n)]

    def watch_lines(self) -> list[str]:
        """One line per watched neuron with its current ``z, a, δ, ∂C/∂b``."""
        return [watch_line(n) for n in self.watches]

    def inspect(self, neuron: Any, limit: int = 5) -> str:
        """A report of one neuron's current values and its incoming edges (``print NAME``).

        A neuron with more than `limit` inputs shows its `limit` largest messages
        ``|w·a|`` (largest weights before the forward pass reaches it) and ``… N more``.
        """
        found = self._neuron(neuron, None)
        depth = self.depth.get(found)
        return neuron_report(self.net, found, None if depth is None else depth + 1, limit)

    # -- pictures -------------------------------------------------------------------------
    def draw(self, show: str | None = None) -> Any:
        """The network as a ``graphviz.Digraph``: values so far, the current neuron highlighted.

        Parameters
        ----------
        show : {"weights", "activations", "deltas", "gradients"}, optional
            Default: what the current phase computes.
        """
        from neurograph.pictures.diagram import draw

        event = self.current
        show = show or SHOW[None if event is None else event.phase]
        neuron = getattr(event, "neuron", None)
        return draw(self.net, show=show, highlight=neuron, partial=True, y=self.y)

    def record(self) -> Recording:
        """A [`Recording`][neurograph.Recording] of this debugger's whole pass; it keeps its place.

        The player makes it (`neurograph.player.recording.record_debugger()`), imported when
        called: an arrow up from the debugger that `.importlinter` lists.

        Returns
        -------
        Recording
            ``rec.save_html(path)`` writes the player (see [`neurograph.record`][]).
        """
        from neurograph.player.recording import record_debugger

        return record_debugger(self)

    def describe(self) -> str:
        """The position, the current event's equations and the watches, as text."""
        event = self.current
        lines = [str(self.where())]
        lines += [] if event is None else ["  " + line for line in event.lines()]
        return "\n".join(lines + self.watch_lines())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In Jupyter: the diagram, with the current event's equations under it."""
        return picture_bundle(self.net, self.current, self.describe(), include, exclude, self)

    def __repr__(self) -> str:
        return f"<Debugger {self.where()}>"

    # -- machinery ------------------------------------------------------------------------
    def _passes(self, update: bool = False) -> Iterator[Event]:
        """The passes' own generators, one after the other."""
        yield from passes.forward_events(self.net, self.x)
        if self.y is not None:
            yield from passes.backward_events(self.net, self.y, self.cost)
            if update and self.eta is not None:
                yield from update_events(self.net, self.eta)

    def _run_until(self, stop: int) -> Event | None:
        """Step up to position `stop`, stopping early after an event a breakpoint matches."""
        self.hits = []
        event = None
        while self.position < stop:
            event = self._tape.forward()
            self.hits = [bp for bp in self.breakpoints if bp.matches(event, self.depth)]
            for bp in self.hits:
                bp.hits += 1
            if self.hits:
                break
        return event

    def _neuron(self, ref: Any, action: str | None) -> Neuron:
        """Look up a neuron (close names suggested); with an `action`, refuse an input."""
        neuron = self.net.neuron(ref)
        if action is not None and self.depth.get(neuron) == 0:
            msg = (
                f"{neuron.name!r} is an input: it has no events to {action}; name a neuron it feeds"
            )
            raise UsageError(msg)
        return neuron


def _count(n: int) -> int:
    if not is_whole(n, 1):
        msg = f"expected a count of at least 1, got {n!r}"
        raise UsageError(msg)
    return int(n)
