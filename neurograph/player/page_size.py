"""Keeping a training page within its size: the snapshots thinned evenly, the ends kept.

A page holds every snapshot's weights, biases, reports and pictures, so its size grows with
the epochs times the network: 1,000 epochs of ``[2, 400, 2]`` would be 600 MB. The docs
promise pages of at most 5 MB, so [`fitted`][] chooses how many snapshots fit, before the
whole page is built, and [`say_thinned`][] says so on the page and in a `PageSizeWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.graph.types import is_whole

__all__ = ["MAX_PAGE_BYTES", "PageSizeWarning", "check_limits", "fitted", "say_thinned", "thinned"]

#: The largest training page written unless told otherwise: 5 MiB, as the docs promise.
MAX_PAGE_BYTES = 5 * 2**20


class PageSizeWarning(UserWarning):
    """A training page left out snapshots to stay within its size limit."""


def check_limits(max_snapshots: Any, max_bytes: Any) -> None:
    """Refuse a `max_snapshots` that is not a whole number >= 2, a `max_bytes` not >= 1.

    Raises
    ------
    UsageError
    """
    if max_snapshots is not None and not is_whole(max_snapshots, 2):
        msg = (
            "max_snapshots must be a whole number >= 2 (the first and the last), "
            f"got {max_snapshots!r:.40}"
        )
        raise UsageError(msg)
    if not is_whole(max_bytes, 1):
        msg = f"max_bytes must be a whole number of bytes >= 1, got {max_bytes!r:.40}"
        raise UsageError(msg)


def thinned(snapshots: list[Any], count: int) -> list[Any]:
    """`count` of `snapshots`, evenly spread, always the first and the last.

    Examples
    --------
    >>> thinned(list(range(10)), 4)
    [0, 3, 6, 9]
    >>> thinned(list(range(3)), 5)
    [0, 1, 2]
    """
    if count >= len(snapshots):
        return list(snapshots)
    picks = np.unique(np.rint(np.linspace(0, len(snapshots) - 1, max(count, 2))).astype(int))
    return [snapshots[i] for i in picks]


def fitted(
    snapshots: list[Any],
    size_of: Callable[[list[Any]], int],
    max_snapshots: int | None,
    max_bytes: int,
) -> list[Any]:
    """The snapshots a page replays: `max_snapshots` of them, or as many as fit `max_bytes`.

    Parameters
    ----------
    snapshots : list of Snapshot
    size_of : callable
        The size in bytes of the page of some snapshots (it builds that page).
    max_snapshots : int or None
        Chosen by the caller: that many, evenly, and no size limit.
    max_bytes : int

    Returns
    -------
    list of Snapshot
        The first and the last always among them. The size of one more snapshot is measured
        on pages of two and three, so that the whole page is never built only to be thrown
        away; the estimate is then checked (and the count lowered) on the real page.
    """
    if max_snapshots is not None:
        return thinned(snapshots, max_snapshots)
    if len(snapshots) <= 2:
        return list(snapshots)
    two = size_of(thinned(snapshots, 2))
    if two >= max_bytes:
        return thinned(snapshots, 2)
    each = max(size_of(thinned(snapshots, 3)) - two, 1)  # the bytes of one more snapshot
    kept = thinned(snapshots, 2 + (max_bytes - two) // each)
    while len(kept) > 2 and (size := size_of(kept)) > max_bytes:
        kept = thinned(snapshots, max(2, int(len(kept) * max_bytes / size) - 1))
    return kept


def say_thinned(shown: int, total: int, max_snapshots: int | None, max_bytes: int) -> str:
    """The note a thinned page's subtitle ends with ("" when it shows every snapshot), and a
    `PageSizeWarning` when the size limit (not the caller) chose the number."""
    if shown >= total:
        return ""
    why = (
        f"max_snapshots={max_snapshots}"
        if max_snapshots is not None
        else f"to stay within {max_bytes / 2**20:.3g} MiB"
    )
    note = f"{shown} of {total} snapshots, evenly ({why})"
    if max_snapshots is None:
        msg = (
            f"the training page shows {note}; pass max_snapshots= (the command line's "
            "--record-max-snapshots) to choose"
        )
        warnings.warn(msg, PageSizeWarning, stacklevel=5)  # the caller of save_html
    return f"; {note}"
