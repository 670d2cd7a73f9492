"""Standardized inputs: each feature's mean and standard deviation, kept in the model file."""

from __future__ import annotations

from typing import Any

import numpy as np

from neurograph.errors import DataError

__all__ = ["FAR_FROM_UNIT", "far_from_unit", "model_inputs", "standardized", "statistics"]

FAR_FROM_UNIT = 10.0  # inputs whose spread or mean exceeds this are far from unit scale


def standardized(stats: Any, X: Any, *, source: str = "the data") -> np.ndarray:
    r"""Inputs standardized as a model's training inputs were: ``(x − mean) / std``.

    Parameters
    ----------
    stats : dict
        ``{"mean": [...], "std": [...]}``, one value per input: a model's
        ``meta["standardize"]`` (checked: a file is untrusted).
    X : array_like, shape (n, n_inputs) or (n_inputs,)
    source : str
        Where `stats` came from, for the message.

    Returns
    -------
    ndarray
        Of the shape of `X`.

    Raises
    ------
    DataError
        If `stats` is not two lists of finite numbers of the inputs' length, the deviations
        positive.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[-1]
    try:
        mean, std = (np.asarray(stats[key], dtype=np.float64) for key in ("mean", "std"))
    except (TypeError, KeyError, ValueError) as err:
        msg = f'{source}: meta["standardize"] must be {{"mean": [...], "std": [...]}}, '
        msg += f"got {stats!r:.80}"
        raise DataError(msg) from err
    if mean.shape != (n,) or std.shape != (n,) or not np.all(np.isfinite(mean)):
        msg = f'{source}: meta["standardize"] must give a mean and a std for each of {n} inputs'
        raise DataError(msg)
    if not np.all(np.isfinite(std) & (std > 0)):
        msg = f'{source}: meta["standardize"]["std"] must be positive finite numbers'
        raise DataError(msg)
    return (X - mean) / std


def model_inputs(net: Any, X: Any, model: str) -> Any:
    """`X` as a loaded model expects it: standardized with its ``meta["standardize"]``, if any.

    Parameters
    ----------
    net : Network
    X : array_like, shape (n_inputs,) or (n, n_inputs)
        Inputs in the units of the data (e.g. grams and centimetres).
    model : str
        The model's file, for the message.

    Returns
    -------
    ndarray
    """
    stats = net.meta.get("standardize")
    return (
        np.asarray(X, dtype=np.float64) if stats is None else standardized(stats, X, source=model)
    )


def far_from_unit(X: Any) -> str:
    """Why inputs are far from unit scale (a column's spread or mean beyond 10), or ``""``."""
    X = np.asarray(X, dtype=np.float64)
    if X.size == 0:
        return ""
    spread, centre = X.std(axis=0), np.abs(X.mean(axis=0))
    worst = int(np.argmax(np.maximum(spread, centre)))
    if max(spread[worst], centre[worst]) <= FAR_FROM_UNIT and spread.max() >= 1 / FAR_FROM_UNIT:
        return ""
    return (
        f"input {worst + 1} has mean {X[:, worst].mean():.3g} and standard deviation "
        f"{spread[worst]:.3g}"
    )


def statistics(X: np.ndarray) -> dict[str, list[float]]:
    """Each input's mean and standard deviation (1 for a constant input)."""
    std = X.std(axis=0)
    return {"mean": X.mean(axis=0).tolist(), "std": np.where(std > 0, std, 1.0).tolist()}
