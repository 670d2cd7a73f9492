"""The command line starts at once: its parser loads no engine, picture or plotting library.

Times are printed by ``benchmarks/startup.py``; here the cause is checked, in a fresh
interpreter each time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import neurograph as ng

HEAVY = ("numpy", "networkx", "matplotlib", "graphviz", "tqdm")

# Run the command line in-process, then print which heavy libraries it loaded.
LOADED = """
import json, sys
from neurograph.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
heavy = {heavy!r}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy))))
"""


def loaded_by(*argv: str) -> list[str]:
    code = LOADED.format(argv=list(argv), heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv", [["--help"], ["debug", "--help"], ["play", "--help"], ["--version"], []]
)
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    assert loaded_by(*argv) == []


def test_a_command_that_runs_loads_what_it_needs() -> None:
    """The check can fail: a command that computes does load the engines."""
    assert "numpy" in loaded_by("train", "--help")


def test_import_neurograph_is_light() -> None:
    """The face loads each part on first use; the parser imports it (the package's parent)."""
    assert loaded_by("--version") == []
    code = "import neurograph as ng; ng.Network; import sys; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"  # a name of the engine loads the engine


# Run `play --input 0`, recording which bundled MNIST files are read.
READS = """
import sys
import neurograph.datasets.mnist as mnist
from neurograph.cli import main
original = mnist._read_idx_bytes
def reading(path):
    print("read", path.name)
    return original(path)
mnist._read_idx_bytes = reading
sys.exit(main({argv!r}))
"""


def test_play_on_an_mnist_test_image_reads_only_the_test_set(tmp_path: Path) -> None:
    model = tmp_path / "m.json"
    ng.save(ng.layered([784, 3, 10], seed=0), model)
    argv = ["play", str(model), "--input", "0", "-o", str(tmp_path / "p.html")]
    out = subprocess.run(
        [sys.executable, "-c", READS.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    read = sorted(line.split()[1] for line in out.stdout.splitlines() if line.startswith("read"))
    assert read == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
