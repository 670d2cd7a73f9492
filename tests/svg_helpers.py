"""Reading the SVG that Graphviz's `dot` writes: nodes, edges, clusters, texts and colours."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(path: Path) -> dict[str, dict[str, ET.Element]]:
    """The nodes and edges of a Graphviz SVG by their SVG id (names), the clusters by <title>.

    DOT ids are internal (``n0``, ``n1``, …); a neuron's name is its node's ``id`` attribute.
    """
    root = ET.parse(path).getroot()
    found: dict[str, dict[str, ET.Element]] = {"node": {}, "edge": {}, "cluster": {}}
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class")
        title = group.find(f"{SVG}title")
        if kind in found and title is not None and title.text is not None:
            key = title.text if kind == "cluster" else str(group.get("id"))
            found[kind][key] = group
    return found


def texts(element: ET.Element) -> list[str]:
    """Every piece of text drawn inside an SVG element."""
    return [t.text for t in element.iter(f"{SVG}text") if t.text]


def shape(element: ET.Element) -> ET.Element:
    """The first drawn shape of a node: its ellipse or polygon."""
    for child in element.iter():
        if child.tag in (f"{SVG}ellipse", f"{SVG}polygon"):
            return child
    msg = "no shape"
    raise AssertionError(msg)


def stroke(edge: ET.Element) -> str:
    path = edge.find(f".//{SVG}path")
    assert path is not None
    return str(path.get("stroke"))
