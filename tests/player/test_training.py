"""The training page's data: the last frame is the trained network, sizes, escaping, errors."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import numpy as np
import pytest
from page_helpers import page_data

import neurograph as ng
from neurograph.fast.snapshots import Snapshot
from neurograph.pictures.maps import neuron_maps
from neurograph.player.training import frame_text, map_bytes, training_page, weight_bytes


def test_last_frame_is_the_trained_network(dot: str) -> None:
    """Maps, biases and weights of the page's last frame are those of the trained network."""
    net = ng.layered([2, 3, 2], seed=0)
    data = ng.datasets.toy("moons", n=100, seed=1)
    fast = net.compile()
    history = fast.sgd(data, 3, 10, 2.0, record=True, record_every=4, seed=0)
    page, svg = training_page(history, net, data, resolution=8)
    assert svg.startswith("<svg")
    trained = ng.layered([2, 3, 2], seed=0)
    fast.write_back(trained)  # the parameters sgd left, not read from a snapshot
    maps = neuron_maps(trained, data=data, resolution=8)
    images = page["images"]
    assert images["kind"] == "maps" and images["names"] == ["L2.1", "L2.2", "L2.3", "L3.1", "L3.2"]
    assert images["frames"][-1] == [map_bytes(maps.a[n]) for n in images["names"]]
    assert len(page["frames"]) == len(history.snapshots) == len(images["frames"])
    neuron = page["neurons"][1]  # L2.2
    assert neuron["name"] == "L2.2"
    assert neuron["reports"][-1].splitlines()[0] == f"b = {trained['L2.2'].bias:.6g}"
    w = trained.weight(trained["L1.1"], trained["L2.2"])
    assert page["frames"][-1]["w"]["L1.1->L2.2"][0] == float(f"{w:.4g}")
    assert net["L2.2"].bias != trained["L2.2"].bias  # the network given was not changed
    mid = [f["x"] for f in page["frames"]]
    assert mid == sorted(mid) and mid[0] == 0 and mid[-1] == 3
    assert any(0 < x < 1 for x in mid)  # record_every: snapshots inside the first epoch


def test_frame_text_names_the_numbers() -> None:
    h = ng.History(evaluation_cost=[0.5, 0.25], evaluation_accuracy=[0.5, 0.975])
    at = Snapshot(2, 8, 0, {}, {}, 0.5, {})
    assert frame_text(at, h) == (
        "epoch 2, step 8, η = 0.5: evaluation cost 0.2500, evaluation accuracy 97.50 %"
    )
    resumed = frame_text(Snapshot(3, 8, 0, {}, {}, 0.5, {}), h, first=1)  # a run from epoch 1
    assert resumed == frame_text(at, h).replace("epoch 2", "epoch 3")
    assert frame_text(Snapshot(0, 0, 0, {}, {}, 0.5, {}), h) == (
        "before training: epoch 0, step 0, η = 0.5"
    )


def test_bytes_round_trip() -> None:
    a = np.array([[0.0, 0.2], [0.6, 1.0]])
    pixels = np.frombuffer(base64.b64decode(map_bytes(a)), dtype=np.uint8)
    assert pixels.tolist() == [153, 255, 0, 51]  # the top row (a[1]) first
    w = np.array([-1.0, -0.5, 0.0, 0.25, 1.0])
    back = np.frombuffer(base64.b64decode(weight_bytes(w, 1.0)), dtype=np.uint8)
    assert np.max(np.abs(back / 127.5 - 1 - w)) <= 0.5 / 127.5


def test_mnist_size_for_30_epochs(tmp_path: Path, dot: str) -> None:
    """30 epochs of [784, 30, 10] (on 100 images, so that it takes a second) stay under 5 MB."""
    (X, y), _, _ = ng.datasets.load_mnist()
    net = ng.layered([784, 30, 10], seed=0)
    history = net.compile().sgd((X[:100], y[:100]), 30, 10, 3.0, record=True, seed=0)
    page = history.save_html(tmp_path / "mnist.html", net)
    assert page.stat().st_size <= 5_000_000
    data = page_data(page)
    assert data["images"]["kind"] == "weights" and data["images"]["side"] == 28
    assert len(data["images"]["frames"]) == 31 and len(data["images"]["frames"][0]) == 30


def test_names_are_escaped(tmp_path: Path, dot: str) -> None:
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    evil = "</script><img src=x>&"
    net.add(ng.SigmoidNeuron(name=evil), inputs={x1: 1.0, x2: -1.0})
    data = (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[1.0], [0.0]]))
    history = net.compile().sgd(data, 2, 1, 1.0, record=True, seed=0)
    page = history.save_html(tmp_path / "evil.html", net, data)
    text = page.read_text(encoding="utf-8")
    assert evil not in text and "<img" not in text
    assert page_data(page)["neurons"][0]["name"] == evil


def test_errors(tmp_path: Path) -> None:
    net = ng.layered([2, 2, 1], seed=0)
    data = (np.zeros((4, 2)), np.zeros((4, 1)))
    plain = net.compile().sgd(data, 1, 2, 1.0)
    with pytest.raises(ng.UsageError, match=r"no snapshots to replay: train with"):
        plain.save_html(tmp_path / "x.html", net)
    recorded = net.compile().sgd(data, 1, 2, 1.0, record=True)
    with pytest.raises(ng.UsageError, match="needs the Network that was compiled"):
        recorded.save_html(tmp_path / "x.html", net.compile())  # type: ignore[arg-type]
    with pytest.raises(ng.ShapeError, match="the snapshot holds weights of shapes"):
        recorded.save_html(tmp_path / "x.html", ng.layered([2, 3, 1], seed=0))
    assert not (tmp_path / "x.html").exists()


def test_the_page_is_self_contained(tmp_path: Path, dot: str) -> None:
    """One file: its own script allowed by hash, nothing to load (no img-src, no URL)."""
    net = ng.layered([2, 2, 2], seed=0)
    data = ng.datasets.toy("circles", n=40, seed=0)
    history = net.compile().sgd(data, 2, 10, 3.0, record=True, seed=0)
    text = history.save_html(tmp_path / "run.html", net, data).read_text(encoding="utf-8")
    script = text[text.rindex("<script>") + len("<script>") : text.rindex("</script>")]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    assert f'content="{policy}"' in text
    assert "window.neurograph.views.training" in script
    assert "http://" not in text.replace("http://www.w3.org/", "")
    assert "https://" not in text and "src=" not in text
