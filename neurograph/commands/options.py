"""Reading the command line's numbers, targets, MNIST test images and examples, for the commands."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from neurograph.errors import ShapeError, UsageError
from neurograph.graph.cost_names import COST_NAMES

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from neurograph.graph.network import Network
    from neurograph.graph.neurons import Neuron

__all__ = [
    "MNIST_INPUTS",
    "add_example_options",
    "add_input_option",
    "as_typed",
    "check_reachable",
    "parse_seed",
    "mnist_test_image",
    "output_range",
    "parse_input",
    "parse_numbers",
    "parse_target",
    "read_example",
]

MNIST_INPUTS = 784

# the library's spelling of a fix -> the command line's, as the user types it
_TYPED = [
    (
        r"\buse CrossEntropyCost or output=SoftmaxLayer",
        "use --cost cross-entropy (or a model trained with --output-layer softmax)",
    ),
    (r"\b(QuadraticCost|CrossEntropyCost|LogLikelihoodCost)\b", None),
]
# an argument of the API named in a message ("eta must be ...") -> its option (--eta)
_ARGUMENT = re.compile(
    r"(?<![\w\-\.])(mini_batch_size|early_stopping|lmbda|eta|epochs|momentum|seed|classes)"
    r"(?= must\b| \(it was)"
)
_COST_OPTIONS = {"QuadraticCost": "quadratic", "CrossEntropyCost": "cross-entropy",
                 "LogLikelihoodCost": "log-likelihood"}  # fmt: skip


def as_typed(message: str) -> str:
    """An error message with its fixes and the arguments it names written as options.

    Examples
    --------
    >>> as_typed("LogLikelihoodCost needs a SoftmaxLayer; use CrossEntropyCost")
    '--cost log-likelihood needs a SoftmaxLayer; use --cost cross-entropy'
    >>> as_typed("mini_batch_size must be an integer from 1 to the 8 training examples, got 9")
    '--mini-batch-size must be an integer from 1 to the 8 training examples, got 9'
    """
    for pattern, replacement in _TYPED:
        if replacement is None:
            message = re.sub(pattern, lambda m: f"--cost {_COST_OPTIONS[m.group(1)]}", message)
        else:
            message = re.sub(pattern, replacement, message)
    return _ARGUMENT.sub(lambda m: "--" + m.group(1).replace("_", "-"), message)


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
    import numpy as np

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
    import numpy as np

    from neurograph.datasets import load_mnist_test

    X, labels = load_mnist_test()
    if not 0 <= index < len(X):
        msg = f"{option} {index}: the MNIST test set has images 0..{len(X) - 1}"
        raise UsageError(msg)
    return np.array(X[index]), int(labels[index])


def add_input_option(parser: argparse.ArgumentParser) -> None:
    """The ``--input`` option shared by `render`, `limit`, `debug` and `play`."""
    parser.add_argument(
        "--input",
        metavar="N|X1,X2,...",
        help="the input: comma-separated values, or for a 784-input (MNIST) network the "
        "index N of a test image",
    )


def parse_input(text: str, n_inputs: int) -> tuple[np.ndarray, int | None]:
    """The input vector `text` asks for, and its label when it is an MNIST test image.

    Parameters
    ----------
    text : str
        Comma-separated values; or, when the network has 784 inputs, a whole number ``N``:
        test image ``N`` of the bundled MNIST.
    n_inputs : int

    Returns
    -------
    x : ndarray, shape (n_inputs,)
    label : int or None

    Raises
    ------
    UsageError, ShapeError
        For an index out of range, a value that is not a number, or the wrong count.
    """
    import numpy as np

    if n_inputs == MNIST_INPUTS and re.fullmatch(r"\s*\d+\s*", text):
        return mnist_test_image(int(text), "--input")
    values = parse_numbers(text, "--input")
    if len(values) != n_inputs:
        hint = " (or the index of an MNIST test image)" if n_inputs == MNIST_INPUTS else ""
        msg = f"--input has {len(values)} values, but the network has {n_inputs} inputs{hint}"
        raise ShapeError(msg)
    return np.array(values), None


def add_example_options(parser: argparse.ArgumentParser) -> None:
    """Add a model, the example to run through it and its cost (``debug`` and ``play``).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        Gains ``model``, ``--input`` (values, or an MNIST test image by number), ``--target``,
        ``--cost`` and ``--eta``; read them back with [`read_example`][]. The old spelling
        ``--mnist-test N`` stays as a hidden alias of ``--input N``.
    """
    parser.add_argument("model", help="a network saved by ng.save (or a network2.py JSON file)")
    add_input_option(parser)
    parser.add_argument("--mnist-test", type=int, help=argparse.SUPPRESS)  # the old --input N
    parser.add_argument(
        "--target",
        metavar="LABEL|Y1,Y2,...",
        help="a class label or the desired outputs (default for an MNIST --input N: its "
        "label; without a target only the forward pass is stepped through)",
    )
    parser.add_argument(
        "--cost", choices=sorted(COST_NAMES), help="default: the model file's cost, else quadratic"
    )
    parser.add_argument(
        "--eta", type=float, help="also step through one SGD update, rate η (default: none)"
    )


def read_example(args: argparse.Namespace, net: Network) -> tuple[Any, Any]:
    """The input and target that [`add_example_options`][]' options ask for, checked.

    Parameters
    ----------
    args : argparse.Namespace
    net : Network
        The model they are for.

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
        For a missing input, a value that is not a number, an MNIST index out of range or a
        target the outputs cannot reach.
    """
    import numpy as np

    n_inputs, n_outputs = len(net.inputs), len(net.outputs)
    if args.input is None and args.mnist_test is None:
        msg = "give the input: --input X1,X2,... (or --input N for MNIST test image N)"
        raise UsageError(msg)
    y: Any = None
    if args.input is None or (n_inputs == MNIST_INPUTS and args.input.strip().isdigit()):
        index = args.mnist_test if args.input is None else int(args.input)
        x, y = mnist_test_image(index, "--input")
        given = "an MNIST image has"
    else:
        x, given = np.array(parse_numbers(args.input, "--input")), "--input gives"
    if len(x) != n_inputs:
        msg = f"{args.model} has {n_inputs} inputs, but {given} {len(x)} values"
        raise ShapeError(msg)
    if args.target is not None:
        y = parse_target(args.target, n_outputs)
        check_reachable(y, net.outputs)
    return x, y


def output_range(neuron: Neuron) -> tuple[float, float]:
    """The values a neuron's activation a = f(z) can take, from its class: f(-∞) to f(∞).

    Examples
    --------
    >>> import neurograph as ng
    >>> output_range(ng.SigmoidNeuron())
    (0.0, 1.0)
    """
    import numpy as np

    from neurograph.graph.neurons import SoftmaxUnit

    if isinstance(neuron, SoftmaxUnit):  # a_j = e^{z_j} / Σ_i e^{z_i} lies in [0, 1]
        return 0.0, 1.0
    with np.errstate(all="ignore"):
        ends = np.asarray(neuron.activation(np.array([-np.inf, np.inf])), dtype=float)
    low, high = np.nanmin(ends), np.nanmax(ends)
    return (float(low), float(high)) if np.isfinite(low) or np.isfinite(high) else (-np.inf, np.inf)


def check_reachable(y: Any, outputs: Sequence[Neuron]) -> None:
    """Refuse desired outputs that no activation of the output neurons can give.

    The API refuses cross-entropy targets outside [0, 1] (``Cost.check_targets``); the same
    rule holds for any cost when the outputs themselves are bounded: a sigmoid output never
    reaches 3, so ``--target 3`` on one sigmoid output is a mistake (most likely a class label
    given to a network with one output).

    Parameters
    ----------
    y : int, float or ndarray
        What [`parse_target`][] read; a whole number for several outputs is a class label.
    outputs : sequence of Neuron

    Raises
    ------
    UsageError
        Naming the output, the range of its activation and the value.
    """
    import numpy as np

    if isinstance(y, int) and len(outputs) > 1:
        return
    values = np.atleast_1d(np.asarray(y, dtype=float))
    for neuron, value in zip(outputs, values):
        low, high = output_range(neuron)
        if not low <= value <= high:
            label = " (a class label needs one output per class)" if len(outputs) == 1 else ""
            msg = (
                f"--target {float(value):g}: output {neuron.name!r} ({type(neuron).__name__}) "
                f"has a in [{low:g}, {high:g}], so it cannot reach {float(value):g}{label}; "
                f"give a value in [{low:g}, {high:g}]"
            )
            raise UsageError(msg)


def parse_seed(text: str) -> int:
    """An argparse type for ``--seed``: a whole number >= 0 (numpy's seeds are).

    Examples
    --------
    >>> parse_seed("3")
    3
    """
    if not re.fullmatch(r"\s*\d+\s*", text):
        msg = f"expected a whole number >= 0 such as 0 or 42, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)
