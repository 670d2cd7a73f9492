"""neurograph: build neural networks neuron by neuron, watch them compute, and train them fast.

After Michael Nielsen's *Neural Networks and Deep Learning*, chapters 1-3.
"""

from __future__ import annotations

from . import datasets
from .bits import binary_output_layer, decode_bits
from .builders import from_matrices, layered
from .costs import Cost, CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from .debug import Debugger
from .errors import DataError, FormatError, GraphError, NeurographError, ShapeError, UsageError
from .events import BackwardEvent, CostEvent, ForwardEvent, UpdateEvent
from .fast import FastNetwork, Trace
from .gradcheck import gradient_check, numerical_gradients
from .graph import Network
from .io import load, save
from .neurons import (
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
from .render import draw, render
from .render_limit import draw_limit
from .render_weights import draw_weights
from .train import DivergenceError, HalveOnPlateau, History

__version__ = "0.1.0"

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
    "LogLikelihoodCost",
    "Network",
    "Neuron",
    "NeurographError",
    "Perceptron",
    "QuadraticCost",
    "ShapeError",
    "SigmoidNeuron",
    "SoftmaxLayer",
    "SoftmaxUnit",
    "Trace",
    "UpdateEvent",
    "UsageError",
    "__version__",
    "binary_output_layer",
    "datasets",
    "decode_bits",
    "draw",
    "draw_limit",
    "draw_weights",
    "from_matrices",
    "gradient_check",
    "layered",
    "load",
    "numerical_gradients",
    "render",
    "save",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
]
