"""Atomic writes that never destroy: a regular file is wholly written or left as it was."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from pathlib import Path

from neurograph.errors import UsageError

__all__ = ["check_output_path", "write_atomic"]

_TMP = ".tmp"


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Check, before any work, that `path` can be written as a regular file; return the target.

    Every command calls it on each of its outputs (through
    [`check_outputs`][neurograph.io.outputs.check_outputs]) before it starts (``neurograph train``
    before epoch 0), and [`write_atomic`][] calls it again before it writes.

    Parameters
    ----------
    path : str or path-like
        A new file, a regular file to replace, or a symbolic link to one of those: a link
        is written through, to its target, and stays a link.

    Returns
    -------
    pathlib.Path
        The file that will be replaced: `path`, or the target of the link `path`.

    Raises
    ------
    UsageError
        If `path` (or its target) is a directory, a device (``/dev/null``), a FIFO or a
        socket, or if its folder is missing or not writable.

    Examples
    --------
    >>> check_output_path("/dev/null")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.UsageError: cannot write '/dev/null': it is a character device, not a ...
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    shown = repr(str(given))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        msg = f"cannot write {shown}: {err.strerror or err}"
        raise UsageError(msg) from err
    if mode is not None and not stat.S_ISREG(mode):
        what = _kind(mode)
        msg = (
            f"cannot write {shown}: it is {what}, not a regular file; neurograph replaces only "
            "regular files (choose a file name, e.g. model.json)"
        )
        raise UsageError(msg)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        msg = f"cannot write {shown}: the directory {str(folder)!r} does not exist"
        raise UsageError(msg)
    if not os.access(folder, os.W_OK | os.X_OK):
        msg = f"cannot write {shown}: the directory {str(folder)!r} is not writable"
        raise UsageError(msg)
    return target


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write a file so that it is either wholly written or untouched (temp file + rename).

    Parameters
    ----------
    path : str or path-like
        Checked by [`check_output_path`][] first: special files and directories are
        refused, a symbolic link is written through to its target. An existing file keeps
        its permissions.
    text : str or bytes

    Returns
    -------
    pathlib.Path
        `path`, as given.

    Raises
    ------
    UsageError
        See [`check_output_path`][].

    Notes
    -----
    The data goes to a temporary file ``.NAME.PID.RANDOM.tmp`` next to the target, is synced,
    then renamed over it. On an error the temporary file is removed; one left by a killed
    process (its PID no longer runs) is removed by the next write of the same file.
    """
    target = check_output_path(path)
    folder = target.parent if str(target.parent) else Path(".")
    _remove_stale(folder, target.name)
    data = text.encode() if isinstance(text, str) else text
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # mkstemp's 0600 would hide the file from others
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=_TMP)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(path)


def _kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "a special file"


def _remove_stale(folder: Path, name: str) -> None:
    """Remove the temporary files of `name` left by processes that no longer run."""
    for tmp in folder.glob(f".{glob.escape(name)}.*{_TMP}"):
        pid = tmp.name[len(name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # someone else's process
        return True
    return True
