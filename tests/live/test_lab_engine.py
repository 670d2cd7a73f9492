"""The page's engine equals the graph engine: z, a, δ, ∂C/∂w, the event texts and one SGD step.

Random DAGs (skip connections, sparse wiring, softmax outputs that also feed other neurons,
every cost that applies) are loaded into a lab page in Chromium; the page's numbers must equal
Python's to 1e-12 and its status texts Python's ``str(event)`` character for character (but
for the noise digits of a number that cancellation left below 1e-12).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lab_helpers import assert_close, call, open_lab, python_values
from strategies import cases

import neurograph as ng

pytestmark = pytest.mark.slow

#: The neuron kinds of the parity tests (hidden neurons of the random DAGs). After the merge
#: of the engine rewrite, ng.TanhNeuron and ng.ReLUNeuron join this list.
KINDS: list[type[ng.Neuron]] = [ng.SigmoidNeuron, ng.TanhNeuron, ng.ReLUNeuron]
COST_KEYS = {
    "QuadraticCost": "quadratic",
    "CrossEntropyCost": "cross-entropy",
    "LogLikelihoodCost": "log-likelihood",
}
ETA = 0.75


@pytest.fixture(scope="module")
def page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A lab page, opened once; each example loads its own network into it."""
    path = tmp_path_factory.mktemp("lab") / "lab.html"
    open_lab(browser, path, ng.lab(ng.layered([2, 2, 1], seed=0), eta=ETA))
    return browser


def load(page: Any, net: ng.Network, x: Any, y: Any, cost: ng.Cost) -> None:
    """Give the page the network, the input, the target and the cost."""
    doc = {"format": "neurograph", "version": 1, **net.to_dict()}
    assert call(page, "load", doc) is None
    assert call(page, "setCost", COST_KEYS[cost.name]) is None
    assert call(page, "setInput", np.asarray(x, dtype=float)) is None
    assert call(page, "setTarget", y if isinstance(y, int) else np.asarray(y, dtype=float)) is None


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_values_and_texts_equal_python(page: Any, kind: type[ng.Neuron], data: Any) -> None:
    net, x, y, cost = data.draw(cases(neuron=kind))
    load(page, net, x, y, cost)
    net.forward(x)
    net.backward(y, cost)
    assert_close(call(page, "values"), python_values(net, backward=True))
    dbg = ng.Debugger(net, x, y, cost, eta=ETA)
    texts = [str(dbg.step()) for _ in range(dbg.total)]
    for shown, text in zip(call(page, "events"), texts, strict=True):
        assert_same_text(shown, text)


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?")


def assert_same_text(shown: str, text: str) -> None:
    """The page's text is Python's, character for character, except where a number is the
    rounding noise of a cancellation (both within 1e-12 of each other, the values' parity):
    NumPy's dot may use fused multiply-adds, which JavaScript cannot."""
    if shown == text:
        return
    assert NUMBER.split(shown) == NUMBER.split(text), (shown, text)
    for a, b in zip(NUMBER.findall(shown), NUMBER.findall(text), strict=True):
        assert a == b or abs(float(a) - float(b)) <= 1e-12, (shown, text)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), lmbda=st.sampled_from([0.0, 0.3]))
def test_one_sgd_step_equals_python(
    page: Any, kind: type[ng.Neuron], data: Any, lmbda: float
) -> None:
    net, x, y, cost = data.draw(cases(neuron=kind))
    n_in, n_out = len(net.inputs), len(net.outputs)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    X = rng.uniform(-1, 1, size=(3, n_in))
    Y: Any = rng.integers(0, n_out, size=3) if isinstance(y, int) else rng.uniform(0, 1, (3, n_out))
    load(page, net, x, y, cost)
    assert call(page, "setLambda", lmbda) is None
    assert call(page, "sgdStep", X, Y) is None
    fast = net.compile()
    fast.sgd((X, Y), 1, 3, ETA, lmbda=lmbda, cost=cost, seed=0)
    net.load_parameters(fast)
    doc = call(page, "model")
    expected = net.to_dict()
    assert [e[:2] for e in doc["edges"]] == [e[:2] for e in expected["edges"]]
    np.testing.assert_allclose(
        [e[2] for e in doc["edges"]], [e[2] for e in expected["edges"]], rtol=1e-12, atol=1e-12
    )
    for page_neuron, neuron in zip(doc["neurons"], expected["neurons"]):
        key = "biases" if "biases" in neuron else "bias"
        np.testing.assert_allclose(page_neuron[key], neuron[key], rtol=1e-12, atol=1e-12)


def test_perceptrons_forward_only(page: Any) -> None:
    """A perceptron computes forward as Python's; the backward pass is refused, with the reason."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    p = net.add(ng.Perceptron(bias=-0.5, name="p"), inputs={x1: 1.0, x2: 1.0})
    net.add(ng.SigmoidNeuron(bias=0.1, name="out"), inputs={p: 2.0, x1: -1.0})
    load(page, net, [0.25, 0.5], [1.0], ng.QuadraticCost())
    net.forward([0.25, 0.5])
    values = call(page, "values")
    assert values["neurons"]["p"] == {"z": 0.25, "a": 1.0, "delta": None}
    assert_close(values["neurons"]["out"]["a"], net["out"].a)
    assert "Perceptron 'p' has no useful derivative" in call(page, "status")
    dbg = ng.Debugger(net, [0.25, 0.5])
    assert call(page, "events") == [str(dbg.step()) for _ in range(dbg.total)]


@pytest.mark.parametrize("kind", ["tanh", "relu"])
def test_tanh_and_relu_gradients_match_central_differences(page: Any, kind: str) -> None:
    """The page's own kinds (Python's twins come with the engine rewrite): its ∂C/∂w and ∂C/∂b
    equal central differences of its cost (eps = 1e-5)."""
    doc = {"format": "neurograph", "version": 1, **ng.layered([3, 4, 2], seed=2).to_dict()}
    for neuron in doc["neurons"][:4]:
        neuron["kind"] = kind
    assert call(page, "load", doc) is None
    assert call(page, "setCost", "cross-entropy") is None
    assert call(page, "setInput", [0.3, -0.7, 0.9]) is None
    assert call(page, "setTarget", 1) is None
    grads = call(page, "values")["edges"]
    eps = 1e-5
    for src, dst in [("L1.1", "L2.1"), ("L1.3", "L2.4"), ("L2.2", "L3.1"), ("L2.3", "L3.2")]:
        w = grads[f"{src}->{dst}"]["w"]
        costs = []
        for step in (eps, -eps):
            call(page, "setWeight", src, dst, w + step)
            costs.append(call(page, "cost"))
        call(page, "setWeight", src, dst, w)
        numeric = (costs[0] - costs[1]) / (2 * eps)
        assert numeric == pytest.approx(grads[f"{src}->{dst}"]["grad"], rel=1e-6, abs=1e-9)


def test_ties_labels_and_large_numbers_print_as_python(page: Any) -> None:
    """Numbers on a rounding tie (1.0625 → 1.062, half to even), huge and tiny ones, and
    labelled outputs print exactly as Python prints them."""
    net = ng.Network()
    x1, x2 = net.add_inputs(2)
    h = net.add(ng.SigmoidNeuron(bias=0.0, name="h"), inputs={x1: 1.0625, x2: 2.5e-7})
    k = net.add(ng.SigmoidNeuron(bias=-1.03125, name="k"), inputs={x1: 31250.0, h: -0.00015625})
    layer = net.add(ng.SoftmaxLayer(2, bias=[0.125, -2.5], name="out"))
    for unit, w in zip(layer, (1.5, -0.75)):
        net.connect(h, unit, w)
        net.connect(k, unit, -w)
    net.set_outputs([layer], labels=["no", "yes"])
    x, cost = [1.0, 1.0], ng.LogLikelihoodCost()
    doc = {"format": "neurograph", "version": 1, **net.to_dict()}
    assert call(page, "load", doc) is None
    assert call(page, "setCost", "log-likelihood") is None
    assert call(page, "setInput", x) is None
    assert call(page, "setTarget", "yes") is None  # a class name
    dbg = ng.Debugger(net, x, 1, cost, eta=ETA)
    assert call(page, "events") == [str(dbg.step()) for _ in range(dbg.total)]
