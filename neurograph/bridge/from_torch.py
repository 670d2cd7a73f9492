"""Import a PyTorch module as a Network: those ``to_torch`` makes, and plain ``nn.Sequential``."""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import nn

from neurograph.bridge.to_torch import LevelNetwork, MaskedLevel, Step
from neurograph.errors import GraphError, NeurographError
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
from neurograph.io.files import FORMAT_VERSION, from_document
from neurograph.io.safetensors_format import apply_tensors

__all__ = ["check_module", "from_torch"]

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
        Naming the first layer neurograph cannot represent (and saying what it can), or
        what ``check_module`` refuses.

    Examples
    --------
    >>> import torch, neurograph as ng
    >>> module = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid())
    >>> [n.name for n in ng.from_torch(module).neurons]
    ['L2.1', 'L2.2', 'L2.3']
    """
    if isinstance(module, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
        module = module.module  # the wrapped model
    check_module(module)
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


def check_module(module: nn.Module) -> None:
    """Refuse a module whose computation its classes and tensors do not tell, naming its path.

    `from_torch` reads a module's classes and tensors, never runs it; so everything that would
    make the module compute something else is refused first: a subclass of a class it reads
    (``nn.Linear``, ``nn.Sequential``, ``nn.Sigmoid``, …) with its own ``forward`` (or
    ``__call__``, or, for a container, its own iteration); forward hooks and pre-hooks (the
    module's own or global ones) and ``state_dict`` hooks; parameters or buffers that are
    uninitialized (``nn.LazyLinear`` before its first call) or on the ``meta`` device, and
    parameters that are not real floating-point numbers (complex, integer). (An embedded
    ``.neurograph`` description is then checked field by field, as a file is.)

    Parameters
    ----------
    module : torch.nn.Module

    Raises
    ------
    GraphError
        Naming the module's path (``'0'``, ``'levels.1'``; the whole module is ``''``), what
        it is and why it cannot be read.

    Examples
    --------
    >>> import torch, neurograph as ng
    >>> module = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid())
    >>> _ = module[1].register_forward_hook(lambda m, args, out: 2 * out)
    >>> ng.from_torch(module)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.GraphError: module '1' (Sigmoid) has a forward hook, which changes ...
    """
    for hooks, register in (
        (nn.modules.module._global_forward_hooks, "register_module_forward_hook"),
        (nn.modules.module._global_forward_pre_hooks, "register_module_forward_pre_hook"),
    ):
        if hooks:
            msg = (
                f"a global hook is registered (torch.nn.modules.module.{register}), which "
                "changes what every module computes; remove it (handle.remove()) before from_torch"
            )
            raise GraphError(msg)
    for kind, tensors in (
        ("parameter", module.named_parameters()),
        ("buffer", module.named_buffers()),
    ):
        for name, tensor in tensors:
            _check_tensor(kind, name, tensor)
    for path, sub in module.named_modules():
        _check_class(path, sub)
        for attr, what in HOOKS.items():
            if getattr(sub, attr, None):
                msg = (
                    f"module {path!r} ({type(sub).__name__}) has a {what}, which changes what "
                    "it computes or holds; neurograph reads only the classes and tensors, so "
                    "remove the hook (handle.remove()) before from_torch"
                )
                raise GraphError(msg)


#: A module's hooks that change its output or its state_dict, and how the messages name them.
HOOKS = {
    "_forward_hooks": "forward hook",
    "_forward_pre_hooks": "forward pre-hook",
    "_state_dict_hooks": "state_dict hook",
    "_state_dict_pre_hooks": "state_dict pre-hook",
}
#: The classes from_torch reads; a subclass may not change how they compute.
READ = (nn.Sequential, nn.ModuleList, nn.Linear, nn.Softmax, nn.LogSoftmax, LevelNetwork,
        MaskedLevel, *KINDS)  # fmt: skip
#: The methods that make a module compute (or list its layers) differently.
COMPUTE = ("forward", "__call__", "_call_impl", "__iter__", "__getitem__", "__len__")


def _check_class(path: str, sub: nn.Module) -> None:
    """Refuse a subclass of a class neurograph reads that changes how it computes."""
    for base in READ:
        if isinstance(sub, base) and type(sub) is not base:
            own = [
                name
                for klass in type(sub).__mro__
                if klass not in base.__mro__
                for name in COMPUTE
                if name in vars(klass)
            ]
            if own:
                shown = (
                    f"nn.{base.__name__}" if base.__module__.startswith("torch.") else base.__name__
                )
                msg = (
                    f"module {path!r} is a {type(sub).__name__}, a subclass of {shown} with "
                    f"its own {own[0]}, so its output is not what {shown}'s tensors say; "
                    f"use {shown} itself"
                )
                raise GraphError(msg)


def _check_tensor(kind: str, name: str, tensor: Any) -> None:
    """Refuse an uninitialized or meta tensor, and a parameter that is not real floating point."""
    path, _, attr = name.rpartition(".")
    where = f"module {path!r}: {kind} {attr!r}"
    if isinstance(tensor, (nn.parameter.UninitializedParameter, nn.parameter.UninitializedBuffer)):
        msg = (
            f"{where} is not initialized yet (a lazy module such as nn.LazyLinear); call the "
            "module once on an input, or use nn.Linear, before from_torch"
        )
        raise GraphError(msg)
    if tensor.is_meta:
        msg = (
            f"{where} is on the 'meta' device and holds no values; "
            "materialize it (module.to_empty(device='cpu') and initialize) before from_torch"
        )
        raise GraphError(msg)
    if kind == "parameter" and (tensor.is_complex() or not tensor.is_floating_point()):
        msg = (
            f"{where} is {str(tensor.dtype).replace('torch.', '')}; neurograph's weights and "
            "biases are real numbers (float32 or float64)"
        )
        raise GraphError(msg)


def _description(module: Any) -> Network:
    """The network of a module's ``.neurograph`` description, checked field by field like a file."""
    doc = module.neurograph
    if not isinstance(doc, dict):
        msg = (
            f"module '' ({type(module).__name__}) has a .neurograph attribute that is not a "
            f"network description (ng.to_torch sets a dict), got {type(doc).__name__}; "
            "delete the attribute to read the module as layers"
        )
        raise GraphError(msg)
    try:
        return from_document({**doc, "format": "neurograph", "version": FORMAT_VERSION})
    except NeurographError as err:
        msg = f"module '' ({type(module).__name__}): its .neurograph description: {err}"
        raise GraphError(msg) from err


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
    if not hasattr(module, "neurograph"):
        msg = f"a {type(module).__name__} without its .neurograph description; {CAN}"
        raise GraphError(msg)
    net = _description(module)
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
