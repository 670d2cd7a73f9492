"""`neurograph demo`: a guided tour of what neurograph does, on a network built neuron by neuron."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.commands import COMMANDS, build_parser
from neurograph.commands.render import demo_diagrams
from neurograph.datasets import load_mnist, toy
from neurograph.debug.debugger import Debugger
from neurograph.graph import passes
from neurograph.graph.builders import layered
from neurograph.graph.costs import Cost, CrossEntropyCost
from neurograph.graph.gradcheck import gradient_check
from neurograph.graph.network import Network
from neurograph.graph.neurons import SigmoidNeuron
from neurograph.io.files import load
from neurograph.live.lab import lab
from neurograph.pictures.weights import draw_weights
from neurograph.player.recording import record

__all__ = ["build_small_network", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the `demo` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help=COMMANDS["demo"],
        description="A guided tour of neurograph, in the book's notation.",
    )
    parser.add_argument(
        "--out", default="neurograph-demo", metavar="DIR", help="folder for the files it writes"
    )
    parser.add_argument(
        "--epochs", type=int, default=3, help="epochs of MNIST training (default 3)"
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


def show(event: Any) -> None:
    """Print an event's equations, one per line, so that the tour fits 80 columns."""
    for line in event.lines():
        print(f"    {line}")


def heading(text: str) -> None:
    """Print a section heading of the tour."""
    print(f"\n== {text} " + "=" * max(0, 72 - len(text)))


def run(args: argparse.Namespace) -> int:
    """Run the tour; returns the exit status."""
    start = time.perf_counter()
    out = Path(args.out)
    net = build_step()
    x, y, cost = [1.0, 0.0], 1.0, CrossEntropyCost()
    forward_step(net, x)
    backward_step(net, x, y, cost)
    values_step(net, x, y, cost)
    written = diagrams_step(net, x, y, cost, out)
    written += toy_training_step(out)
    model, curves = out / "mnist-model.json", out / "mnist-curves.svg"
    if mnist_training_step(args.epochs, model, curves) != 0:
        return 130
    written += [model, curves]
    written += trained_neuron_step(model, out)
    next_steps(written, model)
    print(f"\n  (the tour took {time.perf_counter() - start:.1f} s)")
    return 0


def build_step() -> Network:
    """1. Build the small network neuron by neuron, and show its wiring."""
    heading("1. Build a network neuron by neuron")
    print(
        "net = ng.Network()\n"
        "x1, x2 = net.add_inputs(2)\n"
        'h1 = net.add(ng.SigmoidNeuron(bias=0.5, name="h1"), inputs={x1: 1.0, x2: -1.0})\n'
        'h2 = net.add(ng.SigmoidNeuron(bias=-0.5, name="h2"), inputs={x1: 0.5, x2: 2.0})\n'
        'out = net.add(ng.SigmoidNeuron(bias=0.25, name="out"),\n'
        "              inputs={h1: 1.5, h2: -2.0})"
    )
    net = build_small_network()
    print(net)
    for src, dst, w in net.graph.edges(data="weight"):
        print(f"  w[{dst.name} <- {src.name}] = {w:g}")
    return net


def forward_step(net: Network, x: list[float]) -> None:
    """2. The forward pass, one event per neuron in topological order."""
    heading(f"2. Forward pass: x = {x}, messages w·a flow in topological order")
    for event in passes.forward_events(net, x):
        show(event)


def backward_step(net: Network, x: list[float], y: float, cost: Cost) -> None:
    """3. Step through the backward pass with the debugger, and undo a step."""
    heading(f"3. Step through the backward pass: y = {y}, {cost.name} (BP1-BP4)")
    dbg = Debugger(net, x, y, cost)
    dbg.break_at(phase="cost")
    dbg.continue_()
    print("  dbg.continue_() runs the forward pass and stops at the cost:")
    show(dbg.current)
    while (step := dbg.step()) is not None:
        print("  dbg.step() ->")
        show(step)
    dbg.back()
    print(f"  dbg.back() undoes the last step: δ[h1] is {net['h1'].delta} again")
    dbg.run()


def values_step(net: Network, x: list[float], y: float, cost: Cost) -> None:
    """4. What every neuron and edge holds after the passes, and the gradient check."""
    heading("4. What every neuron holds now")
    print(f"  {'neuron':<8}{'z':>10}{'a':>10}{'δ':>10}{'∂C/∂b':>10}")
    for neuron in net.neurons:
        print(
            f"  {neuron.name:<8}{neuron.z:>10.4f}{neuron.a:>10.4f}"
            f"{neuron.delta:>10.4f}{neuron.bias_grad:>10.4f}"
        )
    for src, dst, grad in net.graph.edges(data="grad"):
        grad += 0.0  # no "-0.0000"
        print(f"  ∂C/∂w[{dst.name} <- {src.name}] = a[{src.name}]·δ[{dst.name}] = {grad:.4f}")
    error = gradient_check(net, x, y, cost)
    print(f"\n  gradient check against central differences: max relative error {error:.1e}")


def diagrams_step(net: Network, x: list[float], y: float, cost: Cost, out: Path) -> list[Path]:
    """5. The diagrams, the c → ∞ limit, and the pass as a page; the files written."""
    heading("5. Diagrams: the network, and perceptrons as the c → ∞ limit")
    print(f"  in {out}/")
    written = demo_diagrams(net, out)
    written.append(record(net, x, y, cost).save_html(out / "pass.html"))
    for path in written:
        print(f"  {path}")
    print(f"  open {written[-1]} in a browser:")
    print("  step through this pass there, no Python needed")
    return written


def toy_training_step(out: Path) -> list[Path]:
    """6. Train a 2-D network on xor, recorded: the page that replays it, and the lab."""
    heading("6. Train a 2-D network on xor, and replay its training in a browser")
    print(
        '  net = ng.layered([2, 8, 2], seed=0); data = ng.datasets.toy("xor", n=400)\n'
        "  history = net.compile().sgd(data, 30, 10, 3.0, record=True, ...)\n"
        '  history.save_html("xor-training.html", net, data)\n'
        '  ng.lab(net, data=data, cost="cross-entropy").save_html("lab.html")'
    )
    toy_net, toy_points = layered([2, 8, 2], seed=0), toy("xor", n=400, seed=0)
    history = toy_net.compile().sgd(
        toy_points, 30, 10, 3.0, evaluation_data=toy_points, monitor_evaluation_cost=True,
        monitor_evaluation_accuracy=True, record=True, seed=0,
    )  # fmt: skip
    accuracy = history.evaluation_accuracy
    print(f"  accuracy: {accuracy[0]:.1%} after epoch 1, {accuracy[-1]:.1%} after epoch 30")
    page = history.save_html(out / "xor-training.html", toy_net, toy_points)
    print(f"  {page}\n  open it: every neuron's decision map, epoch by epoch")
    live = lab(toy_net, data=toy_points, cost="cross-entropy").save_html(out / "lab.html")
    print(f"  {live}\n  open it: the lab, to change this network and train it yourself")
    return [page, live]


def mnist_training_step(epochs: int, model: Path, curves: Path) -> int:
    """7. Train [784, 30, 10] on MNIST with the very `neurograph train` command."""
    label = f"{epochs} epoch" + "s" * (epochs != 1)
    heading(f"7. Train [784, 30, 10] on MNIST with the fast path ({label})")
    print(f"  neurograph train --epochs {epochs} \\")
    print(f"      --output {model} \\\n      --plot {curves}")
    train = ["train", "--epochs", str(epochs), "--output", str(model), "--plot", str(curves)]
    train_args = build_parser().parse_args(train)  # the very command, not a copy of it
    return int(train_args.func(train_args))


def trained_neuron_step(model: Path, out: Path) -> list[Path]:
    """8. Open a trained hidden neuron: its values on a test image, its weights as images."""
    heading("8. Open a trained neuron")
    trained = load(model)
    _, _, (X, labels) = load_mnist()
    a = trained.forward(X[0])
    print(f"  test image 0 is a {labels[0]}; the network says {int(np.argmax(a))}")
    neuron = trained["L2.1"]
    w = np.array([trained.weight(k, neuron) for k in trained.graph.predecessors(neuron)])
    print(f"  {neuron!r}")  # its repr shows b, z and a
    print(f"  its 784 weights range from {w.min():.2f} to {w.max():.2f}; as a 28x28 image:")
    weights = out / "mnist-L2.1-weights.png"
    draw_weights(trained, layer=2, path=weights, neurons=["L2.1"])
    print(f"  {weights}  (L2.1's weights, with a key)")
    layer = out / "mnist-hidden-weights.png"
    draw_weights(trained, layer=2, path=layer)
    print(f"  {layer}  (all of layer 2, tiles named)")
    return [weights, layer]


def next_steps(written: list[Path], model: Path) -> None:
    """9. The files written, and the commands to try next."""
    heading("9. Files written, and what to try next")
    for path in written:
        print(f"  {path}")
    print(
        "\n  step through backprop on a digit:\n"
        f"    neurograph debug {model} --input 0\n"
        "  draw what the network computes for it:\n"
        f"    neurograph render {model} -o net.svg \\\n      --show activations --input 0\n"
        "  the c → ∞ limit of exercise 1.2:\n"
        "    neurograph limit -o limit.svg\n"
        "  the book's chapter 1 run:\n"
        "    neurograph train --epochs 30 --output model.json --plot curves.svg\n"
        "  replay a training run in a browser:\n"
        "    neurograph train --data moons --record moons.html\n"
        "  the reference of every function, in the book's notation:\n"
        "    neurograph docs            neurograph docs Network"
    )
