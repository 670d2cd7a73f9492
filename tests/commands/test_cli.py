"""The `neurograph` command itself, and `neurograph demo`, run in a subprocess."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import neurograph as ng
from neurograph.cli import main

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m neurograph ARGS` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "neurograph", *args], capture_output=True, text=True, timeout=300
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"neurograph {ng.__version__}"
    bare = run()
    assert bare.returncode == 2 and "demo" in bare.stdout
    bad = run("frobnicate")
    assert bad.returncode == 2 and "invalid choice: 'frobnicate'" in bad.stderr


def test_demo_tour_end_to_end(tmp_path: Path) -> None:
    """The guided tour runs, prints the book's equations, and writes every file it lists."""
    out = tmp_path / "demo"
    result = run("demo", "--out", str(out), "--epochs", "1")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Build a network neuron by neuron" in text
    assert "z[h1] = Σ w·a + b = 1 × 1 + (-1) × 0 + 0.5 = 1.5\n    a[h1] = σ(z) = 0.8176" in text
    assert "δ[h1] = σ'(z) · Σ w·δ = 0.1491 × (1.5 × (-0.3831)) = -0.08571" in text
    assert "dbg.back() undoes the last step: δ[h1] is None again" in text
    assert "∂C/∂w[out <- h1] = a[h1]·δ[out] = -0.3132" in text
    epoch = re.search(r"Epoch 1: (\d+) / 10000", text)
    assert epoch is not None and int(epoch.group(1)) > 9000
    listed = text.split("Files written")[1].split("step through backprop")[0].split()
    files = [Path(p) for p in listed if p.startswith(str(out))]
    assert {p.name for p in files} == {
        "network-activations.svg",
        "network-gradients.svg",
        "limit.svg",
        "pass.html",
        "xor-training.html",
        "lab.html",
        "mnist-model.json",
        "mnist-curves.svg",
        "mnist-hidden-weights.png",
        "mnist-L2.1-weights.png",
    }
    assert "mnist-L2.1-weights.png  (L2.1's weights, with a key)" in text
    typed = text.replace(str(out), "neurograph-demo")  # as with the default --out
    wide = [line for line in typed.splitlines() if len(line) > 80]
    assert not wide, wide  # the tour fits an 80-column terminal
    for path in files:
        assert path.stat().st_size > 500, path
    assert ng.load(out / "mnist-model.json").meta["training"]["epochs"] == 1
    assert f"open {out / 'pass.html'} in a browser" in text
    assert "open it: every neuron's decision map, epoch by epoch" in text
    docs = ["neurograph", "docs", "neurograph", "docs", "Network"]
    assert any(line.split() == docs for line in text.splitlines())  # the docs' pointer
    assert "open it: the lab, to change this network and train it yourself" in text


def test_every_option_has_help_that_says_its_default() -> None:
    """--help of every subcommand: each option explained, with its default (or "required")."""
    import argparse

    from neurograph.commands import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            if not action.option_strings or isinstance(action, argparse._HelpAction):
                continue
            if action.help == argparse.SUPPRESS:  # a hidden alias: an old spelling
                assert action.dest == "mnist_test", (name, action.option_strings)
                continue
            text = str(action.help)
            assert len(text) > 12, (name, action.option_strings)
            assert "default" in text or "required" in text, (name, action.option_strings, text)
            number = isinstance(action.default, (int, float)) and not isinstance(
                action.default, bool
            )
            if action.default is not None and number:
                assert f"{action.default:g}".rstrip("0") in text.replace(".0", ""), (name, text)
    shown = run("train", "--help").stdout
    assert "(default: sigmoid)" in " ".join(shown.split())


def test_cli_errors_give_the_fix_as_typed(tmp_path: Path) -> None:
    model = ng.save(ng.layered([2, 3], seed=0), tmp_path / "n.json")
    result = run("debug", str(model), "--input", "1,2", "--target", "1",
                 "--cost", "log-likelihood", "--trace")  # fmt: skip
    assert result.returncode == 1
    assert "--cost log-likelihood needs the outputs" in result.stderr
    assert "use --cost cross-entropy" in result.stderr and "CrossEntropyCost" not in result.stderr
    zero = run("train", "--epochs", "0", "--limit", "10", "--output", str(tmp_path / "m.json"))
    assert zero.returncode == 1 and "--epochs must be at least 1" in zero.stderr
    assert not (tmp_path / "m.json").exists()


def _one_sigmoid_output(path: Path) -> Path:
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    net.add(ng.SigmoidNeuron(name="out"), inputs={x1: 1.0, x2: 1.0})
    ng.save(net, path)
    return path


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["debug", "M", "--input", "-1,1"], "--input"),
        (["play", "M", "--input", "0", "--target", "-0.5,1"], "--target"),
        (["render", "M", "--input", "-1,1"], "--input"),
        (["train", "--eta", "-1,2"], "--eta"),
    ],
)
def test_a_value_starting_with_minus_says_to_write_equals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], option: str
) -> None:
    model = str(_one_sigmoid_output(tmp_path / "m.json"))
    with pytest.raises(SystemExit) as exit_:
        main([model if word == "M" else word for word in argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: expected one argument; a value that starts with '-'" in err
    assert f"{option}=-1,1" in err


def test_debug_refuses_a_target_a_sigmoid_output_cannot_reach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = str(_one_sigmoid_output(tmp_path / "m.json"))
    assert main(["debug", model, "--input", "1,0", "--target", "3", "--trace"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "neurograph debug: error: --target 3: output 'out' (SigmoidNeuron) has a in [0, 1], "
        "so it cannot reach 3 (a class label needs one output per class); give a value in "
        "[0, 1]\n"
    )
    assert main(["debug", model, "--input", "1,0", "--target", "1", "--trace"]) == 0
    assert "(BP4)" in capsys.readouterr().out
    out = str(tmp_path / "d.svg")
    render = ["render", model, "--show", "deltas", "--input", "1,0", "-o", out]
    assert main([*render, "--target", "3"]) == 1  # render's --target: the same rule
    assert "so it cannot reach 3 (a class label" in capsys.readouterr().err
    assert main([*render, "--target", "0.5"]) == 0


def test_softmax_targets_are_checked_and_labels_pass(tmp_path: Path, capsys) -> None:
    ng.save(ng.layered([2, 3, 2], output=ng.SoftmaxLayer, seed=0), tmp_path / "s.json")
    model = str(tmp_path / "s.json")
    assert main(["play", model, "--input", "1,0", "--target", "1.5,0", "-o", "x.html"]) == 1
    assert "output 'L3.1' (SoftmaxUnit) has a in [0, 1], so it cannot reach 1.5" in (
        capsys.readouterr().err
    )
    assert main(["debug", model, "--input", "1,0", "--target", "1", "--trace"]) == 0


def test_docs_lists_the_api_and_shows_one_name(capsys: pytest.CaptureFixture[str]) -> None:
    """`neurograph docs` (the demo's last pointer) works from an installed package."""
    assert main(["docs"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("import neurograph as ng")
    named = [line.split()[0] for line in listing if line.startswith("  ng.")]
    assert named == [f"ng.{name}" for name in ng.__all__]
    summary = "A fully connected layered network, built neuron by neuron."
    assert f"  ng.{'layered':20s} {summary}" in listing
    assert main(["docs", "ng.layered"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("ng.layered(sizes")
    assert str(inspect.getdoc(ng.layered)) in page
    assert main(["docs", "datasets.load_csv"]) == 0
    assert "Parameters" in capsys.readouterr().out
    assert main(["docs", "Netwrk"]) == 1
    assert "did you mean Network" in capsys.readouterr().err
