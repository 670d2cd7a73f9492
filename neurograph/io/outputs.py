"""A command's output paths, checked together before any work: extension, links, inputs, clashes.

Every command that writes files calls [`check_outputs`][] once, first, with all its outputs and
its inputs, so that ``train --data d.csv --output d.csv`` or ``--output m.json --record m.json``
stops before epoch 0 instead of replacing one file with another.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from neurograph.errors import UsageError
from neurograph.io.atomic import check_output_path

__all__ = ["MODEL_FORMATS", "PAGE_FORMATS", "check_output", "check_outputs"]

#: What a model may be written as (``ng.save`` picks the format by the extension).
MODEL_FORMATS = ("json", "safetensors")
#: What a page (a player, the lab) may be written as.
PAGE_FORMATS = ("html", "htm")

PathLike = str | os.PathLike[str]


def check_outputs(
    outputs: Mapping[str, tuple[PathLike | None, Sequence[str]]],
    inputs: Mapping[str, PathLike | None] | None = None,
) -> dict[str, Path]:
    """Check every output of a command before it starts; return each output's file.

    Parameters
    ----------
    outputs : mapping of str to (path or None, formats)
        Keyed by the option that names it (``"--output"``), each output's path (None: not
        asked for, skipped) and the extensions it may have, without the dot and in lower
        case (``("json", "safetensors")``; see ``MODEL_FORMATS``, ``PAGE_FORMATS``).
    inputs : mapping of str to path or None, optional
        The files the command reads, keyed by option (``{"--data": "d.csv"}``); a name that
        is not an existing file (``--data mnist``) is skipped.

    Returns
    -------
    dict of str to pathlib.Path
        For each output given, the file that will be replaced: its path, or the target of
        the symbolic link it is.

    Raises
    ------
    UsageError
        Naming the option and the path: an extension not in its formats; a symbolic link
        whose target would not itself be accepted (named: a special file, another
        extension); a directory, device, FIFO or missing folder
        ([`check_output_path`][neurograph.io.atomic.check_output_path]); two outputs that are
        one file; an output that is one of the inputs. Same file means the same resolved
        path, or ``os.path.samefile`` (a hard link).

    Examples
    --------
    >>> check_outputs({"--output": ("m.json", MODEL_FORMATS), "--plot": (None, ("svg",))})
    {'--output': PosixPath('m.json')}
    >>> check_outputs({"--output": ("m.json", MODEL_FORMATS), "--record": ("m.json", ("html",))})
    Traceback (most recent call last):
    ...
    neurograph.errors.UsageError: --record 'm.json': unknown extension '.json'; expected .html
    """
    files: dict[str, Path] = {}
    for option, (path, formats) in outputs.items():
        if path is None:
            continue
        given = Path(path)
        target = check_output(given, formats, option)
        for other, seen in files.items():
            if _same_file(target, seen):
                msg = (
                    f"{option} {str(given)!r} and {other} {str(outputs[other][0])!r} are the "
                    "same file: one would overwrite the other; give each its own name"
                )
                raise UsageError(msg)
        files[option] = target
    for option, target in files.items():
        for name, source in (inputs or {}).items():
            if source is not None and Path(source).is_file() and _same_file(target, Path(source)):
                msg = (
                    f"{option} {str(outputs[option][0])!r} is the input {name} "
                    f"{str(source)!r}: writing it would destroy what the command reads; "
                    "choose another output name"
                )
                raise UsageError(msg)
    return files


def check_output(path: PathLike, formats: Sequence[str], option: str | None = None) -> Path:
    """Check one output before any work; return the file that will be replaced.

    Parameters
    ----------
    path : str or path-like
    formats : sequence of str
        The extensions it may have, without the dot, in lower case.
    option : str, optional
        The option that names it (``"--output"``), for the messages; without one they say
        "cannot write".

    Returns
    -------
    pathlib.Path
        `path`, or the target of the symbolic link it is.

    Raises
    ------
    UsageError
        For an extension not in `formats`, a symbolic link whose target would not itself be
        accepted, a directory, device, FIFO or missing folder.
    """
    given = Path(path)
    target = _checked_target(option, given)  # a device or a directory, named as such
    _check_extension(option or "cannot write", given, formats)
    if given.is_symlink():
        _check_extension(option or "cannot write", target, formats, link=given)
    return target


def _check_extension(
    option: str, path: Path, formats: Sequence[str], link: Path | None = None
) -> None:
    if path.suffix.lower().lstrip(".") in formats:
        return
    known = ", ".join("." + f for f in formats)
    if link is None:
        msg = f"{option} {str(path)!r}: unknown extension {path.suffix!r}; expected {known}"
    else:
        msg = (
            f"{option} {str(link)!r} is a symbolic link to {str(path)!r}, which is not a "
            f"{known} file; neurograph writes through a link only to a file it would write "
            "itself (give the file's own name, or another name)"
        )
    raise UsageError(msg)


def _checked_target(option: str | None, given: Path) -> Path:
    """[`check_output_path`][neurograph.io.atomic.check_output_path], naming the option (and a
    link's target when that is what is refused)."""
    try:
        return check_output_path(given)
    except UsageError as err:
        where = f" (a symbolic link to {os.path.realpath(given)!r})" if given.is_symlink() else ""
        if option is None and not where:
            raise  # its own words name the file
        msg = f"{option or repr(str(given))}{where}: {err}"
        raise UsageError(msg) from err


def _same_file(a: Path, b: Path) -> bool:
    """One file: the same resolved path, or (for files that exist) the same inode."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist yet
        return False
