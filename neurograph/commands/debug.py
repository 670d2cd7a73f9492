"""`neurograph debug`: step through a network's forward and backward passes, like pdb."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.commands.options import add_example_options, read_example

__all__ = ["register", "run"]

HISTORY = "~/.neurograph_history"


def register(subparsers: Any) -> None:
    """Add the `debug` subcommand."""
    parser = subparsers.add_parser(
        "debug",
        help=COMMANDS["debug"],
        description=(
            "Step through a saved network's forward pass, cost and backward pass one neuron "
            "at a time, with the book's equations and the real numbers. Type help at the "
            "(ngdb) prompt for its commands."
        ),
        epilog="A first value that is negative needs '=': --input=-0.5,1.",
    )
    add_example_options(parser)
    parser.add_argument("--trace", action="store_true", help="print every event and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the model, then trace every event or open the (ngdb) prompt; the exit status."""
    import numpy as np

    from neurograph.commands.debug_shell import DebugShell
    from neurograph.commands.standardize import model_inputs
    from neurograph.debug.debugger import Debugger
    from neurograph.io.files import load

    net = load(args.model)
    x, y = read_example(args, net)
    x = model_inputs(net, x, args.model)  # standardized as the training inputs were
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
