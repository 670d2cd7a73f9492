"""The label column of a CSV file: class names, class numbers 0 … k−1, or targets."""

from __future__ import annotations

import math
import re
from array import array
from typing import Any

import numpy as np

from neurograph.errors import DataError

__all__ = ["LARGEST_LABEL", "MAX_NAMES", "MISSING", "Labels", "is_missing", "is_number"]

#: The most different label texts kept as classes; beyond it labels must be numbers (targets).
MAX_NAMES = 65_536
#: Cells that mean "no value here" (compared in lower case, without spaces).
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
#: Whole labels are class numbers 0 ... 2**53 - 1: exact in int64 and float64 alike.
LARGEST_LABEL = 2**53 - 1
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


def is_missing(cell: str) -> bool:
    """Whether a cell means "no value here": empty, ``NA``, ``nan``, ``?`` …"""
    return cell.strip().lower() in MISSING


def is_number(cell: str) -> bool:
    """Whether `float` reads the cell."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


class Labels:
    """The label column: a code per row for each different text, then classes or targets.

    ``table`` is the file's table in `neurograph.datasets.csv`: messages use its ``shown``
    name, ``column(j)`` and ``line_of(row)``, which finds a row's line only when one is named.
    """

    def __init__(self, table: Any, label: int) -> None:
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
        value = label_value(text)
        if value is None:
            msg = f"{self.at(self.table.line_of(row))}: {text!r} is not a number (more than "
            msg += f"{MAX_NAMES:,} different labels cannot be class names)"
            raise DataError(msg)
        return float(value)

    def finish(self, table: Any, classes: int | None) -> tuple[np.ndarray, list[str] | None]:
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
            if is_missing(text) or (label_value(text) is None and is_number(text)):
                line = table.line_of(self.first[code])
                what = "a missing label" if is_missing(text) else "not a usable label"
                msg = f"{self.at(line)}: {what} ({text!r}); fill it in or remove the row"
                raise DataError(msg)
        values = [label_value(t) for t in texts]
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

    def _refuse(self, table: Any, row: int, value: Any) -> None:
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


def label_value(text: str) -> int | float | None:
    """A label's number: an exact int for a whole-number literal, a float, or None."""
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
