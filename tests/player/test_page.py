"""The pass player in headless Chromium: stepping, jumping, playing, inspecting, offline."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import pytest
from page_helpers import (
    check_clean,
    choose,
    click_neuron,
    open_page,
    press,
    status,
    text_of,
    with_labels,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import neurograph as ng
from neurograph.pictures.style import NEG, POS, fmt

pytestmark = pytest.mark.slow  # drives Chromium


def skip_dag() -> ng.Network:
    """x1, x2 -> h -> softmax(3), with a skip connection x1 -> every softmax unit."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h = net.add(ng.SigmoidNeuron(bias=-1.0, name="h"), inputs={x1: 2.0, x2: -1.0})
    out = net.add(ng.SoftmaxLayer(3, name="out"))
    for j, unit in enumerate(out.units):
        net.connect(h, unit, weight=0.5 * (j + 1))
        net.connect(x1, unit, weight=-0.3 * j)
    net.set_outputs([out])
    return net


@pytest.fixture
def small(tmp_path: Path, dot: str) -> tuple[ng.Recording, Path]:
    rec = ng.record(skip_dag(), [1.0, 0.5], 2, cost="log-likelihood", eta=0.5)
    return rec, rec.save_html(tmp_path / "small.html")


def inspect_at(net: ng.Network, k: int, name: str, **kwargs: Any) -> str:
    """What the debugger's ``print NAME`` says after `k` steps."""
    dbg = ng.Debugger(net, **kwargs)
    if k:
        dbg.step(k)
    return dbg.inspect(name)


def test_steps_back_and_end(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    rec, page = small
    open_page(browser, page)
    assert status(browser) == ""
    assert text_of(browser, "#ng-where") == f"0 / {len(rec)}"
    for k in range(1, 6):
        press(browser, "Step forward")
        assert status(browser) == str(rec.events[k - 1])
    assert text_of(browser, "#ng-where") == f"5 / {len(rec)}"
    assert text_of(browser, "#ng-phase") == "cost"
    press(browser, "Step back", 2)
    assert status(browser) == str(rec.events[2])
    press(browser, "End")
    assert status(browser) == str(rec.events[-1])
    assert text_of(browser, "#ng-phase") == "update"
    press(browser, "Restart")
    assert status(browser) == ""
    check_clean(browser)


def test_keyboard_and_slider(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    rec, page = small
    open_page(browser, page)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert status(browser) == str(rec.events[2])
    body.send_keys(Keys.ARROW_LEFT)
    assert status(browser) == str(rec.events[1])
    body.send_keys(Keys.END)
    assert status(browser) == str(rec.events[-1])
    body.send_keys(Keys.HOME)
    assert status(browser) == ""
    slider = browser.find_element(By.CSS_SELECTOR, '[aria-label="Position"]')
    assert slider.get_attribute("max") == str(len(rec))
    slider.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert status(browser) == str(rec.events[1])
    check_clean(browser)


def test_diagram_follows_the_pass(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    rec, page = small
    open_page(browser, page)
    press(browser, "Step forward")  # forward h: h done and outlined, the softmax pending
    current = browser.find_elements(By.CSS_SELECTOR, ".ng-current")
    assert [e.get_attribute("aria-label") for e in current] == ["Inspect h"]
    values = browser.execute_script(
        "return [...document.querySelectorAll('text.ng-neuron')].map(t => t.textContent)"
    )
    h = rec.net["h"]
    assert "h" in values and "a = 0.622" in values  # σ(0.5), three digits as drawn
    assert values.count("a = ?") == 3  # the softmax units are not computed yet
    assert browser.find_elements(By.CSS_SELECTOR, "g.edge.ng-pending")  # their edges dimmed
    assert h.a is None  # recording left the network as a new debugger does


def test_edge_labels(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    """An edge shows w, then ∂C/∂w once its neuron's δ is known, then the new w."""
    _, page = small
    net = skip_dag()
    h, unit = net["h"], net["out.3"]
    net.forward([1.0, 0.5])
    net.backward(2, cost=ng.LogLikelihoodCost())
    w, grad = net.graph.edges[h, unit]["weight"], net.graph.edges[h, unit]["grad"]
    label = 'g.edge[id="h->out.3"] > text'
    open_page(browser, page)
    assert text_of(browser, label) == fmt(w)
    press(browser, "Step forward", 5)  # the forward pass (4) and the cost: still w
    assert text_of(browser, label) == fmt(w)
    press(browser, "Step forward")  # the backward step of out.3 (the softmax's δ, all at once)
    assert text_of(browser, label) == fmt(grad)
    assert text_of(browser, 'g.edge[id="x2->h"] > text') == "?"  # h's δ comes later
    press(browser, "End")  # w ← w − η ∂C/∂w with η = 0.5
    assert text_of(browser, label) == fmt(w - 0.5 * grad)
    check_clean(browser)


def test_inspector_matches_python(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    rec, page = small
    open_page(browser, page)
    press(browser, "Step forward", 9)  # forward (4), cost, backward of out.3, out.2, out.1, h
    click_neuron(browser, "out.2")
    kwargs = {"x": [1.0, 0.5], "y": 2, "cost": "log-likelihood", "eta": 0.5}
    assert text_of(browser, "#ng-report") == inspect_at(rec.net, 9, "out.2", **kwargs)
    assert "Inspect" in text_of(browser, "#ng-inspector-title")
    press(browser, "Step back")  # the open inspector follows the position
    assert text_of(browser, "#ng-report") == inspect_at(rec.net, 8, "out.2", **kwargs)
    outline = browser.find_element(By.CSS_SELECTOR, '[aria-label="Inspect h"]')
    outline.send_keys(Keys.ENTER)
    assert text_of(browser, "#ng-report") == inspect_at(rec.net, 8, "h", **kwargs)
    check_clean(browser)


def test_play_and_pause(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    rec, page = small
    open_page(browser, page)
    browser.find_element(By.ID, "ng-speed").send_keys("12")
    press(browser, "Play")
    deadline = time.monotonic() + 5
    while status(browser) == "" and time.monotonic() < deadline:
        time.sleep(0.05)
    press(browser, "Pause")
    where = text_of(browser, "#ng-where")
    time.sleep(0.3)
    assert text_of(browser, "#ng-where") == where  # paused: it stays put
    k = int(where.split(" / ")[0])
    assert 1 <= k <= len(rec)
    assert status(browser) == str(rec.events[k - 1])
    press(browser, "Play")
    deadline = time.monotonic() + 5
    while text_of(browser, "#ng-where") != f"{len(rec)} / {len(rec)}":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert browser.find_element(By.ID, "ng-play").is_enabled()  # it stopped at the end
    check_clean(browser)


def test_large_type_and_labels(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    _, page = small
    open_page(browser, page)
    press(browser, "Large type")
    assert "ng-large" in str(browser.find_element(By.TAG_NAME, "body").get_attribute("class"))
    large = browser.find_element(By.CSS_SELECTOR, '[aria-label="Large type"]')
    assert large.get_attribute("aria-pressed") == "true"
    for name in ("Play", "Pause", "Step back", "Step forward", "Restart", "Position", "Speed"):
        assert browser.find_elements(By.CSS_SELECTOR, f'[aria-label="{name}"]'), name
    check_clean(browser)


def test_output_label(browser: Any, tiny_net: ng.Network, tmp_path: Path, dot: str) -> None:
    net = with_labels(tiny_net, ["spam"])
    page = ng.record(net, [0.3, -0.7], 1.0).save_html(tmp_path / "labels.html")
    open_page(browser, page)
    choose(browser, "L3.1")
    assert text_of(browser, "#ng-label") == "label: spam"
    # the diagram names the output `L3.1 · "spam"`: it is still found, highlighted and clickable
    outline = browser.find_element(By.CSS_SELECTOR, "[aria-label='Inspect L3.1 · \"spam\"']")
    choose(browser, "L2.1")
    outline.send_keys(Keys.ENTER)  # focused in the diagram, as a keyboard user does
    assert text_of(browser, "#ng-label") == "label: spam"
    choose(browser, "L2.1")
    assert not browser.find_element(By.ID, "ng-label").is_displayed()
    check_clean(browser)


def test_on_a_phone(browser: Any, small: tuple[ng.Recording, Path]) -> None:
    """At a phone's width the inspector goes under the diagram, and nothing scrolls sideways."""
    _, page = small
    browser.set_window_size(390, 844)
    try:
        open_page(browser, page)
        view = browser.find_element(By.ID, "ng-view").rect
        inspector = browser.find_element(By.ID, "ng-inspector").rect
        assert inspector["y"] >= view["y"] + view["height"]
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")
        press(browser, "Step forward")
        check_clean(browser)
    finally:
        browser.set_window_size(1280, 900)


def test_in_a_notebook_frame(
    browser: Any, small: tuple[ng.Recording, Path], tmp_path: Path
) -> None:
    """As Jupyter (or an nbconvert export) shows it: two players in frames on one page."""
    rec, _ = small
    page = tmp_path / "notebook.html"
    body = rec._repr_html_() + rec._repr_html_()
    page.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    assert html.unescape(rec._repr_html_().split('srcdoc="')[1].split('"')[0]) == rec.html()
    open_page(browser, page)
    frames = browser.find_elements(By.TAG_NAME, "iframe")
    assert len(frames) == 2
    browser.switch_to.frame(frames[1])
    press(browser, "Step forward", 2)
    assert status(browser) == str(rec.events[1])
    browser.switch_to.default_content()
    browser.switch_to.frame(frames[0])
    assert status(browser) == ""  # the other player did not move
    browser.switch_to.default_content()
    logs = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert logs == []


def test_in_an_nbconvert_export(
    browser: Any, small: tuple[ng.Recording, Path], tmp_path: Path
) -> None:
    """A notebook showing the recording, exported with nbconvert --to html: no kernel."""
    import nbconvert
    import nbformat

    rec, _ = small
    shown = {"text/html": rec._repr_html_(), "text/plain": repr(rec)}
    cell = nbformat.v4.new_code_cell(
        "rec", outputs=[nbformat.v4.new_output("execute_result", shown, execution_count=1)]
    )
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["language_info"] = {"name": "python", "pygments_lexer": "python3"}
    body, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    page = tmp_path / "exported.html"
    page.write_text(body, encoding="utf-8")
    open_page(browser, page)
    browser.switch_to.frame(
        browser.find_element(By.CSS_SELECTOR, 'iframe[title="neurograph player"]')
    )
    press(browser, "End")
    assert status(browser) == str(rec.events[-1])
    browser.switch_to.default_content()


def test_mnist_pass(browser: Any, tmp_path: Path, dot: str) -> None:
    _, _, (X, labels) = ng.datasets.load_mnist()
    net = ng.layered([784, 30, 10], seed=0)
    y = int(labels[0])
    rec = ng.record(net, X[0], y, cost="cross-entropy")
    assert len(rec) == 30 + 10 + 1 + 10 + 30
    page = rec.save_html(tmp_path / "mnist.html")
    open_page(browser, page)
    press(browser, "Step forward", 3)
    assert status(browser) == str(rec.events[2])
    press(browser, "End")
    assert status(browser) == str(rec.events[-1])
    choose(browser, "L2.15")  # an elided hidden neuron: chosen by name
    expected = inspect_at(net, len(rec), "L2.15", x=X[0], y=y, cost="cross-entropy")
    assert text_of(browser, "#ng-report") == expected
    assert "… 779 more" in expected  # 784 inputs summarised as the CLI does
    click_neuron(browser, "L3.1")
    report = text_of(browser, "#ng-report")
    assert report == inspect_at(net, len(rec), "L3.1", x=X[0], y=y, cost="cross-entropy")
    check_clean(browser)


def edge_look(browser: Any, edge: str) -> tuple[str, float, str]:
    """An edge's stroke colour and width as drawn now, and its label."""
    path = browser.find_element(By.CSS_SELECTOR, f'g.edge[id="{edge}"] path')
    width = float(str(path.get_attribute("stroke-width")))
    return str(path.get_attribute("stroke")), width, text_of(browser, f'g.edge[id="{edge}"] > text')


def key(browser: Any) -> tuple[str, str]:
    return text_of(browser, "#ng-key .ng-key-fill"), text_of(browser, "#ng-key .ng-key-edges")


def test_each_phase_draws_one_encoding_and_its_key_says_which(
    browser: Any, small: tuple[ng.Recording, Path]
) -> None:
    """Forward: fill a, edges w; backward: fill δ, edges by ∂C/∂w; update: the new w and b."""
    _, page = small
    net = skip_dag()
    net.forward([1.0, 0.5])
    net.backward(2, cost=ng.LogLikelihoodCost())
    edges = net.graph.edges
    h, out3, x1 = net["h"], net["out.3"], net["x1"]
    w, grad = edges[h, out3]["weight"], edges[h, out3]["grad"]
    assert w > 0 > grad  # a thick blue edge in the forward pass, red in the backward pass
    largest_grad = max(abs(g) for _, _, g in edges(data="grad"))
    largest_w = max(abs(v) for _, _, v in edges(data="weight"))
    open_page(browser, page)
    svg_text = browser.execute_script(
        "return [...document.querySelectorAll('#ng-view svg text')].map(t => t.textContent)"
    )
    assert "fill" not in svg_text and "edges" not in svg_text  # no key there to go stale
    assert not [text for text in svg_text if "∝" in text or "> 0" in text]
    assert key(browser) == (
        f"fill: b, red < 0, blue > 0 (largest |b| = {fmt(1.0)})",
        f"edges: w, blue > 0, red < 0, width ∝ |w| (largest {fmt(largest_w)})",
    )
    press(browser, "Step forward")
    assert key(browser)[0] == "fill: a, from white (0) to dark green (1)"
    assert key(browser)[1].startswith("edges: w, ")
    forward = edge_look(browser, "h->out.3")
    assert forward[0].startswith(POS) and forward[2] == fmt(w)
    press(browser, "Step forward", 5)  # the forward pass, the cost, the backward step of out.3
    largest_delta = max(abs(n.delta) for n in [h, *net["out"].units])
    assert key(browser) == (
        f"fill: δ, red < 0, blue > 0 (largest |δ| = {fmt(largest_delta)})",
        f"edges: ∂C/∂w, blue > 0, red < 0, width ∝ |∂C/∂w| (largest {fmt(largest_grad)})",
    )
    colour, width, label = edge_look(browser, "h->out.3")
    assert colour.startswith(NEG) and label == fmt(grad)  # red: ∂C/∂w < 0
    assert width == pytest.approx(0.6 + 3.4 * abs(grad) / largest_grad, abs=0.01)
    x1_out3 = edge_look(browser, "x1->out.3")  # the largest |∂C/∂w|: the widest edge
    assert x1_out3[1] == pytest.approx(4.0, abs=0.01) and x1_out3[2] == fmt(edges[x1, out3]["grad"])
    pending = edge_look(browser, "x2->h")  # h's δ comes later: grey, thin, "?"
    assert pending == ("#bbbbbb", 0.8, "?")
    press(browser, "Step forward", 4)  # the backward steps of out.2, out.1, h; h's update
    assert key(browser)[0].startswith("fill: the new b, ")
    assert key(browser)[1].startswith("edges: the new w, ")
    values = browser.execute_script(
        "return [...document.querySelectorAll('text.ng-neuron')].map(t => t.textContent)"
    )
    assert f"b = {fmt(h.bias - 0.5 * h.delta, 3)}" in values  # h updated
    assert "b = ?" not in values  # the softmax units, not updated yet, show their current b
    assert values.count(f"b = {fmt(0.0, 3)}") == 3
    assert edge_look(browser, "h->out.3")[2] == fmt(w)  # its update comes later: w as it is
    press(browser, "End")
    assert edge_look(browser, "h->out.3")[2] == fmt(w - 0.5 * grad)
    check_clean(browser)
