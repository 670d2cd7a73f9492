"""Reading a file safely: a regular file only, never blocking, never more than a limit.

The one reader of model files (`neurograph.io`) and data files (`neurograph.datasets`): it sits
below both, beside `neurograph.errors`, so that the data sets still import no engine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from neurograph.errors import FormatError, UsageError

__all__ = ["MAX_LOAD_BYTES", "read_bytes", "read_limited"]

#: The largest model file [`neurograph.load`][] reads unless told otherwise (``max_bytes``):
#: 256 MiB, about 10 million weights as JSON (784-30-10 is 0.5 MB).
MAX_LOAD_BYTES = 256 * 2**20


def read_limited(path: str | os.PathLike[str], max_bytes: int = MAX_LOAD_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `max_bytes` bytes.

    Parameters
    ----------
    path : str or path-like
    max_bytes : int
        A larger file is refused before it is read whole.

    Returns
    -------
    str

    Raises
    ------
    FormatError
        If the file is missing, unreadable, not a regular file (a FIFO or device is refused
        without blocking), larger than `max_bytes`, or not UTF-8.
    UsageError
        If `max_bytes` is not a positive integer.

    Examples
    --------
    >>> read_limited("/dev/zero")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.FormatError: cannot read '/dev/zero': it is not a regular file ...
    """
    data = read_bytes(path, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        msg = f"cannot read {str(path)!r}: not UTF-8 text ({err})"
        raise FormatError(msg) from err


def read_bytes(
    path: str | os.PathLike[str],
    max_bytes: int = MAX_LOAD_BYTES,
    *,
    fix: str = "load it with ng.load(path, max_bytes=...)",
) -> bytes:
    """The bytes of a regular file of at most `max_bytes` bytes (see [`read_limited`][]).

    Parameters
    ----------
    path : str or path-like
    max_bytes : int
    fix : str
        What the message of a file over `max_bytes` tells a user who trusts it to do.

    Raises
    ------
    FormatError
        If the file is missing, unreadable, not a regular file (refused without blocking) or
        larger than `max_bytes`.
    UsageError
        If `max_bytes` is not a positive integer.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        msg = f"max_bytes must be a positive integer, got {max_bytes!r}"
        raise UsageError(msg)
    shown = repr(str(path))
    try:
        fd = os.open(Path(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        msg = f"cannot read {shown}: {err.strerror or err}"
        raise FormatError(msg) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            msg = f"cannot read {shown}: it is not a regular file (a directory, FIFO or device)"
            raise FormatError(msg)
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as handle:  # the size first: nothing read in vain
            too_big = info.st_size > max_bytes
            data = b"" if too_big else handle.read(info.st_size)
            too_big = too_big or handle.read(1) != b""  # or it grew while being read
    except OSError as err:
        msg = f"cannot read {shown}: {err.strerror or err}"
        raise FormatError(msg) from err
    finally:
        os.close(fd)
    if too_big:
        msg = (
            f"cannot read {shown}: larger than max_bytes={max_bytes:,} bytes; "
            f"if you trust it, {fix}"
        )
        raise FormatError(msg)
    return data
