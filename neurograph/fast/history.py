"""What a training run measured, epoch by epoch, and the error that ends a diverging run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from neurograph.errors import NeurographError
from neurograph.fast.snapshots import Snapshot

if TYPE_CHECKING:
    from pathlib import Path

    from neurograph.graph.network import Network

__all__ = ["MAX_PARAMETER", "DivergenceError", "History"]


@dataclass
class History:
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
    state : Snapshot or None
        The training state after the last completed epoch (before training while none is):
        ``fast.sgd(..., resume=history.state)`` goes on from there, bit for bit.
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
    state: Snapshot | None = field(default=None, repr=False, compare=False)

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
        """The history as plain lists (JSON-ready), without the snapshots and the state."""
        return asdict(replace(self, snapshots=[], state=None), dict_factory=_without_snapshots)

    def plot(self, path: str | None = None, *, title: str | None = None) -> Any:
        """A matplotlib Figure of the accuracy and cost per epoch, training and evaluation.

        Drawn by `neurograph.pictures.curves.plot_history()`, which this method imports
        when called: an arrow up from the fast engine that `.importlinter` lists, so that
        ``import neurograph.fast`` loads no matplotlib.

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
        from neurograph.pictures.curves import plot_history

        return plot_history(self, path, title=title)

    def save_html(self, path: Any, net: Network, data: Any = None, **options: Any) -> Path:
        """Write a player page that replays the recorded training, snapshot by snapshot.

        The page is made by `neurograph.player.training.save_training()`, which this method
        imports when called: an arrow up from the fast engine that `.importlinter` lists.

        Parameters
        ----------
        path : str or path-like
        net : Network
            The network that was compiled and trained (its wiring and names).
        data : (X, y), optional
            Points for the decision maps of a two-input network (e.g. the evaluation data).
        **options
            ``resolution``: pixels along each side of a decision map (default 32).

        Returns
        -------
        pathlib.Path

        Raises
        ------
        UsageError
            If training was not recorded (``sgd(..., record=True)``), or `net` is no Network.
        ShapeError
            If the snapshots do not fit `net`.

        Examples
        --------
        >>> import neurograph as ng, numpy as np, tempfile, pathlib
        >>> net = ng.layered([2, 2, 2], seed=0)
        >>> data = ng.datasets.toy("xor", n=40, seed=0)
        >>> history = net.compile().sgd(data, 2, 10, 3.0, record=True, seed=0)
        >>> page = history.save_html(pathlib.Path(tempfile.mkdtemp()) / "run.html", net, data)
        >>> page.suffix
        '.html'
        """
        from neurograph.player.training import save_training

        return save_training(self, path, net, data, **options)


def _without_snapshots(items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in items if k not in ("snapshots", "state")}


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
