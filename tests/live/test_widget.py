"""The notebook widget's Python side: its front end, its messages, its display and refresh."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from optional import need

import neurograph as ng
from neurograph.live import widget
from neurograph.live.page import MODULES, linked

need("anywidget")


def make_lab() -> ng.Lab:
    X, y = ng.datasets.toy("xor", n=20, seed=0)
    return ng.lab(ng.layered([2, 3, 1], seed=0), data=(X, y), cost="cross-entropy", eta=2.0)


class Shown:
    """What IPython's display returns with a display_id: it records its updates."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []

    def update(self, bundle: dict[str, Any], raw: bool = False) -> None:
        self.updates.append(bundle)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every bundle `lab` displays (IPython's display replaced by a recorder)."""
    import IPython.display

    bundles: list[dict[str, Any]] = []

    def record(bundle: dict[str, Any], raw: bool = False, display_id: Any = None) -> Shown:
        bundles.append(bundle)
        return Shown()

    monkeypatch.setattr(IPython.display, "display", record)
    return bundles


def test_front_end_is_the_labs_own_modules() -> None:
    esm = widget.esm()
    assert linked(tuple(m for m in MODULES if m != "main")) in esm  # all but the page's start
    assert 'from "./' not in esm and "_main" not in esm
    assert esm.rstrip().endswith("export default { render: _widget.render };")
    assert "Viz.js 3.31.0" in esm


@pytest.mark.skipif(shutil.which("node") is None, reason="no node to check the module's syntax")
def test_front_end_is_one_valid_es_module(tmp_path: Path) -> None:
    (tmp_path / "widget.mjs").write_text(widget.esm(), encoding="utf-8")
    done = subprocess.run(
        ["node", "--check", str(tmp_path / "widget.mjs")], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()


def test_css_is_scoped_to_the_widget() -> None:
    css = widget.css()
    selectors = re.findall(r"^([^{}/\s][^{}]*)\{", css, flags=re.MULTILINE)
    assert selectors and all(
        s.startswith(".ng-widget") for sel in selectors for s in sel.split(", ")
    )
    assert ".ng-widget {" in css and "\nbody" not in css and "\nbutton {" not in css


def test_edits_from_the_widget_change_lab_net() -> None:
    lab = make_lab()
    made = widget.widget_of(lab)
    assert made.state == lab.state() and widget.widget_of(lab) is made
    h = lab.net["L2.1"]
    widget._receive(
        lab, {"type": "edits", "ops": [{"op": "set_bias", "neuron": "L2.1", "b": 0.75}]}
    )
    assert lab.net["L2.1"] is h and h.bias == 0.75
    assert made.state["model"]["neurons"][0]["bias"] == 0.75


def test_a_refused_edit_sends_the_kernels_state_and_the_apis_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lab = make_lab()
    made = widget.widget_of(lab)
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(made, "send", sent.append)
    before = lab.net.to_dict()
    bad = [
        {"op": "set_bias", "neuron": "L2.1", "b": 9.0},
        {"op": "connect", "src": "L3.1", "dst": "L2.1", "w": 1},
    ]
    widget._receive(lab, {"type": "edits", "ops": bad})
    assert lab.net.to_dict() == before
    assert len(sent) == 1 and sent[0]["type"] == "state" and sent[0]["state"] == lab.state()
    assert sent[0]["message"].startswith("GraphError: edge 'L3.1' -> 'L2.1' would close the cycle")
    widget._receive(lab, {"type": "something else"})
    widget._receive(lab, ["not", "a", "message"])
    assert len(sent) == 1


def test_display_carries_the_widget_and_the_page(shown: list[dict[str, Any]]) -> None:
    lab = make_lab()
    lab._ipython_display_()
    (bundle,) = shown
    assert (
        bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
        == widget.widget_of(lab).model_id
    )
    assert (
        bundle["text/html"].startswith('<iframe srcdoc="')
        and widget.INSTALL not in bundle["text/html"]
    )


def test_without_the_extra_the_page_says_how_to_get_the_widget(
    shown: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(widget, "has_widget", lambda: False)
    lab = make_lab()
    lab._ipython_display_()
    (bundle,) = shown
    assert set(bundle) == {"text/html", "text/plain"}
    assert "pip install &#x27;neurograph[notebook]&#x27;" in bundle["text/html"]
    assert lab.view is None
    lab.refresh()  # nothing to redraw


def test_refresh_redraws_after_python_changes(shown: list[dict[str, Any]]) -> None:
    lab = make_lab()
    lab._ipython_display_()
    lab.net.set_weight("L1.1", "L2.1", -2.5)
    lab.refresh()
    assert ["L1.1", "L2.1", -2.5] in widget.widget_of(lab).state["model"]["edges"]
    (update,) = lab.display_handle.updates
    assert "-2.5" in update["text/html"] and "application/vnd.jupyter.widget-view+json" in update


def test_refresh_of_an_undisplayed_widget_sends_the_state(monkeypatch: pytest.MonkeyPatch) -> None:
    lab = make_lab()
    made = widget.widget_of(lab)
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(made, "send", sent.append)
    lab.net["L3.1"].bias = 0.125
    lab.refresh()
    assert sent == [{"type": "state", "state": lab.state(), "message": ""}]


def test_show_epochs_streams_a_python_training_run(monkeypatch: pytest.MonkeyPatch) -> None:
    lab = make_lab()
    made = widget.widget_of(lab)
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(made, "send", sent.append)
    fast = lab.net.compile()
    Y = np.eye(2)[lab.y][:, 1:]
    fast.sgd((lab.X, Y), 3, 5, 2.0, seed=0, callback=lab.show_epochs(fast))
    assert [m["epoch"] for m in sent] == [1, 2, 3] and {m["type"] for m in sent} == {"epoch"}
    trained = ng.layered([2, 3, 1], seed=0)
    trained.load_parameters(fast)
    assert sent[-1]["model"] == made.state["model"]
    assert lab.net.to_dict()["edges"] == trained.to_dict()["edges"]
