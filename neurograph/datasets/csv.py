"""Read a data set from a CSV file: one example per row, one column of class labels."""

from __future__ import annotations

import csv
import io
import math
import os
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np

from neurograph.datasets.labels import LARGEST_LABEL, Labels, is_missing, is_number
from neurograph.errors import DataError, FormatError, UsageError
from neurograph.reading import MAX_LOAD_BYTES, read_bytes

__all__ = ["MAX_CELL", "Dataset", "load_csv"]

#: The longest cell, in characters (the `csv` module's own limit); a longer one is an error.
MAX_CELL = 131_072


class Dataset(tuple[np.ndarray, np.ndarray]):
    """``(X, y)`` as [`load_csv`][] returns it: it unpacks as ``X, y`` and knows its classes.

    Attributes
    ----------
    X : ndarray, shape (n, n_inputs)
    y : ndarray, shape (n,)
    classes : list of str or None
        The name of each class, in the order of the labels ``0, 1, …``: the sorted names of a
        label column of names (``["apple", "lemon"]``), ``["0", "1", …]`` for numbered classes,
        None when the labels are targets (numbers that are not all whole). Pass them to
        ``net.set_outputs(..., labels=data.classes)`` or ``ng.layered(..., labels=...)``.
    """

    classes: list[str] | None

    def __new__(cls, X: np.ndarray, y: np.ndarray, classes: list[str] | None = None) -> Dataset:
        data = super().__new__(cls, (X, y))
        data.classes = classes
        return data

    @property
    def X(self) -> np.ndarray:
        """The features, one example per row."""
        return self[0]

    @property
    def y(self) -> np.ndarray:
        """The labels (class indices) or targets."""
        return self[1]


def load_csv(
    path: str | os.PathLike[str],
    label_column: int | str = -1,
    scale: float = 1.0,
    *,
    delimiter: str = ",",
    dtype: Any = np.float64,
    classes: int | None = None,
    max_bytes: int = MAX_LOAD_BYTES,
) -> Dataset:
    """Load ``(X, y)`` from a CSV file, with or without a header row.

    Parameters
    ----------
    path : str or path-like
        A regular file of UTF-8 text (a BOM is allowed), at most `max_bytes` long.
    label_column : int or str
        The column of the labels: its position (0 is the first, -1 the last, the default)
        or, for a file with a header, its name (e.g. ``"label"``).
    scale : float
        Multiply every feature by this, e.g. ``1 / 255`` for pixels stored as bytes.
    delimiter : str
        One character.
    dtype : numpy floating dtype
        Of `X` (float64 or float32; an integer type would wrap values and is refused).
    classes : int, optional
        The number of classes, when numbered labels do not all occur in the file (e.g.
        ``classes=10`` for a few MNIST rows). Default: the labels present, which must then
        be ``0 … k−1``.
    max_bytes : int
        A larger file is refused before it is read.

    Returns
    -------
    Dataset
        Unpacks as ``X, y``. ``X``: shape ``(n, n_columns - 1)``, the other columns in file
        order, times `scale`. ``y``: shape ``(n,)``, int64 class indices when the labels are
        whole numbers (``7`` or ``7.0``) or names (``apple``: the names sorted, ``y`` their
        positions, ``data.classes`` the names), else float64 targets.

    Raises
    ------
    DataError
        For a missing, unreadable or too large file, a FIFO or device, an unknown label
        column, a row of the wrong length, a cell that is missing (``NA``, empty), not a
        number, or longer than `MAX_CELL` characters, and labels that are not plausible
        classes (the message names the line and column).
    UsageError
        For an argument of the wrong type or value.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "fruit.csv"
    >>> _ = path.write_text("grams,cm,fruit\\n150,7,apple\\n90,6,lemon\\n170,8,apple\\n")
    >>> X, y = data = load_csv(path, label_column="fruit")
    >>> X.tolist(), y.tolist(), data.classes
    ([[150.0, 7.0], [90.0, 6.0], [170.0, 8.0]], [0, 1, 0], ['apple', 'lemon'])
    """
    options = _checked(label_column, scale, delimiter, dtype, classes)
    shown = repr(str(path))
    try:
        data = read_bytes(path, max_bytes, fix="pass load_csv(..., max_bytes=...)")
    except FormatError as err:
        raise DataError(str(err)) from err
    table = _Table(data, shown, delimiter)
    label = _label_index(label_column, table.names, table.width, shown)
    labels = Labels(table, label)
    values = array("d")
    add_label, add_values = labels.add, values.extend  # once, not per row: a million rows
    for i, (line, row) in enumerate(table.body()):
        add_label(row.pop(label), i)
        try:
            add_values(map(float, row))
        except ValueError:
            _refuse_cell(table, line, row, label)
    X = np.array(values, dtype=np.float64).reshape(labels.n, table.width - 1)
    del values
    X = _features(X, table, label, options)
    y, names = labels.finish(table, options["classes"])
    return Dataset(X, y, names)


def _checked(label_column: Any, scale: Any, delimiter: Any, dtype: Any, classes: Any) -> Any:
    """The arguments, checked: a clear error for each that cannot be used."""
    if isinstance(label_column, bool) or not isinstance(label_column, (int, np.integer, str)):
        msg = (
            "label_column must be a column's position (an int, -1 for the last) or a header "
            f"name (a str), got {label_column!r}"
        )
        raise UsageError(msg)
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        msg = f"delimiter must be one character such as ',' or ';' or '\\t', got {delimiter!r}"
        raise UsageError(msg)
    real = isinstance(scale, (int, float, np.integer, np.floating)) and not isinstance(scale, bool)
    if not real or not math.isfinite(scale) or scale == 0:
        msg = f"scale must be a finite number other than 0 (e.g. 1/255), got {scale!r}"
        raise UsageError(msg)
    try:
        kind = np.dtype(dtype)
    except TypeError as err:
        msg = f"dtype must be a NumPy floating type such as np.float32, got {dtype!r}"
        raise UsageError(msg) from err
    if kind.kind != "f":
        msg = (
            f"dtype must be a floating type (np.float64 or np.float32), got {kind}: an "
            "integer type would wrap or cut the features"
        )
        raise UsageError(msg)
    whole = isinstance(classes, (int, np.integer)) and not isinstance(classes, bool)
    if classes is not None and not (whole and 1 <= classes <= LARGEST_LABEL):
        msg = (
            f"classes must be a whole number >= 1 (or None for the labels present), got {classes!r}"
        )
        raise UsageError(msg)
    return {"scale": float(scale), "dtype": kind, "classes": classes}


class _Table:
    """The rows of a CSV text, read by the `csv` module: its header, its width, its body."""

    def __init__(self, data: bytes, shown: str, delimiter: str) -> None:
        self.data, self.shown, self.delimiter = data, shown, delimiter
        try:
            data.decode("utf-8")  # checked whole first, so that the message names the true line
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            msg = f"{shown}, line {line}: not UTF-8 text ({err.reason} at byte {err.start:,})"
            raise DataError(msg) from None
        rows = self.rows()
        first, second = next(rows, None), next(rows, None)
        if first is None:
            msg = f"{shown} has no rows"
            raise DataError(msg)
        numbers = [is_number(cell) for cell in first[1]]
        if second is None:
            header = not any(numbers)
        else:  # a header cell is a word above a number
            below = second[1]
            header = any(
                not n and j < len(below) and (is_number(below[j]) or is_missing(below[j]))
                for j, n in enumerate(numbers)
            )
        self.names: list[str] | None = [c.strip() for c in first[1]] if header else None
        self.width = len(first[1])
        self.skip = 1 if header else 0
        if header and second is None:
            msg = f"{shown} has a header row and no data rows"
            raise DataError(msg)

    def rows(self, skip: int = 0, width: int = 0) -> Iterator[tuple[int, list[str]]]:
        """Every non-blank row after the first `skip`, with the line it starts on.

        The text is decoded as it is read (``newline=""``: only ``\\n``, ``\\r`` and ``\\r\\n``
        end a line, as in the `csv` module; U+2028, form feeds and quoted newlines are data).
        With `width`, a row of another length is an error.
        """
        text = io.TextIOWrapper(io.BytesIO(self.data), encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        line = 1  # where the next record starts
        try:
            for row in reader:
                if row and (len(row) > 1 or row[0].strip()):  # a blank line is no example
                    if skip:
                        skip -= 1
                    elif width and len(row) != width:
                        msg = f"{self.shown}, line {line}: expected {width} cells, got {len(row)}"
                        raise DataError(msg)
                    else:
                        yield line, row
                line = reader.line_num + 1
        except csv.Error as err:
            long = "field larger than field limit" in str(err)
            what = f"a cell longer than {MAX_CELL:,} characters" if long else str(err)
            msg = f"{self.shown}, line {line}: {what}; is it a CSV file?"
            raise DataError(msg) from None

    def body(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows, each checked to have the header's width."""
        return self.rows(self.skip, self.width)

    def line_of(self, index: int) -> int:
        """The line on which data row `index` (counted from 0) starts."""
        for i, (line, _) in enumerate(self.body()):
            if i == index:
                return line
        raise IndexError(index)

    def column(self, j: int) -> str:
        """How messages name column `j`: its header name, else its position."""
        return repr(self.names[j]) if self.names is not None else str(j)


def _label_index(label_column: int | str, names: list[str] | None, width: int, shown: str) -> int:
    """The position of the label column, checked."""
    if isinstance(label_column, str):
        if names is None or label_column not in names:
            have = f"its columns are {names}" if names is not None else "it has no header row"
            msg = f"{shown}: no column named {label_column!r}; {have}"
            raise DataError(msg)
        return names.index(label_column)
    if not -width <= label_column < width:
        msg = f"{shown}: label_column {label_column!r} is outside its {width} columns"
        raise DataError(msg)
    return int(label_column) % width


def _refuse_cell(table: _Table, line: int, row: list[str], label: int) -> None:
    """Raise the error for the first feature cell of `row` that is not a number."""
    for f, cell in enumerate(row):
        if not is_number(cell):
            column = table.column(f if f < label else f + 1)
            where = f"{table.shown}, line {line}, column {column}"
            if is_missing(cell):
                msg = f"{where}: a missing value ({cell!r}); fill it in or remove the row"
            else:
                msg = f"{where}: {cell!r} is not a number"
            raise DataError(msg)


def _features(X: np.ndarray, table: _Table, label: int, options: dict[str, Any]) -> np.ndarray:
    """`X` times the scale in the asked dtype, every value finite (else the cell is named)."""
    _check_finite(X, X, table, label, options)
    if options["scale"] == 1.0 and options["dtype"] == X.dtype:
        return X
    with np.errstate(over="ignore"):
        scaled = (X * options["scale"]).astype(options["dtype"])
    _check_finite(scaled, X, table, label, options)
    return scaled


def _check_finite(
    values: np.ndarray, X: np.ndarray, table: _Table, label: int, options: dict[str, Any]
) -> None:
    """Raise for the first value that is NaN or infinite, naming its cell in the file."""
    bad = ~np.isfinite(values)
    if not bad.any():
        return
    i, f = (int(v) for v in np.argwhere(bad)[0])
    column = table.column(f if f < label else f + 1)
    where = f"{table.shown}, line {table.line_of(i)}, column {column}"
    if values is not X:
        msg = (
            f"{where}: {float(X[i, f])!r} times scale={options['scale']!r} is not a finite "
            f"{options['dtype']}; use a smaller scale (or dtype=np.float64)"
        )
    elif math.isnan(X[i, f]):
        msg = f"{where}: a missing value (NaN); fill it in or remove the row"
    else:
        msg = f"{where}: {float(X[i, f])!r} is not a usable value (a finite number)"
    raise DataError(msg)
