"""safetensors metadata never multiplies before it is checked: runs and levels are bounded
by the entries of the file's tensors, in memory (RLIMIT_AS) and in time, through ``ng.load``
and every command that loads a model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import neurograph as ng
from neurograph.io.files import FORMAT_VERSION
from neurograph.io.safetensors_format import encode, read

st = pytest.importorskip("safetensors.numpy")

GIB = 2**30


def _parts() -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The metadata and tensors of a saved [2, 2, 1] network."""
    net = ng.layered([2, 2, 1], seed=0)
    doc = {"format": "neurograph", "version": FORMAT_VERSION, **net.to_dict()}
    text, tensors = read(encode(net, doc), "net")
    return json.loads(text), tensors


def _repeated(doc: dict[str, Any], tensors: dict[str, np.ndarray]) -> tuple[Any, Any]:
    doc["edge_runs"] = [[["L1.1"] * 5000, ["L2.1"] * 5000]]  # 25 million edges, 100 KB
    return doc, tensors


def _repeated_targets(doc: dict[str, Any], tensors: dict[str, np.ndarray]) -> tuple[Any, Any]:
    doc["edge_runs"] = [[["L1.1", "L1.2"], ["L2.1", *(["L2.2"] * 20_000)]]]
    return doc, tensors


def _distinct(doc: dict[str, Any], tensors: dict[str, np.ndarray]) -> tuple[Any, Any]:
    doc["edge_runs"] = [[[f"s{i}" for i in range(5000)], [f"t{i}" for i in range(5000)]]]
    return doc, tensors


def _many_runs(doc: dict[str, Any], tensors: dict[str, np.ndarray]) -> tuple[Any, Any]:
    doc["edge_runs"] = [[["L1.1"], ["L2.1"]]] * 200_000
    return doc, tensors


def _dense_levels(doc: dict[str, Any], tensors: dict[str, np.ndarray]) -> tuple[Any, Any]:
    """12,000 inputs and 12,000 neurons, one edge each: 1.2 GB of matrices once compiled."""
    n = 12_000
    doc["inputs"] = [f"x{i}" for i in range(n)]
    doc["neurons"] = [{"name": f"h{i}", "kind": "sigmoid", "bias": 0.0} for i in range(n)]
    doc["outputs"] = [f"h{i}" for i in range(n)]
    doc["labels"] = None
    doc["edge_runs"] = [[[f"x{i}"], [f"h{i}"]] for i in range(n)]
    tensors = {"levels.0.weight": np.zeros(n), "levels.0.bias": np.zeros(n)}
    return doc, tensors


BOMBS = {
    "repeated names": (_repeated, "names 'L1.1' twice among its sources"),
    "repeated targets": (_repeated_targets, "names 'L2.2' twice among its targets"),
    "distinct names": (_distinct, "hold more than .* edges but the weight tensors have only 6"),
    "many runs": (_many_runs, "hold more than 7 edges but the weight tensors have only 6"),
    "dense levels": (_dense_levels, "levels need more than .* weights"),
}


def _write(tmp_path: Path, name: str) -> Path:
    make, _ = BOMBS[name]
    doc, tensors = make(*_parts())
    path = tmp_path / "bomb.safetensors"
    path.write_bytes(st.save(tensors, metadata={"neurograph": json.dumps(doc)}))
    return path


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_metadata_bomb_is_refused_naming_the_cause(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    with pytest.raises(ng.FormatError, match=BOMBS[name][1]):
        ng.load(path)


LOADER = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from neurograph.cli import main
import neurograph as ng
start = time.perf_counter()
try:
    ng.load(sys.argv[1])
except ng.NeurographError as err:
    print("refused:", type(err).__name__)
for argv in {commands!r}:
    code = main([arg.replace("MODEL", sys.argv[1]).replace("DIR", sys.argv[2]) for arg in argv])
    print("exit", code)
print("peak MiB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print("seconds", round(time.perf_counter() - start, 2))
"""

COMMANDS = [
    ["render", "MODEL", "-o", "DIR/n.svg"],
    ["export", "MODEL", "-o", "DIR/n.json"],
    ["play", "MODEL", "-o", "DIR/n.html"],
    ["debug", "MODEL"],
    ["train", "--resume", "MODEL", "--epochs", "1", "--output", "DIR/m.json"],
]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BOMBS))
def test_metadata_bomb_under_an_address_space_limit(tmp_path: Path, name: str) -> None:
    """ng.load and each command that loads a model refuse it within 1 GiB and seconds."""
    path = _write(tmp_path, name)
    code = LOADER.format(limit=GIB, commands=COMMANDS)
    args = [sys.executable, "-c", code, str(path), str(tmp_path)]
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr[-2000:]  # no MemoryError, no traceback
    lines = done.stdout.splitlines()
    assert lines[: 1 + len(COMMANDS)] == ["refused: FormatError"] + ["exit 1"] * len(COMMANDS)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.safetensors"]  # nothing written
    seconds = float(lines[-1].split()[-1])
    assert seconds < 60, lines  # six loads; a few seconds on an idle machine
