r"""The activation functions and their derivatives, written once over NumPy arrays.

The graph engine, the fast engine, the debugger and the diagrams all use these.
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np

from neurograph.graph.types import Array

__all__ = [
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_into",
    "sigmoid_prime",
    "softmax",
    "softmax_vjp",
    "step",
    "tanh",
    "tanh_prime",
]


@overload
def sigmoid(z: float) -> float: ...
@overload
def sigmoid(z: Any) -> Array: ...
def sigmoid(z: Any) -> Any:
    r"""The sigmoid function $\sigma(z) = 1 / (1 + e^{-z})$, without overflow.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs, any shape.

    Returns
    -------
    a : float for a float (one neuron of the graph engine), else ndarray of `z`'s shape

    Notes
    -----
    Nielsen, ch. 1, eq. (3). Computed as $1/(1+e^{-|z|})$ or $e^{-|z|}/(1+e^{-|z|})$
    so that $e^{x}$ never sees a large positive `x`: no overflow warning for any finite `z`.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid([-1e4, 1e4]).tolist()
    [0.0, 1.0]
    """
    if type(z) is float:  # the same formula, on a plain float: a neuron at a time is faster
        e = math.exp(-abs(z))
        return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_into(z: Array, out: Array) -> Array:
    r"""Evaluate $\sigma(z) = 1 / (1 + e^{-z})$ into the buffer `out`, for the fast path.

    Parameters
    ----------
    z : ndarray
        Weighted inputs.
    out : ndarray, same shape as `z`
        Overwritten with $\sigma(z)$; may be `z` itself.

    Returns
    -------
    out : ndarray

    Notes
    -----
    The same function as [`sigmoid`][], written for speed: four NumPy calls and no new
    array, in the dtype of `out`. For ``z < -709`` (float64) $e^{-z}$ overflows to inf
    and the result is exactly 0, which is right; callers silence that overflow warning with
    ``np.errstate(over="ignore")``.

    Examples
    --------
    >>> a = np.empty(3)
    >>> sigmoid_into(np.array([-1.0, 0.0, 1.0]), a).round(4).tolist()
    [0.2689, 0.5, 0.7311]
    """
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


@overload
def sigmoid_prime(z: float) -> float: ...
@overload
def sigmoid_prime(z: Any) -> Array: ...
def sigmoid_prime(z: Any) -> Any:
    r"""The derivative $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, without overflow.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs, any shape.

    Returns
    -------
    float for a float, else ndarray of `z`'s shape

    Notes
    -----
    Nielsen, ch. 2 (BP1, BP2). Written as $e^{-|z|}/(1+e^{-|z|})^2$, which is the same
    number and stays accurate (and warning-free) when $\sigma(z)$ rounds to 1.

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    """
    if type(z) is float:
        e = math.exp(-abs(z))
        return e / (1.0 + e) ** 2
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


@overload
def step(z: float) -> float: ...
@overload
def step(z: Any) -> Array: ...
def step(z: Any) -> Any:
    """The perceptron's rule: 1 where ``z > 0``, else 0.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs ``w·x + b``, any shape.

    Returns
    -------
    float for a float, else ndarray of float of `z`'s shape

    Notes
    -----
    Nielsen, ch. 1, eq. (2): the output is 0 when ``w·x + b <= 0``.

    Examples
    --------
    >>> step([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    if type(z) is float:
        return 1.0 if z > 0 else 0.0
    return (np.asarray(z, dtype=float) > 0).astype(float)


def tanh(z: Any) -> Any:
    r"""The hyperbolic tangent $\tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z})$, in $(-1, 1)$.

    Parameters
    ----------
    z : float or array_like
        Weighted inputs, any shape.

    Returns
    -------
    float for a float, else ndarray of `z`'s shape

    Notes
    -----
    Nielsen, ch. 3, "Other models of artificial neuron": $\tanh(z) = 2\sigma(2z) - 1$,
    a rescaled sigmoid whose outputs range over $(-1, 1)$.

    Examples
    --------
    >>> float(tanh(0.0)), round(float(tanh(1.0)), 4)
    (0.0, 0.7616)
    """
    if type(z) is float:
        return math.tanh(z)
    return np.tanh(np.asarray(z, dtype=float))


def tanh_prime(z: Any) -> Any:
    r"""The derivative $\tanh'(z) = 1 - \tanh^2(z)$.

    Parameters
    ----------
    z : float or array_like

    Returns
    -------
    float for a float, else ndarray of `z`'s shape

    Examples
    --------
    >>> float(tanh_prime(0.0))
    1.0
    """
    a = tanh(z)
    return 1.0 - a * a


def relu(z: Any) -> Any:
    r"""The rectified linear unit $\max(0, z)$.

    Parameters
    ----------
    z : float or array_like

    Returns
    -------
    float for a float, else ndarray of `z`'s shape

    Notes
    -----
    Nielsen, ch. 3, "Other models of artificial neuron": the rectified linear neuron.

    Examples
    --------
    >>> relu([-2.0, 0.0, 3.0]).tolist()
    [0.0, 0.0, 3.0]
    """
    if type(z) is float:
        return z if z > 0 else 0.0
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_prime(z: Any) -> Any:
    r"""The derivative of $\max(0, z)$: 1 where ``z > 0``, else 0 (at ``z = 0`` too).

    Parameters
    ----------
    z : float or array_like

    Returns
    -------
    float for a float, else ndarray of float of `z`'s shape

    Notes
    -----
    $\max(0, z)$ has no derivative at 0; neurograph takes $f'(0) = 0$, as PyTorch's
    ``nn.ReLU`` does, so that both engines and the bridge agree exactly.

    Examples
    --------
    >>> relu_prime([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    return step(z)


def softmax(z: Any) -> Array:
    r"""Softmax along the last axis, $a_j = e^{z_j} / \sum_i e^{z_i}$, computed stably.

    Parameters
    ----------
    z : array_like, shape (..., n)
        Weighted inputs of one softmax layer (one row per example for a batch).

    Returns
    -------
    a : ndarray, shape (..., n)
        Positive, and each row sums to 1.

    Notes
    -----
    Nielsen, ch. 3, eq. (78). Subtracting ``max(z)`` first changes nothing mathematically and
    keeps every exponent <= 0.

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_vjp(a: Any, g: Any) -> Array:
    r"""Multiply a gradient by the softmax Jacobian: $\delta_j = a_j (g_j - \sum_i a_i g_i)$.

    Parameters
    ----------
    a : array_like, shape (..., n)
        Softmax outputs.
    g : array_like, shape (..., n)
        $\partial C / \partial a$ for the same units.

    Returns
    -------
    delta : ndarray, shape (..., n)
        $\partial C / \partial z$.

    Notes
    -----
    $\partial a_i / \partial z_j = a_i([i = j] - a_j)$, Nielsen ch. 3 (softmax); the
    Jacobian is symmetric, so this is also the product with its transpose.
    """
    a = np.asarray(a, dtype=float)
    g = np.asarray(g, dtype=float)
    return a * (g - (a * g).sum(axis=-1, keepdims=True))
