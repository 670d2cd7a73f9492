"""The data a command trains on (``--data`` and its options) and the network that fits it."""

from __future__ import annotations

import argparse
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.commands.standardize import standardized, statistics
from neurograph.datasets import TOY_NAMES, load_csv, load_idx_dataset, load_mnist, toy
from neurograph.errors import DataError, ShapeError, UsageError
from neurograph.graph.types import is_real

__all__ = [
    "N_TOY",
    "N_VALIDATION",
    "Data",
    "DataOptions",
    "add_data_options",
    "check_fit",
    "default_sizes",
    "load_data",
    "parse_sizes",
    "read_data",
    "toy_data",
]

N_VALIDATION = 10_000
N_TOY = 1000, 200  # training and held-out evaluation points of a toy data set


@dataclass(frozen=True)
class DataOptions:
    """What the data options of a command ask for (see [`add_data_options`][]).

    Attributes
    ----------
    source : str or None
        ``--data``: None (or ``"mnist"``) for the bundled MNIST, a toy set's name, a ``.csv``
        file or a folder of the four IDX files.
    evaluate : {"test", "validation"}
    limit : int or None
    holdout : float
        The fraction of each class of a .csv file kept as the test set.
    label_column : str or None
        ``--label-column``: a header name, or a position (``"0"``, ``"-1"``).
    classes : int or None
        ``--classes``: the number of classes, when some are absent from the data.
    standardize : bool
        Whether a .csv file's features are standardized (``--no-standardize`` turns it off).
    """

    source: str | None = None
    evaluate: str = "test"
    limit: int | None = None
    holdout: float = 0.2
    label_column: str | None = None
    classes: int | None = None
    standardize: bool = True

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> DataOptions:
        """The options a parsed command line gives (those it lacks keep their defaults)."""
        given = {name: getattr(args, name) for name in cls.__dataclass_fields__ if name in args}
        source = getattr(args, "data", None)
        return cls(**{**given, "source": None if source == "mnist" else source})


@dataclass
class Data:
    """The training and evaluation sets of a command, and what the network must fit.

    Attributes
    ----------
    train, evaluation : (X, y)
    labels : list of str
        The name of each class, one per output (``"0"`` … for numbered classes).
    standardize : dict or None
        ``{"mean": [...], "std": [...]}`` per input, from the training part, when the
        features were standardized (a .csv file, unless ``--no-standardize``).
    """

    train: tuple[Any, Any]
    evaluation: tuple[Any, Any]
    labels: list[str]
    standardize: dict[str, list[float]] | None = None

    @property
    def classes(self) -> int:
        """The number of classes: the network's outputs."""
        return len(self.labels)


def add_data_options(
    parser: argparse.ArgumentParser,
    *,
    training: bool = True,
    without: str = "the bundled MNIST",
) -> None:
    """Add ``--data`` and the options that say how to read it.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    training : bool
        Also the options of a training split: ``--holdout``, ``--classes``, ``--limit``.
    without : str
        What the command does without ``--data``, for its help.
    """
    add = parser.add_argument
    add(
        "--data",
        metavar="PATH|NAME",
        help="a .csv file (one example per row; its labels in the last column, or see "
        "--label-column; numbers or class names), a folder of the 4 IDX files, 'mnist' for the "
        f"bundled MNIST, or a 2-D toy data set: {', '.join(TOY_NAMES)} ({N_TOY[0]} training "
        f"and {N_TOY[1]} held-out points, 2 classes; default sizes 2,8,2, for spiral "
        f"2,16,16,2) (default: {without})",
    )
    add(
        "--label-column",
        metavar="NAME|N",
        help="for a .csv --data: the column of the labels, by its header name or its position "
        "(0 the first, -1 the last) (default: -1)",
    )
    add(
        "--no-standardize",
        dest="standardize",
        action="store_false",
        help="for a .csv --data: keep the features as they are, instead of subtracting each "
        "column's mean and dividing by its standard deviation (those of the training rows, "
        "saved in the model and applied to every input it is given) (default: standardize)",
    )
    if not training:
        return
    add(
        "--holdout",
        type=float,
        default=0.2,
        metavar="F",
        help="for a .csv --data: the fraction of each class's rows kept as the test set, drawn "
        "at random (seed 0) so that a file sorted by class is split fairly (default 0.2)",
    )
    add(
        "--classes",
        type=int,
        metavar="N",
        help="the number of classes, when some numbered classes 0..N-1 are absent from the data "
        "(default: the labels present)",
    )
    add("--limit", type=int, metavar="N", help="only the first N training and evaluation examples")


def read_data(
    source: str | None,
    holdout: float = 0.2,
    *,
    label_column: str | None = None,
    classes: int | None = None,
) -> tuple[Any, Any, Any, list[str]]:
    """The training, validation and test sets that ``--data`` names, and the class names.

    None is the bundled MNIST (the book's split); a toy set's name gives [`toy_data`][]'s
    split, used for validation and test alike; a folder holds the four IDX files; of a ``.csv``
    file a `holdout` fraction of each class's rows, drawn at random with seed 0, is the test
    set. The training rows of a folder or a file are split once more: the last 10,000 (or a
    sixth, for fewer than 60,000) are held out for validation. `label_column` and `classes`
    are ``--label-column`` and ``--classes`` (see [`DataOptions`][]).
    """
    if label_column is not None and not _is_csv(source):
        msg = "--label-column applies to a .csv --data"
        raise UsageError(msg)
    if source in TOY_NAMES:
        train, test, _ = toy_data(source)
        return train, test, test, _numbered(train, classes=classes)  # one held-out split
    if source is None:
        train, validation, test = load_mnist()
        return train, validation, test, _numbered(train, validation, test, classes=classes)
    if _is_csv(source):
        if not (is_real(holdout) and 0 < holdout < 1):
            msg = f"--holdout must be between 0 and 1 (e.g. --holdout 0.2), got {holdout}"
            raise UsageError(msg)
        column = -1 if label_column is None else _column(label_column)
        data = load_csv(source, column, classes=classes)
        kept, held = _holdout(data.y, holdout)
        (X, y), test = (data.X[kept], data.y[kept]), (data.X[held], data.y[held])
        names = data.classes or ["target"]
    else:
        _check_folder(source)
        (X, y), test = load_idx_dataset(source)
        names = _numbered((X, y), test, classes=classes)
    n = len(X) - (N_VALIDATION if len(X) >= 6 * N_VALIDATION else len(X) // 6)
    return (X[:n], y[:n]), (X[n:], y[n:]), test, names


def load_data(
    directory: str | DataOptions | None,
    evaluate: str = "test",
    limit: int | None = None,
    holdout: float = 0.2,
    *,
    standardize: dict[str, Any] | None = None,
) -> Data:
    """The training set, the evaluation set and the class names, standardized where asked.

    Parameters
    ----------
    directory : DataOptions, str or None
        The data options; or only ``--data``: a folder of the four IDX files, a .csv file
        (see [`read_data`][]), the name of a toy data set ([`toy_data`][]), or None for the
        bundled MNIST.
    evaluate : {"test", "validation"}
        Which set to evaluate on (when `directory` is not a DataOptions).
    limit : int or None
        Keep only the first `limit` training and evaluation examples.
    holdout : float
        The fraction of a .csv file's rows kept as the test set.
    standardize : dict, optional
        A model's ``meta["standardize"]`` to apply instead of computing it (``--resume``).

    Returns
    -------
    Data

    Notes
    -----
    The bundled MNIST gives the book's split: 50,000 training images, 10,000 validation images
    and 10,000 test images. Another folder's training images are split the same way: the last
    10,000 (or a sixth, for fewer than 60,000) are held out for validation.
    """
    options = (
        directory
        if isinstance(directory, DataOptions)
        else DataOptions(directory, evaluate, limit, holdout)
    )
    train, validation, test, names = read_data(
        options.source, options.holdout, label_column=options.label_column, classes=options.classes
    )
    evaluation = test if options.evaluate == "test" else validation
    stats = None
    if standardize is not None or (options.standardize and _is_csv(options.source)):
        stats = standardize or statistics(train[0])
        train, evaluation = ((standardized(stats, X), y) for X, y in (train, evaluation))
    if options.limit is not None:
        if options.limit < 1:
            msg = f"--limit must be at least 1, got {options.limit}"
            raise UsageError(msg)
        train = (train[0][: options.limit], train[1][: options.limit])
        evaluation = (evaluation[0][: options.limit], evaluation[1][: options.limit])
    return Data(train, evaluation, names, stats)


def _holdout(y: np.ndarray, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """The rows kept for training and those held out: `fraction` of each class, at random."""
    order = np.random.default_rng(0).permutation(len(y))
    if y.dtype.kind != "i":  # targets, not classes: a fraction of all rows
        cut = len(y) - max(1, round(fraction * len(y)))
        return order[:cut], order[cut:]
    held = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        rows = order[y[order] == c]  # the class's rows, in the shuffled order
        held[rows[: round(fraction * len(rows))]] = True
    if not held.any():
        held[order[0]] = True
    return order[~held[order]], order[held[order]]


def _numbered(*sets: tuple[Any, Any], classes: int | None = None) -> list[str]:
    """The names of numbered classes: one more than the largest label (or `classes`)."""
    labels = [y for _, y in sets if len(y)]
    k = max(int(np.max(y)) for y in labels) + 1 if labels else 0
    if classes is not None:
        if classes < k:
            msg = f"--classes {classes}: the data has labels up to {k - 1}, so at least {k}"
            raise UsageError(msg)
        k = classes
    return [str(c) for c in range(k)]


def _is_csv(source: str | None) -> bool:
    return source is not None and source.lower().endswith(".csv")


def _column(text: str) -> int | str:
    """``--label-column``: a position when it is a whole number, else a header name."""
    return int(text) if re.fullmatch(r"\s*-?\d+\s*", text) else text


def _check_folder(source: str) -> None:
    """Refuse a ``--data`` that is no folder, with the close toy name and what is accepted."""
    if Path(source).is_dir():
        return
    close = difflib.get_close_matches(source.lower(), TOY_NAMES, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    msg = (
        f"--data {source!r}: no such folder, .csv file or toy data set; {hint}--data takes a "
        f"toy data set ({', '.join(TOY_NAMES)}), a .csv file (one example per row), a folder "
        "of the 4 IDX files, or 'mnist'"
    )
    raise DataError(msg)


def toy_data(name: str) -> tuple[tuple[Any, Any], tuple[Any, Any], int]:
    """A toy data set of [`neurograph.datasets.toy`][], split into training and evaluation.

    Parameters
    ----------
    name : str
        One of [`neurograph.datasets.TOY_NAMES`][].

    Returns
    -------
    train, evaluation : (X, y)
        The first 1,000 and the last 200 of 1,200 points drawn with seed 0.
    classes : int
        2.
    """
    X, y = toy(name, n=sum(N_TOY), seed=0)
    n = N_TOY[0]
    return (X[:n], y[:n]), (X[n:], y[n:]), 2


def default_sizes(data: str | None, n_in: int = 784, classes: int = 10) -> list[int]:
    """The network trained on `data` when no ``--sizes`` is given.

    Parameters
    ----------
    data : str or None
        The ``--data`` given.
    n_in, classes : int
        The data's inputs and classes (default: MNIST's).

    Returns
    -------
    list of int
        ``[2, 8, 2]`` for a toy set (``[2, 16, 16, 2]`` for the spiral), else
        ``[n_in, 30, classes]``, the book's chapter 1 network.
    """
    if data not in TOY_NAMES:
        return [n_in, 30, classes]
    return [2, 16, 16, 2] if data == "spiral" else [2, 8, 2]


def parse_sizes(text: str) -> list[int]:
    """The layer sizes of ``--sizes`` (``"784,30,10"``), refused when this machine lacks the memory.

    Raises
    ------
    UsageError
        For fewer than two positive integers, or a network too large for this machine's memory
        (the message gives the estimate).
    """
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if len(sizes) < 2 or min(sizes) < 1:
        msg = f"--sizes expects at least two positive integers like 784,30,10, got {text!r}"
        raise UsageError(msg)
    params = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    need = 6 * 8 * params  # weights, gradients, a backup, velocities, the JSON text: ~6 copies
    have = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if need > have:
        msg = (
            f"--sizes {text} has {params:,} weights and biases and would need about "
            f"{need / 2**30:,.0f} GiB of memory; this machine has {have / 2**30:,.0f} GiB"
        )
        raise UsageError(msg)
    return sizes


def check_fit(sizes: list[int], data: Data) -> None:
    """Refuse empty data, and sizes whose ends do not match the data.

    Raises
    ------
    ShapeError
        Naming the data set that is empty, or the inputs and classes the sizes must have.
    """
    for name, (X, _) in (("training", data.train), ("evaluation", data.evaluation)):
        if len(X) == 0:
            msg = f"the {name} data is empty"
            raise ShapeError(msg)
    n_in, classes = data.train[0].shape[1], data.classes
    if sizes[0] != n_in or sizes[-1] != classes:
        shown = ", ".join(data.labels[:5]) + (", …" if classes > 5 else "")
        msg = (
            f"--sizes {','.join(map(str, sizes))} does not fit the data: it has {n_in} inputs "
            f"and {classes} classes ({shown}), so the sizes must be {n_in},…,{classes}"
        )
        raise ShapeError(msg)
