"""Reading the command line's numbers, targets, MNIST test images and examples, for the commands."""

from __future__ import annotations

import argparse
import re
from typing import Any

import numpy as np

from neurograph.errors import ShapeError, UsageError
from neurograph.graph.costs import COSTS

__all__ = [
    "add_example_options",
    "mnist_test_image",
    "parse_numbers",
    "parse_target",
    "read_example",
]


def parse_numbers(text: str, option: str) -> list[float]:
    """Read comma-separated numbers, e.g. ``"0.1, 0.2,1e-3"``.

    Parameters
    ----------
    text : str
    option : str
        The option's name, for the message.

    Returns
    -------
    list of float

    Raises
    ------
    UsageError
        Naming the option and the first value that is not a number.

    Examples
    --------
    >>> parse_numbers("0.1, 0.2,1e-3", "--input")
    [0.1, 0.2, 0.001]
    """
    values = []
    for part in text.split(","):
        try:
            values.append(float(part))
        except ValueError:
            msg = f"{option}: {part.strip()!r} is not a number (expected e.g. 0.1,0.2,0.3)"
            raise UsageError(msg) from None
    return values


def parse_target(text: str, n_outputs: int) -> Any:
    """A label (a whole number, when there are several outputs) or the desired outputs.

    Parameters
    ----------
    text : str
        ``"3"`` or ``"0,1,0.5"``.
    n_outputs : int

    Returns
    -------
    int, float or ndarray

    Examples
    --------
    >>> parse_target("3", 10), parse_target("0.5", 1)
    (3, 0.5)
    """
    if re.fullmatch(r"\s*\d+\s*", text) and n_outputs > 1:
        return int(text)
    values = parse_numbers(text, "--target")
    return values[0] if len(values) == 1 and n_outputs == 1 else np.array(values)


def mnist_test_image(index: int, option: str) -> tuple[np.ndarray, int]:
    """Test image `index` of the bundled MNIST and its label.

    Parameters
    ----------
    index : int
    option : str
        The option that asked for it, for the message.

    Returns
    -------
    x : ndarray, shape (784,)
    label : int

    Raises
    ------
    UsageError
        For an index outside 0..9999.
    """
    from neurograph.datasets import load_mnist

    X, labels = load_mnist()[2]
    if not 0 <= index < len(X):
        msg = f"{option} {index}: the MNIST test set has images 0..{len(X) - 1}"
        raise UsageError(msg)
    return np.array(X[index]), int(labels[index])


def add_example_options(parser: argparse.ArgumentParser) -> None:
    """Add a model, the example to run through it and its cost (``debug`` and ``play``).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        Gains ``model``, ``--input`` or ``--mnist-test`` (one is required), ``--target``,
        ``--cost`` and ``--eta``; read them back with :func:`read_example`.
    """
    parser.add_argument("model", help="a network saved by ng.save (or a network2.py JSON file)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", metavar="X1,X2,...", help="the input, comma-separated")
    source.add_argument(
        "--mnist-test", metavar="N", type=int, help="use test image N of the bundled MNIST"
    )
    parser.add_argument(
        "--target",
        metavar="LABEL|Y1,Y2,...",
        help="a class label or the desired outputs (default with --mnist-test: its label; "
        "without a target only the forward pass is stepped through)",
    )
    parser.add_argument(
        "--cost", choices=sorted(COSTS), help="default: the model file's cost, else quadratic"
    )
    parser.add_argument("--eta", type=float, help="also step through one SGD update, rate η")


def read_example(args: argparse.Namespace, n_inputs: int, n_outputs: int) -> tuple[Any, Any]:
    """The input and target that :func:`add_example_options`' options ask for, checked.

    Returns
    -------
    x : ndarray, shape (n_inputs,)
    y : int, float, ndarray or None
        None when no target was given (and no MNIST label applies).

    Raises
    ------
    ShapeError
        When the input does not fit the model.
    UsageError
        For a value that is not a number or an MNIST index out of range.
    """
    y: Any = None
    if args.mnist_test is not None:
        x, y = mnist_test_image(args.mnist_test, "--mnist-test")
        given = "an MNIST image has"
    else:
        x, given = np.array(parse_numbers(args.input, "--input")), "--input gives"
    if len(x) != n_inputs:
        msg = f"{args.model} has {n_inputs} inputs, but {given} {len(x)} values"
        raise ShapeError(msg)
    if args.target is not None:
        y = parse_target(args.target, n_outputs)
    return x, y
