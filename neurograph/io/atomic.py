"""Atomic writes: a file is either wholly written or left as it was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from neurograph.errors import UsageError

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write a file so that it is either wholly written or untouched (temp file + rename).

    Parameters
    ----------
    path : str or path-like
    text : str or bytes

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        If the directory does not exist.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        msg = f"cannot write {str(path)!r}: the directory {str(folder)!r} does not exist"
        raise UsageError(msg)
    data = text.encode() if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the file from others
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
