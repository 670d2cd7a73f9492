r"""Export a network as a ``torch.nn.Module`` that computes the same numbers.

A layered network (each layer fed by the whole previous one, every edge present) becomes a
plain ``nn.Sequential`` of ``nn.Linear`` (weights in PyTorch's ``(out, in)`` layout, which is
the book's ``w[l]``) and ``nn.Sigmoid`` / ``nn.Tanh`` / ``nn.ReLU`` / ``nn.Softmax(dim=-1)``.
Any other DAG becomes a `LevelNetwork`: one masked linear map per level of the compiled
network, its mask a buffer, so that edges the graph lacks stay absent through training.
Perceptrons export as `Step`, which runs forward only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from neurograph.errors import GraphError, UsageError
from neurograph.fast.network import FastNetwork
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
from neurograph.io.tensor_names import is_chain, tensor_names

__all__ = ["TWINS", "LevelNetwork", "MaskedLevel", "Step", "spec_of", "to_torch"]


class _StepFunction(torch.autograd.Function):
    """The perceptron's rule ``a = 1 if z > 0 else 0``, which has no useful derivative."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor) -> torch.Tensor:
        return (z > 0).to(z.dtype)

    @staticmethod
    def backward(ctx: Any, *grad: torch.Tensor) -> Any:
        msg = (
            "a perceptron has no useful derivative, so autograd cannot pass through it; "
            "export net.sigmoidized() to train"
        )
        raise GraphError(msg)


class Step(nn.Module):
    """The perceptron's activation, ``1`` where ``z > 0`` else ``0``: forward only.

    Examples
    --------
    >>> Step()(torch.tensor([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 1.0]
    """

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Apply the step; a backward pass through it raises a `GraphError`."""
        return _StepFunction.apply(z)


#: Each built-in kind's PyTorch twin, the module that follows its linear map. A kind of your
#: own has none: `to_torch` refuses it, naming the neuron and the kind.
TWINS: dict[type[Neuron], Callable[[], nn.Module]] = {
    SigmoidNeuron: nn.Sigmoid,
    Perceptron: Step,
    TanhNeuron: nn.Tanh,
    ReLUNeuron: nn.ReLU,
    SoftmaxUnit: lambda: nn.Softmax(dim=-1),  # over the units of one softmax layer
}


def _activation(kind: Neuron) -> nn.Module:
    """The PyTorch module computing `kind`'s activation (a softmax over its columns)."""
    return TWINS[type(kind)]()


def _check_kinds(fast: Any) -> None:
    """Refuse a network with a kind of neuron PyTorch has no module for."""
    for layer in fast.layers.values():
        for kind, _ in layer.groups:
            if type(kind) not in TWINS:
                known = ", ".join(cls.__name__ for cls in TWINS)
                msg = (
                    f"to_torch: neuron {kind.name!r} is a {type(kind).__name__} (kind "
                    f"{kind.kind!r}), which has no PyTorch module; exportable kinds: {known}"
                )
                raise UsageError(msg)


class MaskedLevel(nn.Module):
    r"""One level of a DAG: $z = (w \odot \text{mask})\, s + b$, then each group's activation.

    Parameters
    ----------
    layer : Layer
        The compiled level ([`neurograph.fast.network.Layer`][]): its sources, groups, mask.
    w, b : torch.Tensor
        Its weights ``(n_l, n_sources)`` and biases ``(n_l,)``.

    Notes
    -----
    The mask multiplies the weights in [`forward`][] and, through a hook, their gradient, so
    an absent edge gets no gradient from any loss (an L2 term included) and stays 0.
    """

    mask: torch.Tensor

    def __init__(self, layer: Any, w: torch.Tensor, b: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(w)
        self.bias = nn.Parameter(b)
        mask = torch.ones(w.shape, dtype=torch.bool)
        if layer.mask is not None:
            mask = torch.as_tensor(layer.mask, dtype=torch.bool)
        self.register_buffer("mask", mask)
        self.weight.register_hook(self._mask_grad)
        self.groups = [(cols.start, cols.stop) for _, cols in layer.groups]
        self.activations = nn.ModuleList(_activation(kind) for kind, _ in layer.groups)
        self.parts: list[tuple[int, str | None]] = []
        for i, (k, cols) in enumerate(layer.parts):
            if cols is not None:
                self.register_buffer(f"part{i}", torch.as_tensor(cols), persistent=False)
            self.parts.append((k, None if cols is None else f"part{i}"))

    def _mask_grad(self, grad: torch.Tensor) -> torch.Tensor:
        return grad * self.mask

    def forward(self, a: list[torch.Tensor]) -> torch.Tensor:
        """The activations of this level from those of the levels before (``a[k - 1]``)."""
        s = torch.cat(
            [
                a[k - 1] if c is None else a[k - 1].index_select(-1, getattr(self, c))
                for k, c in self.parts
            ],
            dim=-1,
        )
        z = nn.functional.linear(s, self.weight * self.mask, self.bias)  # z = w a + b (eq. 25)
        # a = f(z), group by group: σ, step, tanh, ReLU or softmax
        parts = [f(z[..., start:stop]) for f, (start, stop) in zip(self.activations, self.groups)]
        return torch.cat(parts, -1)


class LevelNetwork(nn.Module):
    """Any DAG as PyTorch: one [`MaskedLevel`][] per level, the outputs gathered at the end.

    Made by [`to_torch`][] for networks that are not a plain chain of layers. Its
    ``state_dict`` names are ``levels.{i}.weight``, ``levels.{i}.bias``, ``levels.{i}.mask``.
    """

    outputs: torch.Tensor

    def __init__(self, fast: Any, dtype: torch.dtype) -> None:
        super().__init__()
        self.levels = nn.ModuleList(
            MaskedLevel(
                layer,
                torch.tensor(fast.w[layer.number], dtype=dtype),
                torch.tensor(fast.b[layer.number], dtype=dtype),
            )
            for layer in fast.layers.values()
        )
        offsets = [0]
        for size in fast.sizes:
            offsets.append(offsets[-1] + size)
        where = [offsets[layer - 1] + j for layer, j in fast.out_cols]
        self.register_buffer("outputs", torch.tensor(where), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The output activations, ``(m, n_outputs)`` for ``x`` of shape ``(m, n_inputs)``."""
        a = [x]
        for level in self.levels:
            a.append(level(a))
        return torch.cat(a, dim=-1).index_select(-1, self.outputs)


def to_torch(net_or_fast: Network | FastNetwork, dtype: torch.dtype = torch.float64) -> Any:
    """A ``torch.nn.Module`` computing what the network computes (to 1e-12 in float64).

    Parameters
    ----------
    net_or_fast : Network or FastNetwork
    dtype : torch.float64 or torch.float32

    Returns
    -------
    torch.nn.Module
        An ``nn.Sequential`` of ``nn.Linear`` and ``nn.Sigmoid`` / ``nn.Softmax(dim=-1)`` /
        `Step` for a layered network; a `LevelNetwork` for any other DAG. Its
        ``neurograph`` attribute holds the network's description (names, kinds, wiring,
        meta), which [`from_torch`][neurograph.from_torch] uses to come back exactly.

    Raises
    ------
    UsageError
        For another kind of argument or dtype, or a kind of neuron of your own (PyTorch has
        no module for it; the message names the neuron and the kind).

    Notes
    -----
    Perceptrons become `Step`: the forward pass agrees (except where ``w·x + b`` is
    within rounding of 0), and a backward pass through one raises, as the graph engine's does.

    Examples
    --------
    >>> import neurograph as ng
    >>> ng.to_torch(ng.layered([2, 3, 1], seed=0))
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Sigmoid()
      (2): Linear(in_features=3, out_features=1, bias=True)
      (3): Sigmoid()
    )
    """
    if dtype not in (torch.float64, torch.float32):
        msg = f"to_torch: dtype must be torch.float64 or torch.float32, got {dtype!r}"
        raise UsageError(msg)
    if isinstance(net_or_fast, Network):
        fast, spec = net_or_fast.compile(), net_or_fast.to_dict()
    elif isinstance(net_or_fast, FastNetwork):
        fast, spec = net_or_fast, spec_of(net_or_fast)
    else:
        msg = f"to_torch: expected a Network or a FastNetwork, got {type(net_or_fast).__name__}"
        raise UsageError(msg)
    _check_kinds(fast)
    module: Any
    if is_chain(fast):
        modules: list[nn.Module] = []
        for layer in fast.layers.values():
            linear = nn.Linear(len(layer.sources), len(layer.names), dtype=dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.as_tensor(fast.w[layer.number]))
                linear.bias.copy_(torch.as_tensor(fast.b[layer.number]))
            modules += [linear, _activation(layer.groups[0][0])]
        module = nn.Sequential(*modules)
    else:
        module = LevelNetwork(fast, dtype)
    assert [k for k in module.state_dict() if not k.endswith("mask")] == [
        name for triple in tensor_names(fast) for name in triple[:2]
    ]  # the one naming rule of neurograph.io.tensor_names, which the files use too
    module.neurograph = spec
    return module


def spec_of(fast: Any) -> dict[str, Any]:
    """The description (as ``Network.to_dict`` gives it) of a FastNetwork's network.

    Parameters
    ----------
    fast : FastNetwork

    Returns
    -------
    dict
        Names, kinds, biases, the edges of every level (each target's in column order) and the
        outputs; ``meta`` is empty, since a FastNetwork does not keep it.
    """
    neurons: list[dict[str, Any]] = []
    edges: list[list[Any]] = []
    for layer in fast.layers.values():
        w, b = fast.w[layer.number].tolist(), fast.b[layer.number].tolist()
        for kind, cols in layer.groups:
            names = layer.names[cols]
            if isinstance(kind, SoftmaxUnit):  # units are named "{layer}.{j}"
                layer_name = names[0].rsplit(".", 1)[0]
                neurons.append({"name": layer_name, "kind": SoftmaxLayer.kind, "biases": b[cols]})
            else:
                neurons += [
                    {"name": n, "kind": kind.kind, "bias": v} for n, v in zip(names, b[cols])
                ]
        for j, name in enumerate(layer.names):
            for i, source in enumerate(layer.sources):
                if layer.mask is None or layer.mask[j, i]:
                    edges.append([source, name, w[j][i]])
    return {
        "inputs": list(fast.inputs),
        "neurons": neurons,
        "edges": edges,
        "outputs": list(fast.outputs),
        "meta": {},
    }
