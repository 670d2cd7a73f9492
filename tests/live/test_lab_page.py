"""The lab in headless Chromium, as a learner meets it: edit, step, train, save, share, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from lab_helpers import call, open_lab, wait_ready
from page_helpers import check_clean, click_neuron, open_page, press, status
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import neurograph as ng
from neurograph.commands.lab import starter_network
from neurograph.io.files import from_document

pytestmark = pytest.mark.slow


def small() -> ng.Network:
    """x1, x2 -> h1, h2 -> out: the tour's network."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})
    h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={x1: 0.5, x2: 2.0})
    net.add(ng.SigmoidNeuron(bias=0.25, name="out"), inputs={h1: 1.5, h2: -2.0})
    return net


def field(browser: Any, name: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f'[aria-label="{name}"]')


def type_into(browser: Any, name: str, text: str) -> None:
    """Replace a field's text as a user does, then leave it (its change event)."""
    box = field(browser, name)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text, Keys.TAB)


def test_set_a_weight_by_its_control(browser: Any, tmp_path: Path) -> None:
    """Choose the edge h2 → out, type a weight: the page's output is Python's for that weight."""
    net = small()
    open_lab(browser, tmp_path / "lab.html", ng.lab(net, x=[1.0, 0.0], y=1.0))
    Select(field(browser, "Edge")).select_by_visible_text("h2 → out")
    type_into(browser, "Weight", "-3.5")
    net.set_weight("h2", "out", -3.5)
    a = float(net.forward([1.0, 0.0])[0])
    values = call(browser, "values")
    assert values["neurons"]["out"]["a"] == pytest.approx(a, abs=1e-15)
    assert values["edges"]["h2->out"]["w"] == -3.5
    output = browser.find_element(By.CSS_SELECTOR, ".ng-output").text
    assert output.startswith(f"output a = [{a:.4g}]")
    drawn = browser.find_element(By.CSS_SELECTOR, '[aria-label="Inspect out"]').text
    assert f"a = {a:.3g}" in drawn
    field(browser, "Drag the weight").send_keys(Keys.ARROW_RIGHT)  # or drag it with the mouse
    assert call(browser, "values")["edges"]["h2->out"]["w"] == pytest.approx(-3.49)
    check_clean(browser)


def test_stepping_shows_the_debuggers_texts(browser: Any, tmp_path: Path) -> None:
    """Restart, then Step forward through the pass: each status is Python's str(event)."""
    net = small()
    open_lab(browser, tmp_path / "lab.html", ng.lab(net, x=[1.0, 0.0], y=1.0, eta=0.5))
    dbg = ng.Debugger(net, [1.0, 0.0], 1.0, ng.QuadraticCost(), eta=0.5)
    texts = [str(dbg.step()) for _ in range(dbg.total)]
    press(browser, "Restart")
    assert status(browser) == ""
    for text in texts:
        press(browser, "Step forward")
        assert status(browser) == text
    press(browser, "Step back")
    assert status(browser) == texts[-2]
    field(browser, "Inspect h1").send_keys(Keys.ENTER)  # keyboard: the neuron's equations
    assert "z[h1] = Σ w·a + b = 1 × 1 + (-1) × 0 + 0.5 = 1.5" in field(browser, "Inspector").text
    ActionChains(browser).send_keys(Keys.HOME).perform()
    assert status(browser) == ""
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    assert status(browser) == texts[0]
    ActionChains(browser).send_keys(Keys.SPACE).perform()  # Space plays, and pauses
    assert field(browser, "Pause").is_enabled() and not field(browser, "Play").is_enabled()
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    assert field(browser, "Play").is_enabled() and not field(browser, "Pause").is_enabled()
    check_clean(browser)


def test_structure_edits_redraw_the_diagram(browser: Any, tmp_path: Path) -> None:
    """Add a neuron beside h1, then a layer, then remove them: the diagram and model follow."""
    open_lab(browser, tmp_path / "lab.html", ng.lab(small(), x=[1.0, 0.0], y=1.0))
    click_neuron(browser, "h1")
    press(browser, "Add neuron")
    wait_ready(browser)
    nodes = lambda: len(browser.find_elements(By.CSS_SELECTOR, "#ng-lab svg g.node"))  # noqa: E731
    _wait(browser, lambda: nodes() == 6)
    model = call(browser, "model")
    added = [n["name"] for n in model["neurons"] if n["name"] not in ("h1", "h2", "out")]
    assert len(added) == 1
    assert {(s, t) for s, t, _ in model["edges"] if added[0] in (s, t)} == {
        ("x1", added[0]),
        ("x2", added[0]),
        (added[0], "out"),
    }
    press(browser, "Add layer")
    _wait(browser, lambda: nodes() == 9)
    net = from_document(call(browser, "model"))  # Python reads what the page built
    assert len(net.neurons) == 7
    press(browser, "Remove layer")
    _wait(browser, lambda: nodes() == 6)
    Select(field(browser, "Neuron")).select_by_visible_text(added[0])
    press(browser, "Remove neuron")
    _wait(browser, lambda: nodes() == 5)
    Select(field(browser, "Neuron")).select_by_visible_text("out")
    Select(field(browser, "Kind")).select_by_visible_text("tanh")
    _wait(browser, lambda: call(browser, "model")["neurons"][-1]["kind"] == "tanh")
    check_clean(browser)


def test_points_added_by_clicking(browser: Any, tmp_path: Path) -> None:
    """Clicking the input plane adds a point of the chosen class where it was clicked."""
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    open_lab(browser, tmp_path / "lab.html", ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y)))
    Select(field(browser, "Class")).select_by_visible_text("1")
    plane = field(browser, "Input plane")
    ActionChains(browser).move_to_element_with_offset(plane, 0, 0).click().perform()
    points = call(browser, "data")
    assert len(points) == 21 and points[-1][1] == 1
    assert all(abs(v) < 0.3 for v in points[-1][0])  # the middle of a plane around the data
    assert "Added the point" in status(browser)
    check_clean(browser)


@pytest.mark.parametrize("name", ["xor", "circles", "moons"])
def test_training_in_the_page_generalizes(browser: Any, tmp_path: Path, name: str) -> None:
    """Train with the Train button: at least 95 % on held-out points, in Python, from the page's
    saved model; Reset returns to the same initial weights."""
    X, y = ng.datasets.toy(name, n=200, seed=0)
    start = starter_network(2, 2, name, seed=0)
    lab = ng.lab(start, data=(X, y), cost="cross-entropy", eta=3.0)
    open_lab(browser, tmp_path / "lab.html", lab)
    press(browser, "Train")
    _wait(browser, lambda: int(field(browser, "Epoch").text) >= 200, timeout=240)
    press(browser, "Pause training")
    trained = from_document(call(browser, "model"))
    X_test, y_test = ng.datasets.toy(name, n=400, seed=1)
    accuracy = trained.compile().accuracy((X_test, y_test))
    assert accuracy >= 0.95, accuracy
    assert trained.meta["training"]["epochs"] == int(field(browser, "Epoch").text)
    a = call(browser, "values")["neurons"]["L3.1"]["a"]
    assert trained.forward(X[0])[0] == pytest.approx(a, abs=1e-12)  # what the page showed
    press(browser, "Reset")
    _wait(browser, lambda: field(browser, "Epoch").text == "0")
    assert call(browser, "model")["edges"] == start.to_dict()["edges"]
    check_clean(browser)


def test_the_fragment_reproduces_the_state(browser: Any, tmp_path: Path) -> None:
    """After edits, the page's address holds its state: a new page opened with it shows it."""
    X, y = ng.datasets.toy("moons", n=30, seed=0)
    lab = ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y))
    open_lab(browser, tmp_path / "lab.html", lab)
    call(browser, "setWeight", "L1.1", "L2.1", 2.5)
    call(browser, "addPoint", [0.5, 0.25], 1)
    call(browser, "setEta", 0.125)
    _wait(browser, lambda: browser.execute_script("return location.hash") != "")  # after 0.2 s
    fragment = browser.execute_script("return location.hash").lstrip("#")
    before = call(browser, "state")
    open_lab(browser, tmp_path / "lab.html", lab, fragment=fragment)
    assert call(browser, "state") == before
    assert field(browser, "η").get_property("value") == "0.125"
    check_clean(browser)


HOSTILE = [
    "lab=%%%",  # not base64
    "lab=" + "A" * 40,  # not JSON
    "nothing-here",
]


def _fragment(state: dict[str, Any]) -> str:
    import base64

    text = base64.urlsafe_b64encode(json.dumps(state).encode("utf-8")).decode("ascii")
    return "lab=" + text.rstrip("=")


def test_hostile_fragments_get_a_message(browser: Any, tmp_path: Path) -> None:
    """A fragment that is not a lab's state, or a state with markup, a cycle or bad values,
    leaves the page as Python wrote it, with a message; no markup runs."""
    lab = ng.lab(small(), x=[1.0, 0.0], y=1.0)
    good = lab.state()
    marked = json.loads(json.dumps(good))
    marked["model"]["neurons"][0]["name"] = "<img src=x onerror=alert(1)>"
    marked["model"]["edges"] = [
        [("<img src=x onerror=alert(1)>" if n == "h1" else n) for n in e[:2]] + [e[2]]
        for e in marked["model"]["edges"]
    ]
    cycle = json.loads(json.dumps(good))
    cycle["model"]["edges"].append(["out", "h1", 1.0])
    bad_eta = {**good, "eta": -1}
    bad_data = {**good, "data": {"X": [[1.0]], "y": [0]}}
    for fragment in [*HOSTILE, _fragment(cycle), _fragment(bad_eta), _fragment(bad_data)]:
        open_lab(browser, tmp_path / "lab.html", lab, fragment=fragment)
        if fragment.startswith("lab="):
            assert status(browser).startswith("The link's state was not used"), fragment
        assert call(browser, "state")["model"] == good["model"]
        check_clean(browser)
    open_lab(browser, tmp_path / "lab.html", lab, fragment=_fragment(marked))
    assert browser.find_elements(By.CSS_SELECTOR, "#ng-lab img") == []
    names = [o.text for o in Select(field(browser, "Neuron")).options]
    assert "<img src=x onerror=alert(1)>" in names  # as text, never as markup
    check_clean(browser)


def test_hostile_model_files_are_refused(browser: Any, tmp_path: Path) -> None:
    """The checks of Python's loader, in the page: a clear message, and the page keeps working."""
    open_lab(browser, tmp_path / "lab.html", ng.lab(small(), x=[1.0, 0.0], y=1.0))
    good = {"format": "neurograph", "version": 1, **small().to_dict()}
    bad = [
        ({**good, "version": 2}, "unsupported version 2"),
        ({**good, "format": "other"}, "not a neurograph network"),
        ({**good, "neurons": [{"name": "h1", "kind": "magic", "bias": 0}]}, "'kind' must be"),
        ({**good, "edges": [["x1", "h1", "1"]]}, "each edge must be [source, target, weight]"),
        ({**good, "edges": [*good["edges"], ["out", "h1", 1.0]]}, "cycle"),
        ({**good, "labels": ["a", "b"]}, "one label per output"),
    ]
    for doc, message in bad:
        result = call(browser, "load", doc)
        assert message in result["error"], (message, result)
        assert call(browser, "model") == good
    big = "[" + ",".join(["0.5"] * (9 * 2**20 // 4 * 2)) + "]"
    text = browser.execute_script(
        "return (() => { try { window.neurograph.live.open(arguments[0]); return ''; }"
        " catch (e) { return e.message; } })()",
        big,
    )
    assert "up to 16 MB" in text
    call(browser, "setWeight", "h1", "out", 0.5)  # the page still works
    assert call(browser, "values")["edges"]["h1->out"]["w"] == 0.5
    check_clean(browser)


def test_digit_canvas_feeds_784_inputs(browser: Any, tmp_path: Path) -> None:
    """Drawing on the canvas of a [784, 30, 10] network sets 784 inputs, centred as MNIST's."""
    net = ng.layered([784, 30, 10], seed=0)
    open_lab(browser, tmp_path / "lab.html", ng.lab(net, y=3))
    canvas = field(browser, "Draw a digit")
    chain = ActionChains(browser).move_to_element_with_offset(canvas, -40, -60).click_and_hold()
    chain.move_by_offset(0, 120).release().perform()
    browser.execute_async_script(  # two frames: the stroke's last update has run
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));"
    )
    neurons = call(browser, "values")["neurons"]
    x = np.array([neurons[f"L1.{i}"]["a"] for i in range(1, 785)])
    assert x.shape == (784,) and x.max() > 0.5
    image = x.reshape(28, 28)
    rows, cols = np.nonzero(image > 0.05)
    assert rows.max() - rows.min() >= 17  # the stroke scaled to the 20-pixel box
    centre = np.array(
        [
            np.average(np.arange(28), weights=image.sum(axis=1)),
            np.average(np.arange(28), weights=image.sum(axis=0)),
        ]
    )
    assert np.all(np.abs(centre - 13.5) <= 1.0)
    np.testing.assert_allclose(
        [call(browser, "values")["neurons"][f"L3.{j}"]["a"] for j in range(1, 11)],
        net.forward(x),
        rtol=1e-12,
        atol=1e-12,
    )
    check_clean(browser)


def _wait(browser: Any, condition: Any, timeout: float = 20) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(lambda _: condition())


def test_save_model_and_open_model_as_files(browser: Any, tmp_path: Path) -> None:
    """Save model downloads the document ng.load reads; Open model reads a file back."""
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    open_lab(browser, tmp_path / "lab.html", ng.lab(small(), x=[1.0, 0.0], y=1.0))
    call(browser, "setBias", "h2", -1.25)
    press(browser, "Save model")
    _wait(browser, lambda: (tmp_path / "model.json").exists())
    net = ng.load(tmp_path / "model.json")
    assert net["h2"].bias == -1.25
    shown = call(browser, "values")["neurons"]["out"]["a"]
    assert net.forward([1.0, 0.0])[0] == pytest.approx(shown, abs=1e-12)
    other = ng.layered([2, 3, 1], seed=4)
    ng.save(other, tmp_path / "other.json")
    chooser = browser.find_element(By.CSS_SELECTOR, 'input[type="file"]')
    chooser.send_keys(str(tmp_path / "other.json"))
    _wait(browser, lambda: status(browser) == "Opened other.json")
    assert call(browser, "model") == json.loads((tmp_path / "other.json").read_text("utf-8"))
    (tmp_path / "bad.json").write_text('{"format": "neurograph", "version": 1, "inputs": 3}')
    chooser.send_keys(str(tmp_path / "bad.json"))
    _wait(browser, lambda: "field 'inputs' must be a list" in status(browser))
    assert call(browser, "model")["inputs"] == ["L1.1", "L1.2"]
    check_clean(browser)


def test_the_page_in_a_notebook_frame(browser: Any, tmp_path: Path) -> None:
    """As Jupyter shows a Lab: the page in a sandboxed srcdoc frame works, without errors."""
    lab = ng.lab(small(), x=[1.0, 0.0], y=1.0)
    page = tmp_path / "notebook.html"
    page.write_text(f"<!DOCTYPE html><html><body>{lab._repr_html_()}</body></html>", "utf-8")
    open_page(browser, page)
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe"))
    try:
        wait_ready(browser)
        call(browser, "setWeight", "h1", "out", 0.5)
        browser.execute_async_script("setTimeout(arguments[0], 400)")  # the state kept after 0.2 s
        assert call(browser, "values")["edges"]["h1->out"]["w"] == 0.5
    finally:
        browser.switch_to.default_content()
    check_clean(browser)


def test_a_state_too_large_for_a_link(browser: Any, tmp_path: Path) -> None:
    """Past 1.5 MB the page keeps no state in its address, and says to use Save model."""
    net = ng.layered([784, 100, 10], seed=0)  # 79,400 weights: about 2 MB as a link
    open_lab(browser, tmp_path / "lab.html", ng.lab(net, y=1))
    call(browser, "setBias", "L2.1", 0.5)
    share = browser.find_element(By.CSS_SELECTOR, ".ng-share")
    _wait(browser, lambda: share.text != "")
    assert share.text == "The state is too large for a link: use Save model."
    assert browser.execute_script("return location.hash") == ""
    check_clean(browser)


def test_decision_maps_show_each_neurons_activation(browser: Any, tmp_path: Path) -> None:
    """After training, each neuron's 32×32 map is its activation over the input plane, in the
    diagrams' green scale (pictures.style.sequential), as Python computes it."""
    from page_helpers import canvas_rgb

    from neurograph.pictures.style import sequential

    X, y = ng.datasets.toy("circles", n=60, seed=0)
    open_lab(browser, tmp_path / "lab.html", ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y)))
    for _ in range(5):
        call(browser, "trainEpoch")
    net = from_document(call(browser, "model"))
    span = [min(-1.0, X[:, i].min()) for i in (0, 1)], [max(1.0, X[:, i].max()) for i in (0, 1)]
    lo = [span[0][i] - 0.1 * (span[1][i] - span[0][i]) for i in (0, 1)]
    hi = [span[1][i] + 0.1 * (span[1][i] - span[0][i]) for i in (0, 1)]
    for name in ("L2.2", "L3.1"):
        pixels = canvas_rgb(browser, name)
        for r, c in [(0, 0), (5, 20), (16, 16), (31, 7), (31, 31)]:
            probe = [
                lo[0] + (c + 0.5) / 32 * (hi[0] - lo[0]),
                hi[1] - (r + 0.5) / 32 * (hi[1] - lo[1]),
            ]
            net.forward(probe)
            colour = sequential(net[name].a)
            expected = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
            assert np.abs(np.subtract(pixels[r * 32 + c], expected)).max() <= 2, (name, r, c)
    check_clean(browser)


def test_kind_softmax_makes_the_outputs_one_layer(browser: Any, tmp_path: Path) -> None:
    """Kind "softmax" on an output makes all outputs one softmax layer (and back); Python
    loads each network the page built and computes what it showed."""
    net = ng.layered([2, 3, 2], seed=0, labels=["a", "b"])
    open_lab(browser, tmp_path / "lab.html", ng.lab(net, x=[0.5, -1.0], y="b"))
    assert call(browser, "setKind", "L3.2", "softmax") is None
    model = call(browser, "model")
    layer = [n for n in model["neurons"] if n["kind"] == "softmax_layer"]
    assert len(layer) == 1 and len(layer[0]["biases"]) == 2 and model["labels"] == ["a", "b"]
    for change in [(model["outputs"][0], "sigmoid"), None]:
        built = from_document(call(browser, "model"))
        shown = call(browser, "values")["neurons"]
        a = built.forward([0.5, -1.0])
        np.testing.assert_allclose(a, [shown[n.name]["a"] for n in built.outputs], atol=1e-12)
        if change is not None:
            assert call(browser, "setKind", *change) is None
    assert {n["kind"] for n in call(browser, "model")["neurons"]} == {"sigmoid"}
    assert "softmax is for an output layer" in call(browser, "setKind", "L2.1", "softmax")["error"]
    check_clean(browser)


def test_negative_activations_are_red_not_white(browser: Any, tmp_path: Path) -> None:
    """As ng.draw colours a: a tanh neuron at a = −0.76 is red, not the white of a = 0."""
    net = ng.Network()
    (x,) = net.add_inputs(1)
    net.add(ng.TanhNeuron(name="t"), inputs={x: 1.0})
    net.add(ng.SigmoidNeuron(name="s"), inputs={x: 1.0})
    open_lab(browser, tmp_path / "lab.html", ng.lab(net, x=[-1.0], y=[0.5, 0.5]))

    def fill(name: str) -> tuple[int, int, int]:
        colour = browser.execute_script(
            "const g = document.querySelector(arguments[0]);"
            "return g.querySelector('ellipse, polygon, circle').getAttribute('fill');",
            f'[aria-label="Inspect {name}"]',
        )
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    red, green, blue = fill("t")
    assert red > blue + 60 and red > green + 60  # tanh(−1) = −0.76: red
    red, green, blue = fill("s")  # σ(−1) = 0.27 > 0: a light blue on this scale
    assert blue > red
    check_clean(browser)
