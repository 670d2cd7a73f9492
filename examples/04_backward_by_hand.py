"""Chapter 2: one backward pass worked by hand, then checked against neurograph's BP1–BP4."""

from __future__ import annotations

import argparse
import math

import neurograph as ng


def sigma(z: float) -> float:
    """σ(z) = 1 / (1 + e^{-z})."""
    return 1.0 / (1.0 + math.exp(-z))


def main() -> None:
    """Compute every δ and gradient of a 2-2-1 network by hand and compare."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="(this example is quick already)")
    parser.parse_args()
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})
    h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={x1: 0.5, x2: 2.0})
    out = net.add(ng.SigmoidNeuron(bias=0.25, name="out"), inputs={h1: 1.5, h2: -2.0})
    x, y = [1.0, 0.0], 1.0

    # forward: z = Σ w·a + b, a = σ(z)
    a_h1, a_h2 = sigma(1.0 * 1 - 1.0 * 0 + 0.5), sigma(0.5 * 1 + 2.0 * 0 - 0.5)
    a_out = sigma(1.5 * a_h1 - 2.0 * a_h2 + 0.25)
    # (BP1) quadratic cost: δ = (a − y) σ'(z), and σ'(z) = a(1 − a)
    d_out = (a_out - y) * a_out * (1 - a_out)
    # (BP2) δ_j = σ'(z_j) Σ_k w_kj δ_k
    d_h1 = a_h1 * (1 - a_h1) * 1.5 * d_out
    d_h2 = a_h2 * (1 - a_h2) * -2.0 * d_out

    net.forward(x)
    net.backward(y, ng.QuadraticCost())
    for neuron, mine in ((out, d_out), (h1, d_h1), (h2, d_h2)):
        print(f"δ[{neuron.name}]: by hand {mine:+.10f}, neurograph {neuron.delta:+.10f}")
        assert neuron.delta is not None and math.isclose(neuron.delta, mine, rel_tol=1e-12)
    # (BP3) ∂C/∂b = δ and (BP4) ∂C/∂w_jk = a_k δ_j
    assert out.bias_grad == out.delta
    assert math.isclose(net.gradients()[("h1", "out")], a_h1 * d_out, rel_tol=1e-12)
    print("BP1–BP4 agree with the hand computation.")


if __name__ == "__main__":
    main()
