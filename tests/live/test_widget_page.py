"""The widget's front end in Chromium, with a stand-in for the notebook's widget model.

The widget's module is loaded as a notebook loads it (one ES module, ``render({model, el})``);
the model records what the front end sends. Structure edits made with the lab's buttons
arrive as operations which, applied in Python, give the network the page shows; a refusal and
a streamed epoch from the kernel reach the page.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import neurograph as ng
from neurograph.live import widget
from neurograph.live.edits import apply_edits

pytestmark = pytest.mark.slow

START = """
const [esm, state, done] = [arguments[0], JSON.parse(arguments[1]), arguments[2]];
window.ngTest = { sent: [], handlers: {} };
const model = {
  get: (key) => (key === "state" ? state : undefined),
  send: (message) => window.ngTest.sent.push(JSON.parse(JSON.stringify(message))),
  on: (event, handler) => (window.ngTest.handlers[event] = handler),
};
const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
import(url).then((module) => {
  const el = document.createElement("div");
  document.body.appendChild(el);
  module.default.render({ model, el });
  done(true);
}, (err) => done(String(err)));
"""


def open_widget(browser: Any, tmp_path: Path, lab: ng.Lab) -> Any:
    page = tmp_path / "host.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>")
    browser.get(page.as_uri())
    browser.get_log("browser")
    started = browser.execute_async_script(START, widget.esm(), json.dumps(lab.state()))
    assert started is True
    return ready(browser)


def ready(browser: Any) -> Any:
    return WebDriverWait(browser, 30).until(
        lambda b: b.find_element(By.CSS_SELECTOR, '.ng-widget[data-ready="true"]')
    )


def sent(browser: Any) -> list[dict[str, Any]]:
    return list(browser.execute_script("return window.ngTest.sent.splice(0)"))


def output(browser: Any) -> str:
    return str(ready(browser).find_element(By.CSS_SELECTOR, ".ng-output").text)


def test_structure_edits_arrive_as_operations(browser: Any, tmp_path: Path) -> None:
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    lab = ng.lab(ng.layered([2, 3, 1], seed=0), data=(X, y), cost="cross-entropy")
    net = lab.net
    host = open_widget(browser, tmp_path, lab)
    Select(host.find_element(By.CSS_SELECTOR, '[aria-label="Neuron"]')).select_by_visible_text(
        "L2.2"
    )
    host.find_element(By.CSS_SELECTOR, '[aria-label="Add neuron"]').click()
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return window.ngTest.sent.length"))
    (message,) = sent(browser)
    kinds = [op["op"] for op in message["ops"]]
    assert message["type"] == "edits" and kinds[0] == "add_neuron"
    assert kinds.count("connect") == 3 and set(kinds) == {"add_neuron", "connect"}
    apply_edits(lab, message["ops"])
    assert lab.net is net and len(net.neurons) == 5
    # Python's output equals the one the page shows
    shown = output(browser)
    a = net.forward(lab.x)
    assert shown.startswith(f"output a = [{a[0]:.4g}]")

    ready(browser).find_element(By.CSS_SELECTOR, '[aria-label="Add layer"]').click()
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return window.ngTest.sent.length"))
    (message,) = sent(browser)
    apply_edits(lab, message["ops"])
    a = net.forward(lab.x)
    assert len(net.neurons) == 9 and output(browser).startswith(f"output a = [{a[0]:.4g}]")
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []


def test_the_kernels_answers_reach_the_page(browser: Any, tmp_path: Path) -> None:
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    lab = ng.lab(ng.layered([2, 3, 1], seed=0), data=(X, y))
    open_widget(browser, tmp_path, lab)
    truth = lab.state()
    message = "GraphError: there is no edge 'L1.1' -> 'L3.1'"
    browser.execute_script(
        "window.ngTest.handlers['msg:custom'](arguments[0])",
        {"type": "state", "state": truth, "message": message},
    )
    WebDriverWait(browser, 20).until(
        lambda b: ready(b).find_element(By.CSS_SELECTOR, '[role="status"]').text == message
    )
    assert sent(browser) == []  # the kernel's own state is not sent back
    lab.net.set_weight("L1.1", "L2.1", 3.0)
    for epoch in (1, 2):
        browser.execute_script(
            "window.ngTest.handlers['msg:custom'](arguments[0])",
            {"type": "epoch", "model": lab.state()["model"], "epoch": epoch},
        )
    WebDriverWait(browser, 20).until(
        lambda b: ready(b).find_element(By.CSS_SELECTOR, '[aria-label="Epoch"]').text == "2"
    )
    a = lab.net.forward(lab.x)
    assert output(browser).startswith(f"output a = [{a[0]:.4g}]")
    assert sent(browser) == []


def test_training_in_the_widget_reaches_python(browser: Any, tmp_path: Path) -> None:
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    lab = ng.lab(ng.layered([2, 3, 1], seed=0), data=(X, y), cost="cross-entropy", eta=2.0)
    before = lab.net.to_dict()
    host = open_widget(browser, tmp_path, lab)
    host.find_element(By.CSS_SELECTOR, '[aria-label="Train one epoch"]').click()
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return window.ngTest.sent.length"))
    ops = [op for message in sent(browser) for op in message["ops"]]
    assert {op["op"] for op in ops} == {"set_weight", "set_bias"}
    apply_edits(lab, ops)
    a = lab.net.forward(lab.x)
    assert lab.net.to_dict()["edges"] != before["edges"]
    assert output(browser).startswith(f"output a = [{a[0]:.4g}]")
    # Reset returns the page to the first weights, and Python with it
    ready(browser).find_element(By.CSS_SELECTOR, '[aria-label="Reset"]').click()
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return window.ngTest.sent.length"))
    time.sleep(0.5)
    apply_edits(lab, [op for message in sent(browser) for op in message["ops"]])
    assert lab.net.to_dict()["edges"] == before["edges"]
    assert lab.net.to_dict()["neurons"] == before["neurons"]
