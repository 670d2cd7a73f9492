"""Exercise 1.3: an extra layer that turns a digit classifier's outputs into the digit's bits."""

from __future__ import annotations

from typing import Any

import numpy as np

from neurograph.errors import GraphError, ShapeError
from neurograph.graph.network import Network
from neurograph.graph.neurons import Neuron, SigmoidNeuron, SoftmaxLayer, _finite
from neurograph.graph.text import shortlist
from neurograph.graph.types import Array

__all__ = ["BIT_NAMES", "binary_output_layer", "bit_weights", "decode_bits"]

BIT_NAMES = ("bit0", "bit1", "bit2", "bit3")


def bit_weights(n_classes: int = 10, n_bits: int = 4) -> Array:
    r"""The sign pattern of exercise 1.3: ``+1`` where bit `j` of digit `i` is set, else ``-1``.

    Parameters
    ----------
    n_classes : int
        Number of classifier outputs (digits ``0 … n_classes - 1``).
    n_bits : int
        Number of bit neurons, least significant first.

    Returns
    -------
    ndarray, shape (n_bits, n_classes)
        Row `j` holds the weights from the ten outputs into bit neuron `j`.

    Examples
    --------
    >>> bit_weights()[1].astype(int).tolist()  # bit 1 is set for 2, 3, 6 and 7 (not 9 = 1001)
    [-1, -1, 1, 1, -1, -1, 1, 1, -1, -1]
    """
    digits = np.arange(n_classes)
    return np.array([np.where((digits >> j) & 1, 1.0, -1.0) for j in range(n_bits)])


def binary_output_layer(net: Network, c: float = 10.0, sharpen: float | None = 100.0) -> Network:
    r"""A copy of a 10-output digit classifier with four bit neurons appended (exercise 1.3).

    The copy's ten outputs feed four new sigmoid neurons ``bit0 … bit3`` (least significant
    first), which become its outputs: neuron ``bitj`` fires when bit `j` of the classified
    digit is 1.

    Parameters
    ----------
    net : Network
        A classifier with exactly ten outputs, output `i` standing for digit `i`.
    c : float, default 10
        The bit neurons' weights are ``c · (±1)`` (see `bit_weights()`), their biases 0.
    sharpen : float or None, default 100
        If given, the copy's ten outputs become one softmax layer of the same weighted inputs
        times `sharpen`: ``softmax(k·z)``, which is nearly one-hot at the largest ``z`` and so
        meets the exercise's assumption without changing which digit is chosen (σ and softmax
        are increasing in ``z``). None keeps the outputs as they are: the exercise's bare
        construction.

    Returns
    -------
    Network
        A new network; `net` is not changed.

    Notes
    -----
    Nielsen, ch. 1, exercise "bitwise representation". If the correct output is at least 0.99
    and the nine others below 0.01, bit `j`'s weighted input is
    $z_j = c(\sum_{i: \text{bit set}} a_i - \sum_{i: \text{bit clear}} a_i)$. When the
    digit has the bit, at most eight other digits lack it, so $z_j > c(0.99 - 8 \times
    0.01) = 0.91c$; when it has not, at most five digits have it, so
    $z_j < -c(0.99 - 5 \times 0.01) = -0.94c$. With ``c = 10`` every bit is within
    $\sigma(-9.1) < 1.2 \times 10^{-4}$ of 0 or 1.

    A trained network does not meet that assumption: where its two largest outputs are close
    and differ in a bit, no single layer of weights on the outputs can follow the argmax. On
    MNIST the bare construction agrees with the argmax on 98.5–99.5% of the test images;
    sharpened (the ``c → ∞`` limit of exercise 1.2, applied to a softmax) on all but a few
    in 10,000.

    Examples
    --------
    >>> import neurograph as ng
    >>> bits = binary_output_layer(ng.layered([4, 10], seed=0))
    >>> [n.name for n in bits.outputs]
    ['bit0', 'bit1', 'bit2', 'bit3']
    """
    outputs = net.outputs
    if len(outputs) != 10:
        msg = (
            f"binary_output_layer needs a digit classifier with 10 outputs, got "
            f"{len(outputs)}: {shortlist([n.name for n in outputs], 4)}"
        )
        raise ShapeError(msg)
    c = _finite(c, "scale c", None)
    taken = [name for name in BIT_NAMES if net.get(name) is not None]
    if taken:
        msg = f"the network already has neurons named {taken}; rename them first"
        raise GraphError(msg)
    if sharpen is None:
        copy = net.copy()
        names = [str(n.name) for n in outputs]
    else:
        copy, names = _sharpened(net, _finite(sharpen, "sharpen", None))
    sources = [copy.neuron(name) for name in names]
    bits = [
        copy.add(SigmoidNeuron(bias=0.0, name=name), inputs=dict(zip(sources, (c * row).tolist())))
        for name, row in zip(BIT_NAMES, bit_weights())
    ]
    copy.set_outputs(bits)
    return copy


def _sharpened(net: Network, k: float) -> tuple[Network, list[str]]:
    """A copy whose ten outputs are one softmax layer over their weighted inputs times `k`."""
    if k <= 0:
        msg = f"sharpen must be > 0 (it scales the outputs' z and keeps their order), got {k}"
        raise ShapeError(msg)
    old = [str(n.name) for n in net.outputs]
    prefix = old[0].rsplit(".", 1)[0]
    if old != [f"{prefix}.{j}" for j in range(1, 11)] or isinstance(net.get(prefix), Neuron):
        prefix = "digits"
    new = [f"{prefix}.{j}" for j in range(1, 11)]
    rename = dict(zip(old, new))
    taken = [name for name in [prefix, *new] if net.get(name) is not None and name not in rename]
    if taken and not isinstance(net.get(prefix), SoftmaxLayer):
        msg = f"cannot name the sharpened outputs {prefix!r}: {taken} already exist"
        raise GraphError(msg)
    spec = net.to_dict()
    biases = [k * n.bias for n in net.outputs]
    neurons: list[dict[str, Any]] = []
    for item in spec["neurons"]:
        item_names = (
            [str(u.name) for u in net[item["name"]]] if "biases" in item else [item["name"]]
        )
        if not set(item_names) & set(rename):
            neurons.append(item)
        elif not set(item_names) <= set(rename):
            msg = f"the outputs are only part of the softmax layer {item['name']!r}"
            raise GraphError(msg)
        elif not any(n.get("name") == prefix for n in neurons):
            neurons.append({"name": prefix, "kind": SoftmaxLayer.kind, "biases": biases})
    edges = [
        [rename.get(s, s), rename.get(t, t), k * w if t in rename else w]
        for s, t, w in spec["edges"]
    ]
    outputs = [rename.get(name, name) for name in spec["outputs"]]
    return Network.from_dict({**spec, "neurons": neurons, "edges": edges, "outputs": outputs}), new


def decode_bits(a: Array) -> Array:
    """Read digits from bit activations: bit `j` counts ``2**j`` when its activation exceeds ½.

    Parameters
    ----------
    a : array_like, shape (4,) or (n, 4)
        Activations of ``bit0 … bit3``.

    Returns
    -------
    ndarray of int, shape () or (n,)

    Examples
    --------
    >>> decode_bits([0.99, 0.01, 0.98, 0.0]).item()
    5
    """
    a = np.asarray(a, dtype=float)
    return ((a > 0.5).astype(int) << np.arange(a.shape[-1])).sum(axis=-1)
