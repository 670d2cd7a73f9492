"""Tests of ng.draw_limit (exercise 1.2): the panels the real `dot` draws."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from svg_helpers import SVG, texts

import neurograph as ng
from neurograph.pictures.diagram import render
from neurograph.pictures.limit import draw_limit, limit_values, perceptron_network, tie_network
from neurograph.pictures.style import STUCK, fmt, sequential


def cells(panel: ET.Element) -> dict[str, list[str]]:
    """The neurons drawn in a limit panel: the lines under each bold name, by name."""
    found: dict[str, list[str]] = {}
    for node in panel:
        name = None
        for text in node.iter(f"{SVG}text"):
            if text.get("font-weight") == "bold":
                name = str(text.text)
                found[name] = []
            elif name is not None:
                found[name].append(str(text.text))
    return found


def panels(path: Path) -> dict[str, ET.Element]:
    """Each cluster of a draw_limit SVG, by its label, with the nodes drawn inside it."""
    root = ET.parse(path).getroot()
    groups = list(root.iter(f"{SVG}g"))
    found: dict[str, ET.Element] = {}
    for i, group in enumerate(groups):
        if group.get("class") == "cluster":
            label = texts(group)[0]
            title = group.find(f"{SVG}title")
            assert title is not None and title.text is not None
            prefix = title.text.removeprefix("cluster_") + "/"
            box = ET.Element("panel")
            for node in groups[i + 1 :]:
                name = node.find(f"{SVG}title")
                if node.get("class") == "node" and name is not None:
                    if str(name.text).startswith(prefix):
                        box.append(node)
            found[label] = box
    return found


def test_limit_example_by_hand() -> None:
    net, x = tie_network()
    # perceptrons at x = (1, 0): nand: −2 + 0 + 3 = 1 > 0 → 1; tie: 1 + 0 − 1 = 0 → 0;
    # out: 1·1 + 1·0 − 1.5 = −0.5 → 0. In the limit tie is σ(0) = ½ and out σ(c·0) → ½.
    assert net.forward(x).tolist() == [0.0]
    assert limit_values(net, x) == {"x1": 1.0, "x2": 0.0, "nand": 1.0, "tie": 0.5, "out": 0.5}
    sig = perceptron_network(net.sigmoidized())
    assert [type(n) for n in sig.neurons] == [ng.Perceptron] * 3


def test_limit_panels(dot: str, tmp_path: Path) -> None:
    net, x = tie_network()
    path = render(draw_limit(net, x, cs=(1, 2, 10, 100)), tmp_path / "limit.svg")
    found = panels(path)
    assert list(found) == ["c = 1", "c = 2", "c = 10", "c = 100", "perceptrons: the limit c → ∞"]
    for c, label in zip((1, 2, 10, 100), found):
        shown = cells(found[label])
        scaled = net.sigmoidized().scaled(c)
        scaled.forward(x)
        for name in ("nand", "tie", "out"):
            assert shown[name][0] == f"{scaled[name].a:.4f}"
        # the bias is scaled with the weights: tie's b = −1 is −c in panel c
        assert shown["tie"] == ["0.5000", f"b = {fmt(-c)}", "→ ½"]  # stuck at ½ for every c
    limit = cells(found["perceptrons: the limit c → ∞"])
    assert limit["nand"][0] == "1" and limit["out"][0] == "0"
    assert limit["tie"] == ["0", "b = −1", "w·x + b = 0"]
    assert cells(found["c = 100"])["out"] == ["0.5000", "b = −150", "→ ½"]  # fed by tie: fails
    # the stuck neuron has a thick orange border in every panel; the edges are weights times c
    for box in found.values():
        assert [p for p in box.iter() if p.get("stroke") == STUCK]
    assert "−200" in texts(ET.parse(path).getroot())


def test_limit_of_sigmoid_network(dot: str, tmp_path: Path) -> None:
    net = ng.layered([2, 2, 1], seed=1)
    x = [0.3, -0.7]
    path = render(draw_limit(net, x, cs=(1, 1000)), tmp_path / "s.svg")
    found = panels(path)
    assert len(found) == 3
    assert STUCK not in path.read_text()  # no w·x + b = 0 here
    big, limit = cells(found["c = 1000"]), cells(found["perceptrons: the limit c → ∞"])
    for name in ("L2.1", "L2.2", "L3.1"):
        assert round(float(big[name][0])) == float(limit[name][0])


def test_limit_fills_by_activation() -> None:
    net, x = tie_network()
    source = draw_limit(net, x, cs=(1,)).source
    assert f'BGCOLOR="{sequential(0.5)}"' in source  # tie at ½


def test_limit_errors() -> None:
    net, x = tie_network()
    with pytest.raises(ng.UsageError, match="positive numbers"):
        draw_limit(net, x, cs=(1, 0))
    with pytest.raises(ng.UsageError, match="positive numbers"):
        draw_limit(net, x, cs=())
    with pytest.raises(ng.ShapeError, match="expected an input vector of 2 values"):
        draw_limit(net, [1.0, 0.0, 1.0])
    soft = ng.layered([2, 2], output=ng.SoftmaxLayer, seed=0)
    with pytest.raises(ng.UsageError, match="'L2.1' is a softmax unit"):
        draw_limit(soft, [0.0, 0.0])


def test_limit_of_an_mnist_network_is_summarised(dot: str, tmp_path: Path) -> None:
    net = ng.layered([784, 20, 10], seed=0)
    x = np.linspace(0.0, 1.0, 784)
    path = render(draw_limit(net, x, cs=(1, 10), max_neurons=6), tmp_path / "m.svg")
    page = texts(ET.parse(path).getroot())
    assert page.count("x: 784 inputs (28×28)") == 3 and page.count("… 14 more") == 3


def test_limit_of_an_mnist_model_stays_readable(dot: str, tmp_path: Path) -> None:
    """Exercise 1.2 on test image 0 of MNIST: rows of panels, elided levels, straight edges."""
    net = ng.layered([784, 30, 10], seed=0, labels=[str(d) for d in range(10)])
    x = ng.datasets.load_mnist()[2][0][0]
    graph = draw_limit(net, x)
    assert graph.graph_attr["splines"] == "line"
    path = render(graph, tmp_path / "m.svg")
    root = ET.parse(path).getroot()
    width, height = (float(root.get(k, "0").removesuffix("pt")) for k in ("width", "height"))
    assert width < 2500 and height < 1500  # five panels in two rows, not 7,500 px wide
    page = texts(root)
    assert page.count("… 24 more") == 5 and page.count("x: 784 inputs (28×28)") == 5
    assert page.count('L3.8 · "7"') == 5  # the outputs are named by their digits
    assert "each stands for one neuron's 784 input weights; width ∝ |w·x|, largest" in " ".join(
        page
    )
    # no edge label floats around: the straight edges carry none
    assert not [e for e in root.iter(f"{SVG}g") if e.get("class") == "edge" and texts(e)]


def test_limit_legend_matches_the_shapes(dot: str, tmp_path: Path) -> None:
    """Inputs are drawn grey as the legend says, not filled like neurons by their a."""
    net, x = tie_network()
    source = draw_limit(net, x, cs=(1,)).source
    legend = source[source.index('label=<<FONT POINT-SIZE="10"') :]
    assert "grey: input" in legend and "square: perceptron" in legend
    assert "every weight w and every bias b is multiplied by c" in legend
    cells = [cell.split(">")[0] for cell in source.split("<TD PORT=")[1:] if '">x = ' in cell]
    assert len(cells) == 4  # x1, x2 in both panels
    assert all('BGCOLOR="#eeeeee"' in cell and 'COLOR="#999999"' in cell for cell in cells)
