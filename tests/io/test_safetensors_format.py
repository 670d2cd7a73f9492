"""safetensors files: PyTorch loads them into the exported module; ng.load gives the net back."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from optional import need
from strategies import networks

import neurograph as ng

torch = need("torch")
safetensors_torch = need("safetensors.torch")
safetensors_numpy = need("safetensors.numpy")


def skip_net() -> ng.Network:
    """A [3, 4, 2] softmax network with a skip connection, and training state in its meta."""
    net = ng.layered([3, 4, 2], output=ng.SoftmaxLayer, seed=5)
    net.connect("L1.3", "L3.1", 0.25)
    net.meta = {"cost": "LogLikelihoodCost", "training": {"epochs": 3, "history": {"x": [1.5]}}}
    return net


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(networks())
def test_round_trip_is_exact(tmp_path: Path, net: ng.Network) -> None:
    """ng.save then ng.load: the same description, bit for bit."""
    path = ng.save(net, tmp_path / "m.safetensors")
    assert ng.load(path).to_dict() == net.to_dict()


@pytest.mark.parametrize("net", [ng.layered([3, 4, 2], seed=1), skip_net()], ids=["chain", "dag"])
def test_pytorch_loads_it_strictly(tmp_path: Path, net: ng.Network) -> None:
    """safetensors.torch.load_file gives the exported module's state_dict, names and all."""
    path = ng.save(net, tmp_path / "m.safetensors")
    state = safetensors_torch.load_file(str(path))
    module = ng.to_torch(net)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.zero_()
    module.load_state_dict(state, strict=True)
    for name, tensor in ng.to_torch(net).state_dict().items():
        assert torch.equal(module.state_dict()[name], tensor), name
    X = np.random.default_rng(2).uniform(-1, 1, (5, 3))
    out = module(torch.tensor(X)).detach().numpy()
    np.testing.assert_allclose(out, net.compile().feedforward(X), rtol=1e-12, atol=1e-12)
    with safetensors_numpy.safe_open(str(path), framework="numpy") as f:
        doc = json.loads(f.metadata()["neurograph"])
    assert doc["meta"] == net.meta and doc["format"] == "neurograph"
    if len(net.to_dict()["edges"]) == 20:  # the chain: one run per layer, the header stays small
        assert [len(sources) for sources, _ in doc["edge_runs"]] == [3, 4]


def test_a_module_trained_in_torch_saves_back(tmp_path: Path) -> None:
    """Trained in PyTorch, saved with save_file and the metadata: ng.load reads the trained net."""
    net = skip_net()
    module = ng.to_torch(net)
    with torch.no_grad():
        module.levels[0].weight.mul_(2.0)
    path = ng.save(net, tmp_path / "m.safetensors")
    with safetensors_numpy.safe_open(str(path), framework="numpy") as f:
        meta = f.metadata()
    safetensors_torch.save_file(module.state_dict(), str(path), metadata=meta)
    assert ng.load(path).weight("L1.1", "L2.1") == 2 * net.weight("L1.1", "L2.1")
    assert ng.load(path).to_dict() == ng.from_torch(module).to_dict()


def rewrite(path: Path, tensors: dict, meta: dict) -> Path:
    """A file of these tensors and metadata."""
    path.write_bytes(safetensors_numpy.save(tensors, metadata=meta))
    return path


def test_untrusted_files_are_refused(tmp_path: Path) -> None:
    """Truncated, oversized header, bare state_dict, wrong names, dtypes, shapes, masks."""
    good = ng.save(skip_net(), tmp_path / "m.safetensors")
    data = good.read_bytes()
    tensors = safetensors_numpy.load(data)
    with safetensors_numpy.safe_open(str(good), framework="numpy") as f:
        meta = f.metadata()
    cases: dict[str, bytes] = {
        "truncated": data[:-10],
        "truncated\\?": data[: len(data) // 2],
        "header claims": struct.pack("<Q", 10**12) + data[8:],
        "no 'neurograph' metadata": safetensors_numpy.save(tensors),
    }
    for i, (match, content) in enumerate(cases.items()):
        bad = tmp_path / f"bad{i}.safetensors"
        bad.write_bytes(content)
        with pytest.raises(ng.FormatError, match=match):
            ng.load(bad)
    bad = tmp_path / "bad.safetensors"
    variants = [
        (
            {k: v for k, v in tensors.items() if k != "levels.1.bias"},
            "missing \\['levels.1.bias'\\]",
        ),
        ({**tensors, "levels.0.weight": tensors["levels.0.weight"].astype(np.int64)}, "int64"),
        (
            {**tensors, "levels.0.weight": tensors["levels.0.weight"][:, :2].copy()},
            r"only 18 entries \('levels.0.weight': \(4, 2\)",
        ),
        ({**tensors, "levels.1.mask": np.ones((2, 5), dtype=bool)}, "disagrees with the wiring"),
        ({**tensors, "levels.1.weight": np.ones((2, 5))}, "no edge"),
        ({**tensors, "levels.0.bias": np.full(4, np.nan)}, "NaN"),
    ]
    for variant, match in variants:
        with pytest.raises(ng.FormatError, match=match):
            ng.load(rewrite(bad, variant, meta))
    with pytest.raises(ng.FormatError, match="Infinity"):
        ng.load(rewrite(bad, tensors, {"neurograph": '{"a": Infinity}'}))
    doc = json.loads(meta["neurograph"])
    doc["edge_runs"][0] = ["L1.1", "L2.1"]
    with pytest.raises(ng.FormatError, match=r"edge run .* must be \[\[source"):
        ng.load(rewrite(bad, tensors, {"neurograph": json.dumps(doc)}))
    with pytest.raises(ng.FormatError, match="cannot read"):
        ng.load(tmp_path / "missing.safetensors")
    with pytest.raises(ng.UsageError, match="not 'network2'"):
        ng.save(ng.layered([2, 1]), tmp_path / "n2.safetensors", format="network2")
