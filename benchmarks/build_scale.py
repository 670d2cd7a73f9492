"""Time building, saving and loading networks of 10³, 10⁴ and 10⁵ neurons: linear, not quadratic.

python benchmarks/build_scale.py [--sizes 1000,10000,100000]

Three shapes per size n: ``add_inputs(n)`` feeding one neuron; one softmax layer of n units
fed by 4 inputs; and a sparse deep network (levels of 100 sigmoid neurons, each fed by 3 of
the level before), so that edges grow with neurons. Each line gives the seconds and the
seconds per 1,000 neurons: a linear build keeps the last column flat as n grows tenfold.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import neurograph as ng


def inputs(n: int) -> ng.Network:
    """`n` inputs (``add_inputs(n)``) feeding one sigmoid neuron."""
    net = ng.Network()
    x = net.add_inputs(n)
    net.add(ng.SigmoidNeuron(), inputs=dict.fromkeys(x, 0.5))
    return net


def softmax(n: int) -> ng.Network:
    """One softmax layer of `n` units, each fed by the first of 4 inputs."""
    net = ng.Network()
    x = net.add_inputs(4)
    layer = net.add(ng.SoftmaxLayer(n, name="out"))
    for unit in layer:
        net.connect(x[0], unit, 0.1)
    net.set_outputs([layer])
    return net


def sparse(n: int) -> ng.Network:
    """Levels of 100 sigmoid neurons, each fed by 3 neurons of the level before."""
    net = ng.Network()
    previous: list[ng.Neuron] = [*net.add_inputs(100)]
    for _ in range(n // 100 - 1):  # the inputs are the first level
        level: list[ng.Neuron] = []
        for j in range(100):
            sources = {previous[(j + k) % 100]: 0.01 * k for k in range(3)}
            level.append(net.add(ng.SigmoidNeuron(bias=0.0), inputs=sources))
        previous = level
    return net


def main() -> None:
    """Print build, save and load seconds per shape and size, and seconds per 1,000 neurons."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    shapes: dict[str, Callable[[int], ng.Network]] = {
        "add_inputs(n)": inputs,
        "softmax layer": softmax,
        "sparse levels": sparse,
    }
    print(f"{'shape':<15}{'n':>8}{'edges':>9}  {'build s':>8}{'load s':>8}  per 1,000: build, load")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in shapes.items():
            for n in map(int, args.sizes.split(",")):
                start = time.perf_counter()
                net = make(n)
                built = time.perf_counter() - start
                path = ng.save(net, Path(folder) / "net.json")
                start = time.perf_counter()
                ng.load(path)
                loaded = time.perf_counter() - start
                k = n / 1000
                print(
                    f"{name:<15}{n:>8}{net.graph.number_of_edges():>9}  {built:>8.3f}"
                    f"{loaded:>8.3f}  {built / k:.4f}, {loaded / k:.4f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
