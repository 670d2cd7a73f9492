r"""Mini-batch stochastic gradient descent on a FastNetwork, with the book's refinements.

The update is the book's (Nielsen, ch. 1, eqs. (20)–(21); ch. 3, eq. (93)): for each mini-batch
of ``m`` examples, ``w ← (1 − ηλ/n) w − (η/m) Σ_x ∇_w C_x`` and ``b ← b − (η/m) Σ_x ∇_b C_x``,
with ``n`` the size of the training set and the examples reshuffled every epoch. Chapter 3's
refinements are options: momentum, early stopping, and a learning-rate schedule.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.fast import batched
from neurograph.fast.history import MAX_PARAMETER, DivergenceError, History
from neurograph.fast.kernels import make_kernel
from neurograph.fast.schedules import Schedule, stalled
from neurograph.fast.snapshots import Snapshot, take
from neurograph.graph.costs import Cost, get_cost
from neurograph.graph.training import check_sgd_options
from neurograph.graph.types import is_real, is_whole, random_generator

if TYPE_CHECKING:
    from neurograph.fast.network import FastNetwork

__all__ = ["sgd"]


def sgd(
    fast: FastNetwork,
    training_data: tuple[Any, Any],
    epochs: int,
    mini_batch_size: int,
    eta: float,
    *,
    lmbda: float = 0.0,
    cost: Any = None,
    evaluation_data: tuple[Any, Any] | None = None,
    monitor_evaluation_cost: bool = False,
    monitor_evaluation_accuracy: bool = False,
    monitor_training_cost: bool = False,
    monitor_training_accuracy: bool = False,
    seed: int | np.random.Generator | None = None,
    early_stopping: int | None = None,
    eta_schedule: Schedule | None = None,
    momentum: float = 0.0,
    callback: Callable[[int, History], Any] | None = None,
    progress: Callable[[int, int], Any] | None = None,
    record: bool = False,
    record_every: int | None = None,
    resume: Snapshot | None = None,
) -> History:
    r"""Train `fast` by mini-batch stochastic gradient descent, as the book's network2.py does.

    Parameters
    ----------
    fast : FastNetwork
        Trained in place (write the result back with [`Network.load_parameters`][]).
    training_data : (X, y)
        ``X`` of shape ``(n, n_inputs)``; ``y`` labels ``(n,)`` or targets ``(n, n_outputs)``.
        Never changed: each epoch draws a new permutation of the indices.
    epochs, mini_batch_size : int
        The last mini-batch of an epoch is smaller when ``m`` does not divide ``n``.
    eta : float
        The learning rate η.
    lmbda : float
        The L2 strength λ; the decay per step is ``1 − ηλ/n`` with ``n = len(X)``.
    cost : Cost or str, default QuadraticCost()
    evaluation_data : (X, y), optional
    monitor_evaluation_cost, monitor_evaluation_accuracy : bool
    monitor_training_cost, monitor_training_accuracy : bool
        Which quantities to record after each epoch (costs include the L2 term).
    seed : int or numpy.random.Generator, optional
        For the shuffles of a new run (a resumed one goes on with its state's generator).
    early_stopping : int, optional
        Stop after this many epochs without a new best evaluation accuracy.
    eta_schedule : callable, optional
        ``schedule(epoch, eta, history)`` returns the next epoch's η, or None to stop; e.g.
        [`HalveOnPlateau`][].
    momentum : float
        The momentum coefficient μ in [0, 1): ``v ← μv − η∇C``, ``w ← w + v`` (Nielsen, ch. 3,
        eqs. (107)–(108)), where ∇C includes the L2 term ``(λ/n) w``. 0 is plain SGD.
    callback : callable, optional
        ``callback(epoch, history)`` after each completed epoch; a true result stops training.
    progress : callable, optional
        ``progress(done, n)`` about 100 times per epoch, with the examples done so far.
    record : bool
        Keep [`Snapshot`][neurograph.fast.snapshots.Snapshot] s of the parameters in
        ``history.snapshots``: before training, after each epoch, and the trained ones.
    record_every : int, optional
        Record every `record_every` mini-batch steps instead of every epoch (implies
        `record`), for short runs; the trained parameters are always the last snapshot.
    resume : Snapshot, optional
        The training state to go on from, the one way to continue a run: its parameters,
        momentum velocity, shuffling generator, the η it had reached and the epochs and steps
        done (in the middle of an epoch if it was taken there). ``history.state`` holds the
        state at the end of a run, ``history.snapshots`` the recorded ones; the run then
        repeats the uninterrupted one bit for bit, given the same data and options. Giving a
        `seed` as well, an `eta` other than the state's, or no `momentum` for a state that has
        a velocity is an error: two sources of one part of the state.

    Returns
    -------
    History
        Its ``state`` is the training state after the last epoch (pass it as `resume`).

    Raises
    ------
    ShapeError
        Empty data, wrong shapes, labels outside the outputs' range.
    UsageError
        A mini-batch size of 0 or larger than the data; a bad option; a `resume` state that
        another argument contradicts.
    DivergenceError
        A cost, weight or bias became NaN or inf, or a weight or bias grew beyond
        `MAX_PARAMETER` (1e5); `fast` keeps the parameters from before that epoch.

    Examples
    --------
    >>> import numpy as np, neurograph as ng
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((200, 2)); y = (X[:, 0] > X[:, 1]).astype(np.int64)
    >>> fast = ng.layered([2, 4, 2], seed=0).compile()
    >>> history = fast.sgd((X, y), 20, 10, 3.0, evaluation_data=(X, y),
    ...                    monitor_evaluation_accuracy=True, seed=0)
    >>> history.evaluation_accuracy[-1] > 0.9
    True
    """
    cost = get_cost(cost)
    X, Y, labels = _training_arrays(fast, training_data, cost)
    n = len(X)
    check_sgd_options(n, epochs, mini_batch_size, eta, lmbda, momentum)
    _check_stopping(early_stopping)
    rng = random_generator(seed)  # checked before any work
    _check_recording(record_every)
    _check_resume(resume, seed, eta, momentum)
    watch = _watched(
        evaluation_data,
        monitor_evaluation_cost=monitor_evaluation_cost,
        monitor_evaluation_accuracy=monitor_evaluation_accuracy,
        monitor_training_cost=monitor_training_cost,
        monitor_training_accuracy=monitor_training_accuracy,
        by_accuracy=bool(early_stopping or eta_schedule),
    )
    _check_evaluation_data(fast, evaluation_data, cost)
    kernel = make_kernel(fast, X, Y, cost, labels)
    loop = _Loop(fast, kernel, n, mini_batch_size, lmbda, momentum)
    loop.start(rng, resume)
    history = History(settings=_settings(fast, eta, lmbda, cost, mini_batch_size))
    keep = history.snapshots.append if record or record_every is not None else None
    history.state = loop.state(eta, batch=loop.skip)
    if keep is not None:
        keep(history.state)
    data = {"training": (X, Y), "evaluation": evaluation_data}
    for epoch in range(epochs):
        seconds = loop.epoch(eta, record_every, keep, progress)
        measured = _measure(fast, watch, data, cost, lmbda)
        _check_finite(measured, loop.flat, loop.backup, epoch, eta, history)
        _log(history, measured, seconds, eta)
        history.state = loop.state(eta)
        if keep is not None and loop.step % (record_every or 1) == 0:
            keep(history.state)
        eta = _next_eta(history, epoch, eta, callback, early_stopping, eta_schedule)
        if history.stopped:
            break
    if keep is not None and history.snapshots[-1].step != loop.step:
        history.state = loop.state(eta)
        keep(history.state)
    return history


def _training_arrays(
    fast: FastNetwork, training_data: tuple[Any, Any], cost: Cost
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The inputs X, the targets Y, and whether the data came as labels of several classes."""
    X = batched.as_inputs(fast, training_data[0])
    labels = np.ndim(training_data[1]) == 1 and len(fast.outputs) > 1
    return X, batched.as_targets(fast, training_data[1], cost, len(X)), labels


def _settings(
    fast: FastNetwork, eta: float, lmbda: float, cost: Cost, mini_batch_size: int
) -> dict[str, Any]:
    """What the run was given, for the history's plots and pages."""
    return {
        "sizes": list(fast.sizes),
        "eta": float(eta),
        "lmbda": float(lmbda),
        "cost": cost.name,
        "mini_batch_size": mini_batch_size,
    }


def _watched(evaluation_data: Any, *, by_accuracy: bool, **monitor: bool) -> dict[str, bool]:
    """Which of the four quantities each epoch measures (early stopping and schedules need the
    evaluation accuracy)."""
    watch = {name.removeprefix("monitor_"): wanted for name, wanted in monitor.items()}
    watch["evaluation_accuracy"] = watch["evaluation_accuracy"] or by_accuracy
    wants_evaluation = watch["evaluation_cost"] or watch["evaluation_accuracy"]
    if wants_evaluation and evaluation_data is None:
        msg = "evaluation_data is needed to monitor it, for early stopping or an eta schedule"
        raise UsageError(msg)
    return watch


def _measure(
    fast: FastNetwork,
    watch: dict[str, bool],
    data: dict[str, Any],
    cost: Cost,
    lmbda: float,
) -> dict[str, float]:
    """The monitored costs (with the L2 term) and accuracies after an epoch."""
    measured = {}
    with np.errstate(all="ignore"):  # a NaN is found by the check that follows
        for name, wanted in watch.items():
            if not wanted:
                continue
            which = data[name.split("_")[0]]
            cost_wanted = name.endswith("cost")
            measured[name] = (
                fast.total_cost(which, cost, lmbda) if cost_wanted else fast.accuracy(which)
            )
    return measured


def _log(history: History, measured: dict[str, float], seconds: float, eta: float) -> None:
    """Write one epoch's line into the history."""
    for name, value in measured.items():
        getattr(history, name).append(value)
    history.seconds.append(seconds)
    history.eta.append(eta)


def _next_eta(
    history: History,
    epoch: int,
    eta: float,
    callback: Callable[[int, History], Any] | None,
    early_stopping: int | None,
    eta_schedule: Schedule | None,
) -> float:
    """Whether to go on (``history.stopped`` says why not), and with which η."""
    if callback is not None and callback(epoch, history):
        history.stopped = "callback"
    elif early_stopping and stalled(history.evaluation_accuracy, early_stopping):
        history.stopped = "early stopping"
    elif eta_schedule is not None:
        next_eta = eta_schedule(epoch, eta, history)
        if next_eta is not None and not (is_real(next_eta) and next_eta > 0):
            msg = f"eta_schedule returned {next_eta!r} after epoch {epoch + 1}; expected η > 0"
            raise UsageError(msg + " or None to stop")
        history.stopped = "eta schedule" if next_eta is None else ""
        eta = eta if next_eta is None else float(next_eta)
    return eta


class _Loop:
    """The moving parts of one run: every parameter and gradient in one array, the momentum
    velocity, the shuffling generator, and the count of epochs, steps and mini-batches done."""

    def __init__(
        self, fast: FastNetwork, kernel: Any, n: int, m: int, lmbda: float, momentum: float
    ) -> None:
        self.fast, self.kernel, self.n, self.m = fast, kernel, n, m
        self.lmbda, self.momentum = lmbda, momentum
        self.flat, self.grad = kernel.flat, kernel.grad  # every parameter, every gradient
        self.weights = self.flat[: kernel.n_weights]
        self.backup = self.flat.copy()
        self.velocity = np.zeros_like(self.flat) if momentum else self.flat[:0]
        self.scratch = np.zeros_like(self.weights) if momentum else self.flat[:0]
        self.rng: np.random.Generator  # seeded by start()
        self.done, self.step, self.skip = 0, 0, 0  # epochs, steps; batches of the epoch begun

    def start(self, rng: np.random.Generator, resume: Snapshot | None) -> None:
        """Shuffle with `rng`, or take up a training state: parameters, velocity, generator."""
        self.rng = rng
        if resume is None:
            return
        resume.load(self.fast)
        self.rng.bit_generator.state = resume.rng_state
        if self.momentum and resume.velocity is not None:
            self.velocity[:] = resume.velocity
        self.done, self.step, self.skip = resume.epoch, resume.step, resume.batch

    def state(self, eta: float, rng_state: Any = None, batch: int = 0) -> Snapshot:
        """The training state now (see [`Snapshot`][neurograph.fast.snapshots.Snapshot])."""
        rng_state = self.rng.bit_generator.state if rng_state is None else rng_state
        return take(self.fast, self.done, self.step, batch, eta, rng_state, self.velocity)

    def epoch(
        self,
        eta: float,
        record_every: int | None,
        keep: Callable[[Snapshot], None] | None,
        progress: Callable[[int, int], Any] | None,
    ) -> float:
        """One epoch of mini-batches in a fresh random order; returns its seconds."""
        n, m = self.n, self.m
        np.copyto(self.backup, self.flat)
        start = time.perf_counter()
        drawn_from = self.rng.bit_generator.state if record_every else {}
        perm = self.rng.permutation(n)
        every = max(1, (n // m) // 100)
        first, self.skip = self.skip, 0
        with np.errstate(all="ignore"):  # overflow in exp is harmless; NaN is checked after
            for count, k in enumerate(range(first * m, n, m), first + 1):
                self.update(perm[k : k + m], eta)
                inside = k + m < n  # not the epoch's last mini-batch
                if keep is not None and record_every and self.step % record_every == 0 and inside:
                    keep(self.state(eta, drawn_from, count))
                if progress is not None and count % every == 0:
                    progress(min(k + m, n), n)
        self.done += 1
        return time.perf_counter() - start

    def update(self, idx: np.ndarray, eta: float) -> None:
        """One mini-batch step: the gradient, then the book's update of every parameter."""
        self.kernel.step(idx, eta / len(idx))  # grad = (η/m) Σ_x ∇C_x
        decay = 1.0 - eta * self.lmbda / self.n  # the L2 factor 1 − ηλ/n
        if self.momentum:  # (eqs. 107-108) v ← μv − η∇C, w ← w + v, ∇C with (λ/n) w
            self.velocity *= self.momentum
            self.velocity -= self.grad
            if self.lmbda:
                np.multiply(self.weights, 1.0 - decay, out=self.scratch)
                self.velocity[: len(self.weights)] -= self.scratch
            self.flat += self.velocity
        else:  # (eq. 93) w ← (1 − ηλ/n) w − (η/m) Σ ∇C_x;  (eq. 21) b ← b − (η/m) Σ ∇C_x
            if self.lmbda:
                self.weights *= decay
            np.subtract(self.flat, self.grad, out=self.flat)
        self.step += 1


def _check_recording(record_every: Any) -> None:
    if record_every is not None and (isinstance(record_every, bool) or record_every < 1):
        msg = f"record_every must be a whole number of steps >= 1, got {record_every!r}"
        raise UsageError(msg)


def _check_resume(resume: Any, seed: Any, eta: float, momentum: float) -> None:
    """One source for each part of the training state: the state, or the arguments."""
    if resume is None:
        return
    if not isinstance(resume, Snapshot):
        msg = (
            f"resume must be a training state (a Snapshot: history.state or one of "
            f"history.snapshots), got {type(resume).__name__}"
        )
        raise UsageError(msg)
    if seed is not None:
        msg = (
            "give resume or seed, not both: the state holds the shuffling generator "
            f"(seed={seed!r} would start another)"
        )
        raise UsageError(msg)
    if eta != resume.eta:
        msg = f"the state was taken at eta={resume.eta:g}, not {eta:g}; pass eta={resume.eta!r}"
        raise UsageError(msg)
    if resume.velocity is not None and not momentum:
        msg = (
            "the state holds momentum velocities; pass the run's momentum to go on with them "
            "(momentum=0 would drop them)"
        )
        raise UsageError(msg)


def _check_evaluation_data(fast: FastNetwork, evaluation_data: Any, cost: Cost) -> None:
    if evaluation_data is not None:
        n_eval = len(batched.as_inputs(fast, evaluation_data[0]))
        batched.as_targets(fast, evaluation_data[1], cost, n_eval)


def _check_stopping(early_stopping: Any) -> None:
    if early_stopping is not None and not is_whole(early_stopping, 1):
        msg = f"early_stopping must be a whole number >= 1 (or None), got {early_stopping!r}"
        raise UsageError(msg)


def _check_finite(
    measured: dict[str, float],
    flat: Any,
    backup: Any,
    epoch: int,
    eta: float,
    history: History,
) -> None:
    """Raise DivergenceError, restoring the parameters, if anything became NaN or inf."""
    bad = [f"the {k.replace('_', ' ')} is {v}" for k, v in measured.items() if not np.isfinite(v)]
    if not np.all(np.isfinite(flat)):
        bad.append("some weights or biases are NaN or inf")
    elif flat.size and (largest := float(np.max(np.abs(flat)))) > MAX_PARAMETER:
        bad.append(
            f"a weight or bias reached {largest:.3g}, beyond ±{MAX_PARAMETER:g} (every sigmoid "
            "it feeds is a step: the network can no longer learn)"
        )
    if not bad:
        return
    np.copyto(flat, backup)
    reason = " and ".join(bad)
    msg = (
        f"training diverged in epoch {epoch + 1}: {reason}; the network keeps its parameters "
        f"from before that epoch. Try a smaller eta (it was {eta:g})"
    )
    raise DivergenceError(msg, epoch, history, reason)
