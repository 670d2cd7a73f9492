"""Read IDX files, the format of MNIST and Fashion-MNIST, gzipped or raw, into NumPy arrays."""

from __future__ import annotations

import contextlib
import gzip
import math
import os
import stat
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from neurograph.errors import DataError

__all__ = ["IDX_NAMES", "MAX_PICKLE_BYTES", "load_idx", "load_idx_dataset"]

#: IDX type code -> big-endian NumPy dtype (LeCun's format description).
_IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),  # unsigned byte
    0x09: np.dtype(">i1"),  # signed byte
    0x0B: np.dtype(">i2"),  # short
    0x0C: np.dtype(">i4"),  # int
    0x0D: np.dtype(">f4"),  # float
    0x0E: np.dtype(">f8"),  # double
}

#: The standard file names of an MNIST-like folder, each optionally ending in ``.gz``.
IDX_NAMES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

_GZIP_MAGIC = b"\x1f\x8b"


#: Most bytes a data set pickle may decompress to (the book's ``mnist.pkl.gz``: 220 MB).
MAX_PICKLE_BYTES = 2**30
_CHUNK = 2**20  # gunzip at most this much at a time


@contextlib.contextmanager
def _open_data(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a regular file for reading, gunzipped when it is a gzip file (by name or content).

    A FIFO, a device or a directory is refused without blocking (the file is opened
    ``O_NONBLOCK`` and checked with ``fstat`` before anything is read).
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as err:
        msg = f"{path}: no such file"
        raise DataError(msg) from err
    except OSError as err:
        msg = f"{path}: cannot read the file ({err.strerror or err})"
        raise DataError(msg) from err
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a directory" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
        msg = f"{path}: is {what}, not a regular file"
        raise DataError(msg)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        if path.suffix == ".gz" or magic == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield raw


def _chunks(stream: BinaryIO, n: int, path: str | os.PathLike[str]) -> list[bytes]:
    """At most `n` bytes of `stream`, read (and gunzipped) in bounded chunks."""
    found: list[bytes] = []
    try:
        while n > 0 and (chunk := stream.read(min(_CHUNK, n))):
            found.append(chunk)
            n -= len(chunk)
    except (OSError, EOFError, zlib.error) as err:
        msg = f"{path}: corrupt gzip data ({err})"
        raise DataError(msg) from err
    return found


def _read_bytes(path: str | os.PathLike[str], limit: int = MAX_PICKLE_BYTES) -> bytes:
    """Return the content of a file, gunzipped when it is a gzip file, of at most `limit` bytes.

    Raises
    ------
    DataError
        If the file is missing, unreadable or not a regular file, if its gzip stream is
        corrupt, or if it holds (or decompresses to) more than `limit` bytes.
    """
    with _open_data(path) as stream:
        data = b"".join(_chunks(stream, limit + 1, path))
    if len(data) > limit:
        msg = f"{path}: more than {limit:,} bytes (decompressed); refused as too large"
        raise DataError(msg)
    return data


def _read_idx_bytes(path: str | os.PathLike[str]) -> bytes:
    """The (decompressed) bytes of an IDX file, never more than its header declares plus one.

    A gzip bomb stops at the declared size (one byte more tells [`_decode_idx`][] that there
    is trailing garbage); a header declaring more than the file holds costs only what it holds.
    """
    with _open_data(path) as stream:
        found = _chunks(stream, 4, path)
        head = b"".join(found)
        if len(head) == 4 and head[:2] == b"\x00\x00":
            found += _chunks(stream, 4 * head[3], path)
            head = b"".join(found)
            if len(head) == 4 + 4 * head[3]:
                itemsize = _IDX_DTYPES.get(head[2], np.dtype("u1")).itemsize
                count = math.prod(struct.unpack(f">{head[3]}I", head[4:]))
                found += _chunks(stream, count * itemsize + 1, path)
    return b"".join(found)


def _decode_idx(data: bytes, path: str | os.PathLike[str]) -> np.ndarray:
    """Decode the bytes of an IDX file into a read-only big-endian view of them.

    Parameters
    ----------
    data : bytes
        The decompressed content of an IDX file.
    path : str or os.PathLike
        The file the bytes came from, named in error messages.

    Returns
    -------
    ndarray
        A read-only array of the declared shape and IDX dtype that shares memory with `data`.

    Raises
    ------
    DataError
        If the magic number, the type code or the length of the data is wrong.

    Notes
    -----
    An IDX file is a 4-byte magic number ``00 00 TT DD`` (``TT`` the type code, ``DD`` the
    number of dimensions), ``DD`` big-endian 32-bit sizes, then the values, big-endian, in C
    order.
    """
    if len(data) < 4:
        msg = f"{path}: truncated IDX header: expected at least 4 bytes, got {len(data)}"
        raise DataError(msg)
    if data[:2] != b"\x00\x00":
        magic = int.from_bytes(data[:4], "big")
        msg = (
            f"{path}: not an IDX file: wrong magic number 0x{magic:08X}"
            " (an IDX file starts with two zero bytes)"
        )
        raise DataError(msg)
    code, ndim = data[2], data[3]
    if code not in _IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in _IDX_DTYPES)
        msg = f"{path}: unknown IDX dtype code 0x{code:02X}; expected one of {known}"
        raise DataError(msg)
    header = 4 + 4 * ndim
    if len(data) < header:
        msg = f"{path}: truncated IDX header: expected {header} bytes, got {len(data)}"
        raise DataError(msg)
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = _IDX_DTYPES[code]
    count = math.prod(shape)  # a Python int: no overflow however large the declared shape
    expected = header + count * dtype.itemsize
    if len(data) < expected:
        msg = (
            f"{path}: truncated IDX data for shape {shape}:"
            f" expected {expected} bytes, got {len(data)}"
        )
        raise DataError(msg)
    if len(data) > expected:
        msg = (  # the reader stops one byte past the declared size: a gzip bomb ends there
            f"{path}: trailing garbage after the IDX data for shape {shape}"
            f" (expected {expected} bytes, got more)"
        )
        raise DataError(msg)
    try:
        return np.frombuffer(data, dtype=dtype, count=count, offset=header).reshape(shape)
    except ValueError as err:  # e.g. an empty array whose other sizes NumPy cannot index
        msg = f"{path}: NumPy cannot hold an IDX array of shape {shape} ({err})"
        raise DataError(msg) from err


def load_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file, gzipped or raw, into an array of its declared shape.

    Parameters
    ----------
    path : str or os.PathLike
        An IDX file such as ``train-images-idx3-ubyte.gz``. It is gunzipped when its name ends
        in ``.gz`` or when it starts with the gzip magic bytes.

    Returns
    -------
    ndarray
        A new, writable array in native byte order, of the declared shape and of the declared
        type: uint8, int8, int16, int32, float32 or float64.

    Raises
    ------
    DataError
        If the file is missing, is not gzip or IDX data, has an unknown type code, is
        truncated, or has bytes after its data.

    See Also
    --------
    load_idx_dataset : the four files of an MNIST-like folder as ``(X, y)`` pairs.

    Examples
    --------
    >>> from neurograph.datasets import load_idx, mnist_path
    >>> labels = load_idx(mnist_path() / "t10k-labels-idx1-ubyte.gz")
    >>> labels.shape, labels.dtype, labels[:5].tolist()
    ((10000,), dtype('uint8'), [7, 2, 1, 0, 4])
    """
    view = _decode_idx(_read_idx_bytes(path), path)
    return view.astype(view.dtype.newbyteorder("="))


def _check_float_dtype(dtype: npt.DTypeLike) -> np.dtype:
    """Return `dtype` as a NumPy dtype, refusing any but floating-point ones."""
    try:
        dt = np.dtype(dtype)
    except TypeError as err:
        msg = f"dtype must be a floating-point type such as numpy.float64, got {dtype!r}"
        raise DataError(msg) from err
    if not np.issubdtype(dt, np.floating):
        msg = f"dtype must be a floating-point type such as numpy.float64, got {dt}"
        raise DataError(msg)
    return dt


def _images_to_xy(
    images: np.ndarray, labels: np.ndarray, dtype: np.dtype, *, images_name: str, labels_name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Turn IDX images and labels into an ``(X, y)`` pair of new arrays.

    Parameters
    ----------
    images : ndarray of uint8, shape (n, rows, cols)
        Pixel intensities, 0 to 255.
    labels : ndarray of integers, shape (n,)
        The class of each image.
    dtype : numpy.dtype
        The floating-point type of `X`.
    images_name, labels_name : str
        Where the images and the labels came from, for error messages.

    Returns
    -------
    X : ndarray, shape (n, rows * cols)
        The pixels scaled to [0, 1] (divided by 255), one row per image.
    y : ndarray of int64, shape (n,)
        The labels.

    Raises
    ------
    DataError
        If the images are not 3-D unsigned bytes, the labels not 1-D integers, or their counts
        differ.
    """
    if images.ndim != 3:
        msg = f"{images_name}: expected 3-D images (n, rows, cols), got shape {images.shape}"
        raise DataError(msg)
    if images.dtype != np.uint8:
        msg = f"{images_name}: expected unsigned-byte pixels (IDX type 0x08), got {images.dtype}"
        raise DataError(msg)
    if labels.ndim != 1:
        msg = f"{labels_name}: expected 1-D labels (n,), got shape {labels.shape}"
        raise DataError(msg)
    if labels.dtype.kind not in "iu":
        msg = f"{labels_name}: expected integer labels, got {labels.dtype}"
        raise DataError(msg)
    if len(images) != len(labels):
        msg = (
            f"{images_name} holds {len(images)} images but {labels_name} holds"
            f" {len(labels)} labels; the counts must agree"
        )
        raise DataError(msg)
    n, rows, cols = images.shape
    X = images.reshape(n, rows * cols).astype(dtype)
    X /= 255.0
    return X, labels.astype(np.int64)


def _find_idx_files(directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Find the four standard IDX files of an MNIST-like folder, raw or gzipped.

    Parameters
    ----------
    directory : str or os.PathLike
        The folder to look in.

    Returns
    -------
    dict of str to pathlib.Path
        Each name of `IDX_NAMES` -> its file; the raw file is preferred when both exist.

    Raises
    ------
    DataError
        If the folder does not exist or lacks any of the four files.
    """
    folder = Path(directory)
    if not folder.is_dir():
        msg = f"{folder}: no such directory (expected a folder of IDX files such as MNIST)"
        raise DataError(msg)
    found: dict[str, Path] = {}
    for name in IDX_NAMES:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                found[name] = candidate
                break
    missing = [f"{name}[.gz]" for name in IDX_NAMES if name not in found]
    if missing:
        msg = (
            f"{folder}: missing {', '.join(missing)}; an IDX data set folder holds the four"
            f" files {', '.join(IDX_NAMES)} (each may end in .gz)"
        )
        raise DataError(msg)
    return found


def load_idx_dataset(
    directory: str | os.PathLike[str], *, dtype: npt.DTypeLike = np.float64
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load an MNIST-like folder of four IDX files as training and test ``(X, y)`` pairs.

    Parameters
    ----------
    directory : str or os.PathLike
        A folder holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each optionally gzipped
        (``.gz``): MNIST, Fashion-MNIST, or any set laid out the same way.
    dtype : data-type, default numpy.float64
        The floating-point type of the images.

    Returns
    -------
    train : tuple (X_train, y_train)
        The training images and labels.
    test : tuple (X_test, y_test)
        The test images and labels. In both, ``X`` has shape ``(n, rows * cols)``, one
        image per row, pixels scaled to [0, 1];
        ``y`` has shape ``(n,)`` and holds int64 labels. The arrays are new and writable.

    Raises
    ------
    DataError
        If a file is missing or malformed, the images are not 3-D unsigned bytes, the labels
        not 1-D, or the number of images and labels differ.

    See Also
    --------
    load_mnist : the bundled MNIST, split as in the book.

    Examples
    --------
    >>> from neurograph.datasets import load_idx_dataset, mnist_path
    >>> (X_train, y_train), (X_test, y_test) = load_idx_dataset(mnist_path())
    >>> X_train.shape, y_train.shape, X_test.shape, y_test.dtype
    ((60000, 784), (60000,), (10000, 784), dtype('int64'))
    """
    dt = _check_float_dtype(dtype)
    files = _find_idx_files(directory)
    pairs = []
    for split in ("train", "t10k"):
        images_path = files[f"{split}-images-idx3-ubyte"]
        labels_path = files[f"{split}-labels-idx1-ubyte"]
        images = _decode_idx(_read_idx_bytes(images_path), images_path)
        labels = _decode_idx(_read_idx_bytes(labels_path), labels_path)
        xy = _images_to_xy(
            images, labels, dt, images_name=str(images_path), labels_name=str(labels_path)
        )
        pairs.append(xy)
    return pairs[0], pairs[1]
