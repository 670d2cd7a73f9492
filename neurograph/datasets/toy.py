"""Two-dimensional toy data sets (xor, circles, moons, spiral, gaussians) for decision maps."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from neurograph.errors import UsageError

__all__ = ["TOY_NAMES", "toy"]

Maker = Callable[[np.random.Generator, np.ndarray, int], np.ndarray]


def _xor(rng: np.random.Generator, y: np.ndarray, classes: int) -> np.ndarray:
    """Class 0 in the quadrants (+, +) and (−, −), class 1 in (+, −) and (−, +)."""
    first = rng.choice([-1.0, 1.0], size=len(y))
    second = np.where(y == 0, first, -first)
    return np.column_stack([first, second]) * rng.uniform(0.1, 1.0, size=(len(y), 2))


def _circles(rng: np.random.Generator, y: np.ndarray, classes: int) -> np.ndarray:
    """Class 0 on a circle of radius 0.5, class 1 on the circle of radius 1 around it."""
    angle = rng.uniform(0.0, 2 * np.pi, size=len(y))
    radius = np.where(y == 0, 0.5, 1.0)
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def _moons(rng: np.random.Generator, y: np.ndarray, classes: int) -> np.ndarray:
    """Two interleaved half circles of radius 1, centred on the origin."""
    t = rng.uniform(0.0, np.pi, size=len(y))
    upper = np.column_stack([np.cos(t) - 0.5, np.sin(t) - 0.25])
    lower = np.column_stack([0.5 - np.cos(t), 0.25 - np.sin(t)])
    return np.where((y == 0)[:, None], upper, lower)


def _spiral(rng: np.random.Generator, y: np.ndarray, classes: int) -> np.ndarray:
    """`classes` arms, each winding one turn out from the origin."""
    r = rng.uniform(0.05, 1.0, size=len(y))
    angle = 2 * np.pi * y / classes + 2 * np.pi * r
    return r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def _gaussians(rng: np.random.Generator, y: np.ndarray, classes: int) -> np.ndarray:
    """One round blob per class, their centres evenly spaced on the unit circle."""
    angle = 2 * np.pi * y / classes + np.pi / 4
    return np.column_stack([np.cos(angle), np.sin(angle)])


# name -> (maker, whether any number of classes works, the default noise)
_MAKERS: dict[str, tuple[Maker, bool, float]] = {
    "xor": (_xor, False, 0.05),
    "circles": (_circles, False, 0.08),
    "moons": (_moons, False, 0.1),
    "spiral": (_spiral, True, 0.04),
    "gaussians": (_gaussians, True, 0.3),
}
TOY_NAMES = tuple(_MAKERS)


def toy(
    name: str,
    n: int = 200,
    *,
    classes: int = 2,
    noise: float | None = None,
    seed: int | np.random.Generator | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """A two-dimensional classification data set, for networks with two inputs.

    Parameters
    ----------
    name : {"xor", "circles", "moons", "spiral", "gaussians"}
        ``"xor"``: points in the four quadrants, the class the sign of ``x₁x₂``; ``"circles"``:
        a circle of radius 0.5 inside one of radius 1; ``"moons"``: two interleaved half
        circles; ``"spiral"``: `classes` interleaved arms; ``"gaussians"``: one blob per class
        on the unit circle. Every set lies in about ``[-2, 2]²``.
    n : int
        Examples in all, split between the classes as evenly as possible (their counts
        differ by at most one).
    classes : int
        Two, or more for ``"spiral"`` and ``"gaussians"``.
    noise : float, optional
        The standard deviation of the Gaussian noise added to each coordinate; the default
        depends on the set (0.05 xor, 0.08 circles, 0.1 moons, 0.04 spiral, 0.3 gaussians).
    seed : int or numpy.random.Generator, optional
        The same seed gives the same data (``numpy.random.default_rng(seed)``).

    Returns
    -------
    X : ndarray of float64, shape (n, 2)
    y : ndarray of int64, shape (n,)
        Labels ``0 … classes − 1``, in a shuffled order.

    Raises
    ------
    UsageError
        For an unknown name, ``n < 1``, a negative noise, or a number of classes the set
        does not have.

    Examples
    --------
    >>> import numpy as np, neurograph as ng
    >>> X, y = ng.datasets.toy("moons", n=100, seed=1)
    >>> X.shape, y.dtype, np.bincount(y).tolist()
    ((100, 2), dtype('int64'), [50, 50])
    """
    if name not in _MAKERS:
        msg = f"unknown toy data set {name!r}; expected one of " + ", ".join(map(repr, TOY_NAMES))
        raise UsageError(msg)
    make, any_classes, default_noise = _MAKERS[name]
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        msg = f"toy({name!r}): n must be a whole number of examples >= 1, got {n!r}"
        raise UsageError(msg)
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 2:
        msg = f"toy({name!r}): classes must be a whole number >= 2, got {classes!r}"
        raise UsageError(msg)
    if classes != 2 and not any_classes:
        msg = f"toy({name!r}) has 2 classes, got classes={classes}; 'spiral' and 'gaussians' "
        raise UsageError(msg + "take any number")
    noise = default_noise if noise is None else float(noise)
    if not (np.isfinite(noise) and noise >= 0):
        msg = f"toy({name!r}): noise must be a finite number >= 0, got {noise!r}"
        raise UsageError(msg)
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % classes).astype(np.int64)
    X = make(rng, y, classes) + noise * rng.standard_normal((n, 2))
    return X.astype(np.float64), y
