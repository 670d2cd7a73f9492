"""One rule for a cost argument everywhere: an instance or a name; a class is a mistake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import neurograph as ng

X = np.array([0.3, 0.7])
LABEL = 1


def _net() -> ng.Network:
    net = ng.layered([2, 3, 2], seed=0)
    net.forward(X)
    return net


ENTRY_POINTS: dict[str, Callable[[Any], Any]] = {
    "backward": lambda cost: _net().backward(LABEL, cost),
    "gradient_check": lambda cost: ng.gradient_check(_net(), X, LABEL, cost),
    "Debugger": lambda cost: ng.Debugger(_net(), X, LABEL, cost=cost),
    "record": lambda cost: ng.record(_net(), X, LABEL, cost=cost),
    "sgd": lambda cost: _net().compile().sgd((X[None], np.array([1])), 1, 1, 0.1, cost=cost),
    "total_cost": lambda cost: _net().compile().total_cost((X[None], np.array([1])), cost),
    "compare": lambda cost: ng.compare(costs=(cost,), epochs=1),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy", "CrossEntropyCost", None])
def test_a_name_or_none_is_accepted(entry: str, cost: Any) -> None:
    if cost is None and entry == "compare":
        pytest.skip("compare takes a tuple of costs")
    ENTRY_POINTS[entry](cost)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("cls", [ng.CrossEntropyCost, ng.QuadraticCost, ng.LogLikelihoodCost])
def test_a_class_gets_did_you_mean(entry: str, cls: type) -> None:
    with pytest.raises(
        ng.UsageError, match=rf"class {cls.__name__}; did you mean {cls.__name__}\(\)\?"
    ):
        ENTRY_POINTS[entry](cls)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("bad", ["nope", "", 3, 1.5, ["quadratic"], int])
def test_anything_else_is_a_usage_error_naming_it(entry: str, bad: Any) -> None:
    with pytest.raises(ng.UsageError, match="cost"):
        ENTRY_POINTS[entry](bad)


def test_the_bridge_loss_follows_the_rule() -> None:
    pytest.importorskip("torch")
    assert ng.torch_loss("cross-entropy") is not None
    with pytest.raises(ng.UsageError, match=r"did you mean CrossEntropyCost\(\)\?"):
        ng.torch_loss(ng.CrossEntropyCost)  # type: ignore[arg-type]
