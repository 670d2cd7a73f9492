"""Regenerate the screenshot of docs/player.md: ``python docs/make_player_figure.py [--out DIR]``.

Records a pass through the mixed network of ``make_figures.py`` (a skip connection, a
perceptron made sigmoid, a softmax layer), opens its page in headless Debian Chromium, steps
into the backward pass, opens the inspector on ``h2`` and saves ``player.png``. Needs
Graphviz's ``dot``, ``/usr/bin/chromium`` and ``/usr/bin/chromedriver``.
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

import neurograph as ng

FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --window-size=1200,820"
)


def main(argv: list[str] | None = None) -> Path:
    """Write the screenshot; returns its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for the figure")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    net = mixed_network().sigmoidized()
    rec = ng.record(net, [1.0, 0.0, 1.0], 0, cost="log-likelihood", eta=0.5)
    path = args.out / "player.png"
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
        finally:
            driver.quit()
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return path


if __name__ == "__main__":
    main()
