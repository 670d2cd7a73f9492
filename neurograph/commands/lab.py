"""`neurograph lab`: write the lab, a live page to edit a network and train it, offline."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from neurograph.datasets import TOY_NAMES, load_csv, toy
from neurograph.errors import UsageError
from neurograph.graph.builders import layered
from neurograph.graph.network import Network
from neurograph.io.atomic import check_output_path
from neurograph.io.files import load
from neurograph.live.lab import lab

__all__ = ["register", "run", "starter_network"]


def register(subparsers: Any) -> None:
    """Add the `lab` subcommand."""
    parser = subparsers.add_parser(
        "lab",
        help="write the lab: a page to edit a network, step through it and train it, offline",
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
    parser.add_argument(
        "--data",
        metavar="NAME|FILE.csv",
        help=f"a toy data set ({', '.join(TOY_NAMES)}; default xor) or a .csv file with one "
        "point per row and its label in the last column",
    )
    parser.add_argument("--points", type=int, default=200, help="points of a toy data set")
    parser.add_argument(
        "--cost",
        choices=("quadratic", "cross-entropy", "log-likelihood"),
        help="default: the model's meta cost, else cross-entropy",
    )
    parser.add_argument("--eta", type=float, default=1.0, help="the learning rate η")
    parser.add_argument("--lmbda", type=float, default=0.0, help="the L2 strength λ")
    parser.add_argument("--mini-batch-size", type=int, default=10, help="for training in the page")
    parser.add_argument(
        "--seed", type=int, default=0, help="of the data, the weights, the shuffles"
    )
    parser.add_argument(
        "-o", "--output", default="lab.html", metavar="PAGE.html", help="the page to write"
    )
    parser.set_defaults(func=run)


def starter_network(n_inputs: int, n_classes: int, data: str | None, seed: int) -> Network:
    """A small sigmoid network that can fit the data: one hidden layer of 8 (spiral: 16, 16).

    Returns
    -------
    Network
        Layered, with one output per class (two for two classes, so that each class has its
        own decision map).
    """
    hidden = [16, 16] if data == "spiral" else [8]
    return layered([n_inputs, *hidden, max(n_classes, 2)], seed=seed)


def run(args: argparse.Namespace) -> int:
    """Read the model and the data, write the page; the exit status."""
    out = check_output_path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        msg = f"-o {args.output}: expected a .html file"
        raise UsageError(msg)
    if args.points < 1:
        msg = f"--points must be at least 1, got {args.points}"
        raise UsageError(msg)
    name = args.data or "xor"
    if name in TOY_NAMES:
        X, y = toy(name, n=args.points, seed=args.seed)
    elif name.lower().endswith(".csv"):
        X, y = load_csv(name)
    else:
        msg = f"--data {name}: expected one of {', '.join(TOY_NAMES)} or a .csv file"
        raise UsageError(msg)
    classes = int(np.max(y)) + 1 if len(y) else 2
    net = load(args.model) if args.model else starter_network(X.shape[1], classes, name, args.seed)
    cost = args.cost or net.meta.get("cost") or "cross-entropy"
    page = lab(
        net, data=(X, y), cost=cost, eta=args.eta, lmbda=args.lmbda,
        mini_batch_size=args.mini_batch_size, seed=args.seed,
        title=f"The lab: {args.model or 'a small network'} on {name}",
    )  # fmt: skip
    path = page.save_html(out)
    size = path.stat().st_size / 1024
    print(f"wrote {path} ({size:,.0f} KiB): open it in a browser (offline, no Python needed)")
    return 0
