"""Save and load networks as JSON: neurograph's versioned format and the book's network2.py format.

Loading only parses JSON: it never executes anything from the file. Writes are atomic.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .builders import from_matrices
from .errors import FormatError, NeurographError, UsageError
from .graph import Network
from .neurons import SigmoidNeuron, SoftmaxLayer

__all__ = ["FORMAT_VERSION", "load", "save", "write_atomic"]

FORMAT_VERSION = 1
NETWORK2_KEYS = {"sizes", "weights", "biases", "cost"}
NETWORK2_COSTS = ("QuadraticCost", "CrossEntropyCost")


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write a file so that it is either wholly written or untouched (temp file + rename).

    Parameters
    ----------
    path : str or path-like
    text : str or bytes

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        If the directory does not exist.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        msg = f"cannot write {str(path)!r}: the directory {str(folder)!r} does not exist"
        raise UsageError(msg)
    data = text.encode() if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the file from others
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save(net: Network, path: str | os.PathLike[str], format: str = "neurograph", **kw: Any) -> Path:  # noqa: A002
    """Save a network as JSON, atomically.

    Parameters
    ----------
    net : Network
    path : str or path-like
    format : {"neurograph", "network2"}
        ``"neurograph"`` (versioned, any DAG, every neuron kind) or the book's ``network2.py``
        format (``sizes``, ``weights``, ``biases``, ``cost``) for layered sigmoid networks.
    **kw
        For ``"network2"``: ``cost`` (``"QuadraticCost"`` or ``"CrossEntropyCost"``; default
        ``net.meta["cost"]``, else ``"CrossEntropyCost"``).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, os
    >>> from neurograph import layered
    >>> net = layered([2, 2, 1], seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> _ = save(net, path)
    >>> load(path).weight("L1.1", "L2.1") == net.weight("L1.1", "L2.1")
    True
    """
    if format == "neurograph":
        doc: dict[str, Any] = {"format": "neurograph", "version": FORMAT_VERSION, **net.to_dict()}
    elif format == "network2":
        doc = to_network2(net, **kw)
    else:
        msg = f"unknown format {format!r}; expected 'neurograph' or 'network2'"
        raise UsageError(msg)
    return write_atomic(path, json.dumps(doc, allow_nan=False) + "\n")


def load(path: str | os.PathLike[str]) -> Network:
    """Load a network saved by :func:`save`, or by the book's ``network2.py``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Network
        A network2 file gives a layered sigmoid network (named ``L{l}.{j}``) whose
        ``meta["cost"]`` is the file's cost.

    Raises
    ------
    FormatError
        If the file is missing, not JSON, truncated, of an unknown version, or inconsistent.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"cannot read {str(path)!r}: {err}"
        raise FormatError(msg) from err
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as err:
        msg = f"{str(path)!r} is not valid JSON (truncated or corrupt?): {err}"
        raise FormatError(msg) from err
    try:
        if isinstance(doc, dict) and NETWORK2_KEYS <= doc.keys():
            return from_network2(doc)
        return from_document(doc)
    except NeurographError as err:
        msg = f"{str(path)!r}: {err}"
        raise FormatError(msg) from err


def from_document(doc: Any) -> Network:
    """Build a network from a parsed neurograph JSON document, checking every field."""
    if not isinstance(doc, dict) or doc.get("format") != "neurograph":
        msg = "not a neurograph network (expected 'format': 'neurograph', or network2's keys)"
        raise FormatError(msg)
    if doc.get("version") != FORMAT_VERSION:
        msg = f"unsupported version {doc.get('version')!r}; this neurograph reads version 1"
        raise FormatError(msg)
    _expect(doc, "inputs", list)
    _expect(doc, "neurons", list)
    _expect(doc, "edges", list)
    _expect(doc, "outputs", list)
    for item in doc["neurons"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            msg = f"each neuron needs a 'name' string, got {item!r:.80}"
            raise FormatError(msg)
        key = "biases" if item.get("kind") == SoftmaxLayer.kind else "bias"
        values = item.get(key)
        if not all(_is_number(v) for v in (values if isinstance(values, list) else [values])):
            msg = f"neuron {item['name']!r}: {key!r} must be finite numbers, got {values!r:.80}"
            raise FormatError(msg)
    for edge in doc["edges"]:
        if not (isinstance(edge, list) and len(edge) == 3 and _is_number(edge[2])):
            msg = f"each edge must be [source, target, weight], got {edge!r:.80}"
            raise FormatError(msg)
    return Network.from_dict(doc)


def to_network2(net: Network, cost: str | None = None) -> dict[str, Any]:
    """The network2.py document of a fully connected layered sigmoid network."""
    cost = cost or net.meta.get("cost") or "CrossEntropyCost"
    if cost not in NETWORK2_COSTS:
        msg = f"network2.py knows only {NETWORK2_COSTS}, got cost {cost!r}"
        raise UsageError(msg)
    levels = net.levels()
    levels[-1] = net.outputs
    weights, biases = [], []
    for previous, layer in zip(levels[:-1], levels[1:]):
        for neuron in layer:
            preds = set(net.graph.predecessors(neuron))
            if type(neuron) is not SigmoidNeuron or preds != set(previous):
                msg = (
                    f"network2 format needs a fully connected layered sigmoid network; "
                    f"{neuron!r} is not fed by exactly the {len(previous)} neurons of the "
                    "layer before (save it in the 'neurograph' format instead)"
                )
                raise UsageError(msg)
        weights.append([[net.weight(k, j) for k in previous] for j in layer])
        biases.append([[j.bias] for j in layer])
    sizes = [len(level) for level in levels]
    return {"sizes": sizes, "weights": weights, "biases": biases, "cost": cost}


def from_network2(doc: dict[str, Any]) -> Network:
    """Build a layered sigmoid network from a parsed network2.py document."""
    sizes, weights, biases = doc["sizes"], doc["weights"], doc["biases"]
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(type(s) is int for s in sizes)):
        msg = f"network2 'sizes' must be a list of at least two integers, got {sizes!r:.80}"
        raise FormatError(msg)
    if doc["cost"] not in NETWORK2_COSTS:
        msg = f"network2 'cost' must be one of {NETWORK2_COSTS}, got {doc['cost']!r:.40}"
        raise FormatError(msg)
    layers = len(sizes) - 1
    if not (isinstance(weights, list) and isinstance(biases, list)) or (
        len(weights) != layers or len(biases) != layers
    ):
        msg = f"network2 file with sizes {sizes} needs {layers} weight matrices and bias vectors"
        raise FormatError(msg)
    ws, bs = [], []
    for layer, (n_in, n_out, w, b) in enumerate(zip(sizes, sizes[1:], weights, biases), start=2):
        try:
            w_arr = np.array(w, dtype=float)
            b_arr = np.array(b, dtype=float)
        except (TypeError, ValueError) as err:
            msg = f"network2 layer {layer}: weights and biases must be numeric arrays ({err})"
            raise FormatError(msg) from err
        if w_arr.shape != (n_out, n_in) or b_arr.shape not in {(n_out, 1), (n_out,)}:
            msg = (
                f"network2 layer {layer}: sizes {sizes} need weights ({n_out}, {n_in}) and "
                f"biases ({n_out}, 1), got {w_arr.shape} and {b_arr.shape}"
            )
            raise FormatError(msg)
        ws.append(w_arr)
        bs.append(b_arr)
    net = from_matrices(ws, bs)
    net.meta["cost"] = doc["cost"]
    return net


def _expect(doc: dict[str, Any], key: str, kind: type) -> None:
    if not isinstance(doc.get(key), kind):
        msg = f"field {key!r} must be a {kind.__name__}, got {doc.get(key)!r:.60}"
        raise FormatError(msg)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and bool(np.isfinite(v))


def _refuse_constant(name: str) -> float:
    msg = f"the file contains {name}; weights and biases must be finite numbers"
    raise FormatError(msg)
