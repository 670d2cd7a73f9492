"""Save and load networks: neurograph's versioned JSON, or the book's network2.py format.

Loading only parses JSON: it never executes anything from the file. Writes are atomic.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from neurograph.errors import FormatError, NeurographError, UsageError
from neurograph.graph.network import Network
from neurograph.graph.neurons import Neuron
from neurograph.graph.spec import LAYER_KINDS, kinds_in, kinds_of, unknown_kind
from neurograph.graph.types import is_real
from neurograph.io.atomic import write_atomic
from neurograph.io.network2 import NETWORK2_KEYS, from_network2, to_network2
from neurograph.io.safetensors_format import apply_tensors, encode, read, with_weights
from neurograph.reading import MAX_LOAD_BYTES, read_bytes, read_limited

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
        A path ending in ``.safetensors`` writes the neurograph document as that file's
        metadata and the weights as tensors named like [`neurograph.to_torch`][]'s
        ``state_dict`` (needs ``pip install 'neurograph[torch]'``).
    **kw
        For ``"network2"``: ``cost`` (``"QuadraticCost"`` or ``"CrossEntropyCost"``; default
        ``net.meta["cost"]``, else ``"CrossEntropyCost"``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        For what [`load`][] would refuse: a name that is not a string, NaN, inf or a NumPy
        number in ``meta`` (the message names the field); an unwritable path.

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
        try:
            check_document(doc, kinds_in(net))  # never write what load refuses
        except FormatError as err:
            msg = f"cannot save {str(path)!r}: {err}"
            raise UsageError(msg) from err
    elif format == "network2":
        doc = to_network2(net, **kw)
    else:
        msg = f"unknown format {format!r}; expected 'neurograph' or 'network2'"
        raise UsageError(msg)
    if Path(path).suffix == ".safetensors":
        if format != "neurograph":
            msg = f"a .safetensors file holds neurograph's format, not {format!r}; use a .json name"
            raise UsageError(msg)
        return write_atomic(path, encode(net, doc))
    return write_atomic(path, json.dumps(doc, allow_nan=False) + "\n")


def load(
    path: str | os.PathLike[str],
    *,
    kinds: Iterable[type[Neuron]] = (),
    max_bytes: int = MAX_LOAD_BYTES,
) -> Network:
    """Load a network saved by [`save`][] (JSON or ``.safetensors``), or by ``network2.py``.

    Parameters
    ----------
    path : str or path-like
        A regular file (a FIFO or a device is refused, without blocking).
    kinds : iterable of Neuron subclasses
        Your own kinds of neuron that the file names (by their ``kind``, the class name
        unless the class says otherwise). The built-in kinds are always known; nothing is
        imported or evaluated from a file, so a kind of your own must be passed here.
    max_bytes : int
        The largest file read, 256 MiB by default
        (`neurograph.reading.MAX_LOAD_BYTES`); raise it for a larger model you trust.

    Returns
    -------
    Network
        A network2 file gives a layered sigmoid network (named ``L{l}.{j}``) whose
        ``meta["cost"]`` is the file's cost.

    Raises
    ------
    FormatError
        If the file is missing, not a regular file, larger than `max_bytes`, not JSON (or
        nested too deeply), truncated, of an unknown version, or inconsistent; or if it
        names a kind of neuron that is neither built in nor in `kinds` (the message names it).
    UsageError
        For a ``.safetensors`` file without the extra (``pip install 'neurograph[torch]'``),
        or `kinds` that are not subclasses of ``Neuron``.
    """
    path = Path(path)
    kinds = list(kinds)
    kinds_of(kinds)  # a wrong argument is the caller's error, before the file is read
    tensors = None
    if path.suffix == ".safetensors":
        text, tensors = read(read_bytes(path, max_bytes), repr(str(path)))
    else:
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
        if tensors is not None:
            return apply_tensors(from_document(with_weights(doc, tensors), kinds), tensors)
        if isinstance(doc, dict) and NETWORK2_KEYS <= doc.keys():
            return from_network2(doc)
        return from_document(doc, kinds)
    except NeurographError as err:
        msg = f"{str(path)!r}: {err}"
        raise FormatError(msg) from err


def file_format(path: str | os.PathLike[str], *, max_bytes: int = MAX_LOAD_BYTES) -> str:
    """A network file's format: ``"network2"`` (the book's), ``"safetensors"`` or ``"neurograph"``.

    Raises
    ------
    FormatError
        As [`load`][] does for a file it cannot read or parse.
    """
    if Path(path).suffix == ".safetensors":
        return "safetensors"
    text = read_limited(path, max_bytes)
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as err:
        msg = f"{str(path)!r} is not valid JSON (truncated or corrupt?): {err}"
        raise FormatError(msg) from err
    return "network2" if isinstance(doc, dict) and NETWORK2_KEYS <= doc.keys() else "neurograph"


def from_document(doc: Any, kinds: Iterable[type[Neuron]] = ()) -> Network:
    """Build a network from a parsed neurograph JSON document, checking every field.

    Parameters
    ----------
    doc : object
        Parsed JSON.
    kinds : iterable of Neuron subclasses
        Kinds of your own the document may name (see [`load`][]).
    """
    if not isinstance(doc, dict) or doc.get("format") != "neurograph":
        msg = "not a neurograph network (expected 'format': 'neurograph', or network2's keys)"
        raise FormatError(msg)
    check_document(doc, kinds)
    return Network.from_dict(doc, kinds)


def check_document(doc: dict[str, Any], kinds: Iterable[type[Neuron]] = ()) -> None:
    """Check every field of a neurograph document, as [`load`][] reads and [`save`][] writes.

    Parameters
    ----------
    doc : dict
    kinds : iterable of Neuron subclasses
        Kinds of your own the document may name, besides the built-in ones.

    Raises
    ------
    FormatError
        Naming the field (and the neuron), what it must be, and what it is.
    """
    version = doc.get("version")
    if type(version) is not int or version != FORMAT_VERSION:  # not 1.0, not true
        msg = f"unsupported version {version!r}; this neurograph reads version 1 (the integer)"
        raise FormatError(msg)
    for key in ("inputs", "neurons", "edges", "outputs"):
        _expect(doc, key, list)
    if not isinstance(doc.get("meta", {}), dict):
        msg = f"field 'meta' must be an object, got {type(doc['meta']).__name__}"
        raise FormatError(msg)
    _check_json(doc.get("meta", {}), "meta")
    labels = doc.get("labels")
    if labels is not None and not (
        isinstance(labels, list) and all(isinstance(label, str) for label in labels)
    ):
        msg = f"field 'labels' must be a list of strings, one per output, got {labels!r:.60}"
        raise FormatError(msg)
    known = kinds_of(kinds)
    for item in doc["neurons"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            msg = f"each neuron needs a 'name' string, got {item!r:.80}"
            raise FormatError(msg)
        key = "biases" if _known_kind(item, known) in LAYER_KINDS else "bias"
        values = item.get(key)
        if key == "biases":
            ok = isinstance(values, list) and len(values) > 0 and all(map(is_real, values))
        else:
            ok = is_real(values)
        if not ok:
            what = "a non-empty list of finite numbers" if key == "biases" else "a finite number"
            msg = f"neuron {item['name']!r}: {key!r} must be {what}, got {values!r:.80}"
            raise FormatError(msg)
    _check_wiring(doc)


def _check_wiring(doc: dict[str, Any]) -> None:
    """The inputs and outputs are names; each edge is ``[source, target, weight]``."""
    for key in ("inputs", "outputs"):
        bad = next((v for v in doc[key] if not isinstance(v, str)), None)
        if bad is not None:
            msg = f"field {key!r} must list neuron names (strings), got {bad!r:.60}"
            raise FormatError(msg)
    for edge in doc["edges"]:
        if not (
            isinstance(edge, list)
            and len(edge) == 3
            and all(isinstance(end, str) for end in edge[:2])
            and is_real(edge[2])
        ):
            msg = f"each edge must be [source, target, weight], got {edge!r:.80}"
            raise FormatError(msg)


def _known_kind(item: dict[str, Any], known: dict[str, type[Neuron]]) -> str:
    """A neuron's kind, if it is built in or one of `known`; else a FormatError that names it."""
    kind = item.get("kind")
    if not isinstance(kind, str) or not (kind in known or kind in LAYER_KINDS):
        raise FormatError(unknown_kind(item["name"], kind))  # missing, a list, unknown
    return kind


def _check_json(value: Any, where: str) -> None:
    """Refuse what JSON cannot hold as it is read back: NaN, inf, NumPy scalars, non-string keys."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"{where}: keys must be strings, got {key!r:.40}"
                raise FormatError(msg)
            _check_json(item, f"{where}.{key}")
    elif isinstance(value, list):
        for k, item in enumerate(value):
            _check_json(item, f"{where}[{k}]")
    elif isinstance(value, float) and not math.isfinite(value):
        msg = f"{where} is {value}; JSON holds only finite numbers"
        raise FormatError(msg)
    elif value is not None and type(value) not in (str, int, float, bool):
        msg = (
            f"{where} is a {type(value).__name__} ({value!r:.40}); a network file holds only "
            "JSON values (convert NumPy numbers with float() or .tolist())"
        )
        raise FormatError(msg)


def _expect(doc: dict[str, Any], key: str, kind: type) -> None:
    if not isinstance(doc.get(key), kind):
        msg = f"field {key!r} must be a {kind.__name__}, got {doc.get(key)!r:.60}"
        raise FormatError(msg)


def _refuse_constant(name: str) -> float:
    msg = f"the file contains {name}; weights and biases must be finite numbers"
    raise FormatError(msg)
