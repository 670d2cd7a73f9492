"""Read the book's ``mnist.pkl.gz`` safely: a pickle may rebuild NumPy arrays and nothing else."""

from __future__ import annotations

import _codecs
import importlib
import io
import math
import os
import pickle
import pickletools
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from neurograph.datasets.idx import _check_float_dtype, _read_bytes
from neurograph.errors import DataError

__all__ = ["load_book_pickle"]

_Pair = tuple[np.ndarray, np.ndarray]
_SPLITS = ("training_data", "validation_data", "test_data")


def _multiarray(name: str) -> Callable[..., Any]:
    # NumPy 2 renamed numpy.core to numpy._core and warns on the old name; the book's pickle
    # (and NumPy 1) says numpy.core, so both names resolve to whichever module exists.
    try:
        module = importlib.import_module("numpy._core.multiarray")
    except ImportError:  # NumPy < 1.26
        module = importlib.import_module("numpy.core.multiarray")
    return getattr(module, name)


def _refuse_objects(dtype: np.dtype, path: str) -> None:
    if dtype.hasobject:
        msg = (
            f"{path}: refused an array of Python objects (dtype {dtype}); a data set pickle "
            "may hold numeric arrays only"
        )
        raise DataError(msg)


class _CheckedArray(np.ndarray):
    """An array being unpickled: its state is checked before NumPy allocates anything."""

    path = ""

    def __setstate__(self, state: Any) -> None:
        if not (isinstance(state, tuple) and len(state) == 5 and isinstance(state[2], np.dtype)):
            msg = f"{self.path}: not a valid data set pickle (malformed array state)"
            raise DataError(msg)
        _, shape, dtype, _, data = state
        _refuse_objects(dtype, self.path)
        size = math.prod(shape) * dtype.itemsize if isinstance(shape, tuple) else -1
        if not isinstance(data, (bytes, bytearray, str)) or len(data) != size:  # str: latin-1
            msg = f"{self.path}: not a valid data set pickle (an array's data is not its shape)"
            raise DataError(msg)
        super().__setstate__(state)


def _allowed(path: str) -> dict[tuple[str, str], Callable[[], Any]]:
    """The only globals a pickle may name: what NumPy needs to rebuild numeric arrays, dtypes and
    scalars (each checked before it allocates), and ``_codecs.encode``, which protocol-2
    pickles use to store byte strings."""

    def reconstruct(cls: Any, shape: Any, typecode: Any) -> np.ndarray:
        if cls is not np.ndarray or shape != (0,):
            msg = f"{path}: not a valid data set pickle (unexpected array {cls!r}, {shape!r})"
            raise DataError(msg)
        _refuse_objects(np.dtype(typecode), path)
        checked = type("_CheckedArray", (_CheckedArray,), {"path": path})
        return _multiarray("_reconstruct")(checked, shape, typecode)

    def dtype(*args: Any) -> np.dtype:
        made = np.dtype(*args)
        _refuse_objects(made, path)
        return made

    def scalar(dtype: Any, *args: Any) -> Any:
        _refuse_objects(np.dtype(dtype), path)
        return _multiarray("scalar")(dtype, *args)

    return {
        ("numpy.core.multiarray", "_reconstruct"): lambda: reconstruct,
        ("numpy._core.multiarray", "_reconstruct"): lambda: reconstruct,
        ("numpy.core.multiarray", "scalar"): lambda: scalar,
        ("numpy._core.multiarray", "scalar"): lambda: scalar,
        ("numpy", "ndarray"): lambda: np.ndarray,
        ("numpy", "dtype"): lambda: dtype,
        ("_codecs", "encode"): lambda: _codecs.encode,
    }


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """An unpickler that refuses every global but those needed to rebuild NumPy arrays."""

    def __init__(self, file: io.BytesIO, path: str) -> None:
        super().__init__(file, encoding="latin1")
        self.path = path
        self.allowed = _allowed(path)

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            msg = (
                f"{self.path}: refused to load {module}.{name}; only NumPy arrays, tuples and"
                " lists are allowed in a data set pickle"
            )
            raise DataError(msg)
        return self.allowed[module, name]()


def _check_pair(pair: object, split: str, path: str) -> _Pair:
    """Return `pair` as ``(X, y)`` after checking that it is a pair of arrays of the book."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        msg = f"{path}: {split} must be a pair (images, labels), got {type(pair).__name__}"
        raise DataError(msg)
    X, y = pair
    for what, array in (("images", X), ("labels", y)):
        if not isinstance(array, np.ndarray):
            msg = f"{path}: {split} {what} must be a NumPy array, got {type(array).__name__}"
            raise DataError(msg)
    if X.ndim != 2 or X.dtype.kind not in "fiu":
        msg = (
            f"{path}: {split} images must be a 2-D numeric array (n, 784),"
            f" got shape {X.shape} of {X.dtype}"
        )
        raise DataError(msg)
    if y.ndim != 1 or y.dtype.kind not in "iu":
        msg = (
            f"{path}: {split} labels must be a 1-D integer array (n,),"
            f" got shape {y.shape} of {y.dtype}"
        )
        raise DataError(msg)
    if len(X) != len(y):
        msg = f"{path}: {split} has {len(X)} images but {len(y)} labels; the counts must agree"
        raise DataError(msg)
    return X, y


def load_book_pickle(
    path: str | os.PathLike[str], *, dtype: npt.DTypeLike = np.float64
) -> tuple[_Pair, _Pair, _Pair]:
    """Load the book's ``mnist.pkl.gz``, refusing anything that is not NumPy arrays.

    Parameters
    ----------
    path : str or os.PathLike
        A pickle, gzipped (by name ``.gz`` or by content) or not, of the tuple
        ``(training_data, validation_data, test_data)``, each a pair ``(images, labels)``
        with images of shape ``(n, 784)`` and labels of shape ``(n,)``, as shipped with the
        book's code (Python 2, protocol 2).
    dtype : data-type, default numpy.float64
        The floating-point type of the images.

    Returns
    -------
    train : tuple (X, y)
    validation : tuple (X, y)
    test : tuple (X, y)
        In each, ``X`` of shape ``(n, n_inputs)`` in `dtype`; ``y`` of shape ``(n,)``, int64. The
        arrays are new and writable; this is the form `load_mnist` returns.

    Raises
    ------
    DataError
        If the file is missing or corrupt, names any global other than those that rebuild
        NumPy arrays (the message names the refused ``module.name``), or is not three pairs of
        a 2-D image array and a 1-D label array of the same length.

    See Also
    --------
    load_mnist : the same data from the bundled IDX files.

    Notes
    -----
    Unpickling runs whatever functions a pickle names, so a pickle from the internet can run
    any code. This loader allows only ``numpy.ndarray``, ``numpy.dtype``, NumPy's
    ``_reconstruct`` and ``scalar``, and ``_codecs.encode``: a pickle naming anything else
    (``os.system``, ``builtins.eval``) is refused before it is called. It decodes Python 2
    strings as Latin-1, as NumPy's own arrays need.

    Examples
    --------
    >>> import gzip, pickle, tempfile, pathlib
    >>> import numpy as np
    >>> from neurograph.datasets import load_book_pickle
    >>> pair = (np.zeros((3, 784), np.float32), np.array([1, 2, 3]))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mnist.pkl.gz"
    >>> _ = path.write_bytes(gzip.compress(pickle.dumps((pair, pair, pair), protocol=2)))
    >>> train, validation, test = load_book_pickle(path)
    >>> train[0].shape, train[0].dtype, train[1].tolist()
    ((3, 784), dtype('float64'), [1, 2, 3])
    """
    dt = _check_float_dtype(dtype)
    name = str(path)
    data = _read_bytes(path)
    try:
        for _ in pickletools.genops(data):  # every length checked against what the file holds,
            pass  # before the unpickler allocates what a length claims
        obj = _ArraysOnlyUnpickler(io.BytesIO(data), name).load()
    except DataError:
        raise
    except Exception as err:  # any failure to unpickle untrusted bytes is a data error
        detail = " ".join(str(err).split())  # keep the message on one line
        msg = f"{name}: not a valid data set pickle ({type(err).__name__}: {detail})"
        raise DataError(msg) from err
    if not isinstance(obj, (tuple, list)) or len(obj) != 3:
        got = type(obj).__name__
        if isinstance(obj, (tuple, list)):
            got += f" of length {len(obj)}"
        msg = f"{name}: expected a tuple (training_data, validation_data, test_data), got {got}"
        raise DataError(msg)
    pairs = [_check_pair(pair, split, name) for pair, split in zip(obj, _SPLITS)]
    train, validation, test = (
        (np.asarray(X).view(np.ndarray).astype(dt), np.asarray(y).view(np.ndarray).astype(np.int64))
        for X, y in pairs
    )
    return train, validation, test
