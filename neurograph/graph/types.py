"""Type aliases shared by the modules of neurograph."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Array", "NeuronRef"]

Array = npt.NDArray[np.floating[Any]]
"""A NumPy array of floats (float64 unless a ``dtype`` was asked for)."""

NeuronRef = str | Any
"""A neuron object, or its name."""
