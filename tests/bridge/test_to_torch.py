"""The exported module computes what neurograph computes: outputs, and gradients by autograd."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from optional import need
from strategies import KINDS, costs_for, networks

import neurograph as ng
from neurograph.fast.batched import gradient_dict
from neurograph.io.tensor_names import tensor_names

torch = need("torch")
from neurograph.bridge.to_torch import Step  # noqa: E402  (after torch is known to be there)


@st.composite
def batches(draw: Any, **kwargs: Any) -> tuple[ng.Network, np.ndarray, np.ndarray, ng.Cost, float]:
    """A random DAG, a few inputs, targets (labels for log-likelihood), a cost and λ."""
    net = draw(networks(**kwargs))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    m = draw(st.integers(1, 4))
    X = rng.uniform(-1, 1, (m, len(net.inputs)))
    cost = draw(st.sampled_from(costs_for(net)))
    n_out = len(net.outputs)
    if isinstance(cost, ng.LogLikelihoodCost) or (n_out > 1 and draw(st.booleans())):
        y = rng.integers(0, n_out, m)
    else:
        y = rng.uniform(0, 1, (m, n_out))
    return net, X, y, cost, draw(st.sampled_from([0.0, 0.7]))


def autograd(
    module: Any, fast: ng.FastNetwork, X: np.ndarray, y: np.ndarray, cost: Any, lmbda: float, n: int
) -> tuple[Any, ...]:
    """The module's output and autograd's gradients of mean cost + L2, shaped like fast.w/b."""
    module.zero_grad()
    out = module(torch.tensor(X))
    loss = ng.torch_loss(cost)(out, torch.tensor(y)) + ng.torch_l2(module, lmbda, n)
    loss.backward()
    params = dict(module.named_parameters())
    nabla_w, nabla_b = {}, {}
    for layer, (w_name, b_name, _) in zip(fast.layers.values(), tensor_names(fast)):
        nabla_w[layer.number] = params[w_name].grad.numpy()
        nabla_b[layer.number] = params[b_name].grad.numpy()
    return out.detach().numpy(), nabla_w, nabla_b, loss.item()


@settings(max_examples=60, deadline=None)
@given(batches())
def test_parity_on_random_dags(case: Any) -> None:
    """Outputs to 1e-12, gradients (with L2) to 1e-10, every cost, any DAG."""
    net, X, y, cost, lmbda = case
    fast, n = net.compile(), 50
    module = ng.to_torch(net)
    out, nabla_w, nabla_b, loss = autograd(module, fast, X, y, cost, lmbda, n)
    np.testing.assert_allclose(out, fast.feedforward(X), rtol=1e-12, atol=1e-12)
    squares = sum(float(np.sum(w**2)) for w in fast.w.values())
    assert loss == pytest.approx(
        fast.total_cost((X, y), cost) + lmbda / (2 * n) * squares, abs=1e-10
    )
    want_w, want_b = fast.backprop(X, y, cost)
    for number, w in fast.w.items():  # the L2 term's gradient is the book's decay (λ/n) w
        np.testing.assert_allclose(nabla_w[number], want_w[number] + lmbda / n * w, atol=1e-10)
        np.testing.assert_allclose(nabla_b[number], want_b[number], atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(batches(kinds=KINDS))
def test_tanh_and_relu_export_as_nn_tanh_and_nn_relu(case: Any) -> None:
    """Mixed sigmoid, tanh and ReLU DAGs: outputs to 1e-12 and gradients to 1e-10 by autograd
    (nn.ReLU takes f'(0) = 0, as neurograph does)."""
    net, X, y, cost, _ = case
    fast = net.compile()
    z = fast.trace(X).z
    relu = [n.name for n in net.neurons if isinstance(n, ng.ReLUNeuron)]
    assume(all(np.all(np.abs(z[name]) > 1e-9) for name in relu))  # f' jumps at 0
    module = ng.to_torch(net)
    out, nabla_w, nabla_b, _ = autograd(module, fast, X, y, cost, 0.0, len(X))
    np.testing.assert_allclose(out, fast.feedforward(X), rtol=1e-12, atol=1e-12)
    want_w, want_b = fast.backprop(X, y, cost)
    for number in fast.w:
        np.testing.assert_allclose(nabla_w[number], want_w[number], atol=1e-10)
        np.testing.assert_allclose(nabla_b[number], want_b[number], atol=1e-10)
    back = ng.from_torch(module)
    assert [type(n) for n in back.neurons] == [type(n) for n in net.neurons]


def test_a_chain_of_tanh_and_relu_is_a_plain_sequential() -> None:
    net = ng.layered([3, 4, 5, 2], neuron=ng.TanhNeuron, output=ng.ReLUNeuron, seed=0)
    module = ng.to_torch(net)
    kinds = [type(m) for m in module]
    assert kinds == [torch.nn.Linear, torch.nn.Tanh, torch.nn.Linear, torch.nn.Tanh] + [
        torch.nn.Linear,
        torch.nn.ReLU,
    ]
    plain = torch.nn.Sequential(*module)  # without neurograph's description
    back = ng.from_torch(plain)
    assert [type(n).__name__ for n in back.neurons] == ["TanhNeuron"] * 9 + ["ReLUNeuron"] * 2
    X = np.random.default_rng(0).uniform(-1, 1, (4, 3))
    np.testing.assert_allclose(
        back.compile().feedforward(X), net.compile().feedforward(X), rtol=1e-12, atol=1e-12
    )


@settings(max_examples=30, deadline=None)
@given(batches())
def test_gradients_equal_the_graph_engine(case: Any) -> None:
    """One example: autograd's gradients equal the object graph's backward pass."""
    net, X, y, cost, _ = case
    fast = net.compile()
    _, nabla_w, nabla_b, _ = autograd(ng.to_torch(net), fast, X[:1], y[:1], cost, 0.0, 1)
    net.forward(X[0])
    net.backward(y[0], cost)
    expected = net.gradients()
    found = gradient_dict(fast, nabla_w, nabla_b)
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, abs=1e-10)


def test_layered_is_a_plain_sequential() -> None:
    """[3, 4, 2] with softmax: Linear, Sigmoid, Linear, Softmax, with the (out, in) weights."""
    net = ng.layered([3, 4, 2], output=ng.SoftmaxLayer, seed=1)
    module = ng.to_torch(net)
    assert type(module) is torch.nn.Sequential
    kinds = [type(m) for m in module]
    assert kinds == [torch.nn.Linear, torch.nn.Sigmoid, torch.nn.Linear, torch.nn.Softmax]
    assert module[2].weight.shape == (2, 4)
    assert module[2].weight[1, 3].item() == net.weight("L2.4", "L3.2")  # w^3_24: L2.4 -> L3.2
    assert module[0].weight.dtype == torch.float64
    assert list(module.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_masks_keep_absent_edges_at_zero() -> None:
    """Torch optimizers (SGD with momentum and decay, Adam) never grow an absent edge."""
    net = ng.layered([3, 4, 2], seed=2)
    net.connect("L1.1", "L3.2", 0.5)  # a skip connection: L3.1 has no edge from L1.1
    module = ng.to_torch(net)
    assert type(module).__name__ == "LevelNetwork"
    masks = [level.mask.clone() for level in module.levels]
    assert not all(bool(m.all()) for m in masks)
    rng = np.random.default_rng(0)
    X, y = torch.tensor(rng.uniform(-1, 1, (16, 3))), torch.tensor(rng.integers(0, 2, 16))
    loss = ng.torch_loss("cross-entropy")
    for optimizer in (
        torch.optim.SGD(module.parameters(), lr=0.5, momentum=0.9, weight_decay=0.1),
        torch.optim.Adam(module.parameters(), lr=0.1),
    ):
        for _ in range(5):
            optimizer.zero_grad()
            (loss(module(X), y) + ng.torch_l2(module, 1.0, 16)).backward()
            optimizer.step()
    for level, mask in zip(module.levels, masks):
        assert torch.all(level.weight[~mask] == 0)
        assert torch.all(level.weight.grad[~mask] == 0)
    trained = ng.from_torch(module)  # and the trained numbers come back
    assert trained.weight("L1.1", "L3.2") == module.levels[1].weight[1, 0].item()
    assert trained.weight("L1.1", "L3.2") != 0.5


def test_perceptrons_step_forward_only() -> None:
    """Perceptrons export as Step: the same 0/1 outputs, and backward raises."""
    net = ng.layered([2, 3, 1], neuron=ng.Perceptron, seed=0)
    module = ng.to_torch(net)
    assert isinstance(module[1], Step)
    X = np.random.default_rng(3).uniform(-1, 1, (20, 2))
    out = module(torch.tensor(X))
    np.testing.assert_array_equal(out.detach().numpy(), net.compile().feedforward(X))
    weights = torch.tensor(X, requires_grad=True)
    with pytest.raises(ng.GraphError, match="sigmoidized"):
        module(weights).sum().backward()


def test_float32_and_fast_networks() -> None:
    """dtype=float32 agrees to float32 rounding; a FastNetwork exports too."""
    net = ng.layered([4, 5, 3], seed=4)
    net.connect("L1.1", "L3.3", -0.4)
    X = np.random.default_rng(4).uniform(-1, 1, (6, 4))
    m32 = ng.to_torch(net, dtype=torch.float32)
    out = m32(torch.tensor(X, dtype=torch.float32)).detach().numpy()
    np.testing.assert_allclose(out, net.compile().feedforward(X), atol=1e-6)
    fast = net.compile()
    fast.w[3][0, 1] = (
        2.5  # (column 0 is the skip from L1.1) trained in the fast engine, not yet written back
    )
    module = ng.to_torch(fast)
    np.testing.assert_allclose(
        module(torch.tensor(X)).detach().numpy(), fast.feedforward(X), atol=1e-12
    )
    assert ng.from_torch(module).weight("L2.1", "L3.1") == 2.5
    with pytest.raises(ng.UsageError, match="float64"):
        ng.to_torch(net, dtype=torch.int64)
    with pytest.raises(ng.UsageError, match="Network or a FastNetwork"):
        ng.to_torch("net.json")  # type: ignore[arg-type]


def test_missing_extra_says_what_to_install() -> None:
    """Without torch and safetensors, the bridge and the format name the pip command."""
    code = (
        "import sys; sys.modules['torch'] = sys.modules['safetensors'] = None\n"
        "import neurograph as ng\n"
        "for call in (lambda: ng.to_torch, lambda: ng.save(ng.layered([2, 1]), 'm.safetensors')):\n"
        "    try:\n"
        "        call()\n"
        "    except ng.UsageError as err:\n"
        "        print(err)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    lines = result.stdout.splitlines()
    fix = "is not installed, and this part of neurograph needs it: pip install 'neurograph[torch]'"
    assert lines == [f"torch {fix}", f"safetensors {fix}"], result.stderr
