"""The Debugger: it steps through the passes' own events, and back, exactly."""

from __future__ import annotations

import itertools
import sys
import types
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import KINDS, cases

import neurograph as ng
from neurograph.debug.breakpoints import Condition
from neurograph.debug.debugger import Debugger
from neurograph.debug.notebook import event_bundle
from neurograph.errors import GraphError, ShapeError, UsageError
from neurograph.graph import passes
from neurograph.graph.events import terms
from neurograph.graph.passes import update_events

# The tests type debuggers as Any: they read the fields of whichever event a step returns.
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def snapshot(net: ng.Network) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Every value a pass or an update can change, by name."""
    nodes = {n.name: (n.a, n.z, n.delta, n.bias_grad, n.bias) for n in net.graph}
    edges = {
        (s.name, t.name): (d["weight"], d.get("grad", "no grad"))
        for s, t, d in net.graph.edges(data=True)
    }
    return nodes, edges


def name_of(event: Any) -> str | None:
    """The name of an event's neuron (None for the cost event)."""
    neuron = getattr(event, "neuron", None)
    return None if neuron is None else neuron.name


def small_net() -> ng.Network:
    """The 2-2-1 network of the hand-worked example (see tests/test_passes.py)."""
    from neurograph.commands.demo import build_small_network

    return build_small_network()


# -- order and values -------------------------------------------------------------------
def test_event_order_follows_the_plan() -> None:
    net = ng.layered([3, 4, 3], output=ng.SoftmaxLayer, seed=0)
    dbg: Any = Debugger(net, [0.1, 0.2, 0.3], 2, ng.LogLikelihoodCost(), eta=0.5)
    dbg.run()
    order = [n.name for step in net.plan().steps for n in step]
    phases = [e.phase for e in dbg.events]
    names = [name_of(e) for e in dbg.events]
    n = len(order)
    assert phases == ["forward"] * n + ["cost"] + ["backward"] * n + ["update"] * n
    assert names[:n] == order
    assert names[n + 1 : 2 * n + 1] == order[::-1]
    assert names[2 * n + 1 :] == order
    assert dbg.total == 3 * n + 1 and dbg.finished


@FAST
@given(st.one_of(cases(), cases(kinds=KINDS)))
def test_run_equals_forward_and_backward_exactly(case: tuple) -> None:
    """After run(), every a, z, δ and gradient is == what net.forward/backward give."""
    net, x, y, cost = case
    dbg: Any = Debugger(net, x, y, cost)
    assert dbg.run() is dbg.current
    debugged = snapshot(net)
    events = dbg.events
    grads = net.gradients()
    net.forward(x)
    net.backward(y, cost)
    assert snapshot(net) == debugged
    assert net.gradients() == grads
    for event in events:
        if event.phase == "forward":
            assert (event.z, event.a) == (event.neuron.z, event.neuron.a)
        elif event.phase == "backward":
            assert event.delta == event.neuron.delta == event.neuron.bias_grad


@FAST
@given(st.one_of(cases(), cases(kinds=KINDS)))
def test_objects_hold_the_values_of_the_position(case: tuple) -> None:
    """At position k the network holds what the passes' generators leave after k events;
    back() restores each earlier position exactly, and stepping again replays it."""
    net, x, y, cost = case
    twin = net.copy()
    dbg: Any = Debugger(net, x, y, cost, eta=0.5)
    live = itertools.chain(
        passes.forward_events(twin, x),
        passes.backward_events(twin, y, cost),
        update_events(twin, 0.5),
    )
    seen = [snapshot(net)]
    assert seen[0] == snapshot(twin)  # everything cleared: as fresh as a copy
    for k in range(1, dbg.total + 1):
        event = dbg.step()
        twin_event = next(live)
        assert dbg.position == k and type(event) is type(twin_event)
        assert name_of(event) == name_of(twin_event)
        assert snapshot(net) == snapshot(twin)
        seen.append(snapshot(net))
    assert dbg.step() is None
    for k in range(dbg.total - 1, -1, -1):
        assert dbg.back() is not None
        assert snapshot(net) == seen[k]
    assert dbg.back() is None and dbg.position == 0
    dbg.step(dbg.total)
    assert snapshot(net) == seen[-1]


def test_values_during_the_forward_pass() -> None:
    net = ng.layered([2, 3, 1], seed=0)
    net.forward([1.0, 1.0])
    net.backward(1.0)
    dbg: Any = Debugger(net, [0.5, -1.0], 1.0)
    assert all(n.a is None and n.delta is None for n in net.graph)
    assert all("grad" not in d for *_, d in net.graph.edges(data=True))
    dbg.step(2)
    assert [n.a is not None for n in net.neurons] == [True, True, False, False]
    assert [x.a for x in net.inputs] == [0.5, -1.0]
    dbg.back(2)
    assert all(n.a is None for n in net.graph)


def test_hand_worked_backward_step() -> None:
    """The issue's example shape, with the numbers of tests/test_passes.py's 2-2-1 network."""
    net = small_net()
    dbg: Any = Debugger(net, [1.0, 0.0], 1.0, ng.CrossEntropyCost())
    dbg.step(4)  # three forward events and the cost
    out = dbg.step()
    # z[out] = 1.5·σ(1.5) - 2·0.5 + 0.25 ≈ 0.4763617, a[out] ≈ 0.6168884
    # (BP1, eq. 66) δ[out] = a - y ≈ -0.3831116
    assert out.phase == "backward" and round(out.delta, 7) == -0.3831116
    h2 = dbg.step()
    # (BP2) δ[h2] = σ'(0)·(-2·δ[out]) = 0.25 × 0.7662232 ≈ 0.1915558
    text = str(h2)
    assert "δ[h2] = σ'(z) · Σ w·δ = 0.25 × ((-2) × (-0.3831)) = 0.1916" in text
    assert "(BP4) ∂C/∂w = a·δ = [x1: 0.1916, x2: 0]" in text


def test_eta_updates_parameters_and_back_undoes_them() -> None:
    net = small_net()
    reference = small_net()
    reference.forward([1.0, 0.0])
    reference.backward(1.0, ng.CrossEntropyCost())
    dbg: Any = Debugger(net, [1.0, 0.0], 1.0, ng.CrossEntropyCost(), eta=2.0)
    before = snapshot(net)
    last = dbg.run()
    assert last is not None and last.phase == "update" and last.neuron.name == "out"
    for src, dst, data in net.graph.edges(data=True):
        old = reference.graph.edges[reference[src.name], reference[dst.name]]
        assert data["weight"] == old["weight"] - 2.0 * old["grad"]
    assert net["h1"].bias == reference["h1"].bias - 2.0 * reference["h1"].delta
    assert "b[out] ← b − η ∂C/∂b" in str(last)
    dbg.back(dbg.total)
    assert snapshot(net) == before


# -- moving -------------------------------------------------------------------------------
def test_step_and_back_at_the_ends() -> None:
    dbg: Any = Debugger(ng.layered([2, 1], seed=0), [1.0, 2.0], 0.0)
    assert dbg.back() is None and dbg.current is None
    assert dbg.where().phase is None and "at the start" in str(dbg.where())
    assert dbg.step(10) is not None and dbg.finished and dbg.position == 3
    assert dbg.step() is None and dbg.continue_() is None and dbg.next_layer() is None
    assert dbg.run() is None
    assert str(dbg.where()).endswith("finished")
    with pytest.raises(UsageError, match="count"):
        dbg.step(0)


def test_next_layer_finishes_the_current_layer() -> None:
    net = ng.layered([2, 3, 2, 1], seed=0)
    dbg: Any = Debugger(net, [0.1, 0.2], 1.0)
    stops = []
    while dbg.next_layer() is not None:
        stops.append(dbg.position)
    assert stops == [3, 5, 6, 7, 8, 10, 13]
    dbg.back(dbg.total)
    dbg.step()
    assert dbg.next_layer() is not None and dbg.position == 3  # the rest of layer 2


def test_where() -> None:
    dbg: Any = Debugger(ng.layered([2, 2, 1], seed=0), [1.0, 0.5], 1.0)
    dbg.step(3)
    where = dbg.where()
    assert (where.position, where.total, where.phase, where.neuron, where.layer) == (
        3,
        7,
        "forward",
        "L3.1",
        3,
    )
    assert where.next == "cost"
    assert str(where) == "[3/7] forward L3.1 (layer 3); next: cost"


# -- breakpoints and watches ---------------------------------------------------------------
def test_breakpoints_by_name_layer_phase_and_condition() -> None:
    net = ng.layered([2, 3, 2], seed=0)
    dbg: Any = Debugger(net, [1.0, 0.5], 1, ng.CrossEntropyCost())
    by_name = dbg.break_at("L3.1")
    event = dbg.continue_()
    assert event.neuron.name == "L3.1" and dbg.hits == [by_name] and by_name.hits == 1
    dbg.clear_breakpoints()
    dbg.break_at(phase="backward", when="|delta| > 0.1")
    event = dbg.continue_()
    assert event.phase == "backward" and abs(event.delta) > 0.1
    assert all(abs(getattr(e, "delta", 0)) <= 0.1 for e in dbg.events[5:-1] if e.phase != "cost")
    dbg.clear_breakpoints()
    dbg.break_at(layer="L2")
    assert dbg.continue_().neuron.name == "L2.3"
    dbg.clear_breakpoints()
    dbg.break_at(layer=2, when=lambda e: e.neuron.name == "L2.1")
    assert dbg.continue_().neuron.name == "L2.1"
    assert dbg.continue_() is None and dbg.finished  # no more matches: to the end
    dbg.back(dbg.total)
    dbg.break_at(phase="cost")
    assert dbg.continue_().neuron.name == "L2.1"  # forward L2.1 matches the first one
    assert dbg.continue_().phase == "cost"
    assert [str(bp) for bp in dbg.breakpoints] == [
        "1: layer 2, if a condition (hit 2 times)",
        "2: phase cost (hit 1 time)",
    ]


def test_next_layer_stops_at_a_breakpoint() -> None:
    dbg: Any = Debugger(ng.layered([2, 3, 1], seed=0), [0.1, 0.2], 1.0)
    dbg.break_at("L2.2")
    assert dbg.next_layer().neuron.name == "L2.2" and dbg.position == 2


def test_bad_breakpoints_and_watches() -> None:
    net = ng.layered([2, 3, 1], seed=0)
    dbg: Any = Debugger(net, [0.1, 0.2], 1.0)
    with pytest.raises(GraphError, match=r"no neuron named 'L2\.9'.*'L2\.1'"):
        dbg.break_at("L2.9")
    with pytest.raises(UsageError, match="'L1.1' is an input"):
        dbg.break_at("L1.1")
    with pytest.raises(UsageError, match="unknown phase 'backwards'.*'backward'"):
        dbg.break_at(phase="backwards")
    with pytest.raises(UsageError, match="no layer 1 to stop in: layer 1 holds the inputs"):
        dbg.break_at(layer=1)
    with pytest.raises(UsageError, match="no layer 5"):
        dbg.break_at(layer=5)
    with pytest.raises(UsageError, match=r"prefixes here: \['L2', 'L3'\]"):
        dbg.break_at(layer="L7")
    with pytest.raises(UsageError, match="unknown name 'detla'"):
        dbg.break_at(when="|detla| > 1")
    with pytest.raises(UsageError, match="no breakpoint numbered 4"):
        dbg.clear_breakpoints(4)
    with pytest.raises(GraphError, match="close names"):
        dbg.watch("L9")
    dbg.break_at(when=lambda e: e.delta > 0)  # forward events have no delta
    with pytest.raises(UsageError, match="breakpoint 1: its condition failed on the forward"):
        dbg.continue_()
    assert dbg.position == 1  # the event was applied before the condition failed


def test_watches() -> None:
    net = ng.layered([2, 2, 1], seed=0)
    dbg: Any = Debugger(net, [1.0, 0.5], 1.0)
    dbg.watch("L2.2")
    dbg.watch(net["L1.1"])
    assert dbg.watch_lines() == [
        "  watch L2.2: z = —, a = —, δ = —, ∂C/∂b = —",
        "  watch L1.1: a = — (input)",
    ]
    dbg.step(2)
    assert f"a = {net['L2.2'].a:.4g}" in dbg.watch_lines()[0]
    assert dbg.watch_lines()[1] == "  watch L1.1: a = 1 (input)"
    dbg.unwatch("L2.2")
    assert [n.name for n in dbg.watches] == ["L1.1"]
    dbg.unwatch()
    assert dbg.watches == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("|delta| > 0.1", [False, True, False]),
        ("δ < 0", [False, True, False]),
        ("a >= 0.5 or cost > 1", [True, False, True]),
        ("z > 0 and a < 0.9", [True, False, False]),
    ],
)
def test_conditions(text: str, expected: list[bool]) -> None:
    n = types.SimpleNamespace(z=0.0, a=0.4)
    events = [
        types.SimpleNamespace(phase="forward", z=0.3, a=0.6, bias=0.0),
        types.SimpleNamespace(phase="backward", delta=-0.2, sigma_prime=None, neuron=n),
        types.SimpleNamespace(phase="cost", value=2.0),
    ]
    assert [Condition(text)(e) for e in events] == expected


@pytest.mark.parametrize("text", ["", "delta >", "import os", "|a > 1", "a < b", "__class__ > 1"])
def test_conditions_are_not_python(text: str) -> None:
    with pytest.raises(UsageError):
        Condition(text)


# -- construction errors, any network ------------------------------------------------------
def test_errors_at_construction() -> None:
    net = ng.layered([2, 2, 1], seed=0)
    with pytest.raises(ShapeError, match="2 values"):
        Debugger(net, [1.0, 2.0, 3.0], 1.0)
    with pytest.raises(ShapeError, match="target"):
        Debugger(net, [1.0, 2.0], [1.0, 0.0])
    with pytest.raises(UsageError, match="eta must be a positive number"):
        Debugger(net, [1.0, 2.0], 1.0, eta=0)
    with pytest.raises(UsageError, match="give the target y"):
        Debugger(net, [1.0, 2.0], eta=1.0)
    with pytest.raises(UsageError, match="unknown cost"):
        Debugger(net, [1.0, 2.0], 1.0, "hinge")
    with pytest.raises(GraphError, match="LogLikelihoodCost needs"):
        Debugger(net, [1.0, 2.0], 1.0, ng.LogLikelihoodCost())


def test_perceptrons_forward_only() -> None:
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    net.add(ng.Perceptron(bias=3.0, name="nand"), inputs={x1: -2.0, x2: -2.0})
    with pytest.raises(GraphError, match="sigmoidized"):
        Debugger(net, [1.0, 1.0], 0.0)
    dbg: Any = Debugger(net, [1.0, 1.0])
    event = dbg.step()
    assert dbg.total == 1 and event.a == 0.0
    assert "a[nand] = step(z) = 0" in str(event)


def test_structure_change_is_refused() -> None:
    net = ng.layered([2, 2, 1], seed=0)
    dbg: Any = Debugger(net, [1.0, 0.5], 1.0)
    dbg.step()
    net.add(ng.SigmoidNeuron(name="extra"), inputs={"L1.1": 1.0})
    with pytest.raises(GraphError, match="structure changed"):
        dbg.step()


# -- text and pictures ---------------------------------------------------------------------
def test_big_fan_in_is_summarised() -> None:
    net = ng.layered([784, 3, 2], seed=0)
    x = np.zeros(784)
    x[[5, 100, 700]] = [1.0, 0.5, 0.25]
    dbg: Any = Debugger(net, x, 1, ng.CrossEntropyCost())
    first = str(dbg.step())
    assert "… (780 more, sum 0)" in first and first.count("×") == 4
    report = dbg.inspect("L2.1")
    assert "784 inputs" in report and "… 779 more" in report and "largest |w·a|" in report
    dbg.run()
    assert "… (780 more)" in str(dbg.events[-1])


def test_terms_keep_the_largest() -> None:
    assert (
        terms([1.0, 5.0, -7.0], [1.0, 1.0, 1.0], limit=2) == "5 × 1 + (-7) × 1 + … (1 more, sum 1)"
    )


def test_draw_asks_render_for_the_current_neuron(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    targets: list[Any] = []

    class Picture:
        def _repr_image_svg_xml(self) -> str:
            return "<svg>picture</svg>"

    def draw(
        net: Any, show: str, *, highlight: Any = None, partial: bool = False, y: Any = None
    ) -> Picture:
        targets.append(y)  # the debugger passes its target: the legend says the true label
        calls.append((net, show, highlight, partial))
        return Picture()

    monkeypatch.setitem(
        sys.modules, "neurograph.pictures.diagram", types.SimpleNamespace(draw=draw)
    )
    net = ng.layered([2, 2, 1], seed=0)
    dbg: Any = Debugger(net, [1.0, 0.5], 1.0)
    dbg.draw()
    dbg.step(4)
    dbg.draw()
    event = dbg.step()
    bundle = dbg._repr_mimebundle_()
    assert [c[1:] for c in calls] == [
        ("weights", None, True),
        ("activations", None, True),
        ("deltas", net["L3.1"], True),
    ]
    assert "<svg>picture</svg>" in bundle["text/html"] and "δ[L3.1]" in bundle["text/html"]
    assert bundle["text/plain"].startswith("[5/7] backward L3.1 (layer 3)")
    own = event_bundle(event, include=["text/plain"])
    assert list(own) == ["text/plain"] and "δ[L3.1]" in own["text/plain"]
    cost = event_bundle(dbg.events[3], exclude=["text/plain"])
    assert list(cost) == ["text/html"] and "C = ½ Σ (a − y)²" in cost["text/html"]
    assert calls[-1][1:] == ("activations", None, True)
    assert targets[:3] == [1.0, 1.0, 1.0]


def test_picture_falls_back_to_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def draw(*args: Any, **kwargs: Any) -> Any:
        msg = "no Graphviz"
        raise ng.NeurographError(msg)

    monkeypatch.setitem(
        sys.modules, "neurograph.pictures.diagram", types.SimpleNamespace(draw=draw)
    )
    dbg: Any = Debugger(ng.layered([2, 1], seed=0), [1.0, 0.5], 1.0)
    dbg.step()
    bundle = dbg._repr_mimebundle_()
    assert bundle["text/html"].startswith("<div><pre>[1/3] forward L2.1")


def test_draw_with_the_real_renderer() -> None:
    render = pytest.importorskip("neurograph.pictures.diagram")
    net = ng.layered([2, 2, 1], seed=0)
    dbg: Any = Debugger(net, [1.0, 0.5], 1.0)
    dbg.step(5)
    graph = dbg.draw()
    source = render.draw(net, show="deltas", highlight=net["L3.1"], partial=True).source
    assert graph.source == source and "L2.1" in source


def test_cost_line_and_print_say_the_label() -> None:
    """The cost step names the true label and the prediction; print names an output's label."""
    net = ng.layered([784, 30, 10], seed=0, labels=[str(d) for d in range(10)])
    (X, y) = ng.datasets.load_mnist()[2]
    dbg = ng.Debugger(net, X[0], int(y[0]), cost="cross-entropy")
    dbg.step(41)  # 40 neurons forward, then the cost
    assert dbg.current is not None and dbg.current.phase == "cost"
    text = dbg.describe()
    assert 'L3.8 · "7": ' in text and "vs 1" in text.split('L3.8 · "7": ')[1][:20]
    assert '\n  true label "7", prediction "' in text
    assert dbg.inspect("L3.8").startswith('L3.8 · "7": SigmoidNeuron')
