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

from neurograph.errors import ShapeError, UsageError
from neurograph.fast import batched
from neurograph.fast.history import MAX_PARAMETER, DivergenceError, History
from neurograph.fast.kernels import make_kernel
from neurograph.fast.schedules import Schedule, stalled
from neurograph.fast.snapshots import Snapshot, take
from neurograph.graph.costs import get_cost
from neurograph.graph.types import is_real, is_whole

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
    velocity: Any = None,
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
        For the shuffles.
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
        Start from a recorded snapshot (its parameters, momentum and shuffle state, in the
        middle of its epoch if it is there) instead of `fast`'s parameters and `seed`: the
        run then repeats the recorded one bit for bit, given the same data and options.
    velocity : ndarray, optional
        With `momentum`: the velocities ``v``, one per parameter (every weight block, then
        every bias, as `neurograph.fast.kernels.flat_parameters` lays them out), in the
        network's dtype; read at the start and updated in place, so that passing the same
        array (or a saved copy) again continues a run exactly. Default: zeros.

    Returns
    -------
    History

    Raises
    ------
    ShapeError
        Empty data, wrong shapes, labels outside the outputs' range.
    UsageError
        A mini-batch size of 0 or larger than the data; a bad option.
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
    X = batched.as_inputs(fast, training_data[0])
    labels = np.ndim(training_data[1]) == 1 and len(fast.outputs) > 1
    Y = batched.as_targets(fast, training_data[1], cost, len(X))
    n = len(X)
    _check_options(n, epochs, mini_batch_size, eta, lmbda, momentum)
    if record_every is not None and (isinstance(record_every, bool) or record_every < 1):
        msg = f"record_every must be a whole number of steps >= 1, got {record_every!r}"
        raise UsageError(msg)
    _check_stopping(early_stopping, seed)
    watch_evaluation = monitor_evaluation_cost or monitor_evaluation_accuracy
    if (watch_evaluation or early_stopping or eta_schedule) and evaluation_data is None:
        msg = "evaluation_data is needed to monitor it, for early stopping or an eta schedule"
        raise UsageError(msg)
    if evaluation_data is not None:
        n_eval = len(batched.as_inputs(fast, evaluation_data[0]))
        batched.as_targets(fast, evaluation_data[1], cost, n_eval)
    kernel = make_kernel(fast, X, Y, cost, labels)
    flat, grad = kernel.flat, kernel.grad  # every parameter, and every gradient, in one array
    weights = flat[: kernel.n_weights]
    backup = flat.copy()
    velocity = _velocity(velocity, flat) if momentum else flat[:0]
    scratch = np.zeros_like(weights) if momentum else flat[:0]
    watch = {
        "training_cost": monitor_training_cost,
        "training_accuracy": monitor_training_accuracy,
        "evaluation_cost": monitor_evaluation_cost,
        "evaluation_accuracy": monitor_evaluation_accuracy or bool(early_stopping or eta_schedule),
    }
    rng = np.random.default_rng(seed)
    settings = {"sizes": list(fast.sizes), "eta": float(eta), "lmbda": float(lmbda)}
    settings.update(cost=cost.name, mini_batch_size=mini_batch_size)
    history = History(settings=settings)
    done, step, skip = 0, 0, 0  # epochs and steps before this run, batches done in its first
    if resume is not None:
        resume.load(fast)
        rng.bit_generator.state = resume.rng_state
        velocity[:] = resume.velocity if momentum and resume.velocity is not None else 0.0
        done, step, skip = resume.epoch, resume.step, resume.batch
    record = record or record_every is not None
    snap = history.snapshots.append if record else None
    if snap is not None:
        snap(take(fast, done, step, skip, eta, rng.bit_generator.state, velocity))
    every = max(1, (n // mini_batch_size) // 100)
    for epoch in range(epochs):
        np.copyto(backup, flat)
        start = time.perf_counter()
        state = rng.bit_generator.state if record_every else {}
        perm = rng.permutation(n)
        decay = 1.0 - eta * lmbda / n  # (eq. 93) w ← (1 − ηλ/n) w − (η/m) Σ ∇C_x
        with np.errstate(all="ignore"):  # overflow in exp is harmless; NaN is checked below
            first, skip = skip, 0
            for count, k in enumerate(
                range(first * mini_batch_size, n, mini_batch_size), first + 1
            ):
                idx = perm[k : k + mini_batch_size]
                kernel.step(idx, eta / len(idx))  # grad = (η/m) Σ_x ∇C_x
                if momentum:  # (eqs. 107-108) v ← μv − η∇C, w ← w + v, ∇C with (λ/n) w
                    velocity *= momentum
                    velocity -= grad
                    if lmbda:
                        np.multiply(weights, 1.0 - decay, out=scratch)
                        velocity[: len(weights)] -= scratch
                    flat += velocity
                else:
                    if lmbda:
                        weights *= decay
                    np.subtract(flat, grad, out=flat)
                step += 1
                inside = k + mini_batch_size < n  # not the epoch's last mini-batch
                if snap is not None and record_every and step % record_every == 0 and inside:
                    snap(take(fast, done + epoch, step, count, eta, state, velocity))
                if progress is not None and count % every == 0:
                    progress(min(k + mini_batch_size, n), n)
        seconds = time.perf_counter() - start
        data: dict[str, Any] = {"training": (X, Y), "evaluation": evaluation_data}
        with np.errstate(all="ignore"):
            measured = {
                name: fast.total_cost(data[name.split("_")[0]], cost, lmbda)
                if name.endswith("cost")
                else fast.accuracy(data[name.split("_")[0]])
                for name, wanted in watch.items()
                if wanted
            }
        _check_finite(measured, flat, backup, epoch, eta, history)
        for name, value in measured.items():
            getattr(history, name).append(value)
        history.seconds.append(seconds)
        history.eta.append(eta)
        if snap is not None and step % (record_every or 1) == 0:
            snap(take(fast, done + epoch + 1, step, 0, eta, rng.bit_generator.state, velocity))
        if callback is not None and callback(epoch, history):
            history.stopped = "callback"
        elif early_stopping and stalled(history.evaluation_accuracy, early_stopping):
            history.stopped = "early stopping"
        elif eta_schedule is not None:
            next_eta = eta_schedule(epoch, eta, history)
            if next_eta is not None and not (is_real(next_eta) and next_eta > 0):
                msg = f"eta_schedule returned {next_eta!r} after epoch {epoch}; expected η > 0"
                raise UsageError(msg + " or None to stop")
            history.stopped = "eta schedule" if next_eta is None else ""
            eta = eta if next_eta is None else float(next_eta)
        if history.stopped:
            break
    if snap is not None and history.snapshots[-1].step != step:
        snap(take(fast, done + history.epochs, step, 0, eta, rng.bit_generator.state, velocity))
    return history


def _velocity(given: Any, flat: Any) -> Any:
    """The momentum velocities: zeros, or the caller's array (updated in place)."""
    if given is None:
        return np.zeros_like(flat)
    if not (isinstance(given, np.ndarray) and given.shape == flat.shape):
        shape = getattr(given, "shape", type(given).__name__)
        msg = f"velocity must be an array of shape {flat.shape} (one per parameter), got {shape}"
        raise UsageError(msg)
    if given.dtype != flat.dtype:
        msg = f"velocity must be of the network's dtype {flat.dtype}, got {given.dtype}"
        raise UsageError(msg)
    return given


def _check_stopping(early_stopping: Any, seed: Any) -> None:
    if early_stopping is not None and not is_whole(early_stopping, 1):
        msg = f"early_stopping must be a whole number >= 1 (or None), got {early_stopping!r}"
        raise UsageError(msg)
    if not (seed is None or isinstance(seed, np.random.Generator) or is_whole(seed, 0)):
        msg = f"seed must be a whole number >= 0, a numpy Generator or None, got {seed!r}"
        raise UsageError(msg)


def _check_options(n: int, epochs: int, m: int, eta: float, lmbda: float, mu: float) -> None:
    if n == 0:
        msg = "the training data is empty"
        raise ShapeError(msg)
    if not is_whole(m, 1) or m > n:
        msg = f"mini_batch_size must be an integer from 1 to the {n} training examples, got {m!r}"
        raise UsageError(msg)
    if not is_whole(epochs, 0):
        msg = f"epochs must be a whole number >= 0, got {epochs!r}"
        raise UsageError(msg)
    for name, value, low in (("eta", eta, 0.0), ("lmbda", lmbda, 0.0), ("momentum", mu, 0.0)):
        if not is_real(value) or value < low or (name == "momentum" and value >= 1):
            msg = f"{name} must be a finite number >= 0{' and < 1' * (name == 'momentum')}"
            raise UsageError(msg + f", got {value!r}")


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
        f"training diverged in epoch {epoch}: {reason}; the network keeps its parameters from "
        f"before that epoch. Try a smaller eta (it was {eta:g})"
    )
    raise DivergenceError(msg, epoch, history, reason)
