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


_Linear: Any = nn.Linear  # bases typed Any: torch is an optional import here
_Sequential: Any = nn.Sequential
_Sigmoid: Any = nn.Sigmoid


class _ScaledLinear(_Linear):
    def forward(self, x: Any) -> Any:
        return 2 * super().forward(x)


class _SkippingSequential(_Sequential):
    def forward(self, x: Any) -> Any:
        return x


class _ShuffledSequential(_Sequential):
    def __iter__(self) -> Any:
        return reversed(list(self._modules.values()))


class _DoubledSigmoid(_Sigmoid):
    def __call__(self, x: Any) -> Any:
        return 2 * super().__call__(x)


class _NamedLinear(_Linear):
    """A subclass that computes exactly as nn.Linear: accepted."""


def _plain() -> Any:
    return nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 2), nn.Softmax(dim=-1))


def _hooked(kind: str, at: int) -> Any:
    module = _plain()
    target = module if at < 0 else module[at]
    if kind == "forward":
        target.register_forward_hook(lambda m, args, out: 2 * out)
    elif kind == "pre":
        target.register_forward_pre_hook(lambda m, args: (2 * args[0],))
    else:
        target._register_state_dict_hook(lambda m, state, prefix, local: state)
    return module


def _exported_with(doc: Any) -> Any:
    module = ng.to_torch(ng.layered([2, 3, 2], seed=0))
    module.neurograph = doc(module.neurograph) if callable(doc) else doc
    return module


def _sequential_with(doc: Any) -> Any:
    module = _plain()
    module.neurograph = doc
    return module


LIES = {
    "Linear subclass": (
        lambda: nn.Sequential(_ScaledLinear(2, 2), nn.Sigmoid()),
        r"module '0' is a _ScaledLinear, a subclass of nn.Linear with its own forward",
    ),
    "Sequential subclass": (
        lambda: _SkippingSequential(nn.Linear(2, 2), nn.Sigmoid()),
        r"module '' is a _SkippingSequential, a subclass of nn.Sequential with its own forward",
    ),
    "Sequential iterating otherwise": (
        lambda: _ShuffledSequential(nn.Linear(2, 2), nn.Sigmoid()),
        r"module '' .* own __iter__",
    ),
    "Sigmoid with its own __call__": (
        lambda: nn.Sequential(nn.Linear(2, 2), _DoubledSigmoid()),
        r"module '1' .* subclass of nn.Sigmoid with its own __call__",
    ),
    "forward hook": (lambda: _hooked("forward", 1), r"module '1' \(Sigmoid\) has a forward hook"),
    "pre-hook": (lambda: _hooked("pre", 0), r"module '0' \(Linear\) has a forward pre-hook"),
    "hook on the whole": (lambda: _hooked("forward", -1), r"module '' \(Sequential\) has a forw"),
    "state_dict hook": (lambda: _hooked("state", 2), r"module '2' \(Linear\) has a state_dict"),
    "complex weights": (
        lambda: nn.Sequential(nn.Linear(2, 2, dtype=torch.complex64), nn.Sigmoid()),
        r"module '0': parameter 'weight' is complex64; .* real numbers",
    ),
    "integer weights": (
        lambda: _with_int_bias(),
        r"module '2': parameter 'bias' is int64",
    ),
    "LazyLinear": (
        lambda: nn.Sequential(nn.LazyLinear(2), nn.Sigmoid()),
        r"module '0': parameter 'weight' is not initialized yet .*nn.LazyLinear",
    ),
    "meta device": (
        lambda: nn.Sequential(nn.Linear(2, 2, device="meta"), nn.Sigmoid()),
        r"module '0': parameter 'weight' is on the 'meta' device",
    ),
    "exported, meta": (
        lambda: ng.to_torch(ng.layered([2, 3, 2], seed=0)).to("meta"),
        r"module '0': parameter 'weight' is on the 'meta' device",
    ),
    "stray string": (lambda: _sequential_with("hello"), r"not a network description.*got str"),
    "stray list": (lambda: _sequential_with([1, 2]), r"not a network description.*got list"),
    "bad document": (
        lambda: _sequential_with({"inputs": 3}),
        r"module '' \(Sequential\): its .neurograph description: field 'inputs' must be a list",
    ),
    "exported, bad kind": (
        lambda: _exported_with(
            lambda d: {**d, "neurons": [{**n, "kind": "magic"} for n in d["neurons"]]}
        ),
        r"its .neurograph description: neuron 'L2.1': 'kind' must be one of",
    ),
    "exported, NaN bias": (
        lambda: _exported_with(
            lambda d: {**d, "neurons": [{**n, "bias": float("nan")} for n in d["neurons"]]}
        ),
        r"'bias' must be a finite number",
    ),
}


def _with_int_bias() -> Any:
    module = _plain()
    module[2].bias = nn.Parameter(torch.zeros(2, dtype=torch.int64), requires_grad=False)
    return module


@pytest.mark.parametrize("case", sorted(LIES))
def test_modules_that_lie_are_refused_naming_the_module(case: str) -> None:
    """Issue 18, item 5: what the classes and tensors do not tell is refused, by path."""
    make, match = LIES[case]
    with pytest.raises(ng.GraphError, match=match):
        ng.from_torch(make())


@pytest.mark.parametrize("register", ["forward_hook", "forward_pre_hook"])
def test_a_global_hook_is_refused(register: str) -> None:
    hook = {
        "forward_hook": lambda m, args, out: out,
        "forward_pre_hook": lambda m, args: args,
    }[register]
    handle = getattr(nn.modules.module, f"register_module_{register}")(hook)
    try:
        with pytest.raises(ng.GraphError, match=f"register_module_{register}"):
            ng.from_torch(_plain())
    finally:
        handle.remove()
    ng.from_torch(_plain())  # and fine again once it is gone


def test_a_subclass_that_computes_the_same_is_read() -> None:
    torch.manual_seed(0)
    module = nn.Sequential(_NamedLinear(2, 2), nn.Sigmoid()).double()
    net = ng.from_torch(module)
    X = np.random.default_rng(0).uniform(-1, 1, (3, 2))
    np.testing.assert_allclose(
        net.compile().feedforward(X), module(torch.tensor(X)).detach().numpy(), atol=1e-12
    )
    lazy = nn.Sequential(nn.LazyLinear(2), nn.Sigmoid())
    lazy(torch.zeros(1, 3))  # initialized on its first call: it is an nn.Linear now
    assert [len(level) for level in ng.from_torch(lazy).levels()] == [3, 2]
