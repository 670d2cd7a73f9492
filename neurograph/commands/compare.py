"""`neurograph compare`: the learning slowdown (ch. 3), or costs, momentum and L2 on any data."""

from __future__ import annotations

import argparse
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.commands.data import (
    DataOptions,
    add_data_options,
    check_fit,
    default_sizes,
    load_data,
    parse_sizes,
)
from neurograph.commands.options import parse_numbers, parse_seed
from neurograph.errors import UsageError
from neurograph.graph.builders import layered
from neurograph.graph.costs import COSTS
from neurograph.io.outputs import check_outputs
from neurograph.playground.compare import BOOK_STARTS, CURVE_FORMATS, compare

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the `compare` subcommand."""
    parser = subparsers.add_parser(
        "compare",
        help=COMMANDS["compare"],
        description=(
            "Train one sigmoid neuron on x = 1 -> y = 0 with eta = 0.15 for 300 epochs from the "
            "book's starting points (w = 0.6, b = 0.9 and w = 2, b = 2) with each cost, and "
            "print its cost and output at epochs 0, 50, 100, 150, 200 and 300. With --data, "
            "train a network instead, every run from the same initial weights and shuffles."
        ),
        epilog="A negative first value needs '=': --start=-1,2.",
    )
    add = parser.add_argument
    add(
        "--costs",
        default="quadratic,cross-entropy",
        metavar="C1,C2",
        help=f"the costs compared, from {', '.join(COSTS)} (default quadratic,cross-entropy)",
    )
    add(
        "--start",
        action="append",
        metavar="W,B",
        help="a starting point of the neuron (repeat it; default 0.6,0.9 and 2,2)",
    )
    add("--eta", type=float, default=None, help="learning rate η (default 0.15; 3.0 with --data)")
    add("--epochs", type=int, default=None, help="epochs (default 300; 10 with --data)")
    add("--momentum", default="0", metavar="MU1,MU2", help="momentum values to compare")
    add("--lmbda", default="0", metavar="L1,L2", help="L2 strengths λ to compare")
    add_data_options(parser, without="the one neuron of the book")
    add("--sizes", help="the network's sizes with --data (default as `neurograph train`)")
    add("--mini-batch-size", type=int, default=None, help="default 1, 10 with --data")
    add(
        "--seed",
        type=parse_seed,
        default=0,
        help="initial weights and shuffles, the same for all runs",
    )
    add("-o", "--output", metavar="FILE", help="also draw the curves: figure.png or figure.svg")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the comparison, print its table (and write the figure); the exit status."""
    check_outputs({"--output": (args.output, CURVE_FORMATS)}, {"--data": args.data})
    costs = [c.strip() for c in args.costs.split(",") if c.strip()]
    momentum = parse_numbers(args.momentum, "--momentum")
    lmbda = parse_numbers(args.lmbda, "--lmbda")
    options: dict[str, Any] = {"momentum": momentum, "lmbda": lmbda, "seed": args.seed}
    if args.data is None:
        starts = [_start(text) for text in args.start] if args.start else list(BOOK_STARTS)
        options.update(
            starts=starts, eta=0.15 if args.eta is None else args.eta, epochs=_epochs(args, 300)
        )
    else:
        if args.start:
            msg = "--start sets the one neuron's (w, b); a network from --data has its own"
            raise UsageError(msg)
        data = load_data(DataOptions.from_args(args))
        n_in = data.train[0].shape[1]
        sizes = (
            parse_sizes(args.sizes) if args.sizes else default_sizes(args.data, n_in, data.classes)
        )
        check_fit(sizes, data)
        options.update(
            net=layered(sizes, seed=args.seed, labels=data.labels),
            data=data.train,
            evaluation_data=data.evaluation,
            eta=3.0 if args.eta is None else args.eta,
            epochs=_epochs(args, 10),
        )
    result = compare(costs, mini_batch_size=args.mini_batch_size, **options)
    print(result.table())
    if args.output:
        print(f"wrote {result.save(args.output)}")
    return 0


def _epochs(args: argparse.Namespace, default: int) -> int:
    epochs = default if args.epochs is None else args.epochs
    if epochs < 1:
        msg = f"--epochs must be at least 1, got {epochs}"
        raise UsageError(msg)
    return epochs


def _start(text: str) -> tuple[float, float]:
    values = parse_numbers(text, "--start")
    if len(values) != 2:
        msg = f"--start expects two numbers W,B like 2,2, got {text!r}"
        raise UsageError(msg)
    return values[0], values[1]
