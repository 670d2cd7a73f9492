"""Snapshots of training: the parameters at one moment of SGD, and what it takes to go on."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import ShapeError

if TYPE_CHECKING:
    from neurograph.fast.network import FastNetwork

__all__ = ["Snapshot", "take"]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The parameters of a network at one moment of [`sgd`][neurograph.fast.sgd.sgd].

    ``fast.sgd(..., record=True)`` keeps them in ``history.snapshots``: the first before
    training, then one after each epoch (or every `record_every` mini-batch steps), the last
    holding the trained parameters. Passing one as ``sgd(..., resume=snapshot)`` continues
    training exactly as the recorded run did, bit for bit.

    Attributes
    ----------
    epoch : int
        Epochs completed when it was taken (0: before training).
    step : int
        Mini-batch updates done in all when it was taken (0: before training).
    batch : int
        Mini-batches done in the epoch in progress: 0 at the end of an epoch, else the
        position inside epoch number `epoch` (counted from 0) of a mid-epoch snapshot.
    w, b : dict of int to ndarray
        Copies of the weights ``w[l]``, shape ``(n_l, n_sources)``, and biases ``b[l]``,
        shape ``(n_l,)``, keyed by the book's layer number ``l = 2 … L`` (as
        `FastNetwork.w` and `FastNetwork.b`), in the network's dtype.
    eta : float
        The learning rate in use when it was taken.
    rng_state : dict
        ``numpy.random.Generator.bit_generator.state`` from which the permutation of the
        epoch holding the next step is drawn (JSON-ready: plain ints and strings).
    velocity : ndarray or None
        The momentum velocity ``v`` over every parameter, in the order of
        `FastNetwork.flat`; None without momentum.

    Examples
    --------
    >>> import numpy as np, neurograph as ng
    >>> X = np.array([[1.0]]); y = np.array([[0.0]])
    >>> fast = ng.layered([1, 1], seed=0).compile()
    >>> history = fast.sgd((X, y), 3, 1, 0.15, record=True, seed=0)
    >>> [(s.epoch, s.step) for s in history.snapshots]
    [(0, 0), (1, 1), (2, 2), (3, 3)]
    >>> history.snapshots[1]
    Snapshot(epoch=1, step=1, batch=0, eta=0.15, layers=[2])
    >>> bool(np.array_equal(history.snapshots[-1].w[2], fast.w[2]))
    True
    """

    epoch: int
    step: int
    batch: int
    w: dict[int, np.ndarray]
    b: dict[int, np.ndarray]
    eta: float
    rng_state: dict[str, Any]
    velocity: np.ndarray | None = None

    def __repr__(self) -> str:
        where = f"epoch={self.epoch}, step={self.step}, batch={self.batch}, eta={self.eta:g}"
        return f"Snapshot({where}, layers={list(self.w)})"

    def load(self, fast: FastNetwork) -> None:
        """Copy the snapshot's weights and biases into `fast`, in place.

        Parameters
        ----------
        fast : FastNetwork
            A network of the same layers, e.g. a fresh ``net.compile()`` of the network trained.

        Raises
        ------
        ShapeError
            If `fast` has other layers or shapes than the network recorded.
        """
        shapes = {k: w.shape for k, w in fast.w.items()}
        mine = {k: w.shape for k, w in self.w.items()}
        if shapes != mine:
            msg = (
                f"the snapshot holds weights of shapes {mine}, the network {shapes}; "
                "load it into the network that was trained"
            )
            raise ShapeError(msg)
        for number in fast.w:
            fast.w[number][...] = self.w[number]
            fast.b[number][...] = self.b[number]


def take(
    fast: FastNetwork,
    epoch: int,
    step: int,
    batch: int,
    eta: float,
    rng_state: Mapping[str, Any],
    velocity: np.ndarray,
) -> Snapshot:
    """A [`Snapshot`][] of `fast` now: copies of its parameters and of the SGD state.

    Parameters
    ----------
    fast : FastNetwork
    epoch, step, batch : int
    eta : float
    rng_state : dict
        The state to keep (copied).
    velocity : ndarray
        The momentum velocity; an empty array without momentum.

    Returns
    -------
    Snapshot
    """
    return Snapshot(
        epoch=epoch,
        step=step,
        batch=batch,
        w={k: w.copy() for k, w in fast.w.items()},
        b={k: b.copy() for k, b in fast.b.items()},
        eta=float(eta),
        rng_state=copy.deepcopy(dict(rng_state)),
        velocity=velocity.copy() if velocity.size else None,
    )
