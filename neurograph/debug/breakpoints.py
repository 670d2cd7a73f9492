r"""Breakpoints of the [`Debugger`][neurograph.Debugger], and the tiny language of their conditions.

A breakpoint stops [`Debugger.continue_`][] after an event that matches all of its parts:
a neuron, a layer, a phase and a condition. A condition is a Python callable taking the event,
or a string in a small expression language that is parsed, never evaluated as Python::

    |delta| > 0.1        a < 0.5 and z > -2        cost >= 1 or |delta| > 0.5

Each comparison is ``NAME OP NUMBER`` or ``|NAME| OP NUMBER``; ``and`` binds tighter than ``or``.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from neurograph.errors import UsageError
from neurograph.graph.digraph import closest
from neurograph.graph.neurons import Neuron
from neurograph.graph.text import shortlist

__all__ = ["PHASES", "Breakpoint", "Condition", "event_values"]

PHASES = ("forward", "cost", "backward", "update")

#: The names a condition may use, each with what it means.
NAMES = {
    "a": "activation a",
    "z": "weighted input z",
    "delta": "error δ = ∂C/∂z",
    "bias_grad": "∂C/∂b",
    "sigma_prime": "σ'(z)",
    "bias": "bias b",
    "cost": "the cost C (the cost event only)",
}
ALIASES = {"δ": "delta", "C": "cost", "db": "bias_grad"}
OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
COMPARISON = re.compile(
    rf"^\s*(?P<bar>\|?)\s*(?P<name>[^\s|<>=!]+)\s*(?P<bar2>\|?)\s*"
    rf"(?P<op><=|>=|==|!=|<|>)\s*(?P<number>{NUMBER})\s*$"
)


def event_values(event: Any) -> dict[str, float]:
    """The numbers a condition can test on an event (only those the event has).

    Parameters
    ----------
    event : ForwardEvent, CostEvent, BackwardEvent or UpdateEvent

    Returns
    -------
    dict
        A forward event gives ``z``, ``a`` and ``bias``; a backward event ``delta``,
        ``bias_grad``, ``sigma_prime`` and its neuron's current ``z`` and ``a``; the cost event
        ``cost``; an update event ``bias`` (the new one) and ``bias_grad``.
    """
    found: dict[str, Any] = {}
    if event.phase == "forward":
        found = {"z": event.z, "a": event.a, "bias": event.bias}
    elif event.phase == "cost":
        found = {"cost": event.value}
    elif event.phase == "backward":
        found = {"delta": event.delta, "bias_grad": event.delta, "sigma_prime": event.sigma_prime}
        found.update(z=event.neuron.z, a=event.neuron.a)
    elif event.phase == "update":
        found = {"bias": event.new_bias, "bias_grad": event.bias_grad}
    return {name: float(v) for name, v in found.items() if v is not None}


class Condition:
    """A condition such as ``|delta| > 0.1``, parsed once, tested on events.

    Parameters
    ----------
    text : str
        Comparisons ``NAME OP NUMBER`` or ``|NAME| OP NUMBER`` joined by ``and`` / ``or``;
        NAME is one of [`NAMES`][] (``δ``, ``C`` and ``db`` are aliases), OP one of
        ``< <= > >= == !=``.

    Raises
    ------
    UsageError
        If the text is not in this language; the message says what was expected.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> cond = Condition("|delta| > 0.1 and a < 0.5")
    >>> fake = E(phase="backward", delta=-0.2, sigma_prime=0.25, neuron=E(z=0.0, a=0.3))
    >>> cond(fake)
    True
    >>> cond(E(phase="forward", z=1.0, a=0.7, bias=0.0))
    False
    """

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        if not self.text:
            msg = "empty condition; expected e.g. '|delta| > 0.1' or 'a < 0.5'"
            raise UsageError(msg)
        self.clauses = [
            [self._parse(part) for part in re.split(r"\s+and\s+", alternative)]
            for alternative in re.split(r"\s+or\s+", self.text)
        ]

    @staticmethod
    def _parse(part: str) -> tuple[str, bool, str, float]:
        match = COMPARISON.match(part)
        if match is None:
            msg = (
                f"cannot read the condition {part.strip()!r}; expected NAME OP NUMBER such as "
                f"'|delta| > 0.1' or 'a < 0.5' (NAME: {', '.join(NAMES)}; OP: < <= > >= == !=)"
            )
            raise UsageError(msg)
        name = ALIASES.get(match["name"], match["name"])
        if name not in NAMES:
            msg = (
                f"unknown name {match['name']!r} in the condition {part.strip()!r}; "
                f"expected one of {', '.join(NAMES)} (close: {closest(NAMES, name, 2)})"
            )
            raise UsageError(msg)
        if bool(match["bar"]) != bool(match["bar2"]):
            msg = f"unbalanced '|' in the condition {part.strip()!r}; write |{name}| for |{name}|"
            raise UsageError(msg)
        return name, bool(match["bar"]), match["op"], float(match["number"])

    def __call__(self, event: Any) -> bool:
        """Whether the event satisfies the condition (a name it lacks makes a clause False)."""
        values = event_values(event)

        def holds(name: str, absolute: bool, op: str, number: float) -> bool:
            if name not in values or math.isnan(values[name]):
                return False
            value = abs(values[name]) if absolute else values[name]
            return OPS[op](value, number)

        return any(all(holds(*clause) for clause in group) for group in self.clauses)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Condition({self.text!r})"


@dataclass
class Breakpoint:
    """Stop after an event that matches every part given (None matches anything).

    Attributes
    ----------
    number : int
        Its number in the debugger, for deleting it.
    neuron : Neuron or None
    layer : int, str or None
        A layer ``l`` as the book numbers it (the inputs are layer 1; a neuron at depth ``d``
        of ``net.levels()`` is in layer ``d + 1``), or a name prefix such as ``"L2"`` that
        matches the neurons ``L2.1, L2.2, …`` of a layered network.
    phase : {"forward", "cost", "backward", "update"} or None
    when : callable or None
        Takes the event, returns True to stop (a `Condition`, or any function).
    hits : int
        How many times it stopped the debugger.
    """

    number: int
    neuron: Neuron | None = None
    layer: int | str | None = None
    phase: str | None = None
    when: Callable[[Any], bool] | None = None
    hits: int = 0

    def matches(self, event: Any, depth: Mapping[Neuron, int]) -> bool:
        """Whether `event` stops the debugger (`depth` maps each neuron to its level).

        Raises
        ------
        UsageError
            If the condition raises; the message names this breakpoint and the event.
        """
        neuron = getattr(event, "neuron", None)
        if self.phase is not None and event.phase != self.phase:
            return False
        if self.neuron is not None and neuron is not self.neuron:
            return False
        if isinstance(self.layer, int) and (
            neuron is None or depth.get(neuron, -1) + 1 != self.layer
        ):
            return False
        if isinstance(self.layer, str) and (
            neuron is None or not str(neuron.name).startswith(self.layer + ".")
        ):
            return False
        if self.when is None:
            return True
        try:
            return bool(self.when(event))
        except Exception as err:
            where = f"the {event.phase} event" + (f" of {neuron.name!r}" if neuron else "")
            msg = f"breakpoint {self.number}: its condition failed on {where}: {err!r}"
            raise UsageError(msg) from err

    def __str__(self) -> str:
        parts = []
        if self.neuron is not None:
            parts.append(f"neuron {self.neuron.name}")
        if self.layer is not None:
            parts.append(f"layer {self.layer}")
        if self.phase is not None:
            parts.append(f"phase {self.phase}")
        if self.when is not None:
            when = self.when if isinstance(self.when, Condition) else _name_of(self.when)
            parts.append(f"if {when}")
        times = "time" if self.hits == 1 else "times"
        return f"{self.number}: {', '.join(parts) or 'every event'} (hit {self.hits} {times})"


def _name_of(function: Callable[[Any], bool]) -> str:
    name = getattr(function, "__name__", repr(function))
    return "a condition" if name == "<lambda>" else f"{name}(event)"


def check_phase(phase: str) -> str:
    """Return `phase` if it is a known phase, else raise a UsageError suggesting one."""
    if phase not in PHASES:
        msg = f"unknown phase {phase!r}; expected one of {', '.join(PHASES)}"
        msg += f" (close: {closest(PHASES, phase, 1)[0]!r})"
        raise UsageError(msg)
    return phase


def check_layer(layer: Any, levels: list[list[Neuron]]) -> int | str:
    """Return a valid layer: a layer ``l`` beyond the inputs, or a name prefix in use.

    Parameters
    ----------
    layer : int or str
        A layer ``l`` as the book numbers it (2 … L: the inputs, layer 1, have no events),
        or a prefix such as ``"L2"`` (a digit string is a layer number).
    levels : list of list of Neuron

    Raises
    ------
    UsageError
        For the input level, a depth out of range or a prefix no neuron has.
    """
    if isinstance(layer, str) and layer.strip().isdigit():
        layer = int(layer)
    if isinstance(layer, bool) or not isinstance(layer, (int, str)):
        msg = f"expected a layer number (int) or a name prefix such as 'L2', got {layer!r}"
        raise UsageError(msg)
    if isinstance(layer, int):
        if not 2 <= layer <= len(levels):
            msg = (
                f"no layer {layer} to stop in: layer 1 holds the inputs (they have no events) "
                f"and this network's layers with neurons are 2 … {len(levels)}"
            )
            raise UsageError(msg)
        return layer
    layer = layer.strip()
    names = [str(n.name) for level in levels[1:] for n in level]
    if not any(name.startswith(layer + ".") for name in names):
        prefixes = sorted({name.rsplit(".", 1)[0] for name in names if "." in name})
        msg = f"no neuron is named {layer}.<j>; layer prefixes here: {shortlist(prefixes)}"
        msg += " (or give a layer number: 2 is the first layer after the inputs)"
        raise UsageError(msg)
    return layer


def remove_numbered(
    breakpoints: list[Breakpoint], numbers: tuple[int, ...]
) -> tuple[list[Breakpoint], list[Breakpoint]]:
    """Split `breakpoints` into those kept and those numbered `numbers` (all, when empty).

    Raises
    ------
    UsageError
        For a number that is not a breakpoint's.
    """
    known = {bp.number for bp in breakpoints}
    unknown = [n for n in numbers if n not in known]
    if unknown:
        msg = f"no breakpoint numbered {unknown[0]}; the breakpoints are {sorted(known)}"
        raise UsageError(msg)
    gone = [bp for bp in breakpoints if not numbers or bp.number in numbers]
    return [bp for bp in breakpoints if bp not in gone], gone
