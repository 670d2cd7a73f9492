"""Time drawing and rendering a [784, 30, 10] network to SVG (the target: under 3 s).

python benchmarks/render.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import neurograph as ng


def main() -> None:
    """Print the median seconds of building the diagram and of writing it as SVG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    net = ng.layered([784, 30, 10], seed=0)
    net.forward(ng.datasets.load_mnist()[2][0][0])
    draws, renders = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeats):
            start = time.perf_counter()
            diagram = ng.draw(net, show="activations")
            middle = time.perf_counter()
            ng.render(diagram, Path(folder) / "net.svg")
            renders.append(time.perf_counter() - middle)
            draws.append(middle - start)
    draw_s, render_s = statistics.median(draws), statistics.median(renders)
    print(f"layered([784, 30, 10]), show='activations'; median of {args.repeats}")
    print(f"draw (DOT source): {draw_s:.3f} s; render with dot to SVG: {render_s:.3f} s")
    print(f"together: {draw_s + render_s:.3f} s (target < 3 s)")


if __name__ == "__main__":
    main()
