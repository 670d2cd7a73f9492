"""Loaders never allocate more than a file declares and holds: gzip bombs, object arrays."""

from __future__ import annotations

import gzip
import os
import pickle
import struct
import subprocess
import sys
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import neurograph as ng
from neurograph.datasets import load_book_pickle, load_idx
from neurograph.errors import DataError

MB = 2**20


def _peak(call: Callable[[], Any], error: type[Exception], match: str) -> int:
    """Run `call`, which must raise `error`; return the peak of traced memory in bytes."""
    tracemalloc.start()
    try:
        with pytest.raises(error, match=match):
            call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _zeros_gz(n: int) -> bytes:
    """`n` zero bytes, gzipped, built in pieces (64 MiB of zeros is 64 KiB of gzip)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MB)
    return b"".join([*(packer.compress(block) for _ in range(n // MB)), packer.flush()])


def test_gzip_bomb_stops_at_the_declared_size(tmp_path: Path) -> None:
    header = bytes([0, 0, 0x08, 1]) + struct.pack(">I", 10)  # declares 10 bytes
    bomb = tmp_path / "bomb-idx1-ubyte.gz"
    bomb.write_bytes(gzip.compress(header) + _zeros_gz(64 * MB))  # a second gzip member
    peak = _peak(lambda: load_idx(bomb), DataError, "trailing garbage")
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MiB"


def test_declared_4_gb_costs_only_what_the_file_holds(tmp_path: Path) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = packer.compress(bytes([0, 0, 0x08, 1]) + struct.pack(">I", 2**32 - 1))
    body = b"".join(packer.compress(bytes(MB)) for _ in range(16))
    path = tmp_path / "big-idx1-ubyte.gz"
    path.write_bytes(head + body + packer.flush())
    peak = _peak(lambda: load_idx(path), DataError, "truncated IDX data")
    assert peak < 48 * MB, f"peak {peak / MB:.1f} MiB"  # 16 MiB held, never the 4 GiB declared


class _Rebuilt:
    """Pickles as NumPy's own array recipe, with a state of our choosing."""

    def __init__(self, args: tuple[Any, ...], state: Any) -> None:
        self.args, self.state = args, state

    def __reduce__(self) -> Any:
        from numpy._core.multiarray import _reconstruct  # type: ignore[attr-defined]

        return (_reconstruct, self.args, self.state)


@pytest.mark.parametrize(
    "bomb",
    [
        _Rebuilt((np.ndarray, (0,), b"b"), (1, (100_000_000,), np.dtype(object), False, [])),
        _Rebuilt((np.ndarray, (100_000_000,), "O"), None),
        _Rebuilt((np.ndarray, (0,), b"b"), (1, (100_000_000,), np.dtype("f8"), False, b"")),
    ],
    ids=["object-state", "object-shape", "short-data"],
)
def test_book_pickle_refuses_before_allocating(tmp_path: Path, bomb: _Rebuilt) -> None:
    path = tmp_path / "mnist.pkl"
    path.write_bytes(pickle.dumps(bomb, protocol=2))
    assert path.stat().st_size < 400
    peak = _peak(lambda: load_book_pickle(path), DataError, "pickle")
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MiB"


def test_load_caps_what_it_reads(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (2 * MB))
    peak = _peak(lambda: ng.load(path, max_bytes=MB), ng.FormatError, "max_bytes=1,048,576")
    assert peak < 4 * MB
    with pytest.raises(ng.FormatError, match="not valid JSON"):
        ng.load(path, max_bytes=4 * MB)  # raised: read, then refused as empty
    with pytest.raises(ng.UsageError, match="max_bytes"):
        ng.load(path, max_bytes=0)


@pytest.mark.parametrize("loader", ["ng.load", "load_idx", "load_book_pickle"])
def test_special_files_are_refused_without_blocking(tmp_path: Path, loader: str) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code = (
        "import sys, neurograph as ng\n"
        "from neurograph.datasets import load_idx, load_book_pickle\n"
        "for path in (sys.argv[1], '/dev/zero'):\n"
        "    try:\n"
        f"        {loader}(path)\n"
        "    except ng.NeurographError as err:\n"
        "        print(type(err).__name__, err)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all("not a regular file" in line for line in lines), done


def test_every_bomb_is_refused_under_an_address_space_limit(tmp_path: Path) -> None:
    """The bombs above, each loaded in a process that may map at most 1 GiB (RLIMIT_AS)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = packer.compress(bytes([0, 0, 0x08, 1]) + struct.pack(">I", 2**32 - 1))  # 4 GiB
    idx = tmp_path / "big-idx1-ubyte.gz"
    idx.write_bytes(head + b"".join(packer.compress(bytes(MB)) for _ in range(16)) + packer.flush())
    book = tmp_path / "mnist.pkl"
    state: tuple[Any, ...] = (
        1,
        (100_000_000,),
        np.dtype(object),
        False,
        [],
    )  # 800 MB of object pointers
    book.write_bytes(pickle.dumps(_Rebuilt((np.ndarray, (0,), b"b"), state), protocol=2))
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(300 * MB)  # sparse: 300 MiB that take no disk
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "import neurograph as ng\n"
        "from neurograph.datasets import load_book_pickle, load_idx\n"
        "for call, path in zip((load_idx, load_book_pickle, ng.load), sys.argv[1:]):\n"
        "    try:\n"
        "        call(path)\n"
        "    except ng.NeurographError as err:\n"
        "        print('refused:', type(err).__name__)\n"
    )
    args = [sys.executable, "-c", code, str(idx), str(book), str(huge)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]  # no MemoryError, no traceback
    assert done.stdout.split("\n")[:3] == [
        "refused: DataError",
        "refused: DataError",
        "refused: FormatError",
    ], done.stdout
