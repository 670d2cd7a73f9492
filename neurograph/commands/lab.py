"""`neurograph lab`: write the lab, a live page to edit a network and train it, offline."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.commands.data import DataOptions, add_data_options, load_data
from neurograph.commands.options import parse_seed
from neurograph.graph.builders import layered
from neurograph.graph.network import Network
from neurograph.io.files import load
from neurograph.io.outputs import PAGE_FORMATS, check_outputs
from neurograph.live.lab import check_fits, lab

__all__ = ["register", "run", "starter_network"]


def register(subparsers: Any) -> None:
    """Add the `lab` subcommand."""
    parser = subparsers.add_parser(
        "lab",
        help=COMMANDS["lab"],
        description=(
            "Write one self-contained HTML page where a network is edited (weights, biases, "
            "input, target, neurons, layers, kinds, cost, η, λ), stepped through equation by "
            "equation, and trained on the data; it opens offline by double-click, and "
            "'Save model' gives back a file that ng.load reads."
        ),
    )
    parser.add_argument(
        "model", nargs="?", help="a network file (default: a small network that fits the data)"
    )
    add_data_options(parser, without="the toy data set xor")
    parser.add_argument(
        "--cost",
        choices=("quadratic", "cross-entropy", "log-likelihood"),
        help="default: the model's meta cost, else cross-entropy",
    )
    parser.add_argument("--eta", type=float, default=1.0, help="the learning rate η")
    parser.add_argument("--lmbda", type=float, default=0.0, help="the L2 strength λ")
    parser.add_argument("--mini-batch-size", type=int, default=10, help="for training in the page")
    parser.add_argument(
        "--seed", type=parse_seed, default=0, help="of the weights and the page's shuffles"
    )
    parser.add_argument(
        "-o", "--output", default="lab.html", metavar="PAGE.html", help="the page to write"
    )
    parser.set_defaults(func=run)


def starter_network(
    n_inputs: int,
    n_classes: int,
    data: str | None,
    seed: int,
    labels: list[str] | None = None,
) -> Network:
    """A small sigmoid network that can fit the data: one hidden layer of 8 (spiral: 16, 16).

    Parameters
    ----------
    n_inputs, n_classes : int
    data : str or None
        The data's name (``--data``).
    seed : int
    labels : list of str, optional
        The classes' names, for the outputs.

    Returns
    -------
    Network
        Layered, with one output per class (two for two classes, so that each class has its
        own decision map).
    """
    hidden = [16, 16] if data == "spiral" else [8]
    n_out = max(n_classes, 2)
    names = labels if labels is not None and len(labels) == n_out else None
    return layered([n_inputs, *hidden, n_out], seed=seed, labels=names)


def run(args: argparse.Namespace) -> int:
    """Read the model and the data, write the page; the exit status."""
    check_outputs(
        {"--output": (args.output, PAGE_FORMATS)}, {"model": args.model, "--data": args.data}
    )
    net = load(args.model) if args.model else None
    options = DataOptions.from_args(args)
    if args.data is None:  # the lab's own default: a small 2-D set, not MNIST
        options = dataclasses.replace(options, source="xor")
    saved = net.meta.get("standardize") if net is not None else None
    data = load_data(options, standardize=saved)  # as the model's training inputs were
    X, y = data.train
    check_fits(X.shape, f"--data {options.source or 'mnist'}", "add --limit {most}")
    if net is None:
        net = starter_network(X.shape[1], data.classes, options.source, args.seed, data.labels)
        if data.standardize is not None:  # "Save model" keeps it, for every later use
            net.meta["standardize"] = data.standardize
    cost = args.cost or net.meta.get("cost") or "cross-entropy"
    page = lab(
        net, data=(X, y), cost=cost, eta=args.eta, lmbda=args.lmbda,
        mini_batch_size=args.mini_batch_size, seed=args.seed,
        title=f"The lab: {args.model or 'a small network'} on {options.source}",
    )  # fmt: skip
    path = page.save_html(args.output)
    size = path.stat().st_size / 1024
    print(f"wrote {path} ({size:,.0f} KiB): open it in a browser (offline, no Python needed)")
    return 0
