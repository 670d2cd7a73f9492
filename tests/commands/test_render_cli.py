"""`neurograph render`, `neurograph limit`, the demo's diagrams and docs/make_figures.py."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from svg_helpers import SVG, parse_svg, texts

import neurograph as ng
from neurograph.cli import main
from neurograph.commands.demo import build_small_network

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m neurograph ARGS` in `cwd` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "neurograph", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


@pytest.fixture
def small_model(tmp_path: Path) -> Path:
    return ng.save(build_small_network(), tmp_path / "small.json")


@pytest.fixture
def mnist_model(tmp_path: Path) -> Path:
    return ng.save(ng.layered([784, 30, 10], seed=0), tmp_path / "mnist.json")


def test_render_command(small_model: Path, dot: str, tmp_path: Path) -> None:
    result = run("render", small_model, "-o", "net.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote net.svg"
    svg = parse_svg(tmp_path / "net.svg")
    assert set(svg["node"]) == {"x1", "x2", "h1", "h2", "out"} and len(svg["edge"]) == 6
    assert texts(svg["node"]["out"]) == ["out", "b = 0.25"]


def test_render_mnist_image(mnist_model: Path, dot: str, tmp_path: Path) -> None:
    args = ("render", mnist_model, "-o", "net.png", "--show", "activations", "--input", "0")
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "net.png").read_bytes()[:4] == b"\x89PNG"
    # in-process: the test image's label is the default target of a backward pass
    out = tmp_path / "g.svg"
    assert (
        main(["render", str(mnist_model), "-o", str(out), "--show", "gradients", "--input", "3"])
        == 0
    )
    page = texts(ET.parse(out).getroot())
    assert "x: 784 inputs (28×28)" in page and "∂C/∂b" in page


def test_limit_command_builtin(dot: str, tmp_path: Path) -> None:
    result = run("limit", "-o", "limit.svg", "--cs", "1,10", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svg = parse_svg(tmp_path / "limit.svg")
    labels = [texts(c)[0] for c in svg["cluster"].values()]
    assert labels == ["c = 1", "c = 10", "perceptrons: the limit c → ∞"]


def test_limit_command_with_a_model(small_model: Path, dot: str, tmp_path: Path) -> None:
    out = tmp_path / "l.dot"
    assert main(["limit", str(small_model), "-o", str(out), "--input", "1,0", "--cs", "3"]) == 0
    assert 'label="c = 3"' in out.read_text()


def test_errors_are_one_line(small_model: Path, tmp_path: Path) -> None:
    result = run(
        "render",
        small_model,
        "-o",
        "x.svg",
        "--show",
        "activations",
        "--input",
        "1,2,3",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "neurograph render: error: --input has 3 values, but the network has 2 inputs\n"
    )
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "net.jpg"], "unknown extension '.jpg'; expected .svg, .png, .pdf, .dot"),
        (["-o", "no/net.svg"], "the directory 'no' does not exist"),
        (["-o", "n.svg", "--show", "deltas"], "--show deltas needs an input"),
        (["-o", "n.svg", "--show", "deltas", "--input", "1,0"], "give --target LABEL"),
        (["-o", "n.svg", "--input", "1,a"], "--input: 'a' is not a number"),
        (["-o", "n.svg", "--max-neurons", "1"], "max_neurons must be an integer >= 2"),
    ],
)
def test_render_errors(
    small_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", str(small_model), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["MODEL", "-o", "l.svg"], "give the input with --input"),
        (["-o", "l.svg", "--cs", "1,x"], "--cs: 'x' is not a number"),
        (["-o", "l.svg", "--cs", "0"], "positive numbers"),
        (["-o", "l.svg", "--input", "1"], "--input has 1 values, but the network has 2 inputs"),
        (["MNIST", "-o", "l.svg", "--input", "10000"], "the MNIST test set has images 0..9999"),
    ],
)
def test_limit_errors(
    small_model: Path,
    mnist_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    given = {"MODEL": str(small_model), "MNIST": str(mnist_model)}
    assert main(["limit", *[given.get(a, a) for a in args]]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_demo_writes_its_diagrams(dot: str, tmp_path: Path) -> None:
    result = run("demo", "--out", "pictures", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = ["network-activations.svg", "network-gradients.svg", "limit.svg"]
    for name in names:
        assert f"pictures/{name}" in result.stdout
        assert ET.parse(tmp_path / "pictures" / name).getroot().tag == f"{SVG}svg"


def test_make_figures(dot: str, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "docs" / "make_figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.main(["--out", str(tmp_path), "--quick"])
    names = ["network.png", "limit.png", "mnist-weights.png", "moons-maps.png", "slowdown.png"]
    assert [p.name for p in paths] == names
    for path in paths:
        assert path.read_bytes()[:4] == b"\x89PNG" and path.stat().st_size < 300_000
    for name in names:  # the committed figures
        assert (ROOT / "docs" / "figures" / name).stat().st_size < 300_000
