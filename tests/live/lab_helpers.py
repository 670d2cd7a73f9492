"""Driving a lab page in the `browser` fixture: write it, open it, call its API, read it back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from page_helpers import open_page
from selenium.webdriver.support.ui import WebDriverWait

import neurograph as ng


def open_lab(browser: Any, path: Path, lab: ng.Lab, fragment: str = "") -> None:
    """Write `lab` to `path`, open it (with a URL fragment) and wait until it has drawn."""
    lab.save_html(path)
    browser.get("about:blank")  # a new load, even where only the fragment differs
    open_page(browser, path)
    if fragment:
        browser.get("about:blank")
        browser.get(path.resolve().as_uri() + "#" + fragment)
    wait_ready(browser)


def wait_ready(browser: Any) -> None:
    """Wait for the lab's first drawing (``data-ready`` on its element)."""
    WebDriverWait(browser, 20).until(
        lambda b: b.execute_script("return document.getElementById('ng-lab').dataset.ready")
    )


def call(browser: Any, expression: str, *args: Any) -> Any:
    """Evaluate ``window.neurograph.live.<expression>`` with JSON arguments, awaiting a promise.

    An error in the page comes back as ``{"error": message}``.
    """
    script = f"""
    const done = arguments[arguments.length - 1];
    const args = JSON.parse(arguments[0]);
    Promise.resolve().then(() => window.neurograph.live.{expression}(...args))
      .then((v) => done({{value: v === undefined ? null : JSON.parse(JSON.stringify(v))}}),
            (e) => done({{error: String(e.message)}}));
    """
    result = browser.execute_async_script(script, json.dumps(_plain(list(args))))
    if "error" in result:
        return {"error": result["error"]}
    return result["value"]


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def python_values(net: ng.Network, backward: bool) -> dict[str, Any]:
    """What ``window.neurograph.live.values()`` should give, from the graph engine's objects."""
    neurons: dict[str, Any] = {}
    inputs = set(net.inputs)
    for node in net.graph:
        if node in inputs:
            neurons[str(node.name)] = {"a": node.a}
        else:
            neurons[str(node.name)] = {"z": node.z, "a": node.a, "delta": node.delta}
    edges = {
        f"{s.name}->{t.name}": {"w": data["weight"], "grad": data.get("grad") if backward else None}
        for s, t, data in net.graph.edges(data=True)
    }
    return {"neurons": neurons, "edges": edges}


def assert_close(page: Any, python: Any, path: str = "") -> None:
    """Every number of `page` equals the one of `python` to 1e-12 (None where None)."""
    if isinstance(python, dict):
        assert set(page) == set(python), path
        for key in python:
            assert_close(page[key], python[key], f"{path}.{key}")
    elif python is None:
        assert page is None, path
    else:
        np.testing.assert_allclose(page, python, rtol=1e-12, atol=1e-12, err_msg=path)
