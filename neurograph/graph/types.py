"""Type aliases shared by the modules of neurograph, and what counts as a real number."""

from __future__ import annotations

import math
from typing import Any, TypeGuard

import numpy as np
import numpy.typing as npt

from neurograph.errors import UsageError

__all__ = ["Array", "NeuronRef", "is_real", "is_whole", "random_generator"]

Array = npt.NDArray[np.floating[Any]]
"""A NumPy array of floats (float64 unless a ``dtype`` was asked for)."""

NeuronRef = str | Any
"""A neuron object, or its name."""


def is_real(v: Any) -> bool:
    """Whether `v` is a finite real number: an int or float (NumPy's too), not a bool or string.

    Examples
    --------
    >>> is_real(0.5), is_real(np.float32(2)), is_real(True), is_real("1"), is_real(10**400)
    (True, True, False, False, False)
    """
    if not isinstance(v, (int, float, np.integer, np.floating)) or isinstance(v, (bool, np.bool_)):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an int beyond float's range
        return False


def is_whole(v: Any, least: int | None = None) -> TypeGuard[int | np.integer[Any]]:
    """Whether `v` is an integer (NumPy's too), not a bool, and at least `least` when given.

    Examples
    --------
    >>> is_whole(3), is_whole(np.int64(3), 1), is_whole(True), is_whole(3.0), is_whole(0, 1)
    (True, True, False, False, False)
    """
    whole = isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
    return whole and (least is None or bool(v >= least))


def random_generator(seed: Any, who: str = "seed") -> np.random.Generator:
    """The generator a `seed` argument asks for: a whole number >= 0, a Generator, or None.

    Raises
    ------
    UsageError
        For anything else (a negative number, a float, a string), naming `who`.

    Examples
    --------
    >>> int(random_generator(0).integers(10)), random_generator(None) is not None
    (8, True)
    """
    if seed is None or isinstance(seed, np.random.Generator) or is_whole(seed, 0):
        return np.random.default_rng(seed)
    msg = f"{who} must be a whole number >= 0, a numpy Generator or None, got {seed!r}"
    raise UsageError(msg)
