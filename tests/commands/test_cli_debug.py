"""`neurograph debug`: the (ngdb) prompt driven by stdin scripts and a pseudo-terminal."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

import neurograph as ng
from neurograph.cli import main

pytestmark = pytest.mark.slow  # CLI runs: subprocesses and training on MNIST

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """A saved layered [2, 3, 2] sigmoid network."""
    return ng.save(ng.layered([2, 3, 2], seed=0), tmp_path / "model.json")


def debug(*args: str, script: str = "") -> subprocess.CompletedProcess[str]:
    """Run `python -m neurograph debug ARGS < script` (stdin is not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "neurograph", "debug", *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def session(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], script: str, *args: str
) -> tuple[int, str, str]:
    """The same in this process (faster): `neurograph debug ARGS` reading `script`."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    status = main(["debug", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_scripted_session_in_a_subprocess(model: Path) -> None:
    script = "step\nstpe\nprint L9.9\nback\nback\nbreak L3.2\ncontinue\nrun\nstep\nwhere\nquit\n"
    result = debug(
        str(model), "--input", "1,0.5", "--target", "1", "--cost", "cross-entropy", script=script
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "11 events. Type help for the commands" in out
    assert "(ngdb) step\n[1/11] forward L2.1 (layer 2)\n  z[L2.1] = Σ w·a + b = " in out
    assert "*** unknown command 'stpe'; did you mean 'step'?" in out
    assert "*** no neuron named 'L9.9' in this network; close names:" in out
    assert "undid forward L2.1\n[0/11] at the start; next: forward L2.1" in out
    assert "*** at the start: nothing to undo" in out
    assert "Breakpoint 1: neuron L3.2 (hit 0 times)" in out
    assert "Breakpoint 1: neuron L3.2 (hit 1 time)\n[5/11] forward L3.2 (layer 3)" in out
    assert "(ran 6 events: finished)\n[11/11] backward L2.1 (layer 2)" in out
    assert "δ[L2.1] = σ'(z) · Σ w·δ = " in out
    assert "*** finished: all 11 events done; use back, or quit" in out
    assert "[11/11] backward L2.1 (layer 2); finished" in out
    assert result.stderr == ""


def test_trace_prints_every_event(model: Path) -> None:
    result = debug(str(model), "--input=-1,0.5", "--target", "0.2,0.9", "--eta", "0.5", "--trace")
    assert result.returncode == 0, result.stderr
    titles = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(titles) == 16 and titles[0] == "[1/16] forward L2.1 (layer 2)"
    assert titles[5] == "[6/16] cost" and titles[-1] == "[16/16] update L3.2 (layer 3)"
    assert "C = ½ Σ (a − y)² = " in result.stdout
    assert "b[L3.2] ← b − η ∂C/∂b = " in result.stdout


def test_mnist_image_through_a_784_input_network(tmp_path: Path) -> None:
    path = ng.save(ng.layered([784, 4, 10], seed=0), tmp_path / "mnist.json")
    result = debug(str(path), "--input", "0", "--cost", "cross-entropy", "--trace")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[1]
    assert first.startswith("  z[L2.1] = Σ w·a + b = ") and "… (780 more, sum " in first
    assert "L3.8: 0.6684 vs 1, L3.9:" in result.stdout  # label 7 is output L3.8 (1-based names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input", "1,2,3", "--target", "1"], "has 2 inputs, but --input gives 3 values"),
        (["--mnist-test", "0"], "has 2 inputs, but an MNIST image has 784 values"),
        (["--input", "1,x"], "--input: 'x' is not a number"),
        (["--input", "1,2", "--target", "7"], "label 7 is out of range"),
        (["--input", "1,2", "--target", "1", "--eta", "0"], "eta must be a positive number"),
        (["--input", "1,2", "--eta", "1"], "give the target y too"),
    ],
)
def test_bad_arguments_give_one_line_and_status_1(
    model: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    status, out, err = session(monkeypatch, capsys, "", str(model), *args)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("neurograph debug: error: ") and message in err


def test_missing_model_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = session(monkeypatch, capsys, "", "nope.json", "--input", "1")
    assert status == 1 and "cannot read 'nope.json'" in err


def test_bad_commands_and_the_session_goes_on(
    model: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "\n".join(
        [
            "s 2",
            "step two",
            "back 0",
            "break foo bar",
            "break if delta >> 2",
            "break L1.1",
            "break layer 9",
            "break phase sideways",
            "delete 7",
            "watch nobody",
            "print",
            "draw",
            "frobnicate",
            "where",
            "",
        ]
    )
    status, out, _ = session(
        monkeypatch, capsys, script, str(model), "--input", "1,2", "--target", "1"
    )
    assert status == 0
    errors = [line for line in out.splitlines() if "***" in line]
    assert len(errors) == 12, errors
    assert "*** expected a count such as 3, got 'two'" in out
    assert "*** cannot read the condition 'delta >> 2'" in out
    assert "*** 'L1.1' is an input: it has no events to stop at" in out
    assert "*** unknown phase 'sideways'" in out
    assert "*** no breakpoint numbered 7" in out
    assert "*** unknown command 'frobnicate'" in out
    assert "(ngdb) where\n[2/11] forward L2.2 (layer 2); next: forward L2.3" in out


def test_layers_watches_conditions_and_help(
    model: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "\n".join(
        [
            "watch L3.1",
            "next",
            "",
            "b layer L2 if a > 0.99",
            "break phase backward if |delta| > 0.5",
            "break",
            "c",
            "delete 2",
            "c",
            "back 3",
            "p L2.1",
            "help",
            "help break",
            "help conditions",
        ]
    )
    args = ["--input", "1,2", "--target", "1", "--cost", "cross-entropy"]
    status, out, _ = session(monkeypatch, capsys, script, str(model), *args)
    assert status == 0
    assert "(ran 3 events)\n[3/11] forward L2.3 (layer 2)" in out
    assert "(ran 2 events)\n[5/11] forward L3.2 (layer 3)" in out  # the empty line repeats next
    assert "  watch L3.1: z = —, a = —, δ = —, ∂C/∂b = —" in out
    assert "Breakpoint 1: layer L2, if a > 0.99 (hit 0 times)" in out
    assert (
        "Breakpoint 2: phase backward, if |delta| > 0.5 (hit 1 time)\n[7/11] backward L3.2" in out
    )
    assert "(reached the end: 11 events, no breakpoint matched)" in out
    assert "undid 3 events\n[8/11] backward L3.1 (layer 3); next: backward L2.3" in out
    assert "L2.1: SigmoidNeuron, layer 2, 2 inputs, feeds 2" in out
    assert "Commands (type help COMMAND; short forms: s n b c p w q):" in out
    assert "EOF" not in out
    assert "break NAME | break layer N | break phase P | break if EXPR" in out
    assert "Names: a, z, delta (δ), bias_grad, sigma_prime, bias, cost (C)" in out


def test_draw_to_a_dot_file(
    model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("neurograph.pictures.diagram")
    target = tmp_path / "step.dot"
    script = f"step 2\ndraw {target}\n"
    status, out, _ = session(
        monkeypatch, capsys, script, str(model), "--input", "1,2", "--target", "1"
    )
    assert status == 0 and f"wrote {target}" in out, out
    assert "L2.2" in target.read_text()


def test_forward_only_without_a_target(
    model: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = session(monkeypatch, capsys, "run\nstep\n", str(model), "--input", "1,2")
    assert status == 0 and "forward pass only\n5 events." in out
    assert "(ran 5 events: finished)\n[5/5] forward L3.2 (layer 3)" in out
    assert "*** finished: all 5 events done" in out


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_at_a_terminal_with_line_editing_and_history(model: Path, tmp_path: Path) -> None:
    """At a terminal the prompt reads through readline, and saves its history."""
    history = tmp_path / "history"
    env = {**os.environ, "NEUROGRAPH_HISTORY": str(history), "TERM": "dumb"}
    try:
        leader, follower = pty.openpty()
    except OSError as err:
        pytest.skip(f"no pseudo-terminal here: {err}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "neurograph", "debug", str(model), "--input", "1,2"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while marker not in seen and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break

    try:
        read_until(b"(ngdb) ")
        os.write(leader, b"step\n")
        read_until(b"[1/5] forward L2.1")
        os.write(leader, b"quit\n")
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(leader)
    assert b"[1/5] forward L2.1 (layer 2)" in seen
    saved = history.read_text().split()
    assert saved[-2:] == ["step", "quit"]  # (libedit's files start with a header line)


def test_one_spelling_for_a_test_image(tmp_path: Path) -> None:
    """--input N picks MNIST test image N in debug as in render and limit; --mnist-test is kept."""
    path = ng.save(ng.layered([784, 30, 10], seed=0), tmp_path / "m.json")
    new = debug(str(path), "--input", "0", "--trace")
    old = debug(str(path), "--mnist-test", "0", "--trace")
    assert new.returncode == old.returncode == 0, new.stderr + old.stderr
    assert new.stdout == old.stdout and "cost" in new.stdout  # its label gives the target
    helps = [
        subprocess.run(
            [sys.executable, "-m", "neurograph", command, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout  # fmt: skip
        for command in ("render", "limit", "debug")
    ]
    for text in helps:
        assert "--input N|X1,X2,..." in text and "index N of a test image" in " ".join(text.split())
    assert "--mnist-test" not in helps[2]
