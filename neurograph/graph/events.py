"""The events the passes yield, one per neuron, each printing itself as the book's equation."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from neurograph.graph.neurons import Neuron, SigmoidNeuron, SoftmaxUnit
from neurograph.graph.outputs import class_verdict, display_name
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.graph.costs import Cost

__all__ = ["BackwardEvent", "CostEvent", "ForwardEvent", "UpdateEvent", "labelled", "terms"]

MAX_TERMS = 4
MAX_OUTPUTS = 10  # all ten digits of MNIST


def _num(v: float) -> str:
    v = float(v) + 0.0  # turns -0.0 into 0.0
    return f"{v:.4g}" if v >= 0 else f"({v:.4g})"


def _val(v: float) -> str:
    """A result: four significant digits, negative numbers without parentheses."""
    return f"{float(v) + 0.0:.4g}"


def _largest(values: Array, limit: int) -> list[int]:
    """Indices of the `limit` entries of largest magnitude, in their original order."""
    if values.size <= limit:
        return list(range(values.size))
    return sorted(np.argsort(-np.abs(values), kind="stable")[:limit].tolist())


def terms(w: Any, a: Any, limit: int = MAX_TERMS) -> str:
    """Write ``Σ w·a`` as its terms ``w × a + …``, keeping the largest past `limit` terms.

    Parameters
    ----------
    w, a : array_like, shape (n,)
    limit : int
        How many terms to write out. With more terms, the `limit` largest ``|w·a|`` are
        written (in edge order) and the rest become ``… (N more, sum S)``.

    Returns
    -------
    str

    Examples
    --------
    >>> terms([2.0, -1.0], [0.5, 1.0])
    '2 × 0.5 + (-1) × 1'
    >>> terms([1.0, 1.0, 3.0, 1.0], [0.0, 0.1, 1.0, 0.0], limit=2)
    '1 × 0.1 + 3 × 1 + … (2 more, sum 0)'
    """
    w, a = np.asarray(w, dtype=float), np.asarray(a, dtype=float)
    if w.size == 0:
        return "0"
    products = w * a
    shown = _largest(products, limit)
    text = " + ".join(f"{_num(w[i])} × {_num(a[i])}" for i in shown)
    if w.size <= limit:
        return text
    rest = math.fsum(np.delete(products, shown).tolist())  # exact: the same in every engine
    return f"{text} + … ({w.size - limit} more, sum {_val(rest)})"


def labelled(names: list[str], values: Any, limit: int = MAX_TERMS) -> str:
    """Write ``[name: value, …]``, keeping the `limit` values of largest magnitude.

    Examples
    --------
    >>> labelled(["x1", "x2", "x3"], [0.5, -2.0, 0.1], limit=2)
    '[x1: 0.5, x2: -2, … (1 more)]'
    """
    values = np.asarray(values, dtype=float)
    shown = _largest(values, limit)
    text = ", ".join(f"{names[i]}: {_val(values[i])}" for i in shown)
    more = f", … ({values.size - limit} more)" if values.size > limit else ""
    return f"[{text}{more}]"


class _Equation(ABC):
    """What every event shares: its equations as lines (drawn in Jupyter by `debug.notebook`)."""

    phase: ClassVar[str] = ""

    @abstractmethod
    def lines(self) -> list[str]:
        """The book's equations of this step with the numbers, one per line."""

    def __str__(self) -> str:
        return ";  ".join(self.lines())


@dataclass
class ForwardEvent(_Equation):
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

    def lines(self) -> list[str]:
        """``z = Σ w·a + b`` with its terms (eq. 4), then ``a = σ(z)`` (eq. 3) or its kin."""
        name = self.neuron.name
        z = f"z[{name}] = Σ w·a + b = {terms(self.w, self.a_in)} + {_num(self.bias)} = "
        z += _val(self.z)
        if isinstance(self.neuron, SoftmaxUnit):  # normalized over the layer, not f(z) alone
            a = f"a[{name}] = e^z / Σ e^z = {_val(self.a)}"
        else:
            a = f"a[{name}] = {self.neuron.symbol}(z) = {_val(self.a)}"
        return [z, a]


@dataclass
class CostEvent(_Equation):
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

    def formula(self) -> str:
        """The cost's formula (Nielsen eq. 6, 63 or 80)."""
        return {
            "QuadraticCost": "½ Σ (a − y)²",
            "CrossEntropyCost": "−Σ [y ln a + (1 − y) ln(1 − a)]",
            "LogLikelihoodCost": "−ln a_y",
        }.get(self.cost.name, f"{self.cost.name}(a, y)")

    def rule(self) -> str:
        """The form of BP1 the cost uses for these outputs."""
        kinds = {type(n) for n in self.outputs}
        simplified = {"CrossEntropyCost": SigmoidNeuron, "LogLikelihoodCost": SoftmaxUnit}
        if kinds == {simplified.get(self.cost.name)}:
            return "a − y"
        if kinds == {SoftmaxUnit}:
            return "(softmax Jacobian) · ∇_a C"
        symbol = self.outputs[0].symbol if len(kinds) == 1 else "f"
        if self.cost.name == "QuadraticCost":
            return f"(a − y) ⊙ {symbol}'(z^L)"
        return f"∇_a C ⊙ {symbol}'(z^L)"

    def lines(self) -> list[str]:
        """The cost with its value, the outputs against the targets, and δ^L (BP1)."""
        names = [display_name(n) for n in self.outputs]
        c = f"C = {self.formula()} = {_val(self.value)}"
        if self.cost.name == "LogLikelihoodCost" and np.count_nonzero(self.y) == 1:
            j = int(np.flatnonzero(self.y)[0])
            c = f"C = −ln a_y = −ln a[{names[j]}] = −ln {_val(self.a[j])} = {_val(self.value)}"
        a_vs_y = ", ".join(
            f"{names[j]}: {_val(self.a[j])} vs {_val(self.y[j])}"
            for j in range(min(len(names), MAX_OUTPUTS))
        )
        more = f", … ({len(names) - MAX_OUTPUTS} more)" if len(names) > MAX_OUTPUTS else ""
        deltas = labelled(names, self.delta, limit=MAX_OUTPUTS)
        lines = [c, f"a vs y = [{a_vs_y}{more}]", f"(BP1) δ^L = {self.rule()} = {deltas}"]
        one_hot = np.count_nonzero(self.y) == 1 and float(np.max(self.y)) == 1.0
        net = self.outputs[0].network
        verdict = "" if net is None else class_verdict(net, self.y if one_hot else None, self.a)
        return [*lines, verdict] if verdict else lines


@dataclass
class BackwardEvent(_Equation):
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
        ``f'(z)`` (σ'(z) for a sigmoid neuron); None for a softmax unit, which uses the
        softmax Jacobian.
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

    def lines(self) -> list[str]:
        """δ (BP1 and/or BP2), then ``∂C/∂b`` (BP3) and ``∂C/∂w`` (BP4)."""
        name = self.neuron.name
        back = terms(self.w_out, self.delta_out)
        bp1 = "δ^L (BP1, from the cost)"
        if self.sigma_prime is None and not self.targets:
            value = f"δ[{name}] = {bp1} = {_val(self.delta)}"
        elif self.sigma_prime is None:
            value = (
                f"δ[{name}] = a·(g − Σ a·g), g = ∂C/∂a + Σ w·δ = ∂C/∂a + {back} "
                f"= {_val(self.delta)}  (softmax Jacobian)"
            )
        elif not self.targets:
            value = f"δ[{name}] = {bp1} = {_val(self.delta)}"
        elif self.output_error == 0:
            prime, f = _val(self.sigma_prime), self.neuron.symbol
            value = f"δ[{name}] = {f}'(z) · Σ w·δ = {prime} × ({back}) = {_val(self.delta)}"
        else:
            f = self.neuron.symbol
            value = (
                f"δ[{name}] = (BP1) + {f}'(z) · Σ w·δ = {_val(self.output_error)} + "
                f"{_val(self.sigma_prime)} × ({back}) = {_val(self.delta)}"
            )
        names = [str(k.name) for k in self.sources]
        grads = labelled(names, self.grads)
        if self.grads.size == 1:
            grads = f"a·δ = {_num(self.a_in[0])} × {_num(self.delta)} = {grads}"
        else:
            grads = f"a·δ = {grads}"
        return [value, f"(BP3) ∂C/∂b = δ = {_val(self.delta)}", f"(BP4) ∂C/∂w = {grads}"]


@dataclass
class UpdateEvent(_Equation):
    """One neuron's gradient-descent step: ``b ← b − η ∂C/∂b`` and ``w ← w − η ∂C/∂w``.

    Attributes
    ----------
    neuron : Neuron
    eta : float
        The learning rate η.
    bias, bias_grad, new_bias : float
        ``b`` before, ``∂C/∂b`` and ``b`` after.
    sources : list of Neuron
    w, grads, new_w : ndarray, shape (n_in,)
        The incoming weights before, their gradients, and the weights after.

    Notes
    -----
    Nielsen, ch. 1, eqs. (20) and (21), for a mini-batch of one example.
    """

    phase: ClassVar[str] = "update"
    neuron: Neuron
    eta: float
    bias: float
    bias_grad: float
    new_bias: float
    sources: list[Neuron]
    w: Array
    grads: Array
    new_w: Array

    def lines(self) -> list[str]:
        """The bias update, then the weight updates (the largest changes for a big fan-in)."""
        name = self.neuron.name
        eta = _val(self.eta)
        b = (
            f"b[{name}] ← b − η ∂C/∂b = {_val(self.bias)} − {eta} × {_num(self.bias_grad)} = "
            f"{_val(self.new_bias)}"
        )
        shown = _largest(self.grads, MAX_TERMS)
        changes = ", ".join(
            f"{self.sources[i].name}: {_val(self.w[i])} → {_val(self.new_w[i])}" for i in shown
        )
        if self.grads.size > MAX_TERMS:
            changes += f", … ({self.grads.size - MAX_TERMS} more)"
        return [b, f"w[{name} ← k] ← w − η ∂C/∂w = [{changes}]"]
