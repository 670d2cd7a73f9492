"""neurograph: build neural networks neuron by neuron, watch them compute, and train them fast.

After Michael Nielsen's *Neural Networks and Deep Learning*, chapters 1-3.

This module is the face of the package: the public API, and nothing else. It knows every
part, so it is where the parts above the graph engine lend it what it shows
(`neurograph.graph.hooks`). The engines load with it; the parts that draw (and so import
Graphviz) load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from neurograph import datasets
from neurograph.errors import (
    DataError,
    FormatError,
    GraphError,
    NeurographError,
    ShapeError,
    UsageError,
)
from neurograph.exercises.bits import binary_output_layer, decode_bits
from neurograph.fast.history import DivergenceError, History
from neurograph.fast.network import FastNetwork, Trace
from neurograph.fast.schedules import HalveOnPlateau
from neurograph.graph import hooks, passes
from neurograph.graph.builders import from_matrices, layered
from neurograph.graph.costs import Cost, CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from neurograph.graph.events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
from neurograph.graph.gradcheck import gradient_check, numerical_gradients
from neurograph.graph.network import Network
from neurograph.graph.neurons import (
    Input,
    Neuron,
    Perceptron,
    SigmoidNeuron,
    SoftmaxLayer,
    SoftmaxUnit,
    sigmoid,
    sigmoid_prime,
    softmax,
)
from neurograph.io.files import load, save
from neurograph.lab.live import Lab, lab
from neurograph.version import __version__

if TYPE_CHECKING:
    from neurograph.bridge.from_torch import from_torch
    from neurograph.bridge.loss import torch_l2, torch_loss
    from neurograph.bridge.to_torch import to_torch
    from neurograph.debug.debugger import Debugger
    from neurograph.pictures.diagram import draw, render
    from neurograph.pictures.limit import draw_limit
    from neurograph.pictures.maps import decision_map
    from neurograph.pictures.weights import draw_weights
    from neurograph.player.recording import Recording, record
    from neurograph.playground.compare import compare

# Loaded on first use: public name -> the module that defines it.
_LAZY = {
    "Debugger": "neurograph.debug.debugger",
    "draw": "neurograph.pictures.diagram",
    "render": "neurograph.pictures.diagram",
    "draw_limit": "neurograph.pictures.limit",
    "draw_weights": "neurograph.pictures.weights",
    "decision_map": "neurograph.pictures.maps",
    "compare": "neurograph.playground.compare",
    "Recording": "neurograph.player.recording",
    "record": "neurograph.player.recording",
    "to_torch": "neurograph.bridge.to_torch",  # the bridge needs the torch extra
    "torch_loss": "neurograph.bridge.loss",
    "torch_l2": "neurograph.bridge.loss",
    "from_torch": "neurograph.bridge.from_torch",
}

__all__ = [
    "BackwardEvent",
    "Cost",
    "CostEvent",
    "CrossEntropyCost",
    "DataError",
    "Debugger",
    "DivergenceError",
    "FastNetwork",
    "FormatError",
    "ForwardEvent",
    "GraphError",
    "HalveOnPlateau",
    "History",
    "Input",
    "Lab",
    "LogLikelihoodCost",
    "Network",
    "Neuron",
    "NeurographError",
    "Perceptron",
    "QuadraticCost",
    "Recording",
    "ShapeError",
    "SigmoidNeuron",
    "SoftmaxLayer",
    "SoftmaxUnit",
    "Trace",
    "UpdateEvent",
    "UsageError",
    "__version__",
    "binary_output_layer",
    "compare",
    "datasets",
    "decision_map",
    "decode_bits",
    "draw",
    "draw_limit",
    "draw_weights",
    "from_matrices",
    "from_torch",
    "gradient_check",
    "lab",
    "layered",
    "load",
    "numerical_gradients",
    "passes",
    "record",
    "render",
    "save",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "to_torch",
    "torch_l2",
    "torch_loss",
]


def __getattr__(name: str) -> Any:
    """Load a drawing part on first use (PEP 562), so that ``import neurograph`` stays light."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    msg = f"module 'neurograph' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _network_picture(net: Network, include: Any = None, exclude: Any = None) -> Any:
    """A network's Jupyter display: its diagram of what was computed last (the weights, the
    activations after a forward pass, the errors δ after a backward pass)."""
    show = {"nothing": "weights", "forward": "activations", "backward": "deltas"}[net.computed]
    return __getattr__("draw")(net, show=show)._repr_mimebundle_(include, exclude)


def _player() -> Any:
    """The player's recording module, loaded on first use (it draws with Graphviz)."""
    return importlib.import_module("neurograph.player.recording")


def _event_picture(*args: Any) -> Any:
    """An event's Jupyter display: the network with its neuron highlighted, and the equation."""
    from neurograph.debug.inspection import picture_bundle

    return picture_bundle(*args)


hooks.provide("compile", lambda net, dtype: FastNetwork(net, dtype=dtype))
hooks.provide("picture", _network_picture)
hooks.provide("event_picture", _event_picture)
hooks.provide("record", lambda dbg: _player().record_debugger(dbg))


def _history_plot(*args: Any, **kwargs: Any) -> Any:
    """``History.plot``: the learning curves, drawn with matplotlib (loaded on first use)."""
    from neurograph.pictures.curves import plot_history

    return plot_history(*args, **kwargs)


hooks.provide("history_plot", _history_plot)
hooks.provide(
    "training_page",
    lambda *args, **kw: importlib.import_module("neurograph.player.training").save_training(
        *args, **kw
    ),
)
