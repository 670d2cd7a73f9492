"""Tests for neurograph.datasets: the IDX reader, IDX folders, bundled MNIST, the book's pickle."""

from __future__ import annotations

import gzip
import hashlib
import io
import pickle
import re
import shutil
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import neurograph.datasets as datasets
import neurograph.datasets.mnist as mnist_module
from neurograph.datasets import (
    load_book_pickle,
    load_idx,
    load_idx_dataset,
    load_mnist,
    load_mnist_test,
    mnist_path,
)
from neurograph.datasets.idx import IDX_NAMES
from neurograph.errors import DataError, NeurographError

IDX_CODES = {
    np.dtype(np.uint8): 0x08,
    np.dtype(np.int8): 0x09,
    np.dtype(np.int16): 0x0B,
    np.dtype(np.int32): 0x0C,
    np.dtype(np.float32): 0x0D,
    np.dtype(np.float64): 0x0E,
}
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def idx_bytes(array: np.ndarray, code: int | None = None) -> bytes:
    """The IDX encoding of `array`: 00 00 type ndim, big-endian sizes, big-endian values."""
    code = IDX_CODES[array.dtype] if code is None else code
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path: Path, data: bytes, *, gz: bool = False) -> Path:
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


# --- load_idx ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", list(IDX_CODES))
@pytest.mark.parametrize("name", ["a-idx3", "a-idx3.gz", "gzipped-without-suffix"])
def test_load_idx_round_trip(tmp_path, dtype, name):
    rng = np.random.default_rng(0)
    if dtype.kind == "f":
        array = (rng.standard_normal((3, 4, 2)) * 100).astype(dtype)
    else:
        low = 0 if dtype.kind == "u" else np.iinfo(dtype).min
        array = rng.integers(low, np.iinfo(dtype).max, (3, 4, 2), endpoint=True).astype(dtype)
    path = write(tmp_path / name, idx_bytes(array), gz=name != "a-idx3")
    loaded = load_idx(path)
    assert loaded.dtype == dtype and loaded.dtype.isnative
    assert loaded.shape == (3, 4, 2)
    np.testing.assert_array_equal(loaded, array)
    assert loaded.flags.writeable


def test_load_idx_accepts_str_paths_and_one_or_zero_length_dims(tmp_path):
    path = write(tmp_path / "labels", idx_bytes(np.array([7, 2, 1], np.uint8)))
    assert load_idx(str(path)).tolist() == [7, 2, 1]
    empty = write(tmp_path / "empty", idx_bytes(np.zeros((0, 28, 28), np.uint8)))
    assert load_idx(empty).shape == (0, 28, 28)


def test_load_idx_reads_a_bundled_file():
    labels = load_idx(mnist_path() / "t10k-labels-idx1-ubyte.gz")
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    assert np.bincount(labels).tolist() == TEST_COUNTS


def test_load_idx_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope-idx1-ubyte: no such file"):
        load_idx(tmp_path / "nope-idx1-ubyte")


def test_load_idx_directory(tmp_path):
    with pytest.raises(DataError, match="is a directory"):
        load_idx(tmp_path)


def test_load_idx_wrong_magic(tmp_path):
    path = write(tmp_path / "picture.png", b"\x89PNG\r\n\x1a\n" + bytes(20))
    with pytest.raises(
        DataError, match=r"picture\.png: not an IDX file: wrong magic number 0x89504E47"
    ):
        load_idx(path)


def test_load_idx_unknown_dtype_code(tmp_path):
    path = write(tmp_path / "odd", idx_bytes(np.zeros(3, np.uint8), code=0x0A))
    with pytest.raises(DataError, match=r"odd: unknown IDX dtype code 0x0A; expected one of 0x08"):
        load_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_load_idx_truncated_data(tmp_path, gz):
    data = idx_bytes(np.arange(6, dtype=np.int32).reshape(2, 3))  # 4 + 8 + 24 = 36 bytes
    path = write(tmp_path / ("short.gz" if gz else "short"), data[:-1], gz=gz)
    with pytest.raises(DataError, match=r"short(\.gz)?: truncated .* expected 36 bytes, got 35"):
        load_idx(path)


@pytest.mark.parametrize("data", [b"", b"\x00\x00", b"\x00\x00\x08\x03\x00\x00\x00\x02"])
def test_load_idx_truncated_header(tmp_path, data):
    with pytest.raises(DataError, match=r"head: truncated IDX header: expected .* bytes, got"):
        load_idx(write(tmp_path / "head", data))


def test_load_idx_huge_declared_shape_is_truncation_not_a_numpy_error(tmp_path):
    data = bytes([0, 0, 0x0E, 3]) + struct.pack(">3I", 2**32 - 1, 2**32 - 1, 2**32 - 1)
    with pytest.raises(DataError, match="truncated IDX data"):
        load_idx(write(tmp_path / "huge", data))


def test_load_idx_trailing_garbage(tmp_path):
    path = write(tmp_path / "long", idx_bytes(np.zeros(4, np.uint8)) + b"xyz")
    with pytest.raises(
        DataError, match=r"long: trailing garbage .* \(expected 12 bytes, got more\)"
    ):
        load_idx(path)


def test_load_idx_gz_name_but_not_gzip(tmp_path):
    path = write(tmp_path / "plain.gz", idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(DataError, match=r"plain\.gz: corrupt gzip data"):
        load_idx(path)


@pytest.mark.parametrize("damage", ["cut", "flip"])
def test_load_idx_corrupt_gzip(tmp_path, damage):
    rng = np.random.default_rng(1)
    packed = bytearray(gzip.compress(idx_bytes(rng.integers(0, 255, 500, dtype=np.uint8))))
    if damage == "cut":
        packed = packed[: len(packed) // 2]
    else:
        packed[-6] ^= 0xFF  # inside the CRC-32 trailer
    with pytest.raises(DataError, match=r"bad\.gz: corrupt gzip data \("):
        load_idx(write(tmp_path / "bad.gz", bytes(packed)))


def test_data_error_is_a_neurograph_value_error():
    assert issubclass(DataError, NeurographError) and issubclass(DataError, ValueError)


# --- load_idx_dataset ---------------------------------------------------------------------


def make_idx_folder(folder: Path, n_train: int = 5, n_test: int = 2, **override: bytes) -> Path:
    """A tiny MNIST-like folder: 3x2 images, the training files gzipped, the test files raw."""
    rng = np.random.default_rng(2)
    folder.mkdir(exist_ok=True)
    contents = {
        "train-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (n_train, 3, 2), np.uint8)),
        "train-labels-idx1-ubyte": idx_bytes(rng.integers(0, 10, n_train, np.uint8)),
        "t10k-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (n_test, 3, 2), np.uint8)),
        "t10k-labels-idx1-ubyte": idx_bytes(rng.integers(0, 10, n_test, np.uint8)),
    }
    contents.update({name.replace("_", "-"): data for name, data in override.items()})
    for name, data in contents.items():
        if name.startswith("train"):
            write(folder / f"{name}.gz", data, gz=True)
        else:
            write(folder / name, data)
    return folder


def test_load_idx_dataset_tiny_folder(tmp_path):
    folder = make_idx_folder(tmp_path / "tiny")
    (X_train, y_train), (X_test, y_test) = load_idx_dataset(folder)
    images = load_idx(folder / "train-images-idx3-ubyte.gz")
    assert X_train.shape == (5, 6) and X_test.shape == (2, 6)
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64 and y_test.shape == (2,)
    np.testing.assert_array_equal(X_train, images.reshape(5, 6) / 255.0)
    np.testing.assert_array_equal(y_test, load_idx(folder / "t10k-labels-idx1-ubyte"))
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0


def test_load_idx_dataset_dtype(tmp_path):
    (X_train, _), (X_test, _) = load_idx_dataset(make_idx_folder(tmp_path), dtype=np.float32)
    assert X_train.dtype == X_test.dtype == np.float32


def test_load_idx_dataset_refuses_integer_dtype(tmp_path):
    with pytest.raises(DataError, match="dtype must be a floating-point type.*got int32"):
        load_idx_dataset(make_idx_folder(tmp_path), dtype=np.int32)


def test_load_idx_dataset_mismatched_counts(tmp_path):
    labels = idx_bytes(np.zeros(4, np.uint8))
    folder = make_idx_folder(tmp_path, train_labels_idx1_ubyte=labels)
    with pytest.raises(DataError, match="holds 5 images but .* holds 4 labels"):
        load_idx_dataset(folder)


def test_load_idx_dataset_missing_files(tmp_path):
    folder = make_idx_folder(tmp_path / "partial")
    (folder / "t10k-labels-idx1-ubyte").unlink()
    (folder / "train-images-idx3-ubyte.gz").unlink()
    pattern = (
        r"missing train-images-idx3-ubyte\[\.gz\], t10k-labels-idx1-ubyte\[\.gz\];"
        r" .* the four files train-images-idx3-ubyte, train-labels-idx1-ubyte,"
    )
    with pytest.raises(DataError, match=pattern):
        load_idx_dataset(folder)


def test_load_idx_dataset_no_such_directory(tmp_path):
    with pytest.raises(DataError, match="no such directory"):
        load_idx_dataset(tmp_path / "absent")


def test_load_idx_dataset_images_not_3d(tmp_path):
    folder = make_idx_folder(tmp_path, t10k_images_idx3_ubyte=idx_bytes(np.zeros((2, 6), np.uint8)))
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte: expected 3-D images .*\(2, 6\)"):
        load_idx_dataset(folder)


def test_load_idx_dataset_images_not_bytes(tmp_path):
    folder = make_idx_folder(tmp_path, t10k_images_idx3_ubyte=idx_bytes(np.zeros((2, 3, 2))))
    with pytest.raises(DataError, match="expected unsigned-byte pixels"):
        load_idx_dataset(folder)


def test_load_idx_dataset_labels_not_1d(tmp_path):
    folder = make_idx_folder(tmp_path, t10k_labels_idx1_ubyte=idx_bytes(np.zeros((2, 1), np.uint8)))
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte: expected 1-D labels"):
        load_idx_dataset(folder)


def test_load_idx_dataset_reports_a_bad_file(tmp_path):
    folder = make_idx_folder(tmp_path, t10k_labels_idx1_ubyte=b"garbage!")
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte: not an IDX file"):
        load_idx_dataset(folder)


# --- load_mnist -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


def test_mnist_path_holds_the_bundle():
    folder = mnist_path()
    assert isinstance(folder, Path) and folder.is_dir()
    names = {p.name for p in folder.iterdir()}
    assert {f"{n}.gz" for n in IDX_NAMES} | {"SHA256SUMS", "README.md"} <= names
    assert "Yann LeCun" in (folder / "README.md").read_text(encoding="utf-8")


def test_load_mnist_shapes_and_dtypes(mnist):
    train, validation, test = mnist
    assert [X.shape for X, _ in mnist] == [(50000, 784), (10000, 784), (10000, 784)]
    assert [y.shape for _, y in mnist] == [(50000,), (10000,), (10000,)]
    for X, y in (train, validation, test):
        assert X.dtype == np.float64 and y.dtype == np.int64
        assert X.min() == 0.0 and X.max() == 1.0
        assert y.min() == 0 and y.max() == 9
    assert test[1][:5].tolist() == [7, 2, 1, 0, 4]


def test_load_mnist_label_counts(mnist):
    train, validation, test = mnist
    assert np.bincount(np.concatenate([train[1], validation[1]])).tolist() == TRAIN_COUNTS
    assert np.bincount(test[1]).tolist() == TEST_COUNTS


def test_load_mnist_matches_the_idx_files(mnist):
    _, validation, _ = mnist
    labels = load_idx(mnist_path() / "train-labels-idx1-ubyte.gz")
    np.testing.assert_array_equal(validation[1], labels[50000:])


def test_load_mnist_arrays_are_read_only(mnist):
    for X, y in mnist:
        assert not X.flags.writeable and not y.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            X[0, 0] = 0.5
        with pytest.raises(ValueError, match="read-only"):
            y[0] = 3
        with pytest.raises(ValueError, match="WRITEABLE"):
            X.flags.writeable = True


def test_load_mnist_is_cached(mnist, monkeypatch):
    def fail(path):
        msg = f"read {path} again"
        raise AssertionError(msg)

    monkeypatch.setattr(mnist_module, "_read_idx_bytes", fail)
    again = load_mnist()
    assert all(a is b for new, old in zip(again, mnist) for a, b in zip(new, old))


def test_load_mnist_test_reads_only_the_test_files(mnist, bundle_copy, monkeypatch):
    """`load_mnist_test` (one test image for `play --input 0`) reads 2 of the 4 files."""
    read = []
    original = mnist_module._read_idx_bytes

    def reading(path):
        read.append(path.name)
        return original(path)

    monkeypatch.setattr(mnist_module, "_read_idx_bytes", reading)
    X, y = load_mnist_test()
    assert sorted(read) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    np.testing.assert_array_equal(X, mnist[2][0])
    np.testing.assert_array_equal(y, mnist[2][1])
    assert not X.flags.writeable


def test_load_mnist_float32(mnist):
    train, _, _ = load_mnist(dtype=np.float32)
    assert train[0].dtype == np.float32
    np.testing.assert_allclose(train[0][:100], mnist[0][0][:100], rtol=1e-6)


def test_load_mnist_refuses_integer_dtype():
    with pytest.raises(DataError, match="floating-point"):
        load_mnist(dtype=np.uint8)


@pytest.fixture
def bundle_copy(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    shutil.copytree(mnist_path(), folder)
    monkeypatch.setattr(mnist_module, "mnist_path", lambda: folder)
    return folder


def test_load_mnist_detects_changed_content(bundle_copy):
    path = bundle_copy / "t10k-labels-idx1-ubyte.gz"
    data = bytearray(gzip.decompress(path.read_bytes()))
    data[8] = (data[8] + 1) % 10  # a valid gzip of a valid IDX file, with one label changed
    path.write_bytes(gzip.compress(bytes(data)))
    digest = hashlib.sha256(bytes(data)).hexdigest()
    pattern = (
        r"the bundled MNIST data in .* is corrupt: t10k-labels-idx1-ubyte\.gz decompresses to"
        f" SHA-256 {digest}, expected ff7bcfd4.*; reinstall neurograph"
    )
    with pytest.raises(DataError, match=pattern):
        load_mnist()
    with pytest.raises(DataError, match="is corrupt"):  # a failure is not cached
        load_mnist()
    _, _, (_, y_test) = load_mnist(verify=False, dtype=np.float32)
    assert y_test[0] == 8


def test_load_mnist_detects_a_flipped_byte(bundle_copy):
    path = bundle_copy / "t10k-labels-idx1-ubyte.gz"
    packed = bytearray(path.read_bytes())
    packed[len(packed) // 2] ^= 0x01
    path.write_bytes(bytes(packed))
    with pytest.raises(DataError, match=r"bundled MNIST data .* is corrupt: .*t10k-labels"):
        load_mnist(verify=False)


def test_load_mnist_missing_checksums(bundle_copy):
    (bundle_copy / "SHA256SUMS").unlink()
    with pytest.raises(DataError, match="corrupt: cannot read SHA256SUMS"):
        load_mnist()


# --- load_book_pickle ---------------------------------------------------------------------


def book_data(n: tuple[int, int, int] = (6, 3, 2)):
    rng = np.random.default_rng(3)
    return tuple(
        (rng.random((k, 784), dtype=np.float32), rng.integers(0, 10, k).astype(np.int64)) for k in n
    )


# The pure-Python pickler, whose dispatch table a subclass may extend.
_PurePythonPickler: Any = getattr(pickle, "_Pickler")


class _Python2Pickler(_PurePythonPickler):
    """Pickles bytes as Python 2 ``str`` (BINSTRING), as the book's Python 2 pickle does."""

    dispatch = _PurePythonPickler.dispatch.copy()

    def save_py2_str(self, obj: bytes) -> None:
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str


def python2_style_pickle(obj: object) -> bytes:
    """Protocol 2, byte strings as Python 2 ``str``, NumPy 1's module name ``numpy.core``."""
    buffer = io.BytesIO()
    _Python2Pickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue().replace(b"numpy._core.multiarray\n", b"numpy.core.multiarray\n")


def assert_same(loaded, data, dtype=np.float64):
    for (X, y), (X0, y0) in zip(loaded, data):
        assert X.dtype == dtype and y.dtype == np.int64 and X.flags.writeable
        np.testing.assert_array_equal(X, X0.astype(dtype))
        np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("name", ["mnist.pkl.gz", "mnist.pkl", "gzipped-without-suffix"])
def test_load_book_pickle_round_trip(tmp_path, name):
    data = book_data()
    path = write(tmp_path / name, pickle.dumps(data, protocol=2), gz=name != "mnist.pkl")
    loaded = load_book_pickle(path)
    assert len(loaded) == 3
    assert_same(loaded, data)


def test_load_book_pickle_python2_format(tmp_path):
    data = book_data()
    raw = python2_style_pickle(data)
    assert b"numpy.core.multiarray\n_reconstruct" in raw and b"_codecs" not in raw
    path = write(tmp_path / "mnist.pkl.gz", raw, gz=True)
    assert_same(load_book_pickle(path, dtype=np.float32), data, np.float32)


def test_load_book_pickle_lists_and_numpy_scalars(tmp_path):
    data = [list(pair) for pair in book_data()]
    data.append(np.float64(1.5))  # a NumPy scalar unpickles, then the structure check refuses it
    path = write(tmp_path / "scalar.pkl", pickle.dumps(data, protocol=2))
    with pytest.raises(DataError, match=r"expected a tuple .* got list of length 4"):
        load_book_pickle(path)
    path = write(tmp_path / "lists.pkl", pickle.dumps(data[:3], protocol=2))
    assert_same(load_book_pickle(path), book_data())


MALICIOUS = {
    # protocol 0 by hand: GLOBAL os.system, then call it with one string argument
    "os.system": b"cos\nsystem\n(S'touch {marker}'\ntR.",
    "builtins.eval": b'cbuiltins\neval\n(S\'open("{marker}", "w")\'\ntR.',
    "__builtin__.eval": b'c__builtin__\neval\n(S\'open("{marker}", "w")\'\ntR.',
}


@pytest.mark.parametrize("target", list(MALICIOUS))
@pytest.mark.parametrize("gz", [False, True])
def test_load_book_pickle_refuses_code(tmp_path, target, gz):
    marker = tmp_path / "pwned"
    payload = MALICIOUS[target].decode().format(marker=str(marker)).encode()
    path = write(tmp_path / ("evil.pkl.gz" if gz else "evil.pkl"), payload, gz=gz)
    with pytest.raises(DataError, match=rf"evil\.pkl(\.gz)?: refused to load {re.escape(target)};"):
        load_book_pickle(path)
    assert not marker.exists()


def test_malicious_payloads_do_run_under_plain_pickle(tmp_path):
    # the control: without the allow-list these bytes really do run code
    marker = tmp_path / "pwned"
    payload = MALICIOUS["builtins.eval"].decode().format(marker=str(marker)).encode()
    pickle.loads(payload).close()
    assert marker.exists()


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_load_book_pickle_refuses_code_hidden_among_arrays(tmp_path):
    marker = tmp_path / "pwned"
    (train, validation, test) = book_data()
    payload = pickle.dumps((train, validation, (test[0], _Evil(marker))), protocol=2)
    path = write(tmp_path / "mixed.pkl", payload)
    with pytest.raises(DataError, match=r"mixed\.pkl: refused to load \w+\.open;"):
        load_book_pickle(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("obj", "pattern"),
    [
        ((1, 2), "expected a tuple .* got tuple of length 2"),
        ({"a": 1}, "got dict"),
        ((None, None, None), "training_data must be a pair"),
        (((np.zeros(3), np.zeros(3, int)),) * 3, r"training_data images must be a 2-D .*\(3,\)"),
        (((np.zeros((3, 2)), np.zeros(3)),) * 3, "training_data labels must be a 1-D integer"),
        (((np.zeros((3, 2)), [1, 2, 3]),) * 3, "labels must be a NumPy array, got list"),
        (((np.zeros((3, 2)), np.zeros(2, int)),) * 3, "has 3 images but 2 labels"),
        (((np.array([["a"]]), np.zeros(1, int)),) * 3, "images must be a 2-D numeric array"),
    ],
)
def test_load_book_pickle_checks_structure(tmp_path, obj, pattern):
    path = write(tmp_path / "odd.pkl", pickle.dumps(obj, protocol=2))
    with pytest.raises(DataError, match=pattern):
        load_book_pickle(path)


@pytest.mark.parametrize("data", [b"", b"not a pickle at all", pickle.dumps(book_data())[:-40]])
def test_load_book_pickle_invalid_bytes(tmp_path, data):
    with pytest.raises(DataError, match=r"bad\.pkl: not a valid data set pickle \("):
        load_book_pickle(write(tmp_path / "bad.pkl", data))


def test_load_book_pickle_missing_file(tmp_path):
    with pytest.raises(DataError, match="mnist.pkl.gz: no such file"):
        load_book_pickle(tmp_path / "mnist.pkl.gz")


def test_public_names():
    assert sorted(datasets.__all__) == [
        "Dataset",
        "TOY_NAMES",
        "load_book_pickle",
        "load_csv",
        "load_idx",
        "load_idx_dataset",
        "load_mnist",
        "load_mnist_test",
        "mnist_path",
        "toy",
    ]
