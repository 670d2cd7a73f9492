"""What the parts above the engines lend them: the compiler, Jupyter pictures, plots, the player.

The graph engine is the bottom of the house and imports no part above it, yet
``Network.compile()`` belongs to its face and a network or an event shows itself as a picture
in Jupyter. The package's face (``neurograph/__init__.py``), which knows every part, fills these
slots when ``neurograph`` is imported; a slot left empty says so in a clear error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neurograph.errors import UsageError

__all__ = ["provide", "use"]

_slots: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    """Fill the slot `name` with `function` (done once, by the package's face).

    Parameters
    ----------
    name : {"compile", "picture", "event_picture", "record", "history_plot", "training_page"}
        ``"compile"``: ``(net, dtype) -> FastNetwork``; ``"picture"``: a network's Jupyter MIME
        bundle; ``"event_picture"``: an event's; ``"record"``: ``Debugger -> Recording`` (for
        ``Debugger.record``); ``"history_plot"``: ``(history, path, title=...) -> matplotlib
        Figure``; ``"training_page"``: ``(history, path, net, data, **options) -> Path`` (for
        ``History.save_html``).
    function : callable
    """
    _slots[name] = function


def use(name: str) -> Callable[..., Any]:
    """The function in the slot `name`.

    Raises
    ------
    UsageError
        If nothing filled the slot (only when the face of the package was bypassed).
    """
    try:
        return _slots[name]
    except KeyError:
        msg = f"nothing provides {name!r}: import neurograph (its face fills this slot)"
        raise UsageError(msg) from None
