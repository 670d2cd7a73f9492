"""Building networks neuron by neuron: names, wiring, outputs, copies, and every bad input."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import neurograph as ng
from neurograph.debug.notebook import network_bundle


@pytest.fixture
def net() -> ng.Network:
    """The network of DESIGN.md: a sigmoid neuron feeding a perceptron."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h = net.add(ng.SigmoidNeuron(bias=-1.0, name="h"))
    net.connect(x1, h, weight=2.0)
    net.connect(x2, h, weight=2.0)
    net.add(ng.Perceptron(bias=-0.5, name="p"), inputs={x1: 1.0, h: 1.0})
    return net


def test_graph_is_a_networkx_digraph(net: ng.Network) -> None:
    assert isinstance(net.graph, nx.DiGraph)
    assert net.graph.number_of_nodes() == 4
    assert net.graph.edges[net["x1"], net["h"]]["weight"] == 2.0
    assert nx.is_directed_acyclic_graph(net.graph)
    assert [n.name for n in nx.topological_sort(net.graph)][-1] == "p"


def test_names_and_reprs(net: ng.Network) -> None:
    assert [x.name for x in net.inputs] == ["x1", "x2"]
    assert repr(net["h"]) == "SigmoidNeuron('h', n_in=2, b=-1)"
    assert repr(net["p"]) == "Perceptron('p', n_in=2, b=-0.5)"
    assert repr(net["x1"]) == "Input('x1')"
    unnamed = net.add(ng.SigmoidNeuron())
    assert unnamed.name == "s2" and net["s2"] is unnamed
    layer = net.add(ng.SoftmaxLayer(3))
    assert layer.name == "softmax1" and [u.name for u in layer] == [
        f"softmax1.{j}" for j in (1, 2, 3)
    ]
    assert repr(layer) == "SoftmaxLayer('softmax1', size=3)"
    outputs = "['p', 's2', 'softmax1.1', 'softmax1.2', 'softmax1.3']"
    assert repr(net) == f"Network(inputs=['x1', 'x2'], neurons=6, edges=4, outputs={outputs})"


def test_layered_names_follow_the_book() -> None:
    net = ng.layered([3, 4, 2], seed=0)
    assert [n.name for n in net.inputs] == ["L1.1", "L1.2", "L1.3"]
    assert [n.name for n in net.outputs] == ["L3.1", "L3.2"]
    assert net.graph.has_edge(net["L2.4"], net["L3.2"])  # w^3_24
    same = ng.layered([3, 4, 2], seed=0)
    assert same.to_dict() == net.to_dict()
    assert ng.layered([3, 4, 2], seed=1).to_dict() != net.to_dict()


def test_layered_init_scales() -> None:
    """ "default": w ~ N(0, 1/n_in); "large": N(0, 1) (chapters 3 and 1)."""
    default = ng.layered([400, 50], seed=0)
    large = ng.layered([400, 50], init="large", seed=0)
    w_default = np.array([w for *_, w in default.graph.edges(data="weight")])
    w_large = np.array([w for *_, w in large.graph.edges(data="weight")])
    assert abs(w_default.std() - 1 / 20) < 0.005
    assert abs(w_large.std() - 1.0) < 0.05
    with pytest.raises(ng.UsageError, match="unknown init 'huge'"):
        ng.layered([2, 1], init="huge")
    with pytest.raises(ng.UsageError, match="at least two layer sizes"):
        ng.layered([784])


def test_softmax_layered_output() -> None:
    net = ng.layered([4, 3, 5], output=ng.SoftmaxLayer, seed=0)
    a = net.forward([0.1, 0.2, 0.3, 0.4])
    assert a.sum() == pytest.approx(1.0, abs=1e-15) and np.all(a > 0)
    assert isinstance(net["L3"], ng.SoftmaxLayer) and net["L3.5"] is net["L3"][4]


def test_any_dag_skip_connections_and_outputs_that_feed_others() -> None:
    net = ng.Network()
    (x,) = net.add_inputs(["x"])
    a = net.add(ng.SigmoidNeuron(0.1, "a"), inputs={x: 1.0})
    b = net.add(ng.SigmoidNeuron(-0.2, "b"), inputs={a: 2.0, x: -1.0})  # skip connection
    net.set_outputs([a, b])  # a is an output and feeds b
    assert [n.name for n in net.outputs] == ["a", "b"]
    assert ng.gradient_check(net, [0.7], [0.2, 0.9], ng.CrossEntropyCost()) < 1e-7
    assert net.levels() == [[x], [a], [b]]


def test_set_outputs_expands_a_softmax_layer() -> None:
    net = ng.Network()
    (x,) = net.add_inputs(1)
    layer = net.add(ng.SoftmaxLayer(2, name="out"))
    for unit in layer:
        net.connect(x, unit, 1.0)
    net.set_outputs([layer])
    assert net.outputs == layer.units
    net.set_outputs(["out"])
    assert net.outputs == layer.units


@pytest.mark.parametrize(
    ("action", "error", "match"),
    [
        (lambda n: n.add(ng.SigmoidNeuron(name="h")), ng.GraphError, "duplicate name 'h'"),
        (lambda n: n.add(n["h"]), ng.GraphError, "already in a network"),
        (lambda n: n.connect("x1", "h", 1.0), ng.GraphError, "'x1' -> 'h' already exists"),
        (lambda n: n.connect("p", "h", 1.0), ng.GraphError, "cycle 'p' -> 'h' -> 'p'"),
        (lambda n: n.connect("h", "h", 1.0), ng.GraphError, "cycle 'h' -> 'h'"),
        (lambda n: n.connect("h", "x2", 1.0), ng.GraphError, "an Input takes no incoming"),
        (lambda n: n.connect("hh", "p", 1.0), ng.GraphError, "no neuron named 'hh'.*'h'"),
        (lambda n: n.connect(ng.SigmoidNeuron(), "p"), ng.GraphError, "not in this network"),
        (lambda n: n.connect("x2", "p", float("nan")), ng.ShapeError, "finite number"),
        (lambda n: n.set_outputs(["x1"]), ng.GraphError, "'x1' is an Input"),
        (lambda n: n.set_outputs([]), ng.GraphError, "at least one output"),
        (lambda n: n.add("h"), ng.UsageError, "expected a Neuron or SoftmaxLayer"),
        (lambda n: n.weight("x2", "p"), ng.GraphError, "no edge 'x2' -> 'p'"),
    ],
)
def test_bad_wiring_is_refused(net: ng.Network, action, error, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        action(net)


def test_softmax_units_count_as_one_node_for_cycles() -> None:
    """out.1 -> h -> out.2 would be a cycle: the units of a layer are computed together."""
    net = ng.Network()
    (x,) = net.add_inputs(1)
    layer = net.add(ng.SoftmaxLayer(2, name="out"), inputs=None)
    h = net.add(ng.SigmoidNeuron(name="h"), inputs={layer[0]: 1.0})
    with pytest.raises(ng.GraphError, match="cycle 'h' -> 'out.2'"):
        net.connect(h, layer[1], 1.0)
    with pytest.raises(ng.GraphError, match="cycle"):
        net.connect(layer[0], layer[1], 1.0)
    net.connect(x, layer[1])


def test_bad_inputs_and_targets(net: ng.Network) -> None:
    with pytest.raises(ng.ShapeError, match=r"expected an input vector of 2 values.*\(3,\)"):
        net.forward([1.0, 2.0, 3.0])
    with pytest.raises(ng.ShapeError, match="input 'x2' .position 1. is nan"):
        net.forward([1.0, float("nan")])
    with pytest.raises(ng.ShapeError, match="is inf"):
        net.forward([float("inf"), 0.0])
    assert net.forward(np.array([[0.0], [1.0]])).tolist() == net.forward([0.0, 1.0]).tolist()
    sig = net.sigmoidized()
    with pytest.raises(ng.GraphError, match="no forward pass"):
        sig.backward(1.0)
    sig.forward([0.0, 1.0])
    with pytest.raises(ng.ShapeError, match=r"expected a target of shape \(1,\)"):
        sig.backward([1.0, 0.0])
    with pytest.raises(ng.ShapeError, match=r"CrossEntropyCost expects targets in \[0, 1\]"):
        sig.backward(2.0, ng.CrossEntropyCost())
    with pytest.raises(ng.GraphError, match="LogLikelihoodCost needs the outputs"):
        sig.backward(1.0, ng.LogLikelihoodCost())


def test_label_out_of_range() -> None:
    net = ng.layered([2, 3], seed=0)
    net.forward([0.0, 1.0])
    net.backward(2)
    assert net.backward(2) == pytest.approx(ng.QuadraticCost().fn(net.forward([0, 1]), [0, 0, 1]))
    with pytest.raises(ng.ShapeError, match=r"label 3 is out of range: 3 outputs take labels 0..2"):
        net.backward(3)


def test_backward_through_a_perceptron_suggests_sigmoidized(net: ng.Network) -> None:
    net.forward([0.0, 1.0])
    with pytest.raises(ng.GraphError, match="Perceptron 'p'.*sigmoidized"):
        net.backward(1.0)


def test_partial_softmax_outputs_are_refused() -> None:
    net = ng.Network()
    (x,) = net.add_inputs(1)
    layer = net.add(ng.SoftmaxLayer(2, name="out"))
    net.connect(x, layer[0], 1.0)
    net.set_outputs([layer[0]])
    net.forward([1.0])
    with pytest.raises(ng.GraphError, match=r"not \['out.2'\] of the same SoftmaxLayer"):
        net.backward(1.0)


def test_editing_a_weight_between_passes_is_seen() -> None:
    """The objects are the truth: a weight changed on the graph is used by the next pass."""
    net = ng.layered([3, 2, 1], seed=0)
    x = [0.5, -0.25, 1.0]
    before = net.forward(x)
    net.graph.edges[net["L1.1"], net["L2.1"]]["weight"] += 1.0
    after = net.forward(x)
    assert after[0] != before[0]
    fresh = ng.Network.from_dict(net.to_dict())
    assert fresh.forward(x).tolist() == after.tolist()
    net["L2.2"].bias = 3.0
    net.set_weight("L2.2", "L3.1", -2.0)
    assert net.forward(x).tolist() == ng.Network.from_dict(net.to_dict()).forward(x).tolist()
    net.graph.edges[net["L1.1"], net["L2.1"]]["weight"] = "heavy"
    with pytest.raises(ng.GraphError, match="neuron 'L2.1'.*numeric 'weight'"):
        net.forward(x)


def test_rewiring_through_the_graph_itself_is_seen() -> None:
    net = ng.layered([2, 2, 1], seed=0)
    before = net.forward([1.0, 1.0])
    net.graph.remove_edge(net["L2.1"], net["L3.1"])
    assert net.forward([1.0, 1.0])[0] != before[0]
    net.graph.add_edge(net["L3.1"], net["L2.2"], weight=1.0)
    with pytest.raises(ng.GraphError, match="cycle"):
        net.forward([1.0, 1.0])


def test_copies_never_alias() -> None:
    net = ng.layered([2, 3, 1], neuron=ng.Perceptron, seed=0)
    for copy in (net.copy(), net.scaled(2.0), net.sigmoidized()):
        assert not set(copy.graph) & set(net.graph)
        assert [n.name for n in copy.neurons] == [n.name for n in net.neurons]
        copy.neurons[0].bias = 100.0
        assert net.neurons[0].bias != 100.0
    assert net.scaled(2.0).weight("L1.1", "L2.1") == 2.0 * net.weight("L1.1", "L2.1")
    assert net.scaled(2.0)["L2.1"].bias == 2.0 * net["L2.1"].bias
    assert {type(n) for n in net.sigmoidized().neurons} == {ng.SigmoidNeuron}
    with pytest.raises(ng.ShapeError, match="finite number"):
        net.scaled(float("inf"))


def test_every_way_of_changing_a_weight_is_seen() -> None:
    """Each pass reads the weights from the graph: any way of changing one is seen."""
    net = ng.layered([2, 1], seed=0)
    x = [1.0, 1.0]
    edge = net.graph.edges[net["L1.1"], net["L2.1"]]

    def z() -> float:
        net.forward(x)
        return float(net["L2.1"].z)

    base = z()
    edge.update(weight=edge["weight"] + 1.0)
    assert z() == pytest.approx(base + 1.0)
    nx.set_edge_attributes(net.graph, {(net["L1.1"], net["L2.1"]): 0.0}, "weight")
    base = z()
    net.graph.add_edge(net["L1.1"], net["L2.1"], weight=2.0)
    assert z() == pytest.approx(base + 2.0)
    edge.setdefault("note", 1)
    edge.pop("note")
    edge |= {"weight": 0.0}
    assert z() == pytest.approx(base)
    weights = [w for *_, w in net.graph.edges(data="weight")]
    net.backward(1.0)
    assert [w for *_, w in net.graph.edges(data="weight")] == weights  # gradients only
    assert z() == pytest.approx(base)


def test_computed_says_which_passes_ran() -> None:
    net = ng.layered([2, 2, 1], seed=0)
    assert net.computed == "nothing"
    net.forward([0.5, 0.5])
    assert net.computed == "forward"
    net.backward(1.0)
    assert net.computed == "backward"
    net.forward([0.1, 0.2])
    assert net.computed == "forward"
    net.connect("L1.1", "L3.1", 1.0)  # rewiring forgets the passes
    assert net.computed == "nothing"


def test_a_neuron_shows_what_was_computed(net: ng.Network) -> None:
    h = net["h"]
    assert h.weights == {"x1": 2.0, "x2": 2.0} and ng.SigmoidNeuron().weights == {}
    net.forward([0.0, 1.0])
    # z = 2·0 + 2·1 − 1 = 1, a = σ(1) = 0.7311
    assert repr(h) == "SigmoidNeuron('h', n_in=2, b=-1, z=1, a=0.7311)"
    assert repr(net["x2"]) == "Input('x2', a=1)"
    out = ng.layered([2, 1], seed=0)
    out.forward([1.0, 0.0])
    out.backward(1.0)
    unit = out["L2.1"]
    assert repr(unit).endswith(f"a={unit.a:.4g}, δ={unit.delta:.4g})")


def test_jupyter_shows_what_was_computed(dot: str) -> None:
    """Weights before any pass, activations after forward, errors δ after backward."""
    small = ng.layered([2, 2, 1], seed=0)

    def svg_text() -> str:
        bundle = network_bundle(small, include=["image/svg+xml"])
        return str(bundle.get("image/svg+xml", ""))

    assert ">b = " in svg_text() and ">a = " not in svg_text()
    small.forward([1.0, 0.0])
    assert ">a = " in svg_text() and ">δ = " not in svg_text()
    small.backward(1.0)
    assert ">δ = " in svg_text()


def test_get_and_added_name_the_parts_in_order() -> None:
    """Other modules read a network through these, never through its private attributes."""
    net = ng.Network()
    (x1,) = net.add_inputs(1)
    out = net.add(ng.SoftmaxLayer(2, name="out"))
    h = net.add(ng.SigmoidNeuron(name="h"), inputs={x1: 1.0})
    assert net.added() == [x1, out, h]
    assert net.get("out") is out and net.get("h") is h and net.get("nope") is None
    net.added().clear()  # a copy: the network keeps its order
    assert net.added() == [x1, out, h]
