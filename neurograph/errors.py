"""The exceptions neurograph raises, one base class for all of them."""

from __future__ import annotations

__all__ = ["DataError", "FormatError", "GraphError", "NeurographError", "ShapeError", "UsageError"]


class NeurographError(Exception):
    """Base class of every error neurograph raises on purpose.

    The command-line tool catches it, prints its one-line message and exits with status 1.
    """


class ShapeError(NeurographError, ValueError):
    """An array, input vector or target has the wrong shape, length or values."""


class GraphError(NeurographError, ValueError):
    """The network's structure is not allowed: a cycle, a missing neuron, a duplicate name."""


class FormatError(NeurographError, ValueError):
    """A file is malformed, truncated, of an unknown version, or inconsistent."""


class UsageError(NeurographError, ValueError):
    """An argument is not one the function accepts (an unknown name, a bad option)."""


class DataError(NeurographError, ValueError):
    """A data set file or folder is missing, malformed, truncated, unsafe or fails its checksum."""
