"""Chapters 1–2: a 2-2-1 sigmoid network learns XOR by gradient descent on the object graph.

Every step is the book's: a forward pass, a backward pass (BP1–BP4), then w ← w − η ∂C/∂w and
b ← b − η ∂C/∂b on the neuron objects themselves. XOR has local minima: with other seeds or
learning rates the network can get stuck with one output near ½ (try a few).
"""

from __future__ import annotations

import argparse

import neurograph as ng
from neurograph.graph import passes

XOR = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]


def main() -> None:
    """Train until every output is on the right side of ½, then print them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="(this example is quick already)")
    parser.parse_args()
    net = ng.layered([2, 2, 1], init="large", seed=2)
    cost = ng.CrossEntropyCost()
    for epoch in range(2000):
        for x, y in XOR:
            net.forward(x)
            net.backward(y, cost)
            for _ in passes.update_events(net, eta=2.0):  # w ← w − η ∂C/∂w, b ← b − η δ
                pass
        if all(abs(net.forward(x)[0] - y) < 0.1 for x, y in XOR):
            break
    print(f"learned XOR after {epoch + 1} epochs:")
    for x, y in XOR:
        a = net.forward(x)[0]
        print(f"  {x} -> {a:.3f} (want {y:g})")
        assert abs(a - y) < 0.1


if __name__ == "__main__":
    main()
