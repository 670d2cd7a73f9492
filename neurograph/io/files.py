"""Save and load networks: neurograph's versioned JSON, or the book's network2.py format.

Loading only parses JSON: it never executes anything from the file. Writes are atomic.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import FormatError, NeurographError, UsageError
from neurograph.graph.network import Network
from neurograph.graph.neurons import SoftmaxLayer
from neurograph.io.atomic import write_atomic
from neurograph.io.network2 import NETWORK2_KEYS, from_network2, to_network2
from neurograph.io.reading import MAX_LOAD_BYTES, read_limited

__all__ = ["FORMAT_VERSION", "file_format", "from_document", "load", "save"]

FORMAT_VERSION = 1


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


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_LOAD_BYTES) -> Network:
    """Load a network saved by :func:`save`, or by the book's ``network2.py``.

    Parameters
    ----------
    path : str or path-like
        A regular file (a FIFO or a device is refused, without blocking).
    max_bytes : int
        The largest file read, 256 MiB by default
        (:data:`neurograph.io.reading.MAX_LOAD_BYTES`); raise it for a larger model you trust.

    Returns
    -------
    Network
        A network2 file gives a layered sigmoid network (named ``L{l}.{j}``) whose
        ``meta["cost"]`` is the file's cost.

    Raises
    ------
    FormatError
        If the file is missing, not a regular file, larger than `max_bytes`, not JSON (or
        nested too deeply), truncated, of an unknown version, or inconsistent.
    """
    path = Path(path)
    text = read_limited(path, max_bytes)
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as err:
        msg = f"{str(path)!r} is not valid JSON (truncated or corrupt?): {err}"
        raise FormatError(msg) from err
    except RecursionError as err:
        msg = f"{str(path)!r} is nested too deeply to be a network file"
        raise FormatError(msg) from err
    try:
        if isinstance(doc, dict) and NETWORK2_KEYS <= doc.keys():
            return from_network2(doc)
        return from_document(doc)
    except NeurographError as err:
        msg = f"{str(path)!r}: {err}"
        raise FormatError(msg) from err


def file_format(path: str | os.PathLike[str], *, max_bytes: int = MAX_LOAD_BYTES) -> str:
    """The format of a network file: ``"network2"`` (the book's) or ``"neurograph"``.

    Raises
    ------
    FormatError
        As :func:`load` does for a file it cannot read or parse.
    """
    text = read_limited(path, max_bytes)
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as err:
        msg = f"{str(path)!r} is not valid JSON (truncated or corrupt?): {err}"
        raise FormatError(msg) from err
    return "network2" if isinstance(doc, dict) and NETWORK2_KEYS <= doc.keys() else "neurograph"


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


def _expect(doc: dict[str, Any], key: str, kind: type) -> None:
    if not isinstance(doc.get(key), kind):
        msg = f"field {key!r} must be a {kind.__name__}, got {doc.get(key)!r:.60}"
        raise FormatError(msg)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and bool(np.isfinite(v))


def _refuse_constant(name: str) -> float:
    msg = f"the file contains {name}; weights and biases must be finite numbers"
    raise FormatError(msg)
