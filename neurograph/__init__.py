"""neurograph: build neural networks neuron by neuron, watch them compute, and train them fast.

After Michael Nielsen's *Neural Networks and Deep Learning*, chapters 1-3.

This module is the face of the package: the public API, and nothing else. Every part loads on
first use of one of its names, so that ``import neurograph`` (and the command line's ``--help``)
costs almost nothing. Inside IPython it tells the shell how networks and events draw themselves
(`neurograph.debug.notebook`).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from neurograph.errors import (
    DataError,
    FormatError,
    GraphError,
    NeurographError,
    ShapeError,
    UsageError,
)
from neurograph.version import __version__

if TYPE_CHECKING:
    from neurograph import datasets
    from neurograph.bridge.from_torch import from_torch
    from neurograph.bridge.loss import torch_l2, torch_loss
    from neurograph.bridge.to_torch import to_torch
    from neurograph.debug.debugger import Debugger
    from neurograph.exercises.bits import binary_output_layer, decode_bits
    from neurograph.fast.history import DivergenceError, History
    from neurograph.fast.network import FastNetwork, Trace
    from neurograph.fast.schedules import HalveOnPlateau
    from neurograph.graph import passes
    from neurograph.graph.builders import from_matrices, layered
    from neurograph.graph.costs import Cost, CrossEntropyCost, LogLikelihoodCost, QuadraticCost
    from neurograph.graph.events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
    from neurograph.graph.gradcheck import gradient_check, numerical_gradients
    from neurograph.graph.network import Network
    from neurograph.graph.neurons import (
        Input,
        Neuron,
        Perceptron,
        ReLUNeuron,
        SigmoidNeuron,
        SoftmaxLayer,
        SoftmaxUnit,
        TanhNeuron,
        relu,
        sigmoid,
        sigmoid_prime,
        softmax,
        tanh,
    )
    from neurograph.io.files import load, save
    from neurograph.live.lab import Lab, lab
    from neurograph.pictures.diagram import draw, render
    from neurograph.pictures.limit import draw_limit
    from neurograph.pictures.maps import decision_map
    from neurograph.pictures.weights import draw_weights
    from neurograph.player.recording import Recording, record
    from neurograph.playground.compare import compare

# Loaded on first use: public name -> the module that defines it, or that it is (_MODULES).
# Nothing heavier than the errors loads with the face, so that `neurograph --help` starts at
# once.
_MODULES = {"datasets": "neurograph.datasets", "passes": "neurograph.graph.passes"}
_LAZY = {
    "binary_output_layer": "neurograph.exercises.bits",
    "decode_bits": "neurograph.exercises.bits",
    "DivergenceError": "neurograph.fast.history",
    "History": "neurograph.fast.history",
    "FastNetwork": "neurograph.fast.network",
    "Trace": "neurograph.fast.network",
    "HalveOnPlateau": "neurograph.fast.schedules",
    "from_matrices": "neurograph.graph.builders",
    "layered": "neurograph.graph.builders",
    **dict.fromkeys(
        ["Cost", "CrossEntropyCost", "LogLikelihoodCost", "QuadraticCost"], "neurograph.graph.costs"
    ),
    **dict.fromkeys(
        ["BackwardEvent", "CostEvent", "ForwardEvent", "UpdateEvent"], "neurograph.graph.events"
    ),
    "gradient_check": "neurograph.graph.gradcheck",
    "numerical_gradients": "neurograph.graph.gradcheck",
    "Network": "neurograph.graph.network",
    **dict.fromkeys(
        ["Input", "Neuron", "Perceptron", "SigmoidNeuron", "SoftmaxLayer", "SoftmaxUnit"]
        + ["TanhNeuron", "ReLUNeuron", "relu", "sigmoid", "sigmoid_prime", "softmax", "tanh"],
        "neurograph.graph.neurons",
    ),
    "Lab": "neurograph.live.lab",
    "lab": "neurograph.live.lab",
    "load": "neurograph.io.files",
    "save": "neurograph.io.files",
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
    "ReLUNeuron",
    "Recording",
    "ShapeError",
    "SigmoidNeuron",
    "SoftmaxLayer",
    "SoftmaxUnit",
    "TanhNeuron",
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
    "relu",
    "render",
    "save",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "tanh",
    "to_torch",
    "torch_l2",
    "torch_loss",
]


def __getattr__(name: str) -> Any:
    """Load a part on first use (PEP 562), so that ``import neurograph`` stays light."""
    if name in _MODULES or name in _LAZY:
        module = importlib.import_module(_MODULES.get(name) or _LAZY[name])
        value = module if name in _MODULES else getattr(module, name)
        globals()[name] = value
        return value
    msg = f"module 'neurograph' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    """The public API only (not the names this module uses to build it)."""
    return sorted(__all__)


def _register_displays() -> None:
    """Inside IPython, tell the shell how networks and events draw themselves.

    Outside IPython nothing is loaded, so that ``import neurograph`` stays light; see
    `neurograph.debug.notebook`.
    """
    if "IPython" in sys.modules:
        from neurograph.debug import notebook

        notebook.register()


_register_displays()
