r"""What a kind of neuron is: the base class `Neuron`, with the forward and backward rules.

A kind is a subclass that gives ``activation(z)``, ``activation_prime(z)`` and a ``symbol``
(`neurograph.graph.neurons` has the built-in kinds); the rules below are the same for every
kind, written as the book writes them (Nielsen, ch. 1 eqs. (3), (4); ch. 2 BP1–BP4).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from neurograph.errors import ShapeError
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["Neuron", "no_derivative"]


class Neuron(ABC):
    r"""Base class of every neuron kind: its activation, its derivative, and its two rules.

    A kind is a subclass that gives ``activation(z)``, ``activation_prime(z)`` and a
    ``symbol``; the forward rule and the backward rule below are the same for every kind
    (Nielsen, ch. 1 and ch. 2). `z` may be a float (the graph engine, one neuron at a time)
    or an ndarray (the fast engine, a batch): an activation written with NumPy serves both.

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
    kind : str
        (A class attribute, as the three below.) How files name the kind: ``"sigmoid"``,
        ``"perceptron"``, ``"tanh"``, ``"relu"`` for the built-in kinds, the class name for
        a kind of your own.
    symbol : str
        How equations and legends name ``f``: ``"σ"``, ``"tanh"``, ``"ReLU"``, …
    probability : bool
        Whether every activation lies in [0, 1], so that a cost may read the outputs as
        probabilities (cross-entropy, log-likelihood).
    differentiable : bool
        Whether backpropagation can pass through it (not the perceptron's step).

    Examples
    --------
    >>> import numpy as np
    >>> class SoftplusNeuron(Neuron):
    ...     symbol = "softplus"
    ...     def activation(self, z):
    ...         return np.logaddexp(0.0, z)
    ...     def activation_prime(self, z):
    ...         return sigmoid(z)
    >>> SoftplusNeuron.kind
    'SoftplusNeuron'
    """

    kind: ClassVar[str] = "neuron"
    symbol: ClassVar[str] = "f"
    prefix: ClassVar[str] = "n"
    probability: ClassVar[bool] = False
    differentiable: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" not in cls.__dict__:  # a kind of your own is written by its class name
            cls.kind = cls.__name__

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
    def activation(self, z: Any) -> Any:
        """``a = f(z)``, for a float or elementwise over an ndarray."""

    @abstractmethod
    def activation_prime(self, z: Any) -> Any:
        """``f'(z)``, for BP1 and BP2; a float or elementwise over an ndarray."""

    # -- the two rules, side by side -----------------------------------------------------
    def forward(self, w: Array, a_in: Array) -> None:
        r"""The forward rule: $z_j = \sum_k w_{jk} a_k + b_j$, then $a_j = f(z_j)$.

        Parameters
        ----------
        w : ndarray, shape (n_in,)
            The weights $w_{jk}$ of its incoming edges.
        a_in : ndarray, shape (n_in,)
            The activations $a_k$ of the neurons feeding it, in the same order.

        Notes
        -----
        Nielsen, ch. 1, eqs. (4) and (3).
        """
        self.z = float(w @ a_in) + self.bias  # (4) z_j = Σ_k w_jk a_k + b_j
        self.a = float(self.activation(self.z))  # (3) a_j = f(z_j)

    def backward(self, output_error: float, w_out: Array, delta_out: Array, a_in: Array) -> Array:
        r"""The backward rule: $\delta_j$ (BP1, BP2), then the gradients (BP3, BP4).

        Parameters
        ----------
        output_error : float
            Its own part of BP1, $f'(z_j)\,\partial C/\partial a_j$ as the cost gives it
            (0 unless it is an output).
        w_out, delta_out : ndarray, shape (n_out,)
            The weights $w_{kj}$ to the neurons $k$ it feeds, and their errors $\delta_k$.
        a_in : ndarray, shape (n_in,)
            The activations $a_k$ that fed it in the forward pass.

        Returns
        -------
        ndarray, shape (n_in,)
            $\partial C/\partial w_{jk}$ for each incoming edge.

        Notes
        -----
        Nielsen, ch. 2, BP1–BP4, for any DAG.
        """
        # (BP1, BP2) δ_j = f'(z_j)·(∂C/∂a_j + Σ_k w_kj δ_k); the cost gave f'(z_j)·∂C/∂a_j
        self.delta = output_error + float(self.activation_prime(self.z)) * float(w_out @ delta_out)
        self.bias_grad = self.delta  # (BP3) ∂C/∂b_j = δ_j
        return a_in * self.delta  # (BP4) ∂C/∂w_jk = a_k δ_j

    def chain(self, grad_a: Any, z: Any, a: Any) -> Array:
        r"""$\partial C/\partial z = f'(z) \odot \partial C/\partial a$, for arrays.

        The backward rule over arrays, for the fast engine and for BP1; a softmax layer
        multiplies by its Jacobian instead.

        Parameters
        ----------
        grad_a, z, a : ndarray, shape (..., n)
            Neurons of this kind: their $\partial C/\partial a$, $z$ and $a$.

        Returns
        -------
        ndarray, shape (..., n)
        """
        return np.asarray(self.activation_prime(z), dtype=float) * grad_a

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


def no_derivative(neuron: Neuron) -> str:
    """The message for a neuron backpropagation cannot pass through, with the fix."""
    return (
        f"{type(neuron).__name__} {neuron.name!r} has no useful derivative, so backpropagation "
        "cannot pass through it; use net.sigmoidized() to replace perceptrons by sigmoid neurons"
    )


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
