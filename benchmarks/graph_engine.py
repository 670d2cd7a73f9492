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
import json
import math
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import neurograph as ng

SIZES = [784, 30, 10]
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


def timed(fn: Callable[[], Any], repeats: int, collector: bool) -> list[float]:
    """Seconds per call, `repeats` times, with Python's cycle collector on or off.

    On is how a program runs. Off is how `timeit` measures; the garbage of one call is then
    collected before the next, outside the timing.
    """
    times = []
    for _ in range(repeats):
        if not collector:
            gc.collect()
            gc.disable()
        try:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return times


def measure(engine: str, repeats: int) -> dict[str, float]:
    """Build one engine's network and time its passes (run in a process of its own)."""
    folder = ng.datasets.mnist_path()
    x = ng.datasets.load_idx(folder / "t10k-images-idx3-ubyte.gz")[0].reshape(-1) / 255.0
    label = int(ng.datasets.load_idx(folder / "t10k-labels-idx1-ubyte.gz")[0])
    if engine == "ours":
        tracemalloc.start()  # tracing slows everything down: a first network for the memory
        traced = ng.layered(SIZES, seed=0)
        traced.forward(x)
        traced.backward(label)
        memory = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        del traced
        start = time.perf_counter()
        net = ng.layered(SIZES, seed=0)
        build = time.perf_counter() - start
        cost = ng.QuadraticCost()

        def one_pass() -> None:
            net.forward(x)
            net.backward(label, cost)

        one_pass()
    else:
        start = time.perf_counter()
        layers = baseline_build(SIZES)
        build = time.perf_counter() - start
        xs = x.tolist()

        def one_pass() -> None:
            baseline_pass(layers, xs, label)

        memory = float("nan")
        repeats = max(5, repeats // 3)
    on = statistics.median(timed(one_pass, repeats, collector=True))
    off = statistics.median(timed(one_pass, repeats, collector=False))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"build": build, "on": on * 1e3, "off": off * 1e3, "memory": memory, "rss": peak}


def main() -> None:
    """Measure each engine in a child process of its own, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--engine", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure(args.engine, args.repeats)))
        return
    results = {}
    for engine in ("ours", "baseline"):
        command = [sys.executable, __file__, "--engine", engine, "--repeats", str(args.repeats)]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results[engine] = json.loads(out)
    ours, base = results["ours"], results["baseline"]
    print(f"network {SIZES}, one MNIST image, quadratic cost; each engine in its own process")
    print(f"{'engine':<34}{'build (s)':>10}{'pass (ms)':>11}{'  (no cycle collector)':>24}")
    for name, r in (("neurograph object graph", ours), ("scalar autograd (one obj/number)", base)):
        print(f"{name:<34}{r['build']:>10.3f}{r['on']:>11.2f}{r['off']:>16.2f} ms")
    print(f"speed-up of one pass: {base['on'] / ours['on']:.0f}x (target >= 150x)")
    off = base["off"] / ours["off"]
    print(f"  {off:.0f}x with the cycle collector off during the passes (as timeit measures);")
    print("  but the baseline's Values form reference cycles that only the collector frees,")
    print("  so a program that uses it runs the collector: the first figure is the one it sees")
    print(f"peak memory allocated by building and one pass: {ours['memory']:.0f} MB")
    print(f"peak resident memory of that process: {ours['rss']:.0f} MB")
    print("targets: pass <= 10 ms (issue 17: plain passes), build <= 2 s, peak memory <= 300 MB")


if __name__ == "__main__":
    main()
