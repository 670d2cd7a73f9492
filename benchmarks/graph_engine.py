"""Time the graph engine on a [784, 30, 10] network against a scalar-autograd baseline.

Prints the time to build the network, the median time of one forward + backward pass on one
MNIST image, and the peak memory, for neurograph's object graph and for a baseline written
here in the style of the best-known tiny autograd engines (one Python object per number,
a closure per operation, a topological sort per backward pass). Run:

    python benchmarks/graph_engine.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import neurograph as ng

sys.setrecursionlimit(100_000)  # the baseline's recursive topological sort goes ~1,600 deep


class Value:
    """One scalar and its gradient, as in the tiny autograd engines."""

    def __init__(self, data: float, children: tuple[Value, ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None
        self._prev = set(children)

    def __add__(self, other: Any) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __radd__(self, other: Any) -> Value:
        return self + other

    def __mul__(self, other: Any) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __rmul__(self, other: Any) -> Value:
        return self * other

    def __pow__(self, k: float) -> Value:
        out = Value(self.data**k, (self,))

        def _backward() -> None:
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Any) -> Value:
        return self + (-other)

    def sigmoid(self) -> Value:
        s = 1 / (1 + math.exp(-self.data))
        out = Value(s, (self,))

        def _backward() -> None:
            self.grad += s * (1 - s) * out.grad

        out._backward = _backward
        return out

    def backward(self) -> None:
        topo: list[Value] = []
        visited: set[Value] = set()

        def build(v: Value) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)

        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()


def baseline_build(sizes: list[int], seed: int = 0) -> list[list[tuple[list[Value], Value]]]:
    """Per layer, per neuron: (weights, bias) as Values."""
    rng = random.Random(seed)
    return [
        [
            (
                [Value(rng.gauss(0, 1) / math.sqrt(n_in)) for _ in range(n_in)],
                Value(rng.gauss(0, 1)),
            )
            for _ in range(n_out)
        ]
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def baseline_pass(layers: list[list[tuple[list[Value], Value]]], x: list[float], y: int) -> None:
    """Zero the gradients, forward, quadratic cost, backward — as such engines are used.

    The input stays a list of floats (each product wraps its float in a new Value), and the
    cost is written ``Σ ½(a − y)²`` with subtraction and a power, as in their examples.
    """
    for layer in layers:
        for w, b in layer:
            for wi in w:
                wi.grad = 0.0
            b.grad = 0.0
    a: list[Any] = x
    for layer in layers:
        a = [sum((wi * ai for wi, ai in zip(w, a)), b).sigmoid() for w, b in layer]
    target = [1.0 if j == y else 0.0 for j in range(len(a))]
    cost = sum(((aj - tj) ** 2 * 0.5 for aj, tj in zip(a, target)), Value(0.0))
    cost.backward()


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    """Seconds per call, `repeats` times."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    sizes = [784, 30, 10]
    folder = ng.datasets.mnist_path()
    x = ng.datasets.load_idx(folder / "t10k-images-idx3-ubyte.gz")[0].reshape(-1) / 255.0
    label = int(ng.datasets.load_idx(folder / "t10k-labels-idx1-ubyte.gz")[0])

    start = time.perf_counter()
    net = ng.layered(sizes, seed=0)
    build = time.perf_counter() - start
    cost = ng.QuadraticCost()

    def ours() -> None:
        net.forward(x)
        net.backward(label, cost)

    ours()
    ours_times = timed(ours, args.repeats)
    tracemalloc.start()  # tracing slows everything down: measure memory on a second run
    traced = ng.layered(sizes, seed=0)
    traced.forward(x)
    traced.backward(label, cost)
    ours_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    start = time.perf_counter()
    layers = baseline_build(sizes)
    base_build = time.perf_counter() - start
    xs = x.tolist()
    base_times = timed(lambda: baseline_pass(layers, xs, label), max(5, args.repeats // 6))
    gc.collect()

    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours_ms = statistics.median(ours_times) * 1e3
    base_ms = statistics.median(base_times) * 1e3
    print(f"network {sizes}, one MNIST image, quadratic cost; median of {args.repeats} passes")
    print(f"{'engine':<34}{'build (s)':>10}{'pass (ms)':>11}")
    print(f"{'neurograph object graph':<34}{build:>10.3f}{ours_ms:>11.2f}")
    print(f"{'scalar autograd (one obj/number)':<34}{base_build:>10.3f}{base_ms:>11.2f}")
    print(f"speed-up of one pass: {base_ms / ours_ms:.0f}x (target >= 150x)")
    print(f"peak memory allocated by building and the passes: {ours_mb:.0f} MB")
    print(f"process peak resident memory: {peak_rss:.0f} MB")
    print("targets: pass <= 5 ms, build <= 2 s, peak memory <= 300 MB")


if __name__ == "__main__":
    main()
