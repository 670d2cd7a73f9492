r"""The three cost functions of the book: value, gradient ∇_a C, and the output error δ^L (BP1).

Every function here works on one example (1-D arrays) or a batch (one row per example), so the
graph engine, the fast engine and the debugger share one definition of each equation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from neurograph.errors import ShapeError, UsageError
from neurograph.graph.cost_names import COST_NAMES
from neurograph.graph.neurons import Neuron, SigmoidNeuron, SoftmaxUnit
from neurograph.graph.types import Array

__all__ = ["CrossEntropyCost", "Cost", "LogLikelihoodCost", "QuadraticCost", "get_cost"]


class Cost(ABC):
    r"""A cost function ``C(a, y)`` of the output activations `a` and the desired output `y`.

    Subclasses define [`fn`][] and [`grad_a`][]; [`delta`][] gives the output error
    ``δ^L = ∇_a C ⊙ σ'(z^L)`` (BP1), with the softmax Jacobian for softmax units, and a
    subclass may override it with a simplified form where the book gives one.
    """

    name = "Cost"

    @abstractmethod
    def fn(self, a: Any, y: Any) -> Array:
        """The cost of each example: sums over the last axis (shape ``a.shape[:-1]``)."""

    @abstractmethod
    def grad_a(self, a: Any, y: Any) -> Array:
        r"""The gradient $\nabla_a C$, same shape as `a`."""

    def general_delta(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        r"""The general output error $\delta^L = \nabla_a C \odot f'(z^L)$ (BP1).

        Parameters
        ----------
        kind : Neuron
            One of the output neurons, standing for their kind, which says how ``∂C/∂a``
            becomes ``∂C/∂z`` ([`Neuron.chain`][neurograph.Neuron.chain]): ``f'(z)`` for most,
            the Jacobian of softmax for the units of a softmax layer (the last axis holds one
            whole layer).
        z, a, y : array_like, shape (..., n)
            Weighted inputs, activations and desired outputs of those neurons.

        Returns
        -------
        delta : ndarray, shape (..., n)

        Notes
        -----
        Nielsen, ch. 2, eq. (BP1). Where σ saturates this can be 0/0 (NaN); [`delta`][]
        uses the book's simplified forms there.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            return kind.chain(self.grad_a(a, y), z, a)

    def value(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        """The cost of each example from the output neurons' ``z`` as well as ``a``.

        Both engines compute costs here. A cost with logarithms overrides it to work from
        `z` (softplus, log-sum-exp), exact where ``a`` has rounded to 0 or 1.

        Parameters
        ----------
        kind : Neuron
            As for [`general_delta`][] (a softmax unit: the last axis is one whole layer).
        z, a, y : array_like, shape (..., n)

        Returns
        -------
        ndarray, shape (...)
        """
        return self.fn(a, y)

    def delta(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        """The output error δ^L used for training; the general BP1 form unless overridden.

        Parameters
        ----------
        kind : Neuron
            As for [`general_delta`][].
        z, a, y : array_like, shape (..., n)

        Returns
        -------
        delta : ndarray, shape (..., n)
        """
        return self.general_delta(kind, z, a, y)

    def check_targets(self, y: Any) -> None:
        """Refuse targets this cost cannot compare with: NaN or inf, or outside [0, 1].

        Parameters
        ----------
        y : ndarray
            Desired outputs, any shape.

        Raises
        ------
        ShapeError
            Cross-entropy and log-likelihood targets are probabilities, so they must lie in
            [0, 1]; the quadratic cost takes any finite number.
        """
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)):
            msg = f"the targets contain NaN or inf: {y.tolist() if y.size <= 10 else '…'}"
            raise ShapeError(msg)
        outside = y[(y < 0) | (y > 1)]
        if self.name != "QuadraticCost" and outside.size:
            msg = f"{self.name} expects targets in [0, 1], got {outside[0]:g}"
            raise ShapeError(msg)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


class QuadraticCost(Cost):
    r"""The quadratic cost $C = \tfrac12 \|y - a\|^2$ (Nielsen, ch. 1, eq. (6)).

    Examples
    --------
    >>> QuadraticCost().fn([0.5, 1.0], [1.0, 1.0]).item()
    0.125
    """

    name = "QuadraticCost"

    def fn(self, a: Any, y: Any) -> Array:
        """``½ Σ (a − y)²`` over the last axis."""
        d = np.asarray(a, dtype=float) - np.asarray(y, dtype=float)
        return 0.5 * np.sum(d * d, axis=-1)

    def grad_a(self, a: Any, y: Any) -> Array:
        """``∇_a C = a − y``."""
        return np.asarray(a, dtype=float) - np.asarray(y, dtype=float)


class CrossEntropyCost(Cost):
    r"""The cross-entropy $C = -\sum_j [y_j \ln a_j + (1 - y_j) \ln(1 - a_j)]$.

    Nielsen, ch. 3, eq. (63). With sigmoid output neurons the output error simplifies to
    ``δ^L = a − y`` (eq. (66)), which stays exact when σ saturates, where the general form
    ``∇_a C ⊙ σ'(z)`` is 0/0.

    Examples
    --------
    >>> round(CrossEntropyCost().fn([0.5], [1.0]).item(), 6)
    0.693147
    """

    name = "CrossEntropyCost"

    def fn(self, a: Any, y: Any) -> Array:
        """The cross-entropy summed over the last axis (``0 ln 0`` taken as 0)."""
        a = np.asarray(a, dtype=float)
        y = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(y > 0, y * np.log(a), 0.0) + np.where(
                y < 1, (1 - y) * np.log1p(-a), 0.0
            )
        return -np.sum(terms, axis=-1)

    def grad_a(self, a: Any, y: Any) -> Array:
        r"""$\nabla_a C = (a - y) / (a (1 - a))$."""
        a = np.asarray(a, dtype=float)
        return (a - np.asarray(y, dtype=float)) / (a * (1 - a))

    def value(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        """The cross-entropy from `z`: ``ln a = −softplus(−z)``, ``ln(1 − a) = −softplus(z)``
        for sigmoids; log-softmax and the log of the other units' share for a softmax layer."""
        y = np.asarray(y, dtype=float)
        if isinstance(kind, SigmoidNeuron):
            z = np.asarray(z, dtype=float)
            return np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z), axis=-1)
        if not isinstance(kind, SoftmaxUnit):
            return self.fn(a, y)
        log_a, log_rest = _log_softmax(z)
        with np.errstate(invalid="ignore"):
            terms = np.where(y > 0, y * log_a, 0.0) + np.where(y < 1, (1 - y) * log_rest, 0.0)
        return -np.sum(terms, axis=-1)

    def delta(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        r"""``a − y`` for sigmoid outputs (eq. (66)); for a softmax layer, BP1 written to stay
        finite when one unit takes all; the general form for any other kind.

        With the odds $q_i = a_i / (1 - a_i)$, the softmax Jacobian gives
        $\delta_j = -y_j + a_j \sum_i y_i + (1 - y_j) a_j - a_j \sum_{i \ne j} (1 - y_i) q_i$.
        Every product $a_j q_i$ ($i \ne j$) is at most 1; the one with the largest unit's
        odds, which overflow when it takes all, is taken from logs:
        $e^{\ln a_j + \ln a_i - \ln(1 - a_i)}$.
        """
        a = np.asarray(a, dtype=float)
        y = np.asarray(y, dtype=float)
        if isinstance(kind, SigmoidNeuron):
            return a - y
        if not isinstance(kind, SoftmaxUnit):
            return self.general_delta(kind, z, a, y)
        log_a, log_rest = _log_softmax(z)
        a = np.exp(log_a)
        top = np.arange(a.shape[-1]) == np.argmax(log_a, axis=-1)[..., None]
        with np.errstate(over="ignore", invalid="ignore"):
            q = np.where(top, 0.0, np.exp(log_a - log_rest))  # odds of the other units, ≤ 1
            log_q_top = np.sum(np.where(top, log_a - log_rest, 0.0), axis=-1, keepdims=True)
            y_top = np.sum(np.where(top, y, 0.0), axis=-1, keepdims=True)
            rest_sum = np.sum((1 - y) * q, axis=-1, keepdims=True)  # Σ_{i≠top} (1 − y_i) q_i
            # Σ_{i≠j} (1 − y_i) a_j q_i: for the top unit a_top·rest_sum; for the others the
            # top's term from logs (when 1 − a_top = 0 exactly, 1 − y_top must be 0 too)
            from_top = np.where(y_top < 1, (1 - y_top) * np.exp(log_a + log_q_top), 0.0)
            others = np.where(top, a * rest_sum, from_top + a * (rest_sum - (1 - y) * q))
        return -y + a * np.sum(y, axis=-1, keepdims=True) + (1 - y) * a - others


class LogLikelihoodCost(Cost):
    r"""The log-likelihood $C = -\ln a_y$ for softmax outputs (Nielsen, ch. 3, eq. (80)).

    For a target vector `y` (one-hot, or any probability vector) it is
    $-\sum_j y_j \ln a_j$. It is defined only when the outputs are all the units of one
    [`SoftmaxLayer`][neurograph.SoftmaxLayer], where the output error simplifies to ``δ^L = a − y``
    (eq. (84)); the network refuses it for other outputs.

    Examples
    --------
    >>> round(LogLikelihoodCost().fn([0.25, 0.75], [0.0, 1.0]).item(), 6)
    0.287682
    """

    name = "LogLikelihoodCost"

    def fn(self, a: Any, y: Any) -> Array:
        """``−Σ y_j ln a_j`` over the last axis (``0 ln 0`` taken as 0)."""
        a = np.asarray(a, dtype=float)
        y = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.sum(np.where(y > 0, y * np.log(a), 0.0), axis=-1)

    def value(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        """``−Σ y_j ln a_j`` with ``ln a`` the log-softmax of `z` for a softmax layer."""
        if not isinstance(kind, SoftmaxUnit):
            return self.fn(a, y)
        y = np.asarray(y, dtype=float)
        return -np.sum(np.where(y > 0, y * _log_softmax(z)[0], 0.0), axis=-1)

    def grad_a(self, a: Any, y: Any) -> Array:
        r"""$\nabla_a C = -y / a$."""
        return -np.asarray(y, dtype=float) / np.asarray(a, dtype=float)

    def delta(self, kind: Neuron, z: Any, a: Any, y: Any) -> Array:
        """``a − y`` for a softmax layer (eq. (84)) when `y` sums to 1; else the general form."""
        a = np.asarray(a, dtype=float)
        y = np.asarray(y, dtype=float)
        if isinstance(kind, SoftmaxUnit):
            # softmax_vjp(a, -y/a) = -y + a Σ y: equal to a - y exactly when Σ_j y_j = 1.
            return a * np.sum(y, axis=-1, keepdims=True) - y
        return self.general_delta(kind, z, a, y)


def _log_softmax(z: Any) -> tuple[Array, Array]:
    """``ln a`` and ``ln(1 − a)`` of a softmax layer (last axis), exact when one unit takes all.

    ``ln a = z − logsumexp(z)``; ``1 − a_i`` is the other units' share, so for the largest unit
    ``ln(1 − a) = logsumexp(z without it) − logsumexp(z)`` (each log-sum-exp shifted by its own
    maximum, so that neither underflows however far apart the z are), and ``log1p(−a)`` for
    the others (each at most ½).
    """
    z = np.asarray(z, dtype=float)
    top = z.max(axis=-1, keepdims=True)
    lse = top + np.log(np.sum(np.exp(z - top), axis=-1, keepdims=True))
    log_a = z - lse
    is_top = np.arange(z.shape[-1]) == np.argmax(z, axis=-1)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        others = np.where(is_top, -np.inf, z)
        second = others.max(axis=-1, keepdims=True)  # -inf for a layer of one unit
        shifted = np.where(np.isfinite(second), others - second, -np.inf)
        rest = second + np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True)) - lse
        log_rest = np.where(is_top, rest, np.log1p(-np.exp(log_a)))
    return log_a, log_rest


COSTS: dict[str, type[Cost]] = dict(
    zip(COST_NAMES, (QuadraticCost, CrossEntropyCost, LogLikelihoodCost), strict=True)
)


def get_cost(cost: Cost | str | None) -> Cost:
    """Return a cost instance from an instance or a name: the one rule for a cost argument.

    ``Network.backward``, ``gradient_check``, ``Debugger``, ``record``, ``sgd``, ``compare``
    and ``torch_loss`` all read their ``cost`` argument here.

    Parameters
    ----------
    cost : Cost, str or None
        An instance (``CrossEntropyCost()``), or a name: ``"quadratic"``, ``"cross-entropy"``,
        ``"log-likelihood"`` or the class name (``"CrossEntropyCost"``, as network2.py writes
        it). None means the quadratic cost of chapter 1.

    Returns
    -------
    Cost

    Raises
    ------
    UsageError
        For an unknown name, listing the known ones; for a class rather than an instance
        ("did you mean CrossEntropyCost()?").

    Examples
    --------
    >>> get_cost("CrossEntropyCost")
    CrossEntropyCost()
    >>> get_cost(CrossEntropyCost)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.UsageError: ... did you mean CrossEntropyCost()?
    """
    if cost is None:
        return QuadraticCost()
    if isinstance(cost, Cost):
        return cost
    if isinstance(cost, type):
        msg = (
            f"cost must be a Cost instance or a name, got the class {cost.__name__}; "
            f"did you mean {cost.__name__}()?"
        )
        raise UsageError(msg)
    by_name = {**COSTS, **{c.name: c for c in COSTS.values()}}
    if isinstance(cost, str) and cost in by_name:
        return by_name[cost]()
    msg = (
        f"unknown cost {cost!r:.60}; expected a Cost instance such as CrossEntropyCost() "
        f"or one of the names {', '.join(sorted(by_name))}"
    )
    raise UsageError(msg)
