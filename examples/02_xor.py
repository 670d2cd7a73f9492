"""Chapters 1–2: a 2-2-1 sigmoid network learns XOR by gradient descent on the object graph.

`net.sgd` trains the neuron objects themselves: for each mini-batch a forward pass and a
backward pass (BP1–BP4) per example, then w ← w − (η/m) Σ ∂C/∂w and b ← b − (η/m) Σ ∂C/∂b
(eqs. (20)–(21)) on the objects. `net.compile().sgd` does the same with arrays, giving the
same numbers. XOR has local minima: with other seeds or learning rates the network can get
stuck with one output near ½ (try a few).
"""

from __future__ import annotations

import argparse

import neurograph as ng

XOR = ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])


def main() -> None:
    """Train until every output is on the right side of ½, then print them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="(this example is quick already)")
    parser.parse_args()
    net = ng.layered([2, 2, 1], init="large", seed=2)
    epochs: list[int] = []

    def learned(epoch: int, net: ng.Network) -> bool:
        """After each epoch (counted from 1): stop once every output is within 0.1."""
        epochs.append(epoch)
        return all(abs(net.forward(x)[0] - y) < 0.1 for x, y in zip(*XOR))

    net.sgd(XOR, 2000, 1, 2.0, cost=ng.CrossEntropyCost(), seed=0, callback=learned)
    print(f"learned XOR after {epochs[-1]} epochs:")
    for x, y in zip(*XOR):
        a = net.forward(x)[0]
        print(f"  {x} -> {a:.3f} (want {y:g})")
        assert abs(a - y) < 0.1


if __name__ == "__main__":
    main()
