"""The costs' names as the command line and the files spell them, without loading NumPy."""

from __future__ import annotations

__all__ = ["COST_NAMES"]

# In the order of `neurograph.graph.costs.COSTS`, which pairs each name with its class.
COST_NAMES = ("quadratic", "cross-entropy", "log-likelihood")
