"""The data a command trains on (``--data``) and the network that fits it (``--sizes``)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from neurograph.datasets import TOY_NAMES, load_csv, load_idx_dataset, load_mnist, toy
from neurograph.errors import ShapeError, UsageError

__all__ = [
    "N_TOY",
    "N_VALIDATION",
    "check_fit",
    "default_sizes",
    "load_data",
    "parse_sizes",
    "read_data",
    "toy_data",
]

N_VALIDATION = 10_000
N_TOY = 1000, 200  # training and held-out evaluation points of a toy data set


def read_data(source: str | None, holdout: float = 0.2) -> tuple[Any, Any, Any]:
    """The training, validation and test sets that ``--data`` names.

    None is the bundled MNIST (the book's split); a toy set's name gives [`toy_data`][]'s
    split, used for validation and test alike; a folder holds the four IDX files; a
    ``.csv`` file is shuffled (seed 0, as rows are often sorted by class), then its last
    `holdout` fraction of rows is the test set. The training
    images of a folder or a file are split once more: the last 10,000 (or a sixth, for fewer
    than 60,000) are held out for validation.
    """
    if source in TOY_NAMES:
        train, test, _ = toy_data(source)
        return train, test, test  # a toy set has one held-out split
    if source is None:
        return load_mnist()
    if source.lower().endswith(".csv"):
        if not 0 < holdout < 1:
            msg = f"--holdout must be between 0 and 1 (e.g. --holdout 0.2), got {holdout}"
            raise UsageError(msg)
        X_all, y_all = load_csv(source)
        order = np.random.default_rng(0).permutation(len(X_all))
        X_all, y_all = X_all[order], y_all[order]
        cut = len(X_all) - max(1, round(holdout * len(X_all)))
        (X, y), test = (X_all[:cut], y_all[:cut]), (X_all[cut:], y_all[cut:])
    else:
        (X, y), test = load_idx_dataset(source)
    n = len(X) - (N_VALIDATION if len(X) >= 6 * N_VALIDATION else len(X) // 6)
    return (X[:n], y[:n]), (X[n:], y[n:]), test


def load_data(
    directory: str | None, evaluate: str, limit: int | None, holdout: float = 0.2
) -> tuple[tuple[Any, Any], tuple[Any, Any], int]:
    """The training set, the evaluation set and the number of classes.

    Parameters
    ----------
    directory : str or None
        A folder of the four IDX files, a .csv file (see [`read_data`][]), the name of a toy
        data set ([`toy_data`][]), or None for the bundled MNIST.
    evaluate : {"test", "validation"}
        Which set to evaluate on.
    limit : int or None
        Keep only the first `limit` training and evaluation examples.
    holdout : float
        The fraction of a .csv file's rows kept as the test set.

    Returns
    -------
    train, evaluation : (X, y)
    classes : int
        One more than the largest label of the whole data set (before `limit`).

    Notes
    -----
    The bundled MNIST gives the book's split: 50,000 training images, 10,000 validation images
    and 10,000 test images. Another folder's training images are split the same way: the last
    10,000 (or a sixth, for fewer than 60,000) are held out for validation.
    """
    train, validation, test = read_data(directory, holdout)
    labels = [y for _, y in (train, validation, test) if len(y)]
    classes = max(int(y.max()) for y in labels) + 1 if labels else 0
    evaluation = test if evaluate == "test" else validation
    if limit is not None:
        if limit < 1:
            msg = f"--limit must be at least 1, got {limit}"
            raise UsageError(msg)
        train = (train[0][:limit], train[1][:limit])
        evaluation = (evaluation[0][:limit], evaluation[1][:limit])
    return train, evaluation, classes


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


def check_fit(sizes: list[int], train: Any, evaluation: Any, classes: int) -> None:
    """Refuse empty data, and sizes whose ends do not match the data.

    Raises
    ------
    ShapeError
        Naming the data set that is empty, or the inputs and classes the sizes must have.
    """
    for name, (X, _) in (("training", train), ("evaluation", evaluation)):
        if len(X) == 0:
            msg = f"the {name} data is empty"
            raise ShapeError(msg)
    n_in = train[0].shape[1]
    if sizes[0] != n_in or sizes[-1] != classes:
        msg = (
            f"--sizes {','.join(map(str, sizes))} does not fit the data: it has {n_in} inputs "
            f"and {classes} classes (labels 0..{classes - 1}), so the sizes must be "
            f"{n_in},…,{classes}"
        )
        raise ShapeError(msg)
