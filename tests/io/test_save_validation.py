"""`save` never writes what `load` refuses: the reader's rules run before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import neurograph as ng


def _named(name: Any) -> ng.Network:
    net = ng.Network()
    (x,) = net.add_inputs(1)
    net.add(ng.SigmoidNeuron(name=name), inputs={x: 1.0})
    return net


def _meta(**meta: Any) -> ng.Network:
    net = ng.layered([2, 1], seed=0)
    net.meta.update(meta)
    return net


CASES: list[tuple[str, Callable[[], ng.Network], str]] = [
    ("integer name", lambda: _named(5), "each neuron needs a 'name' string, got"),
    ("tuple name", lambda: _named(("a", 1)), "'name' string"),
    ("numpy scalar", lambda: _meta(accuracy=np.float64(0.9)), "meta.accuracy is a float64"),
    ("numpy int in a list", lambda: _meta(counts=[1, np.int64(2)]), "meta.counts[1] is a int64"),
    ("NaN", lambda: _meta(loss=float("nan")), "meta.loss is nan"),
    ("inf deep", lambda: _meta(training={"eta": float("inf")}), "meta.training.eta is inf"),
    ("array", lambda: _meta(w=np.zeros(2)), "meta.w is a ndarray"),
    ("key", lambda: _meta(table={1: "a"}), "meta.table: keys must be strings"),
]


@pytest.mark.parametrize(("make", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_save_refuses_what_load_would(
    tmp_path: Path, make: Callable[[], ng.Network], field: str
) -> None:
    path = tmp_path / "net.json"
    with pytest.raises(ng.UsageError) as info:
        ng.save(make(), path)
    assert field in str(info.value) and "cannot save" in str(info.value)
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file


def test_what_save_writes_load_reads(tmp_path: Path) -> None:
    net = _meta(note="ok", n=3, values=[0.5, None, True], nested={"a": {"b": 10**30}})
    path = ng.save(net, tmp_path / "net.json")
    assert ng.load(path).meta == net.meta
