"""Writes never destroy what they replace: no special file replaced, links written through."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import neurograph as ng
from neurograph.cli import main
from neurograph.io.atomic import check_output_path, write_atomic


def _specials(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    sock_path = tmp_path / "s.json"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    return {"FIFO": fifo, "directory": folder, "socket": sock_path, "device": Path("/dev/null")}


@pytest.mark.parametrize("kind", ["FIFO", "directory", "socket", "device"])
def test_special_files_are_refused_and_kept(tmp_path: Path, kind: str) -> None:
    path = _specials(tmp_path)[kind]
    before = os.stat(path)
    with pytest.raises(ng.UsageError, match=kind.replace("device", "character device")):
        write_atomic(path, "{}")
    after = os.stat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert write_atomic(link, "new") == link
    assert link.is_symlink() and real.read_text() == "new"
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)  # permissions kept
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "target.json")
    write_atomic(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "target.json").read_text() == "made"


def test_missing_folder_and_no_temp_after_an_error(tmp_path: Path) -> None:
    with pytest.raises(ng.UsageError, match="does not exist"):
        check_output_path(tmp_path / "no" / "x.json")
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "x.json", 3)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_the_next_save_removes_a_temp_left_by_sigkill(tmp_path: Path) -> None:
    target = tmp_path / "model.json"
    script = textwrap.dedent(
        f"""
        import os, time
        import neurograph.io.atomic as atomic
        def stall(*args):
            print("stalled", flush=True)
            time.sleep(60)
        os.replace = stall
        atomic.write_atomic({str(target)!r}, "partial")
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stdout.readline() == "stalled\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and not target.exists()
    ng.save(ng.layered([2, 1], seed=0), target)
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


@pytest.mark.parametrize("flag", ["--output", "--plot"])
def test_train_refuses_a_device_before_epoch_0(
    flag: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["train", "--epochs", "1", "--limit", "10", "--sizes", "784,10"]
    extra = [flag, "/dev/null"] if flag == "--output" else [flag, str(tmp_path)]
    if flag == "--plot":
        extra += ["--output", str(tmp_path / "m.json")]
    assert main([*args, *extra]) == 1
    captured = capsys.readouterr()
    assert "Epoch 1" not in captured.out
    assert "not a regular file" in captured.err
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("command", ["render", "limit"])
def test_render_commands_refuse_a_fifo(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "out.svg"
    os.mkfifo(fifo)
    model = tmp_path / "m.json"
    ng.save(ng.layered([2, 1], seed=0), model)
    argv = ["render", str(model), "-o", str(fifo)] if command == "render" else ["limit", "-o"]
    if command == "limit":
        argv.append(str(fifo))
    assert main(argv) == 1
    assert fifo.is_fifo()
