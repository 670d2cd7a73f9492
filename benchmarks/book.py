"""Reproduce the book's accuracy figures with the fast path, over several seeds, into docs/.

The runs (Nielsen, chapters 1 and 3), each trained by ``FastNetwork.sgd`` on the 50,000
training images with mini-batches of 10:

* chapter 1: ``[784, 30, 10]``, quadratic cost, eta 3.0, 30 epochs, weights and biases N(0, 1)
  (``init="large"``); the book reports 95.42% on the test set at its best epoch;
* chapter 3: ``[784, 30, 10]``, cross-entropy, lmbda 5.0, eta 0.5, 30 epochs, weights
  N(0, 1/n_in); the book reports 96.49% on the test set after training;
* chapter 3: ``[784, 100, 10]``, cross-entropy, lmbda 5.0, eta 0.1, 60 epochs; the book reports
  98.04% on the validation set after training;
* the two chapter 3 runs again with weights N(0, 1): the book's code for them calls
  ``net.large_weight_initializer()``, since its better initialization comes later in the chapter.

For each run and seed it records the best and the final accuracy on the set the book evaluated
on, and writes a Markdown table of the mean and the spread (min to max) to ``docs/accuracy.md``.
Run:

    python benchmarks/book.py [--seeds 0 1 2] [--jobs 1] [--quick] [--output docs/accuracy.md]

The full run takes several minutes; ``--quick`` trains one seed on 2,000 images for 1 epoch.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads OpenBLAS

import numpy as np  # noqa: E402

import neurograph as ng  # noqa: E402
from neurograph.io.atomic import write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """One of the book's training runs and the figure the book reports for it."""

    name: str
    sizes: tuple[int, ...]
    cost: str
    eta: float
    lmbda: float
    epochs: int
    init: str
    evaluate: str
    book: float
    measure: str  # which of our figures the book's corresponds to: "best" or "final"


# fmt: off
RUNS = (
    #   name                          sizes           cost             eta  lmbda epochs init
    #   evaluated on  book   the book's figure is our
    Run("ch. 1, quadratic",           (784, 30, 10),  "quadratic",     3.0, 0.0,  30,    "large",
        "test",       95.42, "best"),
    Run("ch. 3, cross-entropy + L2",  (784, 30, 10),  "cross-entropy", 0.5, 5.0,  30,    "default",
        "test",       96.49, "final"),
    Run("ch. 3, 100 hidden neurons",  (784, 100, 10), "cross-entropy", 0.1, 5.0,  60,    "default",
        "validation", 98.04, "final"),
    # the book's code for these two calls net.large_weight_initializer() first
    Run("ch. 3, cross-entropy + L2, large init", (784, 30, 10), "cross-entropy", 0.5, 5.0, 30,
        "large", "test", 96.49, "final"),
    Run("ch. 3, 100 hidden neurons, large init", (784, 100, 10), "cross-entropy", 0.1, 5.0, 60,
        "large", "validation", 98.04, "final"),
)
# fmt: on


def train(run: Run, seed: int, quick: bool) -> dict[str, Any]:
    """Train one run with one seed; its best and final accuracy (%) and seconds per epoch."""
    train_set, validation, test = ng.datasets.load_mnist()
    evaluation = test if run.evaluate == "test" else validation
    epochs = run.epochs
    if quick:
        train_set, evaluation, epochs = (train_set[0][:2000], train_set[1][:2000]), evaluation, 1
    fast = ng.layered(list(run.sizes), init=run.init, seed=seed).compile()
    history = fast.sgd(
        train_set, epochs, 10, run.eta, lmbda=run.lmbda, cost=run.cost, seed=seed,
        evaluation_data=evaluation, monitor_evaluation_accuracy=True,
    )  # fmt: skip
    accuracy = [100 * a for a in history.evaluation_accuracy]
    return {
        "best": max(accuracy),
        "best_epoch": int(np.argmax(accuracy)),
        "final": accuracy[-1],
        "seconds": statistics.mean(history.seconds),
    }


def spread(values: list[float]) -> str:
    """``mean (min–max)`` of some percentages."""
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.mean(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def table(results: dict[Run, list[dict[str, Any]]], seeds: list[int], quick: bool) -> str:
    """The Markdown page: how it was made, the table, and a note on each figure."""
    command = "python benchmarks/book.py" + (" --quick" if quick else "")
    if seeds != [0, 1, 2]:
        command += " --seeds " + " ".join(map(str, seeds))
    lines = [
        "# Accuracy: the book's figures, reproduced",
        "",
        f"Written by `{command}` (about {sum(r.epochs for r in RUNS)} epochs per seed; "
        f"several minutes) on {datetime.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, numpy {np.__version__}. Each run trains with "
        "`FastNetwork.sgd` on the 50,000 training images with mini-batches of 10, once per "
        f"seed ({', '.join(map(str, seeds))}: the seed draws the initial weights and the "
        "shuffles). *Best* is the highest accuracy over the epochs, as the book reports; "
        "*final* is after the last epoch; both as mean (min–max) over the seeds.",
        "",
        "| run | sizes | cost, η, λ, epochs, init | evaluated on | book | ours: best | "
        "ours: final | s/epoch |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run, rows in results.items():
        best = [r["best"] for r in rows]
        settings = f"{run.cost}, {run.eta:g}, {run.lmbda:g}, {run.epochs}, {run.init}"
        lines.append(
            f"| {run.name} | {list(run.sizes)} | {settings} | {run.evaluate} | {run.book:.2f}% "
            f"| {spread(best)}% | {spread([r['final'] for r in rows])}% "
            f"| {statistics.mean(r['seconds'] for r in rows):.2f} |"
        )
    lines += ["", "How each figure compares with the book's:", ""]
    for run, rows in results.items():
        ours = statistics.mean(r[run.measure] for r in rows)
        verdict = "matches or beats" if ours >= run.book else "falls short of"
        which = "best epoch" if run.measure == "best" else "last epoch"
        lines.append(
            f"* {run.name}: the book's {run.book:.2f}% is its {which}; our mean {run.measure} "
            f"accuracy, {ours:.2f}%, {verdict} it (per seed, best: "
            + ", ".join(f"{r['best']:.2f}% at epoch {r['best_epoch']}" for r in rows)
            + ")."
        )
    if quick:
        lines += ["", "**This is a --quick run (2,000 images, 1 epoch): not the book's setting.**"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1: in order)")
    parser.add_argument("--quick", action="store_true", help="one seed, 2,000 images, 1 epoch")
    parser.add_argument("--output", default=str(ROOT / "docs" / "accuracy.md"))
    args = parser.parse_args(argv)
    seeds = args.seeds[:1] if args.quick else args.seeds
    tasks = [(run, seed) for run in RUNS for seed in seeds]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            futures = [pool.submit(train, run, seed, args.quick) for run, seed in tasks]
            outcomes = [f.result() for f in futures]
    else:
        outcomes = []
        for run, seed in tasks:
            outcomes.append(train(run, seed, args.quick))
            print(f"{run.name}, seed {seed}: {outcomes[-1]}", file=sys.stderr, flush=True)
    results: dict[Run, list[dict[str, Any]]] = {run: [] for run in RUNS}
    for (run, _), outcome in zip(tasks, outcomes):
        results[run].append(outcome)
    page = table(results, seeds, args.quick)
    write_atomic(args.output, page)
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
