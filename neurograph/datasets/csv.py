"""Read a data set from a CSV file: one example per row, one column of class labels."""

from __future__ import annotations

import csv
import io
import math
import os
import re
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np

from neurograph.errors import DataError, FormatError, UsageError
from neurograph.reading import MAX_LOAD_BYTES, read_bytes

__all__ = ["MAX_CELL", "Dataset", "load_csv"]

#: The longest cell, in characters (the `csv` module's own limit); a longer one is an error.
MAX_CELL = 131_072
#: The most different label texts kept as classes; beyond it labels must be numbers (targets).
MAX_NAMES = 65_536
#: Cells that mean "no value here" (compared in lower case, without spaces).
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
#: Whole labels are class numbers 0 ... 2**53 - 1: exact in int64 and float64 alike.
LARGEST_LABEL = 2**53 - 1
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


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
    labels = _Labels(table, label)
    values = array("d")
    for i, (line, row) in enumerate(table.body()):
        labels.add(row.pop(label), i)
        try:
            values.extend(map(float, row))
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
        numbers = [_is_number(cell) for cell in first[1]]
        if second is None:
            header = not any(numbers)
        else:  # a header cell is a word above a number
            below = second[1]
            header = any(
                not n and j < len(below) and (_is_number(below[j]) or _missing(below[j]))
                for j, n in enumerate(numbers)
            )
        self.names: list[str] | None = [c.strip() for c in first[1]] if header else None
        self.width = len(first[1])
        self.skip = 1 if header else 0
        if header and second is None:
            msg = f"{shown} has a header row and no data rows"
            raise DataError(msg)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every non-blank row, with the line it starts on (quoted newlines are data).

        The text is decoded as it is read (``newline=""``: only ``\\n``, ``\\r`` and ``\\r\\n``
        end a line, as in the `csv` module; U+2028 and form feeds are data).
        """
        text = io.TextIOWrapper(io.BytesIO(self.data), encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                long = "field larger than field limit" in str(err)
                what = f"a cell longer than {MAX_CELL:,} characters" if long else str(err)
                msg = f"{self.shown}, line {line}: {what}; is it a CSV file?"
                raise DataError(msg) from None
            if row and (len(row) > 1 or row[0].strip()):  # a blank line is no example
                yield line, row
            line = reader.line_num + 1

    def body(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows, each checked to have the header's width."""
        rows = self.rows()
        for _ in range(self.skip):
            next(rows)
        width = self.width
        for line, row in rows:
            if len(row) != width:
                msg = f"{self.shown}, line {line}: expected {width} cells, got {len(row)}"
                raise DataError(msg)
            yield line, row

    def line_of(self, index: int) -> int:
        """The line on which data row `index` (counted from 0) starts."""
        for i, (line, _) in enumerate(self.body()):
            if i == index:
                return line
        raise IndexError(index)

    def column(self, j: int) -> str:
        """How messages name column `j`: its header name, else its position."""
        return repr(self.names[j]) if self.names is not None else str(j)


def _missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


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
        if not _is_number(cell):
            column = table.column(f if f < label else f + 1)
            where = f"{table.shown}, line {line}, column {column}"
            if _missing(cell):
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


class _Labels:
    """The label column: a code per row for each different text, then classes or targets."""

    def __init__(self, table: _Table, label: int) -> None:
        self.table, self.n = table, 0
        self.where = f"{table.shown}, column {table.column(label)}"
        self.codes = array("q")
        self.known: dict[str, int] | None = {}  # text -> code, while texts may be classes
        self.first: list[int] = []  # the first row of each code
        self.targets = array("d")  # once there are more texts than MAX_NAMES

    def add(self, text: str, row: int) -> None:
        self.n += 1
        if self.known is None:
            self.targets.append(self._number(text, row))
            return
        code = self.known.get(text)
        if code is None:
            if len(self.known) == MAX_NAMES:  # too many for classes: numbers (targets) from now
                values = [self._number(t, self.first[c]) for t, c in self.known.items()]
                self.targets = array("d", (values[c] for c in self.codes))
                self.known, self.codes = None, array("q")
                self.targets.append(self._number(text, row))
                return
            code = self.known[text] = len(self.known)
            self.first.append(row)
        self.codes.append(code)

    def _number(self, text: str, row: int) -> float:
        value = _value(text)
        if value is None:
            msg = f"{self.at(self.table.line_of(row))}: {text!r} is not a number (more than "
            msg += f"{MAX_NAMES:,} different labels cannot be class names)"
            raise DataError(msg)
        return float(value)

    def finish(self, table: _Table, classes: int | None) -> tuple[np.ndarray, list[str] | None]:
        """``y`` and the class names (None for targets)."""
        if self.known is None:  # more different labels than MAX_NAMES: numbers
            y = np.array(self.targets, dtype=np.float64)
            if not np.all(y == np.round(y)):
                return y, None
            outside = np.flatnonzero((y < 0) | (y > LARGEST_LABEL))
            if len(outside):
                self._refuse(table, int(outside[0]), y[outside[0]])
            return self._counted(y.astype(np.int64), classes)
        texts = list(self.known)
        for code, text in enumerate(texts):
            if _missing(text) or (_value(text) is None and _is_number(text)):
                line = table.line_of(self.first[code])
                what = "a missing label" if _missing(text) else "not a usable label"
                msg = f"{self.at(line)}: {what} ({text!r}); fill it in or remove the row"
                raise DataError(msg)
        values = [_value(t) for t in texts]
        codes = np.array(self.codes, dtype=np.int64)
        if any(v is None for v in values):
            return self._named(texts, codes, classes)
        if not all(float(v) == round(float(v)) for v in values if v is not None):
            return np.array([float(v) for v in values if v is not None])[codes], None
        for code, v in enumerate(values):
            if v is not None and not 0 <= v <= LARGEST_LABEL:
                self._refuse(table, self.first[code], v)
        lookup = np.array([int(v) for v in values if v is not None], dtype=np.int64)
        return self._counted(lookup[codes], classes)

    def at(self, line: int) -> str:
        """Where a label is: the file, its line and the label column."""
        return self.where.replace(", column", f", line {line}, column")

    def _refuse(self, table: _Table, row: int, value: Any) -> None:
        msg = f"{self.at(table.line_of(row))}: the label {value!r} is not a class number "
        msg += "0 … 2**53 − 1 (a whole number that float64 and int64 hold exactly)"
        raise DataError(msg)

    def _named(
        self, texts: list[str], codes: np.ndarray, classes: int | None
    ) -> tuple[np.ndarray, list[str]]:
        """Class names: sorted, and each row's label is the position of its name."""
        names = sorted({t.strip() for t in texts})
        if classes is not None and classes != len(names):
            msg = f"{self.where} holds {len(names)} class names; classes={classes} applies to "
            msg += "numbered labels (leave it out)"
            raise DataError(msg)
        rank = {name: k for k, name in enumerate(names)}
        lookup = np.array([rank[t.strip()] for t in texts], dtype=np.int64)
        return lookup[codes], names

    def _counted(self, labels: np.ndarray, classes: int | None) -> tuple[np.ndarray, list[str]]:
        """Class numbers 0 … k−1: k the labels present, or `classes` when given."""
        present = np.unique(labels)
        k = int(present[-1]) + 1 if len(present) else 0
        if classes is None and k != len(present):
            shown = ", ".join(str(v) for v in present[:5]) + (", …" if len(present) > 5 else "")
            msg = (
                f"{self.where}: the labels are {shown} ({len(present)} classes present), but "
                f"numbered classes are 0 … k−1, which would make {k:,} outputs; number them "
                f"0 … {len(present) - 1}, or give classes={k} (--classes {k}) if the data "
                "lacks the others"
            )
            raise DataError(msg)
        if classes is not None and classes < k:
            msg = f"{self.where}: the label {k - 1} needs classes >= {k}, got classes={classes}"
            raise DataError(msg)
        return labels, [str(c) for c in range(classes or k)]


def _value(text: str) -> int | float | None:
    """A label's number: an exact int for a whole-number literal, a float, or None."""
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
