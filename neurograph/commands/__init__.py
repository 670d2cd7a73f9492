"""The command line's subcommands, one module each, on top of every other part.

Each module defines ``register(subparsers)``, which adds its subparser with ``func`` set;
[`build_parser`][] gathers them and [`neurograph.cli`][] runs the result. Commands may import
any part of the package.
"""

from __future__ import annotations

import argparse
import importlib

from neurograph.version import __version__

__all__ = ["COMMANDS", "build_parser"]

COMMANDS = ("demo", "debug", "play", "lab", "render", "limit", "train", "compare", "export")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `neurograph` command, with every subcommand registered.

    Returns
    -------
    argparse.ArgumentParser
    """
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
    for sub in subparsers.choices.values():
        show_defaults(sub)
    return parser


def show_defaults(parser: argparse.ArgumentParser) -> None:
    """End the help of every option that does not say its default with it, as ``--help`` shows.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        One subcommand's parser; hidden options (``help=SUPPRESS``) stay hidden.
    """
    for action in parser._actions:
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._HelpAction) or "default" in (action.help or ""):
            continue
        if action.required:
            said = "required"
        elif action.default is None:
            said = "default: none"
        elif action.default is False:
            said = "default: off"
        else:
            said = f"default: {action.default}"
        action.help = f"{action.help} ({said})" if action.help else f"({said})"
