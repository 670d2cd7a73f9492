"""Decision maps: the grid's values, the matplotlib figure, and draw(show="maps") through `dot`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from svg_helpers import SVG, parse_svg, texts

import neurograph as ng
from neurograph.pictures.diagram import draw, render
from neurograph.pictures.mapdiagram import MAX_POINTS, PX, RESOLUTION
from neurograph.pictures.maps import CLASS_COLOURS, decision_map, neuron_maps
from neurograph.pictures.style import HIGHLIGHT, sequential

DATA = ng.datasets.toy("xor", n=60, seed=0)


@pytest.fixture
def trained() -> ng.Network:
    net = ng.layered([2, 4, 2], seed=0)
    fast = net.compile()
    fast.sgd(ng.datasets.toy("xor", n=400, seed=1), 20, 10, 3.0, seed=0)
    net.load_parameters(fast)
    return net


def test_map_values_equal_feedforward_and_the_graph_engine_on_the_grid(
    trained: ng.Network,
) -> None:
    maps = neuron_maps(trained, extent=(-1.0, 2.0, -0.5, 0.5), resolution=6)
    assert maps.x1.tolist() == np.linspace(-1, 2, 6).tolist() and maps.x2[0] == -0.5
    grid = np.array([[x1, x2] for x2 in maps.x2 for x1 in maps.x1])
    out = trained.compile().feedforward(grid)
    for k, name in enumerate(["L3.1", "L3.2"]):
        assert np.array_equal(maps.a[name].ravel(), out[:, k])
    i, j = 4, 1  # one point, by the graph engine, neuron by neuron
    trained.forward([maps.x1[j], maps.x2[i]])
    for neuron in trained.neurons:
        assert maps.a[str(neuron.name)][i, j] == pytest.approx(neuron.a, abs=1e-12)
    assert np.array_equal(maps.a["L1.1"][i], maps.x1) and np.all(maps.a["L1.2"][i] == maps.x2[i])


def test_maps_of_a_training_snapshot_without_writing_it_back() -> None:
    net = ng.layered([2, 3, 1], seed=0)
    fast = net.compile()
    history = fast.sgd(DATA, 3, 10, 1.0, record=True, seed=0)
    replay = net.compile()
    history.snapshots[2].load(replay)
    maps = neuron_maps(net, resolution=5, compiled=replay)
    history.snapshots[2].load(fast)  # the parameters of epoch 2, back on the neurons
    fast.write_back(net)
    assert np.array_equal(maps.a["L3.1"], neuron_maps(net, resolution=5).a["L3.1"])
    assert not np.array_equal(
        maps.a["L3.1"], neuron_maps(ng.layered([2, 3, 1], seed=0), resolution=5).a["L3.1"]
    )


def test_the_extent_comes_from_the_data_with_a_margin() -> None:
    X = np.array([[0.0, 10.0], [1.0, 20.0]])
    maps = neuron_maps(ng.layered([2, 1], seed=0), data=(X, [0, 1]), resolution=3)
    assert maps.extent == pytest.approx((-0.1, 1.1, 9.0, 21.0))
    assert neuron_maps(ng.layered([2, 1], seed=0), resolution=2).extent == (-1.5, 1.5, -1.5, 1.5)


def test_maps_need_two_inputs_and_sane_options() -> None:
    with pytest.raises(ng.UsageError, match="2 inputs.*this one has 3"):
        neuron_maps(ng.layered([3, 1], seed=0))
    with pytest.raises(ng.UsageError, match="resolution"):
        neuron_maps(ng.layered([2, 1], seed=0), resolution=1)
    with pytest.raises(ng.UsageError, match="extent"):
        neuron_maps(ng.layered([2, 1], seed=0), extent=(1, 0, 0, 1))
    with pytest.raises(ng.ShapeError, match="shape"):
        neuron_maps(ng.layered([2, 1], seed=0), data=(np.zeros((4, 3)), [0] * 4))


def test_one_batched_pass_per_map_and_per_diagram(
    trained: ng.Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    original = ng.FastNetwork.trace

    def counting(self: ng.FastNetwork, X: np.ndarray, *args: object) -> object:
        calls.append(len(X))
        return original(self, X, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ng.FastNetwork, "trace", counting)
    draw(trained, show="maps", data=DATA)
    assert calls == [RESOLUTION**2]
    decision_map(trained, resolution=50)
    assert calls[1:] == [2500]


def test_decision_map_draws_the_neuron_asked_for_with_the_data(trained: ng.Network) -> None:
    fig = ng.decision_map(trained, "L2.3", data=DATA, resolution=20)
    image = fig.axes[0].images[0].get_array()
    expected = neuron_maps(trained, data=DATA, resolution=20).a["L2.3"]
    assert np.array_equal(np.asarray(image), expected)
    assert fig.axes[0].get_title().startswith("a of L2.3")
    assert len(fig.axes[0].collections) >= 2  # the points of both classes (and the a = 0.5 line)
    assert fig.canvas.get_default_filetype() == "png"


def test_decision_map_defaults_to_the_class_regions(trained: ng.Network, tmp_path: Path) -> None:
    fig = decision_map(trained, data=DATA, resolution=30)
    rgb = np.asarray(fig.axes[0].images[0].get_array())
    assert rgb.shape == (30, 30, 3)
    maps = neuron_maps(trained, data=DATA, resolution=30)
    winner = np.argmax([maps.a["L3.1"], maps.a["L3.2"]], axis=0)
    red = rgb[..., 0] > rgb[..., 2]  # class 0 is drawn red, class 1 blue
    assert np.mean(red == (winner == 0)) > 0.99
    fig.savefig(tmp_path / "map.png")
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"
    one = decision_map(ng.layered([2, 3, 1], seed=0), resolution=10)
    assert one.axes[0].get_title().startswith("a of L3.1")


def test_draw_maps_puts_a_map_in_every_neuron_and_the_points_on_the_outputs(
    trained: ng.Network,
) -> None:
    g = draw(trained, show="maps", data=DATA, title="xor")
    for neuron in [*trained.inputs, *trained.neurons]:
        assert f"{neuron.name}: a " in g.source
    assert "a over the input plane: L1.1 from" in g.source
    # node ids are internal (n0, n1, ...): find each neuron's statement by its map's caption
    out = next(line for line in g.source.splitlines() if "L3.1: a " in line)
    hidden = next(line for line in g.source.splitlines() if "L2.1: a " in line)
    assert CLASS_COLOURS[0] in out and CLASS_COLOURS[1] in out
    assert CLASS_COLOURS[0] not in hidden
    with pytest.raises(ng.UsageError, match="2 inputs"):
        draw(ng.layered([3, 2], seed=0), show="maps")
    framed = draw(trained, show="maps", highlight="L2.2").source
    assert framed.count(f'BORDER="3" COLOR="{HIGHLIGHT}"') == 1 and "orange frame" in framed


def test_the_maps_diagram_is_self_contained_svg_after_dot(
    dot: str, trained: ng.Network, tmp_path: Path
) -> None:
    path = render(draw(trained, show="maps", data=DATA), tmp_path / "maps.svg")
    root = ET.parse(path).getroot()
    links = [
        value
        for element in root.iter()
        for key, value in element.attrib.items()
        if key.endswith("href") and not value.startswith(("data:", "#"))
    ]
    assert links == [] and not list(root.iter(f"{SVG}image"))
    nodes = parse_svg(path)["node"]
    assert set(nodes) >= {"L1.1", "L1.2", "L2.1", "L3.2"}
    for name in ("L2.1", "L3.2"):
        fills = {p.get("fill") for p in nodes[name].iter(f"{SVG}polygon")}
        shades = {sequential(k / 10) for k in range(11)}
        assert len(fills & shades) >= 3, name  # a map, not one colour
    out = {p.get("fill") for p in nodes["L3.2"].iter(f"{SVG}polygon")}
    assert CLASS_COLOURS[0] in out and CLASS_COLOURS[1] in out
    assert any(re.match(r"L3\.2: a \S+ … \S+", t) for t in texts(nodes["L3.2"]))
    assert MAX_POINTS <= 100


def test_a_softmax_network_draws_its_maps_through_dot(dot: str, tmp_path: Path) -> None:
    net = ng.layered([2, 4, 3], output=ng.SoftmaxLayer, seed=0)
    data = ng.datasets.toy("gaussians", n=30, classes=3)
    path = render(draw(net, show="maps", data=data), tmp_path / "soft.svg")
    assert CLASS_COLOURS[2] in path.read_text()


def test_decision_map_keeps_its_keys_off_the_data_and_shows_the_points(
    trained: ng.Network,
) -> None:
    """No legend or colour bar over the data, visible points, a continuous scale."""
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgb

    for fig in (
        decision_map(trained, data=DATA, resolution=30),
        decision_map(trained, "L3.1", data=DATA, resolution=30),
    ):
        ax = fig.axes[0]
        assert ax.get_legend() is None and len(fig.legends) == 1
        fig.canvas.draw()
        data_box = ax.get_window_extent()
        assert not fig.legends[0].get_window_extent().overlaps(data_box)
        for other in fig.axes[1:]:  # the colour bar's axes, beside
            assert not other.get_window_extent().overlaps(data_box)
        dots = [c for c in ax.collections if isinstance(c, PathCollection)]
        assert len(dots) == 2
        for dots_of_class in dots:
            assert dots_of_class.get_sizes()[0] >= 30  # a point of 6 px across at 100 dpi
            rim = np.asarray(dots_of_class.get_edgecolor())[0, :3]
            assert max(rim) < 0.2  # a dark rim: seen on white, on green, on its own class
    one = decision_map(trained, "L3.1", data=DATA, resolution=30)
    image = one.axes[0].images[0]
    shades = np.unique(image.to_rgba(np.linspace(0, 1, 101)).round(3), axis=0)
    assert len(shades) > 50  # more than five shading levels: a continuous scale
    greens = image.to_rgba(np.linspace(0, 1, 11))[:, :3]
    for colour in CLASS_COLOURS[:2]:  # red and blue points on white-to-green
        assert np.min(np.abs(greens - np.array(to_rgb(colour))).sum(axis=1)) > 0.4


def _box(polygon: Any) -> tuple[float, float, float, float]:
    points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), max(xs), min(ys), max(ys)


def test_draw_maps_fill_their_frames_without_gaps(
    trained: ng.Network, tmp_path: Path, dot: str
) -> None:
    """After dot: each map's pixels tile the inside of its 1-point grey frame exactly."""
    path = ng.render(draw(trained, show="maps", data=DATA), tmp_path / "maps.svg")
    root = ET.parse(path).getroot()
    style = root.find(f"{SVG}style")
    assert style is not None and 'polygon[stroke="transparent"]' in "".join(style.itertext())
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == 2 + 4 + 2
    for node in nodes:
        fills = [p for p in node.iter(f"{SVG}polygon") if p.get("stroke") == "transparent"]
        frame = [_box(p) for p in fills if p.get("fill") == "#999999"]
        assert len(frame) == 4  # top, left, right, bottom
        left = min(b[0] for b in frame)
        right = max(b[1] for b in frame)
        top, bottom = min(b[2] for b in frame), max(b[3] for b in frame)
        assert right - left == bottom - top == PX * RESOLUTION + 2
        under = [_box(p) for p in fills if _box(p) == (left + 1, right - 1, top + 1, bottom - 1)]
        assert len(under) == 1  # the background under the pixels, exactly as large
        pixels = [_box(p) for p in fills if p.get("fill") != "#999999"]
        pixels = [b for b in pixels if b != under[0]]
        assert min(b[0] for b in pixels) == left + 1 and max(b[1] for b in pixels) == right - 1
        assert min(b[2] for b in pixels) == top + 1 and max(b[3] for b in pixels) == bottom - 1
        rows = sorted({(b[2], b[3]) for b in pixels})
        assert len(rows) == RESOLUTION
        assert all(a[1] == b[0] for a, b in zip(rows, rows[1:]))  # no gap between rows
        for y0, y1 in rows:  # each row's runs cover its whole width, edge to edge
            runs = sorted((b[0], b[1]) for b in pixels if (b[2], b[3]) == (y0, y1))
            assert runs[0][0] == left + 1 and runs[-1][1] == right - 1
            assert all(a[1] == b[0] for a, b in zip(runs, runs[1:]))
