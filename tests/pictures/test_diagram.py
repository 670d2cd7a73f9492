"""Tests of ng.draw and ng.render: the DOT they build, and the SVG the real `dot` makes of it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import networks
from svg_helpers import SVG, parse_svg, shape, stroke, texts

import neurograph as ng
from neurograph.debug.notebook import network_bundle
from neurograph.pictures.diagram import draw, render
from neurograph.pictures.dot import Diagram
from neurograph.pictures.panel import Panel
from neurograph.pictures.style import HIGHLIGHT, NEG, POS, diverging, fmt, sequential


@pytest.fixture
def small() -> ng.Network:
    """The 2-2-1 network of the tour: x1, x2 -> h1, h2 -> out (weights in the comments)."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})
    h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={x1: 0.5, x2: 2.0})
    net.add(ng.SigmoidNeuron(bias=0.25, name="out"), inputs={h1: 1.5, h2: -2.0})
    return net


@pytest.fixture
def mixed() -> ng.Network:
    """A skip connection x1 -> out.3, a perceptron p, and a softmax layer 'out' of 3 units."""
    net = ng.Network()
    x1, x2, x3 = net.add_inputs(3)
    h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})
    p = net.add(ng.Perceptron(bias=-0.5, name="p"), inputs={x2: 1.0, x3: 1.0})
    h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={h1: 2.0, p: -1.0})
    out = net.add(ng.SoftmaxLayer(3, name="out"))
    for j, unit in enumerate(out):
        net.connect(h2, unit, weight=1.0 - j)
    net.connect(x1, out[2], weight=-0.8)
    net.set_outputs([out])
    return net


def test_draw_builds_dot_without_the_binary(small: ng.Network) -> None:
    g = draw(small)
    assert isinstance(g, graphviz.Digraph) and isinstance(g, Diagram)
    assert "rankdir=LR" in g.source
    for edge in ("x1->h1", "x2->h2", "h1->out", "h2->out"):  # the edges' ids; DOT ids are n0, …
        assert f'id="{edge}"' in g.source


def test_small_network_svg_weights(small: ng.Network, dot: str, tmp_path: Path) -> None:
    svg = parse_svg(render(draw(small), tmp_path / "net.svg"))
    assert set(svg["node"]) == {"x1", "x2", "h1", "h2", "out"}
    assert set(svg["edge"]) == {"x1->h1", "x2->h1", "x1->h2", "x2->h2", "h1->out", "h2->out"}
    # colour by sign: w = 1.5 is blue, w = -2 is red; the labels are the weights
    assert stroke(svg["edge"]["h1->out"]) == POS and texts(svg["edge"]["h1->out"]) == ["1.5"]
    assert stroke(svg["edge"]["h2->out"]) == NEG and texts(svg["edge"]["h2->out"]) == ["−2"]
    # width by |w|: the largest |w| (2) gets the widest line
    widths = {
        k: float(e.find(f".//{SVG}path").get("stroke-width", "1"))  # type: ignore[union-attr]
        for k, e in svg["edge"].items()
    }
    assert max(widths, key=widths.__getitem__) in ("h2->out", "x2->h2")
    assert widths["x1->h2"] < widths["h1->out"] < widths["h2->out"]
    assert texts(svg["node"]["h1"]) == ["h1", "b = 0.5"]
    # biases: b = 0.5 is the largest |b|, so h1 is the palest blue of the scale, h2 red
    assert shape(svg["node"]["h1"]).get("fill") == diverging(1.0, 0.55)
    assert shape(svg["node"]["h2"]).get("fill") == diverging(-1.0, 0.55)


def test_activations_fill_and_labels(small: ng.Network, dot: str, tmp_path: Path) -> None:
    small.forward([1.0, 0.0])
    svg = parse_svg(render(draw(small, show="activations"), tmp_path / "a.svg"))
    for name in ("h1", "h2", "out"):
        a = small[name].a
        assert texts(svg["node"][name]) == [name, f"a = {fmt(a)}"]
        assert shape(svg["node"][name]).get("fill") == sequential(a)
    assert texts(svg["node"]["h1"])[1] == "a = 0.818"  # σ(1·1 + (−1)·0 + 0.5) = σ(1.5)


def test_activations_outside_zero_one_are_red_and_blue(dot: str, tmp_path: Path) -> None:
    """A tanh neuron's a = −0.76 must not look like a = 0: once any drawn activation (inputs
    included) leaves [0, 1], the fill is red < 0, blue > 0, scaled by the largest |a|, and the
    legend says so."""
    net = ng.Network()
    (x,) = net.add_inputs(1)
    net.add(ng.TanhNeuron(bias=0.0, name="t"), inputs={x: 1.0})
    net.add(ng.ReLUNeuron(bias=0.5, name="r"), inputs={x: 1.0})
    net.forward([-1.0])  # a[t] = tanh(−1) = −0.7616, a[r] = max(0, −0.5) = 0
    diagram = draw(net, show="activations")
    svg = parse_svg(render(diagram, tmp_path / "t.svg"))
    assert shape(svg["node"]["t"]).get("fill") == diverging(np.tanh(-1.0) / 1.0, 0.9)
    assert shape(svg["node"]["x1"]).get("fill") == diverging(-1.0, 0.9)  # the largest |a|: 1
    assert shape(svg["node"]["r"]).get("fill") == diverging(0.0, 0.9)
    assert f"a = {fmt(-1.0)} " in diagram.source  # the legend's key runs from −1 to 1
    assert sequential(0.5) not in diagram.source  # no green: no neuron, no key
    net.forward([0.5])  # every a within [0, 1]: the green scale, as for sigmoids
    svg = parse_svg(render(draw(net, show="activations"), tmp_path / "g.svg"))
    assert shape(svg["node"]["t"]).get("fill") == sequential(np.tanh(0.5))


def test_deltas_and_gradients(small: ng.Network, dot: str, tmp_path: Path) -> None:
    small.forward([1.0, 0.0])
    small.backward(1.0, ng.CrossEntropyCost())
    svg = parse_svg(render(draw(small, show="deltas"), tmp_path / "d.svg"))
    assert texts(svg["node"]["out"]) == ["out", f"δ = {fmt(small['out'].delta)}"]
    svg = parse_svg(render(draw(small, show="gradients"), tmp_path / "g.svg"))
    grads = small.gradients()
    for (src, dst), grad in [(k, v) for k, v in grads.items() if isinstance(k, tuple)]:
        edge = svg["edge"][f"{src}->{dst}"]
        assert texts(edge) == [fmt(grad)]
        if grad:
            assert stroke(edge) == (POS if grad > 0 else NEG)
    assert texts(svg["node"]["h2"]) == ["h2", "∂C/∂b", fmt(grads["h2"])]


@pytest.mark.parametrize(
    ("show", "match"),
    [("activations", "needs a forward pass: run net.forward"), ("deltas", "net.backward")],
)
def test_values_before_their_pass(small: ng.Network, show: str, match: str) -> None:
    with pytest.raises(ng.UsageError, match=match):
        draw(small, show=show)
    small.forward([0.0, 1.0])
    with pytest.raises(ng.UsageError, match="needs a backward pass"):
        draw(small, show="gradients")


def test_unknown_show_lists_the_choices(small: ng.Network) -> None:
    with pytest.raises(ng.UsageError, match="'weights', 'activations', 'deltas', 'gradients'"):
        draw(small, show="colours")
    with pytest.raises(ng.UsageError, match="max_neurons must be an integer >= 2"):
        draw(small, max_neurons=1)
    with pytest.raises(ng.UsageError, match="max_edges must be an integer >= 0 and <= 50,000"):
        draw(small, max_edges=10**9)  # an absurd size: refused, not handed to dot


def test_partial_draws_pending_neurons(small: ng.Network, dot: str, tmp_path: Path) -> None:
    small.forward([1.0, 0.0])
    small["out"].a = None  # as in the middle of a forward pass
    small.forward_state = None
    g = draw(small, show="activations", partial=True, highlight="h2")
    svg = parse_svg(render(g, tmp_path / "p.svg"))
    assert texts(svg["node"]["out"]) == ["out", "a = ?"]
    assert shape(svg["node"]["out"]).get("stroke-dasharray")
    assert shape(svg["node"]["h2"]).get("stroke") == HIGHLIGHT
    assert "not computed yet" in " ".join(texts(ET.parse(tmp_path / "p.svg").getroot()))


def test_highlight_must_name_a_neuron(small: ng.Network) -> None:
    with pytest.raises(ng.GraphError, match="no neuron named 'h3'"):
        draw(small, highlight="h3")


def test_shapes_softmax_group_and_skip(mixed: ng.Network, dot: str, tmp_path: Path) -> None:
    mixed.forward([1.0, 0.0, 1.0])
    svg = parse_svg(render(draw(mixed, show="activations"), tmp_path / "m.svg"))
    assert set(svg["node"]) == {"x1", "x2", "x3", "h1", "p", "h2", "out"}
    assert shape(svg["node"]["h1"]).tag == f"{SVG}ellipse"  # sigmoid: a circle
    assert shape(svg["node"]["p"]).tag == f"{SVG}polygon"  # perceptron: a square
    unit_texts = texts(svg["node"]["out"])  # the softmax layer: one box, units in order
    assert unit_texts[0] == "softmax out"
    assert [t for t in unit_texts if t.startswith("out.")] == ["out.1", "out.2", "out.3"]
    a = mixed["out"].a
    assert [t for t in unit_texts if t.startswith("a = ")] == [f"a = {fmt(v)}" for v in a]
    assert {"h2->out.1", "h2->out.2", "h2->out.3", "x1->out.3"} <= set(svg["edge"])
    assert len(svg["edge"]) == mixed.graph.number_of_edges()


def test_large_network_is_summarised(dot: str, tmp_path: Path) -> None:
    net = ng.layered([784, 30, 10], seed=0)  # its speed: benchmarks/render.py
    path = render(draw(net), tmp_path / "big.svg")
    svg = parse_svg(path)
    # 12 of 30 hidden neurons, one "… 18 more", all 10 outputs, and the inputs' picture
    assert len(svg["node"]) == 12 + 1 + 10 + 1
    more = [t for node in svg["node"].values() for t in texts(node) if t.startswith("…")]
    assert more == ["… 18 more"]
    picture = svg["node"]["(inputs)"]
    assert "784 inputs (28×28), shade: mean |w| out" in texts(picture)
    # 60 strongest weights, plus one arrow from the picture to each of the 12 hidden neurons
    assert len(svg["edge"]) == 60 + 12
    left_out = 23_820 - 60 - 12 * 784
    page = " ".join(texts(ET.parse(path).getroot()))
    assert f"{left_out:,} of 23,820 edges are left out" in page
    assert "18 neurons are not drawn" in page


def test_mnist_input_becomes_its_image(dot: str, tmp_path: Path) -> None:
    net = ng.layered([784, 30, 10], seed=0)
    x = np.zeros(784)
    x[14 * 28 : 15 * 28] = 1.0  # one black row across the middle
    net.forward(x)
    g = draw(net, show="activations", max_neurons=4, max_edges=5)
    svg = parse_svg(render(g, tmp_path / "img.svg"))
    picture = svg["node"]["(inputs)"]
    assert "x: 784 inputs (28×28)" in texts(picture)
    blacks = [p for p in picture.iter(f"{SVG}polygon") if p.get("fill") == "#000000"]
    assert len(blacks) == 1  # the row is one run of equal pixels: one cell
    assert len(svg["edge"]) == 5 + 4  # 5 weights, and an arrow to each of the 4 hidden shown


def test_max_edges_keeps_the_strongest(small: ng.Network, dot: str, tmp_path: Path) -> None:
    svg = parse_svg(render(draw(small, max_edges=2), tmp_path / "e.svg"))
    assert set(svg["edge"]) == {"x2->h2", "h2->out"}  # |w| = 2 and 2
    page = " ".join(texts(ET.parse(tmp_path / "e.svg").getroot()))
    assert "4 of 6 edges are left out" in page


@pytest.mark.parametrize("ext", ["png", "pdf"])
def test_render_binary_formats(small: ng.Network, dot: str, tmp_path: Path, ext: str) -> None:
    data = render(small, tmp_path / f"net.{ext}").read_bytes()  # a Network is drawn first
    assert data.startswith(b"\x89PNG" if ext == "png" else b"%PDF")


def test_render_dot_needs_no_binary(
    small: ng.Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    path = render(draw(small), tmp_path / "net.dot")
    assert path.read_text().startswith("digraph {")
    with pytest.raises(ng.NeurographError, match="apt-get install -y graphviz") as err:
        render(draw(small), tmp_path / "net.svg")
    assert "\n" not in str(err.value)
    assert not (tmp_path / "net.svg").exists()
    bundle = network_bundle(small)  # Jupyter falls back to the DOT source
    assert "apt-get install -y graphviz" in bundle["text/plain"]


def test_render_errors(small: ng.Network, tmp_path: Path) -> None:
    with pytest.raises(ng.UsageError, match=r"unknown extension '\.jpg'; expected \.svg"):
        render(small, tmp_path / "net.jpg")
    with pytest.raises(ng.UsageError, match="the directory .* does not exist"):
        render(small, tmp_path / "missing" / "net.svg")
    victim = tmp_path / "victim.csv"
    victim.write_text("x,y\n1,0\n", encoding="utf-8")
    (tmp_path / "link.svg").symlink_to(victim)  # the commands' rule holds for the API too
    with pytest.raises(ng.UsageError, match=r"symbolic link to '.*victim.csv', which is not a"):
        render(small, tmp_path / "link.svg")
    assert victim.read_text(encoding="utf-8") == "x,y\n1,0\n"
    with pytest.raises(ng.UsageError, match="expected a graphviz graph or a Network"):
        render("net", tmp_path / "net.svg")  # type: ignore[arg-type]
    with pytest.raises(ng.UsageError, match="expected a Network"):
        draw("net")  # type: ignore[arg-type]


def test_jupyter_shows_svg(small: ng.Network, dot: str) -> None:
    bundle = network_bundle(small)
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_colon_in_a_name(dot: str, tmp_path: Path) -> None:
    net = ng.Network()
    (x,) = net.add_inputs(["in:1"])
    net.add(ng.SigmoidNeuron(name="a:b"), inputs={x: 1.0})
    svg = parse_svg(render(draw(net), tmp_path / "c.svg"))
    assert len(svg["edge"]) == 1 and texts(svg["node"]["a:b"])[0] == "a:b"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks())
def test_any_network_renders(net: ng.Network) -> None:
    """Every neuron is one node (a softmax layer one box); every edge is drawn."""
    import shutil
    import tempfile

    if shutil.which("dot") is None:  # the `dot` fixture cannot be used with @given
        pytest.skip("Graphviz's dot is not installed")
    with tempfile.TemporaryDirectory() as folder:
        svg = parse_svg(render(draw(net), Path(folder) / "n.svg"))
    boxes = {getattr(n, "layer", n) for n in [*net.inputs, *net.neurons]}
    assert len(svg["node"]) == len(boxes)
    assert len(svg["edge"]) == net.graph.number_of_edges()


@pytest.mark.parametrize(("size", "limit"), [(30, 12), (31, 12), (100, 2), (5, 12), (13, 12)])
def test_elision_counts(size: int, limit: int) -> None:
    net = ng.layered([2, size, 1], seed=0)
    keep = [net[f"L2.{size // 2 + 1}"]]
    panel = Panel(net, max_neurons=limit, keep=keep)
    (hidden,) = panel.slots[1:2]
    shown = [n for slot in hidden for n in slot.items if isinstance(n, ng.Neuron)]
    gaps = [n for slot in hidden for n in slot.items if isinstance(n, int)]
    assert len(shown) + sum(gaps) == size == len(shown) + panel.n_elided
    assert keep[0] in shown and shown[0].name == "L2.1" and shown[-1].name == f"L2.{size}"
    assert len(shown) <= limit + 1


def test_outputs_show_their_labels_and_the_legend_the_verdict(dot: str, tmp_path: Path) -> None:
    """MNIST test image 0 is a 7: L3.8 reads "7", the legend says the label and the guess."""
    net = ng.layered([784, 30, 10], seed=0, labels=[str(d) for d in range(10)])
    (X, y) = ng.datasets.load_mnist()[2]
    a = net.forward(X[0])
    svg = parse_svg(render(draw(net, show="activations", y=int(y[0])), tmp_path / "m.svg"))
    assert texts(svg["node"]["L3.8"])[0] == 'L3.8 · "7"'
    assert texts(svg["node"]["L2.1"])[0] == "L2.1"
    drawn = " ".join(
        t.text or "" for t in ET.parse(tmp_path / "m.svg").getroot().iter(f"{SVG}text")
    )
    best = int(np.argmax(a))
    assert f'true label "7", prediction "{best}" (L3.{best + 1}, a = ' in drawn


def test_gradient_arrows_from_the_image_encode_the_gradient(dot: str, tmp_path: Path) -> None:
    """With show="gradients" the picture's arrows are sized by Σ_k ∂C/∂w_jk, not by w·x."""
    net = ng.layered([784, 30, 10], seed=0)
    (X, y) = ng.datasets.load_mnist()[2]
    net.forward(X[0])
    net.backward(int(y[0]), ng.CrossEntropyCost())
    path = render(draw(net, show="gradients", max_neurons=40), tmp_path / "g.svg")
    svg = parse_svg(path)
    width = {}
    for key, edge in svg["edge"].items():
        if key.startswith("(inputs)->"):
            line = edge.find(f".//{SVG}path")
            assert line is not None
            width[key.split("->")[1]] = float(line.get("stroke-width", "1"))
    assert len(width) == 30
    x_sum = float(X[0].sum())
    grad = {n.name: float(n.delta or 0.0) * x_sum for n in net.levels()[1]}  # Σ_k a_k δ_j (BP4)
    assert max(width, key=width.__getitem__) == max(grad, key=lambda k: abs(grad[k]))
    assert min(width, key=width.__getitem__) == min(grad, key=lambda k: abs(grad[k]))
    for name, g in grad.items():
        assert stroke(svg["edge"][f"(inputs)->{name}"]).startswith(POS if g >= 0 else NEG)
    legend = " ".join(t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text"))
    assert "width ∝ |Σ_k ∂C/∂w_jk|, largest " + fmt(max(abs(g) for g in grad.values())) in legend
