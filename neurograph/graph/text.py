"""Long lists written for a reader: cut short, they always say how many there are in all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["shortlist"]


def shortlist(items: Iterable[Any], limit: int = 8, *, quote: bool = True) -> str:
    """Write a list for a reader: in full when short, else its ends and how many in all.

    Parameters
    ----------
    items : iterable
    limit : int
        The most items written; a longer list keeps its first ``limit - 1`` and its last.
    quote : bool
        Write each item with ``repr`` (names in quotes) instead of ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> shortlist(["x1", "x2"])
    "['x1', 'x2']"
    >>> shortlist([f"L1.{j}" for j in range(1, 785)], limit=4)
    "['L1.1', 'L1.2', 'L1.3', … 'L1.784'] (784 in all)"
    >>> shortlist([0.0] * 784, limit=3, quote=False)
    '[0.0, 0.0, … 0.0] (784 in all)'
    """
    found = [repr(item) if quote else str(item) for item in items]
    if len(found) <= limit:
        return "[" + ", ".join(found) + "]"
    head = ", ".join(found[: max(limit - 1, 1)])
    return f"[{head}, … {found[-1]}] ({len(found)} in all)"
