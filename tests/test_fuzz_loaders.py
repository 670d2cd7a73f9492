"""Fuzzing every loader: only neurograph errors escape, memory stays bounded, nothing is written.

Each example runs under a tracemalloc bound (:data:`LIMIT`); the budget is small so that the
suite stays fast (``NEUROGRAPH_FUZZ=500`` runs longer).
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import struct
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neurograph as ng
from neurograph.datasets import load_book_pickle, load_idx
from neurograph.io.safetensors_format import encode, read

LIMIT = 64 * 2**20  # bytes any one example may allocate at its peak
EXAMPLES = int(os.environ.get("NEUROGRAPH_FUZZ", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _run(loader: Callable[[Path], Any], data: bytes, name: str) -> None:
    """Load `data` from a fresh folder: a result or a NeurographError, bounded, nothing written."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        tracemalloc.start()
        try:
            loader(path)
        except ng.NeurographError:
            pass
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert peak < LIMIT, f"{name}: peak {peak / 2**20:.1f} MiB"
        assert sorted(p.name for p in Path(folder).iterdir()) == [name]
        assert path.read_bytes() == data


def _valid_doc() -> dict[str, Any]:
    return {"format": "neurograph", "version": 1, **ng.layered([2, 2, 1], seed=0).to_dict()}


@FUZZ
@given(field=st.sampled_from(sorted(_valid_doc())), value=json_values)
def test_fuzz_json_fields(field: str, value: Any) -> None:
    doc = _valid_doc()
    doc[field] = value
    _run(ng.load, json.dumps(doc).encode(), "net.json")


@FUZZ
@given(neuron=st.dictionaries(st.sampled_from(["name", "kind", "bias", "biases"]), json_values))
def test_fuzz_json_neurons(neuron: dict[str, Any]) -> None:
    doc = _valid_doc()
    doc["neurons"][0] = neuron
    _run(ng.load, json.dumps(doc).encode(), "net.json")


@FUZZ
@given(data=st.binary(max_size=200))
def test_fuzz_raw_bytes_as_json(data: bytes) -> None:
    _run(ng.load, data, "net.json")


@FUZZ
@given(
    sizes=st.lists(st.integers(-2, 6), max_size=4) | json_values,
    weights=json_values,
    biases=json_values,
    cost=st.sampled_from(["QuadraticCost", "CrossEntropyCost", "x"]) | json_values,
)
def test_fuzz_network2(sizes: Any, weights: Any, biases: Any, cost: Any) -> None:
    doc = {"sizes": sizes, "weights": weights, "biases": biases, "cost": cost}
    _run(ng.load, json.dumps(doc).encode(), "net2.json")


@FUZZ
@given(
    code=st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x07]),
    dims=st.lists(st.integers(0, 2**32 - 1), max_size=4),
    body=st.binary(max_size=300),
    zipped=st.booleans(),
)
def test_fuzz_idx(code: int, dims: list[int], body: bytes, zipped: bool) -> None:
    data = bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + body
    _run(load_idx, gzip.compress(data) if zipped else data, "x-idx.gz" if zipped else "x-idx")


def _book_pickle() -> bytes:
    pair = (np.zeros((2, 784), np.float32), np.array([1, 2]))
    return pickle.dumps((pair, pair, pair), protocol=2)


BOOK = _book_pickle()


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, len(BOOK) - 1), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, len(BOOK)),
    zipped=st.booleans(),
)
def test_fuzz_book_pickle(flips: list[tuple[int, int]], cut: int, zipped: bool) -> None:
    data = bytearray(BOOK)
    for where, byte in flips:
        data[where] = byte
    raw = bytes(data[:cut] if cut < len(BOOK) // 2 else data)
    _run(load_book_pickle, gzip.compress(raw) if zipped else raw, "mnist.pkl.gz")


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_book_pickle_bytes(data: bytes) -> None:
    _run(load_book_pickle, b"\x80\x02" + data, "mnist.pkl")


def _safetensors_parts() -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The metadata and tensors of a saved [2, 2, 1] network."""
    text, tensors = read(encode(ng.layered([2, 2, 1], seed=0), _valid_doc()), "net")
    return json.loads(text), tensors


names = st.sampled_from(["L1.1", "L1.2", "L2.1", "L2.2", "L3.1", "x"]) | st.text(max_size=4)
edge_runs = st.lists(
    st.lists(st.lists(names, max_size=300), min_size=2, max_size=2) | json_values, max_size=40
)


@FUZZ
@given(
    field=st.sampled_from(["edge_runs", "neurons", "inputs", "outputs", "labels", "meta"]),
    value=edge_runs | json_values,
    keep_tensors=st.booleans(),
)
def test_fuzz_safetensors_metadata(field: str, value: Any, keep_tensors: bool) -> None:
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    doc, tensors = _safetensors_parts()
    doc[field] = value
    if not keep_tensors:
        tensors = {"0.weight": np.zeros(1)}
    data = safetensors_numpy.save(tensors, metadata={"neurograph": json.dumps(doc)})
    _run(ng.load, bytes(data), "net.safetensors")
