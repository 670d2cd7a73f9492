"""neurograph: build neural networks neuron by neuron, watch them compute, and train them fast.

After Michael Nielsen's *Neural Networks and Deep Learning*, chapters 1-3.
"""

from __future__ import annotations

from . import datasets
from .builders import from_matrices, layered
from .costs import Cost, CrossEntropyCost, LogLikelihoodCost, QuadraticCost
from .errors import FormatError, GraphError, NeurographError, ShapeError, UsageError
from .events import BackwardEvent, CostEvent, ForwardEvent
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

__version__ = "0.1.0"

__all__ = [
    "BackwardEvent",
    "Cost",
    "CostEvent",
    "CrossEntropyCost",
    "FormatError",
    "ForwardEvent",
    "GraphError",
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
    "UsageError",
    "__version__",
    "datasets",
    "from_matrices",
    "gradient_check",
    "layered",
    "load",
    "numerical_gradients",
    "save",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
]
