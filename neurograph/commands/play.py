"""`neurograph play`: write a saved network's pass as a player page, one self-contained file."""

from __future__ import annotations

import argparse
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.commands.options import add_example_options, read_example

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the `play` subcommand."""
    parser = subparsers.add_parser(
        "play",
        help=COMMANDS["play"],
        description=(
            "Record a saved network's forward pass, cost and backward pass (and with --eta one "
            "update) on one example, and write it as one self-contained HTML file: open it by "
            "double-click, offline, and step forward and back through every neuron's equation."
        ),
        epilog="The input options are those of `neurograph debug`. A first value that is "
        "negative needs '=': --input=-0.5,1.",
    )
    add_example_options(parser)
    parser.add_argument(
        "-o", "--output", default="pass.html", metavar="PAGE.html", help="default: pass.html"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the model, record the pass, write the page; the exit status."""
    from neurograph.commands.standardize import model_inputs
    from neurograph.io.files import load
    from neurograph.io.outputs import PAGE_FORMATS, check_outputs
    from neurograph.player.recording import record

    check_outputs({"--output": (args.output, PAGE_FORMATS)}, {"model": args.model})
    net = load(args.model)
    x, y = read_example(args, net)
    x = model_inputs(net, x, args.model)  # standardized as the training inputs were
    cost = args.cost or net.meta.get("cost") or "quadratic"
    rec = record(net, x, y, cost, eta=args.eta)
    path = rec.save_html(args.output)
    size = path.stat().st_size / 1024
    print(f"wrote {path} ({len(rec)} events, {size:,.0f} KiB): open it in a browser")
    return 0
