"""`neurograph limit`: draw the perceptron as the c → ∞ limit of a sigmoid neuron (ex. 1.2)."""

from __future__ import annotations

import argparse
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.commands.options import add_input_option, parse_input, parse_numbers
from neurograph.commands.render import add_size_options
from neurograph.commands.standardize import model_inputs
from neurograph.errors import UsageError
from neurograph.io.files import load
from neurograph.io.outputs import check_outputs
from neurograph.pictures.diagram import FORMATS, render
from neurograph.pictures.limit import draw_limit, tie_network

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the `limit` subcommand."""
    parser = subparsers.add_parser(
        "limit",
        help=COMMANDS["limit"],
        description=(
            "Multiply every weight and bias by c and draw the sigmoid network for each c next "
            "to the perceptrons' 0/1 outputs; neurons with w·x + b = 0 are marked (stuck at "
            "1/2). Without a model: a small perceptron network with such a neuron."
        ),
        epilog="A first value that is negative needs '=': --input=-0.5,1.",
    )
    parser.add_argument(
        "model", nargs="?", help="a saved network of perceptrons or sigmoid neurons (JSON)"
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. limit.svg")
    add_input_option(parser)
    parser.add_argument(
        "--cs", default="1,2,10,100", metavar="C1,C2,...", help="the scale factors c > 0"
    )
    add_size_options(parser, per_size=True)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load (or build) the network, draw its limit panels and write them; the exit status."""
    check_outputs({"--output": (args.output, FORMATS)}, {"model": args.model})
    cs = parse_numbers(args.cs, "--cs")
    if args.model is None:
        net, x = tie_network()
    else:
        net = load(args.model)
        if args.input is None:
            msg = f"{args.model}: give the input with --input X1,X2,... (or an MNIST index)"
            raise UsageError(msg)
    if args.input is not None:
        x = list(model_inputs(net, parse_input(args.input, len(net.inputs))[0], args.model))
    graph = draw_limit(
        net, x, cs, max_neurons=args.max_neurons, max_edges=args.max_edges, title=args.title
    )
    print(f"wrote {render(graph, args.output)}")
    return 0
