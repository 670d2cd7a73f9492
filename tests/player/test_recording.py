"""ng.record and Recording: the passes' own events, the page's data, the network untouched."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from page_helpers import with_labels

import neurograph as ng
from neurograph.errors import UsageError
from neurograph.player.page import script_json


def test_events_are_the_debuggers(tiny_net: ng.Network, dot: str) -> None:
    x, y = [0.3, -0.7], 1.0
    rec = ng.record(tiny_net, x, y, cost="cross-entropy", eta=0.5)
    dbg = ng.Debugger(tiny_net, x, y, "cross-entropy", eta=0.5)
    printed = [str(dbg.step()) for _ in range(dbg.total)]
    assert [str(e) for e in rec.events] == printed
    assert [e["text"] for e in rec.data["events"]] == printed
    phases = [e.phase for e in rec.events]
    assert phases == ["forward"] * 4 + ["cost"] + ["backward"] * 4 + ["update"] * 4


def test_activations_outside_zero_one_are_filled_red_to_blue(dot: str) -> None:
    """A tanh network's page: a negative a is red, never the white of a = 0, and the key of
    the forward phase says which scale it is."""
    from neurograph.pictures.style import diverging, sequential

    net = ng.layered([2, 2, 1], neuron=ng.TanhNeuron, output=ng.TanhNeuron, seed=3)
    x = [-1.0, 0.5]
    rec = ng.record(net, x, 0.5)
    net.forward(x)  # the values the page shows in its forward phase
    a = {str(n.name): float(n.a) for n in net.neurons}  # type: ignore[arg-type]
    largest = max(abs(v) for v in [*x, *a.values()])
    neurons = {n["name"]: n for n in rec.data["neurons"]}
    for name, value in a.items():
        assert neurons[name]["shows"]["forward"][1] == diverging(value / largest, 0.9)
    assert rec.data["keys"]["forward"][0] == (
        f"fill: a, red < 0, blue > 0 (largest |a| = {ng.pictures.style.fmt(largest)})"
    )
    sig = ng.layered([2, 2, 1], seed=3)
    sigmoid = ng.record(sig, [0.2, 0.5], 0.5)
    assert sigmoid.data["keys"]["forward"][0] == "fill: a, from white (0) to dark green (1)"
    sig.forward([0.2, 0.5])
    shown = {n["name"]: n for n in sigmoid.data["neurons"]}
    assert shown["L2.1"]["shows"]["forward"][1] == sequential(sig["L2.1"].a)


def test_values_match_a_plain_pass(tiny_net: ng.Network, dot: str) -> None:
    x, y = [0.3, -0.7], 1.0
    rec = ng.record(tiny_net, x, y)
    out = tiny_net.forward(x)
    tiny_net.backward(y, cost=ng.QuadraticCost())
    neurons = {n["name"]: n for n in rec.data["neurons"]}
    h = tiny_net["L2.2"]
    assert neurons["L2.2"]["shows"]["forward"][0] == f"a = {ng.pictures.style.fmt(h.a, 3)}"
    assert neurons["L2.2"]["shows"]["backward"][0] == f"δ = {ng.pictures.style.fmt(h.delta, 3)}"
    last, cost = rec.events[3], rec.events[4]
    assert isinstance(last, ng.ForwardEvent) and isinstance(cost, ng.CostEvent)
    assert last.a == out[0]  # the same generators, the same floats
    assert cost.value == pytest.approx(0.5 * (out[0] - y) ** 2, rel=1e-12)
    # steps: L2.1, L2.2, L2.3, L3.1 forward, the cost (5), then back L3.1, L2.3, L2.2 (8), L2.1
    assert neurons["L2.2"]["at"] == {"forward": 2, "backward": 8}


def test_network_is_left_as_it_was(tiny_net: ng.Network, dot: str) -> None:
    weights = [w for *_, w in tiny_net.graph.edges(data="weight")]
    biases = [n.bias for n in tiny_net.neurons]
    ng.record(tiny_net, [1.0, 0.0], 0.0, eta=3.0)
    assert [w for *_, w in tiny_net.graph.edges(data="weight")] == weights
    assert [n.bias for n in tiny_net.neurons] == biases
    assert all(n.a is None and n.delta is None for n in tiny_net.neurons)


def test_reports_follow_the_debugger(tiny_net: ng.Network, dot: str) -> None:
    rec = ng.record(tiny_net, [0.3, -0.7], 1.0)
    neurons = rec.data["neurons"]
    for k in range(len(rec) + 1):
        dbg = ng.Debugger(tiny_net, [0.3, -0.7], 1.0)
        if k:
            dbg.step(k)
        for neuron in neurons:
            shown = [text for at, text in neuron["reports"] if at <= k][-1]
            assert shown == dbg.inspect(neuron["name"]), (k, neuron["name"])


def test_forward_only(tiny_net: ng.Network, dot: str) -> None:
    rec = ng.record(tiny_net, [0.3, -0.7])
    assert [e.phase for e in rec.events] == ["forward"] * 4
    assert "forward pass" in rec.data["subtitle"]


def test_debugger_record_keeps_its_position(tiny_net: ng.Network, dot: str) -> None:
    dbg = ng.Debugger(tiny_net, [0.3, -0.7], 1.0, eta=0.5)
    dbg.step(11)  # two updates applied
    a, bias = tiny_net["L3.1"].a, tiny_net["L2.1"].bias
    rec = dbg.record()
    assert len(rec) == dbg.total and dbg.position == 11
    assert (tiny_net["L3.1"].a, tiny_net["L2.1"].bias) == (a, bias)
    assert str(rec.events[10]) == str(dbg.current)


def test_bad_input_is_refused(tiny_net: ng.Network) -> None:
    with pytest.raises(ng.ShapeError, match="2 values"):
        ng.record(tiny_net, [1.0, 2.0, 3.0], 1.0)
    with pytest.raises(UsageError, match="eta"):
        ng.record(tiny_net, [1.0, 2.0], 1.0, eta=-1.0)


def test_page_is_self_contained(tmp_path: Path, dot: str) -> None:
    net = ng.Network()
    x1, x2 = net.add_inputs(["x</script><b>", "x&2"])
    net.add(ng.SigmoidNeuron(name="h<img src=x onerror=alert(1)>"), inputs={x1: 1.0, x2: -1.0})
    page = ng.record(net, [1.0, 0.5], 1.0).save_html(tmp_path / "pass.html").read_text("utf-8")
    assert page.count("</script>") == 2  # the data's and the script's own ends only
    assert "<img" not in page.replace("&lt;img", "")
    assert re.search(r"default-src 'none'", page)
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", page)
    data = page.split('<script type="application/json" id="ng-data">')[1].split("</script>")[0]
    names = [n["name"] for n in json.loads(data)["neurons"]]
    assert names == ["x</script><b>", "x&2", "h<img src=x onerror=alert(1)>"]


def test_script_json_escapes() -> None:
    text = script_json({"a": "<!-- </script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "<!-- </script> & \u2028"}


def test_labels_reach_the_inspector(tiny_net: ng.Network, dot: str) -> None:
    rec = ng.record(with_labels(tiny_net, ["yes"]), [0.3, -0.7], 1.0)
    labels = {n["name"]: n["label"] for n in rec.data["neurons"]}
    assert labels["L3.1"] == "yes" and labels["L2.1"] is None


def test_jupyter_frame(tiny_net: ng.Network, dot: str) -> None:
    rec = ng.record(tiny_net, [0.3, -0.7], 1.0)
    frame = rec._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "<script" not in frame
    assert repr(rec) == "<Recording of 9 events: forward, cost, backward>"
    last = rec.events[-1]
    assert isinstance(last, ng.BackwardEvent) and np.isfinite(last.delta)


def test_the_page_finds_every_neuron_by_the_name_the_diagram_writes(dot: str) -> None:
    """The page looks neurons up by their bold name in the SVG; a labelled output reads
    ``L3.1 · "cat"`` there, so the recording says so (or the output could not be clicked)."""
    net = ng.layered([2, 3, 2], seed=0, labels=["cat", "dog"])
    rec = ng.record(net, [0.5, 0.2], 1, cost="cross-entropy")
    bold = re.findall(r'font-weight="bold"[^>]*>([^<]*)<', rec.svg)
    drawn = [neuron["drawn"] for neuron in rec.data["neurons"]]
    assert drawn[-2:] == ['L3.1 · "cat"', 'L3.2 · "dog"']
    assert [html.unescape(text) for text in bold] == drawn


def _cost_texts(net: ng.Network, x: list[float], y: object, cost: str) -> tuple[str, str]:
    """The cost step's text as the debugger prints it at that step, and as the page holds it."""
    dbg = ng.Debugger(net, x, y, cost=cost)
    printed = next(str(e) for e in iter(dbg.step, None) if e.phase == "cost")
    rec = ng.record(net, x, y, cost=cost)
    recorded = next(e["text"] for e in rec.data["events"] if e["phase"] == "cost")
    return printed, recorded


@pytest.mark.parametrize(
    ("build", "y", "cost", "prediction"),
    [
        (lambda: ng.layered([2, 3, 2], seed=0), 1, "cross-entropy", "prediction L3."),
        (lambda: ng.layered([2, 3, 2], seed=0), [1.0, 0.0], "quadratic", "prediction L3."),
        (
            lambda: with_labels(ng.layered([2, 3, 3], seed=1), ["a", "b", "c"]),
            2,
            "quadratic",
            'prediction "',
        ),
        (
            lambda: ng.layered([2, 4], output=ng.SoftmaxLayer, seed=2),
            0,
            "log-likelihood",
            "prediction L2.",
        ),
    ],
)
def test_the_recorded_cost_text_is_the_debuggers(
    dot: str, build: object, y: object, cost: str, prediction: str
) -> None:
    """Issue 18, item 11: one text for the cost step, with the prediction, wherever it is read."""
    net = build()  # type: ignore[operator]
    printed, recorded = _cost_texts(net, [0.3, 0.7], y, cost)
    assert recorded == printed
    assert "true label" in recorded and prediction in recorded
    assert re.search(r"prediction .*a = \d", recorded), recorded
