"""`neurograph train`: train a network on MNIST (or any IDX data set) with the fast engine."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.commands.resume import check_training, generator
from neurograph.datasets import TOY_NAMES, load_csv, load_idx_dataset, load_mnist, toy
from neurograph.errors import FormatError, ShapeError, UsageError
from neurograph.fast.history import DivergenceError, History
from neurograph.graph.builders import layered
from neurograph.graph.costs import COSTS, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import SigmoidNeuron, SoftmaxLayer
from neurograph.io.atomic import check_output_path
from neurograph.io.files import file_format, load, save
from neurograph.pictures.curves import plot_history
from neurograph.pictures.diagram import check_path
from neurograph.pictures.figures import FIGURE_FORMATS

__all__ = ["default_sizes", "load_data", "read_data", "register", "run", "toy_data"]

DEFAULTS = {"epochs": 30, "mini_batch_size": 10, "eta": 3.0, "lmbda": 0.0, "cost": "quadratic"}
N_VALIDATION = 10_000
N_TOY = 1000, 200  # training and held-out evaluation points of a toy data set
FIELDS = [f.name for f in dataclasses.fields(History) if f.name != "stopped"]


def register(subparsers: Any) -> None:
    """Add the `train` subcommand."""
    parser = subparsers.add_parser(
        "train",
        help="train a layered network on MNIST with the fast engine, saving it every epoch",
        description=(
            "Train a network by mini-batch SGD (the book's network2.py) and save it after every "
            "epoch. The defaults are the book's chapter 1 run (add --init large for its N(0, 1) "
            "weights). Ctrl-C keeps the model of the last completed epoch."
        ),
    )
    add = parser.add_argument
    add(
        "--sizes",
        help="neurons per layer, e.g. 784,30,10 (default: the data's inputs, 30, its classes; "
        "or the --resume model's)",
    )
    add("--epochs", type=int, help=f"epochs to train in this run (default {DEFAULTS['epochs']})")
    add("--mini-batch-size", type=int, help="examples per mini-batch (default 10)")
    add("--eta", type=float, help="learning rate η (default 3.0)")
    add("--lmbda", type=float, help="L2 regularization λ (default 0.0)")
    add(
        "--momentum", type=float, help="momentum coefficient μ (default 0, or the --resume model's)"
    )
    add("--cost", choices=sorted(COSTS), help="cost function (default quadratic)")
    add(
        "--init",
        choices=("default", "large"),
        default="default",
        help="weights N(0, 1/n_in) (default) or N(0, 1) as in chapter 1 (large)",
    )
    add(
        "--output-layer",
        choices=("sigmoid", "softmax"),
        default="sigmoid",
        help="the output neurons' kind",
    )
    add("--seed", type=int, help="seed of the initial weights and the shuffles (default 0)")
    add(
        "--data",
        metavar="PATH|NAME",
        help="a folder of the 4 IDX files, a .csv file with one example per row and its "
        f"label in the last column, or a 2-D toy data set: {', '.join(TOY_NAMES)} "
        f"({N_TOY[0]} training and {N_TOY[1]} held-out evaluation points, 2 classes; default "
        "sizes 2,8,2, for spiral 2,16,16,2) (default: the bundled MNIST)",
    )
    add(
        "--holdout",
        type=float,
        default=0.2,
        metavar="F",
        help="for a .csv --data: the fraction of its rows (the last ones) kept as the test set "
        "(default 0.2)",
    )
    add(
        "--evaluate",
        choices=("test", "validation"),
        default="test",
        help="evaluate each epoch on the test set (default, as chapter 1) or the validation "
        "split (the last 10,000 training images, as chapter 3)",
    )
    add(
        "--limit", type=int, metavar="N", help="use only the first N training and evaluation images"
    )
    add("--early-stopping", type=int, metavar="N", help="stop after N epochs without improvement")
    add(
        "--dtype",
        choices=("float64", "float32"),
        help="float64 agrees with the graph engine to 1e-12; float32 is faster (default "
        "float64, or the --resume model's)",
    )
    add(
        "--output", metavar="FILE", help="where to save the model (default model.json, or --resume)"
    )
    add(
        "--plot",
        metavar="FILE",
        help="also write the learning curves after every epoch, PNG or SVG by the extension "
        "(default: none)",
    )
    add(
        "--monitor-training",
        action="store_true",
        help="also measure accuracy and cost on the training data each epoch (default: off)",
    )
    add(
        "--record",
        metavar="FILE",
        help="also write a page that replays the training, epoch by epoch (HTML; default: none)",
    )
    add(
        "--resume",
        metavar="FILE",
        help="continue a saved run exactly (its settings, shuffles and momentum) up to the epochs "
        "it was asked for, or --epochs N more; give the same data options",
    )
    parser.set_defaults(func=run)


def read_data(source: str | None, holdout: float = 0.2) -> tuple[Any, Any, Any]:
    """The training, validation and test sets that ``--data`` names.

    None is the bundled MNIST (the book's split); a toy set's name gives [`toy_data`][]'s
    split, used for validation and test alike; a folder holds the four IDX files; a
    ``.csv`` file is shuffled (seed 0, as rows are often sorted by class), then its last
    `holdout` fraction of rows is the test set. The training
    images of a folder or a file are split once more: the last 10,000 (or a sixth, for fewer
    than 60,000) are held out for validation.
    """
    if source in TOY_NAMES:
        train, test, _ = toy_data(source)
        return train, test, test  # a toy set has one held-out split
    if source is None:
        return load_mnist()
    if source.lower().endswith(".csv"):
        if not 0 < holdout < 1:
            msg = f"--holdout must be between 0 and 1 (e.g. --holdout 0.2), got {holdout}"
            raise UsageError(msg)
        X_all, y_all = load_csv(source)
        order = np.random.default_rng(0).permutation(len(X_all))
        X_all, y_all = X_all[order], y_all[order]
        cut = len(X_all) - max(1, round(holdout * len(X_all)))
        (X, y), test = (X_all[:cut], y_all[:cut]), (X_all[cut:], y_all[cut:])
    else:
        (X, y), test = load_idx_dataset(source)
    n = len(X) - (N_VALIDATION if len(X) >= 6 * N_VALIDATION else len(X) // 6)
    return (X[:n], y[:n]), (X[n:], y[n:]), test


def load_data(
    directory: str | None, evaluate: str, limit: int | None, holdout: float = 0.2
) -> tuple[tuple[Any, Any], tuple[Any, Any], int]:
    """The training set, the evaluation set and the number of classes.

    Parameters
    ----------
    directory : str or None
        A folder of the four IDX files, a .csv file (see [`read_data`][]), the name of a toy
        data set ([`toy_data`][]), or None for the bundled MNIST.
    evaluate : {"test", "validation"}
        Which set to evaluate on.
    limit : int or None
        Keep only the first `limit` training and evaluation examples.
    holdout : float
        The fraction of a .csv file's rows kept as the test set.

    Returns
    -------
    train, evaluation : (X, y)
    classes : int
        One more than the largest label of the whole data set (before `limit`).

    Notes
    -----
    The bundled MNIST gives the book's split: 50,000 training images, 10,000 validation images
    and 10,000 test images. Another folder's training images are split the same way: the last
    10,000 (or a sixth, for fewer than 60,000) are held out for validation.
    """
    train, validation, test = read_data(directory, holdout)
    labels = [y for _, y in (train, validation, test) if len(y)]
    classes = max(int(y.max()) for y in labels) + 1 if labels else 0
    evaluation = test if evaluate == "test" else validation
    if limit is not None:
        if limit < 1:
            msg = f"--limit must be at least 1, got {limit}"
            raise UsageError(msg)
        train = (train[0][:limit], train[1][:limit])
        evaluation = (evaluation[0][:limit], evaluation[1][:limit])
    return train, evaluation, classes


def toy_data(name: str) -> tuple[tuple[Any, Any], tuple[Any, Any], int]:
    """A toy data set of [`neurograph.datasets.toy`][], split into training and evaluation.

    Parameters
    ----------
    name : str
        One of [`neurograph.datasets.TOY_NAMES`][].

    Returns
    -------
    train, evaluation : (X, y)
        The first 1,000 and the last 200 of 1,200 points drawn with seed 0.
    classes : int
        2.
    """
    X, y = toy(name, n=sum(N_TOY), seed=0)
    n = N_TOY[0]
    return (X[:n], y[:n]), (X[n:], y[n:]), 2


def default_sizes(data: str | None, n_in: int = 784, classes: int = 10) -> list[int]:
    """The network trained on `data` when no ``--sizes`` is given.

    Parameters
    ----------
    data : str or None
        The ``--data`` given.
    n_in, classes : int
        The data's inputs and classes (default: MNIST's).

    Returns
    -------
    list of int
        ``[2, 8, 2]`` for a toy set (``[2, 16, 16, 2]`` for the spiral), else
        ``[n_in, 30, classes]``, the book's chapter 1 network.
    """
    if data not in TOY_NAMES:
        return [n_in, 30, classes]
    return [2, 16, 16, 2] if data == "spiral" else [2, 8, 2]


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if len(sizes) < 2 or min(sizes) < 1:
        msg = f"--sizes expects at least two positive integers like 784,30,10, got {text!r}"
        raise UsageError(msg)
    params = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    need = 6 * 8 * params  # weights, gradients, a backup, velocities, the JSON text: ~6 copies
    have = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if need > have:
        msg = (
            f"--sizes {text} has {params:,} weights and biases and would need about "
            f"{need / 2**30:,.0f} GiB of memory; this machine has {have / 2**30:,.0f} GiB"
        )
        raise UsageError(msg)
    return sizes


def _check_fit(sizes: list[int], train: Any, evaluation: Any, classes: int) -> None:
    """Refuse empty data, and sizes whose ends do not match the data."""
    for name, (X, _) in (("training", train), ("evaluation", evaluation)):
        if len(X) == 0:
            msg = f"the {name} data is empty"
            raise ShapeError(msg)
    n_in = train[0].shape[1]
    if sizes[0] != n_in or sizes[-1] != classes:
        msg = (
            f"--sizes {','.join(map(str, sizes))} does not fit the data: it has {n_in} inputs "
            f"and {classes} classes (labels 0..{classes - 1}), so the sizes must be "
            f"{n_in},…,{classes}"
        )
        raise ShapeError(msg)


def _setting(args: argparse.Namespace, meta: dict[str, Any], name: str) -> Any:
    value = getattr(args, name)
    return value if value is not None else meta.get(name, DEFAULTS[name])


def run(args: argparse.Namespace) -> int:
    """Train; returns the exit status (130 when interrupted)."""
    net: Network
    output = Path(args.output or args.resume or "model.json")
    for page in (output, args.plot, args.record):
        if page is not None:
            check_output_path(page)  # before any work: no device, FIFO, directory
    if args.resume:
        _keep_format(args.resume, output)
        net = load(args.resume)
        training = check_training(net.meta.get("training", {}), args.resume)
        sizes = [len(level) for level in net.levels()]
        if args.sizes and _sizes(args.sizes) != sizes:
            msg = f"--sizes {args.sizes} does not match {args.resume}, whose sizes are {sizes}"
            raise UsageError(msg)
    else:
        training = {}
        sizes = _sizes(args.sizes) if args.sizes else []  # default: default_sizes()
    settings = {name: _setting(args, training, name) for name in DEFAULTS}
    if args.epochs is not None and args.epochs < 1:
        msg = f"--epochs must be at least 1 (e.g. --epochs 30), got {args.epochs}"
        raise UsageError(msg)
    if args.resume and args.cost is None and "cost" not in training:
        settings["cost"] = get_cost(str(net.meta.get("cost") or DEFAULTS["cost"])).name
    done = int(training.get("epochs", 0))
    if args.epochs is None and args.resume:  # the epochs the run was asked for, not done
        settings["epochs"] = max(int(training.get("epochs_asked", done + 30)) - done, 0)
    asked = done + settings["epochs"]
    if args.resume and settings["epochs"] == 0:
        print(f"{args.resume} is trained for the {done} epochs asked; --epochs N trains N more")
        return 0
    seed = args.seed if args.seed is not None else training.get("seed", 0)
    momentum = args.momentum if args.momentum is not None else training.get("momentum", 0.0)
    dtype = args.dtype or training.get("dtype", "float64")
    cost = get_cost(settings["cost"])
    train, evaluation, classes = load_data(args.data, args.evaluate, args.limit, args.holdout)
    sizes = sizes or default_sizes(args.data, train[0].shape[1], classes)
    _check_fit(sizes, train, evaluation, classes)
    if args.plot:
        check_path(args.plot, FIGURE_FORMATS)
    if not args.resume:
        head = SoftmaxLayer if args.output_layer == "softmax" else SigmoidNeuron
        digits = [str(c) for c in range(classes)]  # MNIST's classes are the digits 0..9
        net = layered(sizes, output=head, init=args.init, seed=seed, labels=digits)
    fast = net.compile(dtype=np.dtype(dtype))
    rng = generator(training, seed, str(args.resume))
    velocity = _velocity(fast, training, momentum, str(args.resume))
    kept_history = training.get("history", {})
    past = History(**{f: kept_history[f] for f in FIELDS if isinstance(kept_history.get(f), list)})
    label = args.evaluate
    progress = _ProgressBar()
    saved: list[int] = []  # the epochs saved by this run
    recorded: list[History] = []  # this run's history, for --record when training stops early

    def replay() -> str:
        """Write the --record page of the snapshots so far; its name for the last message."""
        if not args.record or not recorded or not recorded[0].snapshots:
            return ""
        points = evaluation if sizes[0] == 2 else None
        steps = done * -(-len(train[0]) // settings["mini_batch_size"])  # before a --resume
        run = recorded[0].snapshots
        shifted = [dataclasses.replace(s, epoch=s.epoch + done, step=s.step + steps) for s in run]
        dataclasses.replace(recorded[0], snapshots=shifted).save_html(args.record, net, points)
        return str(args.record)

    def after_epoch(epoch: int, history: History) -> None:
        """Save the model (and the plot), then print the book's line: once it shows, it is saved."""
        progress.close()
        recorded[:] = [history]
        for name, values in history.to_dict().items():
            if isinstance(values, list) and values:
                getattr(past, name).append(values[-1])
        fast.write_back(net)
        record = {
            "epochs": done + epoch + 1,
            "epochs_asked": asked,
            "seed": seed,
            "evaluate": label,
            "momentum": momentum,
            "dtype": dtype,
            "rng": rng.bit_generator.state,  # for the next epoch's shuffle
            "velocity": velocity.tolist() if velocity is not None else [],
        }
        net.meta = {
            **net.meta,
            "cost": cost.name,
            "training": {**settings, **record, "history": past.to_dict()},
        }
        save(net, output)
        saved.append(done + epoch)
        if args.plot:
            past.settings = history.settings
            plot_history(past, args.plot)
        accuracy, n_eval = history.evaluation_accuracy[-1], len(evaluation[0])
        line = f"Epoch {done + epoch}: {round(accuracy * n_eval)} / {n_eval}"
        print(f"{line}  ({history.seconds[-1]:.2f} s)", flush=True)
        if accuracy <= (1.5 / sizes[-1] if sizes[-1] > 2 else 0.55):  # near chance
            hint = f"warning: accuracy is at chance level; eta {settings['eta']} may be too large"
            print(hint, file=sys.stderr)

    try:
        with _one_blas_thread():
            history = fast.sgd(
                train,
                settings["epochs"],
                settings["mini_batch_size"],
                settings["eta"],
                lmbda=settings["lmbda"],
                cost=cost,
                evaluation_data=evaluation,
                monitor_evaluation_accuracy=True,
                monitor_evaluation_cost=True,
                monitor_training_accuracy=args.monitor_training,
                monitor_training_cost=args.monitor_training,
                seed=rng,
                early_stopping=args.early_stopping,
                momentum=momentum,
                velocity=velocity,
                callback=after_epoch,
                progress=progress.update,
                record=bool(args.record),
            )
    except DivergenceError as err:
        progress.close()
        if args.resume and done and not saved and Path(args.resume).resolve() == output.resolve():
            saved.append(done - 1)
        kept = f"{output} keeps the model of epoch {saved[-1]}" if saved else "nothing was saved"
        page = replay()
        kept += f" ({page} replays the epochs before)" if page else ""
        msg = (
            f"training diverged in epoch {done + err.epoch}: {err.reason}; {kept}. "
            f"Try a smaller --eta (it was {settings['eta']:g})"
        )
        raise DivergenceError(msg, done + err.epoch, err.history, err.reason) from err
    except KeyboardInterrupt:
        progress.close()
        if saved:
            kept = f"{output} holds the model after epoch {saved[-1]}"
        else:
            kept = "no epoch was completed in this run, so nothing was saved"
        page = replay()
        kept += f"; {page} replays the completed epochs" if page else ""
        print(f"neurograph train: interrupted; {kept}", file=sys.stderr)
        return 130
    if history.stopped:
        print(f"stopped after {history.epochs} epochs ({history.stopped})")
    recorded[:] = [history]
    written = [str(p) for p in (args.plot, replay()) if p]
    if saved:
        print(f"saved {output}" + "".join(f" and {p}" for p in written))
    return 0


def _keep_format(resume: str, output: Path) -> None:
    """Refuse to rewrite a network2 file in another format: it cannot hold a training state."""
    if file_format(resume) == "network2" and Path(resume).resolve() == output.resolve():
        msg = (
            f"{resume} is in the book's network2 format, which has no room for the training "
            f"state, and resuming would rewrite it in neurograph's format; keep it and write the "
            f"continued model elsewhere: --resume {resume} --output continued.json"
        )
        raise UsageError(msg)


def _velocity(fast: Any, training: dict[str, Any], momentum: float, path: str) -> Any:
    """The momentum velocities: the saved ones on --resume, else zeros; None without momentum."""
    if not momentum:
        return None
    n = sum(w.size for w in fast.w.values()) + sum(b.size for b in fast.b.values())
    saved = training.get("velocity") or [0.0] * n
    if len(saved) != n:
        msg = f"{path}: meta.training.velocity has {len(saved)} numbers, the network {n} parameters"
        raise FormatError(msg)
    return np.array(saved, dtype=fast.dtype)


def _one_blas_thread() -> Any:
    """Limit BLAS to one thread while training, when threadpoolctl is installed.

    At these matrix sizes a second OpenBLAS thread costs more in synchronization than it
    saves, and on a busy 2-core machine it can make training many times slower.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


class _ProgressBar:
    """A tqdm bar per epoch on stderr (shown only on a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="img", leave=False, file=sys.stderr, disable=None)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            with contextlib.suppress(Exception):
                self.bar.close()
            self.bar = None
