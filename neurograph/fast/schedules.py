"""Learning-rate schedules and the stopping rule of chapter 3: no improvement in n epochs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from neurograph.fast.history import History

__all__ = ["HalveOnPlateau", "Schedule", "stalled"]


class HalveOnPlateau:
    """The book's learning-rate schedule: halve η when evaluation accuracy stalls.

    Nielsen, ch. 3, "How to choose a neural network's hyper-parameters?": halve η each time
    the accuracy has not improved for `patience` epochs, and stop when η has dropped to
    `min_fraction` of its starting value.

    Parameters
    ----------
    patience : int
        Epochs without a new best accuracy before η changes (the book's "no-improvement-in-10").
    factor : float
        What η is multiplied by.
    min_fraction : float
        Stop when η falls to this fraction of the first η or below.

    Examples
    --------
    >>> schedule = HalveOnPlateau(patience=2)
    >>> history = History(evaluation_accuracy=[0.5, 0.6, 0.6, 0.6])
    >>> schedule(3, 1.0, history)
    0.5
    """

    def __init__(
        self, patience: int = 10, factor: float = 0.5, min_fraction: float = 1 / 128
    ) -> None:
        self.patience, self.factor, self.min_fraction = patience, factor, min_fraction
        self.first: float | None = None
        self.since = 0  # the epoch from which improvement is looked for

    def __call__(self, epoch: int, eta: float, history: History) -> float | None:
        """The η for the next epoch, or None to stop training."""
        self.first = eta if self.first is None else self.first
        accuracy = history.evaluation_accuracy
        best = int(np.argmax(accuracy))
        if len(accuracy) - 1 - max(best, self.since) < self.patience:
            return eta
        self.since = len(accuracy) - 1
        eta *= self.factor
        return None if eta <= self.first * self.min_fraction else eta


Schedule = Callable[[int, float, History], "float | None"]


def stalled(accuracy: list[float], patience: int) -> bool:
    """No new best accuracy in the last `patience` epochs (the book's no-improvement-in-n)."""
    return len(accuracy) - 1 - int(np.argmax(accuracy)) >= patience
