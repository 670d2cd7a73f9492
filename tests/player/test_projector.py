"""The players on a projector, 1280×720 in headless Chromium: present mode, A+, label sizes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from page_helpers import check_clean, open_page, press, status
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import neurograph as ng

pytestmark = pytest.mark.slow

# Where the diagram and its neurons' names are on the screen, and whether the page scrolls.
MEASURE = """
const svg = document.querySelector('#ng-view svg');
const box = svg.getBoundingClientRect();
const names = [...svg.querySelectorAll('text[font-weight="bold"]')];
return {
  box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
  heights: names.map((t) => t.getBoundingClientRect().height),
  names: names.map((t) => t.textContent),
  width: innerWidth, height: innerHeight,
  scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
};
"""


@pytest.fixture
def projector(browser: Any) -> Iterator[Any]:
    """The browser with a 1280×720 viewport, as a classroom projector shows a page."""
    metrics = {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, dot: str) -> dict[str, Path]:
    """A small pass, an MNIST pass, a xor training run and an MNIST training run."""
    folder = tmp_path_factory.mktemp("projector")
    (X, y), (Xv, yv), (Xt, yt) = ng.datasets.load_mnist()
    small = ng.layered([2, 8, 3], seed=0, output=ng.SoftmaxLayer)
    mnist = ng.layered([784, 30, 10], seed=0)
    xor_net = ng.layered([2, 8, 2], seed=1)
    xor = ng.datasets.toy("xor", n=200, seed=0)
    xor_run = xor_net.compile().sgd(xor, 3, 10, 3.0, evaluation_data=xor, record=True, seed=0)
    mnist_run = mnist.compile().sgd(
        (X[:200], y[:200]), 2, 10, 3.0, evaluation_data=(Xv[:100], yv[:100]), record=True, seed=0
    )
    return {
        "small pass": ng.record(small, [1.0, 0.5], 2, "log-likelihood", eta=0.5).save_html(
            folder / "small.html"
        ),
        "MNIST pass": ng.record(mnist, Xt[0], int(yt[0]), "cross-entropy").save_html(
            folder / "mnist.html"
        ),
        "xor training": xor_run.save_html(folder / "xor.html", xor_net, xor),
        "MNIST training": mnist_run.save_html(folder / "mnist-run.html", mnist),
    }


def hidden(browser: Any, selector: str) -> bool:
    return not browser.find_element(By.CSS_SELECTOR, selector).is_displayed()


def test_present_button_and_key_p(projector: Any, pages: dict[str, Path]) -> None:
    """Present (or P) leaves the status line and the diagram; P or Escape comes back."""
    open_page(projector, pages["small pass"])
    press(projector, "Step forward", 2)
    before = status(projector)
    press(projector, "Present")
    button = projector.find_element(By.CSS_SELECTOR, '[aria-label="Present"]')
    assert button.get_attribute("aria-pressed") == "true"
    for part in ("header", ".ng-position", "#ng-inspector", ".ng-help", "#ng-play"):
        assert hidden(projector, part), part
    assert status(projector) == before and not hidden(projector, "#ng-status")
    body = projector.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)  # stepping goes on with the keys
    assert status(projector) != before
    body.send_keys("p")
    assert not hidden(projector, "header") and button.get_attribute("aria-pressed") == "false"
    body.send_keys("P")
    assert hidden(projector, "header")
    body.send_keys(Keys.ESCAPE)
    assert not hidden(projector, "header")
    check_clean(projector)


@pytest.mark.parametrize("name", ["small pass", "MNIST pass", "xor training", "MNIST training"])
def test_presented_diagram_fits_and_reads(
    projector: Any, pages: dict[str, Path], name: str
) -> None:
    """At 1280×720, presented: the whole diagram on screen, every neuron's name ≥ 12 px high."""
    open_page(projector, pages[name])
    press(projector, "Present")
    projector.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    seen = projector.execute_script(MEASURE)
    box = seen["box"]
    assert box["left"] >= 0 and box["top"] >= 0, box
    assert box["right"] <= seen["width"] and box["bottom"] <= seen["height"], box
    assert seen["scroll"] == [1280, 720]  # nothing to scroll to
    assert len(seen["heights"]) >= 6, seen["names"]  # every drawn neuron's name was measured
    smallest = min(seen["heights"]) + 1e-3  # a layout's float noise: 11.99997 px is 12 px
    assert smallest >= 12, list(zip(seen["names"], seen["heights"]))
    check_clean(projector)


@pytest.mark.parametrize("name", ["small pass", "MNIST pass"])
def test_large_type_scales_the_diagram_text(
    projector: Any, pages: dict[str, Path], name: str
) -> None:
    """A+ while presenting: every neuron's name grows, the diagram still fits the screen."""
    open_page(projector, pages[name])
    press(projector, "Present")
    projector.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT * 3)
    before = projector.execute_script(MEASURE)
    press(projector, "Large type")
    after = projector.execute_script(MEASURE)
    grown = [a / b for a, b in zip(after["heights"], before["heights"])]
    assert min(grown) >= 1.2, grown
    assert after["box"]["bottom"] <= 720 and after["scroll"] == [1280, 720]
    legend = "return [...document.querySelectorAll('#ng-view svg > g > text')].length"
    assert projector.execute_script(legend) > 0  # the legend is there, at its own size
    press(projector, "Large type")  # and back
    assert projector.execute_script(MEASURE)["heights"] == before["heights"]
    check_clean(projector)


@pytest.mark.parametrize("present", [False, True])
def test_training_maps_sit_beside_the_diagram(
    projector: Any, pages: dict[str, Path], present: bool
) -> None:
    """The decision maps are to the right of the diagram, within the screen, not below it."""
    open_page(projector, pages["xor training"])
    if present:
        press(projector, "Present")
    diagram = projector.find_element(By.CSS_SELECTOR, "#ng-view svg").rect
    tiles = projector.find_elements(By.CSS_SELECTOR, "#ng-images canvas")
    assert len(tiles) == 8 + 2  # every neuron's map
    for tile in tiles:
        rect = tile.rect
        assert rect["x"] >= diagram["x"] + diagram["width"], rect
        assert rect["y"] + rect["height"] <= 720, rect  # above the fold
    check_clean(projector)
