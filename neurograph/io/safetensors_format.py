"""Networks as safetensors files: the exported module's tensors, neurograph's JSON as metadata.

The tensors carry the names of [`neurograph.to_torch`][]'s ``state_dict``
([`neurograph.io.tensor_names`][]), so ``safetensors.torch.load_file`` gives a dict that the
exported module takes with ``load_state_dict(..., strict=True)``. The metadata key
``"neurograph"`` holds the network's JSON document (names, kinds, wiring, meta, any training
state) with its edges as runs ``[[source, …], [target, …]]`` (every source to every target, in
order: a dense layer is one run, so the header stays small) whose weights are in the tensors. A
file is
untrusted: the header's size, every tensor's name, dtype and shape, and the mask are
checked against the document; nothing in it is executed (safetensors holds no pickle).
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np

from neurograph.errors import FormatError
from neurograph.fast.network import FastNetwork
from neurograph.graph.network import Network
from neurograph.graph.types import Array
from neurograph.io.extras import require
from neurograph.io.tensor_names import tensor_names

__all__ = ["MAX_HEADER", "apply_tensors", "encode", "read", "with_weights"]

MAX_HEADER = 100_000_000  # bytes: the safetensors library's own limit on a header
KEY = "neurograph"
FLOATS = ("float32", "float64")


def encode(net: Network, doc: dict[str, Any]) -> bytes:
    """The bytes of a safetensors file holding `net`, float64.

    Parameters
    ----------
    net : Network
    doc : dict
        Its neurograph JSON document ([`neurograph.io.files.save`][] makes it).

    Returns
    -------
    bytes
    """
    st = require("safetensors.numpy")
    fast = FastNetwork(net)
    tensors: dict[str, Array] = {}
    for layer, (w_name, b_name, mask_name) in zip(fast.layers.values(), tensor_names(fast)):
        tensors[w_name] = np.ascontiguousarray(fast.w[layer.number])
        tensors[b_name] = np.ascontiguousarray(fast.b[layer.number])
        if mask_name is not None:
            tensors[mask_name] = _mask(layer, fast.w[layer.number].shape)
    head = {key: value for key, value in doc.items() if key != "edges"}
    head["edge_runs"] = _runs(doc["edges"])
    return bytes(st.save(tensors, metadata={KEY: json.dumps(head, allow_nan=False)}))


def read(data: bytes, shown: str) -> tuple[str, dict[str, Array]]:
    """The JSON text and the tensors of a safetensors file's bytes, with its header checked first.

    Parameters
    ----------
    data : bytes
        The whole file, as [`read_bytes`][neurograph.reading.read_bytes] gives it.
    shown : str
        The file's name, for the messages.

    Returns
    -------
    text : str
        The ``"neurograph"`` metadata.
    tensors : dict of str to ndarray

    Raises
    ------
    FormatError
        If the file is truncated, its header is too large or malformed, or it has no
        neurograph metadata (a bare ``state_dict``: build the module and use ``from_torch``).
    """
    safetensors_numpy = require("safetensors.numpy")
    size = len(data)
    n = struct.unpack("<Q", data[:8])[0] if size >= 8 else -1
    if not 0 < n <= min(MAX_HEADER, size - 8):
        msg = (
            f"{shown} is not a safetensors file (truncated?): its header claims {n} bytes "
            f"(a file of {size} bytes allows at most {min(MAX_HEADER, max(size - 8, 0))})"
        )
        raise FormatError(msg)
    try:
        header = json.loads(data[8 : 8 + n])
        meta = (header.get("__metadata__") if isinstance(header, dict) else None) or {}
        if KEY not in meta:
            msg = (
                f"{shown} has no 'neurograph' metadata, so its architecture is unknown; "
                "load the tensors into your module and call ng.from_torch(module)"
            )
            raise FormatError(msg)
        return meta[KEY], safetensors_numpy.load(data)
    except FormatError:
        raise
    except Exception as err:  # safetensors raises its own SafetensorError and others
        msg = f"{shown} is not a valid safetensors file (truncated or corrupt?): {err}"
        raise FormatError(msg) from err


def with_weights(doc: Any, tensors: dict[str, Array]) -> Any:
    """The document with its ``edge_runs`` expanded to edges of weight 0, filled from tensors later.

    Nothing is expanded before the runs are checked: a run names each source and each target
    once, and the runs together hold no more edges than the file's weight tensors have entries
    (a header of 100 KB must not become 25 million edges).

    Parameters
    ----------
    doc : Any
        The parsed ``"neurograph"`` metadata.
    tensors : dict of str to ndarray
        The file's tensors, whose sizes bound the edges.

    Raises
    ------
    FormatError
        If ``edge_runs`` is not a list of ``[[source, …], [target, …]]`` runs of names, a run
        repeats a name, or the runs hold more edges than the weight tensors can.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("edge_runs"), list):
        msg = "the 'neurograph' metadata must be a JSON object with a list of 'edge_runs'"
        raise FormatError(msg)
    capacity, shapes = _capacity(tensors)
    count = 0
    for run in doc["edge_runs"]:
        _check_run(run)
        count += len(run[0]) * len(run[1])
        if count > capacity:
            msg = (
                f"the metadata's 'edge_runs' hold more than {count} edges but the weight "
                f"tensors have only {capacity} entries ({shapes}); the file is corrupt or hostile"
            )
            raise FormatError(msg)
    edges = [[s, t, 0.0] for sources, targets in doc["edge_runs"] for t in targets for s in sources]
    return {**{k: v for k, v in doc.items() if k != "edge_runs"}, "edges": edges}


def _check_run(run: Any) -> None:
    """One edge run: two lists of distinct names (sources, targets)."""
    if not (
        isinstance(run, list)
        and len(run) == 2
        and all(isinstance(names, list) for names in run)
        and all(isinstance(name, str) for names in run for name in names)
    ):
        want = "[[source, ...], [target, ...]]"
        msg = f"each edge run in the metadata must be {want}, got {run!r:.80}"
        raise FormatError(msg)
    for names, role in zip(run, ("sources", "targets")):
        seen: set[str] = set()
        for name in names:
            if name in seen:
                msg = (
                    f"an edge run in the metadata names {name!r:.80} twice among its {role}; "
                    "each run lists every source and every target once"
                )
                raise FormatError(msg)
            seen.add(name)


def _runs(edges: list[list[Any]]) -> list[list[list[str]]]:
    """Edges grouped by target (as ``to_dict`` lists them) as runs of targets sharing sources."""
    by_target: list[tuple[str, list[str]]] = []
    for source, target, _ in edges:
        if not by_target or by_target[-1][0] != target:
            by_target.append((target, []))
        by_target[-1][1].append(source)
    runs: list[list[list[str]]] = []
    for target, sources in by_target:
        if runs and runs[-1][0] == sources:
            runs[-1][1].append(target)
        else:
            runs.append([sources, [target]])
    return runs


def apply_tensors(
    net: Network, tensors: dict[str, Array], fast: FastNetwork | None = None
) -> Network:
    """Put the file's tensors into `net` (built from its metadata), checking each against it.

    Parameters
    ----------
    net : Network
    tensors : dict of str to ndarray
        Named by [`tensor_names`][neurograph.io.tensor_names.tensor_names].
    fast : FastNetwork, optional
        `net` compiled, if the caller has it already.

    Returns
    -------
    Network
        `net`, its weights and biases those of the tensors, exactly.

    Raises
    ------
    FormatError
        For a missing or unexpected tensor, a wrong dtype or shape, a mask that disagrees with
        the wiring, or a weight where there is no edge.
    """
    if fast is None:
        _check_dense_size(net, tensors)
        fast = FastNetwork(net)
    names = tensor_names(fast)
    expected = {name for triple in names for name in triple if name is not None}
    if set(tensors) != expected:
        missing, extra = sorted(expected - set(tensors)), sorted(set(tensors) - expected)
        msg = f"the tensors do not fit the architecture: missing {missing}, unexpected {extra}"
        raise FormatError(msg)
    for layer, (w_name, b_name, mask_name) in zip(fast.layers.values(), names):
        n = layer.number
        w = _checked(tensors, w_name, fast.w[n].shape)
        b = _checked(tensors, b_name, fast.b[n].shape)
        mask = _mask(layer, w.shape)
        if mask_name is not None:
            given = tensors[mask_name]
            if given.dtype != np.bool_ or given.shape != mask.shape or not (given == mask).all():
                msg = f"tensor {mask_name!r} disagrees with the wiring in the metadata"
                raise FormatError(msg)
        if np.any(w[~mask] != 0):
            msg = f"tensor {w_name!r} has weights where the network has no edge (must be 0)"
            raise FormatError(msg)
        fast.w[n][...] = w
        fast.b[n][...] = b
    fast.write_back(net)
    return net


def _capacity(tensors: dict[str, Array]) -> tuple[int, str]:
    """How many weights the file's tensors hold, and their shapes (the first few) for messages."""
    weights = {name: tensors[name].shape for name in sorted(tensors) if name.endswith(".weight")}
    shown = ", ".join(f"{name!r:.40}: {shape}" for name, shape in list(weights.items())[:4])
    more = f", and {len(weights) - 4} more" if len(weights) > 4 else ""
    return sum(t.size for name, t in tensors.items() if name in weights), shown + more


def _check_dense_size(net: Network, tensors: dict[str, Array]) -> None:
    """Refuse metadata whose levels need more weight entries than the tensors hold, before
    `compile` allocates them (a level of n neurons fed by m sources is an n x m matrix)."""
    capacity, shapes = _capacity(tensors)
    needed = 0
    for level in net.plan().levels()[1:]:
        sources = {k for neuron in level for k in net.graph.pred[neuron]}
        needed += len(level) * len(sources)
        if needed > capacity:
            msg = (
                f"the metadata's levels need more than {needed} weights but the weight "
                f"tensors have only {capacity} entries ({shapes}); the file is corrupt or hostile"
            )
            raise FormatError(msg)


def _checked(tensors: dict[str, Array], name: str, shape: tuple[int, ...]) -> Array:
    t = tensors[name]
    if t.dtype.name not in FLOATS or t.shape != shape:
        want = f"float32 or float64 of shape {shape}"
        msg = f"tensor {name!r}: expected {want}, got {t.dtype} of shape {t.shape}"
        raise FormatError(msg)
    return t.astype(np.float64)


def _mask(layer: Any, shape: tuple[int, ...]) -> np.ndarray:
    return np.ones(shape, dtype=bool) if layer.mask is None else np.asarray(layer.mask, dtype=bool)
