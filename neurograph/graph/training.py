r"""Training the neuron objects themselves: one gradient step, and mini-batch SGD on the graph.

The same algorithm as the fast engine's `sgd`, written for reading: for each mini-batch of
``m`` examples a forward and a backward pass per example (BP1–BP4), the gradients averaged,
then (Nielsen, ch. 1, eqs. (20)–(21); ch. 3, eq. (93))
``w ← (1 − ηλ/n) w − (η/m) Σ_x ∂C_x/∂w`` and ``b ← b − (η/m) Σ_x ∂C_x/∂b``, with the
examples reshuffled every epoch from the same generator. `Network.update` and
`Network.sgd` delegate here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from neurograph.errors import GraphError, ShapeError, UsageError
from neurograph.graph import passes
from neurograph.graph.costs import get_cost
from neurograph.graph.types import is_real, is_whole, random_generator

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["Training", "check_sgd_options", "sgd", "update"]


class Training:
    """What `Network` gains to train its own objects: ``net.update`` and ``net.sgd``.

    The methods delegate to [`update`][neurograph.graph.training.update] and
    [`sgd`][neurograph.graph.training.sgd] of this module, where the algorithm is.
    """

    def update(self, eta: float, *, lmbda: float = 0.0, n: int = 1) -> None:
        """After a backward pass, eqs. (20) and (21) on the objects (λ: eq. (93)).

        See [`neurograph.graph.training.update`][], which this calls.
        """
        update(cast("Network", self), eta, lmbda=lmbda, n=n)

    def sgd(
        self,
        training_data: tuple[Any, Any],
        epochs: int,
        mini_batch_size: int,
        eta: float,
        *,
        cost: Any = None,
        lmbda: float = 0.0,
        seed: int | np.random.Generator | None = None,
        callback: Callable[[int, Network], Any] | None = None,
    ) -> None:
        """Mini-batch SGD on the objects, the same numbers as ``net.compile().sgd(...)``.

        See [`neurograph.graph.training.sgd`][], which this calls.
        """
        net = cast("Network", self)
        sgd(net, training_data, epochs, mini_batch_size, eta, cost=cost, lmbda=lmbda, seed=seed,
            callback=callback)  # fmt: skip


def update(net: Network, eta: float, *, lmbda: float = 0.0, n: int = 1) -> None:
    r"""Take one gradient-descent step with the gradients the last backward pass left.

    Parameters
    ----------
    net : Network
        After ``net.backward(...)``: its edges hold ``"grad"`` and its neurons ``.bias_grad``.
    eta : float
        The learning rate η.
    lmbda : float
        The L2 strength λ: each weight first decays by ``1 − ηλ/n`` (biases do not).
    n : int
        The size of the training set, for λ.

    Raises
    ------
    GraphError
        If no backward pass has run since the network last changed.
    UsageError
        For η or λ that is not a finite number >= 0, or `n` < 1.

    Notes
    -----
    Nielsen, ch. 1, eqs. (20) and (21), ``w ← w − η ∂C/∂w`` and ``b ← b − η ∂C/∂b``; with
    λ, ch. 3, eq. (93), ``w ← (1 − ηλ/n) w − η ∂C/∂w``.

    Examples
    --------
    >>> import neurograph as ng
    >>> net = ng.layered([1, 1], seed=0)
    >>> _ = net.forward([1.0]); _ = net.backward([0.0])
    >>> w, grad = net.weight("L1.1", "L2.1"), net.gradients()[("L1.1", "L2.1")]
    >>> net.update(eta=0.5)
    >>> net.weight("L1.1", "L2.1") == w - 0.5 * grad
    True
    """
    _check_rates(eta, lmbda)
    if not is_whole(n, 1):
        msg = f"n (the size of the training set) must be a whole number >= 1, got {n!r}"
        raise UsageError(msg)
    if net.computed != "backward":
        msg = "no gradients yet: run net.forward(x) and net.backward(y, cost) before net.update"
        raise GraphError(msg)
    if lmbda:
        decay = 1.0 - eta * lmbda / n  # (93) the weights shrink first
        for _, _, data in net.graph.edges(data=True):
            data["weight"] *= decay
    for _ in passes.update_events(net, eta):  # (20) w ← w − η ∂C/∂w, (21) b ← b − η ∂C/∂b
        pass


def sgd(
    net: Network,
    training_data: tuple[Any, Any],
    epochs: int,
    mini_batch_size: int,
    eta: float,
    *,
    cost: Any = None,
    lmbda: float = 0.0,
    seed: int | np.random.Generator | None = None,
    callback: Callable[[int, Network], Any] | None = None,
) -> None:
    r"""Train the neuron objects by mini-batch SGD, one example's passes at a time.

    Gives the parameters that ``net.compile().sgd(...)`` gives with the same arguments (the
    same shuffles from `seed`), to rounding: the fast engine is the same algorithm on arrays.

    Parameters
    ----------
    net : Network
        Trained in place.
    training_data : (X, y)
        ``X`` of shape ``(n, n_inputs)``; ``y`` class labels ``(n,)`` or targets.
    epochs, mini_batch_size : int
        The last mini-batch of an epoch is smaller when ``m`` does not divide ``n``.
    eta : float
        The learning rate η.
    cost : Cost or str, default QuadraticCost()
    lmbda : float
        The L2 strength λ (the decay per step is ``1 − ηλ/n``).
    seed : int or numpy.random.Generator, optional
        For the shuffles.
    callback : callable, optional
        ``callback(epoch, net)`` after each epoch, ``epoch`` counted from 1 (the epochs
        completed); a true result stops training.

    Raises
    ------
    ShapeError, UsageError
        For empty or mismatched data, or a bad option.

    Examples
    --------
    >>> import neurograph as ng
    >>> XOR = ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    >>> net = ng.layered([2, 4, 2], seed=0)
    >>> net.sgd(XOR, 3, 2, 1.0, seed=0)
    >>> fast = ng.layered([2, 4, 2], seed=0).compile()
    >>> _ = fast.sgd(XOR, 3, 2, 1.0, seed=0)
    >>> bool(abs(net.weight("L1.1", "L2.1") - fast.w[2][0, 0]) < 1e-12)
    True
    """
    X = np.asarray(training_data[0], dtype=np.float64)
    y = np.asarray(training_data[1])
    if X.ndim != 2 or len(y) != len(X):
        msg = "training_data must be (X, y) with X of shape (n, n_inputs) and n labels or "
        msg += f"targets; got X.shape={X.shape}, len(y)={len(y)}"
        raise ShapeError(msg)
    n = len(X)
    check_sgd_options(n, epochs, mini_batch_size, eta, lmbda)
    cost = get_cost(cost)  # None: the quadratic cost
    rng = random_generator(seed)
    for epoch in range(1, epochs + 1):
        perm = rng.permutation(n)  # the fast engine's shuffle, draw for draw
        for k in range(0, n, mini_batch_size):
            batch = perm[k : k + mini_batch_size]
            _average_gradients(net, X[batch], y[batch], cost)
            update(net, eta, lmbda=lmbda, n=n)
        if callback is not None and callback(epoch, net):
            break


def _average_gradients(net: Network, X: np.ndarray, y: np.ndarray, cost: Any) -> None:
    r"""Leave on the objects the mean of the gradients ∂C_x/∂w, ∂C_x/∂b over a mini-batch."""
    edges = list(net.graph.edges)
    nabla_w = dict.fromkeys(edges, 0.0)
    nabla_b = dict.fromkeys(net.neurons, 0.0)
    for x, target in zip(X, y):
        net.forward(x)
        net.backward(target, cost)  # BP1–BP4 for this one example
        for src, dst in edges:
            nabla_w[src, dst] += net.graph.edges[src, dst]["grad"]
        for neuron in nabla_b:
            assert neuron.bias_grad is not None  # set by the backward pass just run
            nabla_b[neuron] += neuron.bias_grad
    m = len(X)
    for (src, dst), total in nabla_w.items():
        net.graph.edges[src, dst]["grad"] = total / m
    for neuron, total in nabla_b.items():
        neuron.bias_grad = total / m


def check_sgd_options(
    n: int, epochs: int, m: int, eta: float, lmbda: float, momentum: float = 0.0
) -> None:
    """Refuse empty data and options SGD cannot use (shared by both engines' `sgd`).

    Raises
    ------
    ShapeError
        For no training examples.
    UsageError
        Naming the option and the value given.
    """
    if n == 0:
        msg = "the training data is empty"
        raise ShapeError(msg)
    if not is_whole(m, 1) or m > n:
        msg = f"mini_batch_size must be an integer from 1 to the {n} training examples, got {m!r}"
        raise UsageError(msg)
    if not is_whole(epochs, 0):
        msg = f"epochs must be a whole number >= 0, got {epochs!r}"
        raise UsageError(msg)
    _check_rates(eta, lmbda)
    if not is_real(momentum) or not 0 <= momentum < 1:
        msg = f"momentum must be a finite number >= 0 and < 1, got {momentum!r}"
        raise UsageError(msg)


def _check_rates(eta: Any, lmbda: Any) -> None:
    for name, value in (("eta", eta), ("lmbda", lmbda)):
        if not is_real(value) or value < 0:
            msg = f"{name} must be a finite number >= 0, got {value!r}"
            raise UsageError(msg)
