"""Data sets: IDX files, CSV, the book's ``mnist.pkl.gz``, the bundled MNIST and 2-D toys.

Every loader returns ``(X, y)`` pairs of NumPy arrays: ``X`` of shape ``(n, n_inputs)``, one
example per row, float64 unless a `dtype` is asked for, and ``y`` the int64 labels of shape
``(n,)``. Nothing here downloads anything: MNIST ships with the package (see `mnist_path`).
The part stands alone: it imports numpy, [`neurograph.errors`][] and the size-limited reader
`neurograph.reading`, no engine.
"""

from __future__ import annotations

from neurograph.datasets.csv import Dataset, load_csv
from neurograph.datasets.idx import load_idx, load_idx_dataset
from neurograph.datasets.mnist import load_mnist, load_mnist_test, mnist_path
from neurograph.datasets.pickled import load_book_pickle
from neurograph.datasets.toy import TOY_NAMES, toy

__all__ = [
    "TOY_NAMES",
    "Dataset",
    "load_book_pickle",
    "load_csv",
    "load_idx",
    "load_idx_dataset",
    "load_mnist",
    "load_mnist_test",
    "mnist_path",
    "toy",
]
