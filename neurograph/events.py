"""The events the passes yield, one per neuron, each printing itself as the book's equation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ._types import Array

if TYPE_CHECKING:
    from .costs import Cost
    from .neurons import Neuron

__all__ = ["BackwardEvent", "CostEvent", "ForwardEvent", "terms"]

MAX_TERMS = 4


def _num(v: float) -> str:
    v = float(v) + 0.0  # turns -0.0 into 0.0
    return f"{v:.4g}" if v >= 0 else f"({v:.4g})"


def terms(w: Any, a: Any, limit: int = MAX_TERMS) -> str:
    """Write ``Σ w·a`` as its terms ``w × a + …``, summarising past `limit` terms.

    Parameters
    ----------
    w, a : array_like, shape (n,)
    limit : int
        How many terms to write out; the rest become ``… (N more)``.

    Returns
    -------
    str

    Examples
    --------
    >>> terms([2.0, -1.0], [0.5, 1.0])
    '2 × 0.5 + (-1) × 1'
    >>> terms([1.0] * 6, [0.0] * 6, limit=2)
    '1 × 0 + 1 × 0 + … (4 more)'
    """
    w, a = np.asarray(w, dtype=float), np.asarray(a, dtype=float)
    if w.size == 0:
        return "0"
    shown = " + ".join(f"{_num(wi)} × {_num(ai)}" for wi, ai in zip(w[:limit], a[:limit]))
    return shown if w.size <= limit else f"{shown} + … ({w.size - limit} more)"


@dataclass
class ForwardEvent:
    """One neuron's forward step: the messages ``w_jk·a_k`` that came in, ``z`` and ``a``.

    Attributes
    ----------
    neuron : Neuron
    sources : list of Neuron
        The neurons ``k`` feeding it, in edge order.
    w, a_in : ndarray, shape (n_in,)
        Their weights ``w_jk`` and activations ``a_k``.
    bias, z, a : float
    """

    phase: ClassVar[str] = "forward"
    neuron: Neuron
    sources: list[Neuron]
    w: Array
    a_in: Array
    bias: float
    z: float
    a: float

    @property
    def messages(self) -> Array:
        """The incoming messages ``w_jk·a_k``, shape (n_in,)."""
        return np.asarray(self.w * self.a_in, dtype=float)

    def __str__(self) -> str:
        name = self.neuron.name
        z = f"z[{name}] = Σ w·a + b = {terms(self.w, self.a_in)} + {_num(self.bias)} = {self.z:.4g}"
        if self.neuron.kind == "perceptron":
            a = f"a[{name}] = step(z) = {self.a:g}"
        elif self.neuron.kind == "softmax":
            a = f"a[{name}] = e^z / Σ e^z = {self.a:.4g}"
        else:
            a = f"a[{name}] = σ(z) = {self.a:.4g}"
        return f"{z};  {a}"


@dataclass
class CostEvent:
    """The cost of the example and the output error δ^L (BP1).

    Attributes
    ----------
    cost : Cost
    value : float
        ``C(a^L, y)``.
    outputs : list of Neuron
    a, y, delta : ndarray, shape (n_outputs,)
        Output activations, desired outputs, and the output error of BP1.
    """

    phase: ClassVar[str] = "cost"
    cost: Cost
    value: float
    outputs: list[Neuron]
    a: Array
    y: Array
    delta: Array

    def __str__(self) -> str:
        deltas = ", ".join(f"{n.name}: {d:.4g}" for n, d in list(zip(self.outputs, self.delta))[:6])
        more = f", … ({len(self.outputs) - 6} more)" if len(self.outputs) > 6 else ""
        return (
            f"C = {self.cost.name}(a, y) = {self.value:.4g};  "
            f"(BP1) δ^L = ∇_a C ⊙ σ'(z^L) = [{deltas}{more}]"
        )


@dataclass
class BackwardEvent:
    """One neuron's backward step: the errors ``w_kj·δ_k`` coming back, δ and the gradients.

    Attributes
    ----------
    neuron : Neuron
    targets : list of Neuron
        The neurons ``k`` it feeds.
    w_out, delta_out : ndarray, shape (n_targets,)
        Their weights ``w_kj`` and errors ``δ_k``.
    output_error : float
        Its own BP1 term (0 unless it is an output).
    sigma_prime : float or None
        ``σ'(z)``; None for a softmax unit, which uses the softmax Jacobian.
    delta : float
        ``δ = ∂C/∂z`` (BP1/BP2), also ``∂C/∂b`` (BP3).
    sources : list of Neuron
    a_in : ndarray, shape (n_in,)
    grads : ndarray, shape (n_in,)
        ``∂C/∂w_jk = a_k δ_j`` for each incoming edge (BP4).
    """

    phase: ClassVar[str] = "backward"
    neuron: Neuron
    targets: list[Neuron]
    w_out: Array
    delta_out: Array
    output_error: float
    sigma_prime: float | None
    delta: float
    sources: list[Neuron]
    a_in: Array
    grads: Array

    @property
    def bias_grad(self) -> float:
        """``∂C/∂b = δ`` (BP3)."""
        return self.delta

    def __str__(self) -> str:
        name = self.neuron.name
        back = terms(self.w_out, self.delta_out)
        if self.sigma_prime is None:
            rule = f"δ[{name}] = a·(g − Σ a·g), g = ∂C/∂a + Σ w·δ"
            value = f"{rule} = {self.delta:.4g}"
        elif not self.targets:
            value = f"δ[{name}] = (BP1) {self.delta:.4g}"
        elif self.output_error == 0:
            prime = f"{self.sigma_prime:.4g}"
            value = f"δ[{name}] = σ'(z) · Σ w·δ = {prime} × ({back}) = {self.delta:.4g}"
        else:
            value = (
                f"δ[{name}] = (BP1) {self.output_error:.4g} + σ'(z) · Σ w·δ = "
                f"{self.output_error:.4g} + {self.sigma_prime:.4g} × ({back}) = {self.delta:.4g}"
            )
        grads = ", ".join(f"{_num(g)}" for g in self.grads[:MAX_TERMS])
        if self.grads.size > MAX_TERMS:
            grads += f", … ({self.grads.size - MAX_TERMS} more)"
        return f"{value};  ∂C/∂b = δ;  ∂C/∂w = a·δ = [{grads}]"
