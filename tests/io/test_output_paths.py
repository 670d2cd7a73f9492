"""Every output of every command: a known extension, never an input or another output, links
written through only to a file that would itself be accepted; checked before any work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import neurograph as ng
from neurograph.cli import main
from neurograph.io.outputs import MODEL_FORMATS, PAGE_FORMATS, check_outputs

PICTURES = ("svg", "png")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_known_outputs_are_returned(here: Path) -> None:
    (here / "old.json").write_text("{}")
    (here / "link.json").symlink_to("old.json")
    files = check_outputs(
        {"--output": ("link.json", MODEL_FORMATS), "--record": ("run.HTML", PAGE_FORMATS)},
        {"--data": "data.csv", "--other": None},
    )
    assert files == {"--output": here / "old.json", "--record": Path("run.HTML")}


@pytest.mark.parametrize("name", ["x.txt", "model", "m.json.bak", "m.pkl", ".json"])
def test_unknown_extension_is_refused(here: Path, name: str) -> None:
    with pytest.raises(ng.UsageError, match=rf"--output '{name}': unknown extension"):
        check_outputs({"--output": (name, MODEL_FORMATS)})


@pytest.mark.parametrize(
    "second", ["m.json", "./m.json", "sub/../m.json", "ABS", "hard.json", "alias.json"]
)
def test_two_outputs_that_are_one_file_are_refused(here: Path, second: str) -> None:
    (here / "sub").mkdir()
    (here / "m.json").write_text("{}")
    os.link(here / "m.json", here / "hard.json")
    (here / "alias.json").symlink_to(here / "m.json")
    second = str(here / "m.json") if second == "ABS" else second
    with pytest.raises(ng.UsageError, match="are the same file"):
        check_outputs({"--output": ("m.json", MODEL_FORMATS), "--save": (second, MODEL_FORMATS)})


@pytest.mark.parametrize("spelling", ["d.json", "./d.json", "ABS", "hard.json", "alias.json"])
def test_an_output_that_is_an_input_is_refused(here: Path, spelling: str) -> None:
    (here / "d.json").write_text('{"precious": true}')
    os.link(here / "d.json", here / "hard.json")
    (here / "alias.json").symlink_to("d.json")
    given = str(here / "d.json") if spelling == "ABS" else spelling
    with pytest.raises(ng.UsageError, match=r"is the input --data 'd.json'.*another output name"):
        check_outputs({"--output": (given, MODEL_FORMATS)}, {"--data": "d.json"})


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("victim.csv", r"symbolic link to '.*victim.csv', which is not a \.json"),
        ("notes", r"symbolic link to '.*notes', which is not a \.json"),
        ("/dev/null", r"symbolic link to '/dev/null'"),
        ("folder.json", "a directory"),
        ("missing/x.json", "does not exist"),
    ],
)
def test_a_link_is_written_through_only_to_an_acceptable_file(
    here: Path, target: str, why: str
) -> None:
    (here / "victim.csv").write_text("x,label\n1,0\n")
    (here / "notes").write_text("keep")
    (here / "folder.json").mkdir()
    (here / "m.json").symlink_to(target)
    with pytest.raises(ng.UsageError, match=why):
        check_outputs({"--output": ("m.json", MODEL_FORMATS)})
    assert (here / "victim.csv").read_text() == "x,label\n1,0\n"


def test_a_chain_of_links_is_followed_to_its_end(here: Path) -> None:
    (here / "victim.csv").write_text("1\n")
    (here / "a.json").symlink_to("b.json")
    (here / "b.json").symlink_to("victim.csv")
    with pytest.raises(ng.UsageError, match="victim.csv"):
        check_outputs({"--output": ("a.json", MODEL_FORMATS)})


def _model(here: Path) -> Path:
    return ng.save(ng.layered([2, 3, 2], seed=0), here / "model.json")


def _csv(here: Path) -> Path:
    path = here / "victim.csv"
    path.write_text("a,b,label\n" + "".join(f"{i % 3},{i % 5},{i % 2}\n" for i in range(40)))
    return path


CASES = {
    "train --output is --data": (["train", "--data", "victim.csv", "--output", "victim.csv"],
                                 "unknown extension '.csv'"),
    "train --output links to --data": (["train", "--data", "victim.csv", "--output", "l.json"],
                                       "symbolic link to"),
    "train --output = --record": (["train", "--data", "victim.csv", "--output", "m.json",
                                   "--record", "m.json"], "--record 'm.json': unknown extension"),
    "train --record = --plot": (["train", "--data", "victim.csv", "--record", "p.html",
                                 "--plot", "hp.svg"], "same file"),
    "train --plot links to a page": (["train", "--data", "victim.csv", "--plot", "link.svg"],
                                     "symbolic link to"),
    "train --output x.txt": (["train", "--data", "victim.csv", "--output", "x.txt"],
                             "unknown extension '.txt'"),
    "train --plot is --resume": (["train", "--resume", "model.json", "--plot", "m.svg"],
                                 "--plot 'm.svg' and --output 'model.json' are the same file"),
    "train --plot is --resume, --output": (["train", "--resume", "model.json", "--plot",
                                            "m.svg", "--output", "new.json"],
                                           "is the input --resume"),
    "export onto its model": (["export", "model.json", "-o", "model.json"], "is the input model"),
    "export onto a hard link": (["export", "model.json", "-o", "hard.json"], "is the input model"),
    "render .json": (["render", "model.json", "-o", "model.json"], "unknown extension"),
    "play onto a link": (["play", "model.json", "--input", "1,2", "-o", "page.htm"],
                         "symbolic link"),
    "limit .txt": (["limit", "-o", "limit.txt"], "unknown extension '.txt'"),
    "compare onto its data": (["compare", "--data", "victim.csv", "-o", "victim.csv"],
                              "unknown extension"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_command_checks_its_outputs_before_any_work(
    here: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    model, data = _model(here), _csv(here)
    os.link(model, here / "hard.json")
    (here / "l.json").symlink_to("victim.csv")
    (here / "p.html").write_text("<p>old</p>")
    (here / "link.svg").symlink_to("p.html")
    os.link(model, here / "m.svg")
    os.link(here / "p.html", here / "hp.svg")
    (here / "page.htm").symlink_to("model.json")
    before = {p.name: p.read_bytes() for p in here.iterdir() if p.is_file()}
    argv, words = CASES[case]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert words in captured.err and "Traceback" not in captured.err, captured.err
    assert "Epoch" not in captured.out  # refused before any work
    assert {p.name: p.read_bytes() for p in here.iterdir() if p.is_file()} == before
    assert data.read_bytes() == before["victim.csv"]
