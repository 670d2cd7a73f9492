"""Optional dependencies (the ``torch`` extra), imported on first use with a clear error."""

from __future__ import annotations

import importlib
from types import ModuleType

from neurograph.errors import UsageError

__all__ = ["require"]


def require(module: str, extra: str = "torch") -> ModuleType:
    """Import an optional dependency, or say which extra installs it.

    Parameters
    ----------
    module : str
        E.g. ``"torch"`` or ``"safetensors.numpy"``.
    extra : str
        The pip extra that installs it.

    Returns
    -------
    module

    Raises
    ------
    UsageError
        If the module is not installed: ``pip install 'neurograph[torch]'``.

    Examples
    --------
    >>> require("json").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        top = module.split(".")[0]
        msg = (
            f"{top} is not installed, and this part of neurograph needs it: "
            f"pip install 'neurograph[{extra}]'"
        )
        raise UsageError(msg) from err
