"""Regenerate the figures of docs/rendering.md: ``python docs/make_figures.py [--out DIR]``.

Writes ``network.png`` (a network with a skip connection, a perceptron and a softmax layer,
after a forward pass), ``limit.png`` (exercise 1.2: sigmoid neurons tend to perceptrons as
c → ∞, except where w·x + b = 0) and ``mnist-weights.png`` (what the 30 hidden neurons of a
briefly trained MNIST network look for); for docs/playground.md ``moons-maps.png`` (every
neuron's decision map) and for docs/slowdown.md ``slowdown.png``. Needs Graphviz's ``dot``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import neurograph as ng
from neurograph.pictures.diagram import draw, render
from neurograph.pictures.limit import draw_limit, tie_network
from neurograph.pictures.weights import draw_weights

FIGURES = Path(__file__).resolve().parent / "figures"


def mixed_network() -> ng.Network:
    """Three inputs, a skip connection, a perceptron and a softmax layer of three units."""
    net = ng.Network()
    x1, x2, x3 = net.add_inputs(3)
    h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})
    p = net.add(ng.Perceptron(bias=-0.5, name="p"), inputs={x2: 1.0, x3: 1.0})
    h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={h1: 2.0, p: -1.0, x3: 0.7})
    out = net.add(ng.SoftmaxLayer(3, name="out"))
    for j, unit in enumerate(out):
        net.connect(h2, unit, weight=1.5 - 1.5 * j)
        net.connect(h1, unit, weight=0.8 * j - 0.4)
    net.connect(x1, out[2], weight=-0.8)
    net.set_outputs([out])
    return net


def trained_mnist(quick: bool) -> ng.Network:
    """A [784, 30, 10] network after a short SGD run (seconds; `quick`: a few hundred images)."""
    (X, y), _, _ = ng.datasets.load_mnist()
    n = 500 if quick else 20_000
    net = ng.layered([784, 30, 10], seed=0)
    fast = net.compile()
    fast.sgd((X[:n], y[:n]), 3, 10, 0.5, lmbda=5.0, cost=ng.CrossEntropyCost(), seed=0)
    net.load_parameters(fast)
    return net


def trained_moons() -> tuple[ng.Network, tuple]:
    """A [2, 8, 2] network trained on 400 points of the moons, and those points."""
    data = ng.datasets.toy("moons", n=400, seed=0)
    net = ng.layered([2, 8, 2], seed=0)
    fast = net.compile()
    fast.sgd(data, 30, 10, 3.0, cost="cross-entropy", seed=0)
    net.load_parameters(fast)
    return net, data


def main(argv: list[str] | None = None) -> list[Path]:
    """Write the figures; returns their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for the figures")
    parser.add_argument("--quick", action="store_true", help="train on 500 images only")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    net = mixed_network()
    net.forward([1.0, 0.0, 1.0])
    title = "show='activations' after net.forward([1, 0, 1])"
    paths = [render(draw(net, "activations", title=title), args.out / "network.png", dpi=110)]

    tie, x = tie_network()
    paths.append(render(draw_limit(tie, x, cs=(1, 2, 10, 100)), args.out / "limit.png", dpi=100))

    mnist = trained_mnist(args.quick)
    draw_weights(mnist, 2, args.out / "mnist-weights.png")
    paths.append(args.out / "mnist-weights.png")

    moons, data = trained_moons()
    maps = draw(moons, "maps", data=data, title="moons: show='maps'")
    paths.append(render(maps, args.out / "moons-maps.png", dpi=144))  # whole pixels: no seams
    paths.append(ng.compare().save(args.out / "slowdown.png"))
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return paths


if __name__ == "__main__":
    main()
