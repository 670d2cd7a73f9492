"""Import a PyTorch module as a Network: those ``to_torch`` makes, and plain ``nn.Sequential``."""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import nn

from neurograph.bridge.to_torch import LevelNetwork, Step
from neurograph.errors import GraphError
from neurograph.graph.builders import from_matrices
from neurograph.graph.network import Network
from neurograph.graph.neurons import Perceptron, SigmoidNeuron, SoftmaxLayer
from neurograph.io.safetensors_format import apply_tensors

__all__ = ["from_torch"]

CAN = (
    "neurograph represents an nn.Sequential of nn.Linear layers, each followed by nn.Sigmoid, "
    "nn.Softmax(dim=-1) or neurograph's Step (the perceptron), the last one also "
    "nn.LogSoftmax(dim=-1) for the log-likelihood, and the modules ng.to_torch makes"
)
KINDS: dict[type, str] = {nn.Sigmoid: "sigmoid", Step: "perceptron"}


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
    if len(set(kinds[:-1])) > 1 or "softmax" in kinds[:-1]:
        msg = (
            f"hidden layers of mixed or softmax kinds {kinds[:-1]} need ng.to_torch's module; {CAN}"
        )
        raise GraphError(msg)
    hidden = Perceptron if kinds[0] == "perceptron" else SigmoidNeuron
    last = {"sigmoid": SigmoidNeuron, "perceptron": Perceptron}.get(kinds[-1], SoftmaxLayer)
    net = from_matrices(weights, biases, neuron=hidden, output=last)
    if isinstance(module[-1], nn.LogSoftmax):
        net.meta["cost"] = "LogLikelihoodCost"
    return net


def _kinds(module: nn.Sequential) -> list[str]:
    """The kind of each Linear's activation, refusing the first layer that is not representable."""
    layers = list(module)
    kinds = []
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


def _activation_kind(layer: Any, last: bool) -> str | None:
    if type(layer) in KINDS:
        return KINDS[type(layer)]
    allowed = (nn.Softmax, nn.LogSoftmax) if last else (nn.Softmax,)
    if type(layer) in allowed and layer.dim in (-1, 1):
        return "softmax"
    return None


def _with_state(module: Any, kinds: list[str] | None) -> Network:
    """The network described by ``module.neurograph``, its parameters those of the module."""
    net = Network.from_dict(module.neurograph)
    fast = net.compile()
    described = [layer.groups[0][0] for layer in fast.layers.values()]
    if kinds is not None and kinds != described:
        msg = f"the module's activations {kinds} are not those it was exported with, {described}"
        raise GraphError(msg)
    state = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
    return apply_tensors(net, state, fast)
