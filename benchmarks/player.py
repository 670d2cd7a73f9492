"""The players for [784, 30, 10]: a pass on an MNIST image, and 30 epochs of training replayed.

python benchmarks/player.py [--repeats 3] [--images 10000] [--epochs 30]

Targets of the pass player: a file of at most 3 MB, a first frame painted within 1 s and each
step updated within 50 ms; of the training player: at most 5 MB for 30 epochs. Both measured in
headless Debian Chromium (``/usr/bin/chromium``, ``/usr/bin/chromedriver``).
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


def in_chromium(page: Path, steps: int, repeats: int, folder: str) -> tuple[float, float, list]:
    """The median first paint and first frame (ms) of `page`, and every step's time (ms)."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [*FLAGS.split(), f"--user-data-dir={folder}/profile-{page.stem}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(
        service=Service(executable_path="/usr/bin/chromedriver"), options=options
    )
    paints, frames, times = [], [], []
    try:
        for _ in range(repeats):
            driver.get(page.as_uri())
            paints.append(driver.execute_async_script(PAINT))
            frames.append(
                driver.execute_script(
                    "return performance.getEntriesByName('ng-first-frame')[0].startTime"
                )
            )
            times += [driver.execute_async_script(STEP) for _ in range(steps)]
    finally:
        driver.quit()
    return statistics.median(paints), statistics.median(frames), times


def report(size: float, target: float, paint: float, frame: float, steps: list) -> None:
    """Print one page's numbers."""
    print(f"  page size:          {size / 1e6:6.2f} MB   (target <= {target:g} MB)")
    print(f"  first paint (FCP):  {paint:6.0f} ms   (target <= 1000 ms)")
    print(f"  first frame drawn:  {frame:6.0f} ms   (script done)")
    median, worst = statistics.median(steps), max(steps)
    print(f"  step (to a paint):  {median:6.1f} ms median, {worst:.1f} ms worst (target <= 50 ms)")


def main() -> None:
    """Print each page's size, its first paint and the median and worst step, in ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--images", type=int, default=10_000, help="MNIST images to train on")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    (X, y), (Xv, yv), (X_test, labels) = ng.datasets.load_mnist()
    net = ng.layered([784, 30, 10], seed=0)
    start = time.perf_counter()
    rec = ng.record(net, X_test[0], int(labels[0]), cost="cross-entropy", eta=3.0)
    recorded = time.perf_counter() - start
    fast = net.compile()
    start = time.perf_counter()
    history = fast.sgd(
        (X[: args.images], y[: args.images]), args.epochs, 10, 3.0,
        evaluation_data=(Xv, yv), monitor_evaluation_accuracy=True,
        monitor_evaluation_cost=True, monitor_training_cost=True, record=True, seed=0,
    )  # fmt: skip
    trained = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        page = rec.save_html(Path(folder) / "pass.html")
        measured = in_chromium(page, len(rec), args.repeats, folder)
        print(f"[784, 30, 10], {len(rec)} events (with an update), recorded in {recorded:.2f} s")
        report(page.stat().st_size, 3, *measured)
        start = time.perf_counter()
        page = history.save_html(Path(folder) / "training.html", net)
        written = time.perf_counter() - start
        steps = len(history.snapshots) - 1
        measured = in_chromium(page, steps, args.repeats, folder)
        print(
            f"[784, 30, 10], {args.epochs} epochs on {args.images} images trained in "
            f"{trained:.1f} s; {steps + 1} snapshots, page written in {written:.2f} s"
        )
        report(page.stat().st_size, 5, *measured)


if __name__ == "__main__":
    main()
