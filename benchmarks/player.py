"""The pass player for [784, 30, 10] on an MNIST image: page size, first paint, step time.

python benchmarks/player.py [--repeats 3]

Targets: a file of at most 3 MB, a first frame painted within 1 s and each step updated
within 50 ms, in headless Debian Chromium (``/usr/bin/chromium``, ``/usr/bin/chromedriver``).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

import neurograph as ng

FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --window-size=1280,900"
)

# One step: press "Step forward", then wait for the frame after it to be painted.
STEP = """
const done = arguments[arguments.length - 1];
const start = performance.now();
document.getElementById("ng-forward").click();
requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
"""


# When the first frame was painted, in ms since the navigation began (waits for the entry).
PAINT = """
const done = arguments[arguments.length - 1];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.name === "first-contentful-paint") done(e.startTime);
}).observe({ type: "paint", buffered: true });
"""


def main() -> None:
    """Print the page's size, its first paint and the median and worst step, in ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    _, _, (X, labels) = ng.datasets.load_mnist()
    net = ng.layered([784, 30, 10], seed=0)
    start = time.perf_counter()
    rec = ng.record(net, X[0], int(labels[0]), cost="cross-entropy", eta=3.0)
    recorded = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        page = rec.save_html(Path(folder) / "pass.html")
        size = page.stat().st_size
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*FLAGS.split(), f"--user-data-dir={folder}/profile"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(
            service=Service(executable_path="/usr/bin/chromedriver"), options=options
        )
        paints, frames, steps = [], [], []
        try:
            for _ in range(args.repeats):
                driver.get(page.as_uri())
                paints.append(driver.execute_async_script(PAINT))
                frames.append(
                    driver.execute_script(
                        "return performance.getEntriesByName('ng-first-frame')[0].startTime"
                    )
                )
                steps += [driver.execute_async_script(STEP) for _ in range(len(rec))]
        finally:
            driver.quit()
    print(f"[784, 30, 10], {len(rec)} events (with an update), recorded in {recorded:.2f} s")
    print(f"page size:          {size / 1e6:6.2f} MB   (target <= 3 MB)")
    print(f"first paint (FCP):  {statistics.median(paints):6.0f} ms   (target <= 1000 ms)")
    print(f"first frame drawn:  {statistics.median(frames):6.0f} ms   (script done)")
    median, worst = statistics.median(steps), max(steps)
    print(f"step (to a paint):  {median:6.1f} ms median, {worst:.1f} ms worst (target <= 50 ms)")


if __name__ == "__main__":
    main()
