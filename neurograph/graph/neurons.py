r"""Neurons as objects: inputs, perceptrons, sigmoid neurons and softmax layers.

Their activation functions come from [`neurograph.activations`][], where each equation is
written once (and re-exported here).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from neurograph.errors import ShapeError
from neurograph.graph.activations import (
    sigmoid,
    sigmoid_into,
    sigmoid_prime,
    softmax,
    softmax_vjp,
    step,
)
from neurograph.graph.types import Array, is_whole

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = [
    "Input",
    "Neuron",
    "Perceptron",
    "SigmoidNeuron",
    "SoftmaxLayer",
    "SoftmaxUnit",
    "sigmoid",
    "sigmoid_into",
    "sigmoid_prime",
    "softmax",
    "softmax_vjp",
    "step",
]


class Neuron(ABC):
    """Base class of every node of a network: it holds a name, a bias and its latest values.

    Attributes
    ----------
    name : str or None
        Unique within its network; given by the network when left as None.
    bias : float
        The bias ``b``.
    z, a : float or None
        Weighted input and activation after the latest forward pass.
    delta, bias_grad : float or None
        The error ``δ = ∂C/∂z`` and ``∂C/∂b`` after the latest backward pass.
    """

    kind: ClassVar[str] = "neuron"
    prefix: ClassVar[str] = "n"

    def __init__(self, bias: float = 0.0, name: str | None = None) -> None:
        self.name = name
        self.bias = bias
        self.z: float | None = None
        self.a: float | None = None
        self.delta: float | None = None
        self.bias_grad: float | None = None
        self.network: Network | None = None

    @property
    def bias(self) -> float:
        """The bias ``b``; set only to a finite number, checked as weights are."""
        return self._bias

    @bias.setter
    def bias(self, value: float) -> None:
        self._bias = _finite(value, "bias", self.name)

    @abstractmethod
    def activation(self, z: Any) -> Array:
        """The activation function applied to the weighted input(s) `z`."""

    @property
    def n_in(self) -> int:
        """Number of incoming edges (0 while the neuron is in no network, or removed from it)."""
        if self.network is None or self not in self.network.graph:
            return 0
        return int(self.network.graph.in_degree(self))

    @property
    def weights(self) -> dict[str, float]:
        """Its incoming weights by source name, ``{k: w_jk}``, in edge order (empty outside a
        network); change one with ``net.set_weight(k, j, w)``."""
        if self.network is None:
            return {}
        pred = self.network.graph.pred[self]
        return {str(k.name): float(data["weight"]) for k, data in pred.items()}

    def __repr__(self) -> str:
        values = [f"b={self.bias:.4g}"]
        values += [f"{key}={v:.4g}" for key, v in (("z", self.z), ("a", self.a)) if v is not None]
        values += [] if self.delta is None else [f"δ={self.delta:.4g}"]
        return f"{type(self).__name__}({self.name!r}, n_in={self.n_in}, {', '.join(values)})"


class Input(Neuron):
    """An input node: its activation is one component of the input vector ``x``.

    Parameters
    ----------
    name : str, optional
        Given by [`Network.add_inputs`][] as ``x1, x2, …`` when left out.
    """

    kind = "input"
    prefix = "x"

    def __init__(self, name: str | None = None) -> None:
        super().__init__(0.0, name)

    def activation(self, z: Any) -> Array:
        """The identity: an input passes its value on."""
        return np.asarray(z, dtype=float)

    def __repr__(self) -> str:
        return (
            f"Input({self.name!r})" if self.a is None else f"Input({self.name!r}, a={self.a:.4g})"
        )


class Perceptron(Neuron):
    """A perceptron: ``a = 1 if w·x + b > 0 else 0`` (Nielsen, ch. 1).

    It has no useful derivative, so a backward pass refuses it; use
    [`Network.sigmoidized`][] to replace perceptrons by sigmoid neurons.

    Parameters
    ----------
    bias : float
        The bias ``b`` (the negative of the book's threshold).
    name : str, optional

    Examples
    --------
    >>> Perceptron(bias=3.0, name="nand")
    Perceptron('nand', n_in=0, b=3)
    """

    kind = "perceptron"
    prefix = "p"

    def activation(self, z: Any) -> Array:
        """The step function: 1 where ``z > 0``, else 0."""
        return step(z)


class SigmoidNeuron(Neuron):
    r"""A sigmoid neuron: ``a = σ(w·x + b)`` (Nielsen, ch. 1, eq. (3)).

    Parameters
    ----------
    bias : float
    name : str, optional

    Examples
    --------
    >>> SigmoidNeuron(bias=-1.0, name="h")
    SigmoidNeuron('h', n_in=0, b=-1)
    """

    kind = "sigmoid"
    prefix = "s"

    def activation(self, z: Any) -> Array:
        """The sigmoid function."""
        return sigmoid(z)


class SoftmaxUnit(Neuron):
    """One unit of a [`SoftmaxLayer`][]: a graph node whose activation is normalized jointly.

    Attributes
    ----------
    layer : SoftmaxLayer
    index : int
        Position within the layer, 0-based.
    """

    kind = "softmax"
    prefix = "u"

    def __init__(self, layer: SoftmaxLayer, index: int, bias: float = 0.0) -> None:
        super().__init__(bias, None)
        self.layer = layer
        self.index = index

    def activation(self, z: Any) -> Array:
        """Softmax over the whole layer (`z` holds every unit's weighted input)."""
        return softmax(z)


class SoftmaxLayer:
    r"""A softmax layer of `size` units, each a node of the graph, normalized jointly.

    $a_j = e^{z_j} / \sum_i e^{z_i}$ over the units of this layer (Nielsen, ch. 3). Wire units one
    by one (``net.connect(h, layer[0], weight=...)``); ``net.set_outputs([layer])`` expands to
    all of its units in order. Unit ``j`` (0-based) is named ``f"{name}.{j + 1}"``.

    Parameters
    ----------
    size : int
        Number of units, at least 1.
    bias : float or sequence of float
        One bias for every unit, or one per unit.
    name : str, optional
        Given by the network when left out.

    Examples
    --------
    >>> layer = SoftmaxLayer(3, name="out")
    >>> len(layer), layer[0].name
    (3, 'out.1')
    """

    kind = "softmax_layer"
    prefix = "softmax"

    def __init__(self, size: int, bias: Any = 0.0, name: str | None = None) -> None:
        if not is_whole(size, 1):
            msg = f"SoftmaxLayer {name!r}: expected a size >= 1, got {size!r}"
            raise ShapeError(msg)
        biases = np.broadcast_to(np.asarray(bias, dtype=float), (int(size),)).tolist()
        self.units = [SoftmaxUnit(self, j, b) for j, b in enumerate(biases)]
        self._name: str | None = None
        self.name = name

    @property
    def name(self) -> str | None:
        """The layer's name; setting it renames the units ``name.1, name.2, …``."""
        return self._name

    @name.setter
    def name(self, name: str | None) -> None:
        self._name = name
        for j, unit in enumerate(self.units):
            unit.name = None if name is None else f"{name}.{j + 1}"

    @property
    def a(self) -> Array:
        """The units' activations after the latest forward pass, shape (size,)."""
        return np.array([u.a for u in self.units], dtype=float)

    def __len__(self) -> int:
        return len(self.units)

    def __getitem__(self, j: int) -> SoftmaxUnit:
        return self.units[j]

    def __iter__(self) -> Iterator[SoftmaxUnit]:
        return iter(self.units)

    def __repr__(self) -> str:
        return f"SoftmaxLayer({self.name!r}, size={len(self.units)})"


def _finite(value: Any, what: str, name: str | None) -> float:
    """Return `value` as a finite float, or raise a ShapeError naming the neuron."""
    try:
        number = float(value) if not isinstance(value, (str, bytes)) else float("nan")
    except (TypeError, ValueError, OverflowError):
        number = float("nan")
    if not np.isfinite(number):
        msg = f"neuron {name!r}: expected a finite number for the {what}, got {value!r}"
        raise ShapeError(msg)
    return number
