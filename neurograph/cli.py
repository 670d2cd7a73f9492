"""The `neurograph` command line: parse, run one subcommand of `neurograph.commands`, report."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from neurograph.commands import build_parser, named_command
from neurograph.commands.options import as_typed
from neurograph.errors import NeurographError

__all__ = ["main"]


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
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(named_command(argv))  # only the command that runs is imported
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NeurographError as err:
        if args.debug:
            raise
        print(f"neurograph {args.command}: error: {as_typed(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"neurograph {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `neurograph demo | head`: the reader left early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 1
