"""What a training run measured, epoch by epoch, and the error that ends a diverging run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from neurograph.errors import NeurographError
from neurograph.fast.snapshots import Replay, Snapshot
from neurograph.graph import hooks

__all__ = ["MAX_PARAMETER", "DivergenceError", "History"]


@dataclass
class History(Replay):
    """What [`sgd`][neurograph.fast.sgd.sgd] measured, one entry per epoch.

    Epochs are numbered as they are completed: entry ``k`` of each list belongs to epoch
    ``k + 1``, the state after ``k + 1`` epochs (epoch 0 is the state before training).

    Attributes
    ----------
    evaluation_cost, evaluation_accuracy, training_cost, training_accuracy : list of float
        The four monitored quantities of the book's network2.py (each empty unless monitored);
        accuracies are fractions in [0, 1]. Iterating over a History yields these four lists,
        so ``ec, ea, tc, ta = fast.sgd(...)`` works as in the book.
    seconds : list of float
        Training time of each epoch, without the monitoring.
    eta : list of float
        The learning rate used in each epoch.
    stopped : str
        Why training ended early: ``""`` (it did not), ``"early stopping"``,
        ``"eta schedule"`` or ``"callback"``.
    snapshots : list of Snapshot
        With ``sgd(..., record=True)``: the parameters before training, after each epoch (or
        every `record_every` steps), and the trained ones last; else empty.
        ``history.save_html(path, net)`` writes a page that replays them.
    settings : dict
        What the run was given: ``sizes, eta, lmbda, cost, mini_batch_size`` (for plots).
    """

    evaluation_cost: list[float] = field(default_factory=list)
    evaluation_accuracy: list[float] = field(default_factory=list)
    training_cost: list[float] = field(default_factory=list)
    training_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    eta: list[float] = field(default_factory=list)
    stopped: str = ""
    snapshots: list[Snapshot] = field(default_factory=list, repr=False, compare=False)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        """The number of completed epochs."""
        return len(self.seconds)

    def __iter__(self) -> Iterator[list[float]]:
        yield from (
            self.evaluation_cost,
            self.evaluation_accuracy,
            self.training_cost,
            self.training_accuracy,
        )

    def to_dict(self) -> dict[str, Any]:
        """The history as plain lists (JSON-ready), without the snapshots."""
        return asdict(replace(self, snapshots=[]), dict_factory=_without_snapshots)

    def plot(self, path: str | None = None, *, title: str | None = None) -> Any:
        """A matplotlib Figure of the accuracy and cost per epoch, training and evaluation.

        Drawn by `neurograph.pictures.curves.plot_history()` (through
        `neurograph.graph.hooks`: the fast engine draws nothing itself).

        Parameters
        ----------
        path : str, optional
            Also write it there (``.png``, ``.svg`` or ``.pdf``).
        title : str, optional
            Default: the run's settings.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return hooks.use("history_plot")(self, path, title=title)


def _without_snapshots(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in items if k != "snapshots"}


#: A weight or bias beyond this size after an epoch means training diverged (η far too large).
MAX_PARAMETER = 1e5


class DivergenceError(NeurographError, ArithmeticError):
    """Training diverged: a cost, a weight or a bias became NaN or inf, or a weight or bias
    grew beyond `MAX_PARAMETER`.

    Attributes
    ----------
    epoch : int
        How many epochs of this run were completed before it happened (the message names
        the epoch in which it happened, ``epoch + 1``, as epochs are numbered from 1); the
        network holds the parameters from before that epoch.
    history : History
        The completed epochs.
    reason : str
        What was found, e.g. ``"the evaluation cost is inf"``.
    """

    def __init__(self, msg: str, epoch: int, history: History, reason: str = "") -> None:
        super().__init__(msg)
        self.epoch = epoch
        self.history = history
        self.reason = reason
