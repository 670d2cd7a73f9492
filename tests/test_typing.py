"""The public API is typed: a user's script, checked by `mypy --strict`, sees DESIGN.md's types."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # mypy in a subprocess, about 15 s cold

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """\
from pathlib import Path

import numpy as np

import neurograph as ng

net = ng.Network()
x1, x2 = net.add_inputs(2)
reveal_type(x1)
h = net.add(ng.SigmoidNeuron(bias=-1.0, name="h"))
reveal_type(h)
net.connect(x1, h, weight=2.0)
p = net.add(ng.Perceptron(bias=-0.5, name="p"), inputs={x1: 1.0, h: 1.0})
reveal_type(p)
sm = net.add(ng.SoftmaxLayer(3, name="out"))
reveal_type(sm)
net.set_outputs([p])
a: np.ndarray = net.forward([0.0, 1.0])
cost: float = net.backward(1.0, cost=ng.QuadraticCost())
error: float = ng.gradient_check(net, [0.0, 1.0], 1.0, ng.QuadraticCost())
net2 = ng.layered([4, 3, 2], seed=0)
reveal_type(net2)
fast = net2.compile()
reveal_type(fast)
out: np.ndarray = fast.feedforward(np.zeros((5, 4)))
data = (np.zeros((5, 4)), np.zeros(5, dtype=np.int64))
history = fast.sgd(data, 1, 5, 3.0, seed=0)
reveal_type(history)
reveal_type(history.state)
accuracy: float = fast.accuracy(data)
net2.load_parameters(fast)
path: Path = ng.save(net2, "n.json")
reveal_type(ng.load(path))
reveal_type(net2.scaled(2.0))
reveal_type(ng.draw(net2))
dbg = ng.Debugger(net2, [0.0, 0.0, 0.0, 0.0], 1)
reveal_type(ng.record(net2, [0.0, 0.0, 0.0, 0.0], 1))
page: Path = history.save_html("run.html", net2)
"""

EXPECTED = {
    "x1": "neurograph.graph.neurons.Input",
    "h": "neurograph.graph.neurons.SigmoidNeuron",
    "p": "neurograph.graph.neurons.Perceptron",
    "sm": "neurograph.graph.neurons.SoftmaxLayer",
    "net2": "neurograph.graph.network.Network",
    "fast": "neurograph.fast.network.FastNetwork",
    "history": "neurograph.fast.history.History",
    "history.state": "neurograph.fast.snapshots.Snapshot | None",
    "ng.load(path)": "neurograph.graph.network.Network",
    "net2.scaled(2.0)": "neurograph.graph.network.Network",
    "ng.draw(net2)": "neurograph.pictures.dot.Diagram",
    "ng.record(net2, [0.0, 0.0, 0.0, 0.0], 1)": "neurograph.player.recording.Recording",
}


def test_a_user_script_type_checks_strictly(tmp_path: Path) -> None:
    """``net.add(ng.SigmoidNeuron())`` is a SigmoidNeuron, ``compile()`` a FastNetwork, …"""
    (tmp_path / "user.py").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "mypy.ini").write_text("[mypy]\n", encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent"]
    command += ["--config-file", "mypy.ini", "--cache-dir", str(tmp_path / "cache"), "user.py"]
    env = {"MYPYPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    revealed = re.findall(r'user\.py:(\d+): note: Revealed type is "([^"]+)"', result.stdout)
    lines = SCRIPT.splitlines()
    found = {lines[int(n) - 1].removeprefix("reveal_type(")[:-1]: kind for n, kind in revealed}
    assert found == EXPECTED
