"""Regenerate the screenshots of docs/player.md: ``python docs/make_player_figure.py [--out DIR]``.

Records a pass through the mixed network of ``make_figures.py`` (a skip connection, a
perceptron made sigmoid, a softmax layer), opens its page in headless Debian Chromium, steps
into the backward pass, opens the inspector on ``h2`` and saves ``player.png``; then trains
``[2, 8, 2]`` on xor with ``record=True``, opens the page replaying it at epoch 3 and saves
``training-player.png``. Needs Graphviz's ``dot``, ``/usr/bin/chromium`` and
``/usr/bin/chromedriver``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from make_figures import FIGURES, mixed_network
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import neurograph as ng

FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --window-size=1200,820"
)


def main(argv: list[str] | None = None) -> list[Path]:
    """Write the screenshots; returns their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for the figure")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    net = mixed_network().sigmoidized()
    rec = ng.record(net, [1.0, 0.0, 1.0], 0, cost="log-likelihood", eta=0.5)
    path, training = args.out / "player.png", args.out / "training-player.png"
    with tempfile.TemporaryDirectory() as folder:
        page = rec.save_html(Path(folder) / "pass.html")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*FLAGS.split(), f"--user-data-dir={folder}/profile"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(
            service=Service(executable_path="/usr/bin/chromedriver"), options=options
        )
        try:
            driver.get(page.as_uri())
            forward = driver.find_element(By.CSS_SELECTOR, '[aria-label="Step forward"]')
            for _ in range(10):  # forward (6), the cost, then back through the softmax
                forward.click()
            h2 = driver.find_element(By.CSS_SELECTOR, '[aria-label="Inspect h2"]')
            ActionChains(driver).move_to_element(h2).click().perform()
            driver.save_screenshot(str(path))
            net = ng.layered([2, 8, 2], seed=0)
            data = ng.datasets.toy("xor", n=400, seed=0)
            history = net.compile().sgd(
                data, 30, 10, 3.0, evaluation_data=data, monitor_evaluation_accuracy=True,
                monitor_evaluation_cost=True, record=True, seed=0,
            )  # fmt: skip
            driver.set_window_size(1200, 1180)  # tall enough for the decision maps
            driver.get(history.save_html(Path(folder) / "training.html", net, data).as_uri())
            forward = driver.find_element(By.CSS_SELECTOR, '[aria-label="Step forward"]')
            for _ in range(3):  # the snapshot after epoch 3
                forward.click()
            Select(driver.find_element(By.ID, "ng-choose")).select_by_visible_text("L3.1")
            driver.save_screenshot(str(training))
        finally:
            driver.quit()
    for written in (path, training):
        print(f"wrote {written} ({written.stat().st_size // 1024} KB)")
    return [path, training]


if __name__ == "__main__":
    main()
