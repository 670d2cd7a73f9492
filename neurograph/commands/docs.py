"""`neurograph docs`: the installed package's own reference, read from its docstrings."""

from __future__ import annotations

import argparse
import difflib
import importlib
import inspect
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.errors import UsageError

__all__ = ["register", "run"]

BOOK = "http://neuralnetworksanddeeplearning.com/"
WIDTH = 100  # the house's line length: a summary longer than this is cut with "…"


def register(subparsers: Any) -> None:
    """Add the `docs` subcommand."""
    parser = subparsers.add_parser(
        "docs",
        help=COMMANDS["docs"],
        description=(
            "Without a name: every public name of `import neurograph as ng` with its first "
            "line. With a name (Network, layered, datasets.load_csv, ...): its signature and "
            f"its documentation, in the book's notation. The book: {BOOK}"
        ),
    )
    parser.add_argument(
        "name", nargs="?", help="a public name, e.g. Network or datasets.load_mnist"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the list of public names, or one name's documentation; the exit status."""
    import neurograph

    if args.name is None:
        print(f"import neurograph as ng  (after Nielsen's book, {BOOK})\n")
        for name in neurograph.__all__:
            summary = (_doc(neurograph, name).strip().splitlines() or [""])[0]
            line = f"  ng.{name:20s} {summary}"
            print(line if len(line) <= WIDTH else line[: WIDTH - 1] + "…")
        print("\nneurograph docs NAME shows one of them in full, e.g. neurograph docs Network")
        return 0
    print(_page(args.name.removeprefix("ng.")))
    return 0


def _doc(module: Any, name: str) -> str:
    """The docstring of `module.name`; a part that needs an extra says which."""
    try:
        value = getattr(module, name)
    except ImportError as err:
        return f"(needs an extra: {err})"
    return repr(value) if isinstance(value, str) else inspect.getdoc(value) or ""


def _page(dotted: str) -> str:
    """The signature and docstring of ``ng.<dotted>``."""
    import neurograph

    owner: Any = neurograph
    head, _, name = dotted.rpartition(".")
    if head:
        if head not in neurograph.__all__ or not inspect.ismodule(getattr(neurograph, head)):
            _unknown(dotted, neurograph.__all__)
        owner = importlib.import_module(getattr(neurograph, head).__name__)
    names = list(getattr(owner, "__all__", []))
    if name not in names:
        _unknown(dotted, [f"{head}.{n}" if head else n for n in names])
    value = getattr(owner, name)
    try:
        signature = f"{dotted}{inspect.signature(value)}"
    except (TypeError, ValueError):
        signature = dotted
    return f"ng.{signature}\n\n{_doc(owner, name)}"


def _unknown(name: str, known: list[str]) -> None:
    close = difflib.get_close_matches(name, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    msg = f"no public name {name!r} in neurograph{hint} (neurograph docs lists them)"
    raise UsageError(msg)
