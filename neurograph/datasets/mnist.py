"""The MNIST digits bundled with neurograph, verified and split as in Nielsen's book."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
import numpy.typing as npt

from neurograph.datasets.idx import (
    _check_float_dtype,
    _decode_idx,
    _images_to_xy,
    _read_idx_bytes,
)
from neurograph.errors import DataError

__all__ = ["load_mnist", "load_mnist_test", "mnist_path"]

#: The book's split of the 60,000 training images: the first 50,000 train, the rest validate.
N_TRAIN = 50_000

_Pair = tuple[np.ndarray, np.ndarray]


def mnist_path() -> Path:
    """Return the folder of the bundled MNIST files.

    The folder holds the four gzipped IDX files, ``SHA256SUMS`` (the SHA-256 of each file's
    decompressed content) and a ``README.md`` with the credits and the license.

    Returns
    -------
    pathlib.Path
        The ``mnist`` folder inside the installed ``neurograph.datasets`` package; it can be
        passed to `load_idx_dataset` or to the command line's ``--data DIR``.

    Examples
    --------
    >>> from neurograph.datasets import mnist_path
    >>> sorted(p.name for p in mnist_path().glob("*-ubyte.gz"))[:2]
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
    """
    return Path(__file__).resolve().parent / "mnist"


def _corrupt(folder: Path, detail: str) -> DataError:
    msg = f"the bundled MNIST data in {folder} is corrupt: {detail}; reinstall neurograph"
    return DataError(msg)


# The bundled files of each part: the 60,000 training images and the 10,000 test images.
_SPLITS = ("train", "t10k")


def _split_names(split: str) -> tuple[str, str]:
    return f"{split}-images-idx3-ubyte", f"{split}-labels-idx1-ubyte"


@functools.lru_cache(maxsize=4)
def _read_file(folder: Path, name: str) -> tuple[np.ndarray, str]:
    """Decode one bundled IDX file once per process.

    Returns
    -------
    array : ndarray
        Read-only.
    digest : str
        The SHA-256 hex digest of the decompressed file.
    """
    path = folder / f"{name}.gz"
    try:
        data = _read_idx_bytes(path)
        array = _decode_idx(data, path)
    except DataError as err:
        raise _corrupt(folder, str(err)) from err
    return array, hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=4)
def _verify(folder: Path, split: str) -> None:
    """Check one part's files against ``SHA256SUMS``; a success is remembered per process."""
    try:
        lines = (folder / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise _corrupt(folder, f"cannot read SHA256SUMS ({err})") from err
    expected = {}
    for line in lines:
        fields = line.split()
        if len(fields) == 2:
            expected[fields[1].lstrip("*")] = fields[0].lower()
    for name in _split_names(split):
        digest = _read_file(folder, name)[1]
        if name not in expected:
            raise _corrupt(folder, f"SHA256SUMS lists no checksum for {name}")
        if digest != expected[name]:
            detail = f"{name}.gz decompresses to SHA-256 {digest}, expected {expected[name]}"
            raise _corrupt(folder, detail)


@functools.lru_cache(maxsize=4)
def _scaled(folder: Path, split: str, dtype: np.dtype) -> _Pair:
    """One part's images scaled to [0, 1] and its labels; cached, so made read-only."""
    images_name, labels_name = _split_names(split)
    X, y = _images_to_xy(
        _read_file(folder, images_name)[0],
        _read_file(folder, labels_name)[0],
        dtype,
        images_name=str(folder / images_name),
        labels_name=str(folder / labels_name),
    )
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


@functools.lru_cache(maxsize=2)
def _book_split(folder: Path, dtype: np.dtype) -> tuple[_Pair, _Pair, _Pair]:
    """Split the scaled training images as the book does; the test images as they are."""
    X_all, y_all = _scaled(folder, "train", dtype)
    X_test, y_test = _scaled(folder, "t10k", dtype)
    if len(X_all) <= N_TRAIN:
        raise _corrupt(folder, f"expected more than {N_TRAIN} training images, got {len(X_all)}")
    # Views of read-only arrays: a caller cannot set writeable back to True on them.
    train = (X_all[:N_TRAIN], y_all[:N_TRAIN])
    validation = (X_all[N_TRAIN:], y_all[N_TRAIN:])
    test = (X_test[:], y_test[:])
    return train, validation, test


def load_mnist(
    *, dtype: npt.DTypeLike = np.float64, verify: bool = True
) -> tuple[_Pair, _Pair, _Pair]:
    """Load the bundled MNIST digits, split into training, validation and test sets as in the book.

    Parameters
    ----------
    dtype : data-type, default numpy.float64
        The floating-point type of the images.
    verify : bool, default True
        Check the SHA-256 of each decompressed file against the bundled ``SHA256SUMS`` (once
        per process; later calls reuse the result).

    Returns
    -------
    train : tuple (X, y)
        The first 50,000 training images.
    validation : tuple (X, y)
        The last 10,000 training images.
    test : tuple (X, y)
        The 10,000 test images. In each, ``X`` has shape ``(n, 784)``, one 28x28 image
        per row, pixels scaled to [0, 1] (divided
        by 255); ``y`` has shape ``(n,)`` and holds the digits as int64. ``train`` is the first
        50,000 training images, ``validation`` the last 10,000 and ``test`` the 10,000 test
        images.

    Raises
    ------
    DataError
        If the bundled files are missing, damaged or fail verification (the package data is
        corrupt), or if `dtype` is not a floating-point type.

    See Also
    --------
    load_idx_dataset : load another MNIST-like folder (Fashion-MNIST, a fresh download).
    load_book_pickle : load the book's own ``mnist.pkl.gz``.

    Notes
    -----
    The decoded arrays are cached for the life of the process, so every call after the first
    is immediate and returns the same arrays. To keep that cache safe they are **read-only**
    (``X.flags.writeable`` is False): index them, or shuffle through a permutation of indices,
    and call ``X.copy()`` first if you must change them in place.

    Nielsen, ch. 1, "Implementing our network to classify digits": the 60,000 MNIST training
    images are split into 50,000 for training and 10,000 for validation.

    Examples
    --------
    >>> from neurograph.datasets import load_mnist
    >>> train, validation, test = load_mnist()
    >>> [X.shape for X, y in (train, validation, test)]
    [(50000, 784), (10000, 784), (10000, 784)]
    >>> X, y = test
    >>> float(X.min()), float(X.max()), y[:5].tolist(), X.flags.writeable
    (0.0, 1.0, [7, 2, 1, 0, 4], False)
    """
    dt = _check_float_dtype(dtype)
    folder = mnist_path()
    if verify:
        for split in _SPLITS:
            _verify(folder, split)
    return _book_split(folder, dt)


def load_mnist_test(*, dtype: npt.DTypeLike = np.float64, verify: bool = True) -> _Pair:
    """Load only the 10,000 bundled MNIST test images (the third part of `load_mnist`).

    It reads two of the four bundled files, so a command that needs one test image starts
    quickly.

    Parameters
    ----------
    dtype : data-type, default numpy.float64
    verify : bool, default True
        Check the SHA-256 of the two files against ``SHA256SUMS``.

    Returns
    -------
    X : ndarray, shape (10000, 784)
        Read-only, pixels in [0, 1].
    y : ndarray, shape (10000,)
        The digits, int64.

    Raises
    ------
    DataError
        As `load_mnist`.

    Examples
    --------
    >>> from neurograph.datasets import load_mnist_test
    >>> X, y = load_mnist_test()
    >>> X.shape, y[:5].tolist()
    ((10000, 784), [7, 2, 1, 0, 4])
    """
    dt = _check_float_dtype(dtype)
    folder = mnist_path()
    if verify:
        _verify(folder, "t10k")
    X, y = _scaled(folder, "t10k", dt)
    return X[:], y[:]
