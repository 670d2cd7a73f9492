"""Training pages keep within the 5 MB the docs promise: snapshots thinned evenly (the first and
the last always kept), an option to choose, and a word when it happens."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from page_helpers import page_data

import neurograph as ng
from neurograph.cli import main
from neurograph.player.page_size import MAX_PAGE_BYTES, PageSizeWarning, thinned

X, Y = ng.datasets.toy("xor", n=40, seed=0)


def _run(sizes: list[int], epochs: int) -> tuple[ng.Network, Any]:
    net = ng.layered(sizes, seed=0)
    return net, net.compile().sgd((X, Y), epochs, 10, 0.5, record=True, seed=0)


def _epochs(page: Path) -> list[str]:
    return [frame["text"].split(",")[0] for frame in page_data(page)["frames"]]


@pytest.mark.parametrize(
    ("sizes", "epochs"), [([2, 400, 2], 67), ([2, 3, 2], 3000), ([2, 60, 60, 2], 40)]
)
def test_a_large_run_is_thinned_to_the_limit_with_a_warning(
    tmp_path: Path, dot: str, sizes: list[int], epochs: int
) -> None:
    net, history = _run(sizes, epochs)
    with pytest.warns(PageSizeWarning, match=rf"shows \d+ of {epochs + 1} snapshots, evenly"):
        page = history.save_html(tmp_path / "run.html", net, (X, Y))
    assert page.stat().st_size <= MAX_PAGE_BYTES
    shown = _epochs(page)
    assert shown[0].startswith("before training") and shown[-1] == f"epoch {epochs}"
    assert 2 < len(shown) < epochs + 1
    assert (
        f"of {epochs + 1} snapshots, evenly (to stay within 5 MiB)" in page_data(page)["subtitle"]
    )


@pytest.mark.parametrize("most", [2, 3, 7])
def test_max_snapshots_chooses_how_many(tmp_path: Path, dot: str, most: int) -> None:
    net, history = _run([2, 3, 2], 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # chosen: no warning
        page = history.save_html(tmp_path / "run.html", net, max_snapshots=most)
    data = page_data(page)
    assert len(data["frames"]) == most
    first, last = (data["frames"][k]["text"].split(",")[0] for k in (0, -1))
    assert first.startswith("before training") and last == "epoch 30"
    assert f"{most} of 31 snapshots, evenly (max_snapshots={most})" in data["subtitle"]


def test_a_small_run_is_whole_and_says_nothing(tmp_path: Path, dot: str) -> None:
    net, history = _run([2, 3, 2], 10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = history.save_html(tmp_path / "run.html", net, max_snapshots=100)
        again = history.save_html(tmp_path / "run2.html", net)
    for path in (page, again):
        assert len(page_data(path)["frames"]) == 11 and "evenly" not in page_data(path)["subtitle"]


@pytest.mark.parametrize("limit", [300_000, 1_000_000])
def test_max_bytes_is_kept(tmp_path: Path, dot: str, limit: int) -> None:
    net, history = _run([2, 60, 2], 200)
    with pytest.warns(PageSizeWarning):
        page = history.save_html(tmp_path / "run.html", net, max_bytes=limit)
    assert page.stat().st_size <= limit


@pytest.mark.parametrize("bad", [1, 0, -3, 2.5, True, "5"])
def test_bad_max_snapshots_is_refused(tmp_path: Path, bad: Any) -> None:
    net, history = _run([2, 3, 2], 3)
    with pytest.raises(ng.UsageError, match="max_snapshots must be a whole number >= 2"):
        history.save_html(tmp_path / "run.html", net, max_snapshots=bad)
    assert not (tmp_path / "run.html").exists()


def test_thinned_keeps_the_ends_and_spreads_evenly() -> None:
    for n in range(2, 60):
        for count in range(2, n + 2):
            kept = thinned(list(range(n)), count)
            assert kept[0] == 0 and kept[-1] == n - 1
            assert len(kept) == min(count, n) and kept == sorted(set(kept))
            gaps = np.diff(kept)
            assert gaps.max() - gaps.min() <= 1  # evenly


@pytest.mark.slow
def test_the_cli_says_when_the_record_page_is_thinned(
    tmp_path: Path, dot: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["train", "--data", "xor", "--sizes", "2,400,2", "--epochs", "12"]
    page, model = tmp_path / "run.html", tmp_path / "m.json"
    assert main([*base, "--output", str(model), "--record", str(page)]) == 0
    err = capsys.readouterr().err
    assert "note: the training page shows" in err and "--record-max-snapshots" in err
    assert page.stat().st_size <= MAX_PAGE_BYTES
    assert main([*base, "--output", str(model), "--record", str(page),
                 "--record-max-snapshots", "3"]) == 0  # fmt: skip
    assert len(page_data(page)["frames"]) == 3 and "note:" not in capsys.readouterr().err
    assert main([*base, "--record", str(page), "--record-max-snapshots", "1"]) == 1
    assert "--record-max-snapshots must be at least 2" in capsys.readouterr().err
