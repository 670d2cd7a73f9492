"""Chapter 1: perceptrons are universal for computation — a two-bit adder made of NAND gates.

Each gate is a perceptron with weights -2, -2 and bias 3 (the book's NAND perceptron). The
carry gate takes the first gate's output twice, which the book draws as one edge of weight -4.
"""

from __future__ import annotations

import argparse
import itertools

import neurograph as ng


def nand(net: ng.Network, name: str, *sources: ng.Neuron) -> ng.Perceptron:
    """A NAND perceptron: w = -2 per input (summed over repeated inputs), b = 3."""
    weights: dict[ng.Neuron, float] = {}
    for source in sources:
        weights[source] = weights.get(source, 0.0) - 2.0
    return net.add(ng.Perceptron(bias=3.0, name=name), inputs=weights)


def adder() -> ng.Network:
    """x1 + x2 as (sum, carry), from five NAND gates as in the book's figure."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    n1 = nand(net, "n1", x1, x2)
    n2 = nand(net, "n2", x1, n1)
    n3 = nand(net, "n3", x2, n1)
    total = nand(net, "sum", n2, n3)
    carry = nand(net, "carry", n1, n1)  # one edge of weight -4
    net.set_outputs([total, carry])
    return net


def main() -> None:
    """Print the adder's truth table and check it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="(this example is quick already)")
    parser.parse_args()
    net = adder()
    print("x1 x2 | sum carry")
    for x1, x2 in itertools.product((0, 1), repeat=2):
        total, carry = net.forward([x1, x2])
        print(f" {x1}  {x2} |  {total:g}    {carry:g}")
        assert (total, carry) == ((x1 + x2) % 2, (x1 + x2) // 2)
    assert net.weight("n1", "carry") == -4.0


if __name__ == "__main__":
    main()
