"""Reading the command line's numbers, targets and MNIST test images, shared by the commands."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from neurograph.errors import UsageError

__all__ = ["as_typed", "mnist_test_image", "parse_numbers", "parse_target"]

# the library's spelling of a fix -> the command line's, as the user types it
_TYPED = [
    (
        r"\buse CrossEntropyCost or output=SoftmaxLayer",
        "use --cost cross-entropy (or a model trained with --output-layer softmax)",
    ),
    (r"\b(QuadraticCost|CrossEntropyCost|LogLikelihoodCost)\b", None),
]
_COST_OPTIONS = {"QuadraticCost": "quadratic", "CrossEntropyCost": "cross-entropy",
                 "LogLikelihoodCost": "log-likelihood"}  # fmt: skip


def as_typed(message: str) -> str:
    """An error message with its fixes written as command-line options.

    Examples
    --------
    >>> as_typed("LogLikelihoodCost needs a SoftmaxLayer; use CrossEntropyCost")
    '--cost log-likelihood needs a SoftmaxLayer; use --cost cross-entropy'
    """
    for pattern, replacement in _TYPED:
        if replacement is None:
            message = re.sub(pattern, lambda m: f"--cost {_COST_OPTIONS[m.group(1)]}", message)
        else:
            message = re.sub(pattern, replacement, message)
    return message


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
