"""The `neurograph` command line: one subcommand per module of `neurograph.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import NeurographError

__all__ = ["main"]

# Each module defines `register(subparsers)`, which adds its subparser with `func` set.
COMMANDS = ("demo", "debug", "render", "limit", "train")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `neurograph` command, with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="neurograph",
        description="Build neural networks neuron by neuron, watch them compute and learn.",
    )
    parser.add_argument("--version", action="version", version=f"neurograph {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a full traceback when something fails"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"neurograph.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `neurograph` command.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 1 on an error (one line on stderr, a traceback only
        with ``--debug``), 2 on a usage error, 130 when interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NeurographError as err:
        if args.debug:
            raise
        print(f"neurograph {args.command}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"neurograph {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `neurograph demo | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 1
