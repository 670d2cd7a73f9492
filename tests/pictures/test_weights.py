"""Tests of ng.draw_weights: named tiles, one colour key, the neuron asked for, PNG and SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import neurograph as ng
from neurograph.pictures.weights import WEIGHT_COLOURS, draw_weights, weight_matrix, weight_tiles

SVG = "{http://www.w3.org/2000/svg}"


def test_weight_matrix_network_and_fast_agree() -> None:
    net = ng.layered([9, 4, 2], seed=0)
    names, w = weight_matrix(net, 2)
    assert names == ["L2.1", "L2.2", "L2.3", "L2.4"]
    assert w[2, 5] == net.weight("L1.6", "L2.3")
    fast_names, fast_w = weight_matrix(net.compile(), 2)
    assert fast_names == names and np.array_equal(fast_w, w)
    assert np.array_equal(weight_matrix(net.compile(), 3)[1], weight_matrix(net, 3)[1])
    _, tiles = weight_tiles(net, 3)  # 4 weights each: a 2x2 tile
    assert tiles.shape == (2, 2, 2)
    _, odd = weight_tiles(ng.layered([5, 1], seed=0), 2)  # 5 weights: 3 columns, NaN padding
    assert odd.shape == (1, 2, 3) and np.isnan(odd[0, 1, 2])


def test_every_tile_is_named_and_the_colours_have_a_key() -> None:
    net = ng.layered([784, 30, 10], seed=0)
    figure = draw_weights(net.compile(), 2)
    assert isinstance(figure, Figure)
    tiles = [ax for ax in figure.axes if ax.images]
    assert [ax.get_title() for ax in tiles] == [f"L2.{j}" for j in range(1, 31)]
    w = weight_matrix(net, 2)[1]
    scale = float(np.abs(w).max())
    for ax, row in zip(tiles, w):  # each tile is its neuron's 784 weights, on one shared scale
        image = ax.images[0]
        np.testing.assert_array_equal(np.asarray(image.get_array()).reshape(-1), row)
        assert image.get_clim() == (-scale, scale) and image.get_cmap() is WEIGHT_COLOURS
    keys = [ax for ax in figure.axes if ax.get_title() == "w"]
    assert len(keys) == 1 and keys[0].get_ylim() == pytest.approx((-scale, scale))
    red, blue = WEIGHT_COLOURS(0.0), WEIGHT_COLOURS(1.0)
    assert red[0] > red[2] and blue[2] > blue[0]  # red for w < 0, blue for w > 0


def test_one_neuron_and_the_files(tmp_path: Path) -> None:
    net = ng.layered([784, 30, 10], seed=0)
    figure = draw_weights(net, 2, tmp_path / "one.svg", neurons=["L2.7"])
    assert [ax.get_title() for ax in figure.axes if ax.images] == ["L2.7"]
    drawn = [t.text for t in ET.parse(tmp_path / "one.svg").getroot().iter(f"{SVG}text")]
    assert "L2.7" in drawn and "w" in drawn and "L2.1" not in drawn
    draw_weights(net, 2, tmp_path / "all.png")
    assert (tmp_path / "all.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"  # Jupyter shows it, pyplot or not


def test_draw_weights_errors(tmp_path: Path) -> None:
    net = ng.layered([4, 2, 1], seed=0)
    with pytest.raises(ng.UsageError, match="layers 1..3 .*choose one of 2..3"):
        draw_weights(net, 1, tmp_path / "w.png")
    with pytest.raises(ng.UsageError, match="choose one of 2..3"):
        draw_weights(net.compile(), 4, tmp_path / "w.png")
    with pytest.raises(ng.UsageError, match=r"unknown extension '\.gif'"):
        draw_weights(net, 2, tmp_path / "w.gif")
    with pytest.raises(ng.UsageError, match="does not exist"):
        draw_weights(net, 2, tmp_path / "no" / "w.png")
    with pytest.raises(ng.UsageError, match="expected a Network or a FastNetwork"):
        draw_weights("net", 2, tmp_path / "w.png")  # type: ignore[arg-type]
    with pytest.raises(ng.UsageError, match="layer 2 has no neuron 'L2.9'; its neurons are"):
        draw_weights(net, 2, neurons=["L2.9"])


@pytest.mark.parametrize("neurons", [["L2.1"], ["L2.1", "L2.2", "L2.3", "L2.4"], None])
def test_weight_figure_titles_what_it_shows_and_clips_no_text(neurons: list[str] | None) -> None:
    """The demo's one-neuron picture: its own title, every text inside the figure."""
    figure = draw_weights(ng.layered([784, 30, 10], seed=0), 2, neurons=neurons)
    title = figure.get_suptitle()
    if neurons is None:
        assert title == "incoming weights of layer 2, one tile per neuron"
    else:
        assert "one tile per neuron" not in title
        one = "incoming weights of L2.1"
        assert title == (one if len(neurons) == 1 else "incoming weights of 4 neurons of layer 2")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    page = figure.bbox
    colour_bar = figure.axes[-1]
    suptitle = next(
        t for t in figure.get_children() if isinstance(t, Text) and t.get_text() == title
    )
    shown = [suptitle, colour_bar.yaxis.label, colour_bar.title]
    shown += [ax.title for ax in figure.axes[:-1] if ax.get_title()]
    for text in shown:
        assert text is not None and text.get_text()
        box = text.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1, text.get_text()
        assert page.y0 <= box.y0 and box.y1 <= page.y1, text.get_text()
