r"""The built-in kinds of neuron, each a class with its a = f(z), f'(z) and symbol.

Inputs, perceptrons, sigmoid, tanh and ReLU neurons, and softmax layers (whose forward and
backward rules work on the whole layer). The rules every other kind shares are in
`neurograph.graph.kind` (`Neuron`, re-exported here); the activation functions come from
[`neurograph.activations`][], where each equation is written once (and re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from neurograph.errors import GraphError, ShapeError
from neurograph.graph.activations import (
    relu,
    relu_prime,
    sigmoid,
    sigmoid_into,
    sigmoid_prime,
    softmax,
    softmax_vjp,
    step,
    tanh,
    tanh_prime,
)
from neurograph.graph.kind import Neuron, no_derivative
from neurograph.graph.kind import _finite as _finite  # re-exported: checks a number
from neurograph.graph.types import Array, is_whole

__all__ = [
    "BUILT_IN",
    "Input",
    "Neuron",
    "Perceptron",
    "ReLUNeuron",
    "SigmoidNeuron",
    "SoftmaxLayer",
    "SoftmaxUnit",
    "sigmoid",
    "sigmoid_into",
    "sigmoid_prime",
    "softmax",
    "softmax_vjp",
    "relu",
    "step",
    "tanh",
    "TanhNeuron",
    "no_derivative",
]


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

    def activation(self, z: Any) -> Any:
        """The identity: an input passes its value on."""
        return z

    def activation_prime(self, z: Any) -> Any:
        """The identity's derivative, 1."""
        return np.ones_like(z, dtype=float)

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
    symbol = "step"
    prefix = "p"
    probability = True
    differentiable = False

    def activation(self, z: Any) -> Any:
        """The step function: 1 where ``z > 0``, else 0."""
        return step(z)

    def activation_prime(self, z: Any) -> Any:
        """Refused: the step's derivative is 0 wherever it exists, so nothing can be learned.

        Raises
        ------
        GraphError
            Naming the perceptron and the fix, ``net.sigmoidized()``.
        """
        raise GraphError(no_derivative(self))


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
    symbol = "σ"
    prefix = "s"
    probability = True

    def activation(self, z: Any) -> Any:
        """The sigmoid function σ(z)."""
        return sigmoid(z)

    def activation_prime(self, z: Any) -> Any:
        """σ'(z) = σ(z)(1 − σ(z))."""
        return sigmoid_prime(z)


class TanhNeuron(Neuron):
    r"""A tanh neuron: ``a = tanh(w·x + b)``, in (−1, 1) (Nielsen, ch. 3).

    "Other models of artificial neuron": $\tanh(z) = 2\sigma(2z) - 1$ is a rescaled sigmoid.
    Its outputs are not probabilities, so the cross-entropy refuses a tanh output layer.

    Examples
    --------
    >>> TanhNeuron(bias=0.5, name="t")
    TanhNeuron('t', n_in=0, b=0.5)
    """

    kind = "tanh"
    symbol = "tanh"
    prefix = "t"

    def activation(self, z: Any) -> Any:
        """tanh(z)."""
        return tanh(z)

    def activation_prime(self, z: Any) -> Any:
        """tanh'(z) = 1 − tanh²(z)."""
        return tanh_prime(z)


class ReLUNeuron(Neuron):
    r"""A rectified linear neuron: ``a = max(0, w·x + b)`` (Nielsen, ch. 3).

    Its derivative is 1 for ``z > 0`` and 0 for ``z < 0``; at ``z = 0``, where it has none,
    neurograph takes $f'(0) = 0$ (as PyTorch does). Its outputs are not probabilities, so
    the cross-entropy refuses a ReLU output layer.

    Examples
    --------
    >>> ReLUNeuron(name="r")
    ReLUNeuron('r', n_in=0, b=0)
    """

    kind = "relu"
    symbol = "ReLU"
    prefix = "r"

    def activation(self, z: Any) -> Any:
        """max(0, z)."""
        return relu(z)

    def activation_prime(self, z: Any) -> Any:
        """1 where ``z > 0``, else 0 (``f'(0) = 0``)."""
        return relu_prime(z)


class SoftmaxUnit(Neuron):
    """One unit of a [`SoftmaxLayer`][]: a graph node whose activation is normalized jointly.

    Attributes
    ----------
    layer : SoftmaxLayer
    index : int
        Position within the layer, 0-based.
    """

    kind = "softmax"
    symbol = "softmax"
    prefix = "u"
    probability = True

    def __init__(self, layer: SoftmaxLayer, index: int, bias: float = 0.0) -> None:
        super().__init__(bias, None)
        self.layer = layer
        self.index = index

    def activation(self, z: Any) -> Array:
        """Softmax over the whole layer (the last axis of `z` holds every unit's ``z``)."""
        return softmax(z)

    def activation_prime(self, z: Any) -> Array:
        r"""The diagonal of the softmax Jacobian, $\partial a_j/\partial z_j = a_j(1 - a_j)$.

        The layer's backward rule uses the whole Jacobian (``SoftmaxLayer.backward``).
        """
        a = softmax(z)
        return a * (1.0 - a)

    def chain(self, grad_a: Any, z: Any, a: Any) -> Array:
        r"""$\partial C/\partial z$ through the softmax Jacobian (the last axis is one layer)."""
        return softmax_vjp(a, grad_a)


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

    kind = "softmax_layer"  # as files name a layer (its units are "softmax")
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

    # -- the two rules of the layer, side by side: its units are computed together ----------
    def forward(self, w: list[Array], a_in: list[Array]) -> None:
        r"""The forward rule: each unit's $z_j$, then $a_j = e^{z_j} / \sum_i e^{z_i}$.

        Parameters
        ----------
        w, a_in : list of ndarray
            Per unit: the weights of its incoming edges and the activations feeding it.

        Notes
        -----
        Nielsen, ch. 1, eq. (4), then ch. 3, eq. (78).
        """
        z = [float(w_j @ a_j) + u.bias for u, w_j, a_j in zip(self.units, w, a_in)]  # (4)
        a = softmax(z).tolist()  # (78) a_j = e^{z_j} / Σ_i e^{z_i}
        for unit, z_j, a_j in zip(self.units, z, a):
            unit.z, unit.a = z_j, a_j

    def backward(
        self,
        output_error: Array,
        w_out: list[Array],
        delta_out: list[Array],
        a_in: list[Array],
    ) -> list[Array]:
        r"""The backward rule, with the softmax Jacobian in place of $f'(z_j)$.

        Parameters
        ----------
        output_error : ndarray, shape (size,)
            The units' part of BP1, as the cost gives it.
        w_out, delta_out, a_in : list of ndarray
            Per unit, as for [`Neuron.backward`][neurograph.Neuron.backward].

        Returns
        -------
        list of ndarray
            Per unit, $\partial C/\partial w_{jk}$ for each incoming edge.

        Notes
        -----
        $\partial a_i/\partial z_j = a_i([i = j] - a_j)$ (Nielsen, ch. 3), so
        $\delta_j = a_j (g_j - \sum_i a_i g_i)$ where $g_i = \sum_k w_{ki} \delta_k$.
        """
        g = [float(w @ d) for w, d in zip(w_out, delta_out)]  # Σ_k w_kj δ_k for each unit j
        # (BP1, BP2) δ = the cost's part + J^T g, J the softmax Jacobian
        delta = (output_error + softmax_vjp(self.a, g)).tolist()
        for unit, d in zip(self.units, delta):
            unit.delta = unit.bias_grad = d  # (BP3) ∂C/∂b_j = δ_j
        return [a_j * d for a_j, d in zip(a_in, delta)]  # (BP4) ∂C/∂w_jk = a_k δ_j

    def __len__(self) -> int:
        return len(self.units)

    def __getitem__(self, j: int) -> SoftmaxUnit:
        return self.units[j]

    def __iter__(self) -> Iterator[SoftmaxUnit]:
        return iter(self.units)

    def __repr__(self) -> str:
        return f"SoftmaxLayer({self.name!r}, size={len(self.units)})"


#: The kinds of neuron every neurograph reads from a file, by their ``kind``.
BUILT_IN: dict[str, type[Neuron]] = {
    cls.kind: cls for cls in (SigmoidNeuron, Perceptron, TanhNeuron, ReLUNeuron)
}
