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
from neurograph.datasets import load_idx_dataset, load_mnist
from neurograph.errors import FormatError, ShapeError, UsageError
from neurograph.fast.sgd import DivergenceError, History
from neurograph.graph.builders import layered
from neurograph.graph.costs import COSTS, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import SigmoidNeuron, SoftmaxLayer
from neurograph.io.atomic import check_output_path, write_atomic
from neurograph.io.files import file_format, load, save
from neurograph.pictures.plot import curves_svg

__all__ = ["load_data", "register", "run"]

DEFAULTS = {"epochs": 30, "mini_batch_size": 10, "eta": 3.0, "lmbda": 0.0, "cost": "quadratic"}
N_VALIDATION = 10_000
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
    add("--sizes", help="neurons per layer, e.g. 784,30,10 (default; or the --resume model's)")
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
    add("--output-layer", choices=("sigmoid", "softmax"), default="sigmoid")
    add("--seed", type=int, help="seed of the initial weights and the shuffles (default 0)")
    add("--data", metavar="DIR", help="a folder of the 4 IDX files (default: the bundled MNIST)")
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
    add("--dtype", choices=("float64", "float32"), help="default float64, or the --resume model's")
    add(
        "--output", metavar="FILE", help="where to save the model (default model.json, or --resume)"
    )
    add("--plot", metavar="FILE", help="also write the learning curves as SVG")
    add(
        "--resume",
        metavar="FILE",
        help="continue a saved run exactly (its settings, shuffles and momentum) up to the epochs "
        "it was asked for, or --epochs N more; give the same data options",
    )
    parser.set_defaults(func=run)


def load_data(
    directory: str | None, evaluate: str, limit: int | None
) -> tuple[tuple[Any, Any], tuple[Any, Any], int]:
    """The training set, the evaluation set and the number of classes.

    Parameters
    ----------
    directory : str or None
        A folder of the four IDX files; None for the bundled MNIST.
    evaluate : {"test", "validation"}
        Which set to evaluate on.
    limit : int or None
        Keep only the first `limit` training and evaluation examples.

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
    if directory is None:
        train, validation, test = load_mnist()
    else:
        (X, y), test = load_idx_dataset(directory)
        n = len(X) - (N_VALIDATION if len(X) >= 6 * N_VALIDATION else len(X) // 6)
        train, validation = (X[:n], y[:n]), (X[n:], y[n:])
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
    for path in (output, Path(args.plot) if args.plot else None):
        if path is not None:
            check_output_path(path)  # before any work: no device, FIFO, directory
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
        sizes = _sizes(args.sizes or "784,30,10")
    settings = {name: _setting(args, training, name) for name in DEFAULTS}
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
    train, evaluation, classes = load_data(args.data, args.evaluate, args.limit)
    _check_fit(sizes, train, evaluation, classes)
    if not args.resume:
        head = SoftmaxLayer if args.output_layer == "softmax" else SigmoidNeuron
        net = layered(sizes, output=head, init=args.init, seed=seed)
    fast = net.compile(dtype=np.dtype(dtype))
    rng = generator(training, seed, str(args.resume))
    velocity = _velocity(fast, training, momentum, str(args.resume))
    kept_history = training.get("history", {})
    past = History(**{f: kept_history[f] for f in FIELDS if isinstance(kept_history.get(f), list)})
    label = args.evaluate
    progress = _ProgressBar()
    saved: list[int] = []  # the epochs saved by this run

    def after_epoch(epoch: int, history: History) -> None:
        """Save the model (and the plot), then print the book's line: once it shows, it is saved."""
        progress.close()
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
            title = f"neurograph train: sizes {sizes}, eta {settings['eta']}, {cost.name}"
            curves = {label: past.evaluation_accuracy}, {label: past.evaluation_cost}
            write_atomic(args.plot, curves_svg(*curves, title))
        accuracy, n_eval = history.evaluation_accuracy[-1], len(evaluation[0])
        line = f"Epoch {done + epoch}: {round(accuracy * n_eval)} / {n_eval}"
        print(f"{line}  ({history.seconds[-1]:.2f} s)", flush=True)
        if accuracy <= 1.5 / sizes[-1]:
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
                seed=rng,
                early_stopping=args.early_stopping,
                momentum=momentum,
                velocity=velocity,
                callback=after_epoch,
                progress=progress.update,
            )
    except DivergenceError as err:
        progress.close()
        if args.resume and done and not saved and Path(args.resume).resolve() == output.resolve():
            saved.append(done - 1)
        kept = f"{output} keeps the model of epoch {saved[-1]}" if saved else "nothing was saved"
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
        print(f"neurograph train: interrupted; {kept}", file=sys.stderr)
        return 130
    if history.stopped:
        print(f"stopped after {history.epochs} epochs ({history.stopped})")
    if saved:
        print(f"saved {output}" + (f" and {args.plot}" if args.plot else ""))
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
