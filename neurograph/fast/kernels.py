r"""Training kernels: one mini-batch's forward and backward pass, its gradients left in buffers.

A kernel's ``step(idx, scale)`` takes the examples ``idx`` of the training set, runs BP1–BP4 on
them as one batch and leaves $\text{scale} \cdot \sum_x \nabla C_x$ in ``gw`` and ``gb``
(one array per layer, shaped like ``w[l]`` and ``b[l]``); [`neurograph.train`][] applies them.

[`LayeredKernel`][] is the fast path for fully connected layered networks. At the book's
mini-batch of 10 the arithmetic of ``[784, 30, 10]`` takes a few microseconds, so its time goes
to the overhead of each NumPy call: it makes about 25 calls per step, all into preallocated
buffers (``out=``), on contiguous arrays, with no fancy indexing and no masks.
[`GeneralKernel`][] runs the general passes of [`neurograph.batched`][] on any DAG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.fast import batched
from neurograph.graph.costs import Cost, CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from neurograph.graph.neurons import SigmoidNeuron, SoftmaxUnit, sigmoid_into
from neurograph.graph.types import Array

if TYPE_CHECKING:
    from neurograph.fast.network import FastNetwork

__all__ = ["GeneralKernel", "LayeredKernel", "flat_parameters", "make_kernel", "views"]


def views(fast: FastNetwork, flat: Array) -> list[Array]:
    """`flat` cut into arrays shaped like ``w[2] … w[L]``, then ``b[2] … b[L]`` (no copies).

    Parameters
    ----------
    fast : FastNetwork
    flat : ndarray, shape (n_parameters,)

    Returns
    -------
    list of ndarray
    """
    parts, start = [], 0
    for array in [*fast.w.values(), *fast.b.values()]:
        parts.append(flat[start : start + array.size].reshape(array.shape))
        start += array.size
    return parts


def flat_parameters(fast: FastNetwork) -> tuple[Array, int]:
    """Every weight and bias in one flat array, of which ``fast.w[l]`` and ``fast.b[l]`` are views.

    One array lets an SGD step update every parameter with one NumPy call (and decay every
    weight with one more), which matters when each step takes a few dozen microseconds.

    Parameters
    ----------
    fast : FastNetwork
        Its ``w`` and ``b`` are made views of the flat array, keeping their values (again
        if one of them was replaced by another array since).

    Returns
    -------
    flat : ndarray
        ``w[2] … w[L]`` then ``b[2] … b[L]``, each in C order.
    n_weights : int
        How many of its entries are weights (the rest are biases).
    """
    arrays = [*fast.w.values(), *fast.b.values()]
    flat = fast.flat
    if flat is None or any(array.base is not flat for array in arrays):
        flat = np.concatenate([a.ravel() for a in arrays] or [np.zeros(0)]).astype(fast.dtype)
        fast.flat = flat
        keys = [(fast.w, number) for number in fast.w] + [(fast.b, number) for number in fast.b]
        for (params, number), part in zip(keys, views(fast, flat)):
            params[number] = part
    return flat, sum(w.size for w in fast.w.values())


def make_kernel(fast: FastNetwork, X: Array, Y: Array, cost: Cost, labels: bool) -> Any:
    """The fastest kernel that computes exactly the graph engine's gradients for `fast`.

    Parameters
    ----------
    fast : FastNetwork
    X, Y : ndarray
        The training inputs ``(n, n_inputs)`` and targets ``(n, n_outputs)``, in the
        network's dtype.
    cost : Cost
    labels : bool
        Whether `Y` came from labels (one-hot rows, which sum to 1).

    Returns
    -------
    LayeredKernel or GeneralKernel
    """
    batched.check_backprop(fast, cost)
    flat_parameters(fast)
    if fast.layered:
        return LayeredKernel(fast, X, Y, cost, labels)
    return GeneralKernel(fast, X, Y, cost)


class GeneralKernel:
    """Any compiled network: the general batched passes, gradients scaled into buffers.

    Parameters
    ----------
    fast : FastNetwork
    X, Y : ndarray
        Training inputs and targets.
    cost : Cost
    """

    def __init__(self, fast: FastNetwork, X: Array, Y: Array, cost: Cost) -> None:
        self.fast, self.X, self.Y, self.cost = fast, X, Y, cost
        self.numbers = list(fast.layers)
        self.flat, self.n_weights = flat_parameters(fast)
        self.grad = np.zeros_like(self.flat)  # the gradients, laid out like `flat`
        parts = views(fast, self.grad)
        self.gw, self.gb = parts[: len(self.numbers)], parts[len(self.numbers) :]

    def step(self, idx: np.ndarray, scale: float) -> None:
        """Leave ``scale`` times the summed gradients of examples `idx` in ``gw``, ``gb``.

        Parameters
        ----------
        idx : ndarray of int, shape (m,)
            Rows of the training set: one mini-batch.
        scale : float
            ``η/m`` for an SGD step.
        """
        z, a, s = batched.forward(self.fast, self.X[idx])
        _, nabla_w, nabla_b = batched.backward(self.fast, z, a, s, self.Y[idx], self.cost)
        for number, gw, gb in zip(self.numbers, self.gw, self.gb):
            np.multiply(nabla_w[number], scale, out=gw)
            np.multiply(nabla_b[number], scale, out=gb)


class LayeredKernel:
    r"""A fully connected layered network: BP1–BP4 in place, into buffers made once.

    Each layer is of one kind (sigmoid, tanh, ReLU, a kind of your own; softmax as the output
    layer): sigmoid layers run the hand-written in-place σ and σ', the others their kind's
    ``activation`` and ``activation_prime``.

    Parameters
    ----------
    fast : FastNetwork
        With ``fast.layered`` true; the kernel reads ``fast.w`` and ``fast.b`` in place, so
        whatever updates them must do so in place too.
    X, Y : ndarray
        Training inputs and targets, in the network's dtype.
    cost : Cost
    labels : bool
        Whether `Y` holds one-hot rows (then softmax + log-likelihood gives ``a − y``).

    Notes
    -----
    The equations are those of [`neurograph.batched`][], evaluated into buffers:
    [`sigmoid_into`][neurograph.neurons.sigmoid_into] and $\sigma'(z) = a(1 - a)$ (Nielsen, ch. 2,
    eq. (BP2) written for a layered network: $\delta^l = ((w^{l+1})^T \delta^{l+1})
    \odot \sigma'(z^l)$). For the quadratic and cross-entropy costs with sigmoid outputs and
    the log-likelihood with softmax outputs, the output error is written out in place (the
    quadratic's ``∇_a C ⊙ σ'(z)`` and the simplified ``a − y`` of eqs. (66) and (84)); any
    other cost calls its own ``delta``. ``δ^L`` is multiplied by `scale` before it is sent
    back, which scales every gradient at the cost of one small multiplication.
    Tests check this kernel against the general passes.
    """

    def __init__(self, fast: FastNetwork, X: Array, Y: Array, cost: Cost, labels: bool) -> None:
        self.X, self.Y, self.cost = X, Y, cost
        self.flat, self.n_weights = flat_parameters(fast)
        self.grad = np.zeros_like(self.flat)  # the gradients, laid out like `flat`
        self.w, self.b = list(fast.w.values()), list(fast.b.values())
        parts = views(fast, self.grad)
        self.gw, self.gb = parts[: len(self.w)], parts[len(self.w) :]
        self.sizes = fast.sizes
        self.dtype = fast.dtype
        # one neuron of each layer l = 2 … L stands for its kind; sigmoid layers run in place
        self.kinds = [layer.groups[0][0] for layer in fast.layers.values()]
        self.kind = self.kinds[-1]  # the output neurons'
        sigmoid, exact = type(self.kind) is SigmoidNeuron, type(cost)
        if sigmoid and exact is QuadraticCost:
            self.rule = "quadratic"
        elif (sigmoid and exact is CrossEntropyCost) or (
            isinstance(self.kind, SoftmaxUnit) and exact is LogLikelihoodCost and labels
        ):
            self.rule = "a - y"
        else:
            self.rule = "cost.delta"
        self._programs: dict[int, tuple[Any, ...]] = {}

    def program(self, m: int) -> tuple[Any, ...]:
        """Buffers for `m` rows, bundled per layer in the order [`step`][] uses them.

        Parameters
        ----------
        m : int
            Rows in the mini-batch (the last one of an epoch may be smaller).

        Returns
        -------
        tuple
            ``(x, y, forward, backward, z^L, a^L, δ^L, scratch^L)``: the input and target
            buffers, one tuple of arrays per layer for each pass, and the output layer's arrays.
            Made once per size and reused for every step.
        """
        if m not in self._programs:
            a, z, d, t = ([np.zeros((m, n), dtype=self.dtype) for n in self.sizes] for _ in "azdt")
            y = np.zeros((m, self.sizes[-1]), dtype=self.dtype)
            last = len(self.sizes) - 1
            forward = [
                (a[i - 1], self.w[i - 1].T, self.b[i - 1], z[i], a[i], self.kinds[i - 1])
                for i in range(1, last + 1)
            ]
            backward = [
                (
                    d[i],
                    a[i - 1],
                    self.gw[i - 1],
                    self.gb[i - 1],
                    self.w[i - 1],
                    d[i - 1] if i > 1 else None,
                    t[i - 1],
                    z[i - 1],
                    self.kinds[i - 2] if i > 1 else None,  # the kind of layer i - 1
                )
                for i in range(last, 0, -1)
            ]
            self._programs[m] = (a[0], y, forward, backward, z[last], a[last], d[last], t[last])
        return self._programs[m]

    def step(self, idx: np.ndarray, scale: float) -> None:
        """Leave ``scale`` times the summed gradients of examples `idx` in ``gw``, ``gb``.

        Parameters
        ----------
        idx : ndarray of int, shape (m,)
            Rows of the training set: one mini-batch.
        scale : float
            ``η/m`` for an SGD step.
        """
        x, y, forward, backward, z_out, a_out, d_out, t_out = self.program(len(idx))
        # mode="clip" avoids the buffered copy NumPy makes for mode="raise" with `out=`
        self.X.take(idx, axis=0, out=x, mode="clip")
        self.Y.take(idx, axis=0, out=y, mode="clip")
        for a_in, w_t, b, z, a, kind in forward:
            np.matmul(a_in, w_t, out=z)  # z^l = w^l a^{l-1} + b^l
            z += b
            if type(kind) is SigmoidNeuron:
                sigmoid_into(z, out=a)  # a = σ(z)
            else:  # a = f(z) of its kind: tanh, ReLU, softmax over the layer, …
                a[...] = kind.activation(z)
        if self.rule == "quadratic":  # (BP1) δ^L = (a − y) ⊙ σ'(z^L), σ'(z) = a(1 − a)
            np.subtract(a_out, y, out=d_out)
            np.subtract(1.0, a_out, out=t_out)
            t_out *= a_out
            d_out *= t_out
        elif self.rule == "a - y":  # (BP1) simplified, eqs. (66) and (84)
            np.subtract(a_out, y, out=d_out)
        else:
            d_out[...] = self.cost.delta(self.kind, z_out, a_out, y)
        d_out *= scale
        for d, a_in, gw, gb, w, d_in, t, z_in, kind_in in backward:
            np.matmul(d.T, a_in, out=gw)  # (BP4) ∂C/∂w = δ a^T
            np.add.reduce(d, axis=0, out=gb)  # (BP3) ∂C/∂b = δ
            if d_in is not None:  # (BP2) δ^{l-1} = (w^l)^T δ^l ⊙ f'(z^{l-1})
                np.matmul(d, w, out=d_in)
                if type(kind_in) is SigmoidNeuron:  # σ'(z) = a(1 − a)
                    np.subtract(1.0, a_in, out=t)
                    t *= a_in
                else:
                    t[...] = kind_in.activation_prime(z_in)
                d_in *= t
