"""One layer numbering, the book's l (the inputs are layer 1), in every place a user meets it."""

from __future__ import annotations

import io

import numpy as np
import pytest

import neurograph as ng
from neurograph.commands.debug_shell import DebugShell


def test_every_place_says_the_same_layer_number() -> None:
    """L2.* is layer 2 and L3.* layer 3: debugger, breakpoints, print, FastNetwork, errors."""
    net = ng.layered([2, 3, 2], seed=0)
    dbg = ng.Debugger(net, [1.0, 0.5], 1, cost=ng.CrossEntropyCost())
    dbg.step()
    assert dbg.where().layer == 2 and "forward L2.1 (layer 2)" in dbg.describe()
    assert dbg.inspect("L2.1").startswith("L2.1: SigmoidNeuron, layer 2,")
    assert dbg.inspect("L3.2").startswith("L3.2: SigmoidNeuron, layer 3,")
    assert dbg.inspect("L1.1").startswith("L1.1: Input, layer 1,")
    dbg.back()
    bp = dbg.break_at(layer=3)
    event = dbg.continue_()
    assert event is not None and getattr(event, "neuron").name == "L3.1"
    assert str(bp).startswith("1: layer 3") and dbg.where().layer == 3
    dbg.clear_breakpoints()
    dbg.break_at(layer="2")  # as the prompt's `break layer 2` passes it
    assert getattr(dbg.continue_(), "neuron").name in ("L2.1", "L2.2", "L2.3")
    with pytest.raises(ng.UsageError, match="layer 1 holds the inputs"):
        dbg.break_at(layer=1)
    with pytest.raises(ng.UsageError, match="layers with neurons are 2 … 3"):
        dbg.break_at(layer=4)
    fast = net.compile()
    assert sorted(fast.layers) == sorted(fast.w) == [2, 3]
    for number, layer in fast.layers.items():
        assert layer.number == number and all(n.startswith(f"L{number}.") for n in layer.names)
        assert fast.w[number].shape == (len(layer.names), len(layer.sources))
    np.testing.assert_array_equal(fast.w[3][0], [net.weight(f"L2.{k}", "L3.1") for k in (1, 2, 3)])
    with pytest.raises(ng.ShapeError, match="^layer 3: expected weights"):
        ng.from_matrices([np.zeros((3, 2)), np.zeros((2, 4))], [np.zeros(3), np.zeros(2)])


def test_the_prompt_speaks_the_same_numbers() -> None:
    net = ng.layered([2, 3, 2], seed=0)
    out_file = io.StringIO()
    shell = DebugShell(ng.Debugger(net, [1.0, 0.5], 1), io.StringIO(), out_file, False)
    for line in ("break layer 3", "continue", "help break"):
        shell.onecmd(line)
    out = out_file.getvalue()
    assert "Breakpoint 1: layer 3" in out and "forward L3.1 (layer 3)" in out
    assert "2 = the first after the inputs" in out


def test_inspect_works_as_print_does() -> None:
    net = ng.layered([2, 3, 2], seed=0)
    out_file = io.StringIO()
    dbg = ng.Debugger(net, [1.0, 0.5], 1)
    shell = DebugShell(dbg, io.StringIO(), out_file, False)
    for line in ("step", "print L2.1", "inspect L2.1", "help inspect"):
        shell.onecmd(shell.precmd(line))
    out = out_file.getvalue()
    assert out.count(dbg.inspect("L2.1")) == 2 and "inspect NAME" in out
