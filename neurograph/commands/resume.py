"""The training state `neurograph train` keeps in a model's ``meta["training"]``, checked on resume.

Everything a run needs to go on exactly as if it had never stopped: the settings, the epochs
and steps done and the epochs asked for, the shuffling generator's state and the momentum
velocities. On ``--resume`` they become the fast engine's training state (a
[`Snapshot`][neurograph.fast.snapshots.Snapshot], the one ``sgd(..., resume=...)`` takes), so a
resumed run equals the uninterrupted one bit for bit (same data flags given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import FormatError, UsageError
from neurograph.fast.network import FastNetwork
from neurograph.fast.snapshots import Snapshot, take
from neurograph.graph.costs import get_cost
from neurograph.graph.types import is_real, is_whole
from neurograph.io.files import file_format

__all__ = ["check_training", "inexact_resume", "keep_format", "saved_state", "state_fields"]

#: The fields of ``meta["training"]`` and what each must be.
FIELDS: dict[str, str] = {
    "epochs": "a whole number >= 0 (epochs done)",
    "step": "a whole number >= 0 (mini-batch steps done)",
    "epochs_asked": "a whole number >= 0 (epochs asked for)",
    "mini_batch_size": "a whole number >= 1",
    "eta": "a number > 0",
    "lmbda": "a number >= 0",
    "momentum": "a number in [0, 1)",
    "cost": "a cost name such as 'cross-entropy'",
    "seed": "a whole number >= 0",
    "dtype": "'float64' or 'float32'",
    "rng": "the state of NumPy's PCG64 generator",
    "velocity": "a list of numbers, one per parameter",
}


_CHECKS = {
    "epochs": lambda v: is_whole(v, 0),
    "step": lambda v: is_whole(v, 0),
    "epochs_asked": lambda v: is_whole(v, 0),
    "mini_batch_size": lambda v: is_whole(v, 1),
    "eta": lambda v: is_real(v) and v > 0,
    "lmbda": lambda v: is_real(v) and v >= 0,
    "momentum": lambda v: is_real(v) and 0 <= v < 1,
    "cost": lambda v: isinstance(v, str) and _known_cost(v),
    "seed": lambda v: is_whole(v, 0),
    "dtype": lambda v: v in ("float64", "float32"),
    "rng": lambda v: isinstance(v, dict) and v.get("bit_generator") == "PCG64",
    "velocity": lambda v: isinstance(v, list) and all(is_real(x) for x in v),
}


def _known_cost(name: str) -> bool:
    try:
        get_cost(name)
    except ValueError:
        return False
    return True


def check_training(training: Any, path: str) -> dict[str, Any]:
    """``meta["training"]`` of the model `path`, every field present checked.

    Parameters
    ----------
    training : Any
        What the file holds (``{}`` when it has none: a model never trained by the command).
    path : str
        The file, named in the error.

    Returns
    -------
    dict

    Raises
    ------
    FormatError
        Naming the field, what it must be, and what the file holds.

    Examples
    --------
    >>> check_training({"eta": "fast"}, "m.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    neurograph.errors.FormatError: m.json: meta.training.eta must be a number > 0, got 'fast'; ...
    """
    if not isinstance(training, dict):
        msg = (
            f"{path}: meta.training must be an object of training settings, got "
            f"{type(training).__name__}; train anew instead of --resume"
        )
        raise FormatError(msg)
    for name, check in _CHECKS.items():
        if name in training and not check(training[name]):
            msg = (
                f"{path}: meta.training.{name} must be {FIELDS[name]}, got "
                f"{training[name]!r:.60}; fix the file or train anew instead of --resume"
            )
            raise FormatError(msg)
    return dict(training)


def saved_state(
    fast: FastNetwork, training: dict[str, Any], settings: dict[str, Any], path: str, batches: int
) -> Snapshot:
    """The training state a saved run goes on from: `fast`'s parameters and the saved rest.

    Parameters
    ----------
    fast : FastNetwork
        The saved network, compiled.
    training : dict
        Its ``meta["training"]``, checked (see [`check_training`][]).
    settings : dict
        The run's ``eta``, ``momentum`` and ``seed`` (an option given again overrides the
        saved one; ``--momentum 0`` drops the velocities).
    path : str
        The model file, named in errors.
    batches : int
        Mini-batches per epoch: the steps done, for a file that does not say.

    Returns
    -------
    Snapshot
        A model never trained by the command goes on from epoch 0 and a generator seeded with
        the seed.
    """
    done = int(training.get("epochs", 0))
    rng = _generator(training, settings["seed"], path)
    velocity = _saved_velocity(fast, training, settings["momentum"], path)
    step = int(training.get("step", done * batches))
    return take(fast, done, step, 0, settings["eta"], rng.bit_generator.state, velocity)


def state_fields(state: Snapshot) -> dict[str, Any]:
    """What ``meta["training"]`` keeps of a training state (the parameters are the model's)."""
    velocity = [] if state.velocity is None else state.velocity.tolist()
    return {"epochs": state.epoch, "step": state.step, "rng": state.rng_state, "velocity": velocity}


def _generator(training: dict[str, Any], seed: int, path: str) -> np.random.Generator:
    """The shuffling generator: restored from ``training["rng"]``, else seeded with `seed`."""
    rng = np.random.default_rng(seed)
    if "rng" in training:
        try:
            rng.bit_generator.state = training["rng"]
        except (TypeError, ValueError, KeyError, OverflowError) as err:
            msg = f"{path}: meta.training.rng is not a PCG64 state ({err}); train anew"
            raise FormatError(msg) from err
    return rng


def inexact_resume(training: dict[str, Any], momentum: float, path: str) -> str:
    """Why resuming `path` cannot equal an uninterrupted run ("" when it can).

    A model trained for some epochs whose file lost the shuffling generator's state
    (``meta.training.rng``) would shuffle afresh from the seed, and one trained with momentum
    whose velocities are gone would restart them at zero: the run goes on, but not as the
    uninterrupted one would have, and the command says so.

    Examples
    --------
    >>> print(inexact_resume({"epochs": 3}, 0.0, "m.json"))  # doctest: +ELLIPSIS
    note: m.json has no meta.training.rng, so the mini-batches are shuffled afresh from --seed: ...
    >>> inexact_resume({"epochs": 3, "rng": {}}, 0.0, "m.json")
    ''
    """
    if not training.get("epochs"):
        return ""
    lost = [name for name in ("rng", "velocity") if name not in training]
    if not momentum and "velocity" in lost:
        lost.remove("velocity")
    if not lost:
        return ""
    what = {"rng": "the mini-batches are shuffled afresh from --seed",
            "velocity": "the momentum velocities start again from zero"}  # fmt: skip
    return (
        f"note: {path} has no {' or '.join(f'meta.training.{n}' for n in lost)}, so "
        f"{' and '.join(what[n] for n in lost)}: the continued run will not equal an "
        f"uninterrupted one"
    )


def keep_format(resume: str, output: Path) -> None:
    """Refuse to rewrite a network2 file in another format: it cannot hold a training state."""
    if file_format(resume) == "network2" and Path(resume).resolve() == output.resolve():
        msg = (
            f"{resume} is in the book's network2 format, which has no room for the training "
            f"state, and resuming would rewrite it in neurograph's format; keep it and write the "
            f"continued model elsewhere: --resume {resume} --output continued.json"
        )
        raise UsageError(msg)


def _saved_velocity(
    fast: FastNetwork, training: dict[str, Any], momentum: float, path: str
) -> np.ndarray:
    """The momentum velocities: the saved ones, else zeros; none (empty) without momentum."""
    if not momentum:
        return np.zeros(0, dtype=fast.dtype)
    n = sum(w.size for w in fast.w.values()) + sum(b.size for b in fast.b.values())
    saved = training.get("velocity") or [0.0] * n
    if len(saved) != n:
        msg = f"{path}: meta.training.velocity has {len(saved)} numbers, the network {n} parameters"
        raise FormatError(msg)
    return np.array(saved, dtype=fast.dtype)
