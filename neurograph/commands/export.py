"""`neurograph export`: convert a saved network between JSON and safetensors (for PyTorch)."""

from __future__ import annotations

import argparse
from typing import Any

from neurograph.commands import COMMANDS
from neurograph.io.files import load, save
from neurograph.io.outputs import MODEL_FORMATS, check_outputs

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the `export` subcommand."""
    parser = subparsers.add_parser(
        "export",
        help=COMMANDS["export"],
        description=(
            "Read a network (neurograph JSON, the book's network2.py JSON, or .safetensors) and "
            "write it again, by the output's extension: .safetensors holds the tensors under "
            "the names of ng.to_torch(net).state_dict() and the architecture as metadata; "
            ".json is neurograph's JSON. No pickle either way."
        ),
    )
    parser.add_argument("model", help="the saved network to read")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="e.g. model.safetensors"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load `args.model` and save it as `args.output`; the exit status."""
    check_outputs({"--output": (args.output, MODEL_FORMATS)}, {"model": args.model})
    net = load(args.model)
    print(f"wrote {save(net, args.output)}")
    return 0
