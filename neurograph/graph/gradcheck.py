"""Check backpropagation against central differences, the way the book suggests (ch. 2)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.graph.costs import Cost, get_cost
from neurograph.graph.events import CostEvent
from neurograph.graph.network import Network
from neurograph.graph.passes import backward_events, target_vector
from neurograph.graph.types import is_real

__all__ = ["gradient_check", "numerical_gradients"]


def _cost_at(net: Network, x: Any, target: Any, cost: Cost) -> float:
    """The cost at `x` as the backward pass computes it (from z: finite where a saturates)."""
    net.forward(x)
    first = next(backward_events(net, target, cost))
    assert isinstance(first, CostEvent)  # the backward pass yields the cost first
    return first.value


def numerical_gradients(
    net: Network, x: Any, y: Any, cost: Cost | str | None = None, eps: float = 1e-5
) -> dict[Any, float]:
    r"""Central differences $(C(p+\epsilon) - C(p-\epsilon)) / 2\epsilon$ for every parameter.

    Parameters
    ----------
    net : Network
        Its parameters are perturbed one at a time and restored exactly.
    x : array_like, shape (n_inputs,)
    y : int or array_like
        A label or a target, as for [`Network.backward`][].
    cost : Cost or str, default QuadraticCost()
        An instance or a name (``neurograph.graph.costs.get_cost``'s one rule).
    eps : float

    Returns
    -------
    dict
        Keyed like [`Network.gradients`][]: ``(source, target)`` names for weights, a
        neuron's name for its bias.
    """
    cost = get_cost(cost)
    if not (is_real(eps) and 0 < eps < 1):
        msg = f"eps must be a number between 0 and 1 (the step of the differences), got {eps!r}"
        raise UsageError(msg)
    target = target_vector(net.plan(), y, cost)
    grads: dict[Any, float] = {}
    for src, dst, data in net.graph.edges(data=True):
        w = data["weight"]
        data["weight"] = w + eps
        up = _cost_at(net, x, target, cost)
        data["weight"] = w - eps
        down = _cost_at(net, x, target, cost)
        data["weight"] = w
        grads[(src.name, dst.name)] = (up - down) / (2 * eps)
    for neuron in net.neurons:
        b = neuron.bias
        neuron.bias = b + eps
        up = _cost_at(net, x, target, cost)
        neuron.bias = b - eps
        down = _cost_at(net, x, target, cost)
        neuron.bias = b
        grads[neuron.name] = (up - down) / (2 * eps)
    return grads


def gradient_check(
    net: Network, x: Any, y: Any, cost: Cost | str | None = None, eps: float = 1e-5
) -> float:
    r"""The largest relative error between backpropagation and central differences.

    Parameters
    ----------
    net : Network
    x : array_like, shape (n_inputs,)
    y : int or array_like
    cost : Cost or str, default QuadraticCost()
        An instance or a name (``neurograph.graph.costs.get_cost``'s one rule).
    eps : float
        Step of the central differences.

    Returns
    -------
    float
        $\max |g - \hat g| / \max(|g| + |\hat g|, 10^{-3})$ over every weight and bias:
        a relative error, measured against 1e-3 for gradients smaller than that (where the
        rounding error of central differences would dominate a purely relative measure).
        Around 1e-7 or less when backpropagation is right.

    Notes
    -----
    Nielsen, ch. 2, "In what sense is backpropagation a fast algorithm?": two forward passes
    per parameter, which is why backpropagation matters. Leaves the network as it found it,
    with a fresh forward and backward pass at `x`.

    Examples
    --------
    >>> from neurograph import layered, CrossEntropyCost
    >>> net = layered([3, 4, 2], seed=1)
    >>> gradient_check(net, [0.1, 0.5, 0.9], 1, CrossEntropyCost()) < 1e-7
    True
    """
    cost = get_cost(cost)
    numeric = numerical_gradients(net, x, y, cost, eps)
    net.forward(x)
    net.backward(y, cost)
    exact = net.gradients()
    g = np.array([exact[k] for k in numeric])
    n = np.array(list(numeric.values()))
    if g.size == 0:
        return 0.0
    return float(np.max(np.abs(g - n) / np.maximum(np.abs(g) + np.abs(n), 1e-3)))
