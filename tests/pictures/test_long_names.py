"""Any network that loads can be drawn and played: names and labels of 16,000+ characters are
shortened with "…" in pictures and pages (dot refuses longer strings), in full in the inspector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from page_helpers import check_clean, click_neuron, open_page, text_of, with_labels
from svg_helpers import parse_svg, texts

import neurograph as ng
from neurograph.pictures.escape import MAX_NAME, shown_name, text_id

LONG = 17_000


def _hidden(name: str) -> ng.Network:
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h = net.add(ng.SigmoidNeuron(bias=0.1, name=name), inputs={x1: 1.0, x2: -1.0})
    g = net.add(ng.SigmoidNeuron(bias=-0.1, name="g"), inputs={x1: 0.5, h: 1.0})
    net.add(ng.SigmoidNeuron(bias=0.2, name="out"), inputs={h: 0.5, g: -0.5})
    return net


def _twins() -> ng.Network:
    """Two long names that differ only at their ends: their SVG ids must differ too."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    a = net.add(ng.SigmoidNeuron(bias=0.1, name="t" * LONG + "a"), inputs={x1: 1.0})
    b = net.add(ng.SigmoidNeuron(bias=0.1, name="t" * LONG + "b"), inputs={x2: 1.0})
    net.add(ng.SigmoidNeuron(bias=0.2, name="out"), inputs={a: 0.5, b: -0.5})
    return net


def _softmax_layer() -> ng.Network:
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    layer = net.add(ng.SoftmaxLayer(3, name="s" * LONG))
    for unit in layer.units:
        net.connect(x1, unit, weight=0.3)
        net.connect(x2, unit, weight=-0.2)
    net.set_outputs([layer])
    return net


def _labelled() -> ng.Network:
    return with_labels(ng.layered([2, 3, 2], seed=0), ["cat" * 6000, "dog"])


def _long_input() -> ng.Network:
    net = ng.Network()
    x1, x2 = net.add_inputs(["i" * LONG, "x2"])
    net.add(ng.SigmoidNeuron(bias=0.1, name="out"), inputs={x1: 1.0, x2: 1.0})
    return net


NETWORKS: dict[str, Callable[[], ng.Network]] = {
    "input name": _long_input,
    "hidden name": lambda: _hidden("h" * LONG),
    "escapes": lambda: _hidden("&\\<>\"'" * 3000),  # each character grows when escaped
    "non-ASCII": lambda: _hidden("é" * LONG),
    "twins": _twins,
    "softmax layer": _softmax_layer,
    "output label": _labelled,
}


def _loaded(tmp_path: Path, make: Callable[[], ng.Network]) -> ng.Network:
    return ng.load(ng.save(make(), tmp_path / "long.json"))


@pytest.mark.parametrize("case", sorted(NETWORKS))
@pytest.mark.parametrize("show", ["weights", "activations", "deltas", "gradients", "maps"])
def test_a_network_with_long_names_is_drawn(tmp_path: Path, dot: str, case: str, show: str) -> None:
    net = _loaded(tmp_path, NETWORKS[case])
    net.forward([0.2, 0.7])
    net.backward(1 if len(net.outputs) > 1 else [1.0], "quadratic")
    svg = tmp_path / "net.svg"
    ng.draw(net, show=show).render(outfile=svg, cleanup=True)
    found = parse_svg(svg)
    drawn = [t for node in found["node"].values() for t in texts(node)]
    assert any("…" in t for t in drawn), drawn[:5]
    assert max(map(len, drawn)) <= 200  # nothing of 16,000 characters
    assert all(len(key) <= 400 for key in [*found["node"], *found["edge"]])
    ids = [str(n.name) for n in net.graph if len(str(n.name)) > 200]
    assert len({text_id(name) for name in ids}) == len(ids)  # unique, however alike


def test_the_limit_picture_and_the_dot_source(tmp_path: Path, dot: str) -> None:
    net = _loaded(tmp_path, lambda: _hidden("h" * LONG))
    graph = ng.draw_limit(net, [0.2, 0.7], cs=(1, 10))
    assert len(graph.source) < 60_000
    svg = tmp_path / "limit.svg"
    graph.render(outfile=svg, cleanup=True)
    assert "…" in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["hidden name", "output label", "twins"])
def test_the_cli_renders_and_plays_a_long_named_model(tmp_path: Path, dot: str, case: str) -> None:
    from neurograph.cli import main

    model = ng.save(NETWORKS[case](), tmp_path / "long.json")
    assert main(["render", str(model), "-o", str(tmp_path / "n.svg")]) == 0
    assert main(["play", str(model), "--input", "0.2,0.7", "-o", str(tmp_path / "p.html")]) == 0


@pytest.mark.slow
@pytest.mark.parametrize("case", ["hidden name", "twins"])
def test_the_player_shows_short_names_and_inspects_the_full_one(
    tmp_path: Path, browser: Any, case: str
) -> None:
    net = _loaded(tmp_path, NETWORKS[case])
    full = next(str(n.name) for n in net.neurons if len(str(n.name)) > 1000)
    page = ng.record(net, [0.2, 0.7], [1.0], cost="quadratic").save_html(tmp_path / "p.html")
    open_page(browser, page)
    assert len(shown_name(full)) == MAX_NAME
    click_neuron(browser, shown_name(full))
    assert text_of(browser, "#ng-inspector-title") == f"Inspector: {full}"
    edges = browser.execute_script(
        "return [...document.querySelectorAll('g.edge')].map(e => e.id.length)"
    )
    assert edges and max(edges) <= 500
    check_clean(browser)


@pytest.mark.parametrize("case", ["hidden name", "output label", "softmax layer"])
def test_the_training_player_of_a_long_named_network(tmp_path: Path, dot: str, case: str) -> None:
    import numpy as np

    net = NETWORKS[case]()
    X = np.random.default_rng(0).uniform(-1, 1, (20, 2))
    y = (X[:, 0] > X[:, 1]).astype(np.int64) if len(net.outputs) > 1 else (X[:, :1] > 0) * 1.0
    history = net.compile().sgd((X, y), 2, 5, 0.5, record=True, seed=0)
    page = history.save_html(tmp_path / "run.html", net)
    text = page.read_text(encoding="utf-8")
    assert "…" in text and page.stat().st_size < 5 * 2**20
