"""Read a data set from a CSV file: one example per row, one column of class labels."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import DataError

__all__ = ["load_csv"]


def load_csv(
    path: str | os.PathLike[str],
    label_column: int | str = -1,
    scale: float = 1.0,
    *,
    delimiter: str = ",",
    dtype: Any = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Load ``(X, y)`` from a CSV file, with or without a header row.

    Parameters
    ----------
    path : str or path-like
    label_column : int or str
        The column of the labels: its position (0 is the first, -1 the last, the default)
        or, for a file with a header, its name (e.g. ``"label"``).
    scale : float
        Multiply every feature by this, e.g. ``1 / 255`` for pixels stored as bytes.
    delimiter : str
    dtype : numpy dtype
        Of `X`.

    Returns
    -------
    X : ndarray, shape (n, n_columns - 1)
        The other columns, in file order, times `scale`.
    y : ndarray, shape (n,)
        int64 when every label is a whole number (``7`` or ``7.0``), else float64.

    Raises
    ------
    DataError
        For a missing or empty file, an unknown label column, a row of the wrong length, or
        a cell that is not a number (the message names its line and column).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "points.csv"
    >>> _ = path.write_text("x1,x2,label\\n0.5,1,1\\n-2,0.25,0\\n")
    >>> X, y = load_csv(path, label_column="label")
    >>> X.tolist(), y.tolist(), y.dtype
    ([[0.5, 1.0], [-2.0, 0.25]], [1, 0], dtype('int64'))
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        msg = f"cannot read {str(path)!r} as a text CSV file: {err}"
        raise DataError(msg) from err
    rows = [(n, row) for n, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), 1)]
    rows = [(n, row) for n, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        msg = f"{str(path)!r} has no rows"
        raise DataError(msg)
    names = rows[0][1] if not all(_is_number(cell) for cell in rows[0][1]) else None
    body = rows[1:] if names is not None else rows
    width = len(rows[0][1])
    label = _label_index(label_column, names, width, path)
    values = np.empty((len(body), width))
    for i, (line, row) in enumerate(body):
        if len(row) != width:
            msg = f"{str(path)!r}, line {line}: expected {width} cells, got {len(row)}"
            raise DataError(msg)
        for j, cell in enumerate(row):
            try:
                values[i, j] = float(cell)
            except ValueError:
                column = repr(names[j]) if names is not None else str(j)
                msg = f"{str(path)!r}, line {line}, column {column}: {cell!r} is not a number"
                raise DataError(msg) from None
    if not np.all(np.isfinite(values)):
        line = body[int(np.argmin(np.isfinite(values).all(axis=1)))][0]
        msg = f"{str(path)!r}, line {line}: NaN or inf is not a usable value"
        raise DataError(msg)
    y = values[:, label]
    X = np.delete(values, label, axis=1) * float(scale)
    whole = bool(np.all(y == np.round(y)))
    return X.astype(dtype), (y.astype(np.int64) if whole else y)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _label_index(label_column: int | str, names: list[str] | None, width: int, path: Path) -> int:
    """The position of the label column, checked."""
    if isinstance(label_column, str):
        if names is None or label_column not in names:
            have = f"its columns are {names}" if names is not None else "it has no header row"
            msg = f"{str(path)!r}: no column named {label_column!r}; {have}"
            raise DataError(msg)
        return names.index(label_column)
    if isinstance(label_column, bool) or not -width <= label_column < width:
        msg = f"{str(path)!r}: label_column {label_column!r} is outside its {width} columns"
        raise DataError(msg)
    return label_column % width
