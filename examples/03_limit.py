"""Chapter 1, exercise 1.2: sigmoid neurons become perceptrons as c → ∞ — except at w·x + b = 0.

Prints each neuron's output for growing c next to the perceptron's, then draws the panels
(limit.svg, or limit.dot when Graphviz's dot is not installed).
"""

from __future__ import annotations

import argparse
import shutil

import neurograph as ng


def main() -> None:
    """A NAND gate (w·x + b = 1) beside a neuron on its threshold (w·x + b = 0), for x = (1, 0)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="(this example is quick already)")
    parser.parse_args()
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    net.add(ng.Perceptron(bias=3.0, name="nand"), inputs={x1: -2.0, x2: -2.0})
    net.add(ng.Perceptron(bias=-1.0, name="tie"), inputs={x1: 1.0, x2: 1.0})
    x = [1.0, 0.0]
    perceptron = net.forward(x)
    print(f"{'c':>8}  nand    tie     (perceptrons: {perceptron.tolist()})")
    for c in (1, 2, 10, 100, 1e6):
        nand, tie = net.sigmoidized().scaled(c).forward(x)
        print(f"{c:>8g}  {nand:.4f}  {tie:.4f}")
    assert net.sigmoidized().scaled(1e6).forward(x).tolist() == [1.0, 0.5]  # tie: stuck at ½
    path = "limit.svg" if shutil.which("dot") else "limit.dot"
    print("wrote", ng.render(ng.draw_limit(net, x, cs=(1, 2, 10, 100)), path))


if __name__ == "__main__":
    main()
