"""How long the command line takes to start, each command in a fresh interpreter.

python benchmarks/startup.py [--repeats 5]

Targets: ``neurograph --help`` and ``neurograph debug --help`` within 0.3 s. Each time is the
median of the repeats, printed with its ratio to a bare ``python -c pass`` measured in the same
run; ``play --input 0`` is timed on a saved [784, 30, 10] network (it reads only the 10,000
MNIST test images), beside a load of the whole bundle (70,000 images) for scale.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import neurograph as ng


def median_seconds(argv: list[str], repeats: int) -> float:
    """The median wall time of running `argv` in a fresh process."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    python = [sys.executable]
    cli = [*python, "-m", "neurograph"]
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "mnist.json"
        ng.save(ng.layered([784, 30, 10], seed=0), model)
        runs = {
            "python -c pass (baseline)": [*python, "-c", "pass"],
            "neurograph --help": [*cli, "--help"],
            "neurograph debug --help": [*cli, "debug", "--help"],
            "neurograph play --help": [*cli, "play", "--help"],
            "neurograph train --help": [*cli, "train", "--help"],
            "neurograph play m.json --input 0": [
                *cli,
                "play",
                str(model),
                "--input",
                "0",
                "-o",
                f"{tmp}/pass.html",
            ],  # fmt: skip
            "load_mnist() (all 70,000 images)": [
                *python,
                "-c",
                "import neurograph as ng; ng.datasets.load_mnist()",
            ],  # fmt: skip
            "load_mnist_test() (10,000 images)": [
                *python,
                "-c",
                "import neurograph as ng; ng.datasets.load_mnist_test()",
            ],  # fmt: skip
        }
        baseline = None
        for name, argv in runs.items():
            seconds = median_seconds(argv, args.repeats)
            baseline = baseline or seconds
            print(f"{name:40s} {seconds:6.3f} s  ({seconds / baseline:5.1f} x baseline)")


if __name__ == "__main__":
    main()
