"""Modules come back as networks exactly; what neurograph cannot represent is refused by name."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from optional import need
from strategies import networks

import neurograph as ng

torch = need("torch")
nn = torch.nn


@settings(max_examples=40, deadline=None)
@given(networks())
def test_round_trip_is_exact(net: ng.Network) -> None:
    """network -> torch -> network: the same description, every weight bit for bit."""
    net.meta = {"note": "kept", "training": {"epochs": 2}}
    assert ng.from_torch(ng.to_torch(net)).to_dict() == net.to_dict()


def test_a_users_sequential() -> None:
    """A hand-built nn.Sequential comes back layered, named L{l}.{j}, same outputs."""
    torch.manual_seed(0)
    module = nn.Sequential(nn.Linear(4, 3), nn.Sigmoid(), nn.Linear(3, 2), nn.Softmax(dim=1))
    net = ng.from_torch(module.double())
    assert [len(level) for level in net.levels()] == [4, 3, 2]
    assert isinstance(net.neuron("L3.1"), ng.SoftmaxUnit)
    assert net.weight("L2.3", "L3.2") == module[2].weight[1, 2].item()
    X = np.random.default_rng(0).uniform(-1, 1, (5, 4))
    expected = module(torch.tensor(X)).detach().numpy()
    np.testing.assert_allclose(net.compile().feedforward(X), expected, atol=1e-12)


def test_log_softmax_means_log_likelihood() -> None:
    """A final LogSoftmax becomes a SoftmaxLayer whose outputs are exp of the module's."""
    module = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 3), nn.LogSoftmax(dim=-1))
    net = ng.from_torch(module)
    assert net.meta["cost"] == "LogLikelihoodCost"
    X = np.random.default_rng(1).uniform(-1, 1, (4, 3))
    log_p = module(torch.tensor(X, dtype=torch.float32)).detach().double().numpy()
    np.testing.assert_allclose(net.compile().feedforward(X), np.exp(log_p), atol=1e-6)


@pytest.mark.parametrize(
    ("module", "match"),
    [
        (nn.Sequential(nn.Linear(2, 2), nn.GELU()), r"layer \(1\) GELU"),
        (nn.Sequential(nn.Conv1d(1, 1, 2), nn.Sigmoid()), r"layer \(0\) Conv1d"),
        (nn.Sequential(nn.Linear(2, 2), nn.Softmax(dim=0)), r"layer \(1\) Softmax\(dim=0\)"),
        (
            nn.Sequential(nn.Linear(2, 2), nn.LogSoftmax(dim=-1), nn.Linear(2, 1), nn.Sigmoid()),
            r"layer \(1\) LogSoftmax",
        ),
        (nn.Sequential(nn.Linear(2, 2)), "needs an activation after it"),
        (nn.Linear(2, 2), "cannot represent a Linear"),
        (
            nn.Sequential(nn.Linear(2, 2), nn.Softmax(-1), nn.Linear(2, 1), nn.Sigmoid()),
            "hidden layers",
        ),
    ],
)
def test_refusals_name_the_layer(module: Any, match: str) -> None:
    """The first layer neurograph cannot represent, and what it can."""
    with pytest.raises(ng.GraphError, match=match) as info:
        ng.from_torch(module)
    assert "nn.Sigmoid" in str(info.value)


def test_an_exported_module_whose_shape_changed_is_refused() -> None:
    """ng.to_torch's description no longer fits the module's tensors: refused, not guessed."""
    module = ng.to_torch(ng.layered([2, 3, 1], seed=0))
    module[2] = nn.Linear(3, 2, dtype=torch.float64)
    with pytest.raises(ng.FormatError, match="2.weight"):
        ng.from_torch(module)


def test_an_exported_module_with_other_activations_is_refused() -> None:
    """A Sigmoid swapped for a Softmax no longer computes the exported network."""
    module = ng.to_torch(ng.layered([2, 3, 1], seed=0))
    module[1] = nn.Softmax(dim=-1)
    with pytest.raises(ng.GraphError, match="not those it was exported with"):
        ng.from_torch(module)
