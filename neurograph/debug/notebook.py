"""How a network and the passes' events show themselves in Jupyter: IPython's display formatters.

The graph engine draws nothing, so its `Network` and its events carry no ``_repr_mimebundle_``;
instead, when ``neurograph`` is imported inside IPython (a notebook, the console), [`register`][]
tells the shell's MIME-bundle formatter how to draw them: a network as the diagram of what was
computed last, an event as the network with its neuron highlighted and the book's equation under
it. Every arrow is an import: this module imports the graph engine and the pictures, below it.
"""

from __future__ import annotations

import sys
from typing import Any

from neurograph.debug.inspection import picture_bundle
from neurograph.graph.events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
from neurograph.graph.network import Network

__all__ = ["event_bundle", "network_bundle", "register"]

#: What a network's picture shows after each pass (``Network.computed``).
_SHOWN = {"nothing": "weights", "forward": "activations", "backward": "deltas"}


def network_bundle(net: Network, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """A network's Jupyter MIME bundle: its diagram of what was computed last.

    The weights before any pass, the activations after a forward pass, the errors δ after a
    backward pass (see [`neurograph.draw`][]). Without Graphviz's ``dot`` the bundle holds the
    DOT source and the message that says how to install it.

    Parameters
    ----------
    net : Network
    include, exclude : collection of str, optional
        MIME types to keep or to leave out, as IPython passes them.

    Returns
    -------
    dict of str to str
    """
    from neurograph.pictures.diagram import draw

    bundle = draw(net, show=_SHOWN[net.computed])._repr_mimebundle_(include, exclude)
    return dict(bundle)


def event_bundle(
    event: ForwardEvent | CostEvent | BackwardEvent | UpdateEvent,
    include: Any = None,
    exclude: Any = None,
) -> dict[str, Any]:
    """An event's Jupyter MIME bundle: the network with its neuron highlighted, and the equations.

    Parameters
    ----------
    event : ForwardEvent, CostEvent, BackwardEvent or UpdateEvent
    include, exclude : collection of str, optional

    Returns
    -------
    dict of str to str
        ``"text/html"`` (the diagram, the equations under it) and ``"text/plain"``.
    """
    neuron = event.outputs[0] if isinstance(event, CostEvent) else event.neuron
    text = "\n".join(event.lines())
    if neuron.network is None:  # removed from its network since: only the equations remain
        return {"text/plain": text}
    return picture_bundle(neuron.network, event, text, include, exclude)


def register(shell: Any = None) -> bool:
    """Tell IPython's display formatters how to draw networks and events.

    ``import neurograph`` calls it; a shell given explicitly (e.g. from an IPython extension)
    is used instead of the running one.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running shell, if IPython is loaded and one runs.

    Returns
    -------
    bool
        Whether a shell was found (outside IPython nothing is registered).
    """
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter = shell.display_formatter.mimebundle_formatter
    formatter.for_type(Network, network_bundle)
    for kind in (ForwardEvent, CostEvent, BackwardEvent, UpdateEvent):
        formatter.for_type(kind, event_bundle)
    return True
