"""The README's two set-up commands run as written, as root without sudo and as a user with sudo.

Each command runs in bash with a PATH of stand-ins that log their arguments (``apt-get``,
``python3``, ``sudo`` or none, and the ``.venv/bin`` programs), so nothing is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"


def setup_commands() -> list[str]:
    """The README's lines that install the OS packages (the demo's and the test suite's)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if re.search(r"\bapt-get update\b", line)]


def test_readme_has_both_commands() -> None:
    lines = setup_commands()
    assert len(lines) == 2
    assert lines[0].endswith("neurograph demo") and lines[1].endswith("-m pytest")


def _stub(path: Path, body: str) -> None:
    path.write_text(f"#!{BASH}\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.parametrize("line", setup_commands(), ids=["demo", "tests"])
@pytest.mark.parametrize("with_sudo", [False, True], ids=["root-without-sudo", "user-with-sudo"])
def test_setup_command_runs_as_written(tmp_path: Path, line: str, with_sudo: bool) -> None:
    bin_dir, log = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir()
    for name in ("apt-get", "python3"):
        _stub(bin_dir / name, f'echo "{name} $*" >> {log}')
    if with_sudo:
        _stub(bin_dir / "sudo", f'echo "sudo $*" >> {log}')
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    for name in ("pip", "neurograph", "python"):
        _stub(venv / name, f'echo "{name} $*" >> {log}')
    run = subprocess.run(
        [BASH, "-c", line],
        cwd=tmp_path,
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    apt = [call for call in calls if "apt-get" in call]
    assert len(apt) == 2
    assert all(call.startswith("sudo apt-get" if with_sudo else "apt-get") for call in apt)
    assert apt[0].endswith("apt-get update") and "apt-get install -y python3-venv" in apt[1]
    assert calls[2] == "python3 -m venv .venv" and calls[3].startswith("pip install .")
