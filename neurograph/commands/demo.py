"""`neurograph demo`: a guided tour of what neurograph does, on a network built neuron by neuron."""

from __future__ import annotations

import argparse
from typing import Any

from .. import passes
from ..costs import CrossEntropyCost
from ..gradcheck import gradient_check
from ..graph import Network
from ..neurons import SigmoidNeuron

__all__ = ["build_small_network", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the `demo` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="a guided tour: build a network neuron by neuron, run it forward and backward",
        description="A guided tour of neurograph, in the book's notation.",
    )
    parser.add_argument(
        "--out", default="neurograph-demo", metavar="DIR", help="folder for the diagrams"
    )
    parser.set_defaults(func=run)


def build_small_network() -> Network:
    """The 2-2-1 sigmoid network of the tour (and of the hand-worked test).

    Returns
    -------
    Network
        Inputs ``x1, x2``; hidden neurons ``h1, h2``; output ``out``.
    """
    net = Network()
    x1, x2 = net.add_inputs(2)
    h1 = net.add(SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})
    h2 = net.add(SigmoidNeuron(bias=-0.5, name="h2"), inputs={x1: 0.5, x2: 2.0})
    net.add(SigmoidNeuron(bias=0.25, name="out"), inputs={h1: 1.5, h2: -2.0})
    return net


def heading(text: str) -> None:
    """Print a section heading of the tour."""
    print(f"\n== {text} " + "=" * max(0, 72 - len(text)))


def run(args: argparse.Namespace) -> int:
    """Run the tour; returns the exit status."""
    heading("1. Build a network neuron by neuron")
    print(
        "net = ng.Network()\n"
        "x1, x2 = net.add_inputs(2)\n"
        'h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})\n'
        'h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={x1: 0.5, x2: 2.0})\n'
        'out = net.add(ng.SigmoidNeuron(bias=0.25, name="out"), inputs={h1: 1.5, h2: -2.0})'
    )
    net = build_small_network()
    print(net)
    for src, dst, w in net.graph.edges(data="weight"):
        print(f"  w[{dst.name} <- {src.name}] = {w:g}")

    x, y, cost = [1.0, 0.0], 1.0, CrossEntropyCost()
    heading(f"2. Forward pass: x = {x}, messages w·a flow in topological order")
    for event in passes.forward_events(net, x):
        print(" ", event)

    heading(f"3. Backward pass: y = {y}, cost = {cost.name} (BP1-BP4)")
    for back_event in passes.backward_events(net, y, cost):
        print(" ", back_event)

    heading("4. What every neuron holds now")
    print(f"  {'neuron':<8}{'z':>10}{'a':>10}{'δ':>10}{'∂C/∂b':>10}")
    for neuron in net.neurons:
        print(
            f"  {neuron.name:<8}{neuron.z:>10.4f}{neuron.a:>10.4f}"
            f"{neuron.delta:>10.4f}{neuron.bias_grad:>10.4f}"
        )
    for src, dst, grad in net.graph.edges(data="grad"):
        print(f"  ∂C/∂w[{dst.name} <- {src.name}] = a[{src.name}]·δ[{dst.name}] = {grad:.4f}")
    error = gradient_check(net, x, y, cost)
    print(f"\n  gradient check against central differences: max relative error {error:.1e}")

    from .render import demo_diagrams

    out = getattr(args, "out", "neurograph-demo")
    heading(f"5. Diagrams: the network, and perceptrons as the c → ∞ limit, in {out}/")
    for path in demo_diagrams(net, out):
        print(f"  {path}")
    return 0
