"""`neurograph debug`: step through a network's forward and backward passes, like pdb."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.commands.debug_shell import DebugShell
from neurograph.commands.options import mnist_test_image, parse_numbers, parse_target
from neurograph.commands.render import MNIST_INPUTS, add_input_option, parse_input
from neurograph.debug.debugger import Debugger
from neurograph.errors import ShapeError, UsageError
from neurograph.graph.costs import COSTS
from neurograph.io.files import load

__all__ = ["DebugShell", "register", "run"]

HISTORY = "~/.neurograph_history"


def register(subparsers: Any) -> None:
    """Add the `debug` subcommand."""
    parser = subparsers.add_parser(
        "debug",
        help="step through the forward and backward passes neuron by neuron (like pdb)",
        description=(
            "Step through a saved network's forward pass, cost and backward pass one neuron "
            "at a time, with the book's equations and the real numbers. Type help at the "
            "(ngdb) prompt for its commands."
        ),
        epilog="A first value that is negative needs '=': --input=-0.5,1.",
    )
    parser.add_argument("model", help="a network saved by ng.save (or a network2.py JSON file)")
    add_input_option(parser)
    parser.add_argument("--mnist-test", type=int, help=argparse.SUPPRESS)  # the old --input N
    parser.add_argument(
        "--target",
        metavar="LABEL|Y1,Y2,...",
        help="a class label or the desired outputs (default for an MNIST --input N: its "
        "label; "
        "without a target only the forward pass is stepped through)",
    )
    parser.add_argument(
        "--cost", choices=sorted(COSTS), help="default: the model file's cost, else quadratic"
    )
    parser.add_argument("--eta", type=float, help="also step through one SGD update, rate η")
    parser.add_argument("--trace", action="store_true", help="print every event and exit")
    parser.set_defaults(func=run)


def _example(args: argparse.Namespace, n_inputs: int, n_outputs: int) -> tuple[Any, Any]:
    """The input and target the arguments ask for, checked against the model's size."""
    y: Any = None
    if args.mnist_test is not None and args.input is None:
        x, y = mnist_test_image(args.mnist_test, "--input")
        given = "an MNIST image has"
    elif args.input is None:
        msg = "debug needs an input: give --input X1,X2,... (or --input N for MNIST test image N)"
        raise UsageError(msg)
    elif n_inputs == MNIST_INPUTS and args.input.strip().isdigit():
        x, y = parse_input(args.input, n_inputs)
        given = "an MNIST image has"
    else:
        x, given = np.array(parse_numbers(args.input, "--input")), "--input gives"
    if len(x) != n_inputs:
        msg = f"{args.model} has {n_inputs} inputs, but {given} {len(x)} values"
        raise ShapeError(msg)
    if args.target is not None:
        y = parse_target(args.target, n_outputs)
    return x, y


def run(args: argparse.Namespace) -> int:
    """Load the model, then trace every event or open the (ngdb) prompt; the exit status."""
    net = load(args.model)
    x, y = _example(args, len(net.inputs), len(net.outputs))
    cost = args.cost or net.meta.get("cost") or "quadratic"
    dbg = Debugger(net, x, y, cost, eta=args.eta)
    if args.trace:
        try:
            while (event := dbg.step()) is not None:
                print(dbg.where().title)
                print("\n".join("  " + line for line in event.lines()), flush=True)
        except BrokenPipeError:  # the reader left (e.g. `| head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    interactive = sys.stdin.isatty()
    shell = DebugShell(dbg, sys.stdin, sys.stdout, interactive=interactive)
    shown = np.asarray(y).tolist() if y is not None else None
    what = f"target {shown!s:.40}, {dbg.cost.name}" if y is not None else "forward pass only"
    intro = (
        f"neurograph debug {args.model}: {_count(len(net.inputs), 'input')}, "
        f"{_count(len(net.outputs), 'output')}, {what}\n"
        f"{dbg.total} events. Type help for the commands, step (s) to begin."
    )
    history = _start_history() if interactive else None
    try:
        while True:
            try:
                shell.cmdloop(intro)
                break
            except KeyboardInterrupt:
                shell.say("\n(interrupted; type quit to leave)")
                intro = ""
    finally:
        if history is not None:
            _save_history(history)
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _start_history() -> Path | None:
    """Turn on line editing and load the history file (``$NEUROGRAPH_HISTORY``)."""
    try:
        import readline
    except ImportError:  # no GNU readline on this platform: plain input still works
        return None
    path = Path(os.path.expanduser(os.environ.get("NEUROGRAPH_HISTORY", HISTORY)))
    readline.set_history_length(1000)
    if path.is_file():
        try:
            readline.read_history_file(path)
        except OSError:
            pass
    return path


def _save_history(path: Path) -> None:
    import readline

    try:
        readline.write_history_file(path)
    except OSError:
        pass
