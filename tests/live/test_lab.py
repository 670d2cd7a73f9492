"""`ng.lab` and its page, without a browser: the checks, the document, the CSP, the vendor file."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import neurograph as ng
from neurograph.cli import main
from neurograph.live.lab import MAX_DATA_NUMBERS
from neurograph.live.page import MODULES, linked, viz_source

VENDOR = Path(ng.__file__).parent / "live" / "vendor"
PAGE_BUDGET = 3 * 2**20


def xor_lab(**kw: object) -> ng.Lab:
    X, y = ng.datasets.toy("xor", n=40, seed=0)
    return ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y), **kw)  # type: ignore[arg-type]


def page_state(text: str) -> dict:
    start = text.index('<script type="application/json" id="ng-data">')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


def test_the_page_starts_from_the_document_ng_save_writes(tmp_path: Path) -> None:
    """The model in the page is exactly the JSON that ng.save writes (labels and meta kept)."""
    net = ng.layered([2, 3, 2], seed=0, labels=["no", "yes"])
    net.meta["standardize"] = {"mean": [0.5, -0.25], "std": [1.0, 2.0]}
    saved = ng.save(net, tmp_path / "net.json")
    lab = ng.lab(net, x=[0.5, 0.5], y="yes", cost="cross-entropy", eta=0.5, lmbda=0.1)
    state = page_state(lab.html())
    assert state["model"] == json.loads(saved.read_text(encoding="utf-8"))
    assert state["y"] == 1 and state["x"] == [0.5, 0.5]
    assert (state["cost"], state["eta"], state["lmbda"], state["batch"]) == (
        "cross-entropy",
        0.5,
        0.1,
        10,
    )


def test_defaults_start_at_the_first_point() -> None:
    X, y = ng.datasets.toy("moons", n=20, seed=0)
    lab = ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y))
    np.testing.assert_array_equal(lab.x, X[0])
    assert lab.target == int(y[0]) and lab.cost == ng.QuadraticCost()
    empty = ng.lab(ng.layered([3, 2, 1], seed=0))
    np.testing.assert_array_equal(empty.x, np.zeros(3))
    assert empty.target == 0 and len(empty.X) == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"data": (np.zeros((4, 3)), np.zeros(4))}, ng.UsageError, r"shape \(n, 2\)"),
        ({"data": (np.zeros((4, 2)), np.zeros(3))}, ng.UsageError, "4 class labels"),
        ({"data": (np.zeros((2, 2)), np.array([0, 5]))}, ng.ShapeError, "label 5 is out of range"),
        ({"data": (np.full((2, 2), np.nan), np.zeros(2))}, ng.UsageError, "finite"),
        ({"x": [1.0]}, ng.ShapeError, "2 values"),
        ({"y": 7}, ng.ShapeError, "label 7 is out of range"),
        ({"y": [2.0, 0.0], "cost": "cross-entropy"}, ng.ShapeError, r"targets in \[0, 1\]"),
        ({"eta": 0.0}, ng.UsageError, "eta must be a finite number > 0"),
        ({"lmbda": float("inf")}, ng.UsageError, "lmbda"),
        ({"mini_batch_size": 0}, ng.UsageError, "mini_batch_size"),
        ({"cost": "hinge"}, ng.UsageError, "unknown cost 'hinge'"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ng.lab(ng.layered([2, 3, 2], seed=0), **kwargs)


def test_a_kind_of_ones_own_is_refused_by_name() -> None:
    """The page's engine knows the built-in kinds only: a user's kind is named, not guessed."""

    class SoftplusNeuron(ng.Neuron):
        symbol = "softplus"

        def activation(self, z: Any) -> Any:
            return np.logaddexp(0.0, z)

        def activation_prime(self, z: Any) -> Any:
            return ng.sigmoid(z)

    net = ng.layered([2, 2], seed=0)
    net.add(SoftplusNeuron(name="s"), inputs={net["L1.1"]: 1.0})
    with pytest.raises(ng.UsageError, match=r"the lab computes the kinds .*\['SoftplusNeuron'\]"):
        ng.lab(net)
    assert ng.lab(ng.layered([2, 2], seed=0)).net.neurons  # the same network, built in


def test_too_much_data_for_a_page() -> None:
    n = MAX_DATA_NUMBERS // 784 + 1
    data = (np.zeros((n, 784)), np.zeros(n, dtype=int))
    with pytest.raises(ng.UsageError, match=r"pass fewer, e.g. \(X\[:127\], y\[:127\]\)"):
        ng.lab(ng.layered([784, 30, 10], seed=0), data=data)


def test_a_kind_the_page_cannot_compute() -> None:
    class Softplus(ng.SigmoidNeuron):
        kind = "softplus"

    net = ng.Network()
    (x1,) = net.add_inputs(1)
    net.add(Softplus(name="s"), inputs={x1: 1.0})
    with pytest.raises(ng.UsageError, match=r"this network has \['softplus'\]"):
        ng.lab(net)


def test_a_cost_the_page_cannot_compute() -> None:
    class Hinge(ng.QuadraticCost):
        name = "HingeCost"

    with pytest.raises(ng.UsageError, match="the lab computes the costs quadratic, cross-entropy"):
        ng.lab(ng.layered([2, 2], seed=0), cost=Hinge())


def test_the_csp_allows_only_the_pages_own_scripts() -> None:
    """default-src 'none', the two scripts by hash, wasm for Graphviz, and no 'self'."""
    text = xor_lab().html()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp is not None
    policy = csp.group(1)
    assert policy.startswith("default-src 'none';") and "'self'" not in policy
    assert "'wasm-unsafe-eval'" in policy and "'unsafe-eval'" not in policy
    scripts = re.findall(
        r"<script>(.*?)</script>|<script type=\"module\">(.*?)</script>", text, re.S
    )
    hashes = set(re.findall(r"'sha256-([^']+)'", policy))
    found = {
        base64.b64encode(hashlib.sha256((a or b).encode("utf-8")).digest()).decode()
        for a, b in scripts
    }
    assert found == hashes and len(hashes) == 2
    assert not re.search(r"https?://|fetch\(|XMLHttpRequest", linked())  # the lab's own code
    assert len(text.encode("utf-8")) <= PAGE_BUDGET


def test_text_in_the_data_cannot_close_its_script() -> None:
    net = ng.layered([2, 2], seed=0, labels=["</script><script>alert(1)</script>", "b"])
    text = ng.lab(net).html()
    assert text.count("</script>") == 3  # the data, Graphviz, the lab
    assert page_state(text)["model"]["labels"][0].startswith("</script>")


def test_the_vendored_graphviz_is_the_pinned_file() -> None:
    """viz-global.js is @viz-js/viz's standalone build at the pinned version, with its licence."""
    source = (VENDOR / "viz-global.js").read_bytes()
    digest, name = (VENDOR / "SHA256SUMS").read_text(encoding="utf-8").split()
    assert name == "viz-global.js"
    assert hashlib.sha256(source).hexdigest() == digest
    assert digest == "c9e0b310f9883910e01c66054b48b7ff4be3d8695141116635e72b0af152692e"
    version = (VENDOR / "VERSION").read_text(encoding="utf-8").strip()
    assert version == "3.31.0" and source.startswith(f"/*!\nViz.js {version}".encode())
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert viz_source() == source.decode("utf-8")


def test_modules_are_linked_in_order() -> None:
    """Each module is a function returning its exports; imports read the modules before."""
    script = linked()
    for name in MODULES:
        assert f"const _{name} = (() => {{" in script
    assert "import " not in script.replace("imports", "")
    assert not re.search(r"^export ", script, re.M)
    assert "const { COSTS, KINDS, Network, EngineError } = _engine;" in script
    assert "return { sigmoid, sigmoidPrime, KINDS, SOFTMAX" in script


def test_save_html_and_jupyter(tmp_path: Path) -> None:
    lab = xor_lab()
    page = lab.save_html(tmp_path / "lab.html")
    assert page.read_text(encoding="utf-8") == lab.html()
    frame = lab._repr_html_()
    assert (
        frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts allow-downloads"' in frame
    )
    assert "<script" not in frame  # escaped inside srcdoc


def test_the_command_writes_a_lab(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "moons.html"
    assert main(["lab", "--data", "moons", "--limit", "50", "--eta", "2", "-o", str(out)]) == 0
    assert "open it in a browser" in capsys.readouterr().out
    state = page_state(out.read_text(encoding="utf-8"))
    assert len(state["data"]["X"]) == 50 and state["eta"] == 2.0
    assert state["cost"] == "cross-entropy"
    model = tmp_path / "m.json"
    ng.save(ng.layered([2, 2, 2], seed=1), model)
    assert main(["lab", str(model), "--cost", "quadratic", "-o", str(out)]) == 0
    state = page_state(out.read_text(encoding="utf-8"))
    assert state["model"] == json.loads(model.read_text(encoding="utf-8"))
    assert state["cost"] == "quadratic"


def test_the_command_takes_data_as_every_command_does(tmp_path: Path) -> None:
    """A .csv file with class names in any column: standardized features, the names as the
    outputs' labels, and the statistics in the model the page saves."""
    rows = ["fruit,grams,cm"] + [
        f"{name},{grams},{cm}"
        for name, grams, cm in [("apple", 150, 7), ("lemon", 60, 5), ("apple", 170, 8)] * 10
    ]
    (tmp_path / "fruit.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "fruit.html"
    argv = ["lab", "--data", str(tmp_path / "fruit.csv"), "--label-column", "fruit"]
    assert main([*argv, "--holdout", "0.2", "-o", str(out)]) == 0
    state = page_state(out.read_text(encoding="utf-8"))
    X = np.array(state["data"]["X"])
    assert X.shape[1] == 2 and 18 <= len(X) < 30  # the held-out rows are not embedded
    assert np.all(np.abs(X.mean(axis=0)) < 0.3)  # standardized with the training rows
    assert state["model"]["labels"] == ["apple", "lemon"]
    stats = state["model"]["meta"]["standardize"]
    assert len(stats["mean"]) == len(stats["std"]) == 2 and stats["mean"][0] > 100


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--data", "nope"], "no such folder, .csv file or toy data set"),
        (["--data", "mnist"], "too many for a page (at most 100,000 numbers); add --limit 127"),
        (["--limit", "0"], "--limit"),
        (["-o", "{tmp}/lab.txt"], "unknown extension '.txt'; expected .html"),
        (["-o", "{tmp}/missing/lab.html"], "cannot write"),
        (["{tmp}/none.json"], "none.json"),
    ],
)
def test_the_command_refuses_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "lab.html")]
    assert main(["lab", *argv]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "lab.html").exists()
