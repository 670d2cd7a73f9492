"""The lab widget as a learner meets it: a real JupyterLab on 127.0.0.1, driven in Chromium.

The test starts JupyterLab in a temporary folder (a token, no browser of its own, stopped at
the end), opens a notebook, runs the cell that shows a lab, changes a weight in the widget and
reads the kernel's network; changes a weight in the kernel, refreshes and reads the widget; then
saves the notebook, exports it with ``nbconvert --to html`` and opens the export without a
kernel. Under CI=true a missing JupyterLab or anywidget fails rather than skips.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from optional import need
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: Set to a folder to keep the screenshot for the docs (docs/figures/notebook-lab.png).
FIGURES = os.environ.get("NEUROGRAPH_FIGURES")

CELLS = [
    "import neurograph as ng\n"
    'X, y = ng.datasets.toy("xor", n=40, seed=0)\n'
    "net = ng.layered([2, 3, 1], seed=0)\n"
    'lab = ng.lab(net, data=(X, y), cost="cross-entropy", eta=2.0)\n'
    "lab",
    'print("w =", net.weight("L1.1", "L2.1"), "b =", net["L2.2"].bias)',
    'net.set_weight("L1.1", "L2.1", -2.5)\nlab.refresh()',
]


def _notebook(path: Path) -> None:
    cells: list[dict[str, Any]] = [
        {
            "id": f"cell{i}",
            "cell_type": "code",
            "metadata": {},
            "source": s,
            "outputs": [],
            "execution_count": None,
        }
        for i, s in enumerate(CELLS)
    ]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    doc = {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(doc), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def jupyterlab(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A JupyterLab server on 127.0.0.1 in `tmp_path`, with a token; stopped at the end."""
    need("jupyterlab")
    need("anywidget")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
    }
    _notebook(tmp_path / "lab.ipynb")
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}",
        "--ServerApp.allow_root=True", "--LabApp.news_url=",
        "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=log, stderr=log, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(
                        "JupyterLab did not start:\n" + (tmp_path / "server.log").read_text()
                    )
                time.sleep(0.5)
        yield {"url": url, "token": token, "folder": tmp_path, "env": env}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


def _run_cell(browser: Any, index: int) -> None:
    """Select code cell `index` by clicking its prompt and run it with Shift+Enter.

    JupyterLab may first ask which kernel to use (the learner accepts its choice) or not be
    listening yet: the keys are pressed again until the cell's prompt shows it queued or ran.
    """

    def prompt() -> Any:
        cell = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")[index]
        return cell.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt")

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        before = prompt().text
        ActionChains(browser).move_to_element(prompt()).click().perform()
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(
            Keys.SHIFT
        ).perform()
        time.sleep(2)
        _accept_dialogs(browser)
        if prompt().text != before:
            return
    pytest.fail(f"JupyterLab did not run cell {index}")


def _output(browser: Any, index: int, seconds: float = 60) -> str:
    """The text the output area of code cell `index` shows, once it shows some."""

    def text(b: Any) -> str | None:
        cells = b.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")
        found = cells[index].find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output pre")
        return found[0].text if found and found[0].text else None

    return str(WebDriverWait(browser, seconds).until(text))


def _accept_dialogs(browser: Any) -> None:
    """Accept what JupyterLab asks (which kernel to start), as a learner would."""
    for accept in browser.find_elements(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"):
        accept.click()


def _widget(browser: Any) -> Any:
    """The lab widget, once drawn (``data-ready`` on its element)."""

    def drawn(b: Any) -> Any:
        _accept_dialogs(b)
        return b.find_element(By.CSS_SELECTOR, '.ng-widget[data-ready="true"]')

    try:
        return WebDriverWait(browser, 90).until(drawn)
    except TimeoutException:
        outputs = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")]
        prompts = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".jp-InputArea-prompt")]
        logs = browser.get_log("browser")
        pytest.fail(f"no lab widget: prompts {prompts}, outputs {outputs}, console {logs}")


def _choose_edge(widget: Any, text: str) -> Any:
    Select(widget.find_element(By.CSS_SELECTOR, '[aria-label="Edge"]')).select_by_visible_text(text)
    return widget.find_element(By.CSS_SELECTOR, '[aria-label="Weight"]')


def test_widget_edits_the_kernels_network_both_ways(
    browser: Any, jupyterlab: dict[str, Any]
) -> None:
    browser.get(f"{jupyterlab['url']}/lab/tree/lab.ipynb?token={jupyterlab['token']}")
    WebDriverWait(browser, 90).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell .jp-InputArea-editor")
    )
    WebDriverWait(browser, 90).until(  # the kernel has started
        lambda b: b.find_elements(
            By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']"
        )
    )
    _run_cell(browser, 0)
    widget = _widget(browser)

    weight = _choose_edge(widget, "L1.1 → L2.1")
    weight.send_keys(Keys.CONTROL, "a")
    weight.send_keys("1.75")
    bias = widget.find_element(By.CSS_SELECTOR, '[aria-label="Bias"]')
    Select(widget.find_element(By.CSS_SELECTOR, '[aria-label="Neuron"]')).select_by_visible_text(
        "L2.2"
    )
    bias.send_keys(Keys.CONTROL, "a")
    bias.send_keys("-0.5")
    time.sleep(1)  # the edits travel to the kernel
    _run_cell(browser, 1)
    assert _output(browser, 1) == "w = 1.75 b = -0.5"

    if FIGURES:  # the docs' picture: JupyterLab with the lab, without the news toast
        for no in browser.find_elements(By.XPATH, "//button[normalize-space()='No']"):
            no.click()
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", bias)
        time.sleep(0.5)
        browser.save_screenshot(str(Path(FIGURES) / "notebook-lab.png"))

    _run_cell(browser, 2)  # net.set_weight(..., -2.5); lab.refresh()
    WebDriverWait(browser, 60).until(
        lambda b: _choose_edge(_widget(b), "L1.1 → L2.1").get_property("value") == "-2.5"
    )
    assert "C = " in _widget(browser).find_element(By.CSS_SELECTOR, ".ng-output").text

    # Save, export without a kernel, and open the export: the lab's last state, working.
    editor = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-InputArea-editor")[1]
    ActionChains(browser).click(editor).perform()
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    folder = jupyterlab["folder"]
    WebDriverWait(browser, 30).until(
        lambda b: "w = 1.75" in (folder / "lab.ipynb").read_text(encoding="utf-8")
    )
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(folder / "lab.ipynb")],
        env=jupyterlab["env"], check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    browser.get((folder / "lab.html").as_uri())
    frame = WebDriverWait(browser, 30).until(
        lambda b: b.find_element(By.CSS_SELECTOR, 'iframe[title="neurograph lab"]')
    )
    browser.switch_to.frame(frame)
    try:
        WebDriverWait(browser, 30).until(
            lambda b: b.execute_script("return document.getElementById('ng-lab').dataset.ready")
        )
        values = browser.execute_script("return window.neurograph.live.values()")
        assert values["edges"]["L1.1->L2.1"]["w"] == -2.5
        assert (
            browser.execute_script("return window.neurograph.live.model()")["neurons"][1]["bias"]
            == -0.5
        )
    finally:
        browser.switch_to.default_content()
