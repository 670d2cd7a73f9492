r"""The forward and backward passes of the graph engine, as generators of one event per neuron.

``Network.forward`` and ``Network.backward`` run these generators to the end; the
[`Debugger`][neurograph.Debugger] steps through the very same ones. The rules are the
neurons' own ([`Neuron.forward`][neurograph.Neuron.forward],
[`Neuron.backward`][neurograph.Neuron.backward], a softmax layer's with its Jacobian): a pass
only delivers each neuron its messages, in topological order forward and in reverse order
backward, reading the weights from ``net.graph`` every time (the graph is the truth):

* forward, to neuron ``j``: the weights $w_{jk}$ and activations $a_k$ of the neurons feeding it;
* backward, to neuron ``j``: its part of BP1 from the cost, the weights $w_{kj}$ and errors
  $\delta_k$ of the neurons it feeds, and the $a_k$ of the forward pass (for BP4).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import GraphError, ShapeError
from neurograph.graph.costs import Cost
from neurograph.graph.events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
from neurograph.graph.neurons import Neuron, SoftmaxUnit
from neurograph.graph.outputs import class_indices
from neurograph.graph.plan import Plan, backprop_refusal
from neurograph.graph.text import shortlist
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
    """What a forward pass leaves for the backward pass: its plan and the activations sent.

    Attributes
    ----------
    plan : Plan
        The order it followed (a rewired network makes a new one).
    a_in : dict
        Per neuron: the activations ``a_k`` of the neurons that fed it (``plan.sources``).
    has_backward : bool
        Whether a backward pass has run since.
    """

    plan: Plan
    a_in: dict[Neuron, Array]
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
    for node, value in zip(plan.inputs, x.tolist()):
        node.a = value
    net.forward_state = None
    state = ForwardState(plan, {})
    for step in plan.steps:
        for neuron in step:  # the activations a_k of the neurons k feeding it
            state.a_in[neuron] = np.array([k.a for k in plan.sources[neuron]], dtype=float)
        w = [incoming_weights(neuron, plan.edges[neuron]) for neuron in step]  # w_jk, now
        a_in = [state.a_in[neuron] for neuron in step]
        if isinstance(step[0], SoftmaxUnit):  # a softmax layer's units are computed together
            step[0].layer.forward(w, a_in)
        else:
            step[0].forward(w[0], a_in[0])
        for neuron, w_j, a_k in zip(step, w, a_in):
            z, a = float(neuron.z), float(neuron.a)  # type: ignore[arg-type]  # just computed
            yield ForwardEvent(neuron, plan.sources[neuron], w_j, a_k, neuron.bias, z, a)
    net.forward_state = state


def incoming_weights(neuron: Neuron, edges: list[dict[str, Any]]) -> Array:
    """The weights ``w_jk`` on a neuron's incoming edges, read from the graph (it is the truth).

    Parameters
    ----------
    neuron : Neuron
    edges : list of dict
        The attribute dicts of its incoming edges in ``net.graph`` (``plan.edges``).

    Raises
    ------
    GraphError
        If a weight is missing, not a number, or not finite.
    """
    try:
        w = np.array([data["weight"] for data in edges], dtype=float)
    except (KeyError, TypeError, ValueError) as err:
        msg = f"neuron {neuron.name!r}: every incoming edge needs a numeric 'weight' ({err})"
        raise GraphError(msg) from err
    if not np.all(np.isfinite(w)):
        found = shortlist(w.tolist(), quote=False)
        msg = f"neuron {neuron.name!r}: an incoming weight is not finite: {found}"
        raise GraphError(msg)
    return w


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
    state = net.forward_state
    if state is None or state.plan is not net.plan():
        msg = "no forward pass to differentiate: run net.forward(x) first (after any rewiring)"
        raise GraphError(msg)
    plan = state.plan
    groups, outputs_error = [], None
    try:
        groups = plan.output_groups()
    except GraphError as err:
        outputs_error = str(err)
    blocked = next((n for n in plan.nodes if not n.differentiable), None)
    refusal = backprop_refusal(cost, blocked, outputs_error, plan.outputs)
    if refusal is not None:
        raise GraphError(refusal)
    target = target_vector(plan, y, cost)
    direct, value = output_errors(groups, target, cost)
    a_out = np.array([n.a for n in plan.outputs], dtype=float)
    errors = np.array([direct[n] for n in plan.outputs], dtype=float)
    yield CostEvent(cost, value, plan.outputs, a_out, target, errors)
    for step in reversed(plan.steps):
        targets = [plan.targets[neuron] for neuron in step]
        w_out = [  # w_kj, read from the graph now
            np.array([data["weight"] for data in plan.out_edges[neuron]], dtype=float)
            for neuron in step
        ]
        d_out = [np.array([k.delta for k in t], dtype=float) for t in targets]
        a_in = [state.a_in[neuron] for neuron in step]
        if isinstance(step[0], SoftmaxUnit):  # the layer's Jacobian mixes its units' errors
            own = np.array([direct.get(n, 0.0) for n in step])
            grads = step[0].layer.backward(own, w_out, d_out, a_in)
        else:
            grads = [step[0].backward(direct.get(step[0], 0.0), w_out[0], d_out[0], a_in[0])]
        for n, neuron in reversed(list(enumerate(step))):
            for data, grad in zip(plan.edges[neuron], grads[n].tolist()):
                data["grad"] = grad  # (BP4) on the edge k -> j
            prime = None if isinstance(neuron, SoftmaxUnit) else neuron.activation_prime(neuron.z)
            yield BackwardEvent(
                neuron,
                targets[n],
                w_out[n],
                d_out[n],
                direct.get(neuron, 0.0),
                None if prime is None else float(prime),
                float(neuron.delta),  # type: ignore[arg-type]
                plan.sources[neuron],
                a_in[n],
                grads[n],
            )
    state.has_backward = True


def output_errors(
    groups: list[tuple[list[Neuron], list[int]]], target: Array, cost: Cost
) -> tuple[dict[Neuron, float], float]:
    """Each output's part of BP1 (``∇_a C ⊙ f'(z)``, or the cost's simplified ``a − y``) and
    the cost, from each group of outputs' ``z`` and ``a``.

    Returns
    -------
    direct : dict of Neuron to float
        Only the outputs appear.
    value : float
        The cost of the example.
    """
    direct: dict[Neuron, float] = {}
    value = 0.0
    for neurons, where in groups:
        z = np.array([n.z for n in neurons], dtype=float)
        a = np.array([n.a for n in neurons], dtype=float)
        y = target[where]
        # (BP1) δ^L = ∇_a C ⊙ f'(z^L), or the cost's simplified a − y; the first neuron
        # stands for its kind (a softmax layer's units, or one neuron)
        direct.update(zip(neurons, cost.delta(neurons[0], z, a, y).tolist()))
        value += float(np.sum(cost.value(neurons[0], z, a, y)))  # from z: exact where a rounds
    return direct, value


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
        data.pop("grad", None)
    net.forward_state = None


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
