"""Peak memory of the loaders on hostile files: a gzip bomb, an object-array pickle, huge files.

python benchmarks/loader_memory.py

Each line gives the traced peak (tracemalloc) while the loader refuses the file.
"""

from __future__ import annotations

import gzip
import pickle
import struct
import tempfile
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import neurograph as ng
from neurograph.datasets import load_book_pickle, load_idx

MB = 2**20


def peak(call: Callable[[], Any]) -> str:
    """The traced peak of `call` in MiB, and the neurograph error it raised."""
    tracemalloc.start()
    try:
        call()
        what = "no error"
    except ng.NeurographError as err:
        what = type(err).__name__
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return f"peak {top / MB:.2f} MiB ({what})"


class ObjectArray:
    """Pickles as NumPy's array recipe with an object dtype of 10⁸ elements (800 MB)."""

    def __reduce__(self) -> Any:
        from numpy._core.multiarray import _reconstruct  # type: ignore[attr-defined]

        state: tuple[Any, ...] = (1, (100_000_000,), np.dtype(object), False, [])
        return (_reconstruct, (np.ndarray, (0,), b"b"), state)


def main() -> None:
    """Write each hostile file into a temporary folder and print the loader's peak."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"".join([*(packer.compress(bytes(MB)) for _ in range(256)), packer.flush()])
        bomb = folder / "bomb-idx1-ubyte.gz"
        bomb.write_bytes(gzip.compress(bytes([0, 0, 8, 1]) + struct.pack(">I", 10)) + zeros)
        size = bomb.stat().st_size / 1024
        print(f"IDX gzip bomb, {size:.0f} KiB inflating to 256 MiB: {peak(lambda: load_idx(bomb))}")
        book = folder / "mnist.pkl"
        book.write_bytes(pickle.dumps(ObjectArray(), protocol=2))
        what = f"book pickle of {book.stat().st_size} B declaring an 800 MB object array"
        print(f"{what}: {peak(lambda: load_book_pickle(book))}")
        big = folder / "big.json"
        big.write_bytes(b" " * (300 * MB))
        print(f"ng.load of a 300 MiB file (limit 256 MiB): {peak(lambda: ng.load(big))}")
        print(f"ng.load('/dev/zero'): {peak(lambda: ng.load('/dev/zero'))}")


if __name__ == "__main__":
    main()
