"""The training player in headless Chromium: stepping through snapshots, curves, maps, weights."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from page_helpers import canvas_rgb, check_clean, choose, open_page, press, status, text_of
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import neurograph as ng
from neurograph.pictures.maps import neuron_maps
from neurograph.pictures.style import diverging, sequential

pytestmark = pytest.mark.slow  # drives Chromium


def rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


class Run:
    """A recorded training run and its page."""

    def __init__(self, net: ng.Network, data: Any, history: ng.History, page: Path) -> None:
        self.net, self.data, self.history, self.page = net, data, history, page

    def at(self, k: int) -> ng.FastNetwork:
        """A compiled copy of the network holding snapshot `k`."""
        fast = self.net.compile()
        self.history.snapshots[k].load(fast)
        return fast


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory: pytest.TempPathFactory, dot: str) -> Run:
    """[2, 4, 2] on 200 xor points, 6 epochs of 20 steps, every curve monitored."""
    net = ng.layered([2, 4, 2], seed=1)
    data = ng.datasets.toy("xor", n=200, seed=0)
    history = net.compile().sgd(
        data, 6, 10, 3.0, evaluation_data=data, monitor_evaluation_cost=True,
        monitor_evaluation_accuracy=True, monitor_training_cost=True, record=True, seed=0,
    )  # fmt: skip
    page = history.save_html(tmp_path_factory.mktemp("xor") / "run.html", net, data)
    return Run(net, data, history, page)


@pytest.fixture(scope="module")
def mnist_run(tmp_path_factory: pytest.TempPathFactory, dot: str) -> Run:
    """[784, 30, 10] on 200 MNIST images for 2 epochs: the hidden neurons' weight images."""
    (X, y), (Xv, yv), _ = ng.datasets.load_mnist()
    net = ng.layered([784, 30, 10], seed=0)
    data = (X[:200], y[:200])
    history = net.compile().sgd(
        data, 2, 10, 3.0, evaluation_data=(Xv[:100], yv[:100]),
        monitor_evaluation_accuracy=True, record=True, seed=0,
    )  # fmt: skip
    page = history.save_html(tmp_path_factory.mktemp("mnist") / "run.html", net)
    return Run(net, None, history, page)


def test_steps_back_end_and_status(browser: Any, xor_run: Run) -> None:
    h = xor_run.history
    open_page(browser, xor_run.page)
    assert status(browser) == "before training: epoch 0, step 0, η = 3"
    assert text_of(browser, "#ng-where") == "0 / 6"
    press(browser, "Step forward", 3)
    assert status(browser) == (
        f"epoch 3, step 60, η = 3: training cost {h.training_cost[2]:.4f}, evaluation cost "
        f"{h.evaluation_cost[2]:.4f}, evaluation accuracy {100 * h.evaluation_accuracy[2]:.2f} %"
    )
    assert text_of(browser, "#ng-phase") == "training"
    press(browser, "Step back")
    assert status(browser).startswith("epoch 2, step 40, η = 3: training cost ")
    press(browser, "End")
    assert status(browser).startswith("epoch 6, step 120, η = 3: ")
    assert text_of(browser, "#ng-phase") == "trained"
    press(browser, "Restart")
    assert status(browser).startswith("before training")
    check_clean(browser)


def test_slider_keyboard_play_and_pause(browser: Any, xor_run: Run) -> None:
    open_page(browser, xor_run.page)
    slider = browser.find_element(By.CSS_SELECTOR, '[aria-label="Position"]')
    assert slider.get_attribute("max") == "6"
    slider.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert status(browser).startswith("epoch 2, step 40")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.END)
    assert status(browser).startswith("epoch 6, ")
    body.send_keys(Keys.HOME)
    browser.find_element(By.ID, "ng-speed").send_keys("12")
    press(browser, "Play")
    deadline = time.monotonic() + 5
    while text_of(browser, "#ng-where") in ("0 / 6", "1 / 6") and time.monotonic() < deadline:
        time.sleep(0.05)
    press(browser, "Pause")
    where = text_of(browser, "#ng-where")
    assert where not in ("0 / 6", "1 / 6")
    time.sleep(0.3)
    assert text_of(browser, "#ng-where") == where  # paused: it stays
    check_clean(browser)


def cursors(browser: Any) -> list[tuple[str, float]]:
    lines = browser.find_elements(By.CSS_SELECTOR, "line.ng-cursor")
    return [(e.get_attribute("data-epoch"), float(e.get_attribute("x1"))) for e in lines]


def test_curves_cursor_moves(browser: Any, xor_run: Run) -> None:
    open_page(browser, xor_run.page)
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.ng-chart")
    assert [c.get_attribute("aria-label") for c in charts] == ["cost", "accuracy"]
    curves = browser.find_elements(By.CSS_SELECTOR, "polyline[data-curve]")
    assert sorted(c.get_attribute("data-curve") for c in curves) == [
        "evaluation_accuracy", "evaluation_cost", "training_cost",
    ]  # fmt: skip
    assert all(len(c.get_attribute("points").split()) == 6 for c in curves)
    start = cursors(browser)
    assert [epoch for epoch, _ in start] == ["0", "0"]
    press(browser, "Step forward", 2)
    moved = cursors(browser)
    assert [epoch for epoch, _ in moved] == ["2", "2"]
    assert all(x > x0 for (_, x), (_, x0) in zip(moved, start))


def test_decision_maps_equal_python(browser: Any, xor_run: Run) -> None:
    colours = [rgb(sequential(i / 255)) for i in range(256)]
    open_page(browser, xor_run.page)
    shown = {}
    for k in (0, 4):
        if k:
            press(browser, "Step forward", k)
        maps = neuron_maps(xor_run.net, data=xor_run.data, resolution=32, compiled=xor_run.at(k))
        for name in ("L2.3", "L3.1"):
            pixels = np.rint(255 * np.clip(maps.a[name][::-1], 0, 1)).astype(int).ravel()
            shown[k, name] = canvas_rgb(browser, name)
            assert shown[k, name] == [colours[p] for p in pixels]
    assert shown[0, "L3.1"] != shown[4, "L3.1"]  # the map changes with the snapshot
    points = browser.find_elements(By.CSS_SELECTOR, "svg.ng-points circle")
    assert len(points) == 2 * 200  # the data on both output maps
    check_clean(browser)


def test_edges_and_inspector_follow_the_snapshot(browser: Any, xor_run: Run) -> None:
    open_page(browser, xor_run.page)
    press(browser, "Step forward", 2)
    fast = xor_run.at(2)
    edge = browser.find_element(By.CSS_SELECTOR, 'g.edge[id="L1.2->L2.3"]')
    assert float(edge.get_attribute("data-w")) == float(f"{fast.w[2][2, 1]:.4g}")
    choose(browser, "L2.3")
    report = text_of(browser, "#ng-report").splitlines()
    assert report[0] == f"b = {fast.b[2][2]:.6g}"
    assert report[1:] == [
        "2 incoming weights",
        f"  w from L1.1 = {fast.w[2][2, 0]:.6g}",
        f"  w from L1.2 = {fast.w[2][2, 1]:.6g}",
    ]
    press(browser, "End")  # the open inspector follows the position
    assert text_of(browser, "#ng-report").splitlines()[0] == f"b = {xor_run.at(6).b[2][2]:.6g}"
    check_clean(browser)


def test_mnist_weight_images(browser: Any, mnist_run: Run) -> None:
    colours = [rgb(diverging(i / 127.5 - 1)) for i in range(256)]
    open_page(browser, mnist_run.page)
    assert status(browser) == "before training: epoch 0, step 0, η = 3"
    tiles = browser.find_elements(By.CSS_SELECTOR, "#ng-images canvas")
    assert len(tiles) == 30
    press(browser, "End")
    accuracy = mnist_run.history.evaluation_accuracy[-1]
    assert status(browser) == f"epoch 2, step 40, η = 3: evaluation accuracy {100 * accuracy:.2f} %"
    w = mnist_run.at(2).w[2]
    scale = np.max(np.abs(w))
    expected = np.rint(127.5 * (1 + w[4] / scale)).astype(int)
    assert canvas_rgb(browser, "L2.5") == [colours[p] for p in expected]
    choose(browser, "L2.5")
    assert text_of(browser, "#ng-report").splitlines()[:2] == [
        f"b = {mnist_run.at(2).b[2][4]:.6g}",
        "784 incoming weights",
    ]
    check_clean(browser)


def test_on_a_phone(browser: Any, mnist_run: Run) -> None:
    """At a phone's width the panels go under the diagram, and nothing scrolls sideways."""
    browser.set_window_size(390, 844)
    try:
        open_page(browser, mnist_run.page)
        diagram = browser.find_element(By.CSS_SELECTOR, "#ng-view > .ng-training > .ng-diagram")
        panels = browser.find_element(By.CSS_SELECTOR, ".ng-panels").rect
        assert panels["y"] >= diagram.rect["y"] + diagram.rect["height"]
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")
        press(browser, "Step forward")
        check_clean(browser)
    finally:
        browser.set_window_size(1280, 900)
