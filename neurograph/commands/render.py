"""`neurograph render`: draw a saved network to SVG, PNG, PDF or DOT, with its values."""

from __future__ import annotations

import argparse
import dataclasses
import shutil
from pathlib import Path
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.commands.data import DataOptions, add_data_options, load_data
from neurograph.commands.options import (
    add_input_option,
    check_reachable,
    parse_input,
    parse_target,
)
from neurograph.commands.standardize import model_inputs
from neurograph.errors import UsageError
from neurograph.graph.costs import COSTS, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import Neuron
from neurograph.io.files import load
from neurograph.io.outputs import check_outputs
from neurograph.pictures.diagram import FORMATS, SHOWS, draw, render

__all__ = ["demo_diagrams", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the `render` subcommand."""
    parser = subparsers.add_parser(
        "render",
        help=COMMANDS["render"],
        description=(
            "Draw a network saved by ng.save (or a network2.py JSON file) with Graphviz. The "
            "format comes from the output's extension: .svg, .png, .pdf, or .dot (the DOT "
            "source, which needs no Graphviz)."
        ),
        epilog="A first value that is negative needs '=': --input=-0.5,1.",
    )
    parser.add_argument("model", help="the saved network (JSON)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. net.svg")
    parser.add_argument(
        "--show", choices=SHOWS, default="weights", help="what to draw (default: weights)"
    )
    add_input_option(parser)
    parser.add_argument(
        "--target",
        metavar="LABEL|Y1,Y2,...",
        help="for --show deltas/gradients: a class label or the desired outputs "
        "(default for an MNIST image: its label)",
    )
    parser.add_argument(
        "--cost", choices=sorted(COSTS), help="default: the model file's cost, else quadratic"
    )
    add_data_options(parser, training=False, without="no points")
    add_size_options(parser)
    parser.set_defaults(func=run)


def add_size_options(parser: argparse.ArgumentParser, *, per_size: bool = False) -> None:
    """The options that limit the size of a diagram, and its title.

    With `per_size`, the defaults are left to the drawing, which picks them by the network's
    size (as ``draw_limit`` does).
    """
    neurons, edges = (None, None) if per_size else (12, 60)
    by_size = " (default: 12, or 6 for a level of more than 12 neurons)" if per_size else ""
    parser.add_argument(
        "--max-neurons",
        type=int,
        default=neurons,
        metavar="N",
        help="most neurons drawn per level" + by_size,
    )
    by_size = " (default: 60, or 20 for a level of more than 12 neurons)" if per_size else ""
    parser.add_argument(
        "--max-edges", type=int, default=edges, metavar="N", help="most edges drawn" + by_size
    )
    parser.add_argument("--title", help="a title above the legend (default: says what is drawn)")


def _target(text: str | None, label: int | None, outputs: list[Neuron], show: str) -> Any:
    """The desired output of ``--target`` (refused where the outputs cannot reach it), else the
    MNIST image's label."""
    if text is None:
        if label is None:
            msg = (
                f"--show {show} needs a backward pass: give --target LABEL or --target "
                "Y1,Y2,... (an MNIST --input N gives its label)"
            )
            raise UsageError(msg)
        return label
    y = parse_target(text, len(outputs))
    check_reachable(y, outputs)
    return y


def run(args: argparse.Namespace) -> int:
    """Load, run the passes `--show` needs, draw and write; returns the exit status."""
    check_outputs({"--output": (args.output, FORMATS)}, {"model": args.model})
    net = load(args.model)
    if args.show not in ("weights", "maps") and args.input is None:
        msg = f"--show {args.show} needs an input: give --input X1,X2,... (or an MNIST index)"
        raise UsageError(msg)
    if args.data is not None and args.show != "maps":
        msg = (
            f"--data draws the data's points on the maps of --show maps, not on --show {args.show}"
        )
        raise UsageError(msg)
    y, points = None, _points(net, args)
    if args.input is not None:
        x, label = parse_input(args.input, len(net.inputs))
        y = label
        net.forward(model_inputs(net, x, args.model))
        if args.show in ("deltas", "gradients"):
            y = _target(args.target, label, net.outputs, args.show)
            net.backward(y, get_cost(args.cost or net.meta.get("cost") or "quadratic"))
    graph = draw(
        net,
        show=args.show,
        max_neurons=args.max_neurons,
        max_edges=args.max_edges,
        title=args.title,
        y=y,
        data=points,
    )
    print(f"wrote {render(graph, args.output)}")
    return 0


def _points(net: Network, args: argparse.Namespace) -> Any:
    """The held-out points of ``--data``, standardized as the model's inputs, or None."""
    if args.data is None:
        return None
    options = DataOptions.from_args(args)
    data = load_data(dataclasses.replace(options, standardize=False))
    X, y = data.evaluation
    return model_inputs(net, X, args.model), y


def demo_diagrams(net: Network, folder: str | Path) -> list[Path]:
    """Write the tour's diagrams into `folder` (made if missing): SVG, or DOT without Graphviz.

    Parameters
    ----------
    net : Network
        After a forward and a backward pass.
    folder : str or pathlib.Path

    Returns
    -------
    list of pathlib.Path
        The network's activations, its gradients, and the c → ∞ limit of exercise 1.2.
    """
    from neurograph.pictures.limit import draw_limit, tie_network

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        msg = f"cannot make the folder {str(folder)!r}: {err}"
        raise UsageError(msg) from err
    ext = "svg" if shutil.which("dot") else "dot"  # the DOT source needs no Graphviz
    tie, x = tie_network()
    return [
        render(draw(net, "activations"), folder / f"network-activations.{ext}"),
        render(draw(net, "gradients"), folder / f"network-gradients.{ext}"),
        render(draw_limit(tie, x), folder / f"limit.{ext}"),
    ]
