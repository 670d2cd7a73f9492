"""Bad input is a neurograph error naming the field, never a raw traceback or a lenient guess."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import neurograph as ng
from neurograph.cli import main


def _doc(**fields: Any) -> dict[str, Any]:
    doc = {
        "format": "neurograph",
        "version": 1,
        "inputs": ["x1"],
        "neurons": [{"name": "h", "kind": "sigmoid", "bias": 0.1}],
        "edges": [["x1", "h", 0.5]],
        "outputs": ["h"],
        "meta": {},
    }
    return {**doc, **fields}


def _network2(weights: Any) -> dict[str, Any]:
    return {"sizes": [1, 1], "weights": weights, "biases": [[[0.0]]], "cost": "QuadraticCost"}


HUGE = "1" + "0" * 400

FILES: list[tuple[str, str, str]] = [
    ("no kind", json.dumps(_doc(neurons=[{"name": "h", "bias": 0.1}])), "'kind' must be"),
    ("list kind", json.dumps(_doc(neurons=[{"name": "h", "kind": ["s"], "bias": 0}])), "'kind'"),
    (
        "bias list",
        json.dumps(_doc(neurons=[{"name": "h", "kind": "sigmoid", "bias": [0.1]}])),
        "'bias' must be a finite number",
    ),  # fmt: skip
    (
        "biases 3",
        json.dumps(
            _doc(
                neurons=[{"name": "s", "kind": "softmax_layer", "biases": 3}],
                edges=[],
                outputs=["s.1"],
            )
        ),
        "'biases' must be",
    ),  # fmt: skip
    ("meta list", json.dumps(_doc(meta=[1])), "field 'meta' must be an object"),
    ("huge bias", json.dumps(_doc()).replace("0.1", HUGE), "'bias' must be a finite number"),
    (
        "huge n2 weight",
        json.dumps(_network2([[[1.0]]])).replace("[[[1.0]]]", f"[[[{HUGE}]]]"),
        "weights must be nested lists of finite numbers",
    ),  # fmt: skip
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("version 1.0", json.dumps(_doc(version=1.0)), "unsupported version 1.0"),
    ("version true", json.dumps(_doc(version=True)), "unsupported version True"),
    ("n2 string weight", json.dumps(_network2([[["1"]]])), "got '1'"),
    ("n2 bool weight", json.dumps(_network2([[[True]]])), "got True"),
    ("edge name", json.dumps(_doc(edges=[[1, "h", 0.5]])), "[source, target, weight]"),
]


@pytest.mark.parametrize(("text", "field"), [c[1:] for c in FILES], ids=[c[0] for c in FILES])
def test_bad_files(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ng.FormatError) as info:
        ng.load(path)
    assert field in str(info.value)


def _forward(x: Any) -> Callable[[], Any]:
    return lambda: ng.layered([2, 1], seed=0).forward(x)


def _sgd(**options: Any) -> Callable[[], Any]:
    X, y = np.zeros((4, 2)), np.zeros((4, 1))
    settings: dict[str, Any] = {"eta": 0.1, **options}
    eta = settings.pop("eta")
    return lambda: ng.layered([2, 1], seed=0).compile().sgd((X, y), 2, 2, eta, **settings)


def _backward(cost: Any) -> float:
    net = ng.layered([2, 1], seed=0)
    net.forward([0.0, 1.0])
    return net.backward([1.0], cost)


def _bias_nan() -> None:
    ng.layered([2, 1], seed=0)["L2.1"].bias = float("nan")


EVAL = (np.zeros((4, 2)), np.zeros((4, 1)))
CALLS: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    ("forward strings", _forward(["1", "0"]), ng.ShapeError, "2 numbers"),
    ("forward bytes", _forward(b"ab"), ng.ShapeError, "2 numbers"),
    ("forward complex", _forward([1j, 0]), ng.ShapeError, "2 numbers"),
    ("forward datetime", _forward([datetime.datetime(2026, 1, 1), 0]), ng.ShapeError, "numbers"),
    ("sgd eta string", _sgd(eta="0.1"), ng.UsageError, "eta must be a finite number"),
    ("early -1", _sgd(early_stopping=-1, evaluation_data=EVAL), ng.UsageError, "early_stopping"),
    ("early 1.5", _sgd(early_stopping=1.5, evaluation_data=EVAL), ng.UsageError, "early_stopping"),
    (
        "schedule <= 0",
        _sgd(eta_schedule=lambda e, eta, h: -1.0, evaluation_data=EVAL),
        ng.UsageError,
        "eta_schedule returned -1.0",
    ),  # fmt: skip
    ("seed -1", _sgd(seed=-1), ng.UsageError, "seed must be a whole number >= 0"),
    ("compile empty", lambda: ng.Network().compile(), ng.GraphError, "no neurons"),
    (
        "gradcheck eps 0",
        lambda: ng.gradient_check(ng.layered([2, 1]), [0, 1], [1], eps=0),
        ng.UsageError,
        "eps must be",
    ),  # fmt: skip
    (
        "render dpi -1",
        lambda: ng.render(ng.layered([2, 1]), "/tmp/x.png", dpi=-1),
        ng.UsageError,
        "dpi must be",
    ),  # fmt: skip
    ("bias nan", _bias_nan, ng.ShapeError, "neuron 'L2.1': expected a finite number for the bias"),
    ("bias string", lambda: ng.SigmoidNeuron(bias="1", name="s"), ng.ShapeError, "'s'"),  # type: ignore[arg-type]
    ("unknown cost", lambda: _backward("x"), ng.UsageError, "unknown cost 'x'"),
]


@pytest.mark.parametrize(
    ("call", "error", "field"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS]
)
def test_bad_calls(call: Callable[[], Any], error: type[Exception], field: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert field in str(info.value)


def test_booleans_count_as_0_and_1_in_both_engines() -> None:
    net = ng.layered([2, 1], seed=0)
    expected = net.forward([1.0, 0.0])
    assert net.forward([True, False]).tolist() == expected.tolist()
    fast = net.compile().feedforward(np.array([[True, False]]))
    np.testing.assert_allclose(fast[0], expected)


@pytest.mark.parametrize("cost", ["quadratic", "QuadraticCost", ng.CrossEntropyCost()])
def test_backward_takes_costs_as_the_fast_path_does(cost: Any) -> None:
    assert np.isfinite(_backward(cost))


def test_repr_of_a_removed_neuron() -> None:
    net = ng.layered([2, 1], seed=0)
    neuron = net["L2.1"]
    net.graph.remove_node(neuron)
    assert repr(neuron) == f"SigmoidNeuron('L2.1', n_in=0, b={neuron.bias:.4g})"


def test_train_estimates_memory_before_allocating(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--sizes", "784,100000000,10", "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert "79,500,000,010 weights and biases" in err and "GiB" in err
