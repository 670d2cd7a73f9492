"""Building and loading are linear in neurons + edges: counted in executed lines, never timed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import neurograph as ng
from neurograph.graph import digraph


def _lines(work: Callable[[], Any]) -> int:
    """How many lines of Python (neurograph's, networkx's, …) `work` executes."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def _softmax(n: int) -> ng.Network:
    net = ng.Network()
    x = net.add_inputs(2)
    layer = net.add(ng.SoftmaxLayer(n, name="out"))
    for unit in layer:
        net.connect(x[0], unit, 0.5)
    net.set_outputs([layer])
    return net


def _load(tmp_path: Path) -> Callable[[int], Any]:
    def load(n: int) -> Any:
        path = ng.save(_softmax(n), tmp_path / f"soft{n}.json")
        return lambda: ng.load(path)

    return load


@pytest.mark.parametrize(
    "case",
    ["add_inputs", "softmax build", "softmax load", "chain", "typo suggestion"],
)
def test_work_grows_linearly(case: str, tmp_path: Path) -> None:
    names = [f"neuron_{k}" for k in range(4000)]
    setups: dict[str, Callable[[int], Callable[[], Any]]] = {
        "add_inputs": lambda n: lambda: ng.Network().add_inputs(n),
        "softmax build": lambda n: lambda: _softmax(n),
        "softmax load": _load(tmp_path),
        "chain": lambda n: lambda: ng.layered([1] * n, seed=0),
        "typo suggestion": lambda n: lambda: digraph.closest(names[:n], "x" * 10_000),
    }
    small, large = (_lines(setups[case](n)) for n in (500, 2000))
    assert large < 4.8 * small, f"{case}: {small} lines for 500, {large} for 2000"


def test_typo_suggestion_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[int, int]] = []
    distance = digraph._distance

    def counting(a: str, b: str) -> int:
        compared.append((len(a), len(b)))
        return distance(a, b)

    monkeypatch.setattr(digraph, "_distance", counting)
    net = ng.Network()
    net.add_inputs([f"x{k}" for k in range(20_000)])
    with pytest.raises(ng.GraphError, match="close names"):
        net.neuron("y" * 45_000)
    assert len(compared) <= digraph.CLOSEST_CANDIDATES
    assert max(max(pair) for pair in compared) <= digraph.CLOSEST_CHARS


def test_cycle_search_is_constant_when_connecting_new_neurons() -> None:
    net = _softmax(3000)
    calls = 0
    successors, predecessors = net.graph.successors, net.graph.predecessors

    def counted(method: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def wrapper(node: Any) -> Any:
            nonlocal calls
            calls += 1
            return method(node)

        return wrapper

    net.graph.successors = counted(successors)  # type: ignore[method-assign]
    net.graph.predecessors = counted(predecessors)  # type: ignore[method-assign]
    net.connect("x2", "out.17", 1.0)
    assert calls <= 4
    with pytest.raises(ng.GraphError, match="duplicate name 'out.1'"):
        net.add(ng.SigmoidNeuron(name="out.1"))
