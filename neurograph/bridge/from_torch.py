"""Import a PyTorch module as a Network: those ``to_torch`` makes, and plain ``nn.Sequential``."""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import nn

from neurograph.bridge.to_torch import LevelNetwork, Step
from neurograph.errors import GraphError
from neurograph.graph.builders import from_matrices
from neurograph.graph.network import Network
from neurograph.graph.neurons import (
    Neuron,
    Perceptron,
    ReLUNeuron,
    SigmoidNeuron,
    SoftmaxLayer,
    SoftmaxUnit,
    TanhNeuron,
)
from neurograph.io.safetensors_format import apply_tensors

__all__ = ["from_torch"]

CAN = (
    "neurograph represents an nn.Sequential of nn.Linear layers, each followed by nn.Sigmoid, "
    "nn.Tanh, nn.ReLU, nn.Softmax(dim=-1) or neurograph's Step (the perceptron), the last one "
    "also nn.LogSoftmax(dim=-1) for the log-likelihood, and the modules ng.to_torch makes"
)
#: The neuron kind of each elementwise activation module.
KINDS: dict[type, type[Neuron]] = {
    nn.Sigmoid: SigmoidNeuron,
    Step: Perceptron,
    nn.Tanh: TanhNeuron,
    nn.ReLU: ReLUNeuron,
}
Kind = type[Neuron] | type[SoftmaxLayer]


def from_torch(module: nn.Module) -> Network:
    """A Network with the module's weights and biases, exactly (float64).

    Parameters
    ----------
    module : torch.nn.Module
        Made by [`to_torch`][neurograph.to_torch] (then the names, kinds, wiring and meta come back
        too), or an ``nn.Sequential`` of ``nn.Linear`` + ``nn.Sigmoid`` / ``nn.Softmax`` (or
        ``nn.LogSoftmax`` as the last layer, meant for the log-likelihood) built by hand,
        which comes back as a layered network named ``L{l}.{j}``.

    Returns
    -------
    Network
        A final ``LogSoftmax`` becomes a [`SoftmaxLayer`][neurograph.SoftmaxLayer] (its outputs are
        the probabilities, not their logarithms) and sets ``meta["cost"]`` to
        ``"LogLikelihoodCost"``.

    Raises
    ------
    GraphError
        Naming the first layer neurograph cannot represent (and saying what it can).

    Examples
    --------
    >>> import torch, neurograph as ng
    >>> module = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid())
    >>> [n.name for n in ng.from_torch(module).neurons]
    ['L2.1', 'L2.2', 'L2.3']
    """
    if isinstance(module, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
        module = module.module  # the wrapped model
    if isinstance(module, LevelNetwork):
        return _with_state(module, None)
    if not isinstance(module, nn.Sequential):
        msg = f"cannot represent a {type(module).__name__}; {CAN}"
        raise GraphError(msg)
    kinds = _kinds(module)
    if hasattr(module, "neurograph"):
        return _with_state(module, kinds)
    weights, biases = [], []
    linears: list[Any] = list(module)[::2]
    for linear in linears:
        weights.append(linear.weight.detach().cpu().double().numpy())
        biases.append(
            np.zeros(linear.out_features)
            if linear.bias is None
            else linear.bias.detach().cpu().double().numpy()
        )
    if len(set(kinds[:-1])) > 1 or SoftmaxLayer in kinds[:-1]:
        names = [k.__name__ for k in kinds[:-1]]
        msg = f"hidden layers of mixed or softmax kinds {names} need ng.to_torch's module; {CAN}"
        raise GraphError(msg)
    hidden = kinds[0] if issubclass(kinds[0], Neuron) else SigmoidNeuron  # (one layer: unused)
    net = from_matrices(weights, biases, neuron=hidden, output=kinds[-1])
    if isinstance(module[-1], nn.LogSoftmax):
        net.meta["cost"] = "LogLikelihoodCost"
    return net


def _kinds(module: nn.Sequential) -> list[Kind]:
    """The kind of each Linear's activation, refusing the first layer that is not representable."""
    layers = list(module)
    kinds: list[Kind] = []
    for i, layer in enumerate(layers):
        expected_linear = i % 2 == 0
        kind = _activation_kind(layer, last=i == len(layers) - 1)
        if (
            expected_linear
            and not isinstance(layer, nn.Linear)
            or not expected_linear
            and kind is None
        ):
            want = "nn.Linear" if expected_linear else "an activation after the nn.Linear"
            msg = f"layer ({i}) {layer!r} cannot be represented (expected {want}); {CAN}"
            raise GraphError(msg)
        if kind is not None:
            kinds.append(kind)
    if not layers or len(layers) % 2:
        msg = f"each nn.Linear needs an activation after it, got {len(layers)} layers; {CAN}"
        raise GraphError(msg)
    return kinds


def _activation_kind(layer: Any, last: bool) -> Kind | None:
    if type(layer) in KINDS:
        return KINDS[type(layer)]
    allowed = (nn.Softmax, nn.LogSoftmax) if last else (nn.Softmax,)
    if type(layer) in allowed and layer.dim in (-1, 1):
        return SoftmaxLayer
    return None


def _with_state(module: Any, kinds: list[Kind] | None) -> Network:
    """The network described by ``module.neurograph``, its parameters those of the module."""
    net = Network.from_dict(module.neurograph)
    fast = net.compile()
    described = [
        SoftmaxLayer if isinstance(kind, SoftmaxUnit) else type(kind)
        for kind in (layer.groups[0][0] for layer in fast.layers.values())
    ]
    if kinds is not None and kinds != described:
        have, want = ([k.__name__ for k in ks] for ks in (kinds, described))
        msg = f"the module's activations {have} are not those it was exported with, {want}"
        raise GraphError(msg)
    state = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
    return apply_tensors(net, state, fast)
