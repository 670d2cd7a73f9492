"""Regenerate the screenshot of docs/lab.md: ``python docs/make_lab_figure.py [--out DIR]``.

Writes the lab of a [2, 4, 2] network on xor, opens it in headless Debian Chromium, trains it
for 150 epochs in the page, selects the hidden neuron ``L2.1`` and saves ``lab.png``. Needs
``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (the layout runs in the page).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from make_figures import FIGURES
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import neurograph as ng

FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --window-size=1280,1050"
)


def main(argv: list[str] | None = None) -> Path:
    """Write the screenshot; returns its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for the figure")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    X, y = ng.datasets.toy("xor", n=200, seed=0)
    lab = ng.lab(ng.layered([2, 4, 2], seed=0), data=(X, y), cost="cross-entropy", eta=3.0)
    with tempfile.TemporaryDirectory() as folder:
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*FLAGS.split(), f"--user-data-dir={folder}/profile"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            page = lab.save_html(Path(folder) / "lab.html")
            driver.get(page.resolve().as_uri())
            WebDriverWait(driver, 30).until(
                lambda d: d.execute_script("return document.getElementById('ng-lab').dataset.ready")
            )
            driver.execute_script(
                "for (let i = 0; i < 150; i++) window.neurograph.live.trainEpoch()"
            )
            Select(
                driver.find_element(By.CSS_SELECTOR, '[aria-label="Neuron"]')
            ).select_by_visible_text("L2.1")
            path = args.out / "lab.png"
            driver.save_screenshot(str(path))
        finally:
            driver.quit()
    return path


if __name__ == "__main__":
    print(main())
