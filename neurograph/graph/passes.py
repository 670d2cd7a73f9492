r"""The forward and backward passes of the graph engine, as generators of one event per neuron.

``Network.forward`` and ``Network.backward`` run these generators to the end; the
[`Debugger`][neurograph.Debugger] steps through the very same ones. Backpropagation is written
once, here, for any DAG (Nielsen, ch. 2, BP1–BP4):

* (BP1) output error $\delta_j = \partial C/\partial a_j \cdot \sigma'(z_j)$ (cost);
* (BP2) $\delta_j = \sigma'(z_j) \sum_k w_{kj} \delta_k$ over the neurons ``k`` fed by ``j``;
* (BP3) $\partial C/\partial b_j = \delta_j$;
* (BP4) $\partial C/\partial w_{jk} = a_k \delta_j$.

A neuron that is an output *and* feeds others gets both terms. The units of a softmax layer
are computed together, and their errors use the softmax Jacobian instead of σ'.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import GraphError, ShapeError
from neurograph.graph.costs import Cost
from neurograph.graph.events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
from neurograph.graph.neurons import (
    SoftmaxUnit,
    sigmoid_prime,
    softmax_vjp,
)
from neurograph.graph.outputs import class_indices
from neurograph.graph.plan import Plan, backprop_refusal
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = [
    "BackwardEvent",
    "CostEvent",
    "ForwardEvent",
    "ForwardState",
    "Plan",
    "backward_events",
    "clear_values",
    "forward_events",
    "target_vector",
    "update_events",
]

Event = ForwardEvent | CostEvent | BackwardEvent


@dataclass
class ForwardState:
    """What a forward pass leaves behind for the backward pass: values by node index."""

    plan: Plan
    x: Array
    z: Array
    a: Array
    w: dict[int, Array] = field(default_factory=dict)
    w_flat: Array = field(default_factory=lambda: np.zeros(0))
    has_backward: bool = False


def input_vector(plan: Plan, x: Any) -> Array:
    """Check one input vector and return it as a 1-D float array (column vectors accepted)."""
    n_in = len(plan.inputs)
    raw = np.asarray(x) if not isinstance(x, (str, bytes)) else np.asarray(None)
    if raw.dtype.kind not in "fiub":  # as the fast engine: numbers (booleans as 0 and 1)
        msg = f"expected an input vector of {n_in} numbers, got {x!r:.80}"
        raise ShapeError(msg)
    x = raw.astype(float)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.shape != (n_in,):
        msg = f"expected an input vector of {n_in} values (one per input), got shape {x.shape}"
        raise ShapeError(msg)
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        i = int(bad[0])
        msg = f"input {plan.inputs[i].name!r} (position {i}) is {x[i]}; inputs must be finite"
        raise ShapeError(msg)
    return x


def forward_events(net: Network, x: Any) -> Iterator[ForwardEvent]:
    """Run a forward pass, yielding one [`ForwardEvent`][] per non-input neuron.

    Parameters
    ----------
    net : Network
    x : array_like, shape (n_inputs,)

    Yields
    ------
    ForwardEvent
        In evaluation order; every neuron's ``.z`` and ``.a`` are set when its event comes.
    """
    plan = net.plan()
    x = input_vector(plan, x)
    n = len(plan.nodes)
    state = ForwardState(plan, x, np.zeros(n), np.zeros(n), plan.weights(), plan.w_flat)
    state.a[: len(x)] = x
    for node, value in zip(plan.inputs, x.tolist()):
        node.a = value
    net._state = None
    for step, idx in zip(plan.steps, plan.step_idx):
        a_in = [state.a[plan.src_idx[j]] for j in idx]
        z = [float(state.w[j] @ a_j) + neuron.bias for neuron, j, a_j in zip(step, idx, a_in)]
        # (eq. 3 / eq. 78) a = σ(z) or step(z) on one neuron's float; softmax over a layer
        a = [step[0].activation(z[0])] if len(step) == 1 else step[0].activation(z).tolist()
        state.z[idx], state.a[idx] = z, a
        for neuron, z_j, a_j in zip(step, z, a):
            neuron.z, neuron.a = z_j, a_j
        for neuron, j, x_j, z_j, a_j in zip(step, idx, a_in, z, a):
            yield ForwardEvent(neuron, plan.sources[j], state.w[j], x_j, neuron.bias, z_j, a_j)
    net._state = state


def target_vector(plan: Plan, y: Any, cost: Cost) -> Array:
    """Turn a label or a target into the desired output vector, checking it.

    Parameters
    ----------
    plan : Plan
    y : int or array_like
        A class label in ``range(n_outputs)`` (a whole float such as ``7.0`` too) when there
        are several outputs; else the
        desired output vector (a single output also takes a plain number).
    cost : Cost
        Cross-entropy and log-likelihood targets must lie in [0, 1].

    Returns
    -------
    ndarray, shape (n_outputs,)
    """
    n_out = len(plan.outputs)
    number = isinstance(y, (int, float, np.integer, np.floating)) and not isinstance(y, bool)
    if number and n_out > 1:  # a class label (a whole float such as 7.0 too)
        target = np.zeros(n_out)
        target[int(class_indices(y, n_out))] = 1.0
        return target
    try:
        target = np.array(y, dtype=float).reshape(-1) if np.ndim(y) <= 2 else np.array(None)
    except (TypeError, ValueError) as err:
        msg = f"expected a label or a target of {n_out} numbers, got {y!r:.80}"
        raise ShapeError(msg) from err
    if target.shape != (n_out,) or np.ndim(y) == 2 and np.shape(y)[1] != 1:
        msg = f"expected a target of shape ({n_out},) or a label, got shape {np.shape(y)}"
        raise ShapeError(msg)
    cost.check_targets(target)
    return target


def backward_events(net: Network, y: Any, cost: Cost) -> Iterator[CostEvent | BackwardEvent]:
    """Run a backward pass after a forward pass, yielding the cost, then one event per neuron.

    Parameters
    ----------
    net : Network
    y : int or array_like
        See [`target_vector`][].
    cost : Cost

    Yields
    ------
    CostEvent
        First: the cost and the output error (BP1).
    BackwardEvent
        Then one per non-input neuron, in reverse evaluation order, with its δ (BP2) and
        gradients (BP3, BP4) already stored on the neuron and its incoming edges.
    """
    state = net._state
    if state is None or state.plan is not net.plan():
        msg = "no forward pass to differentiate: run net.forward(x) first (after any rewiring)"
        raise GraphError(msg)
    plan = state.plan
    groups: list[tuple[str, Any, Any]] = []
    outputs_error = None
    try:
        groups = plan.error_blocks()
    except GraphError as err:
        outputs_error = str(err)
    perceptron = plan.perceptrons[0].name if plan.perceptrons else None
    outputs = [n.name for n in plan.outputs]
    refusal = backprop_refusal(cost, perceptron, outputs_error, [g[0] for g in groups], outputs)
    if refusal is not None:
        raise GraphError(refusal)
    target = target_vector(plan, y, cost)
    a_out = state.a[plan.out_idx]
    direct = np.zeros(len(plan.nodes))
    for kind, block, where in groups:
        # (BP1) delta^L = ∇_a C ⊙ σ'(z^L), or the cost's simplified a − y
        direct[block] = cost.delta(kind, state.z[block], state.a[block], target[where])
    # the cost from z as well as a: exact where a has rounded to 0 or 1 (costs.Cost.value)
    value = sum(
        float(np.sum(cost.value(kind, state.z[block], state.a[block], target[where])))
        for kind, block, where in groups
    )
    yield CostEvent(cost, value, plan.outputs, a_out, target, direct[plan.out_idx])
    delta = np.zeros(len(plan.nodes))
    setitem = dict.__setitem__
    for step, idx in zip(reversed(plan.steps), reversed(plan.step_idx)):
        w_out = [state.w_flat[plan.out_flat[j]] for j in idx]
        d_out = [delta[plan.succ_idx[j]] for j in idx]
        # (BP2) the errors sent back: Σ_k w_kj δ_k
        back = [float(w @ d) for w, d in zip(w_out, d_out)]
        if isinstance(step[0], SoftmaxUnit):
            prime = None
            delta[idx] = direct[idx] + softmax_vjp(state.a[idx], back)
        else:  # one neuron: its σ'(z) on a float
            prime = [sigmoid_prime(float(state.z[idx[0]]))]
            delta[idx[0]] = direct[idx[0]] + prime[0] * back[0]
        for n, (neuron, j) in reversed(list(enumerate(zip(step, idx)))):
            neuron.delta = neuron.bias_grad = float(delta[j])  # (BP3) ∂C/∂b = δ
            grads = state.a[plan.src_idx[j]] * delta[j]  # (BP4) ∂C/∂w_jk = a_k δ_j
            # dict's own setitem, looped in C: a gradient is not a weight change
            deque(map(setitem, plan.edges[j], repeat("grad"), grads.tolist()), maxlen=0)
            yield BackwardEvent(
                neuron,
                [plan.nodes[k] for k in plan.succ_idx[j]],
                w_out[n],
                d_out[n],
                float(direct[j]),
                None if prime is None else prime[n],
                neuron.delta,
                plan.sources[j],
                state.a[plan.src_idx[j]],
                grads,
            )
    state.has_backward = True


def clear_values(net: Network) -> None:
    """Forget every computed value: each node's ``a, z, delta, bias_grad`` and each edge's grad.

    Parameters
    ----------
    net : Network
        Weights and biases are kept; the network is as if no pass had run.
    """
    for node in net.graph:
        node.a = node.z = node.delta = node.bias_grad = None
    for _, _, data in net.graph.edges(data=True):
        dict.pop(data, "grad", None)  # dict's own pop: forgetting a gradient changes no weight
    net._state = None


def update_events(net: Network, eta: float) -> Iterator[UpdateEvent]:
    r"""Take one gradient-descent step after a backward pass, one neuron at a time.

    Parameters
    ----------
    net : Network
        Its neurons hold ``.bias_grad`` and its edges ``"grad"`` (see ``Network.backward``).
    eta : float
        The learning rate η.

    Yields
    ------
    UpdateEvent
        In the forward pass's order; the neuron's bias and incoming weights are already
        updated when its event comes.

    Raises
    ------
    GraphError
        If a neuron has no gradients yet.

    Notes
    -----
    Nielsen, ch. 1, eqs. (20), (21) for one example: $w \to w - \eta\,\partial C/\partial w$
    and $b \to b - \eta\,\partial C/\partial b$.
    """
    for neuron in [n for step in net.plan().steps for n in step]:
        preds = net.graph.pred[neuron]
        sources = list(preds)
        if neuron.bias_grad is None or any("grad" not in preds[k] for k in sources):
            msg = f"neuron {neuron.name!r} has no gradients: run a backward pass first"
            raise GraphError(msg)
        w = np.array([preds[k]["weight"] for k in sources], dtype=float)
        grads = np.array([preds[k]["grad"] for k in sources], dtype=float)
        new_w = w - eta * grads  # (20) w ← w − η ∂C/∂w
        for k, value in zip(sources, new_w.tolist()):
            preds[k]["weight"] = value
        bias, bias_grad = neuron.bias, neuron.bias_grad
        neuron.bias = bias - eta * bias_grad  # (21) b ← b − η ∂C/∂b
        yield UpdateEvent(neuron, eta, bias, bias_grad, neuron.bias, sources, w, grads, new_w)
