"""Hostile names reach a diagram only as escaped text: no DOT syntax, no SVG element, no link."""

from __future__ import annotations

import collections
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from svg_helpers import SVG, parse_svg

import neurograph as ng
from neurograph.pictures.escape import clean_text

XLINK = "{http://www.w3.org/1999/xlink}"

HOSTILE = [
    "<x> [label=<PWNED> URL=<javascript&#58;alert(1)> target=_top] <y>",
    "odd\\",
    "three\\\\\\",
    "nul\x00byte",
    "lone\ud800surrogate",
    "<b>&amp;</b>",
    'quote" URL="javascript:alert(2)',
    "\\N\\G\\E\\L",
    "line\nbreak ] ; -> {",
    "<svg onload=alert(3)>",
    "]]><script>alert(4)</script>",
]


def _network(names: list[str]) -> ng.Network:
    """Inputs named by the first two names, a hidden layer and a softmax layer by the rest."""
    net = ng.Network()
    inputs = net.add_inputs(names[:2])
    hidden = [
        net.add(ng.SigmoidNeuron(bias=0.1 * k, name=name), inputs={x: 0.5 for x in inputs})
        for k, name in enumerate(names[2:-1])
    ]
    layer = net.add(ng.SoftmaxLayer(2, name=names[-1]))
    for h in hidden:
        for unit in layer:
            net.connect(h, unit, -0.25)
    net.set_outputs([layer])
    return net


def _tags(path: Path) -> collections.Counter[str]:
    root = ET.parse(path).getroot()
    return collections.Counter(element.tag for element in root.iter())


def _links(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [
        f"{element.tag} {key}"
        for element in root.iter()
        for key in element.attrib
        if key in ("href", f"{XLINK}href", "onload", "target")
        and not element.attrib[key].startswith("data:image/png;base64,")  # the weights' image
        and not element.attrib[key].startswith("#")  # matplotlib's references within the file
    ]


@pytest.mark.parametrize("show", ["weights", "activations", "gradients"])
def test_hostile_names_render_as_text(dot: str, tmp_path: Path, show: str) -> None:
    hostile = _network(HOSTILE)
    plain = _network([f"n{k}" for k in range(len(HOSTILE))])
    for net in (hostile, plain):
        net.forward([0.5, 1.0])
        net.backward(0, ng.CrossEntropyCost())
    diagrams = []
    for net, name in ((hostile, "hostile.svg"), (plain, "plain.svg")):
        graph = ng.draw(net, show, highlight=net.neurons[0], title=HOSTILE[0])
        diagrams.append(ng.render(graph, tmp_path / name))
    bad, good = diagrams
    assert _links(bad) == []
    assert _tags(bad) == _tags(good)  # no name introduced an element
    svg = parse_svg(bad)
    everything = "".join(ET.parse(bad).getroot().itertext())
    for name in HOSTILE[2:-1]:  # each neuron is one node, its name as its id and its text
        assert clean_text(name) in svg["node"]
        assert clean_text(name) in everything
    assert f"softmax {clean_text(HOSTILE[-1])}" in everything


def test_hostile_file_through_the_cli(dot: str, tmp_path: Path) -> None:
    doc = {
        "format": "neurograph",
        "version": 1,
        "inputs": [HOSTILE[0]],
        "neurons": [{"name": HOSTILE[1], "kind": "sigmoid", "bias": 0.5}],
        "edges": [[HOSTILE[0], HOSTILE[1], 1.0]],
        "outputs": [HOSTILE[1]],
        "meta": {},
    }
    model = tmp_path / "evil.json"
    model.write_text(json.dumps(doc))
    out = tmp_path / "evil.svg"
    from neurograph.cli import main

    assert main(["render", str(model), "-o", str(out)]) == 0
    assert _links(out) == []
    assert HOSTILE[1] in parse_svg(out)["node"]


def test_dot_source_never_uses_a_name_as_an_id() -> None:
    net = _network(HOSTILE)
    source = ng.draw(net).source
    statements = [line.strip() for line in source.splitlines() if line.startswith("\t\t")]
    internal = re.compile(r"(n\d+|softmax\d+_\d+)(:\w+:\w)?( -> | \[|$)")
    assert statements and all(internal.match(line) for line in statements if line[0] != "r")
    assert "\x00" not in source and "\ud800" not in source
    source.encode("utf-8")  # a lone surrogate would fail here


def test_weight_tiles_svg_escapes_names(tmp_path: Path) -> None:
    net = _network(HOSTILE)
    path = tmp_path / "w.svg"
    figure = ng.draw_weights(net, 2, path)
    assert clean_text(HOSTILE[2]) in [ax.get_title() for ax in figure.axes]
    assert _links(path) == []
    texts = [t.text for t in ET.parse(path).getroot().iter(f"{SVG}text")]
    assert clean_text(HOSTILE[2]) in texts
