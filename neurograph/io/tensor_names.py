"""The names of a compiled network's parameters as tensors: one rule for files and the bridge.

A safetensors file ([`neurograph.io.safetensors_format`][]) stores each level's ``w[l]`` and
``b[l]`` under exactly the ``state_dict`` names of the module that [`neurograph.to_torch`][]
exports, so that PyTorch loads the file into that module with ``strict=True``. Both sides ask
this module for the names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neurograph.fast.network import FastNetwork

__all__ = ["Names", "is_chain", "tensor_names"]

Names = tuple[str, str, "str | None"]  # (weight name, bias name, mask name or None)


def is_chain(fast: FastNetwork) -> bool:
    """Whether a compiled network is a chain of dense layers (it exports as ``nn.Sequential``).

    Parameters
    ----------
    fast : FastNetwork

    Returns
    -------
    bool
        True when every layer is fed by the whole previous layer with every edge present,
        is of one kind (sigmoid, perceptron, or the units of one softmax layer), and the
        outputs are the last layer in order.

    Examples
    --------
    >>> import neurograph as ng
    >>> is_chain(ng.layered([2, 3, 1], seed=0).compile())
    True
    """
    return (
        bool(fast.layers)
        and all(layer.dense_chain and len(layer.groups) == 1 for layer in fast.layers.values())
        and fast.outputs == fast.layers[len(fast.sizes)].names
    )


def tensor_names(fast: FastNetwork) -> list[Names]:
    """The tensor names of each level's weights, biases and mask, levels ``l = 2 … L`` in order.

    Parameters
    ----------
    fast : FastNetwork

    Returns
    -------
    list of (str, str, str or None)
        For a chain ([`is_chain`][]), ``nn.Sequential``'s ``("0.weight", "0.bias", None)``,
        ``("2.weight", "2.bias", None)``, … (an activation follows each linear map); for any
        other DAG ``("levels.0.weight", "levels.0.bias", "levels.0.mask")``, … .

    Examples
    --------
    >>> import neurograph as ng
    >>> tensor_names(ng.layered([2, 3, 1], seed=0).compile())
    [('0.weight', '0.bias', None), ('2.weight', '2.bias', None)]
    """
    if is_chain(fast):
        return [(f"{2 * i}.weight", f"{2 * i}.bias", None) for i in range(len(fast.layers))]
    return [
        (f"levels.{i}.weight", f"levels.{i}.bias", f"levels.{i}.mask")
        for i in range(len(fast.layers))
    ]
