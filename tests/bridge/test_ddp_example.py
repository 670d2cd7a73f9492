"""examples/08_ddp_mnist.py: two processes under torchrun (gloo, CPU) train, agree, come back."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from optional import need

import neurograph as ng

pytestmark = pytest.mark.slow  # DDP on MNIST in subprocesses

torch = need("torch")
safetensors_torch = need("safetensors.torch")
SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "08_ddp_mnist.py"


def test_ddp_run_on_a_slice_of_mnist(tmp_path: Path) -> None:
    """Both ranks keep identical parameters; neurograph's accuracy equals PyTorch's."""
    command = [sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rank0 = safetensors_torch.load_file(str(tmp_path / "rank0.safetensors"))
    rank1 = safetensors_torch.load_file(str(tmp_path / "rank1.safetensors"))
    assert rank0.keys() == rank1.keys() == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert all(torch.equal(rank0[k], rank1[k]) for k in rank0)
    start = ng.to_torch(ng.layered([784, 30, 10], seed=0)).state_dict()
    assert not torch.equal(rank0["0.weight"], start["0.weight"])  # it did train
    net = ng.load(tmp_path / "mnist.safetensors")
    module = ng.to_torch(net)
    module.load_state_dict(rank0, strict=True)
    _, _, (X, y) = ng.datasets.load_mnist()
    X, y = X[:1000], y[:1000]
    torch_accuracy = float(np.mean(module(torch.tensor(X)).argmax(1).numpy() == y))
    accuracy = net.compile().accuracy((X, y))
    assert accuracy == torch_accuracy > 0.6
    printed = re.search(r"PyTorch (\S+), neurograph (\S+)", result.stdout)
    assert printed is not None and printed.groups() == (f"{accuracy:.4f}",) * 2
