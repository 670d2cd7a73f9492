"""Driving a player page in the `browser` fixture: open it, press its controls, read it back."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import neurograph as ng


def open_page(browser: Any, path: Path) -> None:
    """Open a saved page from its file, discarding earlier console messages."""
    browser.get_log("browser")
    browser.get(path.resolve().as_uri())


def press(browser: Any, name: str, times: int = 1) -> None:
    """Click the control whose accessible name is `name`, `times` times."""
    button = browser.find_element(By.CSS_SELECTOR, f'[aria-label="{name}"]')
    for _ in range(times):
        button.click()


def click_neuron(browser: Any, name: str) -> None:
    """Click a neuron of the diagram where a user would: the middle of its shape."""
    shape = browser.find_element(By.CSS_SELECTOR, f'[aria-label="Inspect {name}"]')
    ActionChains(browser).move_to_element(shape).click().perform()


def choose(browser: Any, name: str) -> None:
    """Choose a neuron by name in the inspector's **Neuron** list."""
    Select(browser.find_element(By.CSS_SELECTOR, '[aria-label="Neuron"]')).select_by_visible_text(
        name
    )


def text_of(browser: Any, selector: str) -> str:
    """The exact ``textContent`` of the element at a CSS selector (no whitespace folding)."""
    return str(browser.find_element(By.CSS_SELECTOR, selector).get_property("textContent"))


def status(browser: Any) -> str:
    """The text of the page's ``role="status"`` region."""
    return text_of(browser, '[role="status"]')


def check_clean(browser: Any) -> None:
    """The console logged no error or warning, and the page requested no file or host."""
    logs = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert logs == [], logs
    requested = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert requested == []


def with_labels(net: ng.Network, labels: list[str]) -> ng.Network:
    """Give the outputs labels: with set_outputs(labels=) where it exists, else as net.labels."""
    if "labels" in inspect.signature(net.set_outputs).parameters:
        net.set_outputs(net.outputs, labels=labels)  # type: ignore[call-arg, unused-ignore]
    else:
        net.labels = labels  # type: ignore[attr-defined, unused-ignore]
    return net


def page_data(path: Path) -> Any:
    """The JSON data a saved player page carries (its ``<script id="ng-data">``)."""
    text = path.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="ng-data">')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


def canvas_rgb(browser: Any, neuron: str) -> list[list[int]]:
    """The pixels of the tile of `neuron` (decision map or weight image), row by row, as RGB."""
    script = """
    const canvas = document.querySelector(`canvas[data-neuron="${arguments[0]}"]`);
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const rows = [];
    for (let p = 0; p < data.length; p += 4) rows.push([data[p], data[p + 1], data[p + 2]]);
    return rows;
    """
    return list(browser.execute_script(script, neuron))
