"""The command line's subcommands, one module each, on top of every other part.

Each module defines ``register(subparsers)``, which adds its subparser with ``func`` set;
[`build_parser`][] gathers them and [`neurograph.cli`][] runs the result. Commands may import
any part of the package.
"""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Iterable, Sequence
from typing import NoReturn

from neurograph.version import __version__

__all__ = ["COMMANDS", "CommandParser", "build_parser", "named_command"]

# name -> the one line `neurograph --help` says of it (its module is loaded only to run it)
COMMANDS = {
    "demo": "a guided tour: build, step through, draw, and train a network on MNIST",
    "debug": "step through the forward and backward passes neuron by neuron (like pdb)",
    "play": "write one pass as a page to step through in a browser (no Python needed)",
    "lab": "write a live page to change a network, step through it and train it (offline)",
    "render": "draw a saved network as SVG, PNG, PDF or DOT",
    "limit": "draw sigmoid neurons tending to perceptrons as c â â (exercise 1.2)",
    "train": "train a layered network on MNIST with the fast engine, saving it every epoch",
    "compare": "the learning slowdown: quadratic vs cross-entropy cost on one neuron (ch. 3)",
    "docs": "the reference of every public name, from the installed package",
    "export": "convert a saved network: JSON <-> safetensors (the PyTorch module's state_dict)",
}


def build_parser(loaded: Iterable[str] = tuple(COMMANDS)) -> argparse.ArgumentParser:
    """The argument parser of the `neurograph` command, with every subcommand registered.

    Parameters
    ----------
    loaded : iterable of str, optional
        The subcommands whose modules are imported to add their options (default: all); the
        others are listed with their one line only, so that ``neurograph --help`` and
        ``neurograph debug --help`` import neither matplotlib, Graphviz nor the engines.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = CommandParser(
        prog="neurograph",
        description="Build neural networks neuron by neuron, watch them compute and learn.",
    )
    parser.add_argument("--version", action="version", version=f"neurograph {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a full traceback when something fails"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    loaded = set(loaded)
    for name, summary in COMMANDS.items():
        if name in loaded:
            importlib.import_module(f"neurograph.commands.{name}").register(subparsers)
        else:
            subparsers.add_parser(name, help=summary)
    for sub in subparsers.choices.values():
        show_defaults(sub)
    return parser


class CommandParser(argparse.ArgumentParser):
    """The parser of `neurograph` and of its subcommands (argparse gives them its class).

    argparse reads ``--input -1,1`` as two options, ``--input`` without its value and an
    unknown ``-1,1``; its message then says only "expected one argument". This parser adds the
    fix, for every option at once: write the value after ``=``.
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and `message` (with the fix, when it is known) and exit with 2."""
        missing = re.fullmatch(r"argument (?:\S+/)?(\S+): expected one argument", message)
        if missing:
            option = missing.group(1)
            message += f"; a value that starts with '-' is written with '=', e.g. {option}=-1,1"
        super().error(message)


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


def named_command(argv: Sequence[str]) -> list[str]:
    """The subcommand that `argv` names, as a list for [`build_parser`][] (empty if none).

    Examples
    --------
    >>> named_command(["--debug", "debug", "m.json", "--input", "3"]), named_command(["-h"])
    (['debug'], [])
    """
    words = [word for word in argv if not word.startswith("-")]
    return words[:1] if words and words[0] in COMMANDS else []
